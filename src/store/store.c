/* store.c - pick a backend by URL. */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "store/store.h"

enum err sqlite_store_open(struct store **out, const char *path, char *errmsg, size_t errlen);

enum err store_open(struct store **out, const char *url, char *errmsg, size_t errlen)
{
	if (str_starts(url, "postgres://") || str_starts(url, "postgresql://")) {
		snprintf(errmsg, errlen, "PostgreSQL support is not built in yet");
		return ERR_INVALID;
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
