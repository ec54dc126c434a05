/* query.h - what a reader typed, turned into a safe FTS5 query.
 *
 * Readers type questions, not syntax. The query is split into words,
 * "quoted phrases", -excluded words and prefix* words; every item is
 * re-quoted, so nothing the reader types is ever FTS5 syntax. Positive items
 * are OR-ed (ranking then puts articles that match all of them first, see
 * store/sqlite_search.c); English stop words are dropped unless the query
 * has nothing else. Any input, however odd, parses: at worst to "nothing
 * searchable" (understood = false). */
#ifndef GAZETTE_SEARCH_QUERY_H
#define GAZETTE_SEARCH_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

#define SEARCH_MAX_ITEMS 24
#define SEARCH_MAX_WORD 64
/* A prefix* must have at least this many bytes, and a query at most
 * SEARCH_MAX_PREFIXES of them (broad prefixes match most of the index);
 * others count as plain words. */
#define SEARCH_MIN_PREFIX 3
#define SEARCH_MAX_PREFIXES 2

struct search_query {
	const char *match;  /* FTS5 MATCH expression, NULL when nothing to search */
	const char *match_all; /* the same with the positive items AND-ed; NULL
				* unless there are two or more */
	size_t npositive;   /* items a result may match (for "matches all" ranking) */
	bool understood;    /* false: the query held nothing searchable */
};

/* Parse q (any bytes; invalid UTF-8 is treated as separators). */
enum err search_parse(struct arena *a, const char *q, struct search_query *out);

#endif
