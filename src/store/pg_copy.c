/* pg_copy.c - the PostgreSQL backend's side of copying a whole site
 * (store/copy.h): a table's rows out as typed values (a cursor in the
 * reader's snapshot, fetched in slices), and rows into an empty database in
 * one write transaction: multi-row INSERTs of bound parameters, then the
 * sequences moved past the copied ids and the search index built, in the
 * same transaction.
 *
 * The SQL texts come from copy_tables.c (names from its fixed list; every
 * value is a parameter: text in text format, bytea in binary). A copy owns
 * a struct pg_copy (struct pg's copy) from copy_begin to copy_end: one
 * pooled connection and the batch of rows not yet sent. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_int.h"

/* Rows fetched from a cursor at a time. */
#define FETCH_ROWS "2000"
/* Parameters per INSERT (PostgreSQL takes up to 65,535): a few hundred
 * rows of the widest tables, a few thousand of the narrow ones. */
#define BATCH_PARAMS 4096
/* Articles indexed between two progress reports. */
#define INDEX_STEP 500

struct pg_copy {
	struct pconn *c;
	int table;         /* the table of the rows in the batch */
	size_t rows;       /* rows in the batch */
	size_t nvals;      /* their values */
	struct buf data;   /* the values, each NUL-terminated */
	size_t off[BATCH_PARAMS];
	int len[BATCH_PARAMS];
	int fmt[BATCH_PARAMS]; /* 0 text, 1 binary (bytea) */
	bool null[BATCH_PARAMS];
};

/* --- errors --------------------------------------------------------------- */

/* Why r (or the connection) failed, into st->errmsg, as enum err. */
static enum err failed(struct store *st, struct pconn *c, const PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	size_t n;
	const char *m = pg_error_text(c, r, &n);
	snprintf(st->errmsg, sizeof st->errmsg, "%s: %.*s", what, (int)n, m);
	if (state && strcmp(state, "23505") == 0)
		return ERR_CONFLICT;
	if (state && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0))
		return ERR_INVALID;
	return ERR_DB;
}

/* Run sql (composed from copy.h's fixed names, no values) on c. */
static enum err run(struct store *st, struct pconn *c, const char *sql, const char *what)
{
	PGresult *r = PQexec(c->db, sql);
	ExecStatusType s = PQresultStatus(r);
	enum err rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? ERR_OK
								     : failed(st, c, r, what);
	PQclear(r);
	return rc;
}

/* --- reading --------------------------------------------------------------- */

/* Row i of r into row[] (bytea unescaped into blobs[], freed by the caller). */
static bool read_row(const struct copy_table_def *d, const PGresult *r, int i,
		     struct copy_value *row, unsigned char **blobs)
{
	for (size_t k = 0; k < d->ncols; k++) {
		struct copy_value *v = &row[k];
		int col = (int)k;
		memset(v, 0, sizeof *v);
		blobs[k] = NULL;
		if (PQgetisnull(r, i, col)) {
			v->null = true;
			continue;
		}
		const char *s = PQgetvalue(r, i, col);
		switch (d->cols[k].type) {
		case COPY_INT:
			v->i = strtoll(s, NULL, 10);
			break;
		case COPY_BOOL:
			v->i = s[0] == 't';
			break;
		case COPY_REAL: /* PostgreSQL 12+ prints the shortest exact form */
			v->d = strtod(s, NULL);
			break;
		case COPY_TEXT:
			v->p = s;
			v->len = (size_t)PQgetlength(r, i, col);
			break;
		default:
			blobs[k] = PQunescapeBytea((const unsigned char *)s, &v->len);
			if (!blobs[k])
				return false;
			v->p = (const char *)blobs[k];
			break;
		}
	}
	return true;
}

/* The rows of cursor gz_copy, a slice at a time, to each(). */
static enum err fetch_all(struct store *st, struct pconn *c, enum copy_table t,
			  copy_row_fn each, void *ud)
{
	const struct copy_table_def *d = &copy_tables[t];
	struct copy_value row[COPY_MAX_COLS];
	unsigned char *blobs[COPY_MAX_COLS];
	enum err rc = ERR_OK;
	for (;;) {
		PGresult *r = PQexec(c->db, "FETCH " FETCH_ROWS " FROM gz_copy");
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			rc = failed(st, c, r, d->name);
			PQclear(r);
			return rc;
		}
		int n = PQntuples(r);
		for (int i = 0; rc == ERR_OK && i < n; i++) {
			rc = read_row(d, r, i, row, blobs) ? each(ud, row) : ERR_NOMEM;
			for (size_t k = 0; k < d->ncols; k++)
				PQfreemem(blobs[k]);
		}
		PQclear(r);
		if (rc != ERR_OK || n == 0)
			return rc;
	}
}

