/* suggest.h - "did you mean": when a search finds nothing, the same query
 * with each word the articles never use replaced by the closest one they do
 * (edit distance 1 for words up to 4 letters, 2 for longer ones; the more
 * frequent word on a tie). Quotes, exclusions (-word) and prefixes (word*)
 * are left as typed. */
#ifndef GAZETTE_SEARCH_SUGGEST_H
#define GAZETTE_SEARCH_SUGGEST_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/* *out gets the suggested query, or NULL when there is nothing to offer. */
enum err search_suggest(struct store *st, struct arena *a, const char *query, const char **out);

/* Optimal string alignment distance (insert, delete, substitute, swap two
 * neighbours) between two byte strings, or max + 1 once it must exceed max. */
int search_edit_distance(const char *x, const char *y, int max);

#endif
