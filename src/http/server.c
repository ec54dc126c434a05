/* server.c - the HTTP server on libmicrohttpd (with server_headers.c and
 * server_cache.c, which share server_int.h, the only includers of
 * microhttpd.h).
 *
 * Per request (MHD calls the access handler several times):
 *  - MHD_OPTION_URI_LOG_CALLBACK, right after the request line: allocate the
 *    request context (struct rctx: the capped arena, struct req) and keep a
 *    copy of the raw target. MHD then owes us a NOTIFY_COMPLETED, where the
 *    context is freed, even if it answers the request itself (431).
 *  - first access-handler call (headers complete): check limits, parse the
 *    target, query, Host, proxy headers; decide early errors.
 *  - upload calls: accumulate an x-www-form-urlencoded body up to max_body,
 *    or feed a multipart/form-data body to MHD's post processor, up to
 *    max_upload (see "Multipart bodies" below).
 *  - final call: route, run the handler (its errors, 404/405 and the early
 *    4xx all go through app->error_page), add ETag/304/default headers and
 *    queue the response. Queuing here rather than on the first call keeps
 *    the connection alive (MHD 0.9.75 answers "Connection: close" to a
 *    response queued before it has read the request to the end). Only early
 *    errors on requests that still carry an unread body (413, ...) are
 *    queued on the first call, and then the connection closes.
 *
 * Per connection (MHD_OPTION_NOTIFY_CONNECTION): a struct conn on a list that
 * a watchdog thread scans; a connection whose current request started more
 * than request_deadline seconds ago is shut down (MHD's own idle timeout is
 * reset by every byte, so a trickling client would otherwise stay forever).
 * "Started" is when the connection was accepted or the previous request on
 * it completed, so the deadline also bounds the idle time between keep-alive
 * requests, and it runs until the response is fully sent. MHD reports NOTIFY_CONNECTION(CLOSED) before it closes the
 * socket, and the list is only changed under the mutex, so the watchdog
 * never touches a closed (or reused) descriptor.
 *
 * Size limits and MHD:
 *  - max_url: the raw request target; longer -> 414 (ours).
 *  - max_header: the request line plus all header lines; longer -> 431
 *    (ours). The per-connection memory pool is set to
 *    max_header + max_url + POOL_SLACK, so a head too big to even parse
 *    gets MHD's own 431 (or 414 while still in the request line) instead
 *    of growing memory.
 *  - max_body: checked against Content-Length up front (413 before reading
 *    anything, then the connection closes) and while reading a chunked
 *    body: MHD 0.9.75 cannot queue a response mid-upload, so the rest of
 *    the body is read and dropped and the 413 goes out when it ends; a body
 *    still coming after DISCARD_MAX dropped bytes (or past the deadline)
 *    loses the connection instead.
 *  - max_upload: the same for multipart/form-data bodies (uploads), which
 *    may be larger than max_body. Their non-file fields together must stay
 *    under max_body.
 *
 * Multipart bodies: MHD's post processor splits the body into parts and
 * calls mp_part() with each part's bytes in chunks. Non-file parts become
 * r->form pairs (in the arena, like a urlencoded body: valid UTF-8, no NUL,
 * at most MAX_FORM_PAIRS); parts with a filename become r->uploads, whose
 * bytes stay in malloc'd buffers owned by the request context (not the
 * arena, so the arena cap needs no room for them; at most max_upload in
 * all) and freed when MHD reports the request complete. A body the post
 * processor cannot finish (a missing closing boundary: truncated) is a 400. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "http/access.h"
#include "http/cache.h"
#include "http/conditional.h"
#include "http/ipnet.h"
#include "http/router.h"
#include "http/server_int.h"
#include "http/target.h"

#define ARENA_BASE_CAP ((size_t)8 << 20) /* per request, plus 2 x max_body */
/* MHD pool beyond the head limits, for the reply's header block (ours is
 * under 1 KB). Kept small: MHD 0.9.75 clears the whole pool before every
 * request on a kept-alive connection. */
#define POOL_SLACK ((size_t)4 << 10)
#define MAX_FORM_PAIRS 2048
#define MP_BUFFER 4096 /* the post processor's buffer (part headers must fit) */
#define DISCARD_MAX ((size_t)64 << 20) /* body bytes we read and drop, at most */
#define STOP_GRACE_MS 5000
#define LOG_FLUSH_MS 500 /* buffered access lines reach stderr within this */

