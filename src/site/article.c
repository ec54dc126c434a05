/* article.c - an article or a static page at its URL, and redirects.
 *
 * site_resolve is the last route: it matches the path against the
 * permalink pattern (articles), then "/slug/" (pages), then the redirects
 * table, else 404. Only public posts are ever shown; those found by slug
 * are read without their Markdown source, which no page shows, and
 * without their author's and category's names, which the snapshot has
 * (post_by_slug_html). */
#include <string.h>

#include "content/permalink.h"
#include "content/post.h"
#include "core/str.h"
#include "site/site.h"

/* "You may also like": the first related_count (setting) of the stored
 * related articles still public, as cards (their category from the
 * snapshot). Which those are depends on all of them, and on the list
 * itself (recomputed when other articles come and go): all the ids are
 * read only when the page may be cached. */
static enum err related_read(struct req *r, struct resp *rs, struct view_ctx *ctx,
			     const struct post *p, struct post **ps, size_t *n)
{
	int64_t *ids = NULL;
	size_t nids = 0;
	int64_t want = settings_snap_int(&ctx->settings, "related_count");
	enum err rc = STORE_CALL(ctx->st, related, r->arena, p->id, ctx->now,
				 want > 0 ? (size_t)want : 0, ps, n, rs->keep_deps ? &ids : NULL,
				 &nids);
	if (rc != ERR_OK)
		return rc;
	resp_depend_id(r, rs, "related", p->id);
	for (size_t i = 0; i < nids; i++)
		resp_depend_id(r, rs, "post", ids[i]);
	return ERR_OK;
}

static void related_view(struct view_ctx *ctx, struct arena *a, struct post *ps, size_t n,
			 struct tval *root)
{
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		view_post_names(ctx, &ps[i]);
		tval_push(a, list, view_post_card(ctx, &ps[i]));
	}
	tval_set(a, root, "related", list);
	tval_set_bool(a, root, "has_related", n > 0);
}

/* A public post by slug, named from the snapshot (store.h). */
static enum err shown_by_slug(struct view_ctx *ctx, struct arena *a, enum post_type type,
			      const char *slug, struct post *p)
{
	enum err rc = STORE_CALL(ctx->st, post_by_slug_html, a, type, slug, p);
	if (rc == ERR_OK)
		view_post_names(ctx, p);
	return rc;
}

/* Only articles take a POST (a new comment). */
static enum err not_allowed(struct req *r, struct resp *rs)
{
	site_error_page(r, rs, 405);
	resp_header(rs, "Allow", "GET, HEAD");
	return ERR_OK;
}

enum err site_article_show(struct req *r, struct resp *rs, struct view_ctx *ctx,
			   const struct post *p, const struct comment_state *cs)
{
	struct arena *a = r->arena;
	const char *url = view_post_url(ctx, p);
	if (!url)
		return ERR_NOMEM;
	if (strcmp(url, r->path) != 0 && !cs) { /* right post, old or wrong URL */
		resp_redirect(rs, 301, url);
		return ERR_OK;
	}
	/* the article's rows first, one after the other: the database's
	 * code stays in the CPU's cache between them */
	struct tag *tags = NULL;
	size_t ntags = 0;
	struct post *rel = NULL;
	size_t nrel = 0;
	if (p->type == POST_ARTICLE) {
		enum err rc = STORE_CALL(ctx->st, post_tags, a, p->id, &tags, &ntags);
		if (rc == ERR_OK)
			rc = related_read(r, rs, ctx, p, &rel, &nrel);
		if (rc != ERR_OK)
			return rc;
	}
	struct crumb crumbs[20];
	size_t n;
	const char *nav_url = NULL;
	if (p->type == POST_ARTICLE) {
		n = view_category_crumbs(ctx, p->category_id, crumbs, 19);
		if (n > 1)
			nav_url = crumbs[1].url;
	} else {
		crumbs[0] = (struct crumb){.name = "Home", .url = "/"};
		n = 1;
		struct post parent;
		if (p->parent_id &&
		    STORE_CALL(ctx->st, post_get, a, p->parent_id, &parent) == ERR_OK &&
		    post_is_public(&parent, ctx->now)) {
			crumbs[n] = (struct crumb){.name = parent.title,
						   .url = view_post_url(ctx, &parent)};
			n++;
		}
		nav_url = n > 1 ? crumbs[1].url : url;
	}
	crumbs[n++] = (struct crumb){.name = p->title, .url = url};
	struct tval *root = view_page(ctx, nav_url);
	const char *ld = NULL;
	tval_set(a, root, "breadcrumb", view_breadcrumb(ctx, crumbs, n, &ld));
	view_add_jsonld(ctx, root, ld);
	struct tval *post = view_post(ctx, p, true);
	tval_set(a, root, "post", post);
	const char *itype = NULL;
	const char *image = view_post_image(ctx, p, &itype);
	if (image)
		tval_set_str(a, root, "og_image", image);
	if (p->type == POST_ARTICLE)
		view_add_jsonld(ctx, root, view_article_jsonld(ctx, p, url, image));
	resp_depend_id(r, rs, "post", p->id);
	resp_depend_id(r, rs, "user", p->author_id);
	if (p->parent_id)
		resp_depend_id(r, rs, "post", p->parent_id);
	for (size_t i = 0; i < ntags; i++)
		resp_depend_id(r, rs, "tag", tags[i].id);
	view_post_tags(ctx, post, tags, ntags);
	if (p->type == POST_ARTICLE) {
		related_view(ctx, a, rel, nrel, root);
		enum err rc = site_comments(r, rs, ctx, p, url, root, cs);
		if (rc != ERR_OK)
			return rc;
	}
	if (p->type == POST_ARTICLE)
		view_add_feeds(ctx, root, url, ARENA_CAT(a, "Comments on ", p->title ? p->title : ""));
	tval_set_str(a, root, "canonical", view_abs(ctx, url));
	tval_set_str(a, root, "page_title",
		     ARENA_CAT(a, p->title ? p->title : "", " \xE2\x80\x93 ",
			       ctx->site.title ? ctx->site.title : ""));
	const struct tval *ex = tval_get(post, "excerpt", 7);
	if (ex && ex->kind == TV_STR)
		tval_set(a, root, "meta_description", (struct tval *)ex);
	rs->last_modified = p->updated_at > p->published_at ? p->updated_at : p->published_at;
	return site_render(r, rs, ctx, p->type == POST_PAGE ? "page" : "article", root);
}