enum err pgy_copy_read(struct store *st, enum copy_table t, copy_row_fn each, void *ud)
{
	struct buf sql = BUF_INIT;
	buf_puts(&sql, "DECLARE gz_copy NO SCROLL CURSOR FOR ");
	if (!copy_select_sql(t, &sql)) {
		buf_free(&sql);
		return ERR_NOMEM;
	}
	struct pconn *c = pg_conn_get(st); /* the thread's snapshot inside read_begin */
	if (!c) {
		buf_free(&sql);
		return ERR_DB;
	}
	/* a cursor lives in a transaction: the reader's, or one of its own */
	bool own = !c->in_tx;
	enum err rc = own ? pg_begin_read(st, c) : ERR_OK;
	if (rc == ERR_OK)
		rc = run(st, c, sql.data, copy_tables[t].name);
	if (rc == ERR_OK) {
		rc = fetch_all(st, c, t, each, ud);
		enum err closed = run(st, c, "CLOSE gz_copy", copy_tables[t].name);
		if (rc == ERR_OK)
			rc = closed;
	}
	if (own)
		rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	buf_free(&sql);
	return rc;
}

static enum err count_on(struct store *st, struct pconn *c, enum copy_table t, int64_t *n)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", copy_tables[t].name);
	PGresult *r = PQexec(c->db, sql);
	enum err rc = ERR_OK;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		*n = pg_int(r, 0, 0);
	else
		rc = failed(st, c, r, copy_tables[t].name);
	PQclear(r);
	return rc;
}

/* --- writing --------------------------------------------------------------- */

/* Send the batch: one INSERT of all its rows. */
static enum err flush(struct store *st, struct pg_copy *w)
{
	if (w->rows == 0)
		return ERR_OK;
	enum copy_table t = (enum copy_table)w->table;
	struct buf sql = BUF_INIT;
	const char **vals = calloc(w->nvals, sizeof *vals);
	enum err rc = ERR_NOMEM;
	if (vals && copy_insert_sql(t, w->rows, true, &sql) && !w->data.oom) {
		for (size_t i = 0; i < w->nvals; i++)
			vals[i] = w->null[i] ? NULL : w->data.data + w->off[i];
		PGresult *r = PQexecParams(w->c->db, sql.data, (int)w->nvals, NULL, vals, w->len,
					   w->fmt, 0);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? ERR_OK
							   : failed(st, w->c, r, copy_tables[t].name);
		PQclear(r);
	}
	free(vals);
	buf_free(&sql);
	w->rows = w->nvals = 0;
	buf_reset(&w->data);
	return rc;
}

static void copy_close(struct store *st)
{
	struct pg *q = PG(st);
	struct pg_copy *w = q->copy;
	if (!w)
		return;
	pg_conn_put(st, w->c);
	buf_free(&w->data);
	free(w);
	q->copy = NULL;
}

enum err pgy_copy_count(struct store *st, enum copy_table t, int64_t *n)
{
	*n = 0;
	struct pg_copy *w = PG(st)->copy;
	if (w) {
		enum err rc = flush(st, w);
		return rc == ERR_OK ? count_on(st, w->c, t, n) : rc;
	}
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = count_on(st, c, t, n);
	pg_conn_put(st, c);
	return rc;
}

enum err pgy_copy_begin(struct store *st)
{
	struct pg *q = PG(st);
	if (q->copy)
		return ERR_INVALID;
	st->errmsg[0] = '\0';
	struct pg_copy *w = calloc(1, sizeof *w);
	if (!w)
		return ERR_NOMEM;
	w->table = -1;
	buf_init(&w->data);
	q->copy = w;
	w->c = pg_conn_get(st);
	/* the site's write lock until copy_end: no other write interleaves */
	enum err rc = w->c ? pg_begin(st, w->c) : ERR_DB;
	for (int t = 0; rc == ERR_OK && t < COPY_TABLE__MAX; t++) {
		int64_t n = 0;
		rc = count_on(st, w->c, (enum copy_table)t, &n);
		if (rc == ERR_OK && n > 0) {
			snprintf(st->errmsg, sizeof st->errmsg, "table %s holds %lld rows",
				 copy_tables[t].name, (long long)n);
			rc = ERR_CONFLICT;
		}
	}
	if (rc != ERR_OK) {
		if (w->c)
			pg_end(st, w->c, rc);
		copy_close(st);
	}
	return rc;
}

