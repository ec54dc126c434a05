/* wordpress.c - the home page's old WordPress query addresses, for sites
 * imported from WordPress (src/import/): ?p=ID and ?page_id=ID (the
 * post's URL), ?cat=ID (the category archive), ?tag=SLUG (the tag
 * archive) and ?feed=rss2|atom|comments-rss2 (the feeds) answer 301; an
 * id the import did not bring in, or a post that is not public, is 404.
 * These requests have query parameters pages do not read, so the page
 * cache never keeps them.
 *
 * /wp-content/uploads/PATH of a file the import brought into the media
 * library answers 301 with its /media/ URL; anything else there is 404. */
#include <string.h>

#include "content/post.h"
#include "core/str.h"
#include "http/app.h"
#include "import/import.h"
#include "site/site.h"

enum err site_wp_upload(struct req *r, struct resp *rs)
{
	const char *url = import_upload_url(r->app->store, r->arena, r->params[0]);
	if (!url)
		return r->arena->failed ? ERR_NOMEM : ERR_NOTFOUND;
	resp_redirect(rs, 301, url);
	return ERR_OK;
}

static bool id_param(const char *v)
{
	int64_t n;
	return v && str_to_i64(v, 1, INT64_MAX, &n);
}

bool site_wordpress_query(struct req *r, struct resp *rs, struct view_ctx *ctx, enum err *rc)
{
	struct arena *a = r->arena;
	const char *p = req_query(r, "p"), *page = req_query(r, "page_id");
	const char *cat = req_query(r, "cat"), *tag = req_query(r, "tag");
	const char *feed = req_query(r, "feed");
	if (!p && !page && !cat && !tag && !feed)
		return false;
	*rc = ERR_NOTFOUND;
	int64_t id = 0;
	if (p || page) {
		const char *v = p ? p : page;
		struct post post;
		if (!id_param(v) || STORE_CALL(ctx->st, import_map_find, "post", v, &id) != ERR_OK ||
		    STORE_CALL(ctx->st, post_get, a, id, &post) != ERR_OK ||
		    !post_is_public(&post, ctx->now))
			return true;
		const char *url = view_post_url(ctx, &post);
		if (!url) {
			*rc = ERR_NOMEM;
			return true;
		}
		resp_redirect(rs, 301, url);
	} else if (cat) {
		struct category c;
		if (!id_param(cat) ||
		    STORE_CALL(ctx->st, import_map_find, "category_id", cat, &id) != ERR_OK ||
		    STORE_CALL(ctx->st, category_get, a, id, &c) != ERR_OK)
			return true;
		resp_redirect(rs, 301, arena_printf(a, "/category/%s/", c.path));
	} else if (tag) {
		struct tag t;
		if (!str_slug_valid(tag) ||
		    STORE_CALL(ctx->st, tag_by_slug, a, tag, &t) != ERR_OK)
			return true;
		resp_redirect(rs, 301, arena_printf(a, "/tag/%s/", t.slug));
	} else {
		const char *to = strcmp(feed, "atom") == 0            ? "/feed/atom/"
				 : strcmp(feed, "comments-rss2") == 0   ? "/comments/feed/"
				 : strcmp(feed, "comments-atom") == 0   ? "/comments/feed/atom/"
				 : strcmp(feed, "rss2") == 0 || strcmp(feed, "rss") == 0 ||
					   strcmp(feed, "rdf") == 0
					 ? "/feed/"
					 : NULL;
		if (!to)
			return true;
		resp_redirect(rs, 301, to);
	}
	*rc = ERR_OK;
	return true;
}
