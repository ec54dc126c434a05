/* permalink.h - article URLs from the "permalink" setting.
 *
 * A pattern is a '/'-separated list of segments; each segment is a literal
 * ([a-z0-9-]) or one token: %year% %month% %day% %slug% %id% %category%
 * (%category% is the category path and may span segments, so it must be
 * the only token that does). It must contain %slug% or %id%, start and end
 * with '/', and be at most 255 bytes long (the setting holds 200). Dates
 * are in the site timezone. */
#ifndef GAZETTE_CONTENT_PERMALINK_H
#define GAZETTE_CONTENT_PERMALINK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

bool permalink_valid(const char *pattern);

/* The root-relative URL of a post: articles by the pattern, pages as
 * "/slug/". NULL on arena exhaustion, or for an article when the pattern
 * is too long or lacks its leading or trailing '/'. */
char *permalink_for(struct arena *a, const char *pattern, const struct post *p);

struct permalink_parts {
	int year, month, day; /* 0 when not in the pattern */
	int64_t id;           /* 0 when not in the pattern */
	const char *slug;     /* NULL when not in the pattern */
	const char *category; /* NULL when not in the pattern */
};

/* Does path (e.g. "/2026/11/slug/") fit the pattern? Fills parts. Never
 * for a pattern permalink_for refuses. */
bool permalink_match(struct arena *a, const char *pattern, const char *path,
		     struct permalink_parts *out);

#endif
