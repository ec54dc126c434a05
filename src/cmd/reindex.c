/* reindex.c - `gazette reindex` (the search index) and `gazette related
 * --rebuild` (every article's related list), with a progress bar on a
 * terminal. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "content/settings.h"

static const char *doing = "indexing"; /* the progress bar's label */

static void progress(int64_t done, int64_t total)
{
	if (!isatty(STDERR_FILENO))
		return;
	int width = 40, filled = total ? (int)(done * width / total) : width;
	fprintf(stderr, "\r%s [%.*s%*s] %lld/%lld", doing, filled,
		"########################################", width - filled, "", (long long)done,
		(long long)total);
	if (done == total)
		fputc('\n', stderr);
}

int cmd_reindex(struct cmd_ctx *c)
{
	if (c->argc == 2 && strcmp(c->argv[1], "--help") == 0)
		return cmd_help(c);
	if (c->argc != 1)
		return cmd_usage_error(c, "takes no arguments");
	if (!cmd_open_site(c))
		return 1;
	/* the index for the site's language (rebuilt there when it changed) */
	enum err rc = STORE_CALL(c->store, search_language,
				 settings_get(c->store, &c->arena, "language"), progress);
	if (rc == ERR_OK)
		rc = STORE_CALL(c->store, reindex, progress);
	if (rc != ERR_OK)
		return cmd_fail("reindex failed: %s", err_str(rc));
	printf("search index rebuilt\n");
	return 0;
}

/* `gazette related --rebuild`: recompute every article's related list. */
int cmd_related(struct cmd_ctx *c)
{
	if (c->argc == 2 && strcmp(c->argv[1], "--help") == 0)
		return cmd_help(c);
	if (c->argc != 2 || strcmp(c->argv[1], "--rebuild") != 0)
		return cmd_usage_error(c, "the only action is --rebuild");
	if (!cmd_open_site(c))
		return 1;
	/* three passes: word counts, vectors, lists */
	doing = "related";
	enum err rc = STORE_CALL(c->store, relate_all, progress);
	if (rc != ERR_OK)
		return cmd_fail("related --rebuild failed: %s", err_str(rc));
	printf("related articles rebuilt\n");
	return 0;
}
