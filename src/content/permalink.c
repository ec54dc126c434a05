#include "content/permalink.h"

#include <stdint.h>
#include <string.h>

#include "core/str.h"
#include "core/time.h"

#define PAT_MAX 256 /* bytes of a pattern, its NUL included (permalink.h) */
#define SEG_MAX (PAT_MAX / 2)

enum tok { T_LIT, T_YEAR, T_MONTH, T_DAY, T_SLUG, T_ID, T_CATEGORY };

static enum tok token(const char *seg, size_t n)
{
#define TOK(s, t) {s, sizeof s - 1, t}
	static const struct {
		const char *s;
		size_t n;
		enum tok t;
	} toks[] = {TOK("%year%", T_YEAR), TOK("%month%", T_MONTH), TOK("%day%", T_DAY),
		    TOK("%slug%", T_SLUG), TOK("%id%", T_ID),       TOK("%category%", T_CATEGORY)};
#undef TOK
	if (n < 4 || seg[0] != '%') /* every URL goes through here: literals first */
		return T_LIT;
	for (size_t i = 0; i < sizeof toks / sizeof toks[0]; i++)
		if (toks[i].n == n && memcmp(toks[i].s, seg, n) == 0)
			return toks[i].t;
	return T_LIT;
}

bool permalink_valid(const char *p)
{
	size_t n = strlen(p);
	if (n < 3 || n >= PAT_MAX || p[0] != '/' || p[n - 1] != '/' || strstr(p, "//"))
		return false;
	bool has_key = false;
	int ncat = 0;
	const char *s = p + 1;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t len = (size_t)(e - s);
		enum tok t = token(s, len);
		if (t == T_SLUG || t == T_ID)
			has_key = true;
		if (t == T_CATEGORY && ++ncat > 1)
			return false; /* only one token may span segments */
		if (t == T_LIT) {
			for (size_t i = 0; i < len; i++) {
				char c = s[i];
				if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
					return false;
			}
		}
		s = e + 1;
	}
	return has_key;
}

/* A pattern split into its segments once: every URL of a listing (cards,
 * feeds, sitemaps of thousands) is built from the same pattern, so each
 * thread keeps the last one it split. Every segment takes at least two
 * bytes of the pattern, so one under PAT_MAX bytes fits. */
struct pat {
	char text[PAT_MAX];
	size_t n; /* strlen(text); 0: nothing kept */
	size_t nseg;
	struct {
		uint8_t t;        /* enum tok */
		uint8_t off, len; /* a literal's bytes in text */
	} seg[SEG_MAX];
	bool has_cat;
};

/* The thread's split of pattern; NULL when it is PAT_MAX bytes or more,
 * does not start and end with '/', or has more than SEG_MAX segments
 * (empty ones: permalink_valid refuses all three). */
static const struct pat *pat_get(const char *pattern)
{
	static _Thread_local struct pat last;
	size_t n = strlen(pattern);
	if (last.n == n && memcmp(last.text, pattern, n) == 0)
		return &last;
	last.n = 0;
	if (n < 1 || n >= PAT_MAX || pattern[0] != '/' || pattern[n - 1] != '/')
		return NULL;
	memcpy(last.text, pattern, n + 1);
	last.nseg = 0;
	last.has_cat = false;
	for (const char *s = last.text + 1; *s;) {
		if (last.nseg == SEG_MAX)
			return NULL; /* last.n stays 0: nothing kept */
		const char *e = strchr(s, '/');
		size_t len = (size_t)(e - s);
		enum tok t = token(s, len);
		last.seg[last.nseg].t = (uint8_t)t;
		last.seg[last.nseg].off = (uint8_t)(s - last.text);
		last.seg[last.nseg].len = (uint8_t)len;
		last.nseg++;
		last.has_cat |= t == T_CATEGORY;
		s = e + 1;
	}
	last.n = n;
	return &last;
}

