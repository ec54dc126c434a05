/* app.h - the process-lifetime state every handler can read.
 *
 * Built by cmd/serve.c before the server starts and read-only while it
 * serves (the store and template set are themselves thread-safe for
 * concurrent readers). Nothing here is freed until shutdown. */
#ifndef GAZETTE_HTTP_APP_H
#define GAZETTE_HTTP_APP_H

#include <stddef.h>

#include "core/config.h"
#include "http/http.h"
#include "http/router.h"

struct cache;
struct store;
struct tmpl_set;
struct theme;

struct app {
	const struct config *config;
	struct store *store;
	const struct theme *theme;      /* templates + assets (site/theme.h) */
	const struct theme *admin_theme;/* the back office's (admin/) */
	struct cache *cache;            /* page cache, or NULL when off */
	const unsigned char *secret;    /* the site's signing key (auth/secret.h) */
	/* The site's base_url when set (else NULL): the origin of cache keys,
	 * kept current by serve's change follower. */
	_Atomic(const char *) *cache_origin;
	/* The newest change-log row this server has acted on (the one field
	 * that changes while serving; written by serve's watcher thread). */
	_Atomic long long *followed_change;
	const struct route *routes;
	size_t nroutes;
	/* Called around routing a request (handler and error page), on the
	 * worker's thread; may be NULL. serve uses them to give a GET one read
	 * snapshot of the store. */
	void (*request_begin)(const struct app *app, const struct req *r);
	void (*request_end)(const struct app *app, const struct req *r);
	/* Fill rs with the themed page for an error status (404, 500, ...). Must
	 * not fail; falls back to plain text itself. */
	void (*error_page)(struct req *r, struct resp *rs, int status);
};

#endif