/* ---- small helpers ---------------------------------------------------- */

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- connections and the deadline watchdog ---------------------------- */

static void on_connection(void *cls, struct MHD_Connection *c, void **sock_ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn *k = calloc(1, sizeof *k);
		*sock_ctx = k;
		if (!k)
			return; /* this connection just goes without a deadline */
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		k->fd = ci ? ci->connect_fd : -1;
		struct ipnet ip;
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ip_from_sockaddr(ci->client_addr, &ip)) {
			ip_format(&ip, k->peer, sizeof k->peer);
			k->trusted = ipnet_list_has(&s->proxies, &ip);
		} else {
			str_copy(k->peer, "-", sizeof k->peer);
		}
		atomic_store(&k->start_ms, clock_mono_ms());
		pthread_mutex_lock(&s->mu);
		k->next = s->conns;
		if (s->conns)
			s->conns->prev = k;
		s->conns = k;
		pthread_mutex_unlock(&s->mu);
		return;
	}
	struct conn *k = *sock_ctx;
	if (!k)
		return;
	pthread_mutex_lock(&s->mu);
	if (k->prev)
		k->prev->next = k->next;
	else
		s->conns = k->next;
	if (k->next)
		k->next->prev = k->prev;
	pthread_mutex_unlock(&s->mu);
	free(k);
	*sock_ctx = NULL;
}

static void *watchdog(void *arg)
{
	struct server *s = arg;
	int64_t tick = s->deadline_ms / 4;
	if (tick < 20)
		tick = 20;
	if (tick > 1000)
		tick = 1000;
	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += tick / 1000;
		ts.tv_nsec += (long)(tick % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->cv, &s->mu, &ts);
		if (s->stopping)
			break;
		int64_t now = clock_mono_ms();
		for (struct conn *k = s->conns; k; k = k->next) {
			if (k->fd < 0 || atomic_load(&k->killed) ||
			    now - atomic_load(&k->start_ms) <= s->deadline_ms)
				continue;
			atomic_store(&k->killed, true);
			/* The socket is still open: MHD closes it only after
			 * NOTIFY_CONNECTION(CLOSED), which needs this mutex. */
			shutdown(k->fd, SHUT_RDWR);
			log_info("deadline: closing connection from %s after %lld ms", k->peer,
				 (long long)(now - atomic_load(&k->start_ms)));
		}
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* ---- request context -------------------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct server *s = cls;
	struct rctx *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->srv = s;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	x->conn = ci ? ci->socket_context : NULL;
	arena_init(&x->arena, s->arena_cap);
	buf_init(&x->body);
	x->t0_us = mono_us();
	/* MHD rewrites the URI in place later: keep our own copy. */
	x->req.target = arena_strdup(&x->arena, uri ? uri : "");
	return x;
}

/* One line per request, into this thread's log buffer (core/log.h): no
 * write(2) per request. */
static void access_log(struct rctx *x, int status, enum MHD_RequestTerminationCode toe)
{
	struct access_rec rec = {
		.ip = x->req.client_ip ? x->req.client_ip : x->conn ? x->conn->peer : "-",
		.method = x->method,
		.target = x->req.target,
		.status = status,
		.bytes = x->bytes,
		.us = mono_us() - x->t0_us,
		.why = "",
		.cache = x->cache,
	};
	if (x->conn && atomic_load(&x->conn->killed))
		rec.why = " deadline";
	else if (toe == MHD_REQUEST_TERMINATED_WITH_ERROR)
		rec.why = " error";
	else if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
		rec.why = " idle-timeout";
	else if (toe == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN)
		rec.why = " shutdown";
	else if (toe == MHD_REQUEST_TERMINATED_READ_ERROR)
		rec.why = " read-error";
	else if (toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT)
		rec.why = " aborted";
	char line[ACCESS_LINE_MAX];
	log_buffered(line, access_format(line, &rec));
}

static void parts_free(struct rctx *x)
{
	if (x->pp)
		MHD_destroy_post_processor(x->pp);
	x->pp = NULL;
	for (size_t i = 0; i < x->nparts; i++) {
		free(x->parts[i].key);
		free(x->parts[i].filename);
		free(x->parts[i].ctype);
		buf_free(&x->parts[i].data);
	}
	free(x->parts);
	x->parts = NULL;
	x->nparts = x->capparts = 0;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct rctx *x = *con_cls;
	if (!x)
		return;
	*con_cls = NULL;
	int status = x->status;
	if (!status) { /* MHD answered by itself (431, ...) or nothing was sent */
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
		if (ci)
			status = (int)ci->http_status;
	}
	if (s->access_log)
		access_log(x, status, toe);
	if (x->conn)
		atomic_store(&x->conn->start_ms, clock_mono_ms());
	if (x->active)
		atomic_fetch_sub(&s->active, 1);
	buf_free(&x->body);
	parts_free(x);
	arena_free(&x->arena);
	free(x);
}

