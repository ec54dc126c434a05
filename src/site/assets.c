/* assets.c - theme assets at fingerprinted URLs, and /healthz. */
#include "http/app.h"
#include "site/site.h"
#include "site/theme.h"

enum err site_asset(struct req *r, struct resp *rs)
{
	const struct theme_asset *as = theme_asset_by_file(r->app->theme, r->params[0]);
	if (!as)
		return ERR_NOTFOUND;
	if (buf_append(&rs->body, as->data, as->len) != ERR_OK)
		return ERR_NOMEM;
	rs->content_type = as->ctype;
	rs->etag = as->etag;
	/* The URL changes whenever the content does. */
	rs->cache_control = "public, max-age=31536000, immutable";
	return ERR_OK;
}

enum err site_health(struct req *r, struct resp *rs)
{
	int v;
	if (STORE_CALL(r->app->store, schema_version, &v) != ERR_OK)
		return ERR_DB;
	buf_puts(&rs->body, "ok\n");
	rs->content_type = "text/plain; charset=utf-8";
	rs->cache_control = "no-store";
	return ERR_OK;
}
