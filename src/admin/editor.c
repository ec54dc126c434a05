/* editor.c - writing a post or page: /admin/posts/new/ and
 * /admin/posts/ID/ (the form; POST saves), /admin/preview/ (the Markdown
 * rendered by the server, for the live preview), and
 * /admin/posts/ID/revisions/ (differences between two revisions; POST
 * restores one).
 *
 * Saving goes through content/post.h like the CLI, so the same checks,
 * revisions and redirects apply. What the buttons may do depends on the
 * role (auth/roles.h): contributors save drafts and submit them for review;
 * authors publish their own; editors and admins everything. A refused save
 * shows the form again with the reason and everything typed. */
#include <string.h>

#include "admin/admin.h"
#include "content/post.h"
#include "content/settings.h"
#include "core/diff.h"
#include "core/str.h"
#include "core/time.h"
#include "media/media.h"
#include "render/markdown.h"

/* The editor form: a post (or what was typed), the choices, the message. */
struct typed {
	const char *title, *slug, *body, *excerpt, *category, *tags, *date;
	bool sticky, comments_open;
	int64_t featured; /* media id, 0 none */
};

static const char *date_value(struct arena *a, int64_t t)
{
	struct date_parts dp;
	time_local(t, &dp);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", dp.year, dp.month, dp.day, dp.hour,
			    dp.min);
}

static void typed_from_post(struct admin_ctx *ax, const struct post *p, struct tag *tags,
			    size_t ntags, struct typed *t)
{
	struct arena *a = ax->v.a;
	t->title = p->title;
	t->slug = p->slug;
	t->body = p->body_md;
	t->excerpt = p->excerpt;
	t->category = p->category_slug ? p->category_slug : "";
	const char *acc = "";
	for (size_t i = 0; i < ntags; i++)
		acc = arena_printf(a, "%s%s%s", acc, i ? ", " : "", tags[i].name);
	t->tags = acc;
	t->date = date_value(a, p->published_at);
	t->sticky = p->sticky;
	t->comments_open = p->comments_open;
	t->featured = p->featured_media_id;
}

static void typed_from_form(struct req *r, struct typed *t)
{
	t->title = req_form(r, "title");
	t->slug = req_form(r, "slug");
	t->body = req_form(r, "body");
	t->excerpt = req_form(r, "excerpt");
	t->category = req_form(r, "category");
	t->tags = req_form(r, "tags");
	t->date = req_form(r, "date");
	t->sticky = req_form(r, "sticky") != NULL;
	t->comments_open = req_form(r, "comments_open") != NULL;
	if (!str_to_i64(req_form(r, "featured_media"), 0, INT64_MAX, &t->featured))
		t->featured = 0;
}

/* The featured image select: the newest images (and the current one). */
static enum err featured_choices(struct admin_ctx *ax, struct tval *root, int64_t current)
{
	struct arena *a = ax->v.a;
	struct media *ms;
	size_t n;
	enum err rc = STORE_CALL(ax->v.st, media_list, a, 0, 200, &ms, &n, NULL);
	if (rc != ERR_OK)
		return rc;
	struct tval *list = tval_list(a);
	bool seen = current == 0;
	for (size_t i = 0; i < n; i++) {
		struct tval *o = tval_map(a);
		tval_set_int(a, o, "id", ms[i].id);
		tval_set_str(a, o, "label", arena_printf(a, "%s%s%s", ms[i].path,
							 *ms[i].alt ? " - " : "", ms[i].alt));
		tval_set_bool(a, o, "selected", ms[i].id == current);
		seen |= ms[i].id == current;
		tval_push(a, list, o);
	}
	if (!seen) { /* older than the list shows: keep it selectable */
		struct tval *o = tval_map(a);
		tval_set_int(a, o, "id", current);
		tval_set_str(a, o, "label", arena_printf(a, "image %lld", (long long)current));
		tval_set_bool(a, o, "selected", true);
		tval_push(a, list, o);
	}
	tval_set(a, root, "media", list);
	return ERR_OK;
}