char *permalink_for(struct arena *a, const char *pattern, const struct post *p)
{
	if (p->type == POST_PAGE)
		return ARENA_CAT(a, "/", p->slug, "/");
	const struct pat *pt = pat_get(pattern);
	if (!pt)
		return NULL;
	struct date_parts dp;
	time_local(p->published_at, &dp);
	/* written in place into room for the longest it can be (each token at
	 * most the slug, the category path or a number) */
	const char *slug = p->slug ? p->slug : "";
	const char *cat = p->category_path ? p->category_path : "uncategorized";
	size_t sn = strlen(slug), cn = pt->has_cat ? strlen(cat) : 0;
	size_t most = sn > cn ? sn : cn;
	char *out = arena_alloc(a, pt->n + 1 + pt->nseg * (most + STR_I64_MAX));
	if (!out)
		return NULL;
	char *o = out;
	*o++ = '/';
	for (size_t i = 0; i < pt->nseg; i++) {
		switch ((enum tok)pt->seg[i].t) {
		case T_YEAR: o += str_from_i64(o, dp.year, 4); break;
		case T_MONTH: o += str_from_i64(o, dp.month, 2); break;
		case T_DAY: o += str_from_i64(o, dp.day, 2); break;
		case T_SLUG: memcpy(o, slug, sn); o += sn; break;
		case T_ID: o += str_from_i64(o, p->id, 1); break;
		case T_CATEGORY: memcpy(o, cat, cn); o += cn; break;
		case T_LIT:
			memcpy(o, pt->text + pt->seg[i].off, pt->seg[i].len);
			o += pt->seg[i].len;
			break;
		}
		*o++ = '/';
	}
	*o = '\0';
	return out;
}

static bool num(const char *s, size_t n, size_t want, int64_t min, int64_t max, int64_t *out)
{
	if (want && n != want)
		return false;
	if (n == 0 || n > 18)
		return false;
	char tmp[20];
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (tmp[0] == '-' || (want == 0 && tmp[0] == '0'))
		return false;
	return str_to_i64(tmp, min, max, out);
}

bool permalink_match(struct arena *a, const char *pattern, const char *path,
		     struct permalink_parts *out)
{
	memset(out, 0, sizeof *out);
	size_t plen = strlen(path);
	if (plen < 2 || path[0] != '/' || path[plen - 1] != '/')
		return false;
	const struct pat *pt = pat_get(pattern);
	if (!pt)
		return false;
	/* Count the path's segments; %category% absorbs the surplus. */
	size_t npath = 0;
	for (const char *s = path + 1; *s; s = strchr(s, '/') + 1) {
		if (*s == '/')
			return false; /* empty segment */
		npath++;
	}
	if (pt->has_cat ? npath < pt->nseg : npath != pt->nseg)
		return false;
	size_t extra = npath - pt->nseg;
	const char *xs = path + 1;
	for (size_t i = 0; i < pt->nseg; i++) {
		const char *xe = strchr(xs, '/');
		size_t xlen = (size_t)(xe - xs);
		int64_t v;
		switch ((enum tok)pt->seg[i].t) {
		case T_YEAR:
			if (!num(xs, xlen, 4, 1970, 9999, &v))
				return false;
			out->year = (int)v;
			break;
		case T_MONTH:
			if (!num(xs, xlen, 2, 1, 12, &v))
				return false;
			out->month = (int)v;
			break;
		case T_DAY:
			if (!num(xs, xlen, 2, 1, 31, &v))
				return false;
			out->day = (int)v;
			break;
		case T_ID:
			if (!num(xs, xlen, 0, 1, INT64_MAX, &v))
				return false;
			out->id = v;
			break;
		case T_SLUG:
			out->slug = arena_strndup(a, xs, xlen);
			if (!out->slug || !str_slug_valid(out->slug))
				return false;
			break;
		case T_CATEGORY: {
			const char *end = xe;
			for (size_t k = 0; k < extra; k++)
				end = strchr(end + 1, '/');
			out->category = arena_strndup(a, xs, (size_t)(end - xs));
			if (!out->category)
				return false;
			xe = end;
			break;
		}
		case T_LIT:
			if (pt->seg[i].len != xlen || memcmp(pt->text + pt->seg[i].off, xs, xlen) != 0)
				return false;
			break;
		}
		xs = xe + 1;
	}
	return true;
}
