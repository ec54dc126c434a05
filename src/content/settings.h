/* settings.h - site settings (in the database), with defaults and checks.
 *
 * Adding a setting: add a line to the table in settings.c with its default
 * and validator, document it in README.md. Unknown keys are refused. */
#ifndef GAZETTE_CONTENT_SETTINGS_H
#define GAZETTE_CONTENT_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/* The value of key (the stored one, else the default). Unknown key: "". */
const char *settings_get(struct store *st, struct arena *a, const char *key);
int64_t settings_get_int(struct store *st, struct arena *a, const char *key);
/* Validate and store. ERR_NOTFOUND for an unknown key, ERR_INVALID with a
 * reason in errmsg for a bad value. */
/* Would settings_set accept it? (errmsg says why not.) */
bool settings_check(const char *key, const char *value, char *errmsg, size_t errlen);
enum err settings_set(struct store *st, const char *key, const char *value, char *errmsg,
		      size_t errlen);
/* All stored settings in one read, for code that needs several (a page).
 * Each known setting's value (stored, else default) and its number are
 * resolved once at load, in the table's order: pages read several per
 * request. */
struct settings_snapshot {
	const char **keys, **values; /* as stored */
	size_t n;
	const char **known; /* per known setting: the value in effect */
	int64_t *known_int; /* and as a number (settings_get_int's rule) */
};
enum err settings_load(struct store *st, struct arena *a, struct settings_snapshot *out);
/* From a snapshot, with the same defaults as settings_get. */
const char *settings_snap_get(const struct settings_snapshot *s, const char *key);
int64_t settings_snap_int(const struct settings_snapshot *s, const char *key);

/* Write every default that is not stored yet (init). */
enum err settings_init_defaults(struct store *st);
/* Iterate the known keys: returns NULL past the end. */
const char *settings_key(size_t i, const char **deflt, const char **help);

#endif
