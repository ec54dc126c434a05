/* copy.h - a whole site's rows, copied from one store to another
 * (`gazette migrate-db`, src/cmd/migrate.c).
 *
 * Who owns what:
 *  - copy_tables.c: the one list of logical tables and columns both
 *    backends read and write (what a site is, less what is derived from
 *    it), and the SQL text made from it (names from the list, values always
 *    bound);
 *  - sqlite_copy.c, pg_copy.c: each backend's copy_* ops (store.h): stream a
 *    table's rows as typed values, and write them into an empty store in one
 *    transaction;
 *  - copy.c: store_copy(), the driver: reads the source in one snapshot,
 *    writes the target table by table, has the target build its own search
 *    index, compares the row counts, and commits only when they all match.
 *
 * Ids are kept as they are. Not copied: the search index (each backend
 * builds its own from the copied posts: FTS5 tables on SQLite, tsvector
 * columns on PostgreSQL) and failed sign-ins (throttling counters that
 * expire anyway). Sessions are copied, so signed-in editors stay signed in.
 *
 * Values handed to a copy_row_fn live only during the call.
 *
 * Adding a column or table to the schema: add it here (both backends must
 * have it under the same name), in dependency order (a table after those
 * its foreign keys point at). */
#ifndef GAZETTE_STORE_COPY_H
#define GAZETTE_STORE_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

enum copy_table {
	COPY_SETTINGS,
	COPY_USERS,
	COPY_SESSIONS,
	COPY_CATEGORIES,
	COPY_TAGS,
	COPY_MEDIA,
	COPY_MEDIA_VARIANTS,
	COPY_POSTS,
	COPY_POST_BODIES,
	COPY_POST_TAGS,
	COPY_POST_REVISIONS,
	COPY_COMMENTS,
	COPY_SPAM_TOKENS,
	COPY_REDIRECTS,
	COPY_MENU_ITEMS,
	COPY_IMPORT_MAP,
	COPY_CHANGES,
	COPY_RELATED,
	COPY_RELATED_DOCS,
	COPY_RELATED_POSTINGS,
	COPY_RELATED_DF,
	COPY_TABLE__MAX
};

/* How a column travels: SQLite INTEGER / PostgreSQL BIGINT or INTEGER
 * (INT), SQLite 0/1 / PostgreSQL boolean (BOOL), REAL / double precision,
 * TEXT / text, BLOB / bytea. */
enum copy_type { COPY_INT, COPY_BOOL, COPY_REAL, COPY_TEXT, COPY_BLOB, COPY_TYPE__MAX };

struct copy_col {
	const char *name;
	enum copy_type type;
};

#define COPY_MAX_COLS 20

struct copy_table_def {
	const char *name;
	const char *order;  /* ORDER BY: the primary key */
	const char *serial; /* the column a PostgreSQL sequence feeds (NULL: none) */
	size_t ncols;
	struct copy_col cols[COPY_MAX_COLS];
};

extern const struct copy_table_def copy_tables[COPY_TABLE__MAX];

/* One value of a row; null set for SQL NULL (no column of ours holds one,
 * but a row is copied as it is). TEXT and BLOB: p/len (text without a
 * NUL byte in it). */
struct copy_value {
	bool null;
	int64_t i; /* INT, BOOL (0 or 1) */
	double d;  /* REAL */
	const char *p;
	size_t len;
};

/* Called with each row (copy_tables[t].ncols values); returning anything
 * but ERR_OK stops the scan with that result. */
typedef enum err (*copy_row_fn)(void *ud, const struct copy_value *row);

/* "SELECT a, b FROM t ORDER BY k"; false when out of memory. */
bool copy_select_sql(enum copy_table t, struct buf *b);
/* "INSERT INTO t(a, b) VALUES (P1, P2), (P3, P4) ..." for `rows` rows;
 * placeholders "$N" (dollar) or "?N". False when out of memory. */
bool copy_insert_sql(enum copy_table t, size_t rows, bool dollar, struct buf *b);

/* --- the driver (copy.c) -------------------------------------------------- */

struct store;

struct copy_result {
	int64_t source[COPY_TABLE__MAX]; /* rows in the source's snapshot */
	int64_t target[COPY_TABLE__MAX]; /* rows in the target before commit */
	bool counted;                    /* target[] was filled */
	int64_t last_change;             /* the newest change-log id copied */
	double seconds;                  /* copying, indexing and checking */
	char errmsg[512];                /* why it failed ("" when it did not) */
};

/* Progress of a table (done of total rows), and of the target's search
 * index (t == COPY_TABLE__MAX, done of total articles); may be NULL. */
typedef void (*copy_progress_fn)(enum copy_table t, int64_t done, int64_t total);

/* Copy every row of `from` into `to`, which must hold no rows (ERR_CONFLICT
 * otherwise): in one transaction on `to`, committed only when every
 * table's row count matches the source's (ERR_INVALID otherwise, rolled
 * back). `from` is read in one snapshot: writes made to it meanwhile are
 * not copied. res is filled either way. */
enum err store_copy(struct store *from, struct store *to, copy_progress_fn progress,
		    struct copy_result *res);

#endif
