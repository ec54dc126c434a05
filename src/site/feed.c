/* feed.c - RSS 2.0 and Atom 1.0 feeds of the site, a category (with its
 * sub-categories), a tag and an author: /feed/, /feed/atom/ and the same
 * suffixes on /category/PATH/, /tag/SLUG/ and /author/LOGIN/.
 *
 * Posts become generic struct feed_entry values (render/feed.h writes the
 * XML), so other listings - comments - can be fed through the same writer.
 * Feeds are cached like pages and depend on the same names as the HTML
 * listing they mirror, so a publish, edit or unpublish purges them. */
#include <string.h>

#include "core/str.h"
#include "core/time.h"
#include "http/app.h"
#include "render/feed.h"
#include "site/site.h"

/* "tag:example.org,2026-11-26:post-42": stable across edits (creation date
 * and id never change) and across URL changes; the authority is the site's
 * host without port. */
static const char *entry_id(struct view_ctx *ctx, const char *what, int64_t id,
			    int64_t created)
{
	struct arena *a = ctx->a;
	const char *o = ctx->origin ? ctx->origin : "";
	const char *h = strstr(o, "://");
	h = h ? h + 3 : o;
	size_t n = strcspn(h, ":/");
	char *when = time_utc(a, created);
	return arena_printf(a, "tag:%.*s,%.10s:%s-%lld", (int)(n ? n : 9), n ? h : "localhost",
			    when ? when : "1970-01-01", what, (long long)id);
}

/* One article as an entry: bodies, tags and the image need the full post. */
static enum err post_entry(struct req *r, struct resp *rs, struct view_ctx *ctx,
			   const struct post *listed, struct feed_entry *e)
{
	struct arena *a = ctx->a;
	struct post p;
	enum err rc = STORE_CALL(ctx->st, post_get, a, listed->id, &p);
	if (rc != ERR_OK)
		return rc;
	struct tag *tags = NULL;
	size_t ntags = 0;
	if ((rc = STORE_CALL(ctx->st, post_tags, a, p.id, &tags, &ntags)) != ERR_OK)
		return rc;
	resp_depend_id(r, rs, "post", p.id);
	resp_depend_id(r, rs, "user", p.author_id);
	const char **cats = ARENA_ARRAY(a, const char *, ntags + 1);
	if (!cats)
		return ERR_NOMEM;
	size_t nc = 0;
	if (p.category_name && *p.category_name)
		cats[nc++] = p.category_name;
	for (size_t i = 0; i < ntags; i++) {
		resp_depend_id(r, rs, "tag", tags[i].id);
		cats[nc++] = tags[i].name;
	}
	memset(e, 0, sizeof *e);
	e->id = entry_id(ctx, "post", p.id, p.created_at);
	e->title = p.title;
	e->url = view_abs(ctx, view_post_url(ctx, &p));
	e->published = p.published_at;
	e->updated = p.updated_at > p.published_at ? p.updated_at : p.published_at;
	e->author_name = p.author_name;
	e->author_url = p.author_login
				? view_abs(ctx, arena_printf(a, "/author/%s/", p.author_login))
				: NULL;
	e->categories = cats;
	e->ncategories = nc;
	e->summary = p.excerpt && *p.excerpt ? p.excerpt : p.summary;
	e->content_html = ctx->site.feed_full_text ? p.body_html : NULL;
	e->image_url = view_post_image(ctx, &p, &e->image_type);
	return a->failed ? ERR_NOMEM : ERR_OK;
}

/* Serve an XML document the page cache may keep: same validators as pages
 * (Last-Modified = newest change, ETag from the body). */
enum err site_send_xml(struct req *r, struct resp *rs, struct view_ctx *ctx, const char *ctype,
		       int64_t modified)
{
	if (r->arena->failed || rs->body.oom)
		return ERR_NOMEM;
	rs->cacheable = true;
	if (ctx->changed_at > modified)
		modified = ctx->changed_at;
	if (modified > rs->last_modified)
		rs->last_modified = modified;
	rs->content_type = ctype;
	rs->cache_control = "no-cache";
	return ERR_OK;
}

/* Write and send the feed of entries es: its title and subtitle, its URL
 * base + "feed/" (or "feed/atom/"), the page it stands for (home), and as
 * updated the newest entry's time (the site's last change for none). */
