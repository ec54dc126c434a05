/* router.h - match a request path against a const route table.
 *
 * Adding a new route:
 *  1. write the handler (site/ or admin/), declared in that layer's header;
 *  2. add a line to the table in site/routes.c: methods, pattern, handler,
 *     flags, and a validator for every parameter;
 *  3. add an e2e test that requests it.
 *
 * Patterns: literal segments, ":name" (exactly one segment) and "*name" (one
 * or more segments, must be last). A pattern ending in '/' wants the slash
 * form; a request without the slash gets a 301 to it. ROUTE_PAGED routes also
 * match with a trailing "page/N/" (N >= 1, otherwise 404) and set req->page;
 * "page/1/" is a 301 to the address without it (one address per page). */
#ifndef GAZETTE_HTTP_ROUTER_H
#define GAZETTE_HTTP_ROUTER_H

#include "http/http.h"

enum param_check {
	P_ANY,   /* any non-empty segment(s) */
	P_SLUG,  /* str_slug_valid */
	P_PATH,  /* slug segments joined by '/' (for *name) */
	P_INT,   /* positive decimal id */
	P_YEAR,  /* four digits, 1970..9999 */
	P_MONTH, /* two digits 01..12 */
	P_DAY,   /* two digits 01..31 */
	P_FILE,  /* an asset name: [A-Za-z0-9._-] segments, no ".." */
	P_XML,   /* one segment "[a-z0-9-]+.xml" (sitemaps) */
	P__MAX
};

enum route_flag {
	ROUTE_PAGED = 1 << 0,
};

struct route {
	unsigned methods; /* HTTP_M() bits */
	const char *pattern;
	http_handler handler;
	unsigned flags;
	enum param_check checks[REQ_MAX_PARAMS]; /* one per parameter, in order */
};

enum route_result {
	ROUTE_MATCH,      /* *out set, r->params/page filled */
	ROUTE_NOMATCH,    /* 404 */
	ROUTE_BADMETHOD,  /* 405; *allow holds the Allow header value */
	ROUTE_REDIRECT,   /* 301 to *location (slash form) */
};

/* Match r->path / r->method against routes[0..n). On ROUTE_BADMETHOD,
 * *allow is an arena string like "GET, HEAD". On ROUTE_REDIRECT, *location
 * is the slash form (with the query string kept). */
enum route_result router_match(const struct route *routes, size_t n, struct req *r,
			       const struct route **out, const char **allow,
			       const char **location);

#endif
