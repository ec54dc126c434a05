#include "content/permalink.h"

#include <string.h>

#include "core/str.h"
#include "core/time.h"

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
	if (n < 3 || p[0] != '/' || p[n - 1] != '/' || strstr(p, "//"))
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

char *permalink_for(struct arena *a, const char *pattern, const struct post *p)
{
	if (p->type == POST_PAGE)
		return ARENA_CAT(a, "/", p->slug, "/");
	struct date_parts dp;
	time_local(p->published_at, &dp);
	/* every URL of a listing goes through here: no printf, and written in
	 * place into room for the longest it can be (each token at most the
	 * slug, the category path or a number) */
	const char *slug = p->slug ? p->slug : "";
	const char *cat = p->category_path ? p->category_path : "uncategorized";
	size_t sn = strlen(slug), cn = strlen(cat), most = sn > cn ? sn : cn;
	size_t tokens = 0, plen = 0;
	for (const char *s = pattern; *s; s++, plen++)
		tokens += *s == '%';
	char *out = arena_alloc(a, plen + 1 + (tokens / 2 + 1) * (most + STR_I64_MAX));
	if (!out)
		return NULL;
	char *o = out;
	*o++ = '/';
	const char *s = pattern + 1;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t len = (size_t)(e - s);
		switch (token(s, len)) {
		case T_YEAR: o += str_from_i64(o, dp.year, 4); break;
		case T_MONTH: o += str_from_i64(o, dp.month, 2); break;
		case T_DAY: o += str_from_i64(o, dp.day, 2); break;
		case T_SLUG: memcpy(o, slug, sn); o += sn; break;
		case T_ID: o += str_from_i64(o, p->id, 1); break;
		case T_CATEGORY: memcpy(o, cat, cn); o += cn; break;
		case T_LIT: memcpy(o, s, len); o += len; break;
		}
		*o++ = '/';
		s = e + 1;
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
	/* Count segments on both sides; %category% absorbs the surplus. */
	size_t npat = 0, npath = 0;
	bool has_cat = false;
	for (const char *s = pattern + 1; *s; s = strchr(s, '/') + 1) {
		npat++;
		if (token(s, (size_t)(strchr(s, '/') - s)) == T_CATEGORY)
			has_cat = true;
	}
	for (const char *s = path + 1; *s; s = strchr(s, '/') + 1) {
		if (*s == '/')
			return false; /* empty segment */
		npath++;
	}
	if (has_cat ? npath < npat : npath != npat)
		return false;
	size_t extra = npath - npat;
	const char *ps = pattern + 1, *xs = path + 1;
	while (*ps) {
		const char *pe = strchr(ps, '/'), *xe = strchr(xs, '/');
		size_t plen2 = (size_t)(pe - ps), xlen = (size_t)(xe - xs);
		int64_t v;
		switch (token(ps, plen2)) {
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
			if (plen2 != xlen || memcmp(ps, xs, xlen) != 0)
				return false;
			break;
		}
		ps = pe + 1;
		xs = xe + 1;
	}
	return true;
}
