/* posts.c - /admin/posts/ (articles) and /admin/posts/?type=page: the list
 * with filters (status, author, category, words of the title) and pages of
 * 20. Authors and contributors see their own posts; editors and admins all. */
#include <string.h>

#include "admin/admin.h"
#include "core/str.h"
#include "core/time.h"

#define PER_PAGE 20

static const char *const statuses[] = {"draft", "pending", "scheduled", "published", "private",
				       "trash", NULL};

/* "&key=value" when value is set, for links that keep the filters. */
static const char *keep(struct arena *a, const char *acc, const char *key, const char *value)
{
	if (!value || !*value)
		return acc;
	const char *e = str_url_encode(a, value);
	return arena_printf(a, "%s&%s=%s", acc, key, e ? e : "");
}

enum err admin_posts(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	struct arena *a = r->arena;
	bool pages = str_eq(req_query(r, "type"), "page");
	struct post_query q = {.type = pages ? POST_PAGE : POST_ARTICLE, .limit = PER_PAGE};
	const char *status = req_query(r, "status"), *author = req_query(r, "author");
	const char *category = req_query(r, "category"), *text = req_query(r, "q");
	if (status && *status) {
		if (!post_status_parse(status, &q.status))
			return admin_error(r, rs, 400, "Unknown status.");
		q.by_status = true;
	}
	bool all = role_can(ax.user.role, CAN_EDIT_OTHERS);
	if (!all) {
		q.author_id = ax.user.id;
	} else if (author && *author) {
		struct user u;
		if (STORE_CALL(ax.v.st, user_by_login, a, author, &u) != ERR_OK)
			return admin_error(r, rs, 400, "Unknown author.");
		q.author_id = u.id;
	}
	if (category && *category) {
		struct category cat;
		if (STORE_CALL(ax.v.st, category_by_slug, a, category, &cat) != ERR_OK)
			return admin_error(r, rs, 400, "Unknown category.");
		q.category_id = cat.id;
	}
	if (text && strlen(text) > 200)
		return admin_error(r, rs, 400, "The search text is too long.");
	q.title_has = text;
	int64_t page = 1;
	const char *pg = req_query(r, "page");
	if (pg && !str_to_i64(pg, 1, 1000000, &page))
		return admin_error(r, rs, 400, "Unknown page.");
	q.offset = (page - 1) * PER_PAGE;
	struct post *ps;
	size_t n;
	int64_t total = 0;
	if ((rc = STORE_CALL(ax.v.st, post_list, a, &q, &ps, &n, &total)) != ERR_OK)
		return rc;
	if (page > 1 && n == 0)
		return admin_error(r, rs, 404, "There is no such page.");

	struct tval *root = admin_page(&ax, pages ? "Pages" : "Posts", pages ? "pages" : "posts");
	tval_set_bool(a, root, "pages", pages);
	tval_set_str(a, root, "type", pages ? "page" : "post");
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct post *p = &ps[i];
		struct tval *v = tval_map(a);
		tval_set_int(a, v, "id", p->id);
		tval_set_str(a, v, "title", *p->title ? p->title : "(no title)");
		tval_set_str(a, v, "edit_url", arena_printf(a, "/admin/posts/%lld/", (long long)p->id));
		tval_set_str(a, v, "author", p->author_name ? p->author_name : "");
		tval_set_str(a, v, "category", p->category_name ? p->category_name : "");
		tval_set_str(a, v, "status", post_status_name(p->status));
		tval_set_str(a, v, "date", time_human(a, p->published_at));
		tval_set_int(a, v, "comments", p->comment_count);
		tval_push(a, list, v);
	}
	tval_set(a, root, "posts", list);
	tval_set_bool(a, root, "has_posts", n > 0);
	tval_set_int(a, root, "total", total);

	/* the filter form: current values, choices */
	tval_set_str(a, root, "q", text ? text : "");
	struct tval *sl = tval_list(a);
	for (size_t i = 0; statuses[i]; i++) {
		struct tval *o = tval_map(a);
		tval_set_str(a, o, "value", statuses[i]);
		tval_set_bool(a, o, "selected", str_eq(status, statuses[i]));
		tval_push(a, sl, o);
	}
	tval_set(a, root, "statuses", sl);
	tval_set_bool(a, root, "can_filter_author", all);
	if (all) {
		struct user *us;
		size_t nu;
		if ((rc = STORE_CALL(ax.v.st, user_list, a, &us, &nu)) != ERR_OK)
			return rc;
		struct tval *ul = tval_list(a);
		for (size_t i = 0; i < nu; i++) {
			struct tval *o = tval_map(a);
			tval_set_str(a, o, "value", us[i].login);
			tval_set_str(a, o, "label", us[i].display_name);
			tval_set_bool(a, o, "selected", str_eq(author, us[i].login));
			tval_push(a, ul, o);
		}
		tval_set(a, root, "authors", ul);
	}
	struct category *cs;
	size_t nc;
	if ((rc = STORE_CALL(ax.v.st, category_list, a, 0, &cs, &nc)) != ERR_OK)
		return rc;
	struct tval *cl = tval_list(a);
	for (size_t i = 0; !pages && i < nc; i++) {
		struct tval *o = tval_map(a);
		tval_set_str(a, o, "value", cs[i].slug);
		tval_set_str(a, o, "label", cs[i].path);
		tval_set_bool(a, o, "selected", str_eq(category, cs[i].slug));
		tval_push(a, cl, o);
	}
	tval_set(a, root, "categories", cl);

	const char *base = arena_printf(a, "/admin/posts/?type=%s", pages ? "page" : "post");
	base = keep(a, base, "status", status);
	base = keep(a, base, "author", all ? author : NULL);
	base = keep(a, base, "category", category);
	base = keep(a, base, "q", text);
	int64_t npages = (total + PER_PAGE - 1) / PER_PAGE;
	tval_set_str(a, root, "prev_url",
		     page > 1 ? arena_printf(a, "%s&page=%lld", base, (long long)(page - 1)) : "");
	tval_set_str(a, root, "next_url",
		     page < npages ? arena_printf(a, "%s&page=%lld", base, (long long)(page + 1))
				   : "");
	tval_set_str(a, root, "page_label",
		     arena_printf(a, "Page %lld of %lld", (long long)page,
				  (long long)(npages ? npages : 1)));
	tval_set_str(a, root, "new_url", pages ? "/admin/posts/new/?type=page" : "/admin/posts/new/");
	return admin_render(r, rs, "posts", root);
}
