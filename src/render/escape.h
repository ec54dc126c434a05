/* escape.h - HTML escaping. The only way text reaches HTML output. */
#ifndef GAZETTE_RENDER_ESCAPE_H
#define GAZETTE_RENDER_ESCAPE_H

#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

/* Append s[0..n) to out with & < > " ' escaped. */
enum err escape_html(struct buf *out, const char *s, size_t n);
/* Same, into the arena. */
char *escape_html_dup(struct arena *a, const char *s);

#endif