struct hdr_fill {
	struct arena *a;
	struct http_param *v;
	size_t n, cap;
	size_t bytes;
	bool failed;
};

static enum MHD_Result hdr_iter(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	(void)kind;
	struct hdr_fill *f = cls;
	if (!key || f->n == f->cap)
		return MHD_YES;
	if (!value)
		value = "";
	size_t kl = strlen(key), vl = strlen(value);
	f->bytes += kl + vl + 4; /* "K: V\r\n" */
	char *k = arena_strndup(f->a, key, kl), *v = arena_strndup(f->a, value, vl);
	if (!k || !v) {
		f->failed = true;
		return MHD_NO;
	}
	f->v[f->n].key = k;
	f->v[f->n].val = v;
	f->n++;
	return MHD_YES;
}

/* A head that another parser (a proxy in front of us) could frame
 * differently - the stuff of request smuggling: both Content-Length and
 * Transfer-Encoding, either one twice, or a header name that is not a token
 * ("Transfer-Encoding : chunked"). RFC 9112 allows rejecting these; we do,
 * with a 400 (and the connection closes when a body was announced). */
static bool head_ambiguous(const struct hdr_fill *f)
{
	int ncl = 0, nte = 0;
	for (size_t i = 0; i < f->n; i++) {
		const char *k = f->v[i].key;
		if (!srv_header_name_ok(k))
			return true;
		ncl += strcasecmp(k, "Content-Length") == 0;
		nte += strcasecmp(k, "Transfer-Encoding") == 0;
	}
	return ncl > 1 || nte > 1 || (ncl && nte);
}

/* All values of a header joined with ", " (NULL when absent). */
static char *header_joined(struct req *r, const struct http_param *hdrs, const char *name)
{
	size_t total = 0, count = 0;
	for (const struct http_param *h = hdrs; h->key; h++)
		if (strcasecmp(h->key, name) == 0) {
			total += strlen(h->val) + 2;
			count++;
		}
	if (!count)
		return NULL;
	char *out = arena_alloc(r->arena, total + 1), *o = out;
	if (!out)
		return NULL;
	for (const struct http_param *h = hdrs; h->key; h++) {
		if (strcasecmp(h->key, name) != 0)
			continue;
		if (o != out) {
			memcpy(o, ", ", 2);
			o += 2;
		}
		size_t n = strlen(h->val);
		memcpy(o, h->val, n);
		o += n;
	}
	*o = '\0';
	return out;
}

static void apply_proxy_headers(struct rctx *x, const struct http_param *hdrs)
{
	struct req *r = &x->req;
	const char *xff = header_joined(r, hdrs, "X-Forwarded-For");
	if (xff) {
		char ip[INET6_ADDRSTRLEN];
		if (ipnet_forwarded_client(&x->srv->proxies, xff, ip, sizeof ip))
			r->client_ip = arena_strdup(&x->arena, ip);
	}
	const char *xfp = header_joined(r, hdrs, "X-Forwarded-Proto");
	if (xfp) {
		const char *last = strrchr(xfp, ',');
		last = last ? last + 1 : xfp;
		last += strspn(last, " \t");
		size_t n = strcspn(last, " \t");
		r->https = n == 5 && strncasecmp(last, "https", 5) == 0;
	}
}

static bool has_body(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
	return te || (cl && strcmp(cl, "0") != 0);
}

static bool is_type(const char *ct, const char *want)
{
	size_t n = strlen(want);
	if (!ct || strncasecmp(ct, want, n) != 0)
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t';
}

static bool is_form_type(const char *ct)
{
	return is_type(ct, "application/x-www-form-urlencoded");
}

