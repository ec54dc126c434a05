/* cmd.h - the subcommands of `gazette`.
 *
 * Adding a command:
 *  1. write src/cmd/NAME.c with `int cmd_NAME(struct cmd_ctx *)` that parses
 *     its own options (cmd_getopt) and prints usage on --help;
 *  2. add it to the table in main.c with a one-line summary and usage;
 *  3. document it in README.md and add an e2e test.
 * Commands print machine-friendly lines on stdout and errors on stderr
 * (via cmd_fail), and return the process exit status. */
#ifndef GAZETTE_CMD_CMD_H
#define GAZETTE_CMD_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"

struct cmd_ctx {
	const char *site_dir;
	const char *database; /* --database: overrides gazette.conf's (NULL: none) */
	const char *name;  /* the command name */
	const char *usage; /* its usage line(s) */
	int argc;          /* argv[0] is the command name */
	char **argv;
	bool creating;     /* init: the database may be created */
	struct config config;
	struct store *store;
	struct arena arena;
};

/* Print "gazette: MSG" to stderr; returns 1 (for `return cmd_fail(...)`). */
int cmd_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "gazette NAME: MSG" and the usage hint; returns 2. */
int cmd_usage_error(const struct cmd_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print the usage to stdout; returns 0. */
int cmd_help(const struct cmd_ctx *c);
/* Load gazette.conf, open the store, apply the site timezone. Prints the
 * error and returns false when there is no site. */
bool cmd_open_site(struct cmd_ctx *c);
/* The media folder (gazette.conf's media_dir) exists and takes files; the
 * default SITE/media is made when missing, a configured one must be there
 * (a shared mount not mounted must not fill the local disk). False after
 * saying why on stderr. For the commands that write or serve media. */
bool cmd_media_ready(struct cmd_ctx *c);
/* Read all of stdin (or a file) into the arena; NULL on error (printed). */
char *cmd_read_file(struct cmd_ctx *c, const char *path);
/* Read one line from stdin, newline stripped (--password-stdin). */
char *cmd_read_line(struct cmd_ctx *c);
/* Parse a positive id argument; false (and an error printed) otherwise. */
bool cmd_parse_id(const struct cmd_ctx *c, const char *s, int64_t *id);

int cmd_init(struct cmd_ctx *c);
int cmd_serve(struct cmd_ctx *c);
int cmd_settings(struct cmd_ctx *c);
int cmd_backup(struct cmd_ctx *c);
int cmd_post(struct cmd_ctx *c);
int cmd_page(struct cmd_ctx *c);
int cmd_category(struct cmd_ctx *c);
int cmd_tag(struct cmd_ctx *c);
int cmd_user(struct cmd_ctx *c);
int cmd_reindex(struct cmd_ctx *c);
int cmd_related(struct cmd_ctx *c);
int cmd_comment(struct cmd_ctx *c);
int cmd_menu(struct cmd_ctx *c);
int cmd_import(struct cmd_ctx *c);
int cmd_export(struct cmd_ctx *c);
int cmd_migrate_db(struct cmd_ctx *c);

/* demo.c: load the built-in demo site into an initialised store. */
int demo_load(struct cmd_ctx *c);

#endif
