/* import_int.h - private to the WordPress import (import*.c): the state of
 * one run, shared by the driver (import.c), items and comments
 * (import_post.c) and old-URL redirects (import_redirect.c). */
#ifndef GAZETTE_IMPORT_IMPORT_INT_H
#define GAZETTE_IMPORT_IMPORT_INT_H

#include "core/arena.h"
#include "import/import.h"
#include "import/wxr.h"

/* A small string -> id map in an arena (categories, tags, users seen in
 * this run: far fewer than items). */
#define STRMAP_BUCKETS 1024
struct strmap_entry {
	const char *key;
	int64_t id;
	struct strmap_entry *next;
};
struct strmap {
	struct strmap_entry *b[STRMAP_BUCKETS];
};

struct pend_cat {
	const char *id, *slug, *parent, *name, *description;
	int line;
};

/* An attachment, noted by the checking pass (all are imported before the
 * first item, so that every body can point at them). */
struct imp_att {
	const char *wp_id, *url, *file; /* file: the path under the uploads folder */
	const char *title, *alt, *creator;
	int64_t date;
	int line;
};

/* A nav_menu_item, noted by the checking pass (menus are built last). */
struct imp_menu_src {
	const char *wp_id, *menu, *label, *type, *object, *object_id, *url, *parent;
	int64_t order;
	int line;
};

/* A category as the file has it: its old URL is built from these. */
struct imp_wpcat {
	const char *slug, *parent;
};

/* What the checking pass notes for the writing pass (in its arena). */
struct imp_collect {
	struct arena *a;
	struct imp_att *atts;
	size_t natts, capatts;
	struct imp_menu_src *menu;
	size_t nmenu, capmenu;
	bool oom;
};

struct fixup {
	int64_t local, wp_parent;
	int line;
};

struct imp {
	struct store *st;
	const struct import_opts *o;
	struct import_result *res;
	struct arena a;    /* per record, emptied after each */
	struct arena keep; /* the whole run */
	const char *source;
	bool gazette; /* a Gazette export: bodies are HTML already (sanitized again) */
	const char *permalink;
	int64_t now;
	uint64_t total_bytes;
	struct strmap cats, tags, users;
	struct strmap cats_made, tags_made; /* local slugs this run created */
	struct strmap atts, uploads; /* attachment wp id, upload path -> media id */
	const char **bases;          /* upload folder URLs seen ("http://x/wp-content/uploads/") */
	size_t nbases;
	bool media_done;
	struct imp_collect col;
	struct imp_wpcat *wpcats;
	size_t nwpcats, capwpcats;
	struct strmap wpcat_idx; /* wp slug -> index in wpcats */
	struct pend_cat *pend;
	size_t npend, cappend;
	bool cats_flushed;
	int64_t default_author;
	int64_t fake_id; /* dry run: ids of what would be created (negative) */
	struct fixup *fix;
	size_t nfix, capfix;
	char *errmsg;
	size_t errlen;
};

bool strmap_get(const struct strmap *m, const char *key, int64_t *id);
bool strmap_put(struct strmap *m, struct arena *a, const char *key, int64_t id);

void imp_warn(struct imp *im, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A valid local slug from a WordPress one (percent-decoded, lower-case),
 * else from fallback text; "" when neither gives one. */
const char *imp_slug(struct arena *a, const char *wp_slug, const char *fallback);
/* "YYYY-MM-DD HH:MM:SS" (GMT) to a time; false for "0000-..." or junk. */
bool imp_date(const char *s, int64_t *out);
/* Make sure the categories read so far are stored (at the first item). */
enum err imp_flush_categories(struct imp *im, bool final);
enum err imp_category_for(struct imp *im, const char *wp_slug, const char *name,
			  int64_t *id);
enum err imp_tag_for(struct imp *im, const char *wp_slug, const char *name, int64_t *id);
enum err imp_author_for(struct imp *im, const char *login, int64_t *id);

/* The value of an item's <wp:postmeta> key ("" when absent). */
const char *imp_meta(const struct wxr_item *it, const char *key);
/* Note a category as the file has it (for its old URL). */
enum err imp_note_wpcat(struct imp *im, const char *slug, const char *parent);

/* import_media.c */
/* Note an attachment (checking pass). */
void imp_collect_attachment(struct imp_collect *c, const struct wxr_item *it);
/* Import every noted attachment (once, before the first item). */
enum err imp_media_all(struct imp *im);
/* html with URLs of imported files pointed at their media URLs (the
 * closest variant for WordPress's name-WxH.ext sizes); *out is html
 * itself when nothing changed. */
enum err imp_media_rewrite(struct imp *im, const char *html, const char **out);
/* The featured image (_thumbnail_id) as a media id; -1 when none. */
int64_t imp_media_featured(struct imp *im, const struct wxr_item *it);

/* import_menu.c */
void imp_collect_menu_item(struct imp_collect *c, const struct wxr_item *it);
/* Build the site's menu from the chosen nav_menu (at the end). */
enum err imp_menu(struct imp *im);

/* import_post.c */
enum err imp_item(struct imp *im, const struct wxr_item *it);
enum err imp_fixups(struct imp *im);

/* import_redirect.c */
/* The path of an absolute URL ("https://x.org/a/b/?q" -> "/a/b/"); NULL
 * when it has none worth redirecting ("/" or a query-only link). */
const char *imp_url_path(struct arena *a, const char *url);
/* Record a 301 from `from` to `to` unless they are the same. */
enum err imp_redirect(struct imp *im, const char *from, const char *to);
/* The redirects every WordPress site's feeds need. */
enum err imp_feed_redirects(struct imp *im);
/* Old category archive URLs (and feeds) that changed: to the new ones. */
enum err imp_category_redirects(struct imp *im);
/* A tag archive /tag/OLD/ (and feeds) to /tag/NEW/ when they differ. */
enum err imp_tag_redirect(struct imp *im, const char *wp_slug, const char *slug);

#endif
