/* user.c - `gazette user add|list|passwd|role`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "auth/account.h"
#include "auth/password.h"
#include "cmd/cmd.h"
#include "core/str.h"

static int read_password(struct cmd_ctx *c, char hash[PASSWORD_HASH_MAX])
{
	char *pw = cmd_read_line(c);
	if (!pw)
		return cmd_fail("no password on stdin");
	enum err rc = password_hash(pw, hash);
	memset(pw, 0, strlen(pw));
	if (rc == ERR_INVALID)
		return cmd_fail("password: must be %d to %d characters", PASSWORD_MIN,
				PASSWORD_MAX);
	if (rc != ERR_OK)
		return cmd_fail("password: cannot hash: %s", err_str(rc));
	return 0;
}

static int add(struct cmd_ctx *c)
{
	static const struct option opts[] = {{"email", required_argument, 0, 'e'},
					     {"role", required_argument, 0, 'r'},
					     {"name", required_argument, 0, 'n'},
					     {"password-stdin", no_argument, 0, 'p'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *email = NULL, *role = NULL, *name = NULL;
	bool pwstdin = false;
	int o;
	optind = 1;
	opterr = 0;
	char **av = c->argv + 1;
	int ac = c->argc - 1;
	while ((o = getopt_long(ac, av, "", opts, NULL)) != -1) {
		switch (o) {
		case 'e': email = optarg; break;
		case 'r': role = optarg; break;
		case 'n': name = optarg; break;
		case 'p': pwstdin = true; break;
		case 'h': return cmd_help(c);
		default: return cmd_usage_error(c, "bad option '%s'", av[optind - 1]);
		}
	}
	if (optind != ac - 1)
		return cmd_usage_error(c, "user add needs exactly one LOGIN");
	const char *login = av[optind];
	if (!account_login_ok(login))
		return cmd_usage_error(c, "login '%s': use 1-60 of a-z 0-9 . _ -", login);
	if (!email || !account_email_ok(email))
		return cmd_usage_error(c, "--email: a valid address is required");
	struct user u = {0};
	if (!role || !user_role_parse(role, &u.role))
		return cmd_usage_error(c, "--role: one of admin, editor, author, contributor");
	if (name && (!str_utf8_valid(name, strlen(name)) || strlen(name) > 200 || !*name))
		return cmd_usage_error(c, "--name: 1-200 bytes of UTF-8");
	char hash[PASSWORD_HASH_MAX] = "";
	if (pwstdin && read_password(c, hash) != 0)
		return 1;
	if (!cmd_open_site(c))
		return 1;
	u.login = login;
	u.email = email;
	u.display_name = name ? name : login;
	u.pwhash = hash;
	int64_t id;
	enum err rc = STORE_CALL(c->store, user_add, &u, &id);
	if (rc == ERR_CONFLICT)
		return cmd_fail("a user '%s' already exists", login);
	if (rc != ERR_OK)
		return cmd_fail("cannot add user: %s", err_str(rc));
	printf("%lld\t%s\n", (long long)id, login);
	return 0;
}

int cmd_user(struct cmd_ctx *c)
{
	if (c->argc < 2)
		return cmd_usage_error(c, "missing add, list, passwd or role");
	const char *verb = c->argv[1];
	if (strcmp(verb, "--help") == 0)
		return cmd_help(c);
	if (strcmp(verb, "add") == 0)
		return add(c);
	if (strcmp(verb, "list") == 0) {
		if (c->argc != 2)
			return cmd_usage_error(c, "list takes no arguments");
		if (!cmd_open_site(c))
			return 1;
		struct user *us;
		size_t n;
		if (STORE_CALL(c->store, user_list, &c->arena, &us, &n) != ERR_OK)
			return cmd_fail("cannot list users");
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%s\t%s\n", (long long)us[i].id, us[i].login,
			       user_role_name(us[i].role), us[i].email, us[i].display_name);
		return 0;
	}
	if (strcmp(verb, "passwd") == 0 || strcmp(verb, "role") == 0) {
		bool is_role = strcmp(verb, "role") == 0;
		if (c->argc != (is_role ? 4 : 3))
			return cmd_usage_error(c, is_role ? "role needs LOGIN ROLE"
							  : "passwd needs LOGIN");
		enum user_role role = ROLE_CONTRIBUTOR;
		if (is_role && !user_role_parse(c->argv[3], &role))
			return cmd_usage_error(c, "role: one of admin, editor, author, contributor");
		char hash[PASSWORD_HASH_MAX];
		if (!is_role && read_password(c, hash) != 0)
			return 1;
		if (!cmd_open_site(c))
			return 1;
		struct user u;
		enum err rc = STORE_CALL(c->store, user_by_login, &c->arena, c->argv[2], &u);
		if (rc == ERR_NOTFOUND)
			return cmd_fail("no user '%s'", c->argv[2]);
		if (rc != ERR_OK)
			return cmd_fail("cannot read user: %s", err_str(rc));
		if (is_role)
			u.role = role;
		else
			u.pwhash = hash;
		rc = STORE_CALL(c->store, user_update, &u);
		if (rc != ERR_OK)
			return cmd_fail("cannot update user: %s", err_str(rc));
		return 0;
	}
	return cmd_usage_error(c, "unknown action '%s'", verb);
}