static enum err show(struct req *r, struct resp *rs, struct admin_ctx *ax, enum post_type type,
		     const struct post *p, const struct typed *t, const char *message, int status,
		     const char *preview_html)
{
	struct arena *a = r->arena;
	bool page = type == POST_PAGE;
	struct tval *root = admin_page(ax, p ? (page ? "Edit page" : "Edit post")
					     : (page ? "New page" : "New post"),
				       page ? "pages" : "posts");
	struct tval *f = tval_map(a);
	tval_set_str(a, f, "title", t->title ? t->title : "");
	tval_set_str(a, f, "slug", t->slug ? t->slug : "");
	tval_set_str(a, f, "body", t->body ? t->body : "");
	tval_set_str(a, f, "excerpt", t->excerpt ? t->excerpt : "");
	tval_set_str(a, f, "tags", t->tags ? t->tags : "");
	tval_set_str(a, f, "date", t->date ? t->date : "");
	tval_set_bool(a, f, "sticky", t->sticky);
	tval_set_bool(a, f, "comments_open", t->comments_open);
	tval_set(a, root, "form", f);
	tval_set_bool(a, root, "page", page);
	tval_set_str(a, root, "type", page ? "page" : "post");
	tval_set_str(a, root, "action",
		     p ? arena_printf(a, "/admin/posts/%lld/", (long long)p->id)
		       : (page ? "/admin/posts/new/?type=page" : "/admin/posts/new/"));
	tval_set_str(a, root, "message", message ? message : "");
	tval_set_str(a, root, "notice", req_query(r, "saved") ? "Saved." : "");
	tval_set_html(a, root, "preview_html", preview_html ? preview_html : "");
	tval_set_bool(a, root, "has_preview", preview_html != NULL);
	if (p) {
		tval_set_int(a, root, "id", p->id);
		tval_set_str(a, root, "status", post_status_name(p->status));
		tval_set_bool(a, root, "is_trash", p->status == POST_TRASH);
		tval_set_bool(a, root, "is_live",
			      p->status == POST_PUBLISHED || p->status == POST_SCHEDULED);
		tval_set_str(a, root, "revisions_url",
			     arena_printf(a, "/admin/posts/%lld/revisions/", (long long)p->id));
		if (post_is_public(p, ax->v.now))
			tval_set_str(a, root, "view_url", view_post_url(&ax->v, p));
	} else {
		tval_set_str(a, root, "status", "new");
	}
	bool can_publish = role_can(ax->user.role, CAN_PUBLISH);
	tval_set_bool(a, root, "can_publish", can_publish);
	tval_set_bool(a, root, "can_review", !can_publish);
	struct category *cs;
	size_t nc;
	enum err rc = STORE_CALL(ax->v.st, category_list, a, 0, &cs, &nc);
	if (rc != ERR_OK)
		return rc;
	struct tval *cl = tval_list(a);
	for (size_t i = 0; !page && i < nc; i++) {
		struct tval *o = tval_map(a);
		tval_set_str(a, o, "value", cs[i].slug);
		tval_set_str(a, o, "label", cs[i].path);
		tval_set_bool(a, o, "selected", str_eq(t->category, cs[i].slug));
		tval_push(a, cl, o);
	}
	tval_set(a, root, "categories", cl);
	if ((rc = featured_choices(ax, root, t->featured)) != ERR_OK)
		return rc;
	rc = admin_render(r, rs, "editor", root);
	rs->status = status;
	return rc;
}

/* What the pressed button asks for, as post_fields.status (NULL: keep). */
static bool button_status(struct admin_ctx *ax, const char *button, const struct post *p,
			  const char **status, const char **why)
{
	bool can_publish = role_can(ax->user.role, CAN_PUBLISH);
	*status = NULL;
	*why = NULL;
	if (str_eq(button, "save") || !button) {
		if (!p)
			*status = "draft";
		else if (!can_publish && p->status != POST_DRAFT && p->status != POST_PENDING)
			*why = "Your role cannot change a published post.";
	} else if (str_eq(button, "review")) {
		*status = "pending";
	} else if (str_eq(button, "publish")) {
		*status = "published";
		if (!can_publish)
			*why = "Your role cannot publish; submit the post for review instead.";
	} else if (str_eq(button, "unpublish")) {
		*status = "draft";
		if (!can_publish)
			*why = "Your role cannot unpublish posts.";
	} else if (str_eq(button, "trash")) {
		*status = "trash";
	} else if (str_eq(button, "restore")) {
		*status = "draft";
	} else {
		*why = "Unknown action.";
	}
	return *why == NULL;
}

