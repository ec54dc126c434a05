/* routes.c - the public route table. See http/router.h for how to add one.
 * Order matters: the first matching route wins; site_resolve is last. */
#include "admin/admin.h"
#include "site/site.h"

#define HTTP_FORM (HTTP_READ | HTTP_M(HTTP_POST))

const struct route site_routes[] = {
	{HTTP_READ, "/healthz", site_health, 0, {P__MAX}},
	{HTTP_READ, "/assets/:file", site_asset, 0, {P_FILE}},
	{HTTP_READ, "/media/*path", site_media, 0, {P_ANY}},
	{HTTP_READ, "/wp-content/uploads/*path", site_wp_upload, 0, {P_ANY}},
	{HTTP_READ, "/search", site_search, 0, {P__MAX}},
	{HTTP_READ, "/search.json", site_search_json, 0, {P__MAX}},
	{HTTP_READ, "/robots.txt", site_robots, 0, {P__MAX}},
	{HTTP_READ, "/sitemap.xml", site_sitemap_index, 0, {P__MAX}},
	{HTTP_READ, "/:name", site_sitemap, 0, {P_XML}},
	{HTTP_READ, "/feed/", site_feed_rss, 0, {P__MAX}},
	{HTTP_READ, "/feed/atom/", site_feed_atom, 0, {P__MAX}},
	{HTTP_READ, "/comments/feed/", site_comments_feed_rss, 0, {P__MAX}},
	{HTTP_READ, "/comments/feed/atom/", site_comments_feed_atom, 0, {P__MAX}},
	{HTTP_READ, "/tag/:slug/feed/", site_tag_feed_rss, 0, {P_SLUG}},
	{HTTP_READ, "/tag/:slug/feed/atom/", site_tag_feed_atom, 0, {P_SLUG}},
	{HTTP_READ, "/author/:login/feed/", site_author_feed_rss, 0, {P_ANY}},
	{HTTP_READ, "/author/:login/feed/atom/", site_author_feed_atom, 0, {P_ANY}},
	{HTTP_READ, "/admin/", admin_dashboard, 0, {P__MAX}},
	{HTTP_FORM, "/admin/signin/", admin_signin, 0, {P__MAX}},
	{HTTP_M(HTTP_POST), "/admin/signout/", admin_signout, 0, {P__MAX}},
	{HTTP_FORM, "/admin/comments/", admin_comments, 0, {P__MAX}},
	{HTTP_READ, "/admin/posts/", admin_posts, 0, {P__MAX}},
	{HTTP_FORM, "/admin/posts/new/", admin_post_new, 0, {P__MAX}},
	{HTTP_FORM, "/admin/posts/:id/", admin_post_edit, 0, {P_ANY}},
	{HTTP_FORM, "/admin/posts/:id/revisions/", admin_revisions, 0, {P_ANY}},
	{HTTP_M(HTTP_POST), "/admin/preview/", admin_preview, 0, {P__MAX}},
	{HTTP_FORM, "/admin/categories/", admin_categories, 0, {P__MAX}},
	{HTTP_FORM, "/admin/tags/", admin_tags, 0, {P__MAX}},
	{HTTP_FORM, "/admin/users/", admin_users, 0, {P__MAX}},
	{HTTP_FORM, "/admin/settings/", admin_settings, 0, {P__MAX}},
	{HTTP_READ, "/admin/assets/:file", admin_asset, 0, {P_FILE}},
	{HTTP_FORM, "/admin/media/", admin_media, 0, {P__MAX}},
	{HTTP_FORM, "/admin/media/:id/", admin_media_item, 0, {P_INT}},
	{HTTP_READ, "/", site_home, ROUTE_PAGED, {P__MAX}},
	{HTTP_READ, "/category/*path/", site_category, ROUTE_PAGED, {P_PATH}},
	{HTTP_READ, "/tag/:slug/", site_tag, ROUTE_PAGED, {P_SLUG}},
	{HTTP_READ, "/author/:login/", site_author, ROUTE_PAGED, {P_ANY}},
	{HTTP_READ, "/:year/", site_year, ROUTE_PAGED, {P_YEAR}},
	{HTTP_READ, "/:year/:month/", site_month, ROUTE_PAGED, {P_YEAR, P_MONTH}},
	{HTTP_FORM, "/*path/", site_resolve, 0, {P_ANY}},
};

const size_t site_nroutes = sizeof site_routes / sizeof site_routes[0];
