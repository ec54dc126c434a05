/* server_int.h - what server.c shares with the two files split from it:
 * server_headers.c (checking and adding response headers, the security
 * headers) and server_cache.c (answers from the page cache and what is
 * stored in it). server.c owns the rest: connections, the deadline
 * watchdog, reading requests, routing, fresh responses, start and stop.
 * Only these three files include it (and microhttpd.h). */
#ifndef GAZETTE_HTTP_SERVER_INT_H
#define GAZETTE_HTTP_SERVER_INT_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/app.h"
#include "http/compress.h"
#include "http/ipnet.h"

struct conn {
	struct conn *prev, *next;
	int fd;
	_Atomic int64_t start_ms; /* when the current request began (see top) */
	atomic_bool killed;       /* shut down by the watchdog */
	bool trusted;             /* peer is a trusted proxy */
	char peer[INET6_ADDRSTRLEN];
};

struct server {
	struct MHD_Daemon *d;
	const struct app *app;
	struct ipnet_list proxies;
	size_t arena_cap, max_body, max_upload, max_header, max_url;
	int64_t deadline_ms; /* 0 = none */
	bool access_log;
	pthread_mutex_t mu;  /* guards conns, stopping */
	pthread_cond_t cv;
	bool stopping;
	bool wd_running;
	pthread_t wd;
	struct conn *conns;
	atomic_long active; /* requests past their head, not yet completed */
	atomic_bool draining; /* stopping: new requests get 503 */
};

/* One part of a multipart body (see the top). */
struct part {
	char *key, *filename, *ctype; /* malloc'd; filename NULL: a plain field */
	struct buf data;
};

struct rctx {
	struct server *srv;
	struct conn *conn;
	struct arena arena;
	struct req req;
	int64_t t0_us;
	int phase;         /* 0 new, 1 headers seen, 2 response queued */
	bool active;       /* counted in srv->active (head complete) */
	int early;         /* answer this status instead of routing; 0 = none */
	const char *allow; /* Allow header for an early 405 */
	bool must_close;   /* answer at once and close: the framing is in doubt */
	bool head;         /* method is HEAD */
	bool form_body;    /* POST whose urlencoded body we collect */
	bool multipart;    /* POST whose multipart/form-data body we collect */
	struct MHD_PostProcessor *pp;
	struct part *parts;
	size_t nparts, capparts;
	size_t mp_bytes;   /* multipart body bytes received */
	size_t mp_fields;  /* bytes of non-file parts */
	struct buf body;
	size_t discarded; /* body bytes read and dropped */
	const char *method;
	int status; /* queued status, for the log */
	size_t bytes;
	uint64_t epoch;    /* cache epoch when routing began */
	const char *ckey;  /* cache key, when the request may use the cache */
	const char *cache; /* "hit" / "miss" for the log, or NULL */
};

/* server_headers.c */
/* RFC 9110 field-name: one or more tchars. */
bool srv_header_name_ok(const char *s);
bool srv_has_header(const struct resp *rs, const char *name);
/* A handler's header, checked (an invalid one is dropped and logged). */
bool srv_add_header(struct MHD_Response *mr, const char *name, const char *value);
/* A header the server makes itself (a constant, an ETag, a date): not
 * checked, and every response carries several. */
void srv_put_header(struct MHD_Response *mr, const char *name, const char *value);
/* Cache-Control, the security headers and the handler's own headers. */
void srv_common_headers(struct MHD_Response *mr, const struct resp *rs, bool html);
/* The security headers that response `from` carries, onto mr (a 304
 * answered from a cached 200). */
void srv_security_headers_from(struct MHD_Response *mr, struct MHD_Response *from);

/* server_cache.c */
/* May this request be answered from, or stored in, the cache? */
bool srv_cacheable_request(const struct rctx *x);
/* The request's cache key, or NULL: do not cache it. */
const char *srv_cache_key(struct rctx *x);
/* Answer x from the cache: false on a miss (nothing queued). */
bool srv_serve_cached(struct rctx *x, struct MHD_Connection *c, enum MHD_Result *ret);
/* Store a fresh 200 (see server_cache.c). */
void srv_cache_store(struct rctx *x, const struct resp *rs, const char *etag, enum encoding enc,
		     struct buf *z);

#endif
