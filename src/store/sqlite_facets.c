/* sqlite_facets.c - what a post change touches, for the change log (the
 * detail tokens and their meaning: store/facets.h). */
#include <string.h>

#include "core/buf.h"
#include "store/sqlite_int.h"

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
	facets_menu_hash(f, (const char *)sqlite3_column_text(s, 6),
			 (const char *)sqlite3_column_text(s, 7));
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
	while ((r = sqlite3_step(s)) == SQLITE_ROW && !f->too_many_tags)
		facets_add_tag(f, sqlite3_column_int64(s, 0));
	sqlite3_reset(s);
	return ERR_OK;
}

enum err sq_post_changed(struct store *st, struct conn *c, int64_t id,
			 const struct post_facets *before)
{
	struct post_facets after;
	enum err rc = sq_post_facets(st, c, id, &after);
	if (rc != ERR_OK)
		return rc;
	struct buf b = BUF_INIT;
	facets_detail(&b, before, &after);
	rc = b.oom ? ERR_NOMEM : sq_change(st, c, "post", id, b.data ? b.data : "");
	buf_free(&b);
	return rc;
}