static bool is_multipart_type(const char *ct)
{
	return is_type(ct, "multipart/form-data");
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The post processor's iterator: append a chunk to the current part, or
 * start a new one (off 0 with a new name, or after the current one got
 * bytes). Returning MHD_NO stops it; x->early says why. */
static enum MHD_Result mp_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	struct rctx *x = cls;
	if (!key)
		key = "";
	struct part *cur = x->nparts ? &x->parts[x->nparts - 1] : NULL;
	bool same = cur && strcmp(cur->key, key) == 0 &&
		    (cur->filename ? filename && strcmp(cur->filename, filename) == 0 : !filename);
	if (!cur || (off == 0 && (cur->data.len > 0 || !same))) {
		if (x->nparts >= MAX_FORM_PAIRS) {
			x->early = 400;
			return MHD_NO;
		}
		if (x->nparts == x->capparts) {
			size_t cap = x->capparts ? 2 * x->capparts : 16;
			struct part *np = realloc(x->parts, cap * sizeof *np);
			if (!np) {
				x->early = 500;
				return MHD_NO;
			}
			x->parts = np;
			x->capparts = cap;
		}
		cur = &x->parts[x->nparts++];
		memset(cur, 0, sizeof *cur);
		buf_init(&cur->data);
		cur->key = strdup(key);
		cur->filename = dup_or_null(filename);
		cur->ctype = strdup(content_type ? content_type : "");
		if (!cur->key || !cur->ctype || (filename && !cur->filename)) {
			x->early = 500;
			return MHD_NO;
		}
	}
	if (!cur->filename) {
		x->mp_fields += size;
		if (x->mp_fields > x->srv->max_body) {
			x->early = 413;
			return MHD_NO;
		}
	}
	if (size && buf_append(&cur->data, data, size) != ERR_OK) {
		x->early = 500;
		return MHD_NO;
	}
	return MHD_YES;
}

/* Finish a multipart body: its fields into r->form, its files into
 * r->uploads. Returns 0 or the status to answer. */
static int mp_finish(struct rctx *x)
{
	struct req *r = &x->req;
	bool complete = x->pp && MHD_destroy_post_processor(x->pp) == MHD_YES;
	x->pp = NULL;
	if (!complete)
		return 400; /* truncated or malformed */
	size_t nf = 0, nu = 0;
	for (size_t i = 0; i < x->nparts; i++) {
		if (x->parts[i].filename)
			nu++;
		else
			nf++;
	}
	r->form = ARENA_ARRAY(&x->arena, struct http_param, nf + 1);
	r->uploads = ARENA_ARRAY(&x->arena, struct http_upload, nu + 1);
	if (!r->form || !r->uploads)
		return 500;
	for (size_t i = 0; i < x->nparts; i++) {
		struct part *p = &x->parts[i];
		if (!str_utf8_valid(p->key, strlen(p->key)))
			return 400;
		if (p->filename) {
			struct http_upload *u = &r->uploads[r->nuploads++];
			u->field = arena_strdup(&x->arena, p->key);
			u->filename = arena_strdup(&x->arena, p->filename);
			u->content_type = arena_strdup(&x->arena, p->ctype);
			u->data = (const unsigned char *)(p->data.data ? p->data.data : "");
			u->len = p->data.len;
			if (!u->field || !u->filename || !u->content_type)
				return 500;
			continue;
		}
		const char *v = p->data.data ? p->data.data : "";
		size_t n = p->data.len;
		if (memchr(v, '\0', n) || !str_utf8_valid(v, n))
			return 400;
		struct http_param *f = &r->form[r->nform++];
		f->key = arena_strdup(&x->arena, p->key);
		f->val = arena_strndup(&x->arena, v, n);
		if (!f->key || !f->val)
			return 500;
	}
	return 0;
}

/* The first access-handler call: the head is complete. Sets x->early for
 * requests answered without routing. */
