/* home.c - the home page: latest articles, sticky first, paginated. */
#include "site/site.h"

enum err site_home(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	if (r->page == 1 && site_wordpress_query(r, rs, &ctx, &rc))
		return rc;
	struct arena *a = r->arena;
	struct tval *root = view_page(&ctx, "/");
	struct post_query q = {0};
	q.sticky_first = true;
	resp_depend(r, rs, "list:home");
	if ((rc = site_listing(r, rs, &ctx, root, &q, "/", NULL)) != ERR_OK)
		return rc;
	const char *path = r->page > 1 ? arena_printf(a, "/page/%lld/", (long long)r->page) : "/";
	tval_set_str(a, root, "canonical", view_abs(&ctx, path));
	if (r->page == 1)
		view_add_jsonld(&ctx, root, view_website_jsonld(&ctx));
	if (!*ctx.site.description && *ctx.site.tagline)
		tval_set_str(a, root, "meta_description", ctx.site.tagline);
	if (r->page > 1)
		tval_set_str(a, root, "page_title",
			     arena_printf(a, "%s \xE2\x80\x93 Page %lld", ctx.site.title,
					  (long long)r->page));
	else if (*ctx.site.tagline)
		tval_set_str(a, root, "page_title",
			     arena_printf(a, "%s \xE2\x80\x93 %s", ctx.site.title, ctx.site.tagline));
	return site_render(r, rs, &ctx, "home", root);
}
