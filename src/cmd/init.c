/* init.c - `gazette init [--demo]`: create a site folder (gazette.conf,
 * secret.key) and its database: gazette.db in the folder, or the one the
 * global --database names (written to gazette.conf), e.g. PostgreSQL. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/secret.h"
#include "cmd/cmd.h"
#include "content/settings.h"

static bool exists(const char *dir, const char *name)
{
	char p[1200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/* A failed init leaves nothing behind, so it can simply be run again. */
static void undo(struct cmd_ctx *c, const char *dir, bool made_dir, bool keep_key)
{
	static const char *const files[] = {"gazette.db", "gazette.db-wal", "gazette.db-shm",
					    "gazette.db-journal", "gazette.conf", "secret.key", NULL};
	store_close(c->store);
	c->store = NULL;
	for (size_t i = 0; files[i]; i++) {
		if (keep_key && strcmp(files[i], "secret.key") == 0)
			continue; /* provided beforehand (shared by several nodes) */
		char p[1200];
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	if (made_dir)
		rmdir(dir);
}

int cmd_init(struct cmd_ctx *c)
{
	bool demo = false;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--demo") == 0)
			demo = true;
		else if (strcmp(c->argv[i], "--help") == 0)
			return cmd_help(c);
		else
			return cmd_usage_error(c, "unexpected argument '%s'", c->argv[i]);
	}
	const char *dir = c->site_dir;
	bool made_dir = mkdir(dir, 0755) == 0;
	if (!made_dir && errno != EEXIST)
		return cmd_fail("cannot create %s: %s", dir, strerror(errno));
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return cmd_fail("%s is not a directory", dir);
	if (exists(dir, "gazette.db") || exists(dir, "gazette.conf"))
		return cmd_fail("%s already holds a site (gazette.db or gazette.conf); "
				"refusing to overwrite it",
				dir);
	bool had_key = exists(dir, "secret.key");
	char conf[1200];
	snprintf(conf, sizeof conf, "%s/gazette.conf", dir);
	if (config_write_default(conf, c->database) != ERR_OK) {
		int e = errno;
		undo(c, dir, made_dir, had_key);
		return cmd_fail("cannot write %s: %s", conf, strerror(e));
	}
	c->creating = true;
	int rc = 0;
	unsigned char key[SECRET_BYTES];
	char msg[512];
	const char **keys = NULL, **values = NULL;
	size_t nset = 0;
	if (!cmd_open_site(c))
		rc = 1;
	else if (STORE_CALL(c->store, setting_list, &c->arena, &keys, &values, &nset) != ERR_OK)
		rc = cmd_fail("cannot read the database");
	else if (nset) /* --database naming one that holds a site already */
		rc = cmd_fail("%s already holds a site; refusing to overwrite it",
			      c->config.db_path);
	else if (settings_init_defaults(c->store) != ERR_OK)
		rc = cmd_fail("cannot write the default settings");
	else if (secret_load(c->config.secrets_path, true, key, msg, sizeof msg) != ERR_OK)
		rc = cmd_fail("%s", msg);
	else if (demo && demo_load(c) != 0)
		rc = 1;
	if (rc) {
		undo(c, dir, made_dir, had_key);
		return rc;
	}
	printf("Created a %ssite in %s\n", demo ? "demo " : "", dir);
	return 0;
}
