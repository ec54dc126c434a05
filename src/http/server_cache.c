/* server_cache.c - the server's side of the page cache (http/cache.h):
 * which requests may use it and under what key, answering a hit, and
 * storing a fresh 200 with the coding its client takes.
 *
 * A cached entry holds one ready libmicrohttpd response per encoding, with
 * all its headers; a hit queues it as it is (MHD counts references, so one
 * response serves any number of connections at once). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"
#include "core/time.h"
#include "http/cache.h"
#include "http/conditional.h"
#include "http/server.h"
#include "http/server_int.h"

void server_free_native(void *native)
{
	MHD_destroy_response(native);
}

/* May this request be answered from, or stored in, the cache? Same bytes
 * for every visitor: GET/HEAD without a session. */
bool srv_cacheable_request(const struct rctx *x)
{
	const struct req *r = &x->req;
	return x->srv->app->cache && !x->early &&
	       (r->method == HTTP_GET || r->method == HTTP_HEAD) &&
	       !req_cookie(r, "gazette_session");
}

/* The query parameters any cached page reads, in key order. A request
 * with any other parameter bypasses the cache: otherwise "?x=1", "?x=2"...
 * would each fill an entry. */
static const char *const cache_params[] = {"author", "category", "from", "page", "per_page",
					   "q", "tag", "to", NULL};

/* The cache key: the origin absolute URLs are built from (base_url when
 * set, else scheme and Host, so one Host never gets another's page), the
 * decoded path, and the known parameters with their first values - the
 * values handlers read. NULL: do not cache this request. */
const char *srv_cache_key(struct rctx *x)
{
	struct req *r = &x->req;
	struct arena *a = &x->arena;
	for (size_t i = 0; i < r->nquery; i++) {
		bool known = false;
		for (size_t k = 0; cache_params[k] && !known; k++)
			known = strcmp(r->query[i].key, cache_params[k]) == 0;
		if (!known)
			return NULL;
	}
	const struct app *app = x->srv->app;
	const char *origin = app->cache_origin ? atomic_load(app->cache_origin) : NULL;
	const char *key = ARENA_CAT(a, origin ? origin : req_origin(r), r->path);
	char sep = '?';
	for (size_t k = 0; r->nquery && cache_params[k] && key; k++) {
		const char *v = req_query(r, cache_params[k]);
		if (!v)
			continue;
		const char *ev = str_url_encode(a, v);
		key = ev ? arena_printf(a, "%s%c%s=%s", key, sep, cache_params[k], ev) : NULL;
		sep = '&';
	}
	return key;
}

static enum MHD_Result copy_header(void *cls, enum MHD_ValueKind kind, const char *name,
				   const char *value)
{
	(void)kind;
	srv_put_header(cls, name, value);
	return MHD_YES;
}

/* The n bytes at in, compressed in coding enc into out, as a ready
 * response with identity's headers plus Content-Encoding; NULL when it
 * could not be made or would not be smaller (out then holds nothing). */
static struct MHD_Response *coded_response(struct MHD_Response *identity, enum encoding enc,
					   const char *in, size_t n, struct buf *out)
{
	enum err rc = enc == ENC_GZIP ? compress_gzip(in, n, out, -1)
				      : compress_brotli(in, n, out, -1);
	struct MHD_Response *mr = NULL;
	if (rc == ERR_OK && out->len < n) /* (a copy of exactly len: out has slack) */
		mr = MHD_create_response_from_buffer(out->len, out->data, MHD_RESPMEM_MUST_COPY);
	if (!mr) {
		buf_free(out);
		return NULL;
	}
	MHD_get_response_headers(identity, copy_header, mr);
	srv_put_header(mr, "Content-Encoding", compress_name(enc));
	return mr;
}

/* Make e's body in coding enc from its identity body and attach it. False
 * when it could not be made or would not be smaller. */
static bool make_coding(struct cache *cache, struct cache_entry *e, enum encoding enc)
{
	if (!e->plain)
		return false;
	struct buf out = BUF_INIT;
	struct MHD_Response *mr =
		coded_response(e->native[ENC_IDENTITY], enc, e->plain, e->len[ENC_IDENTITY], &out);
	size_t len = out.len;
	buf_free(&out);
	if (!mr)
		return false;
	if (!cache_attach(cache, e, enc, mr, len))
		MHD_destroy_response(mr); /* another request attached one first */
	return true;
}

/* The coding to answer from e with: the client's choice among those e has
 * or can have, a compressed one made on its first use (cache.h). Each
 * turn of the loop returns or rules one coding out. */