static void on_head(struct rctx *x, struct MHD_Connection *c, const char *method,
		    const char *version)
{
	struct server *s = x->srv;
	struct req *r = &x->req;
	r->arena = &x->arena;
	r->app = s->app;
	r->page = 1;
	r->now = clock_now();
	r->client_ip = x->conn ? x->conn->peer : "-";
	x->method = arena_strdup(&x->arena, method ? method : "-");
	x->head = method && strcmp(method, "HEAD") == 0;
	if (!r->target || !x->method) {
		x->early = 500;
		return;
	}

	/* Headers, copied into the arena (a plain table for req.c). */
	int nh = MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL);
	struct hdr_fill f = {&x->arena, NULL, 0, nh > 0 ? (size_t)nh : 0, 0, false};
	f.v = ARENA_ARRAY(&x->arena, struct http_param, f.cap + 1);
	if (!f.v) {
		x->early = 500;
		return;
	}
	if (f.cap)
		MHD_get_connection_values(c, MHD_HEADER_KIND, hdr_iter, &f);
	if (f.failed) {
		x->early = 431; /* only the arena cap can fail here */
		return;
	}
	f.v[f.n].key = NULL;
	r->impl = f.v;

	size_t tlen = strlen(r->target);
	if (tlen > s->max_url) {
		x->early = 414;
		return;
	}
	size_t head = strlen(x->method) + tlen + strlen(version ? version : "") + 4 + f.bytes;
	if (head > s->max_header) {
		x->early = 431;
		return;
	}
	if (head_ambiguous(&f)) {
		x->early = 400;
		x->must_close = true; /* whatever MHD makes of the body, drop it */
		return;
	}
	int st = http_parse_target(&x->arena, r->target, &r->path, &r->query, &r->nquery);
	if (st) {
		x->early = st;
		return;
	}

	int nhost = 0;
	const char *host = NULL;
	for (const struct http_param *h = f.v; h->key; h++)
		if (strcasecmp(h->key, "Host") == 0) {
			nhost++;
			host = h->val;
		}
	bool http11 = version && strcmp(version, "HTTP/1.0") != 0;
	if (nhost > 1 || (nhost == 0 && http11) || (host && !http_host_valid(host))) {
		x->early = 400;
		return;
	}
	r->host = host;
	if (x->conn && x->conn->trusted)
		apply_proxy_headers(x, f.v);

	if (strcmp(x->method, "GET") == 0) {
		r->method = HTTP_GET;
	} else if (x->head) {
		r->method = HTTP_HEAD;
	} else if (strcmp(x->method, "POST") == 0) {
		r->method = HTTP_POST;
	} else {
		/* Allow: what this path accepts, else the methods we know. */
		const struct route *rt;
		const char *allow = NULL, *loc;
		r->method = HTTP_METHOD__MAX;
		if (router_match(s->app->routes, s->app->nroutes, r, &rt, &allow, &loc) !=
		    ROUTE_BADMETHOD)
			allow = "GET, HEAD, POST";
		r->method = HTTP_GET;
		x->allow = allow;
		x->early = 405;
		return;
	}
	if (!has_body(c))
		return;
	/* Refuse a body over max_body (max_upload for multipart) before
	 * reading it. */
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	bool multi = r->method == HTTP_POST && is_multipart_type(ct);
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	int64_t len;
	if (cl && str_to_i64(cl, 0, INT64_MAX, &len) &&
	    (uint64_t)len > (multi ? s->max_upload : s->max_body)) {
		x->early = 413;
		return;
	}
	if (r->method == HTTP_POST) {
		if (multi) {
			x->pp = MHD_create_post_processor(c, MP_BUFFER, mp_part, x);
			if (!x->pp) { /* no boundary, or one too long */
				x->early = 400;
				return;
			}
			x->multipart = true;
			return;
		}
		if (!is_form_type(ct)) {
			x->early = 415;
			return;
		}
		x->form_body = true;
	}
}

/* ---- responses -------------------------------------------------------- */

static void resp_init(struct resp *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->status = 200;
	buf_init(&rs->body);
}

static void resp_clear(struct resp *rs)
{
	bool keep_deps = rs->keep_deps;
	buf_free(&rs->body);
	resp_init(rs);
	rs->keep_deps = keep_deps;
}

static void plain_page(struct resp *rs, int status)
{
	const char *why = http_reason(status);
	buf_reset(&rs->body);
	rs->body.oom = false;
	buf_printf(&rs->body,
		   "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<title>%d %s</title></head>\n<body><h1>%d %s</h1></body></html>\n",
		   status, why, status, why);
	rs->status = status;
	rs->content_type = NULL;
}

/* A routed error: the app's themed page, or ours. */
static void error_response(struct rctx *x, struct resp *rs, int status)
{
	resp_clear(rs);
	rs->status = status;
	const struct app *app = x->srv->app;
	if (app->error_page)
		app->error_page(&x->req, rs, status);
	if (rs->body.oom || rs->body.len == 0)
		plain_page(rs, status);
	rs->status = status;
	rs->etag = NULL;
	rs->last_modified = 0;
}

static void route_inner(struct rctx *x, struct resp *rs);