/* Append one value's text (or bytes) to the batch. */
static enum err put_value(struct pg_copy *w, const struct copy_col *col,
			  const struct copy_value *v)
{
	size_t k = w->nvals++;
	w->off[k] = w->data.len;
	w->len[k] = 0;
	w->fmt[k] = 0;
	w->null[k] = v->null;
	if (v->null)
		return ERR_OK;
	char num[32];
	switch (col->type) {
	case COPY_INT:
	case COPY_BOOL: /* boolean input takes 1 and 0 */
		snprintf(num, sizeof num, "%" PRId64, v->i);
		buf_puts(&w->data, num);
		break;
	case COPY_REAL: /* 17 significant digits: the same double comes back */
		snprintf(num, sizeof num, "%.17g", v->d);
		buf_puts(&w->data, num);
		break;
	case COPY_TEXT:
		if (memchr(v->p, '\0', v->len))
			return ERR_INVALID; /* PostgreSQL's text cannot hold it */
		buf_append(&w->data, v->p, v->len);
		break;
	default:
		if (v->len > INT32_MAX)
			return ERR_LIMIT;
		buf_append(&w->data, v->p, v->len);
		w->len[k] = (int)v->len;
		w->fmt[k] = 1;
		break;
	}
	buf_putc(&w->data, '\0');
	return w->data.oom ? ERR_NOMEM : ERR_OK;
}

enum err pgy_copy_put(struct store *st, enum copy_table t, const struct copy_value *row)
{
	struct pg_copy *w = PG(st)->copy;
	if (!w)
		return ERR_INVALID;
	const struct copy_table_def *d = &copy_tables[t];
	enum err rc = ERR_OK;
	if (w->table != (int)t || w->nvals + d->ncols > BATCH_PARAMS)
		rc = flush(st, w);
	w->table = (int)t;
	for (size_t i = 0; rc == ERR_OK && i < d->ncols; i++)
		rc = put_value(w, &d->cols[i], &row[i]);
	if (rc == ERR_OK)
		w->rows++;
	else if (!st->errmsg[0])
		snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", d->name,
			 rc == ERR_INVALID ? "text with a NUL byte" : err_str(rc));
	return rc;
}

/* Each sequence continues after the largest copied id. */
static enum err sequences(struct store *st, struct pconn *c)
{
	enum err rc = ERR_OK;
	for (int t = 0; rc == ERR_OK && t < COPY_TABLE__MAX; t++) {
		const struct copy_table_def *d = &copy_tables[t];
		if (!d->serial)
			continue;
		char sql[256];
		snprintf(sql, sizeof sql,
			 "SELECT setval(pg_get_serial_sequence('%s', '%s'), "
			 "coalesce(max(%s), 0) + 1, false) FROM %s",
			 d->name, d->serial, d->serial, d->name);
		rc = run(st, c, sql, d->name);
	}
	return rc;
}

enum err pgy_copy_finish(struct store *st, const char *lang,
			 void (*progress)(int64_t done, int64_t total))
{
	struct pg_copy *w = PG(st)->copy;
	if (!w)
		return ERR_INVALID;
	struct pconn *c = w->c;
	enum err rc = flush(st, w);
	if (rc == ERR_OK)
		rc = sequences(st, c);
	/* the search index, in the site's language */
	bool changed = false;
	if (rc == ERR_OK)
		rc = pg_search_config(st, c, lang, &changed);
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_SPELL_CLEAR, NULL, 0);
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_FTS_CLEAR, NULL, 0);
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL;
	size_t n = 0;
	if (rc == ERR_OK)
		rc = pg_ids(st, c, &a, G_ARTICLE_IDS, 0, &ids, &n);
	for (size_t k = 0; rc == ERR_OK && k < n; k++) {
		rc = pg_index_text(st, c, ids[k]);
		if (rc == ERR_OK && progress && ((k + 1) % INDEX_STEP == 0 || k + 1 == n))
			progress((int64_t)k + 1, (int64_t)n);
	}
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_SPELL_FILL, NULL, 0);
	arena_free(&a);
	if (rc != ERR_OK && !st->errmsg[0])
		snprintf(st->errmsg, sizeof st->errmsg, "building the search index: %s",
			 err_str(rc));
	/* nodes already following this database purge what they hold */
	if (rc == ERR_OK)
		rc = run(st, c,
			 "SELECT pg_notify('" PG_CHANNEL "', id::text) FROM changes "
			 "ORDER BY id DESC LIMIT 1",
			 "changes");
	return rc;
}

enum err pgy_copy_end(struct store *st, bool commit)
{
	struct pg_copy *w = PG(st)->copy;
	if (!w)
		return ERR_INVALID;
	enum err rc = pg_end(st, w->c, commit ? ERR_OK : ERR_INVALID);
	if (commit && rc != ERR_OK && !st->errmsg[0])
		snprintf(st->errmsg, sizeof st->errmsg, "commit: %s", err_str(rc));
	copy_close(st);
	return commit ? rc : ERR_OK;
}
