/* site.h - the public pages. One file per page type; routes in routes.c.
 * Handlers read through the store, build a view (view/), render a theme
 * template into the response, and never print HTML by hand. */
#ifndef GAZETTE_SITE_SITE_H
#define GAZETTE_SITE_SITE_H

#include "http/http.h"
#include "http/router.h"
#include "view/view.h"

/* routes.c */
extern const struct route site_routes[];
extern const size_t site_nroutes;

/* common.c */
enum err site_begin(struct req *r, struct view_ctx *ctx);
enum err site_render(struct req *r, struct resp *rs, struct view_ctx *ctx, const char *tmpl,
		     struct tval *root);
void site_error_page(struct req *r, struct resp *rs, int status);
/* A listing of posts (home and archives) into root: posts, pagination.
 * ERR_NOTFOUND when page is past the end (page 1 of an empty list is fine).
 * *total (may be NULL) gets the
 * number of posts in the whole listing. */
enum err site_listing(struct req *r, struct resp *rs, struct view_ctx *ctx, struct tval *root,
		      struct post_query *q, const char *base, int64_t *total);

/* A 301 (or 302) from the redirects table for r->path - an archive that
 * moved, an imported site's old address - else ERR_NOTFOUND. */
enum err site_old_url(struct req *r, struct resp *rs, struct store *st);

enum err site_home(struct req *r, struct resp *rs);
/* wordpress.c: old WordPress ?p= ?page_id= ?cat= ?tag= ?feed= on the home
 * page; true when the request was one (*rc: ERR_OK with a 301 set, or
 * ERR_NOTFOUND). */
bool site_wordpress_query(struct req *r, struct resp *rs, struct view_ctx *ctx, enum err *rc);
/* /wp-content/uploads/PATH of an imported file: 301 to its media URL (the
 * closest variant for WordPress's name-WxH.ext copies); 404 otherwise. */
enum err site_wp_upload(struct req *r, struct resp *rs);
enum err site_category(struct req *r, struct resp *rs);
enum err site_tag(struct req *r, struct resp *rs);
enum err site_author(struct req *r, struct resp *rs);
enum err site_year(struct req *r, struct resp *rs);
enum err site_month(struct req *r, struct resp *rs);
enum err site_resolve(struct req *r, struct resp *rs); /* articles, pages, redirects */

/* A refused comment shown again: what was typed and why (comment.c). */
struct comment_form;
struct comment_outcome;
struct comment_state {
	const struct comment_form *form;
	const struct comment_outcome *outcome;
};
/* An article or page (article.c); cs is NULL except after a refused comment. */
enum err site_article_show(struct req *r, struct resp *rs, struct view_ctx *ctx,
			   const struct post *p, const struct comment_state *cs);
/* comment.c: the comments section into root, and a new comment's POST. */
enum err site_comments(struct req *r, struct resp *rs, struct view_ctx *ctx,
		       const struct post *p, const char *url, struct tval *root,
		       const struct comment_state *cs);
enum err site_comment_post(struct req *r, struct resp *rs, struct view_ctx *ctx,
			   const struct post *p);
enum err site_asset(struct req *r, struct resp *rs);
/* A theme's asset by its fingerprinted file name (the site's or the back
 * office's), with a year-long cache lifetime. */
struct theme;
enum err site_send_asset(const struct theme *t, const char *file, struct resp *rs);
enum err site_media(struct req *r, struct resp *rs); /* media.c */
enum err site_search(struct req *r, struct resp *rs);      /* search.c */
enum err site_search_json(struct req *r, struct resp *rs);
enum err site_health(struct req *r, struct resp *rs);

/* feed.c: RSS and Atom feeds */
enum err site_feed_rss(struct req *r, struct resp *rs);
enum err site_feed_atom(struct req *r, struct resp *rs);
enum err site_tag_feed_rss(struct req *r, struct resp *rs);
enum err site_tag_feed_atom(struct req *r, struct resp *rs);
enum err site_author_feed_rss(struct req *r, struct resp *rs);
enum err site_author_feed_atom(struct req *r, struct resp *rs);
/* "news/feed" -> "news", false; "news/feed/atom" -> "news", true. */
bool site_feed_suffix(struct arena *a, const char *path, const char **prefix, bool *atom);
enum err site_category_feed(struct req *r, struct resp *rs, const char *path, bool atom);
/* Approved comments: of every public article, or of article p. */
enum err site_comments_feed_rss(struct req *r, struct resp *rs);
enum err site_comments_feed_atom(struct req *r, struct resp *rs);
enum err site_article_comment_feed(struct req *r, struct resp *rs, struct view_ctx *ctx,
				   const struct post *p, bool atom);
/* Finish an XML (or other non-HTML) body the page cache may keep, with
 * Last-Modified the newest change (or modified when newer). */
enum err site_send_xml(struct req *r, struct resp *rs, struct view_ctx *ctx, const char *ctype,
		       int64_t modified);

/* sitemap.c */
enum err site_sitemap_index(struct req *r, struct resp *rs);
enum err site_sitemap(struct req *r, struct resp *rs); /* /sitemap-KIND-N.xml */
enum err site_robots(struct req *r, struct resp *rs);
/* Sitemaps needed for nurls URLs at per URLs each. */
int64_t sitemap_count(int64_t nurls, int64_t per);

#endif
