#include "content/settings.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "content/permalink.h"
#include "core/str.h"
#include "core/time.h"

enum check { C_TEXT, C_URL, C_INT, C_BOOL, C_ZONE, C_PERMALINK, C_LANG };

static const struct setting {
	const char *key, *deflt, *help;
	enum check check;
	int64_t min, max;
} table[] = {
	{"title", "My Gazette", "site title", C_TEXT, 1, 200},
	{"tagline", "News and stories", "shown under the title", C_TEXT, 0, 300},
	{"description", "", "meta description of the home page", C_TEXT, 0, 500},
	{"base_url", "", "absolute URL of the site, e.g. https://example.org (empty: from Host)",
	 C_URL, 0, 500},
	{"permalink", "/%year%/%month%/%slug%/", "article URL pattern", C_PERMALINK, 0, 200},
	{"posts_per_page", "10", "articles per listing page", C_INT, 1, 100},
	{"timezone", "UTC", "IANA zone for dates and URLs (restart serve to apply)", C_ZONE, 0, 100},
	{"language", "en", "BCP 47 language of the site", C_LANG, 2, 35},
	{"related_count", "4", "articles shown under each article in \"You may also like\" "
	 "(0: none)", C_INT, 0, 8},
	{"feed_items", "10", "entries in each RSS/Atom feed", C_INT, 1, 100},
	{"feed_full_text", "1", "feeds carry the whole article (1) or only the excerpt (0)", C_BOOL,
	 0, 1},
	{"comments_open", "1", "comments accepted on new posts", C_BOOL, 0, 1},
	{"comments_close_days", "0", "close comments N days after publishing (0: never)", C_INT,
	 0, 100000},
	{"comments_moderate_all", "0", "hold every comment for moderation", C_BOOL, 0, 1},
	{"comments_max_links", "2", "hold comments with more links than this", C_INT, 0, 1000},
	{"comments_depth", "5", "deepest reply nesting", C_INT, 1, 20},
	{"comments_max_chars", "10000", "longest comment accepted, in bytes", C_INT, 100, 100000},
	{"comments_min_seconds", "3", "hold comments sent sooner than this after the page loaded",
	 C_INT, 0, 3600},
	{"comments_token_max_age", "172800", "seconds a comment form stays valid", C_INT, 60,
	 31536000},
	{"comments_rate_window", "600", "seconds over which comment rate limits count", C_INT, 1,
	 86400},
	{"comments_rate_ip", "5", "comments one address may send per window", C_INT, 1, 100000},
	{"comments_rate_net", "20", "comments one /24 or /64 may send per window", C_INT, 1,
	 1000000},
	{"comments_spam_min", "5", "ham and spam comments each the classifier must have learned "
	 "before it judges", C_INT, 0, 100000},
	{"admin_session_idle", "28800", "seconds a back-office session lasts without a request",
	 C_INT, 60, 31536000},
	{"admin_session_max", "1209600", "seconds a back-office session lasts at most", C_INT, 60,
	 31536000},
	{"admin_signin_window", "900", "seconds over which failed sign-ins count", C_INT, 1, 86400},
	{"admin_signin_max", "5", "failed sign-ins per account per window before a pause", C_INT, 1,
	 1000},
	{"admin_signin_ip_max", "20", "failed sign-ins per address per window before a pause",
	 C_INT, 1, 100000},
	{"comments_spam_threshold", "90", "spam probability (percent) that marks a comment spam",
	 C_INT, 50, 100},
};
#define NSETTINGS (sizeof table / sizeof table[0])

static const struct setting *find(const char *key)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (table[i].key[0] == key[0] && strcmp(table[i].key, key) == 0)
			return &table[i];
	return NULL;
}

/* The number in v, else in the default (0 when neither is one). */
static int64_t as_int(const struct setting *s, const char *v)
{
	int64_t n = 0;
	if (!str_to_i64(v, INT64_MIN, INT64_MAX, &n) && s)
		str_to_i64(s->deflt, INT64_MIN, INT64_MAX, &n);
	return n;
}

const char *settings_key(size_t i, const char **deflt, const char **help)
{
	if (i >= NSETTINGS)
		return NULL;
	if (deflt)
		*deflt = table[i].deflt;
	if (help)
		*help = table[i].help;
	return table[i].key;
}

const char *settings_get(struct store *st, struct arena *a, const char *key)
{
	const struct setting *s = find(key);
	const char *v = NULL;
	if (STORE_CALL(st, setting_get, a, key, &v) == ERR_OK && v)
		return v;
	return s ? s->deflt : "";
}

int64_t settings_get_int(struct store *st, struct arena *a, const char *key)
{
	return as_int(find(key), settings_get(st, a, key));
}

/* A stored value by a scan of what was stored (NULL: none). */
static const char *stored(const struct settings_snapshot *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->keys[i], key) == 0)
			return s->values[i];
	return NULL;
}

