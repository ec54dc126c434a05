/* pg_menu.c - the site's navigation menu in the PostgreSQL backend: one
 * table of items (migration 4), read whole and replaced whole, as
 * sqlite_menu.c does. A change logs one "menu" row, which purges every
 * cached page (every page shows the menu). Ownership: menu_get's array and
 * strings live in the arena. */
#include <string.h>

#include "store/pg_int.h"

static void row_item(struct arena *a, const PGresult *r, int row, void *out)
{
	struct menu_item *m = out;
	memset(m, 0, sizeof *m);
	m->id = pg_int(r, row, 0);
	m->parent_id = pg_int(r, row, 1);
	m->position = pg_int(r, row, 2);
	if (!menu_kind_parse(PQgetvalue(r, row, 3), &m->kind))
		m->kind = MENU_URL;
	m->label = pg_text(a, r, row, 4);
	m->url = pg_text(a, r, row, 5);
	m->target_id = pg_int(r, row, 6);
}

enum err pgn_menu_get(struct store *st, struct arena *a, struct menu_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return pg_all(st, a, G_MENU_GET, NULL, 0, row_item, sizeof **out, (void **)out, n);
}

enum err pgn_menu_set(struct store *st, const struct menu_item *items, size_t n)
{
	if (!menu_well_formed(items, n))
		return ERR_INVALID;
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_MENU_CLEAR, NULL, 0);
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		const struct menu_item *m = &items[i];
		rc = pg_exec(st, c, G_MENU_ADD,
			     PG_ARGS(PG_I(m->id), PG_I(m->parent_id), PG_I(m->position),
				     PG_T(menu_kind_name(m->kind)), PG_T(m->label ? m->label : ""),
				     PG_T(m->url ? m->url : ""), PG_I(m->target_id)));
	}
	if (rc == ERR_OK)
		rc = pg_change(st, c, "menu", 0, "");
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}
