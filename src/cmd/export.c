/* export.c - `gazette export wordpress > site.xml`: the whole site as a
 * WordPress export (WXR 1.2, src/import/export.c) on stdout. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "import/export.h"

int cmd_export(struct cmd_ctx *c)
{
	if (c->argc == 2 && strcmp(c->argv[1], "--help") == 0)
		return cmd_help(c);
	if (c->argc != 2)
		return cmd_usage_error(c, "expected: wordpress");
	if (strcmp(c->argv[1], "wordpress") != 0)
		return cmd_usage_error(c, "unknown format '%s' (only: wordpress)", c->argv[1]);
	if (!cmd_open_site(c))
		return 1;
	int64_t items = 0;
	enum err rc = export_wordpress(c->store, stdout, &items);
	if (rc != ERR_OK)
		return cmd_fail("export failed: %s", err_str(rc));
	fprintf(stderr, "gazette: exported %lld posts and pages\n", (long long)items);
	return 0;
}
