/* page.c - the common page frame: site info, navigation (menu.c), assets. */
#include <string.h>

#include "core/time.h"
#include "view/view.h"

static void use_snap(struct view_ctx *ctx, const struct site_snap *snap)
{
	ctx->snap = snap;
	ctx->site = snap->site;
	ctx->settings = snap->settings;
	ctx->changed_at = snap->change_at;
	if (ctx->site.base_url && *ctx->site.base_url)
		ctx->origin = ctx->site.base_url;
}

enum err view_load_site(struct view_ctx *ctx)
{
	const struct site_snap *snap;
	enum err rc = snap_current(ctx->st, ctx->now, &snap);
	if (rc == ERR_OK)
		use_snap(ctx, snap);
	return rc;
}

bool view_load_last_site(struct view_ctx *ctx)
{
	const struct site_snap *snap = snap_last(ctx->st);
	if (snap)
		use_snap(ctx, snap);
	return snap != NULL;
}

const char *view_abs(struct view_ctx *ctx, const char *path)
{
	return ARENA_CAT(ctx->a, ctx->origin ? ctx->origin : "", path);
}

/* The RSS and Atom links of the feeds at base, pushed onto list. */
static void push_feeds(struct view_ctx *ctx, struct tval *list, const char *base,
		       const char *name)
{
	struct arena *a = ctx->a;
	static const struct {
		const char *type, *suffix, *label;
	} kinds[] = {{"application/rss+xml", "feed/", "RSS"},
		     {"application/atom+xml", "feed/atom/", "Atom"}};
	for (size_t i = 0; i < 2; i++) {
		struct tval *f = tval_map(a);
		tval_set_str(a, f, "type", kinds[i].type);
		tval_set_str(a, f, "url", ARENA_CAT(a, base, kinds[i].suffix));
		tval_set_str(a, f, "title",
			     *name ? ARENA_CAT(a, ctx->site.title, " \xE2\x80\x93 ", name, " (",
					       kinds[i].label, ")")
				   : ARENA_CAT(a, ctx->site.title, " (", kinds[i].label, ")"));
		tval_push(a, list, f);
	}
}

struct tval *view_page(struct view_ctx *ctx, const char *current_nav)
{
	struct arena *a = ctx->a;
	struct tval *root = tval_map(a), *site = tval_map(a), *assets = tval_map(a);
	tval_set_str(a, site, "title", ctx->site.title);
	tval_set_str(a, site, "tagline", ctx->site.tagline);
	tval_set_str(a, site, "lang", ctx->site.lang);
	tval_set(a, root, "site", site);
	tval_set_str(a, assets, "css", ctx->css_url ? ctx->css_url : "");
	tval_set(a, root, "assets", assets);
	tval_set(a, root, "nav", view_nav(ctx, current_nav));
	struct date_parts dp;
	time_local(ctx->now, &dp);
	tval_set_int(a, root, "now_year", dp.year);
	tval_set_str(a, root, "search_url", "/search");
	tval_set_str(a, root, "page_title", ctx->site.title);
	tval_set_str(a, root, "meta_description", ctx->site.description);
	tval_set_str(a, root, "canonical", "");
	tval_set_str(a, root, "og_image", "");
	tval_set_str(a, root, "rel_prev", "");
	tval_set_str(a, root, "rel_next", "");
	tval_set(a, root, "jsonld", tval_list(a));
	tval_set(a, root, "feeds",
		 ctx->snap && ctx->snap->feeds_val ? (struct tval *)ctx->snap->feeds_val
						   : view_site_feeds(ctx));
	return root;
}

struct tval *view_site_feeds(struct view_ctx *ctx)
{
	struct tval *feeds = tval_list(ctx->a);
	push_feeds(ctx, feeds, "/", "");
	push_feeds(ctx, feeds, "/comments/", "Comments");
	return feeds;
}

void view_add_feeds(struct view_ctx *ctx, struct tval *root, const char *base, const char *name)
{
	struct arena *a = ctx->a;
	const struct tval *old = tval_get(root, "feeds", 5);
	struct tval *list = tval_list(a);
	push_feeds(ctx, list, base, name);
	if (old && old->kind == TV_LIST)
		for (size_t i = 0; i < old->u.list.n; i++)
			tval_push(a, list, old->u.list.items[i]);
	tval_set(a, root, "feeds", list);
}

struct tval *view_pagination(struct view_ctx *ctx, struct tval *root, const char *base,
			     int64_t page, int64_t total)
{
	struct arena *a = ctx->a;
	int64_t per = ctx->site.per_page;
	int64_t pages = (total + per - 1) / per;
	const char *prev = "", *next = "";
	if (page > 1)
		prev = page == 2 ? base : arena_printf(a, "%spage/%lld/", base, (long long)(page - 1));
	if (page < pages)
		next = arena_printf(a, "%spage/%lld/", base, (long long)(page + 1));
	return view_pager(ctx, root, page, pages, prev, next);
}

struct tval *view_pager(struct view_ctx *ctx, struct tval *root, int64_t page, int64_t pages,
			const char *prev, const char *next)
{
	struct arena *a = ctx->a;
	struct tval *p = tval_map(a);
	tval_set_int(a, p, "page", page);
	tval_set_int(a, p, "pages", pages);
	tval_set_str(a, p, "prev_url", prev);
	tval_set_str(a, p, "next_url", next);
	tval_set_bool(a, p, "has_prev", *prev != '\0');
	tval_set_bool(a, p, "has_next", *next != '\0');
	tval_set_str(a, root, "rel_prev", prev);
	tval_set_str(a, root, "rel_next", next);
	tval_set(a, root, "pagination", p);
	return p;
}
