/* sqlite_copy.c - the SQLite backend's side of copying a whole site
 * (store/copy.h): a table's rows out as typed values, and rows into an
 * empty database in one transaction, with the search index built at the
 * end in the same transaction.
 *
 * The SELECT and INSERT texts come from copy_tables.c (names from its
 * fixed list; every value bound). A copy holds one pooled connection from
 * copy_begin to copy_end (struct sq's copying), with one prepared INSERT
 * per table, finalized at copy_end. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "store/sqlite_int.h"

#define SQ(st) ((struct sq *)(st)->impl)

/* Articles indexed between two progress reports. */
#define INDEX_STEP 500

static void read_value(sqlite3_stmt *s, int i, enum copy_type type, struct copy_value *v)
{
	memset(v, 0, sizeof *v);
	if (sqlite3_column_type(s, i) == SQLITE_NULL) {
		v->null = true;
		return;
	}
	switch (type) {
	case COPY_INT:
		v->i = sqlite3_column_int64(s, i);
		break;
	case COPY_BOOL:
		v->i = sqlite3_column_int64(s, i) != 0;
		break;
	case COPY_REAL:
		v->d = sqlite3_column_double(s, i);
		break;
	case COPY_TEXT:
		v->p = (const char *)sqlite3_column_text(s, i);
		v->len = (size_t)sqlite3_column_bytes(s, i);
		break;
	default:
		v->p = sqlite3_column_blob(s, i);
		v->len = (size_t)sqlite3_column_bytes(s, i);
		break;
	}
	if (!v->p)
		v->p = "";
}

enum err sqy_copy_read(struct store *st, enum copy_table t, copy_row_fn each, void *ud)
{
	const struct copy_table_def *d = &copy_tables[t];
	struct buf sql = BUF_INIT;
	if (!copy_select_sql(t, &sql)) {
		buf_free(&sql);
		return ERR_NOMEM;
	}
	struct conn *c = conn_get(st); /* the thread's snapshot inside read_begin */
	if (!c) {
		buf_free(&sql);
		return ERR_DB;
	}
	sqlite3_stmt *s = NULL;
	int r = sqlite3_prepare_v2(c->db, sql.data, -1, &s, NULL);
	enum err rc = r == SQLITE_OK ? ERR_OK : sq_err(st, c, r);
	struct copy_value row[COPY_MAX_COLS];
	while (rc == ERR_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
		for (size_t i = 0; i < d->ncols; i++)
			read_value(s, (int)i, d->cols[i].type, &row[i]);
		rc = each(ud, row);
	}
	if (rc == ERR_OK && r != SQLITE_DONE)
		rc = sq_err(st, c, r);
	sqlite3_finalize(s);
	conn_put(st, c);
	buf_free(&sql);
	return rc;
}

static enum err count_on(struct store *st, struct conn *c, enum copy_table t, int64_t *n)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", copy_tables[t].name);
	sqlite3_stmt *s = NULL;
	int r = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL);
	if (r == SQLITE_OK)
		r = sqlite3_step(s);
	enum err rc = r == SQLITE_ROW ? ERR_OK : sq_err(st, c, r);
	*n = rc == ERR_OK ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc;
}

enum err sqy_copy_count(struct store *st, enum copy_table t, int64_t *n)
{
	struct sq *q = SQ(st);
	if (q->copying)
		return count_on(st, q->copying, t, n);
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = count_on(st, c, t, n);
	conn_put(st, c);
	return rc;
}

static void copy_close(struct store *st)
{
	struct sq *q = SQ(st);
	for (int t = 0; t < COPY_TABLE__MAX; t++) {
		sqlite3_finalize(q->copy_insert[t]);
		q->copy_insert[t] = NULL;
	}
	conn_put(st, q->copying);
	q->copying = NULL;
}

enum err sqy_copy_begin(struct store *st)
{
	struct sq *q = SQ(st);
	if (q->copying)
		return ERR_INVALID;
	st->errmsg[0] = '\0';
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c); /* the write lock until copy_end */
	q->copying = c;
	for (int t = 0; rc == ERR_OK && t < COPY_TABLE__MAX; t++) {
		int64_t n = 0;
		rc = count_on(st, c, (enum copy_table)t, &n);
		if (rc == ERR_OK && n > 0) {
			snprintf(st->errmsg, sizeof st->errmsg, "table %s holds %lld rows",
				 copy_tables[t].name, (long long)n);
			rc = ERR_CONFLICT;
		}
	}
	if (rc != ERR_OK) {
		sq_end(st, c, rc);
		copy_close(st);
	}
	return rc;
}