static enum err send_feed(struct req *r, struct resp *rs, struct view_ctx *ctx,
			  enum feed_format fmt, const char *title, const char *subtitle,
			  const char *base, const char *home, struct feed_entry *es, size_t n)
{
	struct arena *a = ctx->a;
	int64_t updated = 0;
	for (size_t i = 0; i < n; i++)
		if (es[i].updated > updated)
			updated = es[i].updated;
	if (!updated)
		updated = ctx->changed_at;
	const char *suffix = fmt == FEED_ATOM ? "feed/atom/" : "feed/";
	struct feed f = {
		.title = title,
		.subtitle = subtitle ? subtitle : "",
		.lang = ctx->site.lang,
		.self_url = view_abs(ctx, arena_printf(a, "%s%s", base, suffix)),
		.home_url = view_abs(ctx, home),
		.updated = updated,
		.entries = es,
		.n = n,
	};
	f.id = f.self_url;
	if (!f.title || !f.self_url || !f.home_url)
		return ERR_NOMEM;
	enum err rc = feed_write(&rs->body, a, fmt, &f);
	return rc == ERR_OK ? site_send_xml(r, rs, ctx, feed_content_type(fmt), 0) : rc;
}

/* The feed of the listing q at base ("/", "/tag/x/"); name is the
 * listing's title ("" for the whole site). */
static enum err serve_feed(struct req *r, struct resp *rs, struct view_ctx *ctx,
			   enum feed_format fmt, struct post_query *q, const char *base,
			   const char *name, const char *subtitle, bool hide_empty)
{
	struct arena *a = ctx->a;
	if (r->page > 1)
		return ERR_NOTFOUND;
	q->type = POST_ARTICLE;
	q->public_only = true;
	q->now = ctx->now;
	q->limit = ctx->site.feed_items;
	struct post *ps;
	size_t n;
	int64_t total = 0;
	enum err rc = STORE_CALL(ctx->st, post_list, a, q, &ps, &n, &total);
	if (rc != ERR_OK)
		return rc;
	if (hide_empty && total == 0)
		return ERR_NOTFOUND; /* as its archive: no leak of names or logins */
	struct feed_entry *es = n ? ARENA_ARRAY(a, struct feed_entry, n) : NULL;
	if (n && !es)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		if ((rc = post_entry(r, rs, ctx, &ps[i], &es[i])) != ERR_OK)
			return rc;
	const char *title = *name ? arena_printf(a, "%s \xE2\x80\x93 %s", ctx->site.title, name)
				  : ctx->site.title;
	return send_feed(r, rs, ctx, fmt, title, subtitle, base, base, es, n);
}

static enum err site_feed(struct req *r, struct resp *rs, enum feed_format fmt)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	struct post_query q = {0};
	resp_depend(r, rs, "list:home");
	return serve_feed(r, rs, &ctx, fmt, &q, "/", "", ctx.site.tagline, false);
}

enum err site_feed_rss(struct req *r, struct resp *rs)
{
	return site_feed(r, rs, FEED_RSS);
}

enum err site_feed_atom(struct req *r, struct resp *rs)
{
	return site_feed(r, rs, FEED_ATOM);
}

static enum err tag_feed(struct req *r, struct resp *rs, enum feed_format fmt)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	struct tag t;
	if ((rc = STORE_CALL(ctx.st, tag_by_slug, r->arena, r->params[0], &t)) != ERR_OK)
		return rc == ERR_NOTFOUND ? site_old_url(r, rs, ctx.st) : rc;
	struct post_query q = {0};
	q.tag_id = t.id;
	resp_depend_id(r, rs, "list:tag", t.id);
	resp_depend_id(r, rs, "tag", t.id);
	const char *base = arena_printf(r->arena, "/tag/%s/", t.slug);
	return serve_feed(r, rs, &ctx, fmt, &q, base, t.name, NULL, true);
}

enum err site_tag_feed_rss(struct req *r, struct resp *rs)
{
	return tag_feed(r, rs, FEED_RSS);
}

enum err site_tag_feed_atom(struct req *r, struct resp *rs)
{
	return tag_feed(r, rs, FEED_ATOM);
}

static enum err author_feed(struct req *r, struct resp *rs, enum feed_format fmt)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	struct user u;
	if ((rc = STORE_CALL(ctx.st, user_by_login, r->arena, r->params[0], &u)) != ERR_OK)
		return rc;
	struct post_query q = {0};
	q.author_id = u.id;
	resp_depend_id(r, rs, "list:author", u.id);
	resp_depend_id(r, rs, "user", u.id);
	const char *base = arena_printf(r->arena, "/author/%s/", u.login);
	return serve_feed(r, rs, &ctx, fmt, &q, base, u.display_name, u.bio, true);
}

enum err site_author_feed_rss(struct req *r, struct resp *rs)
{
	return author_feed(r, rs, FEED_RSS);
}