enum err settings_load(struct store *st, struct arena *a, struct settings_snapshot *out)
{
	memset(out, 0, sizeof *out);
	enum err rc = STORE_CALL(st, setting_list, a, &out->keys, &out->values, &out->n);
	if (rc != ERR_OK)
		return rc;
	out->known = arena_alloc(a, NSETTINGS * sizeof *out->known);
	out->known_int = arena_alloc(a, NSETTINGS * sizeof *out->known_int);
	if (!out->known || !out->known_int)
		return ERR_NOMEM;
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *v = stored(out, table[i].key);
		out->known[i] = v ? v : table[i].deflt;
		out->known_int[i] = as_int(&table[i], out->known[i]);
	}
	return ERR_OK;
}

const char *settings_snap_get(const struct settings_snapshot *s, const char *key)
{
	const struct setting *d = find(key);
	if (d && s->known)
		return s->known[d - table];
	const char *v = stored(s, key);
	return v ? v : d ? d->deflt : "";
}

int64_t settings_snap_int(const struct settings_snapshot *s, const char *key)
{
	const struct setting *d = find(key);
	if (d && s->known_int)
		return s->known_int[d - table];
	return as_int(d, settings_snap_get(s, key));
}

static bool check(const struct setting *s, const char *v, char *errmsg, size_t errlen)
{
	size_t n = strlen(v);
	int64_t i;
	if (!str_utf8_valid(v, n)) {
		snprintf(errmsg, errlen, "%s: not valid UTF-8", s->key);
		return false;
	}
	switch (s->check) {
	case C_TEXT:
		if ((int64_t)n < s->min || (int64_t)n > s->max) {
			snprintf(errmsg, errlen, "%s: must be %lld to %lld bytes", s->key,
				 (long long)s->min, (long long)s->max);
			return false;
		}
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p < 0x20) {
				snprintf(errmsg, errlen, "%s: control characters are not allowed",
					 s->key);
				return false;
			}
		return true;
	case C_URL:
		if (n == 0)
			return true;
		if ((!str_starts(v, "http://") && !str_starts(v, "https://")) || n > (size_t)s->max ||
		    strpbrk(v, " \t\"<>'?#") || str_ends(v, "/")) {
			snprintf(errmsg, errlen,
				 "%s: must be an http(s) URL without a trailing slash, query or "
				 "fragment, e.g. https://news.example.org",
				 s->key);
			return false;
		}
		return true;
	case C_INT:
		if (!str_to_i64(v, s->min, s->max, &i)) {
			snprintf(errmsg, errlen, "%s: must be a whole number from %lld to %lld",
				 s->key, (long long)s->min, (long long)s->max);
			return false;
		}
		return true;
	case C_BOOL:
		if (strcmp(v, "0") && strcmp(v, "1")) {
			snprintf(errmsg, errlen, "%s: must be 0 or 1", s->key);
			return false;
		}
		return true;
	case C_ZONE: {
		if (!time_zone_known(v)) {
			snprintf(errmsg, errlen, "%s: unknown time zone '%s' (e.g. Europe/Paris)",
				 s->key, v);
			return false;
		}
		return true;
	}
	case C_PERMALINK:
		if (!permalink_valid(v)) {
			snprintf(errmsg, errlen,
				 "%s: must start and end with '/', contain %%slug%%, and use only "
				 "%%year%% %%month%% %%day%% %%slug%% %%id%% %%category%% and "
				 "literal [a-z0-9-] segments",
				 s->key);
			return false;
		}
		return true;
	case C_LANG:
		for (const char *p = v; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-')) {
				snprintf(errmsg, errlen, "%s: a language tag like en or pt-BR", s->key);
				return false;
			}
		if (n < 2 || n > 35) {
			snprintf(errmsg, errlen, "%s: a language tag like en or pt-BR", s->key);
			return false;
		}
		return true;
	}
	return false;
}

bool settings_check(const char *key, const char *value, char *errmsg, size_t errlen)
{
	const struct setting *s = find(key);
	if (!s) {
		snprintf(errmsg, errlen, "unknown setting '%s'", key);
		return false;
	}
	return check(s, value, errmsg, errlen);
}

enum err settings_set(struct store *st, const char *key, const char *value, char *errmsg,
		      size_t errlen)
{
	const struct setting *s = find(key);
	if (!s) {
		snprintf(errmsg, errlen, "unknown setting '%s' (see `gazette settings list`)", key);
		return ERR_NOTFOUND;
	}
	if (!check(s, value, errmsg, errlen))
		return ERR_INVALID;
	enum err rc = STORE_CALL(st, setting_set, key, value);
	if (rc != ERR_OK)
		snprintf(errmsg, errlen, "cannot store %s: %s", key, err_str(rc));
	/* the search index stems words of the site's language */
	if (rc == ERR_OK && strcmp(key, "language") == 0 &&
	    (rc = STORE_CALL(st, search_language, value, NULL)) != ERR_OK)
		snprintf(errmsg, errlen, "cannot rebuild the search index for %s: %s", value,
			 err_str(rc));
	return rc;
}

enum err settings_init_defaults(struct store *st)
{
	struct arena a;
	arena_init(&a, 0);
	enum err rc = ERR_OK;
	for (size_t i = 0; i < NSETTINGS && rc == ERR_OK; i++) {
		const char *v;
		if (STORE_CALL(st, setting_get, &a, table[i].key, &v) == ERR_NOTFOUND)
			rc = STORE_CALL(st, setting_set, table[i].key, table[i].deflt);
	}
	arena_free(&a);
	return rc;
}
