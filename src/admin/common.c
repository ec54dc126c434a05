/* common.c - what every back-office screen does: the session, the role,
 * CSRF on POST, the page frame, errors and the admin stylesheet. */
#include <string.h>

#include "admin/admin.h"
#include "auth/session.h"
#include "content/settings.h"
#include "core/log.h"
#include "core/str.h"
#include "http/app.h"
#include "render/mustache.h"
#include "site/site.h"
#include "site/theme.h"

static void no_store(struct resp *rs)
{
	rs->cache_control = "no-store";
	rs->cacheable = false;
}

size_t admin_form_all(struct req *r, const char *key, const char ***out)
{
	*out = ARENA_ARRAY(r->arena, const char *, r->nform + 1);
	size_t n = 0;
	for (size_t i = 0; *out && i < r->nform; i++)
		if (strcmp(r->form[i].key, key) == 0)
			(*out)[n++] = r->form[i].val;
	return n;
}

enum err admin_render(struct req *r, struct resp *rs, const char *tmpl, struct tval *root)
{
	no_store(rs);
	if (r->arena->failed)
		return ERR_NOMEM;
	buf_reset(&rs->body);
	enum err rc = tmpl_render(r->app->admin_theme->tmpl, tmpl, root, &rs->body);
	if (rc != ERR_OK) {
		log_error("rendering admin %s: %s", tmpl, err_str(rc));
		return rc == ERR_NOMEM ? ERR_NOMEM : ERR_IO;
	}
	rs->content_type = "text/html; charset=utf-8";
	return ERR_OK;
}

const char *admin_css_url(struct req *r)
{
	return theme_asset_url(r->app->admin_theme, "admin.css");
}

static struct tval *frame(struct req *r, const char *title)
{
	struct arena *a = r->arena;
	struct tval *root = tval_map(a);
	tval_set_str(a, root, "title", title);
	tval_set_str(a, root, "css", admin_css_url(r));
	tval_set_bool(a, root, "signed_in", false);
	return root;
}

enum err admin_error(struct req *r, struct resp *rs, int status, const char *message)
{
	struct tval *root = frame(r, http_reason(status));
	tval_set_int(r->arena, root, "status", status);
	tval_set_str(r->arena, root, "message", message);
	enum err rc = admin_render(r, rs, "error", root);
	rs->status = status;
	return rc;
}

struct tval *admin_page(struct admin_ctx *ax, const char *title, const char *current)
{
	struct arena *a = ax->v.a;
	struct tval *root = tval_map(a);
	tval_set_str(a, root, "title", title);
	tval_set_str(a, root, "site_title", ax->v.site.title);
	tval_set_str(a, root, "css", ax->css);
	tval_set_str(a, root, "js", ax->js);
	tval_set_bool(a, root, "signed_in", true);
	tval_set_str(a, root, "csrf", ax->session.csrf);
	struct tval *u = tval_map(a);
	tval_set_str(a, u, "name", ax->user.display_name);
	tval_set_str(a, u, "login", ax->user.login);
	tval_set_str(a, u, "role", user_role_name(ax->user.role));
	tval_set(a, root, "user", u);
	tval_set_bool(a, root, "can_moderate", role_can(ax->user.role, CAN_MODERATE));
	tval_set_bool(a, root, "can_pages", role_can(ax->user.role, CAN_EDIT_OTHERS));
	tval_set_bool(a, root, "can_terms", role_can(ax->user.role, CAN_MANAGE_TERMS));
	tval_set_bool(a, root, "can_users", role_can(ax->user.role, CAN_MANAGE_USERS));
	tval_set_bool(a, root, "can_settings", role_can(ax->user.role, CAN_MANAGE_SETTINGS));
	struct comment_query q = {.by_status = true, .status = COMMENT_PENDING, .limit = 1};
	struct comment *cs;
	size_t n;
	int64_t pending = 0;
	if (role_can(ax->user.role, CAN_MODERATE))
		STORE_CALL(ax->v.st, comment_list, a, &q, &cs, &n, &pending);
	tval_set_int(a, root, "pending_comments", pending);
	tval_set_bool(a, root, "has_pending_comments", pending > 0);
	tval_set_bool(a, root, arena_printf(a, "nav_%s", current), true);
	return root;
}

enum err admin_begin(struct req *r, struct resp *rs, struct admin_ctx *ax,
		     enum capability cap, bool *done)
{
	*done = true;
	no_store(rs);
	memset(ax, 0, sizeof *ax);
	ax->v.a = r->arena;
	ax->v.st = r->app->store;
	ax->v.now = r->now;
	ax->v.origin = req_origin(r);
	ax->css = admin_css_url(r);
	ax->js = theme_asset_url(r->app->admin_theme, "admin.js");
	enum err rc = view_load_site(&ax->v);
	if (rc != ERR_OK)
		return rc;
	struct session_limits lim = {
		.idle = settings_snap_int(&ax->v.settings, "admin_session_idle"),
		.max_age = settings_snap_int(&ax->v.settings, "admin_session_max"),
	};
	rc = session_check(ax->v.st, r->arena, req_cookie(r, SESSION_COOKIE), r->now, &lim,
			   &ax->session, &ax->user);
	if (rc == ERR_DENIED) {
		if (r->method == HTTP_POST)
			return admin_error(r, rs, 403, "Your session has ended. Please sign in "
						       "again.");
		const char *next = str_url_encode(r->arena, r->target ? r->target : "/admin/");
		resp_redirect(rs, 303, arena_printf(r->arena, "/admin/signin/?next=%s",
						    next ? next : "%2Fadmin%2F"));
		return ERR_OK;
	}
	if (rc != ERR_OK)
		return rc;
	if (r->method == HTTP_POST && !session_csrf_ok(&ax->session, req_form(r, "csrf")))
		return admin_error(r, rs, 403, "This form is out of date or did not come from this "
					       "site (CSRF check failed). Go back, reload the page "
					       "and try again.");
	if (!role_can(ax->user.role, cap))
		return admin_error(r, rs, 403, "Your role does not allow this.");
	*done = false;
	return ERR_OK;
}

enum err admin_asset(struct req *r, struct resp *rs)
{
	return site_send_asset(r->app->admin_theme, r->params[0], rs);
}
