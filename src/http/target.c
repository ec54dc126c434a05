/* target.c - the request target and urlencoded pairs, parsed (see
 * target.h). Pure functions over an arena: no MHD, no sockets, so the unit
 * tests and the fuzz harness call them directly. */
#include "http/target.h"

#include <string.h>
#include <strings.h>

#include "core/str.h"

/* Decode "a=1&b=2" into pairs. Returns 0, 400 (bad or too many) or 500. */
int http_parse_pairs(struct arena *a, const char *s, size_t n, size_t max,
		     struct http_param **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	size_t cnt = 0;
	for (size_t i = 0; i < n;) {
		size_t len = 0;
		while (i + len < n && s[i + len] != '&')
			len++;
		if (len)
			cnt++;
		i += len + 1;
	}
	if (cnt == 0)
		return 0;
	if (cnt > max)
		return 400;
	struct http_param *v = ARENA_ARRAY(a, struct http_param, cnt);
	if (!v)
		return 500;
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		const char *p = s + i;
		size_t len = 0;
		while (i + len < n && p[len] != '&')
			len++;
		i += len + 1;
		if (!len)
			continue;
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		char *key = str_url_decode(a, p, klen, true);
		char *val = eq ? str_url_decode(a, eq + 1, len - klen - 1, true) : (char *)"";
		if (!key || !val)
			return a->failed ? 500 : 400;
		if (!*key)
			continue;
		v[k].key = key;
		v[k].val = val;
		k++;
	}
	*out = v;
	*nout = k;
	return 0;
}

int http_parse_target(struct arena *a, const char *t, const char **path_out,
		      struct http_param **query, size_t *nquery)
{
	*path_out = NULL;
	*query = NULL;
	*nquery = 0;
	for (const unsigned char *u = (const unsigned char *)t; *u; u++)
		if (*u <= 0x20 || *u == 0x7f)
			return 400;
	const char *p = t;
	if (*p != '/') { /* absolute-form "http://host/path" */
		if (strncasecmp(p, "http://", 7) == 0)
			p += 7;
		else if (strncasecmp(p, "https://", 8) == 0)
			p += 8;
		else
			return 400; /* "*", "host:port", junk */
		p += strcspn(p, "/?#");
	}
	size_t plen = strcspn(p, "?#");
	if (plen == 0) {
		*path_out = "/";
	} else {
		char *path = str_url_decode(a, p, plen, false);
		if (!path)
			return a->failed ? 500 : 400;
		/* No control characters and no "." / ".." segments. */
		for (const unsigned char *u = (const unsigned char *)path; *u; u++)
			if (*u < 0x20 || *u == 0x7f || *u == '\\')
				return 400;
		for (const char *seg = path; seg; seg = strchr(seg + 1, '/')) {
			const char *q = seg + 1;
			size_t n = strcspn(q, "/");
			if ((n == 1 && q[0] == '.') || (n == 2 && q[0] == '.' && q[1] == '.'))
				return 400;
		}
		*path_out = path;
	}
	if (p[plen] == '?') {
		const char *q = p + plen + 1;
		return http_parse_pairs(a, q, strcspn(q, "#"), HTTP_MAX_QUERY_PAIRS, query, nquery);
	}
	return 0;
}

bool http_is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

bool http_host_valid(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > 255)
		return false;
	const char *p = h;
	if (*p == '[') {
		const char *e = strchr(p, ']');
		if (!e || e == p + 1)
			return false;
		for (const char *q = p + 1; q < e; q++)
			if (!(strchr("0123456789abcdefABCDEF:.", *q)))
				return false;
		p = e + 1;
	} else {
		const char *start = p;
		for (; *p && *p != ':'; p++) {
			char c = *p;
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
				return false;
		}
		if (p == start)
			return false;
	}
	if (*p == ':') {
		p++;
		size_t d = 0;
		long port = 0;
		for (; *p >= '0' && *p <= '9' && d < 6; p++, d++)
			port = port * 10 + (*p - '0');
		if (d > 5 || port > 65535)
			return false;
	}
	return *p == '\0';
}
