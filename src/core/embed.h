/* embed.h - files compiled into the binary by tools/embed.c (the default
 * theme, the demo site, the schema migrations). Static, read-only. */
#ifndef GAZETTE_CORE_EMBED_H
#define GAZETTE_CORE_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* path relative to its folder, e.g. "layout.mustache" */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* Find name in a {NULL}-terminated table; NULL when absent. */
const struct embedded_file *embed_find(const struct embedded_file *tab, const char *name);

extern const struct embedded_file embedded_theme[]; /* themes/default/ */
extern const struct embedded_file embedded_demo[];  /* demo/ */
extern const struct embedded_file embedded_admin[]; /* themes/admin/ */

#endif
