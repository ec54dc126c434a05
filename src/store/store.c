/* store.c - pick a backend by URL. */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "store/pg.h"
#include "store/store.h"

enum err sqlite_store_open(struct store **out, const char *path, char *errmsg, size_t errlen);

enum err store_open(struct store **out, const char *url, char *errmsg, size_t errlen)
{
	if (str_starts(url, "postgres://") || str_starts(url, "postgresql://")) {
		/* Offered only once every op is in and passes the contract
		 * suite (src/store/PG_STATUS.md): never a half backend. */
		if (!pg_store_complete) {
			snprintf(errmsg, errlen,
				 "PostgreSQL support is not complete yet (see src/store/PG_STATUS.md)");
			return ERR_INVALID;
		}
		return pg_store_open(out, url, errmsg, errlen);
	}
	if (str_starts(url, "sqlite:"))
		url += strlen("sqlite:");
	return sqlite_store_open(out, url, errmsg, errlen);
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}
