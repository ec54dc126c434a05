/* view.h - view models shared by site/ and admin/: they turn store types
 * into the template data described in docs/THEME.md.
 *
 * Everything is built in ctx->a (the request arena); nothing to free. */
#ifndef GAZETTE_VIEW_VIEW_H
#define GAZETTE_VIEW_VIEW_H

#include <stdint.h>

#include "content/settings.h"
#include "core/arena.h"
#include "render/value.h"
#include "store/store.h"
#include "view/snap.h"

struct view_ctx {
	struct arena *a;
	struct store *st;
	struct site_info site;
	int64_t now;
	const char *origin; /* base_url, or "http(s)://host" of the request */
	const char *css_url;/* fingerprinted stylesheet URL */
	/* every site setting (view_load_site, from the thread's site snapshot);
	 * handlers read other settings from here rather than query again */
	struct settings_snapshot settings;
	const struct site_snap *snap; /* settings, categories, menu (snap.h) */
	int64_t changed_at;           /* the newest change's time: Last-Modified */
};

/* Point ctx at the thread's current site snapshot (snap.h): ctx->site,
 * ctx->settings, ctx->snap, ctx->changed_at, and ctx->origin when the
 * site has a base_url. */
enum err view_load_site(struct view_ctx *ctx);
/* The same from the thread's last snapshot, however old (snap_last), for
 * an error page when view_load_site failed; false when there is none. */
bool view_load_last_site(struct view_ctx *ctx);

/* The common root keys (site, nav, assets, now_year, search_url, ...). The
 * caller adds page_title, canonical, jsonld and its own keys. current_nav
 * is the URL of the section to mark current (may be NULL). */
struct tval *view_page(struct view_ctx *ctx, const char *current_nav);
/* The navigation menu (menu.c): the stored one, or the default (top
 * categories, then top-level pages); items {name, url, current,
 * has_children, children}. url is "" for a group that only holds
 * children. */
struct tval *view_nav(struct view_ctx *ctx, const char *current);
/* The menu's template data, current marked (NULL: nothing current). */
struct tval *view_nav_list(struct arena *a, const struct nav_link *nav, size_t n,
			   const char *current);
/* The site-wide feeds (`feeds`: RSS and Atom of the articles and of the
 * comments), built once per snapshot. */
struct tval *view_site_feeds(struct view_ctx *ctx);
/* Resolve the menu for a snapshot (snap.c), in ctx->a with ctx->now and
 * ctx->site.permalink; cs are the site's categories. Returns the count. */
size_t view_nav_build(struct view_ctx *ctx, const struct category *cs, size_t ncs,
		      struct nav_link **out);

/* Fill p's author and category names from the snapshot (store reads that
 * leave them out: post_by_slug_html, related cards). */
void view_post_names(struct view_ctx *ctx, struct post *p);
/* A related article under another: its title, url, date, image and
 * category (store.h's related cards have no more). */
struct tval *view_post_card(struct view_ctx *ctx, const struct post *p);
/* A post for listings (with_body false) or its own page (true). The body
 * is referred to, not copied: p's strings must outlive the tree (they do
 * when p was read into the request arena). */
struct tval *view_post(struct view_ctx *ctx, const struct post *p, bool with_body);
/* Set the post's tags (a with_body view starts with none). */
void view_post_tags(struct view_ctx *ctx, struct tval *post, const struct tag *ts, size_t n);
/* URL of a post (root-relative). */
const char *view_post_url(struct view_ctx *ctx, const struct post *p);
/* Absolute form of a root-relative URL. */
const char *view_abs(struct view_ctx *ctx, const char *path);

/* <link rel="alternate"> feed autodiscovery: put the RSS and Atom feeds of
 * the listing at base ("/", "/tag/x/") first in root's `feeds` list; name
 * is the listing's title ("" for the whole site). */
void view_add_feeds(struct view_ctx *ctx, struct tval *root, const char *base, const char *name);

/* The post's image as an absolute URL: its featured image (media
 * library), else the first <img> of its body; NULL when it has none we can
 * use. *type gets its MIME type. */
const char *view_post_image(struct view_ctx *ctx, const struct post *p, const char **type);

/* Append a JSON-LD document (text from the functions below, written by
 * render/jsonw.h, safe in a <script type="application/ld+json"> block) to
 * root's `jsonld` list; NULL is ignored. */
void view_add_jsonld(struct view_ctx *ctx, struct tval *root, const char *text);
/* NewsArticle JSON-LD for an article at its root-relative url; image may
 * be NULL. */
const char *view_article_jsonld(struct view_ctx *ctx, const struct post *p, const char *url,
				const char *image);
/* The site as a publisher: {"@type":"Organization",...}. */
const char *view_publisher_jsonld(struct view_ctx *ctx);
/* The snapshot's shared JSON-LD pieces (snap.h), built in s's arena
 * (ctx->a) from ctx->site; nothing when the site has no base_url. */
void view_snap_jsonld(struct view_ctx *ctx, struct site_snap *s);
/* The snapshot's pieces, if they were made for this request's origin. */
bool view_snap_ld_usable(const struct view_ctx *ctx);
/* WebSite JSON-LD with a SearchAction (the home page). */
const char *view_website_jsonld(struct view_ctx *ctx);

struct crumb {
	const char *name, *url;
	/* the crumb's BreadcrumbList item, when the site snapshot has it ready
	 * (view_snap_jsonld) for position ld_pos; else NULL */
	const char *ld;
	size_t ld_pos;
};
/* Breadcrumb list value; the last crumb is marked `last`. Also returns the
 * BreadcrumbList JSON-LD text through *jsonld when jsonld is not NULL. */
struct tval *view_breadcrumb(struct view_ctx *ctx, const struct crumb *c, size_t n,
			     const char **jsonld);
/* Crumbs Home » ancestors » category for a category id (fills up to max,
 * returns the count). */
size_t view_category_crumbs(struct view_ctx *ctx, int64_t category_id, struct crumb *out,
			    size_t max);

/* Pagination for a listing at base ("/category/news/"), page N of total
 * items; sets rel_prev/rel_next on root too. */
struct tval *view_pagination(struct view_ctx *ctx, struct tval *root, const char *base,
			     int64_t page, int64_t total);

/* The same from ready-made prev/next URLs ("" for none). */
struct tval *view_pager(struct view_ctx *ctx, struct tval *root, int64_t page, int64_t pages,
			const char *prev, const char *next);

/* comment.c: one approved comment, and a post's approved comments
 * (oldest first) as a thread nested down to max_depth; reply links only
 * when can_reply. */
struct tval *view_comment(struct view_ctx *ctx, const struct comment *c, const char *post_url,
			  int depth, bool can_reply);
struct tval *view_comment_thread(struct view_ctx *ctx, const char *post_url,
				 const struct comment *cs, size_t n, int max_depth,
				 bool can_reply);
/* "No comments", "1 comment", "N comments" */
const char *view_comments_label(struct arena *a, int64_t n);

#endif
