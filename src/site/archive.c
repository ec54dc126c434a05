/* archive.c - category (with sub-categories), tag, author, year and month
 * archives. All paginated; page 1 of an empty archive is a 200. */
#include <string.h>

#include "core/str.h"
#include "core/time.h"
#include "site/site.h"

static const char *const month_names[12] = {"January", "February", "March",     "April",
					    "May",     "June",     "July",      "August",
					    "September", "October", "November", "December"};

/* Render an archive: root has the frame; crumbs end with the archive. */
static enum err finish(struct req *r, struct resp *rs, struct view_ctx *ctx, struct tval *root,
		       struct tval *archive, struct post_query *q, const char *base,
		       struct crumb *crumbs, size_t ncrumbs, bool hide_empty)
{
	struct arena *a = r->arena;
	int64_t total = 0;
	enum err rc = site_listing(r, rs, ctx, root, q, base, &total);
	if (rc != ERR_OK)
		return rc;
	/* A tag or author with nothing public is not shown at all: its name
	 * would leak drafts, and logins would be enumerable. */
	if (hide_empty && total == 0)
		return ERR_NOTFOUND;
	tval_set_int(a, archive, "count", total);
	const char *ld = NULL;
	tval_set(a, root, "breadcrumb", view_breadcrumb(ctx, crumbs, ncrumbs, &ld));
	view_add_jsonld(ctx, root, ld);
	tval_set(a, root, "archive", archive);
	const struct tval *title = tval_get(archive, "title", 5);
	const char *path = r->page > 1 ? arena_printf(a, "%spage/%lld/", base, (long long)r->page)
				       : base;
	tval_set_str(a, root, "canonical", view_abs(ctx, path));
	const char *t = title && title->kind == TV_STR ? title->u.s.p : "";
	tval_set_str(a, root, "page_title",
		     r->page > 1 ? arena_printf(a, "%s \xE2\x80\x93 Page %lld \xE2\x80\x93 %s", t,
						(long long)r->page, ctx->site.title)
				 : arena_printf(a, "%s \xE2\x80\x93 %s", t, ctx->site.title));
	return site_render(r, rs, ctx, "archive", root);
}

static struct tval *archive_val(struct view_ctx *ctx, const char *kind, const char *title,
				const char *description)
{
	struct arena *a = ctx->a;
	struct tval *v = tval_map(a);
	tval_set_str(a, v, "kind", kind);
	tval_set_str(a, v, "title", title);
	tval_set_str(a, v, "description", description ? description : "");
	tval_set(a, v, "children", tval_list(a));
	tval_set_bool(a, v, "has_children", false);
	return v;
}

enum err site_category(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = r->arena;
	struct category cat;
	rc = STORE_CALL(ctx.st, category_by_path, a, r->params[0], &cat);
	const char *feed_of;
	bool atom;
	/* "/category/news/feed/" is news's feed, unless news has a
	 * sub-category called "feed" */
	if (rc == ERR_NOTFOUND && site_feed_suffix(a, r->params[0], &feed_of, &atom))
		return site_category_feed(r, rs, feed_of, atom);
	if (rc == ERR_NOTFOUND) /* a category that moved, or an imported site's old one */
		return site_old_url(r, rs, ctx.st);
	if (rc != ERR_OK)
		return rc;
	struct crumb crumbs[20];
	size_t n = view_category_crumbs(&ctx, cat.id, crumbs, 20);
	struct tval *root = view_page(&ctx, n > 1 ? crumbs[1].url : NULL);
	struct tval *arch = archive_val(&ctx, "Category", cat.name, cat.description);
	/* sub-categories */
	struct tval *kids = tval_list(a);
	for (size_t i = 0; i < ctx.snap->ncats; i++) {
		if (ctx.snap->cats[i].parent_id != cat.id)
			continue;
		struct tval *k = tval_map(a);
		tval_set_str(a, k, "name", ctx.snap->cats[i].name);
		tval_set_str(a, k, "url", ctx.snap->cat_urls[i]);
		tval_push(a, kids, k);
	}
	tval_set(a, arch, "children", kids);
	tval_set_bool(a, arch, "has_children", kids->u.list.n > 0);
	struct post_query q = {0};
	q.category_id = cat.id;
	q.include_children = true;
	resp_depend_id(r, rs, "list:cat", cat.id);
	const char *base = arena_printf(a, "/category/%s/", cat.path);
	view_add_feeds(&ctx, root, base, cat.name);
	return finish(r, rs, &ctx, root, arch, &q, base, crumbs, n, false);
}

