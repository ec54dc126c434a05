/* main.c - `gazette [--site DIR] COMMAND ...`: global options and dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/log.h"

#define GAZETTE_VERSION "0.1.0"

static const struct command {
	const char *name;
	int (*run)(struct cmd_ctx *);
	const char *summary;
	const char *usage;
} commands[] = {
	{"init", cmd_init, "create a new site", "gazette [--site DIR] [--database URL] init [--demo]"},
	{"serve", cmd_serve, "serve the site over HTTP",
	 "gazette [--site DIR] serve [--listen ADDR:PORT] [--threads N] [--theme DIR]"},
	{"settings", cmd_settings, "show or change site settings",
	 "gazette settings list\n"
	 "       gazette settings get KEY\n"
	 "       gazette settings set KEY VALUE"},
	{"backup", cmd_backup, "write a consistent copy of the database",
	 "gazette backup FILE"},
	{"post", cmd_post, "write and manage articles",
	 "gazette post add --title T [--slug S] [--category SLUG] [--tags a,b] [--author LOGIN]\n"
	 "                 [--status draft|pending|published|scheduled|private] [--date ISO-8601]\n"
	 "                 [--excerpt TEXT] [--sticky] [--file F]   (body: F, or stdin)\n"
	 "       gazette post edit ID [same options as add; --file F or --body-stdin for the body]\n"
	 "       gazette post list [--status S] [--category SLUG] [--limit N]\n"
	 "       gazette post show ID\n"
	 "       gazette post publish|unpublish|delete ID..."},
	{"page", cmd_page, "write and manage static pages",
	 "gazette page add --title T [--slug S] [--parent SLUG] [--status S] [--file F]\n"
	 "       gazette page edit ID [same options as add; --body-stdin]\n"
	 "       gazette page list\n"
	 "       gazette page delete ID..."},
	{"category", cmd_category, "manage the category tree",
	 "gazette category add NAME [--slug S] [--parent SLUG] [--description TEXT]\n"
	 "       gazette category list\n"
	 "       gazette category move SLUG --parent SLUG|--top\n"
	 "       gazette category rename SLUG --name NAME [--slug NEW]\n"
	 "       gazette category delete SLUG"},
	{"tag", cmd_tag, "manage tags",
	 "gazette tag list\n"
	 "       gazette tag rename SLUG --name NAME [--slug NEW]\n"
	 "       gazette tag delete SLUG"},
	{"menu", cmd_menu, "the site's navigation menu",
	 "gazette menu list\n"
	 "       gazette menu add LABEL --url URL|--post ID|--category SLUG [--parent ITEM-ID]\n"
	 "       gazette menu clear   (the default menu: top categories, then pages)"},
	{"comment", cmd_comment, "moderate reader comments",
	 "gazette comment list [--status S] [--post ID] [--email E] [--ip ADDR] [--limit N]\n"
	 "       gazette comment show ID...\n"
	 "       gazette comment approve|unapprove|spam|trash|restore|delete ID...\n"
	 "       gazette comment train   (relearn the spam filter from all decisions)"},
	{"import", cmd_import, "import a WordPress export (WXR)",
	 "gazette import wordpress FILE.xml [--dry-run] [--media-dir UPLOADS-DIR] [--menu SLUG]"},
	{"export", cmd_export, "write the site as a WordPress export (WXR 1.2) on stdout",
	 "gazette export wordpress > site.xml"},
	{"migrate-db", cmd_migrate_db, "copy the whole site to PostgreSQL or a new SQLite file",
	 "gazette migrate-db --to postgresql://USER@HOST/DB   (an empty database)\n"
	 "       gazette migrate-db --to FILE                    (a new SQLite file)"},
	{"reindex", cmd_reindex, "rebuild the search index", "gazette reindex"},
	{"related", cmd_related, "recompute every article's related articles",
	 "gazette related --rebuild"},
	{"user", cmd_user, "manage users",
	 "gazette user add LOGIN --email E --role admin|editor|author|contributor\n"
	 "                 [--name NAME] [--password-stdin]\n"
	 "       gazette user list\n"
	 "       gazette user passwd LOGIN   (reads the new password from stdin)\n"
	 "       gazette user role LOGIN ROLE"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fprintf(f, "usage: gazette [--site DIR] [--database URL] COMMAND [ARGS...]\n\n"
		   "Gazette serves a news site from DIR (default ./site).\n"
		   "--database names the database instead of DIR/gazette.conf's `database`:\n"
		   "a path, or postgresql://... for PostgreSQL (with init: written there).\n"
		   "\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun `gazette COMMAND --help` for a command's options.\n");
}

int main(int argc, char **argv)
{
	const char *site = "site", *database = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--site") == 0 && i + 1 < argc) {
			site = argv[++i];
		} else if (strncmp(argv[i], "--site=", 7) == 0) {
			site = argv[i] + 7;
		} else if (strcmp(argv[i], "--database") == 0 && i + 1 < argc) {
			database = argv[++i];
		} else if (strncmp(argv[i], "--database=", 11) == 0) {
			database = argv[i] + 11;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("gazette %s\n", GAZETTE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "gazette: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (!*site) {
		fprintf(stderr, "gazette: --site needs a directory\n");
		return 2;
	}
	/* as gazette.conf's `database` line would say it (init writes it there) */
	if (database && (!*database || strpbrk(database, "#\r\n"))) {
		fprintf(stderr, "gazette: --database needs a URL or a path without '#' "
				"(percent-encode it in a URL: %%23)\n");
		return 2;
	}
	for (size_t k = 0; k < NCOMMANDS; k++) {
		if (strcmp(commands[k].name, argv[i]) != 0)
			continue;
		struct cmd_ctx c = {0};
		c.site_dir = site;
		c.database = database;
		c.name = commands[k].name;
		c.usage = commands[k].usage;
		c.argc = argc - i;
		c.argv = argv + i;
		arena_init(&c.arena, 0);
		int rc = commands[k].run(&c);
		store_close(c.store);
		arena_free(&c.arena);
		return rc;
	}
	fprintf(stderr, "gazette: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