static void route(struct rctx *x, struct resp *rs)
{
	const struct app *app = x->srv->app;
	if (app->request_begin)
		app->request_begin(app, &x->req);
	route_inner(x, rs);
	if (app->request_end)
		app->request_end(app, &x->req);
}

static void route_inner(struct rctx *x, struct resp *rs)
{
	const struct app *app = x->srv->app;
	struct req *r = &x->req;
	const struct route *rt = NULL;
	const char *allow = NULL, *loc = NULL;
	switch (router_match(app->routes, app->nroutes, r, &rt, &allow, &loc)) {
	case ROUTE_MATCH: {
		enum err e = rt->handler ? rt->handler(r, rs) : ERR_NOTFOUND;
		if (e == ERR_OK && rs->body.oom)
			e = ERR_NOMEM;
		if (e == ERR_OK && x->arena.failed) {
			log_warn("request arena cap (%zu bytes) reached: %s", x->arena.cap, r->path);
			e = ERR_NOMEM;
		}
		if (e != ERR_OK)
			error_response(x, rs, http_status_for(e));
		break;
	}
	case ROUTE_NOMATCH: error_response(x, rs, 404); break;
	case ROUTE_BADMETHOD:
		error_response(x, rs, 405);
		resp_header(rs, "Allow", allow);
		break;
	case ROUTE_REDIRECT:
		resp_redirect(rs, 301, loc);
		buf_reset(&rs->body);
		break;
	}
}

static enum MHD_Result send_resp(struct rctx *x, struct MHD_Connection *c, struct resp *rs)
{
	struct req *r = &x->req;
	struct arena *a = &x->arena;
	int status = rs->status ? rs->status : 200;
	if (status < 100 || status > 999)
		status = 500;
	const char *ctype = rs->content_type ? rs->content_type : "text/html; charset=utf-8";
	bool html = strncasecmp(ctype, "text/html", 9) == 0;
	bool readm = !x->early && (r->method == HTTP_GET || r->method == HTTP_HEAD);

	const char *etag = NULL;
	/* a page stored in the cache is answered in the coding the client
	 * takes, compressed once for both (cache_store) */
	enum encoding enc = ENC_IDENTITY;
	struct buf z = BUF_INIT;
	if (status == 200 && readm) {
		etag = rs->etag ? etag_value(a, rs->etag) : weak_etag(a, &rs->body);
		if (not_modified(r, etag, rs->last_modified))
			status = 304;
		if (x->cache && rs->cacheable && etag) {
			if (status == 200)
				enc = compress_negotiate(req_header(r, "Accept-Encoding"), true, true);
			srv_cache_store(x, rs, etag, enc, &z);
			if (!z.len)
				enc = ENC_IDENTITY;
		} else {
			x->cache = NULL;
		}
	} else if (rs->etag && status < 300) {
		etag = etag_value(a, rs->etag);
	}
	bool nobody = status == 304 || status == 204 || (status >= 100 && status < 200);

	struct MHD_Response *mr;
	size_t len = 0;
	if (enc != ENC_IDENTITY) {
		buf_free(&rs->body);
		char *data = buf_detach(&z, &len);
		mr = data ? MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE)
			  : NULL;
		if (!mr)
			free(data);
		else
			srv_put_header(mr, "Content-Encoding", compress_name(enc));
	} else if (!nobody && rs->body.len) {
		char *data = buf_detach(&rs->body, &len);
		mr = data ? MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE)
			  : NULL;
		if (!mr)
			free(data);
	} else {
		buf_free(&rs->body);
		mr = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!mr)
		return MHD_NO;
	if (status != 304 && !nobody && !srv_has_header(rs, "Content-Type"))
		srv_add_header(mr, "Content-Type", ctype);
	if (etag)
		srv_add_header(mr, "ETag", etag);
	if (rs->last_modified > 0 && status < 400) {
		const char *lm = time_http(a, rs->last_modified);
		if (lm)
			srv_put_header(mr, "Last-Modified", lm);
	}
	srv_common_headers(mr, rs, html);
	if (x->cache) {
		srv_put_header(mr, "X-Cache", "MISS");
		srv_put_header(mr, "Vary", "Accept-Encoding");
	}

	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, mr);
	MHD_destroy_response(mr);
	x->phase = 2;
	x->status = status;
	x->bytes = (x->head || nobody) ? 0 : len;
	return ret;
}

