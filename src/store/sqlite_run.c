/* sqlite_run.c - running statements for the SQLite backend: prepared
 * statement lookup, error mapping, transactions with their change-log row,
 * and the three shapes every operation takes (read one row, read all rows,
 * write in a transaction). */
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "store/sqlite_int.h"

sqlite3_stmt *stmt(struct store *st, struct conn *c, enum stmt s)
{
	(void)st;
	if (!c->st[s]) {
		int rc = sqlite3_prepare_v3(c->db, sqlite_stmt_sql[s], -1, SQLITE_PREPARE_PERSISTENT,
					    &c->st[s], NULL);
		if (rc != SQLITE_OK) {
			log_error("store: prepare %d: %s", (int)s, sqlite3_errmsg(c->db));
			return NULL;
		}
	} else {
		sqlite3_reset(c->st[s]);
		sqlite3_clear_bindings(c->st[s]);
	}
	return c->st[s];
}

/* Errors are logged here, where they are first seen (st->errmsg is only
 * written by single-threaded maintenance: backup). */
enum err sq_err(struct store *st, struct conn *c, int rc)
{
	(void)st;
	switch (rc) { /* extended codes first, then the primary code */
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return ERR_CONFLICT;
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return ERR_INVALID;
	}
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return ERR_OK;
	case SQLITE_NOMEM:
		return ERR_NOMEM;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		log_error("store: %s", sqlite3_errmsg(c->db));
		return ERR_IO;
	default:
		log_error("store: %s (%d)", sqlite3_errmsg(c->db), rc);
		return ERR_DB;
	}
}

enum err sq_exec(struct store *st, struct conn *c, sqlite3_stmt *s)
{
	if (!s)
		return ERR_DB;
	int rc = sqlite3_step(s);
	enum err e = rc == SQLITE_DONE ? ERR_OK : sq_err(st, c, rc);
	sqlite3_reset(s);
	return e;
}

enum err sq_run(struct store *st, struct conn *c, enum stmt which, const struct sq_arg *args,
	       int n)
{
	sqlite3_stmt *s = stmt(st, c, which);
	if (!s)
		return ERR_DB;
	sq_bind(s, args, n);
	return sq_exec(st, c, s);
}

enum err sq_begin(struct store *st, struct conn *c)
{
	return sq_exec(st, c, stmt(st, c, S_BEGIN));
}

enum err sq_end(struct store *st, struct conn *c, enum err rc)
{
	if (rc == ERR_OK) {
		rc = sq_exec(st, c, stmt(st, c, S_COMMIT));
		if (rc == ERR_OK)
			return ERR_OK;
	}
	if (!sqlite3_get_autocommit(c->db))
		sq_exec(st, c, stmt(st, c, S_ROLLBACK));
	return rc;
}

enum err sq_change(struct store *st, struct conn *c, const char *kind, int64_t id,
		   const char *detail)
{
	sqlite3_stmt *s = stmt(st, c, S_CHANGE_ADD);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, clock_now());
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, id);
	sqlite3_bind_text(s, 4, detail ? detail : "", -1, SQLITE_STATIC);
	return sq_exec(st, c, s);
}

const char *col_text(struct arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	int n = sqlite3_column_bytes(s, i);
	return arena_strndup(a, t ? (const char *)t : "", t ? (size_t)n : 0);
}

void sq_bind(sqlite3_stmt *s, const struct sq_arg *args, int n)
{
	for (int i = 0; i < n; i++) {
		if (args[i].kind == SQ_ARG_TEXT)
			sqlite3_bind_text(s, i + 1, args[i].text, -1, SQLITE_STATIC);
		else if (args[i].kind == SQ_ARG_INT)
			sqlite3_bind_int64(s, i + 1, args[i].num);
		else
			sqlite3_bind_null(s, i + 1);
	}
}

enum err sq_each(struct store *st, enum stmt which, const struct sq_arg *args, int n,
		 sq_each_fn row, void *ud)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, which);
	if (!s) {
		conn_put(st, c);
		return ERR_DB;
	}
	sq_bind(s, args, n);
	enum err rc = ERR_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		if (!row(ud, s))
			break;
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		rc = sq_err(st, c, r);
	sqlite3_reset(s);
	conn_put(st, c);
	return rc;
}

struct one_row {
	struct arena *a;
	sq_row_fn read;
	void *out;
	bool found;
};

static bool one_row(void *ud, sqlite3_stmt *s)
{
	struct one_row *x = ud;
	x->read(x->a, s, x->out);
	x->found = true;
	return false; /* the first row is all */
}

