/* router.c - match r->path against a const route table (see router.h).
 *
 * Paths and patterns are split into segments on '/'. A path "/a/b/" has the
 * segments "a", "b" and a trailing slash; "/" has no segment and a trailing
 * slash. Empty segments ("//") never match anything. Nothing is allocated
 * until a route matches. */
#include "http/router.h"

#include <stdint.h>
#include <string.h>

#include "core/str.h"

#define MAX_SEGS 64 /* deeper paths match nothing */

struct seg {
	const char *p;
	size_t n;
};

struct split {
	struct seg s[MAX_SEGS];
	size_t n;
	bool trailing;
};

/* Split "/a/b/" into segments. False when deeper than MAX_SEGS. */
static bool split(const char *path, struct split *out)
{
	out->n = 0;
	out->trailing = false;
	const char *p = path + 1; /* caller checked path[0] == '/' */
	if (*p == '\0') {
		out->trailing = true;
		return true;
	}
	for (;;) {
		const char *q = strchr(p, '/');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		if (out->n == MAX_SEGS)
			return false;
		out->s[out->n].p = p;
		out->s[out->n].n = n;
		out->n++;
		if (!q)
			return true;
		if (q[1] == '\0') {
			out->trailing = true;
			return true;
		}
		p = q + 1;
	}
}

static bool seg_is(const struct seg *s, const char *lit)
{
	size_t n = strlen(lit);
	return s->n == n && memcmp(s->p, lit, n) == 0;
}

