/* signin.c - /admin/signin/ and /admin/signout/.
 *
 * Sign in with a login or an email and the password (argon2id). Failed
 * attempts are counted per account and per address over
 * admin_signin_window; past admin_signin_max (account) or
 * admin_signin_ip_max (address) further attempts are refused with a 429
 * before any password is checked. The form carries a signed, timed token
 * (no session yet) so another site cannot sign a browser in. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "admin/admin.h"
#include "auth/password.h"
#include "auth/secret.h"
#include "auth/session.h"
#include "content/settings.h"
#include "core/str.h"
#include "http/app.h"

#define FORM_MAX_AGE 3600

static void form_token(const unsigned char *key, int64_t now, char out[96])
{
	char msg[48], mac[65];
	snprintf(msg, sizeof msg, "admin-signin|%" PRId64, now);
	secret_sign(key, msg, strlen(msg), mac);
	snprintf(out, 96, "%" PRId64 ".%.32s", now, mac);
}

static bool form_token_ok(const unsigned char *key, const char *tok, int64_t now)
{
	int64_t at;
	char num[24];
	const char *dot = tok ? strchr(tok, '.') : NULL;
	if (!dot || (size_t)(dot - tok) >= sizeof num)
		return false;
	memcpy(num, tok, (size_t)(dot - tok));
	num[dot - tok] = '\0';
	if (!str_to_i64(num, 0, INT64_MAX, &at) || at > now + 60 || now - at > FORM_MAX_AGE)
		return false;
	char want[96];
	form_token(key, at, want);
	return secret_equal(want, tok);
}

/* Only back-office paths, never another site ("//evil", "/\\evil"). */
static const char *safe_next(const char *next)
{
	if (!next || strncmp(next, "/admin/", 7) != 0 || strstr(next, "//") ||
	    strchr(next, '\\'))
		return "/admin/";
	return next;
}

static enum err show(struct req *r, struct resp *rs, const char *login, const char *message,
		     int status)
{
	struct arena *a = r->arena;
	struct tval *root = tval_map(a);
	char tok[96];
	form_token(r->app->secret, r->now, tok);
	tval_set_str(a, root, "title", "Sign in");
	tval_set_str(a, root, "css", admin_css_url(r));
	tval_set_bool(a, root, "signed_out", req_query(r, "signed_out") != NULL);
	tval_set_str(a, root, "token", tok);
	tval_set_str(a, root, "login", login ? login : "");
	tval_set_str(a, root, "message", message ? message : "");
	tval_set_str(a, root, "next", safe_next(req_query(r, "next") ? req_query(r, "next")
								   : req_form(r, "next")));
	enum err rc = admin_render(r, rs, "signin", root);
	rs->status = status;
	return rc;
}

/* A hash to check against when the account does not exist, so that the
 * answer takes as long as for a wrong password. */
static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
	if (password_hash("not the password of anyone", dummy_hash) != ERR_OK)
		dummy_hash[0] = '\0';
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void set_cookie(struct req *r, struct resp *rs, struct view_ctx *v, const char *value,
		       int64_t max_age)
{
	bool secure = r->https || str_starts(v->site.base_url, "https://");
	resp_header(rs, "Set-Cookie",
		    arena_printf(r->arena, "%s=%s; Path=/admin/; Max-Age=%lld; HttpOnly; "
					   "SameSite=Lax%s",
				 SESSION_COOKIE, value, (long long)max_age,
				 secure ? "; Secure" : ""));
}

enum err admin_signin(struct req *r, struct resp *rs)
{
	struct view_ctx v = {.a = r->arena, .st = r->app->store, .now = r->now};
	enum err rc = view_load_site(&v);
	if (rc != ERR_OK)
		return rc;
	rs->cache_control = "no-store";
	if (r->method != HTTP_POST)
		return show(r, rs, NULL, NULL, 200);

	const char *login = req_form(r, "login");
	const char *password = req_form(r, "password");
	if (!form_token_ok(r->app->secret, req_form(r, "token"), r->now))
		return show(r, rs, login, "This sign-in form had expired. Please try again.", 403);
	if (!login || !*login || !password || !*password)
		return show(r, rs, login, "Please give your username or email and your password.",
			    400);
	if (strlen(login) > 254 || strlen(password) > PASSWORD_MAX)
		return show(r, rs, NULL, "Wrong username or password.", 400);

	struct store *st = v.st;
	const struct settings_snapshot *set = &v.settings;
	int64_t window = settings_snap_int(set, "admin_signin_window");
	char *who = arena_strdup(r->arena, login);
	if (!who)
		return ERR_NOMEM;
	lower(who);
	const char *kacct = arena_printf(r->arena, "login:%s", who);
	const char *kip = arena_printf(r->arena, "ip:%s", r->client_ip ? r->client_ip : "");
	int64_t nacct = 0, nip = 0;
	if ((rc = STORE_CALL(st, signin_failures, kacct, r->now - window, &nacct)) != ERR_OK ||
	    (rc = STORE_CALL(st, signin_failures, kip, r->now - window, &nip)) != ERR_OK)
		return rc;
	if (nacct >= settings_snap_int(set, "admin_signin_max") ||
	    nip >= settings_snap_int(set, "admin_signin_ip_max")) {
		resp_header(rs, "Retry-After", arena_printf(r->arena, "%lld", (long long)window));
		return show(r, rs, login,
			    arena_printf(r->arena, "Too many failed sign-ins. Please wait %lld "
						   "minutes and try again.",
					 (long long)((window + 59) / 60)),
			    429);
	}

	struct user u;
	rc = strchr(login, '@') ? STORE_CALL(st, user_by_email, r->arena, login, &u)
				: STORE_CALL(st, user_by_login, r->arena, login, &u);
	bool known = rc == ERR_OK && u.pwhash && *u.pwhash;
	if (rc != ERR_OK && rc != ERR_NOTFOUND && rc != ERR_CONFLICT)
		return rc;
	pthread_once(&dummy_once, make_dummy);
	bool ok = password_verify(known ? u.pwhash : dummy_hash, password) && known;
	if (!ok) {
		STORE_CALL(st, signin_failed, kacct, r->now, r->now - window);
		STORE_CALL(st, signin_failed, kip, r->now, r->now - window);
		return show(r, rs, login, "Wrong username or password.", 403);
	}
	STORE_CALL(st, signin_clear, kacct);
	struct session_limits lim = {
		.idle = settings_snap_int(set, "admin_session_idle"),
		.max_age = settings_snap_int(set, "admin_session_max"),
	};
	char token[SESSION_TOKEN_HEX + 1], csrf[SESSION_TOKEN_HEX + 1];
	if ((rc = session_start(st, u.id, r->client_ip, r->now, &lim, token, csrf)) != ERR_OK)
		return rc;
	set_cookie(r, rs, &v, token, lim.max_age);
	resp_redirect(rs, 303, safe_next(req_form(r, "next")));
	return ERR_OK;
}

enum err admin_signout(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	if ((rc = session_end(ax.v.st, req_cookie(r, SESSION_COOKIE))) != ERR_OK)
		return rc;
	set_cookie(r, rs, &ax.v, "", 0);
	resp_redirect(rs, 303, "/admin/signin/?signed_out=1");
	return ERR_OK;
}
