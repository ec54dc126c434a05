/* pg.h - the PostgreSQL backend's entry point (src/store/pg*.c).
 *
 * store_open() (store.c) opens it for postgres:// and postgresql:// URLs
 * only once pg_store_complete is true: until every op is implemented and
 * passes the store contract suite (tests/unit/test_store_contract.c), users
 * cannot reach a half backend. The contract suite opens it directly.
 * src/store/PG_STATUS.md says which ops are done. */
#ifndef GAZETTE_STORE_PG_H
#define GAZETTE_STORE_PG_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/* Every op implemented (store_open may hand the backend to users). */
extern const bool pg_store_complete;

/* Connect to url (a libpq connection URI or "key=value" string), apply
 * the migrations it lacks, and fill *out. The store is closed with
 * store_close(). */
enum err pg_store_open(struct store **out, const char *url, char *errmsg, size_t errlen);

/* The schema version this binary migrates to. */
int pg_schema_latest(void);

#endif