static enum err save(struct req *r, struct resp *rs, struct admin_ctx *ax, enum post_type type,
		     const struct post *p)
{
	struct arena *a = r->arena;
	struct typed t;
	typed_from_form(r, &t);
	const char *button = req_form(r, "do");
	if (str_eq(button, "preview")) {
		char *html = NULL;
		enum err rc = markdown_to_html(a, t.body ? t.body : "", &html);
		if (rc != ERR_OK)
			return rc;
		return show(r, rs, ax, type, p, &t, NULL, 200, html);
	}
	const char *status, *why;
	if (!button_status(ax, button, p, &status, &why))
		return show(r, rs, ax, type, p, &t, why, 403, NULL);
	struct post_fields f = POST_FIELDS_INIT;
	f.type = type;
	f.title = t.title ? t.title : "";
	f.slug = t.slug && *t.slug ? t.slug : (p ? p->slug : NULL);
	f.body_md = t.body ? t.body : "";
	f.excerpt = t.excerpt ? t.excerpt : "";
	f.tags = type == POST_ARTICLE ? (t.tags ? t.tags : "") : NULL;
	f.category = type == POST_ARTICLE ? (t.category ? t.category : "") : NULL;
	f.date = t.date && *t.date ? t.date : NULL;
	f.status = status;
	f.sticky = t.sticky;
	f.comments_open = t.comments_open;
	f.featured_media = req_form(r, "featured_media") ? t.featured : -1;
	f.author = p ? NULL : ax->user.login;
	f.by_user = ax->user.id;
	char msg[256] = "";
	int64_t id = p ? p->id : 0;
	enum err rc = p ? post_update(ax->v.st, a, id, &f, r->now, msg, sizeof msg)
			: post_create(ax->v.st, a, &f, r->now, &id, msg, sizeof msg);
	if (rc == ERR_INVALID || rc == ERR_CONFLICT || rc == ERR_NOTFOUND)
		return show(r, rs, ax, type, p, &t, *msg ? msg : err_str(rc), 400, NULL);
	if (rc != ERR_OK)
		return rc;
	resp_redirect(rs, 303, arena_printf(a, "/admin/posts/%lld/?saved=1", (long long)id));
	return ERR_OK;
}

enum err admin_post_new(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	enum post_type type = str_eq(req_query(r, "type"), "page") ? POST_PAGE : POST_ARTICLE;
	if (type == POST_PAGE && !role_can(ax.user.role, CAN_EDIT_OTHERS))
		return admin_error(r, rs, 403, "Your role cannot write pages.");
	if (r->method == HTTP_POST)
		return save(r, rs, &ax, type, NULL);
	struct typed t = {.comments_open = settings_snap_int(&ax.v.settings, "comments_open")};
	return show(r, rs, &ax, type, NULL, &t, NULL, 200, NULL);
}

/* The post of the URL's id that the user may edit, or a response. */
static enum err load(struct req *r, struct resp *rs, struct admin_ctx *ax, struct post *p,
		     bool *done)
{
	*done = true;
	int64_t id;
	if (!str_to_i64(r->params[0], 1, INT64_MAX, &id))
		return admin_error(r, rs, 404, "There is no such post.");
	enum err rc = STORE_CALL(ax->v.st, post_get, r->arena, id, p);
	if (rc == ERR_NOTFOUND)
		return admin_error(r, rs, 404, "There is no such post.");
	if (rc != ERR_OK)
		return rc;
	if (!role_can_edit(&ax->user, p))
		return admin_error(r, rs, 403, "Your role does not allow you to edit this post.");
	*done = false;
	return ERR_OK;
}

enum err admin_post_edit(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	struct post p;
	if ((rc = load(r, rs, &ax, &p, &done)) != ERR_OK || done)
		return rc;
	if (r->method == HTTP_POST)
		return save(r, rs, &ax, p.type, &p);
	struct tag *tags = NULL;
	size_t ntags = 0;
	if ((rc = STORE_CALL(ax.v.st, post_tags, r->arena, p.id, &tags, &ntags)) != ERR_OK)
		return rc;
	struct typed t;
	typed_from_post(&ax, &p, tags, ntags, &t);
	return show(r, rs, &ax, p.type, &p, &t, NULL, 200, NULL);
}

enum err admin_preview(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	const char *body = req_form(r, "body");
	char *html = NULL;
	if ((rc = markdown_to_html(r->arena, body ? body : "", &html)) != ERR_OK)
		return rc;
	buf_puts(&rs->body, html);
	rs->content_type = "text/html; charset=utf-8";
	rs->cache_control = "no-store";
	return ERR_OK;
}

/* ---- revisions ---------------------------------------------------------- */

static struct tval *diff_view(struct arena *a, const struct revision *from,
			      const struct revision *to, bool *too_big)
{
	struct tval *list = tval_list(a);
	*too_big = false;
	const char *parts[][2] = {{from->title, to->title},
				  {from->excerpt, to->excerpt},
				  {from->body_md, to->body_md}};
	static const char *const names[] = {"Title", "Excerpt", "Body"};
	for (size_t k = 0; k < 3; k++) {
		struct diff_line *lines;
		size_t n;
		enum err rc = diff_lines(a, parts[k][0], parts[k][1], &lines, &n);
		if (rc == ERR_LIMIT) {
			*too_big = true;
			continue;
		}
		if (rc != ERR_OK)
			continue;
		struct tval *sec = tval_map(a);
		tval_set_str(a, sec, "name", names[k]);
		struct tval *ls = tval_list(a);
		bool changed = false;
		for (size_t i = 0; i < n; i++) {
			struct tval *l = tval_map(a);
			tval_set_str(a, l, "text", lines[i].text);
			tval_set_str(a, l, "kind", lines[i].kind == DIFF_ADD   ? "add"
						   : lines[i].kind == DIFF_DEL ? "del"
									       : "same");
			tval_set_str(a, l, "sign", lines[i].kind == DIFF_ADD   ? "+"
						   : lines[i].kind == DIFF_DEL ? "-"
									       : " ");
			changed |= lines[i].kind != DIFF_SAME;
			tval_push(a, ls, l);
		}
		tval_set(a, sec, "lines", ls);
		tval_set_bool(a, sec, "changed", changed);
		tval_push(a, list, sec);
	}
	return list;
}

