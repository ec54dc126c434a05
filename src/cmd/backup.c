/* backup.c - `gazette backup FILE`: a consistent copy, safe while serving. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"

int cmd_backup(struct cmd_ctx *c)
{
	if (c->argc == 2 && strcmp(c->argv[1], "--help") == 0)
		return cmd_help(c);
	if (c->argc != 2 || c->argv[1][0] == '-')
		return cmd_usage_error(c, "needs exactly one FILE");
	if (access(c->argv[1], F_OK) == 0)
		return cmd_fail("%s already exists; refusing to overwrite it", c->argv[1]);
	if (!cmd_open_site(c))
		return 1;
	enum err rc = STORE_CALL(c->store, backup, c->argv[1]);
	if (rc != ERR_OK)
		return cmd_fail("backup to %s failed: %s %s", c->argv[1], err_str(rc),
				c->store->errmsg);
	printf("%s\n", c->argv[1]);
	return 0;
}
