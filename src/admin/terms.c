/* terms.c - /admin/categories/ and /admin/tags/: the category tree and the
 * tags, with their counts of public posts; add a category, and for each one
 * change its name, slug, parent and description, merge it into another, or
 * delete it (its posts and sub-categories go to its parent; a merge moves
 * them into the other). Tags: rename, merge, delete. Editors and admins. */
#include <string.h>

#include "admin/admin.h"
#include "core/str.h"

/* The slug typed, or one made from the name. NULL when it is not valid. */
static const char *slug_of(struct arena *a, const char *slug, const char *name)
{
	const char *s = slug && *slug ? slug : str_slugify(a, name ? name : "");
	return s && str_slug_valid(s) ? s : NULL;
}

/* The item whose full form is shown: ?edit=ID, or the one a refused POST
 * was about. 0 = none. */
static int64_t editing_id(struct req *r)
{
	int64_t id = 0;
	const char *e = req_query(r, "edit");
	if (!e && r->method == HTTP_POST)
		e = req_form(r, "id");
	if (e && !str_to_i64(e, 1, INT64_MAX, &id))
		id = 0;
	return id;
}

static enum err back(struct req *r, struct resp *rs, const char *where, const char *done)
{
	resp_redirect(rs, 303, arena_printf(r->arena, "%s?done=%s", where, done));
	return ERR_OK;
}

static const char *notice_of(struct req *r)
{
	const char *d = req_query(r, "done");
	static const char *const known[][2] = {{"added", "Added."},     {"saved", "Saved."},
					       {"merged", "Merged."},   {"deleted", "Deleted."}};
	for (size_t i = 0; d && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(d, known[i][0]) == 0)
			return known[i][1];
	return "";
}

static enum err show_categories(struct req *r, struct resp *rs, struct admin_ctx *ax,
				const char *message, int status)
{
	struct arena *a = r->arena;
	struct category *cs;
	size_t n;
	enum err rc = STORE_CALL(ax->v.st, category_list, a, ax->v.now, &cs, &n);
	if (rc != ERR_OK)
		return rc;
	struct tval *root = admin_page(ax, "Categories", "categories");
	/* the list is one line a category; the full form (parent and merge
	 * choices: every other category) only for the one being edited */
	int64_t editing = editing_id(r);
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tval *v = tval_map(a);
		tval_set_int(a, v, "id", cs[i].id);
		tval_set_str(a, v, "name", cs[i].name);
		tval_set_str(a, v, "slug", cs[i].slug);
		tval_set_str(a, v, "path", cs[i].path);
		tval_set_str(a, v, "description", cs[i].description);
		tval_set_int(a, v, "count", cs[i].post_count);
		tval_set_str(a, v, "edit_url",
			     arena_printf(a, "/admin/categories/?edit=%lld#cat-%lld",
					  (long long)cs[i].id, (long long)cs[i].id));
		bool this = cs[i].id == editing;
		tval_set_bool(a, v, "editing", this);
		struct tval *parents = tval_list(a), *targets = tval_list(a);
		for (size_t k = 0; this && k < n; k++) {
			if (k == i)
				continue;
			size_t len = strlen(cs[i].path);
			bool inside = strncmp(cs[k].path, cs[i].path, len) == 0 &&
				      cs[k].path[len] == '/';
			struct tval *o = tval_map(a);
			tval_set_int(a, o, "id", cs[k].id);
			tval_set_str(a, o, "path", cs[k].path);
			tval_set_bool(a, o, "selected", cs[k].id == cs[i].parent_id);
			if (!inside) {
				tval_push(a, parents, o);
				tval_push(a, targets, o);
			}
		}
		tval_set(a, v, "parents", parents);
		tval_set(a, v, "targets", targets);
		tval_push(a, list, v);
	}
	tval_set(a, root, "categories", list);
	struct tval *all = tval_list(a);
	for (size_t k = 0; k < n; k++) {
		struct tval *o = tval_map(a);
		tval_set_int(a, o, "id", cs[k].id);
		tval_set_str(a, o, "path", cs[k].path);
		tval_push(a, all, o);
	}
	tval_set(a, root, "all", all);
	tval_set_str(a, root, "message", message ? message : "");
	tval_set_str(a, root, "notice", notice_of(r));
	rc = admin_render(r, rs, "categories", root);
	rs->status = status;
	return rc;
}

