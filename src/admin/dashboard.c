/* dashboard.c - /admin/: what needs attention (drafts, posts awaiting
 * review, scheduled posts, comments awaiting moderation) and recent
 * comments. Authors and contributors see their own posts only. */
#include "admin/admin.h"
#include "core/time.h"

static int64_t count_posts(struct admin_ctx *ax, enum post_status status)
{
	struct post_query q = {.type = POST_ARTICLE, .by_status = true, .status = status,
			       .limit = 1};
	if (!role_can(ax->user.role, CAN_EDIT_OTHERS))
		q.author_id = ax->user.id;
	struct post *ps;
	size_t n;
	int64_t total = 0;
	STORE_CALL(ax->v.st, post_list, ax->v.a, &q, &ps, &n, &total);
	return total;
}

enum err admin_dashboard(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	struct arena *a = r->arena;
	struct tval *root = admin_page(&ax, "Dashboard", "dashboard");
	static const struct {
		const char *label;
		enum post_status status;
	} cards[] = {{"Drafts", POST_DRAFT},
		     {"Awaiting review", POST_PENDING},
		     {"Scheduled", POST_SCHEDULED},
		     {"Published", POST_PUBLISHED}};
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
		struct tval *c = tval_map(a);
		tval_set_str(a, c, "label", cards[i].label);
		tval_set_int(a, c, "count", count_posts(&ax, cards[i].status));
		tval_push(a, list, c);
	}
	tval_set(a, root, "cards", list);
	/* recent activity: the newest saves (an author's own posts only) */
	struct revision *revs;
	size_t nrev;
	int64_t who = role_can(ax.user.role, CAN_EDIT_OTHERS) ? 0 : ax.user.id;
	if ((rc = STORE_CALL(ax.v.st, revision_recent, a, who, 10, &revs, &nrev)) != ERR_OK)
		return rc;
	struct tval *act = tval_list(a);
	for (size_t i = 0; i < nrev; i++) {
		struct tval *v = tval_map(a);
		tval_set_str(a, v, "title", revs[i].title);
		tval_set_str(a, v, "who", *revs[i].user_name ? revs[i].user_name : "command line");
		tval_set_str(a, v, "when", time_human(a, revs[i].saved_at));
		tval_set_str(a, v, "url",
			     arena_printf(a, "/admin/posts/%lld/", (long long)revs[i].post_id));
		tval_push(a, act, v);
	}
	tval_set(a, root, "activity", act);
	tval_set_bool(a, root, "has_activity", nrev > 0);
	if (role_can(ax.user.role, CAN_MODERATE)) {
		struct comment_query q = {.limit = 5};
		struct comment *cs;
		size_t n;
		if ((rc = STORE_CALL(ax.v.st, comment_list, a, &q, &cs, &n, NULL)) != ERR_OK)
			return rc;
		struct tval *recent = tval_list(a);
		for (size_t i = 0; i < n; i++) {
			struct tval *c = tval_map(a);
			tval_set_int(a, c, "id", cs[i].id);
			tval_set_str(a, c, "author", cs[i].author_name);
			tval_set_str(a, c, "post_title", cs[i].post_title);
			tval_set_str(a, c, "status", comment_status_name(cs[i].status));
			tval_set_str(a, c, "date", time_human(a, cs[i].created_at));
			tval_set_html(a, c, "body_html", cs[i].body_html);
			tval_push(a, recent, c);
		}
		tval_set(a, root, "recent_comments", recent);
		tval_set_bool(a, root, "has_recent_comments", n > 0);
	}
	return admin_render(r, rs, "dashboard", root);
}
