/* snap.h - what every page reads and only a logged change alters: the
 * settings, the site info derived from them, the categories and the
 * resolved navigation menu. Read once per change instead of once per
 * request (issue 8: they were a fifth of an uncached article).
 *
 * Each worker thread keeps its own snapshot: no locks, no shared counts.
 * snap_current() reads the change log's newest row (store change_last)
 * and rebuilds the thread's snapshot when the log has moved since it was
 * read. That is exact: every write logs its change in its own transaction
 * (DESIGN.md), and a public GET reads the log and everything else in one
 * read transaction, so an unchanged newest id means unchanged data. The
 * snapshot is also rebuilt after SNAP_MAX_AGE seconds, for what changes
 * with the clock alone (a page dated in the future entering the default
 * menu).
 *
 * Lifetime: a replaced snapshot may still be referenced by the request
 * that replaced it, so it is retired, not freed, until snap_request_done()
 * (serve's request_end hook) or the thread's exit. */
#ifndef GAZETTE_VIEW_SNAP_H
#define GAZETTE_VIEW_SNAP_H

#include <stdint.h>

#include "content/settings.h"
#include "store/store.h"

#define SNAP_MAX_AGE 60 /* seconds */

/* Site settings a page needs. */
struct site_info {
	const char *title, *tagline, *description, *base_url, *permalink, *lang;
	int64_t per_page;
	int64_t feed_items;  /* entries per feed */
	bool feed_full_text; /* feeds carry bodies, not only excerpts */
};

/* One resolved menu entry: url is NULL for a group that only holds its
 * children (which are never groups). */
struct nav_link {
	const char *name, *url;
	struct nav_link *kids;
	size_t nkids;
};

struct snap_cat_ref {
	int64_t id;
	size_t at; /* index into cats */
};

/* An author as pages name them. */
struct snap_author {
	int64_t id;
	const char *login, *name;
};

struct site_snap {
	struct store *st;
	int64_t change_id, change_at; /* the change log's newest row when read */
	int64_t built_at;             /* clock time of the build */
	struct settings_snapshot settings;
	struct site_info site;
	struct category *cats;        /* tree order (store category_list) */
	const char **cat_urls;        /* "/category/<path>/", parallel to cats */
	struct snap_cat_ref *cat_by_id; /* sorted by id */
	size_t ncats;
	struct snap_author *authors;  /* every user, sorted by id */
	size_t nauthors;
	struct nav_link *nav;         /* top-level entries, in order */
	size_t nnav;
	/* Template data every page shares, built here once: read-only (pages
	 * reference them from their own trees, never change them). */
	const struct tval *nav_val;   /* the menu, nothing current */
	const struct tval *feeds_val; /* the site's feeds (view_site_feeds) */
	/* JSON-LD pieces every page shares (view_snap_jsonld), when the site
	 * has a base_url, so that every request has the same origin, ld_origin
	 * (else all NULL): the publisher, the Home crumb's item, and each
	 * category's item (parallel to cats) at its position in the category's
	 * crumbs. */
	const char *ld_origin, *ld_publisher, *ld_home;
	const char **cat_ld;
	size_t *cat_ld_pos;
	struct site_snap *next;       /* on the retired list */
	struct arena arena;           /* everything above */
};

/* The calling thread's snapshot of st as of now, rebuilt when stale. */
enum err snap_current(struct store *st, int64_t now, const struct site_snap **out);
/* The calling thread's last snapshot of st, however old, or NULL if it
 * has none: what the error page names the site with when the store cannot
 * be read (snap_current failed: a database outage). */
const struct site_snap *snap_last(struct store *st);
/* Free the snapshots this thread replaced during the request that ends. */
void snap_request_done(void);

/* The user with this id (NULL if none). */
const struct snap_author *snap_author(const struct site_snap *s, int64_t id);
/* The category with this id (NULL if none); *url gets its archive URL. */
const struct category *snap_category(const struct site_snap *s, int64_t id, const char **url);

#endif
