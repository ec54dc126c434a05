/* pg_run.c - running statements for the PostgreSQL backend: each statement
 * prepared once per connection under its own name, values always bound as
 * parameters, errors mapped to enum err (and logged once, here), a broken
 * connection reset and the statement run again once when that is safe,
 * transactions with the write lock and their change-log row, and the
 * read-one / read-all / write-logged shapes the ops are made of.
 *
 * Ownership: every PGresult is cleared in the function that ran it, except
 * those pg_run/pg_run_shape return (the caller clears them). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/time.h"
#include "store/pg_int.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The most parameters any statement binds. */
#define MAX_PARAMS 24

static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

PGconn *pg_connect(const char *conninfo, char *errmsg, size_t errlen)
{
	PGconn *db = PQconnectdb(conninfo);
	if (!db) {
		snprintf(errmsg, errlen, "PostgreSQL: out of memory");
		return NULL;
	}
	if (PQstatus(db) != CONNECTION_OK) {
		const char *m = PQerrorMessage(db);
		size_t n = strlen(m);
		while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
			n--;
		snprintf(errmsg, errlen, "PostgreSQL: %.*s", (int)n, m);
		PQfinish(db);
		return NULL;
	}
	PQsetNoticeProcessor(db, no_notices, NULL);
	if (PQsetClientEncoding(db, "UTF8") != 0) {
		snprintf(errmsg, errlen, "PostgreSQL: cannot use UTF-8: %s", PQerrorMessage(db));
		PQfinish(db);
		return NULL;
	}
	return db;
}

/* Reconnect a connection whose server went away; its prepared statements
 * are gone with the old session. */
static bool reset(struct pconn *c)
{
	PQreset(c->db);
	memset(c->prepared, 0, sizeof c->prepared);
	memset(c->listed, 0, sizeof c->listed);
	c->in_tx = false;
	if (PQstatus(c->db) != CONNECTION_OK)
		return false;
	log_warn("store: the PostgreSQL connection was lost; reconnected");
	PQsetNoticeProcessor(c->db, no_notices, NULL);
	return PQsetClientEncoding(c->db, "UTF8") == 0;
}

static bool broken(const struct pconn *c)
{
	return PQstatus(c->db) == CONNECTION_BAD;
}

bool pg_conn_usable(struct pconn *c)
{
	return !broken(c) || reset(c);
}

const char *pg_error_text(const struct pconn *c, const PGresult *r, size_t *n)
{
	const char *m = r ? PQresultErrorMessage(r) : "";
	if (!m || !*m)
		m = PQerrorMessage(c->db);
	size_t k = strlen(m);
	while (k && (m[k - 1] == '\n' || m[k - 1] == ' '))
		k--;
	*n = k;
	return m;
}

/* Map a failed result to enum err. Constraint violations are the caller's
 * business (ERR_CONFLICT, ERR_INVALID) and not logged; the rest is. */
static enum err map_error(const struct pconn *c, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state) {
		if (strcmp(state, "23505") == 0)
			return ERR_CONFLICT; /* unique_violation */
		if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 ||
		    strcmp(state, "23503") == 0 || strcmp(state, "22P02") == 0 ||
		    strcmp(state, "22003") == 0 || strcmp(state, "22021") == 0)
			return ERR_INVALID; /* check, not null, foreign key, bad value */
		if (strcmp(state, "57014") == 0)
			return ERR_LIMIT; /* statement_timeout: a search too broad */
		if (strcmp(state, "53200") == 0)
			return ERR_NOMEM;
		if (strncmp(state, "53", 2) == 0)
			return ERR_IO; /* insufficient resources: disk full, too many connections */
	}
	size_t n;
	const char *m = pg_error_text(c, r, &n);
	log_error("store: PostgreSQL: %.*s%s%s", (int)n, m, state ? " SQLSTATE " : "",
		  state ? state : "");
	return ERR_DB;
}

static bool result_ok(const PGresult *r)
{
	ExecStatusType s = PQresultStatus(r);
	return r && (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK);
}

/* Text forms of the values, in bufs (ints) or pointing at the caller's text. */
static bool params(const struct pg_arg *args, int n, const char **vals, char (*bufs)[24])
{
	if (n > MAX_PARAMS) {
		log_error("store: %d parameters, at most %d", n, MAX_PARAMS);
		return false;
	}
	for (int i = 0; i < n; i++) {
		switch (args[i].kind) {
		case PG_ARG_TEXT:
			vals[i] = args[i].text;
			break;
		case PG_ARG_INT:
			snprintf(bufs[i], sizeof bufs[i], "%" PRId64, args[i].num);
			vals[i] = bufs[i];
			break;
		case PG_ARG_BOOL:
			vals[i] = args[i].num ? "t" : "f";
			break;
		default:
			vals[i] = NULL;
		}
	}
	return true;
}

