/* common.c - what every public page does: context, rendering, listings,
 * and the themed error page. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "http/app.h"
#include "render/mustache.h"
#include "site/site.h"
#include "site/theme.h"

enum err site_begin(struct req *r, struct view_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->a = r->arena;
	ctx->st = r->app->store;
	ctx->now = r->now;
	ctx->origin = req_origin(r);
	ctx->css_url = theme_asset_url(r->app->theme, "style.css");
	return view_load_site(ctx);
}

enum err site_old_url(struct req *r, struct resp *rs, struct store *st)
{
	struct redirect rd;
	enum err rc = STORE_CALL(st, redirect_get, r->arena, r->path, &rd);
	if (rc != ERR_OK)
		return rc;
	if (strcmp(rd.to_path, r->path) == 0)
		return ERR_NOTFOUND; /* never to itself */
	resp_redirect(rs, rd.status == 302 ? 302 : 301, rd.to_path);
	return ERR_OK;
}

enum err site_render(struct req *r, struct resp *rs, struct view_ctx *ctx, const char *tmpl,
		     struct tval *root)
{
	if (r->arena->failed)
		return ERR_NOMEM;
	/* The same page for every visitor: the server may cache it, purged by
	 * the names the handler recorded with resp_depend (site/purge.h). */
	rs->cacheable = true;
	/* Any write can change any page (menus, settings), so every page is as
	 * new as the newest change; handlers may only make it newer. */
	if (ctx->changed_at > rs->last_modified)
		rs->last_modified = ctx->changed_at;
	/* room for a typical page at once, not a dozen doublings (each a copy) */
	buf_reserve(&rs->body, 32 * 1024);
	enum err rc = tmpl_render(r->app->theme->tmpl, tmpl, root, &rs->body);
	if (rc != ERR_OK) {
		/* a theme bug (a missing or runaway template) is a server error */
		log_error("rendering %s: %s", tmpl, err_str(rc));
		return rc == ERR_NOMEM ? ERR_NOMEM : ERR_IO;
	}
	rs->content_type = "text/html; charset=utf-8";
	return ERR_OK;
}

enum err site_listing(struct req *r, struct resp *rs, struct view_ctx *ctx, struct tval *root,
		      struct post_query *q, const char *base, int64_t *total_out)
{
	struct arena *a = ctx->a;
	int64_t per = ctx->site.per_page;
	if (r->page > INT64_MAX / per)
		return ERR_NOTFOUND;
	q->type = POST_ARTICLE;
	q->public_only = true;
	q->now = ctx->now;
	q->limit = per;
	q->offset = (r->page - 1) * per;
	struct post *ps;
	size_t n;
	int64_t total = 0;
	enum err rc = STORE_CALL(ctx->st, post_list, a, q, &ps, &n, &total);
	if (rc != ERR_OK)
		return rc;
	if (r->page > 1 && q->offset >= total)
		return ERR_NOTFOUND;
	if (total_out)
		*total_out = total;
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		tval_push(a, list, view_post(ctx, &ps[i], false));
		resp_depend_id(r, rs, "post", ps[i].id);
		resp_depend_id(r, rs, "user", ps[i].author_id);
	}
	tval_set(a, root, "posts", list);
	view_pagination(ctx, root, base, r->page, total);
	return a->failed ? ERR_NOMEM : ERR_OK;
}

static const struct {
	int status;
	const char *title, *message;
} errors[] = {
	{400, "Bad request", "The address or the request could not be understood."},
	{403, "Forbidden", "You are not allowed to see this page."},
	{404, "Page not found",
	 "There is nothing at this address. It may have moved, or the link may be mistyped."},
	{405, "Method not allowed", "This address does not accept that kind of request."},
	{413, "Request too large", "The request is larger than this site accepts."},
	{414, "Address too long", "The address is longer than this site accepts."},
	{431, "Request headers too large", "The request headers are larger than this site accepts."},
	{500, "Something went wrong", "The page could not be shown. Please try again shortly."},
	{503, "Temporarily unavailable", "The site is busy. Please try again shortly."},
};

void site_error_page(struct req *r, struct resp *rs, int status)
{
	const char *title = "Error", *message = "The request could not be completed.";
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
		if (errors[i].status == status) {
			title = errors[i].title;
			message = errors[i].message;
		}
	rs->status = status;
	buf_reset(&rs->body);
	struct view_ctx ctx;
	enum err rc = ERR_INVALID;
	/* A themed page when the theme works: named from the store's site
	 * settings, or when the store cannot be read (a 503 in a database
	 * outage) from this thread's last snapshot of them; plain text
	 * otherwise (an error page must never fail). */
	if (r->app && r->app->theme && r->app->store &&
	    (site_begin(r, &ctx) == ERR_OK || view_load_last_site(&ctx))) {
		struct arena *a = r->arena;
		struct tval *root = view_page(&ctx, NULL), *e = tval_map(a);
		tval_set_int(a, e, "status", status);
		tval_set_str(a, e, "title", title);
		tval_set_str(a, e, "message", message);
		tval_set(a, root, "error", e);
		tval_set_str(a, root, "page_title",
			     arena_printf(a, "%s \xE2\x80\x93 %s", title, ctx.site.title));
		rc = site_render(r, rs, &ctx, "error", root);
	}
	if (rc != ERR_OK) {
		buf_reset(&rs->body);
		buf_printf(&rs->body, "%d %s\n", status, title);
		rs->content_type = "text/plain; charset=utf-8";
	}
	rs->cache_control = "no-store";
}
