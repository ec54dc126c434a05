/* sqlite_menu.c - the site's navigation menu in the SQLite backend: one
 * table of items (migration 13), read whole and replaced whole. A change
 * logs one "menu" row, which purges every cached page (every page shows
 * the menu). Ownership: menu_get's array and strings live in the arena. */
#include <string.h>

#include "store/sqlite_int.h"

static void row_item(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct menu_item *m = out;
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(s, 0);
	m->parent_id = sqlite3_column_int64(s, 1);
	m->position = sqlite3_column_int64(s, 2);
	if (!menu_kind_parse((const char *)sqlite3_column_text(s, 3), &m->kind))
		m->kind = MENU_URL;
	m->label = col_text(a, s, 4);
	m->url = col_text(a, s, 5);
	m->target_id = sqlite3_column_int64(s, 6);
}

enum err sqm_menu_get(struct store *st, struct arena *a, struct menu_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return sq_all(st, a, S_MENU_GET, NULL, 0, row_item, sizeof **out, (void **)out, n);
}

enum err sqm_menu_set(struct store *st, const struct menu_item *items, size_t n)
{
	if (!menu_well_formed(items, n))
		return ERR_INVALID;
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK)
		rc = sq_run(st, c, S_MENU_CLEAR, NULL, 0);
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		const struct menu_item *m = &items[i];
		rc = sq_run(st, c, S_MENU_ADD,
			    SQ_ARGS(SQ_I(m->id), SQ_I(m->parent_id), SQ_I(m->position),
				    SQ_T(menu_kind_name(m->kind)), SQ_T(m->label ? m->label : ""),
				    SQ_T(m->url ? m->url : ""), SQ_I(m->target_id)));
	}
	if (rc == ERR_OK)
		rc = sq_change(st, c, "menu", 0, "");
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	return rc;
}
