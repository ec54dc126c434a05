/* snippet.h - a search snippet as trusted HTML: the text escaped, matches
 * wrapped in <mark>. One of the three producers of trusted HTML (DESIGN). */
#ifndef GAZETTE_SEARCH_SNIPPET_H
#define GAZETTE_SEARCH_SNIPPET_H

#include "core/arena.h"

/* raw: plain text with \x01 before and \x02 after each match (as the store
 * returns it). Unbalanced markers are closed; other control characters are
 * dropped. NULL on arena exhaustion. */
char *search_snippet_html(struct arena *a, const char *raw);

#endif
