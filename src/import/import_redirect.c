/* import_redirect.c - old WordPress URLs that keep working: each item's
 * permalink (and an article's comment feed) answers 301 with its new URL,
 * and the feed addresses WordPress has and we do not (/feed/rss2/ ...) go
 * to ours. ?p=ID, ?page_id=ID, ?cat=ID and ?tag=SLUG are answered from
 * the import map by site/home.c. Category and tag archives whose URL
 * changed (a category merged into one the site had elsewhere in its tree,
 * a slug that had to change or take a suffix) answer 301 with their new
 * URL, and so do their feeds. A redirect to itself is never stored. */
#include <string.h>

#include "core/str.h"
#include "import/import_int.h"

const char *imp_url_path(struct arena *a, const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return NULL;
	p += 3;
	p += strcspn(p, "/?#");
	size_t n = strcspn(p, "?#");
	if (n <= 1)
		return NULL; /* the home page, or ?p=ID links */
	char *path = str_url_decode(a, p, n, false);
	if (!path || path[0] != '/')
		return NULL;
	for (const unsigned char *u = (const unsigned char *)path; *u; u++)
		if (*u < 0x20 || *u == 0x7f || *u == '\\')
			return NULL;
	/* "//greek/x/" is "/greek/x/" to WordPress (exports have such links) */
	char *w = path;
	for (const char *r = path; *r; r++)
		if (!(*r == '/' && w > path && w[-1] == '/'))
			*w++ = *r;
	*w = '\0';
	/* our URLs end with '/', and a path without one is sent there first */
	if (path[strlen(path) - 1] != '/')
		path = arena_printf(a, "%s/", path);
	return path;
}

enum err imp_redirect(struct imp *im, const char *from, const char *to)
{
	if (!from || !to)
		return ERR_NOMEM;
	if (strcmp(from, to) == 0)
		return ERR_OK; /* the same URL: nothing to do, and never a loop */
	struct import_count *n = &im->res->n[IMP_REDIRECT];
	struct redirect cur;
	enum err rc = STORE_CALL(im->st, redirect_get, &im->a, from, &cur);
	if (rc == ERR_OK && strcmp(cur.to_path, to) == 0) {
		n->unchanged++;
		return ERR_OK;
	}
	if (rc != ERR_OK && rc != ERR_NOTFOUND)
		return rc;
	if (rc == ERR_OK)
		n->updated++;
	else
		n->created++;
	if (im->o->dry_run)
		return ERR_OK;
	struct redirect r = {from, to, 301};
	return STORE_CALL(im->st, redirect_set, &r);
}

enum err imp_feed_redirects(struct imp *im)
{
	static const char *const pairs[][2] = {
		{"/feed/rss/", "/feed/"},
		{"/feed/rss2/", "/feed/"},
		{"/feed/rdf/", "/feed/"},
		{"/comments/feed/rss2/", "/comments/feed/"},
		{"/comments/feed/rss/", "/comments/feed/"},
	};
	enum err rc = ERR_OK;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0] && rc == ERR_OK; i++)
		rc = imp_redirect(im, pairs[i][0], pairs[i][1]);
	return rc;
}

/* An archive and its feeds: base, base feed/, base feed/atom/, base
 * feed/rss2/ (WordPress's) from old to new. */
static enum err archive_redirects(struct imp *im, const char *old, const char *new)
{
	static const char *const from_sfx[] = {"", "feed/", "feed/atom/", "feed/rss2/"};
	static const char *const to_sfx[] = {"", "feed/", "feed/atom/", "feed/"};
	if (strcmp(old, new) == 0)
		return ERR_OK;
	enum err rc = ERR_OK;
	for (size_t i = 0; i < 4 && rc == ERR_OK; i++)
		rc = imp_redirect(im, arena_printf(&im->a, "%s%s", old, from_sfx[i]),
				  arena_printf(&im->a, "%s%s", new, to_sfx[i]));
	return rc;
}

/* A WordPress slug as it is in a request path (percent-decoded); NULL
 * when it cannot be one. */
static const char *path_slug(struct arena *a, const char *wp_slug)
{
	char *s = str_url_decode(a, wp_slug, strlen(wp_slug), false);
	if (!s || !*s)
		return NULL;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if (*u <= 0x20 || *u == 0x7f || *u == '/' || *u == '\\' || *u == '?' || *u == '#')
			return NULL;
	return s;
}

enum err imp_category_redirects(struct imp *im)
{
	enum err rc = ERR_OK;
	for (size_t i = 0; i < im->nwpcats && rc == ERR_OK; i++) {
		struct arena *a = &im->a;
		int64_t id;
		struct category c;
		if (!strmap_get(&im->cats, im->wpcats[i].slug, &id) || id <= 0 ||
		    STORE_CALL(im->st, category_get, a, id, &c) != ERR_OK)
			continue; /* dry run: not made */
		/* the old path, from the file's own tree (root first) */
		const char *old = "/";
		size_t k = i;
		bool ok = true;
		for (int depth = 0; ok; depth++) {
			const char *seg = path_slug(a, im->wpcats[k].slug);
			int64_t up;
			ok = seg && depth < 32;
			if (ok)
				old = arena_printf(a, "/%s%s", seg, old);
			if (!ok || !*im->wpcats[k].parent)
				break;
			ok = strmap_get(&im->wpcat_idx, im->wpcats[k].parent, &up);
			k = (size_t)up;
		}
		if (ok && old)
			rc = archive_redirects(im, arena_printf(a, "/category%s", old),
					       arena_printf(a, "/category/%s/", c.path));
		arena_free(&im->a);
		arena_init(&im->a, 0);
	}
	return rc;
}

enum err imp_tag_redirect(struct imp *im, const char *wp_slug, const char *slug)
{
	const char *old = path_slug(&im->a, wp_slug);
	if (!old)
		return ERR_OK;
	return archive_redirects(im, arena_printf(&im->a, "/tag/%s/", old),
				 arena_printf(&im->a, "/tag/%s/", slug));
}
