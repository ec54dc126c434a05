/* config.h - process settings from DIR/gazette.conf.
 *
 * The file holds `key = value` lines; '#' starts a comment. Only process
 * settings live here (where to listen, which database, limits); site settings
 * live in the database (content/settings.h). Unknown keys are an error so a
 * typo does not silently fall back to a default. */
#ifndef GAZETTE_CORE_CONFIG_H
#define GAZETTE_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

struct config {
	char site_dir[1024];
	char db_path[1100];        /* "database": a URL (postgresql://...) as written, else a
				    * path relative to site_dir or absolute */
	char secrets_path[1100];   /* "secrets": the signing key file (auth/secret.h) */
	char media_dir[1100];      /* "media_dir": the media library's folder, default
				    * site_dir/media; relative to site_dir or absolute
				    * (several nodes point it at one shared mount) */
	char listen[256];          /* "listen": ADDR:PORT, default 127.0.0.1:8080 */
	char theme_dir[1024];      /* "theme": empty = the compiled-in default theme */
	char trusted_proxies[1024];/* "trusted_proxies": comma-separated IPs */
	unsigned threads;          /* "threads": 0 = one per core */
	unsigned max_connections;  /* "max_connections" */
	unsigned per_ip_connections; /* "per_ip_connections" */
	unsigned idle_timeout_s;   /* "idle_timeout": seconds without a byte */
	unsigned request_deadline_s; /* "request_deadline": whole request, seconds */
	size_t max_body;           /* "max_body": bytes of a request body */
	size_t max_upload;         /* "max_upload": bytes of a multipart/form-data body */
	size_t max_header;         /* "max_header": bytes of the request head */
	size_t max_url;            /* "max_url": bytes of the request target */
	unsigned poll_ms;          /* "change_poll_ms": change-log poll interval */
	unsigned cache_mb;         /* "cache_mb": page cache size, 0 = off */
	unsigned access_log;       /* "access_log": 1 = a line per request on stderr */
};

/* Defaults for every field, with site_dir set. */
void config_defaults(struct config *c, const char *site_dir);
/* Read DIR/gazette.conf over the defaults. ERR_NOTFOUND if missing; on a bad
 * line ERR_INVALID with "gazette.conf:LINE: why" in errmsg. */
enum err config_load(struct config *c, const char *site_dir, char *errmsg, size_t errlen);
/* The parsing half of config_load: read `key = value` lines from f over
 * what is already in c (config_load sets the defaults first). site_dir
 * anchors a relative "database". The caller owns and closes f. */
enum err config_read(struct config *c, const char *site_dir, FILE *f, char *errmsg,
		     size_t errlen);
/* Set "database" as the file's line would: a URL (scheme://...) stays as
 * it is, a relative path is taken from site_dir. */
void config_set_database(struct config *c, const char *site_dir, const char *v);
/* True for "scheme://..." (RFC 3986 scheme characters). */
bool config_is_url(const char *v);
/* Write a commented default gazette.conf (init), naming `database` (NULL:
 * gazette.db in the site folder). */
enum err config_write_default(const char *path, const char *database);

#endif