/* Answer x->early (or route) and queue the response. */
static enum MHD_Result respond(struct rctx *x, struct MHD_Connection *c)
{
	struct req *r = &x->req;
	struct resp rs;
	resp_init(&rs);
	if (!x->early && x->multipart) {
		int st = mp_finish(x);
		if (st)
			x->early = st;
	}
	if (!x->early && x->form_body) {
		int st = http_parse_pairs(&x->arena, x->body.data ? x->body.data : "", x->body.len,
				     MAX_FORM_PAIRS, &r->form, &r->nform);
		if (st)
			x->early = st;
	}
	buf_free(&x->body);
	if (x->early) {
		/* The request was refused before routing: the error page still
		 * gets a usable req (no params, path "/" if it did not parse). */
		if (!r->path)
			r->path = "/";
		error_response(x, &rs, x->early);
		if (x->early == 405 && x->allow)
			resp_header(&rs, "Allow", x->allow);
	} else {
		if (srv_cacheable_request(x) && (x->ckey = srv_cache_key(x))) {
			enum MHD_Result ret;
			if (srv_serve_cached(x, c, &ret))
				return ret;
			x->epoch = cache_epoch(x->srv->app->cache);
			x->cache = "miss";
			rs.keep_deps = true;
		}
		route(x, &rs);
	}
	if (rs.status && rs.status != 200)
		x->cache = NULL;
	enum MHD_Result ret = send_resp(x, c, &rs);
	buf_free(&rs.body);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct server *s = cls;
	(void)url; /* we parse our own copy of the raw target */
	struct rctx *x = *con_cls;
	if (!x)
		return MHD_NO; /* out of memory in on_uri */
	if (x->phase == 0) {
		x->phase = 1;
		x->active = true;
		atomic_fetch_add(&s->active, 1);
		on_head(x, c, method, version);
		if (atomic_load(&s->draining) && !x->early)
			x->early = 503;
		/* An early error with a body still unread (or a head whose body
		 * framing is ambiguous): answer now and let MHD close the
		 * connection instead of reading the body. */
		if (x->early && (has_body(c) || x->must_close))
			return respond(x, c);
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (x->phase == 2)
			return MHD_YES;
		if (!x->early && x->multipart) {
			x->mp_bytes += n;
			if (x->mp_bytes > s->max_upload)
				x->early = 413;
			else if (MHD_post_process(x->pp, upload_data, n) != MHD_YES && !x->early)
				x->early = 400;
			if (!x->early)
				return MHD_YES;
			parts_free(x);
		}
		if (!x->early && x->form_body) {
			if (x->body.len + n > s->max_body) {
				x->early = 413;
				buf_free(&x->body);
			} else if (buf_append(&x->body, upload_data, n) != ERR_OK) {
				x->early = 500;
				buf_free(&x->body);
			}
			if (!x->early)
				return MHD_YES;
		}
		x->discarded += n;
		return x->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	if (x->phase == 2)
		return MHD_YES;
	return respond(x, c);
}

/* ---- start and stop --------------------------------------------------- */

/* The last MHD message on this thread: why MHD_start_daemon failed. */
static _Thread_local char mhd_last[256];

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == '.'))
		msg[--n] = '\0';
	str_copy(mhd_last, msg, sizeof mhd_last);
	log_info("mhd: %s", msg);
}

/* "ADDR:PORT", "[v6]:PORT", ":PORT" -> a socket address. */
static bool parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen,
			 char *errmsg, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	if (!colon) {
		snprintf(errmsg, errlen, "listen: expected ADDR:PORT, got '%s'", listen);
		return false;
	}
	int64_t port;
	if (!str_to_i64(colon + 1, 0, 65535, &port)) {
		snprintf(errmsg, errlen, "listen: bad port in '%s'", listen);
		return false;
	}
	size_t hl = (size_t)(colon - listen);
	const char *h = listen;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl >= sizeof host) {
		snprintf(errmsg, errlen, "listen: address too long");
		return false;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	bool any = hl == 0 || strcmp(host, "*") == 0;
	int rc = getaddrinfo(any ? "0.0.0.0" : host, NULL, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(errmsg, errlen, "listen: cannot resolve '%s': %s", host,
			 gai_strerror(rc));
		if (res)
			freeaddrinfo(res);
		return false;
	}
	memset(ss, 0, sizeof *ss);
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)(void *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = htons((uint16_t)port);
	return true;
}