static bool form_id(struct req *r, const char *key, int64_t *out)
{
	const char *v = req_form(r, key);
	*out = 0;
	return v && (!*v || str_to_i64(v, 0, INT64_MAX, out));
}

enum err admin_categories(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_MANAGE_TERMS, &done);
	if (rc != ERR_OK || done)
		return rc;
	if (r->method != HTTP_POST)
		return show_categories(r, rs, &ax, NULL, 200);
	struct arena *a = r->arena;
	const char *what = req_form(r, "do");
	const char *name = req_form(r, "name"), *desc = req_form(r, "description");
	int64_t id = 0, parent = 0, into = 0;
	if (!form_id(r, "parent", &parent))
		parent = -1;
	if (str_eq(what, "add") || str_eq(what, "save")) {
		if (!str_label_ok(name, 200))
			return show_categories(r, rs, &ax, "Name: 1 to 200 characters of text.", 400);
		const char *slug = slug_of(a, req_form(r, "slug"), name);
		if (!slug)
			return show_categories(r, rs, &ax, "Slug: lower-case letters, digits and "
							   "hyphens.",
					       400);
		if (parent < 0)
			return show_categories(r, rs, &ax, "Unknown parent.", 400);
		struct category c = {.parent_id = parent, .slug = slug, .name = name,
				     .description = desc ? desc : ""};
		if (strlen(c.description) > 2000)
			return show_categories(r, rs, &ax, "Description: 2000 characters at most.",
					       400);
		if (str_eq(what, "save")) {
			if (!form_id(r, "id", &id) || !id)
				return show_categories(r, rs, &ax, "Unknown category.", 400);
			c.id = id;
			rc = STORE_CALL(ax.v.st, category_update, &c);
		} else {
			rc = STORE_CALL(ax.v.st, category_add, &c, &id);
		}
		if (rc == ERR_CONFLICT)
			return show_categories(r, rs, &ax,
					       arena_printf(a, "The slug \xE2\x80\x9C%s\xE2\x80\x9D is "
							       "already used.",
							    slug),
					       400);
		if (rc == ERR_INVALID || rc == ERR_NOTFOUND)
			return show_categories(r, rs, &ax, "That parent would put the category "
							   "inside itself, or does not exist.",
					       400);
		if (rc != ERR_OK)
			return rc;
		return back(r, rs, "/admin/categories/", str_eq(what, "save") ? "saved" : "added");
	}
	if (!form_id(r, "id", &id) || !id)
		return show_categories(r, rs, &ax, "Unknown category.", 400);
	if (str_eq(what, "delete")) {
		rc = STORE_CALL(ax.v.st, category_delete, id);
	} else if (str_eq(what, "merge")) {
		if (!form_id(r, "into", &into) || !into)
			return show_categories(r, rs, &ax, "Choose the category to merge into.", 400);
		rc = STORE_CALL(ax.v.st, category_merge, id, into);
	} else {
		return show_categories(r, rs, &ax, "Unknown action.", 400);
	}
	if (rc == ERR_NOTFOUND || rc == ERR_INVALID)
		return show_categories(r, rs, &ax, "That category cannot be merged there, or no "
						   "longer exists.",
				       400);
	if (rc != ERR_OK)
		return rc;
	return back(r, rs, "/admin/categories/", str_eq(what, "merge") ? "merged" : "deleted");
}

