/* assets.c - theme assets at fingerprinted URLs, and /healthz. */
#include <string.h>

#include "http/app.h"
#include "http/cache.h"
#include "site/site.h"
#include "site/theme.h"

enum err site_send_asset(const struct theme *t, const char *file, struct resp *rs)
{
	const struct theme_asset *as = theme_asset_by_file(t, file);
	if (!as)
		return ERR_NOTFOUND;
	if (buf_append(&rs->body, as->data, as->len) != ERR_OK)
		return ERR_NOMEM;
	rs->content_type = as->ctype;
	rs->etag = as->etag;
	/* The URL changes whenever the content does. */
	rs->cache_control = "public, max-age=31536000, immutable";
	rs->cacheable = true; /* fixed for the life of the process */
	return ERR_OK;
}

enum err site_asset(struct req *r, struct resp *rs)
{
	return site_send_asset(r->app->theme, r->params[0], rs);
}

enum err site_health(struct req *r, struct resp *rs)
{
	int v;
	if (STORE_CALL(r->app->store, schema_version, &v) != ERR_OK)
		return ERR_DB;
	buf_puts(&rs->body, "ok\n");
	/* For operators and tests, from this machine only: how far this server
	 * has followed the change log, and what its page cache holds. */
	const char *ip = r->client_ip ? r->client_ip : "";
	if (strncmp(ip, "127.", 4) != 0 && strcmp(ip, "::1") != 0)
		return ERR_OK;
	if (r->app->followed_change)
		buf_printf(&rs->body, "change-log %lld\n", (long long)*r->app->followed_change);
	if (r->app->cache) {
		struct cache_stats cs = cache_stats(r->app->cache);
		buf_printf(&rs->body,
			   "cache entries %zu bytes %zu max %zu hits %llu misses %llu purged %llu "
			   "evicted %llu refused %llu\n",
			   cs.entries, cs.bytes, cs.max_bytes, (unsigned long long)cs.hits,
			   (unsigned long long)cs.misses, (unsigned long long)cs.purged,
			   (unsigned long long)cs.evicted, (unsigned long long)cs.refused);
	}
	rs->content_type = "text/plain; charset=utf-8";
	rs->cache_control = "no-store";
	return ERR_OK;
}
