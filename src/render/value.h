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
#include <string.h>

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

/* A map member. `head` is tval_key_head(key, strlen(key)): lookups compare
 * it first, so a key that differs in length or in its first 7 bytes costs
 * one integer comparison and a short key none more. */
struct tval_kv {
	const char *key;
	struct tval *val;
	uint64_t head;
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
			uint32_t n, cap;
			uint64_t bloom; /* OR of tval_key_bit(head) of its keys */
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

/* A key's length (capped at 255) in the top byte over its first 7 bytes
 * (zero-padded): equal heads and a length under 8 mean equal keys. Written
 * as a switch so that a literal key folds to a constant at the call site. */
static inline uint64_t tval_key_head(const char *k, size_t len)
{
	uint64_t h = (uint64_t)(len < 255 ? len : 255) << 56;
	switch (len < 7 ? len : 7) {
	case 7:
		h |= (uint64_t)(unsigned char)k[6] << 48; /* fallthrough */
	case 6:
		h |= (uint64_t)(unsigned char)k[5] << 40; /* fallthrough */
	case 5:
		h |= (uint64_t)(unsigned char)k[4] << 32; /* fallthrough */
	case 4:
		h |= (uint64_t)(unsigned char)k[3] << 24; /* fallthrough */
	case 3:
		h |= (uint64_t)(unsigned char)k[2] << 16; /* fallthrough */
	case 2:
		h |= (uint64_t)(unsigned char)k[1] << 8; /* fallthrough */
	case 1:
		h |= (uint64_t)(unsigned char)k[0];
		break;
	default:
		break;
	}
	return h;
}

/* One of 64 bits for a key head: a map whose bloom lacks a name's bit
 * cannot hold the name. */
static inline uint64_t tval_key_bit(uint64_t head)
{
	return (uint64_t)1 << ((head * UINT64_C(0x9E3779B97F4A7C15)) >> 58);
}

/* Is key (NUL-terminated, with head `head`) the name k[0..n) (no NUL in
 * it), khead its head? Past equal heads only bytes 7.. are left, and only
 * for long names. */
static inline bool tval_key_eq(const char *key, uint64_t head, const char *k, size_t n,
			       uint64_t khead)
{
	if (head != khead)
		return false;
	for (size_t j = 7; j < n; j++) /* key's NUL, if early, differs from k */
		if (key[j] != k[j])
			return false;
	return key[n] == '\0'; /* only in doubt past 254 bytes */
}

/* Append to a list / set a key in a map. Return false on arena exhaustion
 * (or a NULL key). The key is not copied: use literals or arena strings.
 * Setting a key again replaces its value for every reader: a set appends
 * without searching, and lookups (tval_get, templates) search newest first,
 * so the older entry stays, shadowed (a map is built once per request; a key
 * set over and over in a loop would grow it). tval_put is tval_set with the
 * key's head already computed; the others are inline so that it folds for
 * literals. */
bool tval_push(struct arena *a, struct tval *list, struct tval *v);
bool tval_put(struct arena *a, struct tval *map, const char *key, uint64_t head,
	      struct tval *v);

static inline bool tval_set(struct arena *a, struct tval *map, const char *key, struct tval *v)
{
	return tval_put(a, map, key, key ? tval_key_head(key, strlen(key)) : 0, v);
}

/* Shorthands for map members. */
static inline bool tval_set_str(struct arena *a, struct tval *map, const char *key,
				const char *s)
{
	return tval_set(a, map, key, tval_str(a, s));
}

static inline bool tval_set_html(struct arena *a, struct tval *map, const char *key,
				 const char *html)
{
	return tval_set(a, map, key, tval_html(a, html));
}

static inline bool tval_set_int(struct arena *a, struct tval *map, const char *key, int64_t i)
{
	return tval_set(a, map, key, tval_int(a, i));
}

static inline bool tval_set_bool(struct arena *a, struct tval *map, const char *key, bool b)
{
	return tval_set(a, map, key, tval_bool(a, b));
}

/* Map lookup of one key (no dots, no NUL); NULL when absent or not a map. */
const struct tval *tval_get(const struct tval *map, const char *key, size_t keylen);
/* Mustache truthiness. Falsey: NULL, null, false, an empty list and an
 * empty string (so a view can set an optional field to "" and a template
 * test it with {{#field}}). 0 is truthy, as in the spec's JSON semantics.
 * Inline: every section tests it. */
static inline bool tval_truthy(const struct tval *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case TV_NULL:
		return false;
	case TV_BOOL:
		return v->u.b;
	case TV_LIST:
		return v->u.list.n > 0;
	case TV_STR:
	case TV_HTML:
		return v->u.s.len > 0;
	default:
		return true;
	}
}

#endif