enum err site_author_feed_atom(struct req *r, struct resp *rs)
{
	return author_feed(r, rs, FEED_ATOM);
}

bool site_feed_suffix(struct arena *a, const char *path, const char **prefix, bool *atom)
{
	size_t n = strlen(path);
	size_t cut = 0;
	if (str_ends(path, "/feed/atom")) {
		cut = strlen("/feed/atom");
		*atom = true;
	} else if (str_ends(path, "/feed")) {
		cut = strlen("/feed");
		*atom = false;
	}
	if (!cut || cut >= n)
		return false;
	*prefix = arena_strndup(a, path, n - cut);
	return *prefix != NULL;
}

enum err site_category_feed(struct req *r, struct resp *rs, const char *path, bool atom)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	struct category cat;
	if ((rc = STORE_CALL(ctx.st, category_by_path, r->arena, path, &cat)) != ERR_OK)
		return rc == ERR_NOTFOUND ? site_old_url(r, rs, ctx.st) : rc;
	struct post_query q = {0};
	q.category_id = cat.id;
	q.include_children = true;
	resp_depend_id(r, rs, "list:cat", cat.id);
	const char *base = arena_printf(r->arena, "/category/%s/", cat.path);
	return serve_feed(r, rs, &ctx, atom ? FEED_ATOM : FEED_RSS, &q, base, cat.name,
			  cat.description, false);
}

/* ---- comments: /comments/feed/ (every article) and ARTICLE/feed/ ------- */

static enum err comment_entry(struct view_ctx *ctx, const struct comment *c, const char *title,
			      const char *post_url, struct feed_entry *e)
{
	struct arena *a = ctx->a;
	memset(e, 0, sizeof *e);
	e->id = entry_id(ctx, "comment", c->id, c->created_at);
	e->title = arena_printf(a, "Comment on %s by %s", title, c->author_name);
	e->url = view_abs(ctx, arena_printf(a, "%s#comment-%lld", post_url, (long long)c->id));
	e->published = c->created_at;
	e->updated = c->created_at;
	e->author_name = c->author_name;
	e->author_url = c->author_url && *c->author_url ? c->author_url : NULL;
	e->content_html = c->body_html;
	return a->failed ? ERR_NOMEM : ERR_OK;
}

/* The newest approved comments of one article (p) or of every public one. */
static enum err comment_feed(struct req *r, struct resp *rs, struct view_ctx *ctx,
			     enum feed_format fmt, const struct post *p)
{
	struct arena *a = ctx->a;
	struct comment_query q = {.by_status = true, .status = COMMENT_APPROVED,
				  .public_at = ctx->now, .post_id = p ? p->id : 0,
				  .limit = ctx->site.feed_items};
	struct comment *cs;
	size_t n;
	enum err rc = STORE_CALL(ctx->st, comment_list, a, &q, &cs, &n, NULL);
	if (rc != ERR_OK)
		return rc;
	struct feed_entry *es = n ? ARENA_ARRAY(a, struct feed_entry, n) : NULL;
	if (n && !es)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		struct post cp;
		const struct post *on = p;
		if (!on) {
			if ((rc = STORE_CALL(ctx->st, post_get, a, cs[i].post_id, &cp)) != ERR_OK)
				return rc;
			on = &cp;
			resp_depend_id(r, rs, "post", cp.id);
		}
		rc = comment_entry(ctx, &cs[i], on->title, view_post_url(ctx, on), &es[i]);
		if (rc != ERR_OK)
			return rc;
	}
	if (p)
		resp_depend_id(r, rs, "post", p->id);
	else
		resp_depend(r, rs, "comments:all");
	const char *base = p ? view_post_url(ctx, p) : "/comments/";
	const char *title = p ? arena_printf(a, "Comments on %s", p->title)
			      : arena_printf(a, "Comments for %s", ctx->site.title);
	return send_feed(r, rs, ctx, fmt, title, "", base, p ? base : "/", es, n);
}

static enum err comments_feed(struct req *r, struct resp *rs, enum feed_format fmt)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	return comment_feed(r, rs, &ctx, fmt, NULL);
}

enum err site_comments_feed_rss(struct req *r, struct resp *rs)
{
	return comments_feed(r, rs, FEED_RSS);
}

enum err site_comments_feed_atom(struct req *r, struct resp *rs)
{
	return comments_feed(r, rs, FEED_ATOM);
}

enum err site_article_comment_feed(struct req *r, struct resp *rs, struct view_ctx *ctx,
				   const struct post *p, bool atom)
{
	return comment_feed(r, rs, ctx, atom ? FEED_ATOM : FEED_RSS, p);
}
