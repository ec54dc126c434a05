/* settings.c - `gazette settings list|get|set`. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "content/settings.h"

int cmd_settings(struct cmd_ctx *c)
{
	if (c->argc < 2)
		return cmd_usage_error(c, "missing list, get or set");
	const char *verb = c->argv[1];
	if (strcmp(verb, "--help") == 0)
		return cmd_help(c);
	if (strcmp(verb, "list") == 0) {
		if (c->argc != 2)
			return cmd_usage_error(c, "list takes no arguments");
		if (!cmd_open_site(c))
			return 1;
		const char *key;
		for (size_t i = 0; (key = settings_key(i, NULL, NULL)); i++)
			printf("%s\t%s\n", key, settings_get(c->store, &c->arena, key));
		return 0;
	}
	if (strcmp(verb, "get") == 0) {
		if (c->argc != 3)
			return cmd_usage_error(c, "get needs exactly one KEY");
		if (!cmd_open_site(c))
			return 1;
		const char *key;
		bool known = false;
		for (size_t i = 0; (key = settings_key(i, NULL, NULL)); i++)
			known |= strcmp(key, c->argv[2]) == 0;
		if (!known)
			return cmd_fail("unknown setting '%s' (see `gazette settings list`)",
					c->argv[2]);
		printf("%s\n", settings_get(c->store, &c->arena, c->argv[2]));
		return 0;
	}
	if (strcmp(verb, "set") == 0) {
		if (c->argc != 4)
			return cmd_usage_error(c, "set needs a KEY and a VALUE");
		if (!cmd_open_site(c))
			return 1;
		char msg[512];
		if (settings_set(c->store, c->argv[2], c->argv[3], msg, sizeof msg) != ERR_OK)
			return cmd_fail("%s", msg);
		return 0;
	}
	return cmd_usage_error(c, "unknown action '%s'", verb);
}