static bool all_digits(const char *p, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* A positive decimal without sign or leading zeros that fits int64. */
static bool parse_positive(const char *p, size_t n, int64_t *out)
{
	char tmp[24];
	if (n == 0 || n > 19 || !all_digits(p, n) || p[0] == '0')
		return false;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return str_to_i64(tmp, 1, INT64_MAX, out);
}

static bool two_digits_in(const char *p, size_t n, int lo, int hi)
{
	if (n != 2 || !all_digits(p, 2))
		return false;
	int v = (p[0] - '0') * 10 + (p[1] - '0');
	return v >= lo && v <= hi;
}

static bool is_dot_seg(const char *p, size_t n)
{
	return (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.');
}

static bool slug_ok(const char *p, size_t n)
{
	char tmp[201];
	if (n == 0 || n > 200)
		return false;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return str_slug_valid(tmp);
}

static bool file_seg_ok(const char *p, size_t n)
{
	if (n == 0 || p[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
		if (c == '.' && i + 1 < n && p[i + 1] == '.')
			return false;
	}
	return true;
}

static bool xml_name_ok(const char *p, size_t n)
{
	if (n < 5 || memcmp(p + n - 4, ".xml", 4) != 0)
		return false;
	for (size_t i = 0; i + 4 < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return false;
	return true;
}

/* Check one segment against a validator. */
static bool check_one(enum param_check c, const char *p, size_t n)
{
	if (n == 0 || is_dot_seg(p, n))
		return false;
	int64_t v;
	switch (c) {
	case P_ANY: return true;
	case P_SLUG:
	case P_PATH: return slug_ok(p, n);
	case P_INT: return parse_positive(p, n, &v);
	case P_YEAR:
		return n == 4 && all_digits(p, 4) && parse_positive(p, 4, &v) && v >= 1970 &&
		       v <= 9999;
	case P_MONTH: return two_digits_in(p, n, 1, 12);
	case P_DAY: return two_digits_in(p, n, 1, 31);
	case P_FILE: return file_seg_ok(p, n);
	case P_XML: return xml_name_ok(p, n);
	case P__MAX: break;
	}
	return false;
}

/* Check a parameter spanning segs[0..n): one segment for ":name", one or
 * more for "*name" (each segment must pass; P_SLUG and P_INT and the date
 * checks only accept a single segment). */
static bool check_param(enum param_check c, const struct seg *segs, size_t n)
{
	if (n == 0 || (unsigned)c >= P__MAX)
		return false;
	if (n > 1 && c != P_ANY && c != P_PATH && c != P_FILE)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!check_one(c, segs[i].p, segs[i].n))
			return false;
	return true;
}

/* Could the pattern match at all? A literal first segment must be the
 * request's first segment (every kind of match below compares it), so
 * most routes are ruled out without splitting their pattern. */
static bool first_seg_may_match(const char *pattern, const struct split *req)
{
	const char *p = pattern + 1;
	if (*p == '\0' || *p == ':' || *p == '*')
		return true;
	if (req->n == 0)
		return false;
	const struct seg *s = &req->s[0];
	if (s->n == 0 || p[0] != s->p[0]) /* most routes: no call */
		return false;
	return strncmp(p, s->p, s->n) == 0 && (p[s->n] == '/' || p[s->n] == '\0');
}

struct bound {
	struct seg v[REQ_MAX_PARAMS];
	size_t n;
};

/* Match the pattern's segments against req segs[0..n). */
static bool match_segs(const struct route *rt, const struct split *pat, const struct seg *segs,
		       size_t n, struct bound *b)
{
	size_t j = 0;
	b->n = 0;
	for (size_t i = 0; i < pat->n; i++) {
		const struct seg *ps = &pat->s[i];
		if (ps->n >= 2 && (ps->p[0] == ':' || ps->p[0] == '*')) {
			bool rest = ps->p[0] == '*';
			if (b->n == REQ_MAX_PARAMS || j >= n || (rest && i + 1 != pat->n))
				return false;
			size_t take = rest ? n - j : 1;
			if (!check_param(rt->checks[b->n], segs + j, take))
				return false;
			const struct seg *last = &segs[j + take - 1];
			b->v[b->n].p = segs[j].p;
			b->v[b->n].n = (size_t)(last->p + last->n - segs[j].p);
			b->n++;
			j += take;
		} else {
			if (j >= n || segs[j].n != ps->n || ps->n == 0 ||
			    memcmp(segs[j].p, ps->p, ps->n) != 0)
				return false;
			j++;
		}
	}
	return j == n;
}

static unsigned route_methods(const struct route *rt)
{
	unsigned m = rt->methods;
	if (m & HTTP_M(HTTP_GET))
		m |= HTTP_M(HTTP_HEAD);
	return m;
}

static const char *allow_string(unsigned m)
{
	static const char *const tab[8] = {
		"",          "GET",       "HEAD",       "GET, HEAD",
		"POST",      "GET, POST", "HEAD, POST", "GET, HEAD, POST",
	};
	return tab[m & 7u];
}

/* A header value must be ASCII: percent-encode bytes >= 0x80 (a client may
 * send a raw UTF-8 path) and anything below 0x21. */
static const char *ascii_only(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80 || *p <= 0x20) {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return out;
}

/* The slash form of the raw target: its path plus '/', query kept. */
static const char *slash_location(struct req *r)
{
	const char *t = r->target;
	if (!t || !*t)
		return arena_printf(r->arena, "%s/", r->path);
	if (t[0] != '/') { /* absolute-form: skip scheme://authority */
		const char *s = strstr(t, "://");
		s = s ? strchr(s + 3, '/') : NULL;
		t = s ? s : "/";
	}
	while (t[0] == '/' && t[1] == '/')
		t++; /* never emit a protocol-relative "//host" */
	size_t plen = strcspn(t, "?#");
	const char *q = "";
	size_t qlen = 0;
	if (t[plen] == '?') {
		q = t + plen;
		qlen = strcspn(q, "#");
	}
	const char *raw = arena_printf(r->arena, "%.*s/%.*s", (int)plen, t, (int)qlen, q);
	return raw ? ascii_only(r->arena, raw) : NULL;
}

/* ".../page/1/" is the listing itself: its address without the suffix,
 * query kept. */
static const char *unpaged_location(struct req *r)
{
	size_t n = strlen(r->path);
	const char *t = r->target ? r->target : "";
	const char *q = strchr(t, '?');
	size_t qlen = q ? strcspn(q, "#") : 0;
	const char *raw = arena_printf(r->arena, "%.*s%.*s", (int)(n - strlen("page/1/")), r->path,
				       (int)qlen, q ? q : "");
	return raw ? ascii_only(r->arena, raw) : NULL;
}

enum route_result router_match(const struct route *routes, size_t n, struct req *r,
			       const struct route **out, const char **allow,
			       const char **location)
{
	struct split req, pat;
	if (!r->path || r->path[0] != '/' || !split(r->path, &req))
		return ROUTE_NOMATCH;

	/* A trailing "page/N" on the request, for ROUTE_PAGED routes. */
	bool has_page = req.n >= 2 && seg_is(&req.s[req.n - 2], "page");
	int64_t page = 1;
	bool page_ok = has_page && parse_positive(req.s[req.n - 1].p, req.s[req.n - 1].n, &page);

	unsigned mbit = (unsigned)r->method < HTTP_METHOD__MAX ? HTTP_M(r->method) : 0;
	unsigned allowed = 0;
	bool redirect = false;

	for (size_t i = 0; i < n; i++) {
		const struct route *rt = &routes[i];
		if (!rt->pattern || rt->pattern[0] != '/' || !first_seg_may_match(rt->pattern, &req) ||
		    !split(rt->pattern, &pat))
			continue;
		struct bound b;
		bool hit = false;
		int64_t pg = 1;
		if ((rt->flags & ROUTE_PAGED) && has_page) {
			if (!page_ok)
				continue; /* "page/0/", "page/01/", "page/x/": 404 */
			if (match_segs(rt, &pat, req.s, req.n - 2, &b)) {
				if (req.trailing && page == 1) {
					/* one address per page */
					const char *loc = unpaged_location(r);
					if (!loc)
						return ROUTE_NOMATCH;
					if (location)
						*location = loc;
					return ROUTE_REDIRECT;
				} else if (req.trailing) {
					hit = true;
					pg = page;
				} else {
					redirect = true;
				}
			}
		}
		if (!hit && match_segs(rt, &pat, req.s, req.n, &b)) {
			if (req.trailing == pat.trailing)
				hit = true;
			else if (pat.trailing && !req.trailing)
				redirect = true;
		}
		if (!hit)
			continue;
		unsigned m = route_methods(rt);
		if (!(m & mbit)) {
			allowed |= m;
			continue;
		}
		const char *params[REQ_MAX_PARAMS];
		for (size_t k = 0; k < b.n; k++) {
			params[k] = arena_strndup(r->arena, b.v[k].p, b.v[k].n);
			if (!params[k])
				return ROUTE_NOMATCH; /* arena cap: treat as no match */
		}
		memcpy(r->params, params, b.n * sizeof params[0]);
		r->nparams = b.n;
		r->page = pg;
		if (out)
			*out = rt;
		return ROUTE_MATCH;
	}
	if (allowed) {
		if (allow)
			*allow = allow_string(allowed);
		return ROUTE_BADMETHOD;
	}
	/* "/favicon.ico", "/ads.txt": a file name at the root is no page (page
	 * slugs have no dots), so a 404 rather than a slash that leads to one. */
	if (redirect && req.n == 1 && memchr(req.s[0].p, '.', req.s[0].n))
		redirect = false;
	if (redirect) {
		const char *loc = slash_location(r);
		if (!loc)
			return ROUTE_NOMATCH;
		if (location)
			*location = loc;
		return ROUTE_REDIRECT;
	}
	return ROUTE_NOMATCH;
}
