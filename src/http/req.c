/* req.c - request accessors and response helpers.
 *
 * server.c stores the request headers for these accessors in r->impl as a
 * plain table: an array of struct http_param (name, value), in the order
 * received, ended by an entry whose key is NULL. Strings live in r->arena.
 * Code that builds a struct req by hand (tests) may do the same, or leave
 * impl NULL for "no headers". */
#include "http/http.h"

#include <strings.h>
#include <string.h>

#include "core/log.h"
#include "http/cache.h"
#include <stdarg.h>
#include <stdio.h>

const char *req_header(const struct req *r, const char *name)
{
	const struct http_param *h = r ? r->impl : NULL;
	if (!h || !name)
		return NULL;
	for (; h->key; h++)
		if (strcasecmp(h->key, name) == 0)
			return h->val;
	return NULL;
}

static const char *find_param(const struct http_param *v, size_t n, const char *key)
{
	if (!v || !key)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i].key && strcmp(v[i].key, key) == 0)
			return v[i].val;
	return NULL;
}

const char *req_query(const struct req *r, const char *key)
{
	return r ? find_param(r->query, r->nquery, key) : NULL;
}

const char *req_form(const struct req *r, const char *key)
{
	return r ? find_param(r->form, r->nform, key) : NULL;
}

const struct http_upload *req_upload(const struct req *r, const char *field)
{
	for (size_t i = 0; r && i < r->nuploads; i++)
		if (strcmp(r->uploads[i].field, field) == 0)
			return &r->uploads[i];
	return NULL;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* Look for name in one Cookie header value: "a=1; b=2". */
static const char *cookie_in(struct arena *a, const char *s, const char *name)
{
	size_t nlen = strlen(name);
	while (*s) {
		while (*s == ';' || is_ws(*s))
			s++;
		const char *k = s;
		size_t kn = strcspn(s, "=;");
		s += kn;
		size_t kt = kn;
		while (kt > 0 && is_ws(k[kt - 1]))
			kt--;
		if (*s != '=') /* "flag;" without a value */
			continue;
		s++;
		while (is_ws(*s))
			s++;
		const char *v = s;
		size_t vn = strcspn(s, ";");
		s += vn;
		while (vn > 0 && is_ws(v[vn - 1]))
			vn--;
		if (kt == nlen && memcmp(k, name, nlen) == 0) {
			if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
				v++;
				vn -= 2;
			}
			return arena_strndup(a, v, vn);
		}
	}
	return NULL;
}

const char *req_cookie(const struct req *r, const char *name)
{
	const struct http_param *h = r ? r->impl : NULL;
	if (!h || !name || !*name)
		return NULL;
	for (; h->key; h++) {
		if (strcasecmp(h->key, "Cookie") != 0 || !h->val)
			continue;
		const char *v = cookie_in(r->arena, h->val, name);
		if (v)
			return v;
	}
	return NULL;
}

const char *req_origin(const struct req *r)
{
	const char *host = r->host && *r->host ? r->host : "localhost";
	return ARENA_CAT(r->arena, r->https ? "https://" : "http://", host);
}

void resp_header(struct resp *rs, const char *name, const char *value)
{
	if (!name || !value)
		return;
	if (rs->nheaders == RESP_MAX_HEADERS) {
		log_warn("resp_header: more than %d headers, dropping %s", RESP_MAX_HEADERS, name);
		return;
	}
	rs->headers[rs->nheaders].key = name;
	rs->headers[rs->nheaders].val = value;
	rs->nheaders++;
}

void resp_redirect(struct resp *rs, int status, const char *location)
{
	if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
		status = 302;
	rs->status = status;
	/* Replace an earlier Location rather than sending two. */
	for (size_t i = 0; i < rs->nheaders; i++) {
		if (strcasecmp(rs->headers[i].key, "Location") == 0) {
			rs->headers[i].val = location;
			return;
		}
	}
	resp_header(rs, "Location", location);
}

static void depend_key(struct req *r, struct resp *rs, uint64_t key)
{
	if (!rs->keep_deps)
		return;
	for (size_t i = 0; i < rs->ndeps; i++)
		if (rs->deps[i] == key)
			return;
	if (rs->ndeps == rs->capdeps) {
		size_t cap = rs->capdeps ? rs->capdeps * 2 : 32;
		uint64_t *p = arena_realloc(r->arena, rs->deps, rs->capdeps * sizeof *p,
					    cap * sizeof *p);
		if (!p) { /* cannot record it: then the page must not be cached */
			rs->cacheable = false;
			return;
		}
		rs->deps = p;
		rs->capdeps = cap;
	}
	rs->deps[rs->ndeps++] = key;
}

void resp_depend(struct req *r, struct resp *rs, const char *fmt, ...)
{
	if (!rs->keep_deps)
		return;
	char name[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	depend_key(r, rs, cache_dep("%s", name));
}

void resp_depend_id(struct req *r, struct resp *rs, const char *kind, int64_t id)
{
	if (!rs->keep_deps)
		return;
	depend_key(r, rs, cache_dep_id(kind, id));
}
