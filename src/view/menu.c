/* menu.c - the site's navigation menu as template data (`nav`, see
 * docs/THEME.md): the stored menu (store menu_get) with each item resolved
 * to a link - a post or page only while it is public, a category by its
 * current path, a URL only when it is http(s) or root-relative - or, when
 * no menu is stored, the default one: top-level categories, then
 * top-level pages. Items nest one level in the theme: deeper items are
 * shown under their top-level ancestor. Built in ctx->a. */
#include <string.h>

#include "content/post.h"
#include "core/str.h"
#include "view/view.h"

#define MENU_DEPTH_MAX 16

static struct tval *link(struct view_ctx *ctx, const char *name, const char *url,
			 const char *current)
{
	struct arena *a = ctx->a;
	struct tval *it = tval_map(a);
	tval_set_str(a, it, "name", name);
	tval_set_str(a, it, "url", url ? url : "");
	tval_set_bool(a, it, "current", url && current && strcmp(current, url) == 0);
	tval_set(a, it, "children", tval_list(a));
	tval_set_bool(a, it, "has_children", false);
	return it;
}

static struct tval *default_nav(struct view_ctx *ctx, const char *current)
{
	struct arena *a = ctx->a;
	struct tval *list = tval_list(a);
	struct category *cs;
	size_t n;
	if (STORE_CALL(ctx->st, category_list, a, 0, &cs, &n) == ERR_OK) {
		for (size_t i = 0; i < n; i++)
			if (!cs[i].parent_id)
				tval_push(a, list,
					  link(ctx, cs[i].name,
					       arena_printf(a, "/category/%s/", cs[i].path), current));
	}
	struct post_query q = {.type = POST_PAGE, .public_only = true, .now = ctx->now,
			       .top_level = true, .oldest_first = true, .limit = 20};
	struct post *ps;
	if (STORE_CALL(ctx->st, post_list, a, &q, &ps, &n, NULL) == ERR_OK) {
		for (size_t i = 0; i < n; i++)
			if (!ps[i].parent_id)
				tval_push(a, list,
					  link(ctx, ps[i].title, arena_printf(a, "/%s/", ps[i].slug),
					       current));
	}
	return list;
}

/* A stored URL we link to: http(s)://... or /path (not //host). "#" and
 * "" are placeholders (a parent that only groups its children). */
static bool url_ok(const char *u)
{
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return (u[0] == '/' && u[1] != '/') || str_starts(u, "http://") ||
	       str_starts(u, "https://");
}

/* The item's link and label; false when it shows nothing (a target that is
 * gone or not public, a bad URL). url is NULL for a placeholder. */
static bool resolve(struct view_ctx *ctx, const struct menu_item *m, const struct category *cs,
		    size_t ncs, const char **name, const char **url)
{
	struct arena *a = ctx->a;
	*name = m->label;
	*url = NULL;
	switch (m->kind) {
	case MENU_POST: {
		struct post p;
		if (STORE_CALL(ctx->st, post_get, a, m->target_id, &p) != ERR_OK ||
		    !post_is_public(&p, ctx->now))
			return false;
		*url = view_post_url(ctx, &p);
		if (!**name)
			*name = p.title;
		break;
	}
	case MENU_CATEGORY:
		for (size_t i = 0; i < ncs && !*url; i++)
			if (cs[i].id == m->target_id) {
				*url = arena_printf(a, "/category/%s/", cs[i].path);
				if (!**name)
					*name = cs[i].name;
			}
		if (!*url)
			return false;
		break;
	default:
		if (url_ok(m->url))
			*url = m->url;
		else if (*m->url && strcmp(m->url, "#") != 0)
			return false;
		break;
	}
	return *url != NULL || **name != '\0';
}

/* The top-level ancestor's index of item i (i itself at the top), or -1
 * when its chain is broken or too deep. */
static long top_of(const struct menu_item *m, size_t n, size_t i)
{
	size_t cur = i;
	for (int d = 0; d < MENU_DEPTH_MAX; d++) {
		if (!m[cur].parent_id)
			return (long)cur;
		size_t k = 0;
		while (k < n && m[k].id != m[cur].parent_id)
			k++;
		if (k == n)
			return -1;
		cur = k;
	}
	return -1;
}

struct tval *view_nav(struct view_ctx *ctx, const char *current)
{
	struct arena *a = ctx->a;
	struct menu_item *m = NULL;
	size_t n = 0;
	if (!ctx->st->ops->menu_get || STORE_CALL(ctx->st, menu_get, a, &m, &n) != ERR_OK ||
	    n == 0)
		return default_nav(ctx, current);
	struct category *cs = NULL;
	size_t ncs = 0;
	if (STORE_CALL(ctx->st, category_list, a, 0, &cs, &ncs) != ERR_OK)
		ncs = 0;
	struct tval **vals = ARENA_ARRAY(a, struct tval *, n);
	struct tval **kids = ARENA_ARRAY(a, struct tval *, n);
	bool *grouping = ARENA_ARRAY(a, bool, n);
	struct tval *list = tval_list(a);
	if (!vals || !kids || !grouping)
		return list;
	/* top-level items first (in order), then each other item under its
	 * top-level ancestor, in order */
	for (size_t i = 0; i < n; i++) {
		vals[i] = kids[i] = NULL;
		grouping[i] = false;
		const char *name, *url;
		if (m[i].parent_id || !resolve(ctx, &m[i], cs, ncs, &name, &url))
			continue;
		vals[i] = link(ctx, name, url, current);
		kids[i] = tval_list(a);
		tval_set(a, vals[i], "children", kids[i]);
		grouping[i] = url == NULL;
	}
	for (size_t i = 0; i < n; i++) {
		long top = m[i].parent_id ? top_of(m, n, i) : -1;
		const char *name, *url;
		if (top < 0 || !vals[top] || !resolve(ctx, &m[i], cs, ncs, &name, &url) || !url)
			continue;
		tval_push(a, kids[top], link(ctx, name, url, current));
		tval_set_bool(a, vals[top], "has_children", true);
		if (current && strcmp(current, url) == 0)
			tval_set_bool(a, vals[top], "current", true);
	}
	for (size_t i = 0; i < n; i++)
		if (vals[i] && !(grouping[i] && kids[i]->u.list.n == 0)) /* no empty groups */
			tval_push(a, list, vals[i]);
	return list;
}
