/* migrate.c - `gazette migrate-db --to URL|FILE`: copy the site's whole
 * database into an empty PostgreSQL database or a new SQLite file
 * (store_copy, store/copy.h), then say which `database =` line to put in
 * gazette.conf. The site keeps running on its old database until then.
 *
 * A new SQLite file is written under a temporary name next to FILE and
 * linked into place only once the copy has committed, so a failed copy
 * leaves nothing at FILE; PostgreSQL gets the rows in one transaction
 * (its tables are made by the target's own migrations when opened). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/str.h"
#include "core/time.h"

static bool is_postgres(const char *to)
{
	return str_starts(to, "postgres://") || str_starts(to, "postgresql://");
}

/* --- progress (stderr) ----------------------------------------------------- */

static bool on_tty;
static int64_t started_ms; /* for the seconds on each line */

static void progress(enum copy_table t, int64_t done, int64_t total)
{
	const char *what = t == COPY_TABLE__MAX ? "search index" : copy_tables[t].name;
	const char *unit = t == COPY_TABLE__MAX ? "articles" : "rows";
	if (done < total) { /* part way: only worth a line that is overwritten */
		if (on_tty)
			fprintf(stderr, "\rmigrate-db: %s: %lld of %lld %s", what, (long long)done,
				(long long)total, unit);
		return;
	}
	if (total == 0)
		return;
	fprintf(stderr, "%smigrate-db: %s: %lld %s (%.1f s)%s\n", on_tty ? "\r" : "", what,
		(long long)done, unit, (double)(clock_mono_ms() - started_ms) / 1000.0,
		on_tty ? "          " : "");
}

/* --- the report (stdout) -------------------------------------------------- */

static void print_counts(const struct copy_result *res)
{
	printf("%-18s %10s %10s\n", "table", "source", "target");
	for (int t = 0; t < COPY_TABLE__MAX; t++)
		printf("%-18s %10lld %10lld%s\n", copy_tables[t].name, (long long)res->source[t],
		       (long long)res->target[t],
		       res->counted && res->source[t] != res->target[t] ? "  MISMATCH" : "");
}

/* --- a new SQLite file ---------------------------------------------------- */

static void remove_sqlite(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[PATH_MAX + 16];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/* Make the temporary file the copy is written to, exclusively (never
 * through a planted file or link). */
static bool make_temp(const char *dest, char *tmp, size_t len)
{
	if ((size_t)snprintf(tmp, len, "%s.tmp-%ld", dest, (long)getpid()) >= len) {
		cmd_fail("%s: path too long", dest);
		return false;
	}
	int fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		cmd_fail("cannot create %s: %s", tmp, strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

/* --- the command ---------------------------------------------------------- */

int cmd_migrate_db(struct cmd_ctx *c)
{
	const char *to = NULL;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--help") == 0)
			return cmd_help(c);
		if (strcmp(c->argv[i], "--to") == 0 && i + 1 < c->argc)
			to = c->argv[++i];
		else if (str_starts(c->argv[i], "--to="))
			to = c->argv[i] + 5;
		else
			return cmd_usage_error(c, "unexpected argument '%s'", c->argv[i]);
	}
	if (!to || !*to)
		return cmd_usage_error(c, "needs --to postgresql://... or --to FILE (a new SQLite file)");
	if (strpbrk(to, "#\r\n"))
		return cmd_usage_error(c, "--to: no '#' or line breaks (percent-encode '#' in a URL: %%23)");
	bool pg = is_postgres(to);
	if (!pg && config_is_url(to))
		return cmd_usage_error(c, "--to: %.*s:// is not a database gazette knows "
					  "(postgresql://... or a SQLite file path)",
				       (int)strcspn(to, ":"), to);
	if (str_starts(to, "sqlite:"))
		return cmd_usage_error(c, "--to: give the SQLite file as a plain path, without sqlite:");
	if (!pg && access(to, F_OK) == 0)
		return cmd_fail("%s already exists; refusing to overwrite it", to);

	if (!cmd_open_site(c)) /* the source, migrated to this binary's schema */
		return 1;
	if (strcmp(c->config.db_path, to) == 0)
		return cmd_fail("%s is the site's own database", to);

	char tmp[PATH_MAX + 32] = "", msg[512] = "";
	if (!pg && !make_temp(to, tmp, sizeof tmp))
		return 1;
	struct store *target = NULL;
	if (store_open(&target, pg ? to : tmp, msg, sizeof msg) != ERR_OK) {
		if (!pg)
			remove_sqlite(tmp);
		return cmd_fail("cannot open the target %s: %s", pg ? "database" : to, msg);
	}

	on_tty = isatty(STDERR_FILENO);
	started_ms = clock_mono_ms();
	struct copy_result res;
	enum err rc = store_copy(c->store, target, progress, &res);
	store_close(target); /* SQLite: checkpointed, its -wal gone */
	if (rc != ERR_OK) {
		if (!pg)
			remove_sqlite(tmp);
		if (res.counted)
			print_counts(&res);
		return cmd_fail("migrate-db: %s; nothing was written to the target", res.errmsg);
	}
	if (!pg) {
		/* link, not rename: fails rather than replaces a file made meanwhile */
		int linked = link(tmp, to);
		int e = errno;
		unlink(tmp);
		if (linked != 0) {
			remove_sqlite(tmp);
			return cmd_fail("%s: %s", to, strerror(e));
		}
	}
	print_counts(&res);
	int64_t rows = 0;
	for (int t = 0; t < COPY_TABLE__MAX; t++)
		rows += res.source[t];
	printf("copied %lld rows in %.1f s (change log up to id %lld)\n", (long long)rows,
	       res.seconds, (long long)res.last_change);
	char abs[PATH_MAX];
	const char *line = pg ? to : (realpath(to, abs) ? abs : to);
	printf("To switch the site over, stop gazette, put this line in %s/gazette.conf and "
	       "start it again:\n", c->site_dir);
	printf("database = %s\n", line);
	printf("(gazette.conf, secret.key and media/ stay in %s)\n", c->site_dir);
	return 0;
}
