/* comments.c - /admin/comments/: the moderation queue. Lists comments by
 * status (pending first) or of one post, 20 a page, and applies an action
 * (approve, unapprove, spam, trash, restore, delete) to the ticked ones or
 * to one, through comment/comment.h - so decisions teach the spam filter
 * exactly as `gazette comment` does. Editors and admins only. */
#include <string.h>

#include "admin/admin.h"
#include "comment/comment.h"
#include "core/str.h"
#include "core/time.h"

#define PER_PAGE 20

static const char *const tabs[] = {"pending", "approved", "spam", "trash", "all", NULL};

static enum err apply(struct req *r, struct resp *rs, struct admin_ctx *ax)
{
	const char *act_name = req_form(r, "action");
	const char **ids = NULL;
	size_t n = admin_form_all(r, "ids", &ids);
	const char *one = req_form(r, "one"); /* "approve:12" from a row's button */
	char *one_act = NULL;
	if (one && strchr(one, ':')) {
		one_act = arena_strndup(r->arena, one, strcspn(one, ":"));
		act_name = one_act;
		ids = ARENA_ARRAY(r->arena, const char *, 1);
		if (!ids)
			return ERR_NOMEM;
		ids[0] = strchr(one, ':') + 1;
		n = 1;
	}
	enum comment_action act;
	if (!comment_action_parse(act_name, &act))
		return admin_error(r, rs, 400, "Choose an action to apply.");
	if (n == 0)
		return admin_error(r, rs, 400, "Tick at least one comment.");
	size_t did = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t id;
		if (!str_to_i64(ids[i], 1, INT64_MAX, &id))
			return admin_error(r, rs, 400, "A comment id is not a number.");
		enum err rc = comment_moderate(ax->v.st, r->arena, id, act);
		if (rc == ERR_NOTFOUND)
			continue; /* deleted meanwhile */
		if (rc != ERR_OK)
			return rc;
		did++;
	}
	const char *back = req_form(r, "back");
	if (!back || strncmp(back, "/admin/comments/", 16) != 0 || strstr(back, "//"))
		back = "/admin/comments/";
	resp_redirect(rs, 303, arena_printf(r->arena, "%s%sdone=%zu&act=%s", back,
					    strchr(back, '?') ? "&" : "?", did, act_name));
	return ERR_OK;
}

enum err admin_comments(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_MODERATE, &done);
	if (rc != ERR_OK || done)
		return rc;
	if (r->method == HTTP_POST)
		return apply(r, rs, &ax);
	struct arena *a = r->arena;
	const char *status = req_query(r, "status");
	if (!status)
		status = "pending";
	struct comment_query q = {.limit = PER_PAGE};
	if (strcmp(status, "all") != 0 && !comment_status_parse(status, &q.status))
		return admin_error(r, rs, 400, "Unknown comment status.");
	q.by_status = strcmp(status, "all") != 0;
	const char *post = req_query(r, "post");
	if (post && !str_to_i64(post, 1, INT64_MAX, &q.post_id))
		return admin_error(r, rs, 400, "Unknown post.");
	int64_t page = 1;
	const char *pg = req_query(r, "page");
	if (pg && !str_to_i64(pg, 1, 1000000, &page))
		return admin_error(r, rs, 400, "Unknown page.");
	q.offset = (page - 1) * PER_PAGE;
	struct comment *cs;
	size_t n;
	int64_t total = 0;
	if ((rc = STORE_CALL(ax.v.st, comment_list, a, &q, &cs, &n, &total)) != ERR_OK)
		return rc;
	if (page > 1 && n == 0)
		return admin_error(r, rs, 404, "There is no such page.");

	struct tval *root = admin_page(&ax, "Comments", "comments");
	const char *here = arena_printf(a, "/admin/comments/?status=%s%s%s", status,
					post ? "&post=" : "", post ? post : "");
	tval_set_str(a, root, "back", here);
	struct tval *tl = tval_list(a);
	for (size_t i = 0; tabs[i]; i++) {
		struct tval *t = tval_map(a);
		struct comment_query cq = {.post_id = q.post_id, .limit = 1};
		cq.by_status = comment_status_parse(tabs[i], &cq.status);
		struct comment *x;
		size_t xn;
		int64_t count = 0;
		STORE_CALL(ax.v.st, comment_list, a, &cq, &x, &xn, &count);
		tval_set_str(a, t, "name", tabs[i]);
		tval_set_int(a, t, "count", count);
		tval_set_str(a, t, "url", arena_printf(a, "/admin/comments/?status=%s%s%s", tabs[i],
						       post ? "&post=" : "", post ? post : ""));
		tval_set_bool(a, t, "current", strcmp(tabs[i], status) == 0);
		tval_push(a, tl, t);
	}
	tval_set(a, root, "tabs", tl);
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct comment *c = &cs[i];
		struct tval *v = tval_map(a);
		tval_set_int(a, v, "id", c->id);
		tval_set_str(a, v, "author_name", c->author_name);
		tval_set_str(a, v, "author_email", c->author_email);
		tval_set_str(a, v, "author_url", c->author_url);
		tval_set_str(a, v, "author_ip", c->author_ip);
		tval_set_html(a, v, "body_html", c->body_html);
		tval_set_str(a, v, "status", comment_status_name(c->status));
		tval_set_str(a, v, "note", c->note);
		tval_set_int(a, v, "spam_score", c->spam_score);
		tval_set_bool(a, v, "has_score", c->spam_score >= 0);
		tval_set_str(a, v, "date", time_human(a, c->created_at));
		tval_set_str(a, v, "date_iso", time_iso(a, c->created_at));
		tval_set_str(a, v, "post_title", c->post_title);
		tval_set_str(a, v, "post_url",
			     arena_printf(a, "/admin/comments/?status=all&post=%lld",
					  (long long)c->post_id));
		bool held = c->status == COMMENT_PENDING, live = c->status == COMMENT_APPROVED;
		bool gone = c->status == COMMENT_SPAM || c->status == COMMENT_TRASH;
		tval_set_bool(a, v, "can_approve", held);
		tval_set_bool(a, v, "can_unapprove", live);
		tval_set_bool(a, v, "can_spam", !gone);
		tval_set_bool(a, v, "can_trash", !gone);
		tval_set_bool(a, v, "can_restore", gone);
		tval_set_bool(a, v, "can_delete", gone);
		tval_push(a, list, v);
	}
	tval_set(a, root, "comments", list);
	tval_set_bool(a, root, "has_comments", n > 0);
	tval_set_str(a, root, "status", status);
	int64_t pages = (total + PER_PAGE - 1) / PER_PAGE;
	tval_set_str(a, root, "prev_url",
		     page > 1 ? arena_printf(a, "%s&page=%lld", here, (long long)(page - 1)) : "");
	tval_set_str(a, root, "next_url",
		     page < pages ? arena_printf(a, "%s&page=%lld", here, (long long)(page + 1))
				  : "");
	tval_set_str(a, root, "page_label",
		     arena_printf(a, "Page %lld of %lld", (long long)page,
				  (long long)(pages ? pages : 1)));
	const char *did = req_query(r, "done");
	enum comment_action done_act;
	int64_t ndone;
	if (did && str_to_i64(did, 0, INT64_MAX, &ndone) &&
	    comment_action_parse(req_query(r, "act"), &done_act))
		tval_set_str(a, root, "notice",
			     arena_printf(a, "%s: %lld comment%s.", req_query(r, "act"),
					  (long long)ndone, ndone == 1 ? "" : "s"));
	return admin_render(r, rs, "comments", root);
}
