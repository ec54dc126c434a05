/* mustache.h - our mustache engine (no C one is packaged).
 *
 * Passes the official spec (../shared/testdata/mustache-spec) including the
 * optional dynamic-names and inheritance modules; lambdas are not supported.
 * Templates are compiled once into a set (by name, for partials and
 * parents) and then rendered by any number of threads concurrently.
 *
 * {{x}} HTML-escapes every value, TV_HTML included; {{{x}}} and {{&x}} emit
 * the value as it is. Ownership: the set owns its compiled templates and
 * copies of their sources; tmpl_set_free releases everything. */
#ifndef GAZETTE_RENDER_MUSTACHE_H
#define GAZETTE_RENDER_MUSTACHE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "render/value.h"

struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *ts);

/* Compile src[0..len) under name (replacing an earlier one). On a syntax
 * error returns ERR_INVALID with "name:LINE: why" in errmsg. */
enum err tmpl_set_add(struct tmpl_set *ts, const char *name, const char *src, size_t len,
		      char *errmsg, size_t errlen);
/* True when the set has a template of that name. */
int tmpl_set_has(const struct tmpl_set *ts, const char *name);

/* Render template `name` with ctx as the root context, appending to out.
 * Missing partials render as empty (per spec). ERR_NOTFOUND if `name`
 * is not in the set; ERR_NOMEM if out ran out of memory; ERR_LIMIT when
 * partial nesting exceeds a fixed depth (recursive partials). */
enum err tmpl_render(const struct tmpl_set *ts, const char *name, const struct tval *ctx,
		     struct buf *out);

#endif