static sqlite3_stmt *insert_stmt(struct store *st, struct conn *c, enum copy_table t)
{
	struct sq *q = SQ(st);
	if (q->copy_insert[t])
		return q->copy_insert[t];
	struct buf sql = BUF_INIT;
	if (copy_insert_sql(t, 1, false, &sql) &&
	    sqlite3_prepare_v3(c->db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, &q->copy_insert[t],
			       NULL) != SQLITE_OK)
		log_error("store: prepare the copy of %s: %s", copy_tables[t].name,
			  sqlite3_errmsg(c->db));
	buf_free(&sql);
	return q->copy_insert[t];
}

enum err sqy_copy_put(struct store *st, enum copy_table t, const struct copy_value *row)
{
	struct sq *q = SQ(st);
	struct conn *c = q->copying;
	if (!c)
		return ERR_INVALID;
	sqlite3_stmt *s = insert_stmt(st, c, t);
	if (!s)
		return ERR_DB;
	const struct copy_table_def *d = &copy_tables[t];
	for (size_t i = 0; i < d->ncols; i++) {
		const struct copy_value *v = &row[i];
		int k = (int)i + 1;
		if (v->null) {
			sqlite3_bind_null(s, k);
			continue;
		}
		switch (d->cols[i].type) {
		case COPY_INT:
		case COPY_BOOL:
			sqlite3_bind_int64(s, k, v->i);
			break;
		case COPY_REAL:
			sqlite3_bind_double(s, k, v->d);
			break;
		case COPY_TEXT:
			sqlite3_bind_text64(s, k, v->p ? v->p : "", v->len, SQLITE_STATIC,
					    SQLITE_UTF8);
			break;
		default: /* a NULL pointer would bind NULL: an empty blob is "" */
			sqlite3_bind_blob64(s, k, v->p ? v->p : "", v->len, SQLITE_STATIC);
			break;
		}
	}
	int r = sqlite3_step(s);
	enum err rc = r == SQLITE_DONE ? ERR_OK : sq_err(st, c, r);
	if (rc != ERR_OK)
		snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", d->name, sqlite3_errmsg(c->db));
	sqlite3_reset(s);
	return rc;
}

enum err sqy_copy_finish(struct store *st, const char *lang,
			 void (*progress)(int64_t done, int64_t total))
{
	struct conn *c = SQ(st)->copying;
	if (!c)
		return ERR_INVALID;
	/* ids: INTEGER PRIMARY KEY continues after the largest, and AUTOINCREMENT
	 * (changes) has recorded the largest inserted in sqlite_sequence */
	bool remade = false;
	enum err rc = sq_search_tables(st, c, lang, &remade);
	if (rc == ERR_OK && !remade)
		rc = sq_exec(st, c, stmt(st, c, S_SPELL_CLEAR));
	if (rc == ERR_OK && !remade)
		rc = sq_exec(st, c, stmt(st, c, S_FTS_CLEAR));
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL;
	size_t n = 0;
	if (rc == ERR_OK)
		rc = sq_ids(st, c, &a, S_ARTICLE_IDS, 0, &ids, &n);
	for (size_t k = 0; rc == ERR_OK && k < n; k++) {
		rc = sq_index_post(st, c, ids[k]);
		if (rc == ERR_OK && progress && ((k + 1) % INDEX_STEP == 0 || k + 1 == n))
			progress((int64_t)k + 1, (int64_t)n);
	}
	arena_free(&a);
	if (rc != ERR_OK && !st->errmsg[0])
		snprintf(st->errmsg, sizeof st->errmsg, "building the search index: %s",
			 err_str(rc));
	return rc;
}

enum err sqy_copy_end(struct store *st, bool commit)
{
	struct sq *q = SQ(st);
	struct conn *c = q->copying;
	if (!c)
		return ERR_INVALID;
	/* the statements first: a COMMIT waits for none of them */
	for (int t = 0; t < COPY_TABLE__MAX; t++) {
		sqlite3_finalize(q->copy_insert[t]);
		q->copy_insert[t] = NULL;
	}
	enum err rc = sq_end(st, c, commit ? ERR_OK : ERR_INVALID);
	copy_close(st);
	return commit ? rc : ERR_OK;
}