static enum err show_tags(struct req *r, struct resp *rs, struct admin_ctx *ax,
			  const char *message, int status)
{
	struct arena *a = r->arena;
	struct tag *ts;
	size_t n;
	enum err rc = STORE_CALL(ax->v.st, tag_list, a, ax->v.now, &ts, &n);
	if (rc != ERR_OK)
		return rc;
	struct tval *root = admin_page(ax, "Tags", "tags");
	int64_t editing = editing_id(r);
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tval *v = tval_map(a);
		tval_set_int(a, v, "id", ts[i].id);
		tval_set_str(a, v, "name", ts[i].name);
		tval_set_str(a, v, "slug", ts[i].slug);
		tval_set_int(a, v, "count", ts[i].post_count);
		tval_set_bool(a, v, "editing", ts[i].id == editing);
		tval_set_str(a, v, "edit_url",
			     arena_printf(a, "/admin/tags/?edit=%lld#tag-%lld", (long long)ts[i].id,
					  (long long)ts[i].id));
		tval_push(a, list, v);
	}
	tval_set(a, root, "tags", list);
	tval_set_bool(a, root, "has_tags", n > 0);
	tval_set_str(a, root, "message", message ? message : "");
	tval_set_str(a, root, "notice", notice_of(r));
	rc = admin_render(r, rs, "tags", root);
	rs->status = status;
	return rc;
}

enum err admin_tags(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_MANAGE_TERMS, &done);
	if (rc != ERR_OK || done)
		return rc;
	if (r->method != HTTP_POST)
		return show_tags(r, rs, &ax, NULL, 200);
	const char *what = req_form(r, "do");
	int64_t id = 0, into = 0;
	if (str_eq(what, "add")) {
		const char *name = req_form(r, "name");
		if (!str_label_ok(name, 200))
			return show_tags(r, rs, &ax, "Name: 1 to 200 characters of text.", 400);
		const char *slug = slug_of(r->arena, req_form(r, "slug"), name);
		if (!slug)
			return show_tags(r, rs, &ax, "Slug: lower-case letters, digits and hyphens.",
					 400);
		rc = STORE_CALL(ax.v.st, tag_add, slug, name, &id);
		if (rc == ERR_CONFLICT)
			return show_tags(r, rs, &ax, "A tag with that slug already exists.", 400);
		if (rc != ERR_OK)
			return rc;
		return back(r, rs, "/admin/tags/", "added");
	}
	if (!form_id(r, "id", &id) || !id)
		return show_tags(r, rs, &ax, "Unknown tag.", 400);
	if (str_eq(what, "save")) {
		const char *name = req_form(r, "name");
		if (!str_label_ok(name, 200))
			return show_tags(r, rs, &ax, "Name: 1 to 200 characters of text.", 400);
		const char *slug = slug_of(r->arena, req_form(r, "slug"), name);
		if (!slug)
			return show_tags(r, rs, &ax, "Slug: lower-case letters, digits and hyphens.",
					 400);
		rc = STORE_CALL(ax.v.st, tag_update, id, name, slug);
		if (rc == ERR_CONFLICT)
			return show_tags(r, rs, &ax, "Another tag has that slug: merge them instead.",
					 400);
	} else if (str_eq(what, "merge")) {
		/* the other tag by its slug (a site may have thousands) or id */
		const char *slug = req_form(r, "into_slug");
		struct tag other;
		if (slug && *slug) {
			if (STORE_CALL(ax.v.st, tag_by_slug, r->arena, slug, &other) != ERR_OK)
				return show_tags(r, rs, &ax, "There is no tag with that slug.", 400);
			into = other.id;
		} else if (!form_id(r, "into", &into)) {
			into = 0;
		}
		if (!into || into == id)
			return show_tags(r, rs, &ax, "Give another tag to merge into.", 400);
		rc = STORE_CALL(ax.v.st, tag_merge, id, into);
	} else if (str_eq(what, "delete")) {
		rc = STORE_CALL(ax.v.st, tag_delete, id);
	} else {
		return show_tags(r, rs, &ax, "Unknown action.", 400);
	}
	if (rc == ERR_NOTFOUND || rc == ERR_INVALID)
		return show_tags(r, rs, &ax, "That tag no longer exists.", 400);
	if (rc != ERR_OK)
		return rc;
	return back(r, rs, "/admin/tags/",
		    str_eq(what, "merge") ? "merged" : str_eq(what, "delete") ? "deleted" : "saved");
}