enum err sq_one(struct store *st, struct arena *a, enum stmt which, const struct sq_arg *args,
		int n, sq_row_fn read, void *out)
{
	struct one_row x = {.a = a, .read = read, .out = out};
	enum err rc = sq_each(st, which, args, n, one_row, &x);
	if (rc != ERR_OK)
		return rc;
	if (!x.found)
		return ERR_NOTFOUND;
	return a->failed ? ERR_NOMEM : ERR_OK;
}

struct all_rows {
	struct arena *a;
	sq_row_fn read;
	size_t elem, cap, count;
	char *items;
	bool nomem;
};

static bool all_row(void *ud, sqlite3_stmt *s)
{
	struct all_rows *x = ud;
	if (x->count == x->cap) {
		size_t nc = x->cap ? x->cap * 2 : 16;
		char *grown = arena_realloc(x->a, x->items, x->cap * x->elem, nc * x->elem);
		if (!grown) {
			x->nomem = true;
			return false;
		}
		x->items = grown;
		x->cap = nc;
	}
	void *item = x->items + x->count * x->elem;
	memset(item, 0, x->elem);
	x->read(x->a, s, item);
	x->count++;
	return true;
}

enum err sq_all(struct store *st, struct arena *a, enum stmt which, const struct sq_arg *args,
		int n, sq_row_fn read, size_t elem, void **out, size_t *count)
{
	struct all_rows x = {.a = a, .read = read, .elem = elem};
	enum err rc = sq_each(st, which, args, n, all_row, &x);
	if (x.nomem || a->failed)
		rc = ERR_NOMEM;
	*out = x.items;
	*count = x.count;
	return rc;
}


/* Both writers: one statement in a transaction with its change-log row;
 * the posts `affected` selects with `key` (S__MAX: none), read before the
 * write, are re-indexed after it. */
static enum err write_logged(struct store *st, enum stmt which, const struct sq_arg *args,
			     int n, unsigned flags, enum stmt affected, int64_t key,
			     const char *kind, int64_t id, const char *detail, int64_t *rowid)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL, newid = 0;
	size_t nids = 0;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK && affected != S__MAX)
		rc = sq_ids(st, c, &a, affected, key, &ids, &nids);
	if (rc == ERR_OK) {
		sqlite3_stmt *s = stmt(st, c, which);
		if (s)
			sq_bind(s, args, n);
		rc = sq_exec(st, c, s);
		if (rc == ERR_OK && (flags & SQ_MUST_CHANGE) && sqlite3_changes(c->db) == 0)
			rc = ERR_NOTFOUND;
		newid = sqlite3_last_insert_rowid(c->db);
	}
	if (rc == ERR_OK)
		rc = sq_index_ids(st, c, ids, nids);
	if (rc == ERR_OK)
		rc = sq_change(st, c, kind, (flags & SQ_LOG_ROWID) ? newid : id, detail);
	rc = sq_end(st, c, rc);
	if (rc == ERR_OK && rowid)
		*rowid = newid;
	arena_free(&a);
	conn_put(st, c);
	return rc;
}

enum err sq_write(struct store *st, enum stmt which, const struct sq_arg *args, int n,
		  unsigned flags, const char *kind, int64_t id, const char *detail,
		  int64_t *rowid)
{
	return write_logged(st, which, args, n, flags, S__MAX, 0, kind, id, detail, rowid);
}

enum err sq_write_reindex(struct store *st, enum stmt which, const struct sq_arg *args, int n,
			  enum stmt affected, int64_t key, const char *kind, int64_t id,
			  const char *detail, bool must_change)
{
	return write_logged(st, which, args, n, must_change ? SQ_MUST_CHANGE : 0, affected, key,
			    kind, id, detail, NULL);
}

enum err sq_each_article(struct store *st, size_t batch, sq_id_fn each, sq_conn_fn first,
			 sq_conn_fn last, void (*progress)(int64_t done, int64_t total))
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL;
	size_t n = 0;
	enum err rc = sq_ids(st, c, &a, S_ARTICLE_IDS, 0, &ids, &n);
	/* even with no articles, one batch runs first and last */
	for (size_t i = 0; rc == ERR_OK && (i < n || i == 0); i += batch) {
		size_t end = i + batch < n ? i + batch : n;
		rc = sq_begin(st, c);
		if (rc == ERR_OK && i == 0 && first)
			rc = first(st, c);
		for (size_t k = i; rc == ERR_OK && k < end; k++)
			rc = each(st, c, ids[k]);
		if (rc == ERR_OK && end == n && last)
			rc = last(st, c);
		rc = sq_end(st, c, rc);
		if (rc == ERR_OK && progress && n)
			progress((int64_t)end, (int64_t)n);
		if (end == n)
			break;
	}
	arena_free(&a);
	conn_put(st, c);
	return rc;
}
