/* sqlite_facets.c - what a post change touches, for the change log.
 *
 * A server's page cache purges by dependency, so the change-log row of a
 * post write says which listings the post was on before the change and is
 * on after it (their union): the "detail" is a space-separated list of
 *   pub        the post was or is public (published, or scheduled)
 *   page       it is a static page
 *   nav        a menu entry appeared, vanished or changed: a top-level
 *              page's (the default menu) or a stored menu item's post
 *   c<ID>      its category
 *   a<ID>      its author
 *   t<ID>      one of its tags
 *   d<UNIX>    its date (for the year and month archives)
 *   all        more tags than one row lists: every page may be affected
 * Readers must ignore tokens they do not know. */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "store/sqlite_int.h"

#define MAX_TAGS 64

static void row_facets(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct post_facets *f = out;
	(void)a;
	f->exists = true;
	f->page = strcmp((const char *)sqlite3_column_text(s, 0), "page") == 0;
	const char *status = (const char *)sqlite3_column_text(s, 1);
	f->pub = strcmp(status, "published") == 0 || strcmp(status, "scheduled") == 0;
	f->category = sqlite3_column_int64(s, 2);
	f->author = sqlite3_column_int64(s, 3);
	f->date = sqlite3_column_int64(s, 4);
	f->parent = sqlite3_column_int64(s, 5);
	/* a cheap fingerprint of what a menu shows: title and slug */
	const unsigned char *t = sqlite3_column_text(s, 6), *sl = sqlite3_column_text(s, 7);
	uint64_t h = 1469598103934665603ull;
	for (; t && *t; t++)
		h = (h ^ *t) * 1099511628211ull;
	h = (h ^ '/') * 1099511628211ull;
	for (; sl && *sl; sl++)
		h = (h ^ *sl) * 1099511628211ull;
	f->menu_hash = (h ^ (uint64_t)f->date) * 1099511628211ull; /* the date orders the menu */
	f->in_menu = sqlite3_column_int(s, 8) != 0;
}

enum err sq_post_facets(struct store *st, struct conn *c, int64_t id, struct post_facets *f)
{
	memset(f, 0, sizeof *f);
	sqlite3_stmt *s = stmt(st, c, S_POST_FACETS);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		row_facets(NULL, s, f);
	sqlite3_reset(s);
	if (r != SQLITE_ROW)
		return r == SQLITE_DONE ? ERR_OK : sq_err(st, c, r); /* gone: no facets */
	s = stmt(st, c, S_POST_TAG_IDS);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (f->ntags == MAX_TAGS) {
			f->too_many_tags = true;
			break;
		}
		f->tags[f->ntags++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	return ERR_OK;
}

static bool seen(const struct buf *b, const char *tok)
{
	size_t n = strlen(tok);
	for (const char *p = b->data; p && (p = strstr(p, tok)); p += n)
		if ((p == b->data || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void add(struct buf *b, const char *fmt, int64_t v)
{
	char tok[32];
	snprintf(tok, sizeof tok, fmt, (long long)v);
	if (seen(b, tok))
		return;
	if (b->len)
		buf_putc(b, ' ');
	buf_puts(b, tok);
}

static void add_side(struct buf *b, const struct post_facets *f)
{
	if (!f->exists)
		return;
	if (f->pub)
		add(b, "pub", 0);
	if (f->page)
		add(b, "page", 0);
	if (f->category)
		add(b, "c%lld", f->category);
	if (f->author)
		add(b, "a%lld", f->author);
	add(b, "d%lld", f->date);
	for (size_t i = 0; i < f->ntags; i++)
		add(b, "t%lld", f->tags[i]);
	if (f->too_many_tags)
		add(b, "all", 0);
}

enum err sq_post_changed(struct store *st, struct conn *c, int64_t id,
			 const struct post_facets *before)
{
	struct post_facets after;
	enum err rc = sq_post_facets(st, c, id, &after);
	if (rc != ERR_OK)
		return rc;
	struct buf b = BUF_INIT;
	add_side(&b, before);
	add_side(&b, &after);
	/* A menu entry changes when it appears, vanishes, or shows another
	 * title or URL while public: a top-level page's in the default menu,
	 * any post's a stored menu links to. */
	bool was = before->exists && before->pub &&
		   ((before->page && !before->parent) || before->in_menu);
	bool is = after.exists && after.pub && ((after.page && !after.parent) || after.in_menu);
	if (was != is || (is && before->menu_hash != after.menu_hash))
		add(&b, "nav", 0);
	rc = b.oom ? ERR_NOMEM : sq_change(st, c, "post", id, b.data ? b.data : "");
	buf_free(&b);
	return rc;
}