static PGresult *exec_once(struct pconn *c, const char *name, const char *sql,
			   unsigned char *flags, unsigned char bit, int n, const char *const *vals)
{
	if (!(*flags & bit)) {
		PGresult *p = PQprepare(c->db, name, sql, 0, NULL);
		if (!result_ok(p))
			return p; /* the error, for the caller to report */
		PQclear(p);
		*flags |= bit;
	}
	return PQexecPrepared(c->db, name, n, vals, NULL, NULL, 0);
}

static PGresult *run_named(struct pconn *c, const char *name, const char *sql,
			   unsigned char *flags, unsigned char bit, const struct pg_arg *args,
			   int n, enum err *rc)
{
	const char *vals[MAX_PARAMS];
	char bufs[MAX_PARAMS][24];
	c->changes = 0;
	c->last_id = 0;
	if (!params(args, n, vals, bufs)) {
		*rc = ERR_INVALID;
		return NULL;
	}
	PGresult *r = exec_once(c, name, sql, flags, bit, n, vals);
	/* The server restarted (or the network dropped) since this connection
	 * was last used. Outside a transaction nothing was done yet that could
	 * be lost or doubled: reconnect and run it once more. */
	if (!result_ok(r) && broken(c) && !c->in_tx) {
		PQclear(r);
		r = NULL;
		if (reset(c))
			r = exec_once(c, name, sql, flags, bit, n, vals);
	}
	if (!result_ok(r)) {
		*rc = map_error(c, r);
		PQclear(r);
		return NULL;
	}
	const char *t = PQcmdTuples(r);
	c->changes = t && *t ? strtoll(t, NULL, 10) : 0;
	if (PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0))
		c->last_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	*rc = ERR_OK;
	return r;
}

PGresult *pg_run(struct store *st, struct pconn *c, enum pgs which, const struct pg_arg *args,
		 int n, enum err *rc)
{
	(void)st;
	char name[16];
	snprintf(name, sizeof name, "g%d", (int)which);
	return run_named(c, name, pg_stmt_sql[which], &c->prepared[which], 1, args, n, rc);
}

PGresult *pg_run_shape(struct store *st, struct pconn *c, unsigned slot, const char *sql,
		       const struct pg_arg *args, int n, enum err *rc)
{
	(void)st;
	char name[16];
	snprintf(name, sizeof name, "l%u", slot);
	return run_named(c, name, sql, &c->listed[slot / 8], (unsigned char)(1u << (slot % 8)), args,
			 n, rc);
}

enum err pg_exec(struct store *st, struct pconn *c, enum pgs which, const struct pg_arg *args,
		 int n)
{
	enum err rc;
	PQclear(pg_run(st, c, which, args, n, &rc));
	return rc;
}

enum err pg_steps(struct store *st, struct pconn *c, const struct pg_step *steps, size_t n)
{
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++)
		rc = pg_exec(st, c, steps[i].which, steps[i].args, steps[i].n);
	return rc;
}

/* BEGIN (and what follows it in sql), reconnecting once when the connection
 * broke while idle: nothing of the transaction has happened yet. */
static enum err begin_with(struct pconn *c, const char *sql)
{
	if (c->in_tx) {
		log_error("store: a write inside a read snapshot or another transaction");
		return ERR_DB;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		PGresult *r = PQexec(c->db, sql);
		bool ok = result_ok(r);
		if (ok) {
			PQclear(r);
			c->in_tx = true;
			return ERR_OK;
		}
		if (broken(c) && attempt == 0) {
			PQclear(r);
			if (!reset(c))
				break;
			continue;
		}
		enum err rc = map_error(c, r);
		PQclear(r);
		if (PQtransactionStatus(c->db) != PQTRANS_IDLE)
			PQclear(PQexec(c->db, "ROLLBACK"));
		return rc;
	}
	log_error("store: PostgreSQL: cannot reconnect: %s", PQerrorMessage(c->db));
	return ERR_DB;
}

enum err pg_begin(struct store *st, struct pconn *c)
{
	(void)st;
	/* One writer at a time, across every node (see pg_int.h). */
	return begin_with(c, "BEGIN; SELECT pg_advisory_xact_lock(" STR(PG_WRITE_LOCK) ")");
}

enum err pg_begin_read(struct store *st, struct pconn *c)
{
	(void)st;
	return begin_with(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

enum err pg_end(struct store *st, struct pconn *c, enum err rc)
{
	(void)st;
	if (!c->in_tx)
		return rc;
	c->in_tx = false;
	if (rc == ERR_OK) {
		PGresult *r = PQexec(c->db, "COMMIT");
		/* COMMIT of a failed transaction answers "ROLLBACK". */
		if (result_ok(r) && strcmp(PQcmdStatus(r), "COMMIT") == 0) {
			PQclear(r);
			return ERR_OK;
		}
		rc = map_error(c, r);
		PQclear(r);
	}
	if (!broken(c) && PQtransactionStatus(c->db) != PQTRANS_IDLE)
		PQclear(PQexec(c->db, "ROLLBACK"));
	return rc;
}

enum err pg_change(struct store *st, struct pconn *c, const char *kind, int64_t id,
		   const char *detail)
{
	return pg_exec(st, c, G_CHANGE_ADD,
		       PG_ARGS(PG_I(clock_now()), PG_T(kind), PG_I(id), PG_T(detail ? detail : "")));
}

bool pg_text_array(struct buf *b, const char *const *items, size_t n, const char *last)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n + (last != NULL); i++) {
		const char *v = i < n ? items[i] : last;
		if (i)
			buf_putc(b, ',');
		buf_putc(b, '"');
		for (; *v; v++) {
			if (*v == '"' || *v == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *v);
		}
		buf_putc(b, '"');
	}
	buf_putc(b, '}');
	return !b->oom;
}

