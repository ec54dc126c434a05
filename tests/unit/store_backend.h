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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

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
