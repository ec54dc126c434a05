/* admin.h - the back office at /admin/: one file per screen, routes in
 * site/routes.c next to the public ones.
 *
 * Every handler starts with admin_begin, which checks the session cookie
 * (auth/session.h), the role's capability (auth/roles.h) and, on POST, the
 * CSRF token; when any fails it has already filled the response (a 303 to
 * the sign-in page, a 403 page) and the handler returns. Pages render from
 * the compiled-in admin templates (themes/admin/) with Cache-Control:
 * no-store and are never cached. */
#ifndef GAZETTE_ADMIN_ADMIN_H
#define GAZETTE_ADMIN_ADMIN_H

#include <stdbool.h>

#include "auth/roles.h"
#include "http/http.h"
#include "view/view.h"

struct admin_ctx {
	struct view_ctx v;
	struct session session;
	struct user user;
	const char *css; /* the admin stylesheet's URL */
	const char *js;  /* the admin script's URL */
};

/* ERR_OK with *done false: go on. *done true: rs is the answer already. */
enum err admin_begin(struct req *r, struct resp *rs, struct admin_ctx *ax,
		     enum capability cap, bool *done);
/* The common keys (user, csrf, nav counts) plus a page title. */
struct tval *admin_page(struct admin_ctx *ax, const char *title, const char *current);
enum err admin_render(struct req *r, struct resp *rs, const char *tmpl, struct tval *root);
/* A themed admin error page (403, 404, 429 ...) with a message. */
enum err admin_error(struct req *r, struct resp *rs, int status, const char *message);
/* The fingerprinted URL of the admin stylesheet. */
const char *admin_css_url(struct req *r);
/* All values of a form field (checkbox lists), in the request arena. */
size_t admin_form_all(struct req *r, const char *key, const char ***out);

enum err admin_signin(struct req *r, struct resp *rs);    /* signin.c */
enum err admin_signout(struct req *r, struct resp *rs);
enum err admin_dashboard(struct req *r, struct resp *rs); /* dashboard.c */
enum err admin_comments(struct req *r, struct resp *rs);  /* comments.c */
enum err admin_posts(struct req *r, struct resp *rs);     /* posts.c */
enum err admin_post_new(struct req *r, struct resp *rs);  /* editor.c */
enum err admin_post_edit(struct req *r, struct resp *rs);
enum err admin_preview(struct req *r, struct resp *rs);
enum err admin_revisions(struct req *r, struct resp *rs);
enum err admin_categories(struct req *r, struct resp *rs); /* terms.c */
enum err admin_tags(struct req *r, struct resp *rs);
enum err admin_users(struct req *r, struct resp *rs);      /* users.c */
enum err admin_settings(struct req *r, struct resp *rs);   /* settings.c */
enum err admin_asset(struct req *r, struct resp *rs);     /* common.c */
enum err admin_media(struct req *r, struct resp *rs);     /* media.c */
enum err admin_media_item(struct req *r, struct resp *rs);

#endif