enum err site_tag(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = r->arena;
	struct tag t;
	rc = STORE_CALL(ctx.st, tag_by_slug, a, r->params[0], &t);
	if (rc == ERR_NOTFOUND)
		return site_old_url(r, rs, ctx.st);
	if (rc != ERR_OK)
		return rc;
	struct tval *root = view_page(&ctx, NULL);
	struct tval *arch = archive_val(&ctx, "Tag", t.name, NULL);
	struct post_query q = {0};
	q.tag_id = t.id;
	resp_depend_id(r, rs, "list:tag", t.id);
	resp_depend_id(r, rs, "tag", t.id);
	const char *base = arena_printf(a, "/tag/%s/", t.slug);
	view_add_feeds(&ctx, root, base, t.name);
	struct crumb crumbs[2] = {{.name = "Home", .url = "/"}, {.name = t.name, .url = base}};
	return finish(r, rs, &ctx, root, arch, &q, base, crumbs, 2, true);
}

enum err site_author(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = r->arena;
	struct user u;
	rc = STORE_CALL(ctx.st, user_by_login, a, r->params[0], &u);
	if (rc != ERR_OK)
		return rc;
	struct tval *root = view_page(&ctx, NULL);
	struct tval *arch = archive_val(&ctx, "Author", u.display_name, u.bio);
	struct post_query q = {0};
	q.author_id = u.id;
	resp_depend_id(r, rs, "list:author", u.id);
	resp_depend_id(r, rs, "user", u.id);
	const char *base = arena_printf(a, "/author/%s/", u.login);
	view_add_feeds(&ctx, root, base, u.display_name);
	struct crumb crumbs[2] = {{.name = "Home", .url = "/"},
				 {.name = u.display_name, .url = base}};
	return finish(r, rs, &ctx, root, arch, &q, base, crumbs, 2, true);
}

static enum err date_archive(struct req *r, struct resp *rs, int year, int month)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	/* Nothing public is dated in the future: those archives do not exist
	 * (and so cannot be walked to fill the cache). */
	struct date_parts today;
	time_local(ctx.now, &today);
	if (year > today.year || (year == today.year && month > today.month))
		return ERR_NOTFOUND;
	struct arena *a = r->arena;
	struct post_query q = {0};
	time_local_range(year, month, &q.from, &q.to);
	if (month)
		resp_depend(r, rs, "list:month:%04d-%02d", year, month);
	else
		resp_depend(r, rs, "list:year:%04d", year);
	const char *ybase = arena_printf(a, "/%04d/", year);
	const char *base = month ? arena_printf(a, "/%04d/%02d/", year, month) : ybase;
	const char *title = month ? arena_printf(a, "%s %d", month_names[month - 1], year)
				  : arena_printf(a, "%d", year);
	struct tval *root = view_page(&ctx, NULL);
	struct tval *arch = archive_val(&ctx, month ? "Month" : "Year", title, NULL);
	struct crumb crumbs[3] = {{.name = "Home", .url = "/"},
				  {.name = arena_printf(a, "%d", year), .url = ybase},
				  {.name = title, .url = base}};
	return finish(r, rs, &ctx, root, arch, &q, base, crumbs, month ? 3 : 2, false);
}

enum err site_year(struct req *r, struct resp *rs)
{
	int64_t y;
	if (!str_to_i64(r->params[0], 1970, 9999, &y))
		return ERR_NOTFOUND;
	return date_archive(r, rs, (int)y, 0);
}

enum err site_month(struct req *r, struct resp *rs)
{
	int64_t y, m;
	const char *ms = r->params[1];
	if (!str_to_i64(r->params[0], 1970, 9999, &y) || strlen(ms) != 2 ||
	    !str_to_i64(ms[0] == '0' ? ms + 1 : ms, 1, 12, &m))
		return ERR_NOTFOUND;
	return date_archive(r, rs, (int)y, (int)m);
}