static bool revision_of(struct admin_ctx *ax, const char *s, int64_t post_id,
			struct revision *out)
{
	int64_t id;
	return s && str_to_i64(s, 1, INT64_MAX, &id) &&
	       STORE_CALL(ax->v.st, revision_get, ax->v.a, id, out) == ERR_OK &&
	       out->post_id == post_id;
}

enum err admin_revisions(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	struct post p;
	if ((rc = load(r, rs, &ax, &p, &done)) != ERR_OK || done)
		return rc;
	struct arena *a = r->arena;
	if (r->method == HTTP_POST) { /* restore one */
		struct revision rev;
		if (!revision_of(&ax, req_form(r, "revision"), p.id, &rev))
			return admin_error(r, rs, 400, "There is no such revision of this post.");
		struct post_fields f = POST_FIELDS_INIT;
		f.type = p.type;
		f.title = rev.title;
		f.excerpt = rev.excerpt;
		f.body_md = rev.body_md;
		f.by_user = ax.user.id;
		char msg[256] = "";
		rc = post_update(ax.v.st, a, p.id, &f, r->now, msg, sizeof msg);
		if (rc == ERR_INVALID || rc == ERR_CONFLICT)
			return admin_error(r, rs, 400, msg);
		if (rc != ERR_OK)
			return rc;
		resp_redirect(rs, 303, arena_printf(a, "/admin/posts/%lld/?saved=1", (long long)p.id));
		return ERR_OK;
	}
	struct revision *revs;
	size_t n;
	if ((rc = STORE_CALL(ax.v.st, revision_list, a, p.id, &revs, &n)) != ERR_OK)
		return rc;
	struct tval *root = admin_page(&ax, "Revisions", p.type == POST_PAGE ? "pages" : "posts");
	tval_set_int(a, root, "id", p.id);
	tval_set_str(a, root, "post_title", p.title);
	tval_set_str(a, root, "edit_url", arena_printf(a, "/admin/posts/%lld/", (long long)p.id));
	tval_set_str(a, root, "action", arena_printf(a, "/admin/posts/%lld/revisions/",
						     (long long)p.id));
	/* compare ?from= with ?to=, by default the newest with the one before */
	struct revision from, to;
	bool have_to = revision_of(&ax, req_query(r, "to"), p.id, &to);
	bool have_from = revision_of(&ax, req_query(r, "from"), p.id, &from);
	if ((req_query(r, "to") && !have_to) || (req_query(r, "from") && !have_from))
		return admin_error(r, rs, 404, "There is no such revision of this post.");
	if (!have_to && n > 0)
		have_to = revision_of(&ax, arena_printf(a, "%lld", (long long)revs[0].id), p.id, &to);
	if (!have_from && n > 1)
		have_from = revision_of(&ax, arena_printf(a, "%lld", (long long)revs[1].id), p.id,
					&from);
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tval *v = tval_map(a);
		tval_set_int(a, v, "id", revs[i].id);
		tval_set_str(a, v, "title", revs[i].title);
		tval_set_str(a, v, "who", *revs[i].user_name ? revs[i].user_name : "command line");
		tval_set_str(a, v, "when", arena_printf(a, "%s %s", time_human(a, revs[i].saved_at),
						       date_value(a, revs[i].saved_at) + 11));
		tval_set_bool(a, v, "is_from", have_from && from.id == revs[i].id);
		tval_set_bool(a, v, "is_to", have_to && to.id == revs[i].id);
		tval_push(a, list, v);
	}
	tval_set(a, root, "revisions", list);
	tval_set_bool(a, root, "can_compare", have_from && have_to);
	if (have_from && have_to) {
		bool too_big;
		tval_set(a, root, "diff", diff_view(a, &from, &to, &too_big));
		tval_set_bool(a, root, "too_big", too_big);
		tval_set_int(a, root, "from_id", from.id);
		tval_set_int(a, root, "to_id", to.id);
	}
	return admin_render(r, rs, "revisions", root);
}
