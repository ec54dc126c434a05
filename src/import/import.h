/* import.h - importing a WordPress export (WXR) into a site.
 *
 * import_wordpress reads the file twice with the streaming reader
 * (wxr.h): the first pass checks it all (well-formed XML, the export
 * namespace, every item with a numeric id and a type, no duplicate post or
 * comment ids) and writes nothing, so a bad file leaves the site exactly
 * as it was; the second pass writes, one store operation at a time:
 * authors become users without a password (they cannot log in until one
 * is set), categories keep their tree, tags their slugs, posts and pages
 * their status, GMT dates, slugs, excerpts, stickiness and parents;
 * comments keep their threading, status, author name, email, URL, address
 * and date. Content goes through convert.h then sanitize.h; old URLs get
 * redirects (import_redirect.c). Which WordPress id became which row is
 * kept (store import_map), so running the same import again updates what
 * changed and duplicates nothing. With dry_run nothing is written and the
 * counts say what would be created or updated.
 *
 * Attachments (import_media.c) become media records when their files are
 * found under media_dir (a copy of the old uploads folder), going through
 * the media library's checks and variants; URLs of imported files in
 * bodies are rewritten, _thumbnail_id becomes the featured image. One
 * navigation menu (nav_menu_item, import_menu.c) becomes the site's menu.
 * Old category and tag archive URLs that changed get redirects. */
#ifndef GAZETTE_IMPORT_IMPORT_H
#define GAZETTE_IMPORT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "import/convert.h"
#include "import/sanitize.h"
#include "store/store.h"

enum import_kind {
	IMP_USER,
	IMP_CATEGORY,
	IMP_TAG,
	IMP_POST,
	IMP_PAGE,
	IMP_COMMENT,
	IMP_REDIRECT,
	IMP_MEDIA,
	IMP_MENU,
	IMP_KIND__MAX
};

struct import_count {
	int64_t created, updated, unchanged, skipped;
};

#define IMPORT_WARNINGS 40

struct import_result {
	struct import_count n[IMP_KIND__MAX];
	int64_t items;       /* <item>s read */
	int64_t attachments; /* attachment items in the file */
	int64_t menu_items;  /* nav_menu_item items in the file */
	int64_t media_urls;  /* URLs in bodies pointed at imported media */
	bool no_media_dir;   /* attachments were found but no media_dir given */
	char menu[80];       /* the menu imported ("" none) */
	char other_menus[200]; /* the file's other menus, "slug (N items), ..." */
	int64_t other_types; /* skipped: revisions, blocks, custom types */
	int64_t multi_category; /* articles with several categories (the first is kept) */
	struct convert_report convert;
	struct sanitize_report sanitize;
	/* the first IMPORT_WARNINGS warnings, "line N: what"; nwarnings counts all */
	char *warnings[IMPORT_WARNINGS];
	size_t nwarnings;
	bool wrote;          /* the writing pass began (a failure may leave part of it) */
	char source[200];    /* the exported site's base URL */
	char version[8];     /* WXR version */
};

struct import_opts {
	const char *path;
	bool dry_run;
	const char *library_dir; /* the media library's folder (config media_dir; needed
				  * with media_dir) */
	const char *media_dir; /* a copy of the old wp-content/uploads; NULL: none */
	const char *menu;      /* the nav_menu slug to import; NULL: the largest */
	/* Called as the writing pass goes: bytes of the file read, its size,
	 * items so far. May be NULL. */
	void (*progress)(void *ud, uint64_t bytes, uint64_t total, int64_t items);
	void *ud;
};

const char *import_kind_name(enum import_kind k);

/* The media URL ("/media/...") of a file an import brought in, by its
 * path under the old uploads folder ("2011/07/a.jpg"; a WordPress size
 * copy "a-300x200.jpg" gives the narrowest variant at least as wide);
 * NULL when no import brought it in. In the arena. */
const char *import_upload_url(struct store *st, struct arena *a, const char *file);

/* Import. On a bad file: ERR_INVALID, *errline the line at fault and
 * errmsg the reason, nothing written. res->warnings are malloc'd: free
 * them with import_result_free. */
enum err import_wordpress(struct store *st, const struct import_opts *o,
			  struct import_result *res, char *errmsg, size_t errlen, int *errline);
void import_result_free(struct import_result *res);

#endif