static void server_free(struct server *s)
{
	struct conn *k = s->conns, *next;
	for (; k; k = next) { /* none should be left once MHD has stopped */
		next = k->next;
		free(k);
	}
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

enum err server_start(struct server **out, const struct app *app, char *bound, size_t boundlen,
		      char *errmsg, size_t errlen)
{
	*out = NULL;
	if (errlen)
		errmsg[0] = '\0';
	const struct config *cfg = app->config;
	struct server *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(errmsg, errlen, "out of memory");
		return ERR_NOMEM;
	}
	s->app = app;
	s->max_body = cfg->max_body;
	s->max_upload = cfg->max_upload;
	s->max_header = cfg->max_header ? cfg->max_header : 16384;
	s->max_url = cfg->max_url ? cfg->max_url : 4096;
	s->arena_cap = ARENA_BASE_CAP + 2 * s->max_body;
	s->deadline_ms = (int64_t)cfg->request_deadline_s * 1000;
	s->access_log = cfg->access_log != 0;
	atomic_init(&s->active, 0);
	atomic_init(&s->draining, false);
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);

	struct sockaddr_storage ss;
	socklen_t sslen;
	if (!ipnet_list_parse(&s->proxies, cfg->trusted_proxies, errmsg, errlen) ||
	    !parse_listen(cfg->listen, &ss, &sslen, errmsg, errlen)) {
		server_free(s);
		return ERR_INVALID;
	}

	unsigned threads = cfg->threads;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	if (threads > 256)
		threads = 256;
	unsigned max_conn = cfg->max_connections ? cfg->max_connections : 1000;
	if (max_conn < threads)
		max_conn = threads;
	size_t pool = s->max_header + s->max_url + POOL_SLACK;

	/* MHD warns about a pool of one thread: leave the option out then. */
	struct MHD_OptionItem pool_opt[] = {
		{threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t)threads, NULL},
		{MHD_OPTION_END, 0, NULL},
	};
	uint16_t want_port = ntohs(ss.ss_family == AF_INET
					   ? ((struct sockaddr_in *)(void *)&ss)->sin_port
					   : ((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	mhd_last[0] = '\0';
	/* access lines go out in batches, at least every LOG_FLUSH_MS */
	if (s->access_log && !log_buffer_start(LOG_FLUSH_MS))
		log_warn("access log: no flusher thread, writing each line at once");
	s->d = MHD_start_daemon(
		flags, want_port, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_ARRAY, pool_opt,
		MHD_OPTION_CONNECTION_LIMIT, max_conn,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, (void *)s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, (void *)s,
		MHD_OPTION_END);
	(void)sslen;
	if (!s->d) {
		if (s->access_log)
			log_buffer_stop();
		snprintf(errmsg, errlen, "cannot listen on %s: %s", cfg->listen,
			 mhd_last[0] ? mhd_last : "libmicrohttpd failed to start");
		server_free(s);
		return ERR_IO;
	}

	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = di ? di->port : 0;
	char addr[INET6_ADDRSTRLEN] = "?";
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)&ss)->sin_addr, addr,
			  sizeof addr);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr, addr,
			  sizeof addr);
	if (bound && boundlen)
		snprintf(bound, boundlen, ss.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr,
			 port);

	if (s->deadline_ms > 0) {
		if (pthread_create(&s->wd, NULL, watchdog, s) != 0) {
			snprintf(errmsg, errlen, "cannot start the deadline watchdog thread");
			MHD_stop_daemon(s->d);
			if (s->access_log)
				log_buffer_stop();
			server_free(s);
			return ERR_NOMEM;
		}
		s->wd_running = true;
	}
	*out = s;
	return ERR_OK;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	/* Give requests being answered a moment to finish; new ones get a
	 * 503 meanwhile (heads still arriving and idle keep-alive connections
	 * are dropped at the end). Not MHD_quiesce_daemon: with a worker pool
	 * on epoll it races the workers removing the listening socket
	 * themselves and aborts the process (libmicrohttpd 0.9.75). */
	atomic_store(&s->draining, true);
	int64_t end = clock_mono_ms() + STOP_GRACE_MS;
	while (atomic_load(&s->active) > 0 && clock_mono_ms() < end) {
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (s->wd_running) {
		pthread_mutex_lock(&s->mu);
		s->stopping = true;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->wd, NULL);
	}
	MHD_stop_daemon(s->d);
	if (s->access_log)
		log_buffer_stop(); /* every request has completed: write the last lines */
	server_free(s);
}
