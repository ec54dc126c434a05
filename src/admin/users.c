/* users.c - /admin/users/ (admins only): the accounts, adding one, and for
 * each changing the role, setting a new password, or disabling it. A
 * disabled account has no password (as imported ones) and its sessions end;
 * a new password enables it again. An admin cannot disable or demote
 * themselves, so a site always keeps someone who can sign in. */
#include <string.h>

#include "admin/admin.h"
#include "auth/account.h"
#include "auth/password.h"
#include "core/str.h"

static const char *notice_of(struct req *r)
{
	const char *d = req_query(r, "done");
	if (str_eq(d, "added"))
		return "User added.";
	if (str_eq(d, "saved"))
		return "Saved.";
	if (str_eq(d, "disabled"))
		return "Disabled: the user is signed out and needs a new password.";
	return "";
}

static enum err show(struct req *r, struct resp *rs, struct admin_ctx *ax, const char *message,
		     int status)
{
	struct arena *a = r->arena;
	struct user *us;
	size_t n;
	enum err rc = STORE_CALL(ax->v.st, user_list, a, &us, &n);
	if (rc != ERR_OK)
		return rc;
	struct tval *root = admin_page(ax, "Users", "users");
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tval *v = tval_map(a);
		tval_set_int(a, v, "id", us[i].id);
		tval_set_str(a, v, "login", us[i].login);
		tval_set_str(a, v, "name", us[i].display_name);
		tval_set_str(a, v, "email", us[i].email);
		tval_set_bool(a, v, "enabled", us[i].pwhash && *us[i].pwhash);
		tval_set_bool(a, v, "self", us[i].id == ax->user.id);
		struct tval *roles = tval_list(a);
		for (int k = 0; k < ROLE__MAX; k++) {
			struct tval *o = tval_map(a);
			tval_set_str(a, o, "value", user_role_name((enum user_role)k));
			tval_set_bool(a, o, "selected", us[i].role == (enum user_role)k);
			tval_push(a, roles, o);
		}
		tval_set(a, v, "roles", roles);
		tval_push(a, list, v);
	}
	tval_set(a, root, "users", list);
	tval_set_str(a, root, "message", message ? message : "");
	tval_set_str(a, root, "notice", notice_of(r));
	struct tval *typed = tval_map(a);
	tval_set_str(a, typed, "login", r->method == HTTP_POST ? req_form(r, "login") : "");
	tval_set_str(a, typed, "email", r->method == HTTP_POST ? req_form(r, "email") : "");
	tval_set_str(a, typed, "name", r->method == HTTP_POST ? req_form(r, "name") : "");
	tval_set(a, root, "typed", typed);
	rc = admin_render(r, rs, "users", root);
	rs->status = status;
	return rc;
}

static enum err add(struct req *r, struct resp *rs, struct admin_ctx *ax)
{
	const char *login = req_form(r, "login"), *email = req_form(r, "email");
	const char *name = req_form(r, "name"), *pw = req_form(r, "password");
	struct user u = {0};
	if (!account_login_ok(login))
		return show(r, rs, ax, "Login: 1 to 60 of a-z, 0-9, dot, underscore, hyphen.", 400);
	if (!account_email_ok(email))
		return show(r, rs, ax, "Email: a valid address is required.", 400);
	if (!user_role_parse(req_form(r, "role"), &u.role))
		return show(r, rs, ax, "Role: admin, editor, author or contributor.", 400);
	if (name && (strlen(name) > 200 || !str_utf8_valid(name, strlen(name))))
		return show(r, rs, ax, "Name: 200 characters at most.", 400);
	char hash[PASSWORD_HASH_MAX];
	if (!pw || password_hash(pw, hash) != ERR_OK)
		return show(r, rs, ax, "Password: 8 to 1024 characters.", 400);
	u.login = login;
	u.email = email;
	u.display_name = name && *name ? name : login;
	u.bio = "";
	u.pwhash = hash;
	int64_t id;
	enum err rc = STORE_CALL(ax->v.st, user_add, &u, &id);
	if (rc == ERR_CONFLICT)
		return show(r, rs, ax, "That login is taken.", 400);
	if (rc != ERR_OK)
		return rc;
	resp_redirect(rs, 303, "/admin/users/?done=added");
	return ERR_OK;
}

enum err admin_users(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_MANAGE_USERS, &done);
	if (rc != ERR_OK || done)
		return rc;
	if (r->method != HTTP_POST)
		return show(r, rs, &ax, NULL, 200);
	const char *what = req_form(r, "do");
	if (str_eq(what, "add"))
		return add(r, rs, &ax);
	int64_t id;
	struct user u;
	if (!req_form(r, "id") || !str_to_i64(req_form(r, "id"), 1, INT64_MAX, &id) ||
	    STORE_CALL(ax.v.st, user_get, r->arena, id, &u) != ERR_OK)
		return show(r, rs, &ax, "Unknown user.", 400);
	const char *result = "saved";
	char hash[PASSWORD_HASH_MAX];
	if (str_eq(what, "role")) {
		if (!user_role_parse(req_form(r, "role"), &u.role))
			return show(r, rs, &ax, "Role: admin, editor, author or contributor.", 400);
		if (id == ax.user.id && u.role != ROLE_ADMIN)
			return show(r, rs, &ax, "You cannot take the admin role from yourself.", 400);
	} else if (str_eq(what, "password")) {
		const char *pw = req_form(r, "password");
		if (!pw || password_hash(pw, hash) != ERR_OK)
			return show(r, rs, &ax, "Password: 8 to 1024 characters.", 400);
		u.pwhash = hash;
	} else if (str_eq(what, "disable")) {
		if (id == ax.user.id)
			return show(r, rs, &ax, "You cannot disable yourself.", 400);
		u.pwhash = "";
		result = "disabled";
	} else {
		return show(r, rs, &ax, "Unknown action.", 400);
	}
	if ((rc = STORE_CALL(ax.v.st, user_update, &u)) != ERR_OK)
		return rc;
	/* a new password or a disabled account: sessions elsewhere end */
	if ((str_eq(what, "password") || str_eq(what, "disable")) && id != ax.user.id &&
	    (rc = STORE_CALL(ax.v.st, session_delete_user, id)) != ERR_OK)
		return rc;
	resp_redirect(rs, 303, arena_printf(r->arena, "/admin/users/?done=%s", result));
	return ERR_OK;
}