/* ARTICLE/feed/ and ARTICLE/feed/atom/: the article's comments. */
static bool article_feed(struct req *r, struct resp *rs, struct view_ctx *ctx, enum err *rc)
{
	struct arena *a = r->arena;
	const char *prefix;
	bool atom;
	size_t n = strlen(r->path);
	char *bare = n > 1 ? arena_strndup(a, r->path, n - 1) : NULL;
	struct permalink_parts parts;
	struct post p;
	if (r->method == HTTP_POST || !bare || !site_feed_suffix(a, bare, &prefix, &atom))
		return false;
	const char *article = arena_printf(a, "%s/", prefix);
	if (!article || !permalink_match(a, ctx->site.permalink, article, &parts))
		return false;
	*rc = parts.slug ? shown_by_slug(ctx, a, POST_ARTICLE, parts.slug, &p)
			 : STORE_CALL(ctx->st, post_get, a, parts.id, &p);
	if (*rc != ERR_OK || p.type != POST_ARTICLE || !post_is_public(&p, ctx->now))
		return false;
	const char *url = view_post_url(ctx, &p);
	if (url && strcmp(url, article) != 0) {
		resp_redirect(rs, 301, arena_printf(a, "%s%s", url, atom ? "feed/atom/" : "feed/"));
		*rc = ERR_OK;
		return true;
	}
	*rc = site_article_comment_feed(r, rs, ctx, &p, atom);
	return true;
}

enum err site_resolve(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = r->arena;
	struct post p;
	struct permalink_parts parts;
	if (article_feed(r, rs, &ctx, &rc))
		return rc;
	rc = ERR_OK;
	if (permalink_match(a, ctx.site.permalink, r->path, &parts)) {
		rc = parts.slug
			     ? shown_by_slug(&ctx, a, POST_ARTICLE, parts.slug, &p)
			     : STORE_CALL(ctx.st, post_get, a, parts.id, &p);
		if (rc == ERR_OK && p.type == POST_ARTICLE && post_is_public(&p, ctx.now)) {
			if (r->method == HTTP_POST) {
				/* comments post to the article's own (current) URL */
				const char *url = view_post_url(&ctx, &p);
				if (url && strcmp(url, r->path) != 0)
					return ERR_NOTFOUND;
				return site_comment_post(r, rs, &ctx, &p);
			}
			return site_article_show(r, rs, &ctx, &p, NULL);
		}
		if (rc != ERR_OK && rc != ERR_NOTFOUND)
			return rc;
	}
	/* A page: "/slug/" */
	const char *s = r->path + 1;
	const char *slash = strchr(s, '/');
	if (slash && slash[1] == '\0') {
		char *slug = arena_strndup(a, s, (size_t)(slash - s));
		if (slug && str_slug_valid(slug)) {
			rc = shown_by_slug(&ctx, a, POST_PAGE, slug, &p);
			if (rc == ERR_OK && post_is_public(&p, ctx.now)) {
				if (r->method == HTTP_POST)
					return not_allowed(r, rs);
				return site_article_show(r, rs, &ctx, &p, NULL);
			}
			if (rc != ERR_OK && rc != ERR_NOTFOUND)
				return rc;
		}
	}
	if (r->method == HTTP_POST)
		return ERR_NOTFOUND;
	struct redirect rd;
	rc = STORE_CALL(ctx.st, redirect_get, a, r->path, &rd);
	if (rc == ERR_OK) {
		resp_redirect(rs, rd.status == 302 ? 302 : 301, rd.to_path);
		return ERR_OK;
	}
	return rc == ERR_NOTFOUND ? ERR_NOTFOUND : rc;
}
