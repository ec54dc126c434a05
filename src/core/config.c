/* config.c - gazette.conf: defaults, parsing, the commented default file. */
#include "core/config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

void config_defaults(struct config *c, const char *site_dir)
{
	memset(c, 0, sizeof *c);
	str_copy(c->site_dir, site_dir, sizeof c->site_dir);
	snprintf(c->db_path, sizeof c->db_path, "%s/gazette.db", site_dir);
	snprintf(c->secrets_path, sizeof c->secrets_path, "%s/secret.key", site_dir);
	snprintf(c->media_dir, sizeof c->media_dir, "%s/media", site_dir);
	str_copy(c->listen, "127.0.0.1:8080", sizeof c->listen);
	c->threads = 0;
	c->max_connections = 1000;
	c->per_ip_connections = 64;
	c->idle_timeout_s = 30;
	c->request_deadline_s = 60;
	c->max_body = 1 << 20;
	c->max_upload = (size_t)16 << 20;
	c->max_header = 16384;
	c->max_url = 4096;
	c->poll_ms = 250;
	c->cache_mb = 256;
	c->access_log = 1;
}

static bool set_uint(const char *v, int64_t max, unsigned *out)
{
	int64_t n;
	if (!str_to_i64(v, 0, max, &n))
		return false;
	*out = (unsigned)n;
	return true;
}

static bool set_size(const char *v, size_t *out)
{
	int64_t n;
	if (!str_to_i64(v, 0, (int64_t)1 << 40, &n))
		return false;
	*out = (size_t)n;
	return true;
}

enum err config_load(struct config *c, const char *site_dir, char *errmsg, size_t errlen)
{
	config_defaults(c, site_dir);
	char path[1100];
	snprintf(path, sizeof path, "%s/gazette.conf", site_dir);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(errmsg, errlen, "%s: cannot open", path);
		return ERR_NOTFOUND;
	}
	enum err rc = config_read(c, site_dir, f, errmsg, errlen);
	fclose(f);
	return rc;
}

bool config_is_url(const char *v)
{
	if (!isalpha((unsigned char)v[0]))
		return false;
	size_t i = 1;
	while (isalnum((unsigned char)v[i]) || v[i] == '+' || v[i] == '-' || v[i] == '.')
		i++;
	return strncmp(v + i, "://", 3) == 0;
}

void config_set_database(struct config *c, const char *site_dir, const char *v)
{
	if (v[0] == '/' || config_is_url(v))
		str_copy(c->db_path, v, sizeof c->db_path);
	else
		snprintf(c->db_path, sizeof c->db_path, "%s/%s", site_dir, v);
}

enum err config_read(struct config *c, const char *site_dir, FILE *f, char *errmsg,
		     size_t errlen)
{
	char line[2048];
	int lineno = 0;
	enum err rc = ERR_OK;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		str_trim(line);
		if (!*line)
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			snprintf(errmsg, errlen, "gazette.conf:%d: expected 'key = value'", lineno);
			rc = ERR_INVALID;
			break;
		}
		*eq = '\0';
		char *k = str_trim(line), *v = str_trim(eq + 1);
		bool ok = true;
		if (strcmp(k, "listen") == 0)
			str_copy(c->listen, v, sizeof c->listen);
		else if (strcmp(k, "database") == 0) {
			config_set_database(c, site_dir, v);
		} else if (strcmp(k, "secrets") == 0) {
			if (v[0] == '/')
				str_copy(c->secrets_path, v, sizeof c->secrets_path);
			else
				snprintf(c->secrets_path, sizeof c->secrets_path, "%s/%s", site_dir, v);
		} else if (strcmp(k, "media_dir") == 0) {
			/* a trailing slash would double in every file's path */
			size_t n = strlen(v);
			while (n > 1 && v[n - 1] == '/')
				v[--n] = '\0';
			if (!*v)
				ok = false;
			else if (v[0] == '/')
				str_copy(c->media_dir, v, sizeof c->media_dir);
			else
				snprintf(c->media_dir, sizeof c->media_dir, "%s/%s", site_dir, v);
		} else if (strcmp(k, "theme") == 0)
			str_copy(c->theme_dir, v, sizeof c->theme_dir);
		else if (strcmp(k, "trusted_proxies") == 0)
			str_copy(c->trusted_proxies, v, sizeof c->trusted_proxies);
		else if (strcmp(k, "threads") == 0)
			ok = set_uint(v, 256, &c->threads);
		else if (strcmp(k, "max_connections") == 0)
			ok = set_uint(v, 100000, &c->max_connections);
		else if (strcmp(k, "per_ip_connections") == 0)
			ok = set_uint(v, 100000, &c->per_ip_connections);
		else if (strcmp(k, "idle_timeout") == 0)
			ok = set_uint(v, 86400, &c->idle_timeout_s);
		else if (strcmp(k, "request_deadline") == 0)
			ok = set_uint(v, 86400, &c->request_deadline_s);
		else if (strcmp(k, "max_body") == 0)
			ok = set_size(v, &c->max_body);
		else if (strcmp(k, "max_upload") == 0)
			ok = set_size(v, &c->max_upload);
		else if (strcmp(k, "max_header") == 0)
			ok = set_size(v, &c->max_header);
		else if (strcmp(k, "max_url") == 0)
			ok = set_size(v, &c->max_url);
		else if (strcmp(k, "change_poll_ms") == 0)
			ok = set_uint(v, 60000, &c->poll_ms);
		else if (strcmp(k, "cache_mb") == 0)
			ok = set_uint(v, 1 << 20, &c->cache_mb);
		else if (strcmp(k, "access_log") == 0)
			ok = set_uint(v, 1, &c->access_log);
		else {
			snprintf(errmsg, errlen, "gazette.conf:%d: unknown setting '%s'", lineno, k);
			rc = ERR_INVALID;
			break;
		}
		if (!ok) {
			snprintf(errmsg, errlen, "gazette.conf:%d: bad value for '%s'", lineno, k);
			rc = ERR_INVALID;
			break;
		}
	}
	return rc;
}

enum err config_write_default(const char *path, const char *database)
{
	FILE *f = fopen(path, "wx");
	if (!f)
		return ERR_IO;
	fputs("# Gazette process settings. Site settings (title, base URL, ...) live in\n"
	      "# the database: see `gazette settings`.\n"
	      "listen = 127.0.0.1:8080\n",
	      f);
	/* a URL's password may be left out: libpq reads ~/.pgpass and PGPASSWORD */
	fprintf(f, "database = %s\n", database ? database : "gazette.db");
	fputs("# secrets = secret.key          (signing key; share it between nodes)\n"
	      "# media_dir = media              (uploaded images; several nodes: one shared folder)\n"
	      "# theme = /path/to/theme        (default: the built-in theme)\n"
	      "# trusted_proxies = 127.0.0.1   (who may set X-Forwarded-For/-Proto)\n"
	      "# threads = 0                   (0 = one per core)\n"
	      "# max_connections = 1000\n"
	      "# per_ip_connections = 64\n"
	      "# idle_timeout = 30             (seconds)\n"
	      "# request_deadline = 60         (seconds for a whole request)\n"
	      "# max_body = 1048576            (bytes)\n"
	      "# max_upload = 16777216         (bytes of an upload, multipart/form-data)\n"
	      "# max_header = 16384            (bytes)\n"
	      "# max_url = 4096                (bytes)\n"
	      "# cache_mb = 256                (page cache; 0 turns it off)\n"
	      "# access_log = 1                (a line per request on stderr; 0 = off)\n",
	      f);
	return fclose(f) == 0 ? ERR_OK : ERR_IO;
}
