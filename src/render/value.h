/* value.h - the data a template renders: a small tree of typed values.
 *
 * View models (view/) build these trees in the request arena; the mustache
 * engine (render/mustache.h) only reads them. TV_STR is plain text and is
 * HTML-escaped by {{x}}; TV_HTML is trusted markup, made only by the Markdown
 * renderer, the sanitizer and the search snippet builder. Interpolating
 * TV_HTML with {{x}} still escapes it - only {{{x}}} / {{&x}} emit it raw.
 *
 * Ownership: every node and string lives in the arena passed to the
 * constructor; strings are copied unless the _ref variant is used. */
#ifndef GAZETTE_RENDER_VALUE_H
#define GAZETTE_RENDER_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

enum tval_kind {
	TV_NULL,
	TV_BOOL,
	TV_INT,
	TV_STR,  /* text; escaped on output */
	TV_HTML, /* trusted HTML */
	TV_LIST,
	TV_MAP,
	TV__MAX
};

struct tval;

struct tval_kv {
	const char *key;
	struct tval *val;
};

struct tval {
	enum tval_kind kind;
	union {
		bool b;
		int64_t i;
		struct {
			const char *p;
			size_t len;
		} s;
		struct {
			struct tval **items;
			size_t n, cap;
		} list;
		struct {
			struct tval_kv *kv;
			size_t n, cap;
		} map;
	} u;
};

struct tval *tval_null(struct arena *a);
struct tval *tval_bool(struct arena *a, bool b);
struct tval *tval_int(struct arena *a, int64_t i);
struct tval *tval_str(struct arena *a, const char *s);          /* copies; NULL s -> "" */
struct tval *tval_strn(struct arena *a, const char *s, size_t n);
struct tval *tval_str_ref(struct arena *a, const char *s);      /* no copy: s must outlive */
struct tval *tval_html(struct arena *a, const char *html);      /* copies; trusted */
struct tval *tval_html_ref(struct arena *a, const char *html);
struct tval *tval_list(struct arena *a);
struct tval *tval_map(struct arena *a);

/* Append to a list / set a key in a map (replacing an existing key). Return
 * false on arena exhaustion. The key is not copied: use literals or arena
 * strings. */
bool tval_push(struct arena *a, struct tval *list, struct tval *v);
bool tval_set(struct arena *a, struct tval *map, const char *key, struct tval *v);
/* Shorthands for map members. */
bool tval_set_str(struct arena *a, struct tval *map, const char *key, const char *s);
bool tval_set_html(struct arena *a, struct tval *map, const char *key, const char *html);
bool tval_set_int(struct arena *a, struct tval *map, const char *key, int64_t i);
bool tval_set_bool(struct arena *a, struct tval *map, const char *key, bool b);

/* Map lookup of one key (no dots); NULL when absent or not a map. */
const struct tval *tval_get(const struct tval *map, const char *key, size_t keylen);
/* Mustache truthiness: NULL, false, "" ... see value.c. */
bool tval_truthy(const struct tval *v);

#endif
