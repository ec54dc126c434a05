/* jsonw.h - a streaming JSON writer: values go straight into a buffer as
 * they are given, with no tree and no allocation per value. Output is
 * compact and safe inside <script type="application/ld+json"> (<, >, &,
 * / and U+2028/2029 escaped), byte for byte what json_script (json.h)
 * writes for the same tree. Used for the JSON-LD of every page.
 *
 *     struct jsonw w;
 *     jsonw_init(&w);
 *     jsonw_obj(&w, NULL);
 *     jsonw_str(&w, "@type", "WebSite");
 *     jsonw_end(&w);
 *     const char *text = jsonw_finish(&w, arena);   (NULL on failure)
 *
 * key is the member's name inside an object and NULL elsewhere. A string
 * that is not valid UTF-8 is written as "" (as json_str does). */
#ifndef GAZETTE_RENDER_JSONW_H
#define GAZETTE_RENDER_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

#define JSONW_DEPTH 32

struct jsonw {
	struct buf b;
	int depth;
	bool first[JSONW_DEPTH]; /* nothing written yet at this level */
	char closer[JSONW_DEPTH];/* '}' or ']' for each open level */
	bool failed;             /* too deep, or unbalanced */
};

void jsonw_init(struct jsonw *w);
void jsonw_obj(struct jsonw *w, const char *key);
void jsonw_arr(struct jsonw *w, const char *key);
void jsonw_end(struct jsonw *w);
void jsonw_str(struct jsonw *w, const char *key, const char *s); /* NULL s -> "" */
void jsonw_int(struct jsonw *w, const char *key, int64_t v);
/* A value already written as JSON by this writer (a fragment kept from an
 * earlier jsonw_finish): copied as it is. */
void jsonw_raw(struct jsonw *w, const char *key, const char *json);
/* The document in a, NULL when it failed or is unbalanced; frees w's buffer. */
char *jsonw_finish(struct jsonw *w, struct arena *a);

/* The script-safe string literal (quotes included) of n bytes at s, which
 * must be valid UTF-8; json.c writes its strings with it too. */
void jsonw_put_string(struct buf *b, const char *s, size_t n);
void jsonw_put_int(struct buf *b, int64_t v);

#endif