static enum encoding cached_coding(struct cache *cache, struct cache_entry *e, const char *accept)
{
	for (;;) {
		unsigned unwanted = atomic_load(&e->unwanted);
		enum encoding enc = compress_negotiate(accept, !(unwanted & 1u << ENC_GZIP),
						       !(unwanted & 1u << ENC_BR));
		if (enc == ENC_IDENTITY || atomic_load(&e->native[enc]))
			return enc;
		if (!make_coding(cache, e, enc))
			atomic_fetch_or(&e->unwanted, 1u << enc);
	}
}

bool srv_serve_cached(struct rctx *x, struct MHD_Connection *c, enum MHD_Result *ret)
{
	struct cache *cache = x->srv->app->cache;
	struct req *r = &x->req;
	struct cache_entry *e = cache_get(cache, x->ckey);
	if (!e)
		return false;
	if (not_modified(r, e->etag, e->last_modified)) {
		struct MHD_Response *mr =
			MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (mr) {
			srv_put_header(mr, "ETag", e->etag);
			srv_put_header(mr, "Cache-Control", "no-cache");
			srv_put_header(mr, "Vary", "Accept-Encoding");
			srv_put_header(mr, "X-Cache", "HIT");
			/* the stored 200's security headers, as a fresh 304 has */
			srv_security_headers_from(mr, e->native[ENC_IDENTITY]);
			*ret = MHD_queue_response(c, 304, mr);
			MHD_destroy_response(mr);
		} else {
			*ret = MHD_NO;
		}
		x->status = 304;
		x->bytes = 0;
	} else {
		enum encoding enc = cached_coding(cache, e, req_header(r, "Accept-Encoding"));
		*ret = MHD_queue_response(c, 200, e->native[enc]);
		x->status = 200;
		x->bytes = x->head ? 0 : e->len[enc];
	}
	x->phase = 2;
	x->cache = "hit";
	cache_release(cache, e);
	return true;
}

/* Build a cache entry from a fresh 200 and store it, with its identity
 * body and, when this request takes one (enc), that coding, compressed
 * into *z for this request's own answer (z stays empty otherwise); the
 * other coding comes on demand (cached_coding). rs is left intact. */
void srv_cache_store(struct rctx *x, const struct resp *rs, const char *etag,
			enum encoding enc, struct buf *z)
{
	struct cache_entry *e = cache_entry_new(x->ckey);
	if (!e)
		return;
	/* the identity response owns its copy of the bytes and frees it when
	 * the last connection sending it is done (an entry purged meanwhile
	 * only drops its reference); the entry reads it as e->plain */
	size_t n = rs->body.len;
	char *page = malloc(n ? n : 1);
	if (page && n)
		memcpy(page, rs->body.data, n);
	e->len[ENC_IDENTITY] = n;
	const char *ctype = rs->content_type ? rs->content_type : "text/html; charset=utf-8";
	bool html = strncasecmp(ctype, "text/html", 9) == 0;
	char lm[40] = "";
	if (rs->last_modified > 0) {
		struct arena a;
		arena_init(&a, 4096);
		const char *t = time_http(&a, rs->last_modified);
		str_copy(lm, t ? t : "", sizeof lm);
		arena_free(&a);
	}
	bool ok = page != NULL;
	e->etag = strdup(etag);
	e->last_modified = rs->last_modified;
	e->expires = cache_deadline(rs->cache_ttl);
	e->deps = malloc((rs->ndeps ? rs->ndeps : 1) * sizeof *e->deps);
	ok = ok && e->etag && e->deps;
	if (ok && rs->ndeps) {
		memcpy(e->deps, rs->deps, rs->ndeps * sizeof *e->deps);
		e->ndeps = rs->ndeps;
	}
	struct MHD_Response *mr =
		ok ? MHD_create_response_from_buffer_with_free_callback(n, page, free) : NULL;
	if (!mr) {
		free(page);
		free(e->etag);
		free(e->deps);
		e->etag = NULL;
		e->deps = NULL;
		e->ndeps = 0;
		cache_insert(x->srv->app->cache, e, UINT64_MAX); /* refused: frees e */
		return;
	}
	e->plain = page;
	srv_add_header(mr, "Content-Type", ctype);
	srv_add_header(mr, "ETag", etag);
	if (*lm)
		srv_put_header(mr, "Last-Modified", lm);
	srv_put_header(mr, "Vary", "Accept-Encoding");
	srv_put_header(mr, "X-Cache", "HIT");
	srv_common_headers(mr, rs, html);
	e->native[ENC_IDENTITY] = mr;
	if (enc != ENC_IDENTITY) {
		struct MHD_Response *zr = coded_response(mr, enc, page, n, z);
		if (zr) {
			e->len[enc] = z->len;
			e->native[enc] = zr;
		} else {
			e->unwanted = 1u << enc;
		}
	}
	cache_insert(x->srv->app->cache, e, x->epoch);
}
