/* util.c - helpers shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "content/settings.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "media/media.h"

int cmd_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("gazette: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

int cmd_usage_error(const struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "gazette %s: ", c->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fprintf(stderr, "usage: %s\n", c->usage);
	return 2;
}

int cmd_help(const struct cmd_ctx *c)
{
	printf("usage: %s\n", c->usage);
	return 0;
}

bool cmd_open_site(struct cmd_ctx *c)
{
	char msg[512];
	enum err rc = config_load(&c->config, c->site_dir, msg, sizeof msg);
	if (rc == ERR_NOTFOUND) {
		cmd_fail("no site in '%s' (create one with `gazette --site %s init`)", c->site_dir,
			 c->site_dir);
		return false;
	}
	if (rc != ERR_OK) {
		cmd_fail("%s", msg);
		return false;
	}
	if (c->database)
		config_set_database(&c->config, c->site_dir, c->database);
	/* Only init creates a database: a mistyped `database` line must not
	 * quietly start an empty site. */
	if (!c->creating && !config_is_url(c->config.db_path) &&
	    access(c->config.db_path, F_OK) != 0) {
		cmd_fail("no database at %s (see `database` in %s/gazette.conf)", c->config.db_path,
			 c->site_dir);
		return false;
	}
	rc = store_open(&c->store, c->config.db_path, msg, sizeof msg);
	if (rc != ERR_OK) {
		cmd_fail("%s", msg);
		return false;
	}
	time_set_zone(settings_get(c->store, &c->arena, "timezone"));
	return true;
}

bool cmd_media_ready(struct cmd_ctx *c)
{
	char def[1100], msg[1300];
	snprintf(def, sizeof def, "%s/media", c->site_dir);
	bool is_default = strcmp(def, c->config.media_dir) == 0;
	if (media_dir_check(c->config.media_dir, is_default, msg, sizeof msg) != ERR_OK) {
		if (is_default)
			cmd_fail("%s", msg);
		else
			cmd_fail("%s (the media_dir line of %s/gazette.conf)", msg, c->site_dir);
		return false;
	}
	return true;
}

char *cmd_read_file(struct cmd_ctx *c, const char *path)
{
	FILE *f = path && strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		cmd_fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
		if (buf_append(&b, tmp, n) != ERR_OK || b.len > (16u << 20)) {
			cmd_fail("%s: too large", path ? path : "stdin");
			buf_free(&b);
			if (f != stdin)
				fclose(f);
			return NULL;
		}
	}
	bool err = ferror(f);
	if (f != stdin)
		fclose(f);
	if (err) {
		cmd_fail("%s: read error", path ? path : "stdin");
		buf_free(&b);
		return NULL;
	}
	char *r = arena_strndup(&c->arena, b.data ? b.data : "", b.len);
	if (r && strlen(r) != b.len) {
		cmd_fail("%s: contains a NUL byte", path ? path : "stdin");
		r = NULL;
	}
	buf_free(&b);
	return r;
}

char *cmd_read_line(struct cmd_ctx *c)
{
	char line[2048];
	if (!fgets(line, sizeof line, stdin))
		return NULL;
	size_t n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	return arena_strdup(&c->arena, line);
}

bool cmd_parse_id(const struct cmd_ctx *c, const char *s, int64_t *id)
{
	if (!str_to_i64(s, 1, INT64_MAX, id)) {
		cmd_usage_error(c, "'%s' is not an id (a positive number)", s);
		return false;
	}
	return true;
}