/* --- reading ------------------------------------------------------------- */

int64_t pg_int(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

bool pg_bool(const PGresult *r, int row, int col)
{
	const char *v = PQgetvalue(r, row, col);
	return v && (v[0] == 't' || (v[0] >= '1' && v[0] <= '9'));
}

bool pg_null(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) != 0;
}

const char *pg_text(struct arena *a, const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return arena_strndup(a, "", 0);
	return arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

enum err pg_rows(struct arena *a, const PGresult *r, pg_row_fn read, size_t elem, void **out,
		 size_t *count)
{
	*out = NULL;
	*count = 0;
	int nrows = PQntuples(r);
	if (nrows == 0)
		return ERR_OK;
	char *items = arena_alloc(a, (size_t)nrows * elem);
	if (!items)
		return ERR_NOMEM;
	for (int i = 0; i < nrows; i++) {
		void *item = items + (size_t)i * elem;
		memset(item, 0, elem);
		read(a, r, i, item);
	}
	if (a->failed)
		return ERR_NOMEM;
	*out = items;
	*count = (size_t)nrows;
	return ERR_OK;
}

enum err pg_one(struct store *st, struct arena *a, enum pgs which, const struct pg_arg *args,
		int n, pg_row_fn read, void *out)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc;
	PGresult *r = pg_run(st, c, which, args, n, &rc);
	if (r) {
		if (PQntuples(r) > 0) {
			read(a, r, 0, out);
			rc = a->failed ? ERR_NOMEM : ERR_OK;
		} else {
			rc = ERR_NOTFOUND;
		}
		PQclear(r);
	}
	pg_conn_put(st, c);
	return rc;
}

enum err pg_all(struct store *st, struct arena *a, enum pgs which, const struct pg_arg *args,
		int n, pg_row_fn read, size_t elem, void **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc;
	PGresult *r = pg_run(st, c, which, args, n, &rc);
	if (r)
		rc = pg_rows(a, r, read, elem, out, count);
	PQclear(r);
	pg_conn_put(st, c);
	return rc;
}

static void row_int(struct arena *a, const PGresult *r, int row, void *out)
{
	(void)a;
	*(int64_t *)out = pg_int(r, row, 0);
}

enum err pg_one_int(struct store *st, enum pgs which, const struct pg_arg *args, int n,
		    int64_t *out)
{
	struct arena a;
	arena_init(&a, 256);
	*out = 0;
	enum err rc = pg_one(st, &a, which, args, n, row_int, out);
	arena_free(&a);
	return rc == ERR_NOTFOUND ? ERR_OK : rc;
}

/* --- writing ------------------------------------------------------------- */

/* Both writers: one statement in a transaction with its change-log row;
 * the posts `affected` selects with `key` (G__MAX: none), read before the
 * write, are re-indexed after it. */
static enum err write_logged(struct store *st, enum pgs which, const struct pg_arg *args, int n,
			     unsigned flags, enum pgs affected, int64_t key, const char *kind,
			     int64_t id, const char *detail, int64_t *rowid)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL, newid = 0;
	size_t nids = 0;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK && affected != G__MAX)
		rc = pg_ids(st, c, &a, affected, key, &ids, &nids);
	if (rc == ERR_OK) {
		rc = pg_exec(st, c, which, args, n);
		if (rc == ERR_OK && (flags & PG_MUST_CHANGE) && c->changes == 0)
			rc = ERR_NOTFOUND;
		newid = c->last_id;
	}
	if (rc == ERR_OK)
		rc = pg_index_ids(st, c, ids, nids);
	if (rc == ERR_OK)
		rc = pg_change(st, c, kind, (flags & PG_LOG_ROWID) ? newid : id, detail);
	rc = pg_end(st, c, rc);
	if (rc == ERR_OK && rowid)
		*rowid = newid;
	arena_free(&a);
	pg_conn_put(st, c);
	return rc;
}

enum err pg_write(struct store *st, enum pgs which, const struct pg_arg *args, int n,
		  unsigned flags, const char *kind, int64_t id, const char *detail,
		  int64_t *rowid)
{
	return write_logged(st, which, args, n, flags, G__MAX, 0, kind, id, detail, rowid);
}

enum err pg_write_reindex(struct store *st, enum pgs which, const struct pg_arg *args, int n,
			  enum pgs affected, int64_t key, const char *kind, int64_t id,
			  const char *detail, bool must_change)
{
	return write_logged(st, which, args, n, must_change ? PG_MUST_CHANGE : 0, affected, key,
			    kind, id, detail, NULL);
}
