/* str.h - small string helpers that every layer needs.
 * Functions taking an arena allocate their result there; others write into
 * caller memory or return pointers into their input. */
#ifndef GAZETTE_CORE_STR_H
#define GAZETTE_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

bool str_eq(const char *a, const char *b);           /* NULL-safe */
bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);
bool str_empty(const char *s);                        /* NULL or "" */

/* Strict decimal parse of the whole string into [min,max]; false on any junk,
 * sign misuse or overflow. */
/* v in decimal, zero-padded to at least width digits, into out (no NUL);
 * returns the length (at most STR_I64_MAX). No printf: pages write many. */
#define STR_I64_MAX 24
size_t str_from_i64(char out[STR_I64_MAX], int64_t v, int width);
bool str_to_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* True when s[0..n) is well-formed UTF-8 without NUL or overlong forms. */
bool str_utf8_valid(const char *s, size_t n);
/* Characters (code points) of valid UTF-8 text. */
size_t str_utf8_len(const char *s);

/* Percent-decode s (and '+' -> ' ' when plus_space). NULL on a broken escape
 * or when the result is not valid UTF-8 / contains NUL. */
char *str_url_decode(struct arena *a, const char *s, size_t n, bool plus_space);

/* Percent-encode for a URL path segment or query value (RFC 3986 unreserved
 * kept). */
char *str_url_encode(struct arena *a, const char *s);

/* A URL slug: lower-case ASCII letters, digits and single '-', no leading or
 * trailing '-', 1..200 bytes. */
bool str_slug_valid(const char *s);
/* A name a person typed (a category, a tag): 1..max bytes of UTF-8 with no
 * control characters. */
bool str_label_ok(const char *s, size_t max);
/* Make a slug from free text (transliterating common Latin accents, dropping
 * the rest). Returns "" for text with no usable characters. */
char *str_slugify(struct arena *a, const char *text);

/* Trim ASCII whitespace in place; returns s. */
char *str_trim(char *s);

/* Bounded copy that always terminates (like strlcpy); returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t size);

#endif
