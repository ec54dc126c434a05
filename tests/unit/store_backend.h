/* store_backend.h - which backend the store tests run against; shared by
 * test_store.c and test_store_contract.c (the store contract suite).
 *
 * By default SQLite, in the test's temporary folder. When GAZETTE_TEST_PG
 * holds a PostgreSQL URL (`make unit-pg` starts a throw-away server with
 * tests/pg/pgtmp.sh and sets it), the PostgreSQL backend, opened directly
 * (store_open does not offer it to users until it is complete): each test
 * starts from an empty database, its public schema dropped and made anew.
 * Only a server started for tests should be named there. */
#ifndef GAZETTE_TESTS_STORE_BACKEND_H
#define GAZETTE_TESTS_STORE_BACKEND_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg.h"
#include "store/store.h"

static inline const char *test_pg_url(void)
{
	const char *u = getenv("GAZETTE_TEST_PG");
	return u && *u ? u : NULL;
}

static inline void test_pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Run sql on a connection of its own (for resetting, and for what a test
 * does behind the store's back). */
static inline bool test_pg_exec(const char *url, const char *sql)
{
	PGconn *db = PQconnectdb(url);
	bool ok = PQstatus(db) == CONNECTION_OK;
	if (ok) {
		PQsetNoticeProcessor(db, test_pg_quiet, NULL);
		PGresult *r = PQexec(db, sql);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
		if (!ok)
			fprintf(stderr, "test_pg_exec: %s", PQerrorMessage(db));
		PQclear(r);
	} else {
		fprintf(stderr, "test_pg_exec: %s", PQerrorMessage(db));
	}
	PQfinish(db);
	return ok;
}

/* Append "a|b|c\n" for one row of n values to *out (of *len bytes, *cap
 * allocated); false when out of memory. */
static inline bool test_row_put(char **out, size_t *len, size_t *cap, const char *const *v,
				int n)
{
	for (int i = 0; i < n; i++) {
		size_t need = *len + strlen(v[i] ? v[i] : "") + 3;
		if (need > *cap) {
			char *g = realloc(*out, need * 2);
			if (!g)
				return false;
			*out = g;
			*cap = need * 2;
		}
		*len += (size_t)snprintf(*out + *len, *cap - *len, "%s%s", i ? "|" : "",
					 v[i] ? v[i] : "");
	}
	(*out)[(*len)++] = '\n';
	(*out)[*len] = '\0';
	return true;
}

/* The rows of a read-only query, run behind the store's back on the
 * database under test (the SQLite file at sqlite_path, or the PostgreSQL
 * one), as "a|b|c\n" lines, NULL values as ""; malloc'd, NULL when the
 * query fails (reported on stderr). Write sql that both understand. */
static inline char *test_query(const char *sqlite_path, const char *sql)
{
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	out[0] = '\0';
	bool ok = true;
	const char *url = test_pg_url();
	if (url) {
		PGconn *db = PQconnectdb(url);
		PGresult *r = PQstatus(db) == CONNECTION_OK ? PQexec(db, sql) : NULL;
		ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		if (!ok)
			fprintf(stderr, "test_query: %s: %s", sql, PQerrorMessage(db));
		for (int row = 0; ok && row < PQntuples(r); row++) {
			const char *v[16];
			int n = PQnfields(r) < 16 ? PQnfields(r) : 16;
			for (int i = 0; i < n; i++)
				v[i] = PQgetisnull(r, row, i) ? "" : PQgetvalue(r, row, i);
			ok = test_row_put(&out, &len, &cap, v, n);
		}
		PQclear(r);
		PQfinish(db);
	} else {
		sqlite3 *db = NULL;
		sqlite3_stmt *s = NULL;
		ok = sqlite3_open_v2(sqlite_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		     sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK;
		if (!ok)
			fprintf(stderr, "test_query: %s: %s\n", sql, sqlite3_errmsg(db));
		int rc;
		while (ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *v[16];
			int n = sqlite3_column_count(s) < 16 ? sqlite3_column_count(s) : 16;
			for (int i = 0; i < n; i++)
				v[i] = (const char *)sqlite3_column_text(s, i);
			ok = test_row_put(&out, &len, &cap, v, n);
		}
		sqlite3_finalize(s);
		sqlite3_close(db);
	}
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

/* The table holding the search index's text (one row per public article). */
static inline const char *test_index_table(void)
{
	return test_pg_url() ? "posts_search" : "posts_fts";
}

/* Open a fresh, empty store: SQLite at sqlite_path, or an emptied
 * PostgreSQL database. */
static inline enum err test_store_open(struct store **st, const char *sqlite_path,
				       char *msg, size_t len)
{
	const char *url = test_pg_url();
	if (!url)
		return store_open(st, sqlite_path, msg, len);
	if (!test_pg_exec(url, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")) {
		snprintf(msg, len, "cannot reset the test database");
		return ERR_DB;
	}
	return pg_store_open(st, url, msg, len);
}

/* Another handle on the same database (as another process or node). */
static inline enum err test_store_reopen(struct store **st, const char *sqlite_path,
					 char *msg, size_t len)
{
	const char *url = test_pg_url();
	return url ? pg_store_open(st, url, msg, len) : store_open(st, sqlite_path, msg, len);
}

/* The schema version a freshly opened store reports. */
static inline int test_schema_latest(int sqlite_latest)
{
	return test_pg_url() ? pg_schema_latest() : sqlite_latest;
}

#endif
