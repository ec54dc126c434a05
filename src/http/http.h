/* http.h - what a handler sees: a parsed request and a response to fill.
 *
 * http/server.c (with server_cache.c and server_headers.c, the only
 * includers of microhttpd.h) builds a struct req for every request, with
 * its own capped arena, runs the router, calls the handler, and turns the
 * struct resp into an MHD response (adding ETag, answering 304s, HEAD, the
 * access log line).
 *
 * Ownership: everything reachable from a req lives in req->arena and dies
 * when the request completes. resp->body is a malloc'd buffer the server
 * takes over after the handler returns. */
#ifndef GAZETTE_HTTP_HTTP_H
#define GAZETTE_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

struct app;

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_METHOD__MAX };
#define HTTP_M(m) (1u << (m))
#define HTTP_READ (HTTP_M(HTTP_GET) | HTTP_M(HTTP_HEAD))

struct http_param {
	const char *key, *val;
};

/* A file part of a multipart/form-data body (a part with a filename).
 * data is owned by server.c (outside the arena, at most max_upload bytes
 * in all) and lives until the request completes. field, filename and
 * content_type are as the client sent them (content_type may be ""): never
 * trust them. */
struct http_upload {
	const char *field, *filename, *content_type;
	const unsigned char *data;
	size_t len;
};

#define REQ_MAX_PARAMS 6

struct req {
	struct arena *arena;
	const struct app *app;
	enum http_method method;
	const char *path;   /* percent-decoded, valid UTF-8, no NUL, starts with '/' */
	const char *target; /* the raw request target as sent */
	struct http_param *query; /* decoded ?a=b pairs, in order */
	size_t nquery;
	struct http_param *form; /* decoded urlencoded body, or multipart's non-file fields */
	size_t nform;
	struct http_upload *uploads; /* multipart/form-data file parts, in order */
	size_t nuploads;
	const char *client_ip; /* peer, or X-Forwarded-For from a trusted proxy */
	bool https;            /* X-Forwarded-Proto: https from a trusted proxy */
	const char *host;      /* Host header (validated), may be NULL */
	/* Filled by the router from the route's pattern, in pattern order. */
	const char *params[REQ_MAX_PARAMS];
	size_t nparams;
	int64_t page;   /* 1, or N from a trailing "page/N/" on ROUTE_PAGED routes */
	int64_t now;    /* clock_now() at the start of the request */
	void *impl;     /* server.c's connection; use the accessors below */
};

/* Header lookup (case-insensitive); NULL when absent. */
const char *req_header(const struct req *r, const char *name);
/* First query / form value for key; NULL when absent. */
const char *req_query(const struct req *r, const char *key);
const char *req_form(const struct req *r, const char *key);
/* First file part sent under field; NULL when absent. */
const struct http_upload *req_upload(const struct req *r, const char *field);
/* Cookie value from the Cookie header; NULL when absent. */
const char *req_cookie(const struct req *r, const char *name);
/* "http(s)://host" for absolute URLs when no base URL is set. */
const char *req_origin(const struct req *r);

#define RESP_MAX_HEADERS 16

struct resp {
	int status;                 /* default 200 */
	const char *content_type;   /* default "text/html; charset=utf-8" */
	struct buf body;
	int64_t last_modified;      /* 0 = none; else Last-Modified + If-Modified-Since */
	const char *etag;           /* NULL = computed from the body for 200s */
	const char *cache_control;  /* NULL = "no-cache" for HTML */
	struct http_param headers[RESP_MAX_HEADERS];
	size_t nheaders;
	/* Page cache (http/cache.h): a handler sets cacheable for a response
	 * that is the same for every visitor, and names what it shows with
	 * resp_depend. Only 200s to GET/HEAD are kept, and only for requests
	 * whose query parameters are all ones pages read (server.c). */
	bool cacheable;
	int64_t cache_ttl; /* seconds the server may keep it; 0 = until purged */
	/* Set by the server when the cache may store this response: else
	 * resp_depend records nothing, and a handler need not look up what
	 * only the dependencies name. */
	bool keep_deps;
	uint64_t *deps; /* in the request arena */
	size_t ndeps, capdeps;
};

/* Add a header (name and value must live as long as the request). */
void resp_header(struct resp *rs, const char *name, const char *value);
/* Record that the response shows the named thing ("post:%lld", ...); see
 * site/deps.h for the names. Duplicates are ignored. */
void resp_depend(struct req *r, struct resp *rs, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* resp_depend(r, rs, "kind:%lld", id) without the formatting (the page
 * path records several per page). */
void resp_depend_id(struct req *r, struct resp *rs, const char *kind, int64_t id);
/* Set a 301/302/303 redirect to location. */
void resp_redirect(struct resp *rs, int status, const char *location);

/* A handler returns ERR_OK with rs filled, or an error that the server maps
 * to a status (http/status.c) and renders with app->error_page. */
typedef enum err (*http_handler)(struct req *r, struct resp *rs);

/* Map an error to an HTTP status (ERR_NOTFOUND -> 404, ...). */
int http_status_for(enum err e);
/* Reason phrase for a status ("Not Found"). */
const char *http_reason(int status);

#endif
