/* import_redirect.c - old WordPress URLs that keep working: each item's
 * permalink (and an article's comment feed) answers 301 with its new URL,
 * and the feed addresses WordPress has and we do not (/feed/rss2/ ...) go
 * to ours. ?p=ID, ?page_id=ID, ?cat=ID and ?tag=SLUG are answered from
 * the import map by site/home.c. A redirect to itself is never stored. */
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
