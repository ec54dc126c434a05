/* menu.c - the site's navigation menu (`nav`, see docs/THEME.md).
 *
 * view_nav_build resolves it once per site snapshot (snap.c): the stored
 * menu (store menu_get) with each item resolved to a link - a post or page
 * only while it is public, a category by its current path, a URL only when
 * it is http(s) or root-relative - or, when no menu is stored, the default
 * one: top-level categories, then top-level pages. Items nest one level:
 * deeper items are shown under their top-level ancestor. view_nav turns
 * the snapshot's links into template data for one page, marking the
 * current section. */
#include <string.h>

#include "content/post.h"
#include "core/str.h"
#include "view/view.h"

#define MENU_DEPTH_MAX 16

static size_t default_nav(struct view_ctx *ctx, const struct category *cs, size_t ncs,
			  struct nav_link **out)
{
	struct arena *a = ctx->a;
	struct post_query q = {.type = POST_PAGE, .public_only = true, .now = ctx->now,
			       .top_level = true, .oldest_first = true, .limit = 20};
	struct post *ps = NULL;
	size_t nps = 0;
	if (STORE_CALL(ctx->st, post_list, a, &q, &ps, &nps, NULL) != ERR_OK)
		nps = 0;
	struct nav_link *links = ARENA_ARRAY(a, struct nav_link, ncs + nps + 1);
	size_t n = 0;
	if (!links)
		return 0;
	for (size_t i = 0; i < ncs; i++)
		if (!cs[i].parent_id) {
			links[n].name = cs[i].name;
			links[n++].url = arena_printf(a, "/category/%s/", cs[i].path);
		}
	for (size_t i = 0; i < nps; i++)
		if (!ps[i].parent_id) {
			links[n].name = ps[i].title;
			links[n++].url = arena_printf(a, "/%s/", ps[i].slug);
		}
	*out = links;
	return n;
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

size_t view_nav_build(struct view_ctx *ctx, const struct category *cs, size_t ncs,
		      struct nav_link **out)
{
	struct arena *a = ctx->a;
	struct menu_item *m = NULL;
	size_t n = 0;
	*out = NULL;
	if (!ctx->st->ops->menu_get || STORE_CALL(ctx->st, menu_get, a, &m, &n) != ERR_OK ||
	    n == 0)
		return default_nav(ctx, cs, ncs, out);
	struct nav_link *links = ARENA_ARRAY(a, struct nav_link, n);
	long *slot = ARENA_ARRAY(a, long, n);   /* item i's entry in links, or -1 */
	long *top = ARENA_ARRAY(a, long, n);    /* item i's top-level ancestor, or -1 */
	const char **names = ARENA_ARRAY(a, const char *, n);
	const char **urls = ARENA_ARRAY(a, const char *, n);
	bool *shown = ARENA_ARRAY(a, bool, n);
	if (!links || !slot || !top || !names || !urls || !shown)
		return 0;
	/* which items show, and under which top-level item */
	for (size_t i = 0; i < n; i++) {
		slot[i] = -1;
		top[i] = m[i].parent_id ? top_of(m, n, i) : (long)i;
		shown[i] = resolve(ctx, &m[i], cs, ncs, &names[i], &urls[i]);
	}
	size_t nl = 0;
	for (size_t i = 0; i < n; i++)
		if (!m[i].parent_id && shown[i]) {
			slot[i] = (long)nl;
			links[nl].name = names[i];
			links[nl++].url = urls[i];
		}
	/* each top-level entry's children, in order (only links, no groups) */
	for (size_t i = 0; i < n; i++) {
		long t = top[i];
		if (m[i].parent_id && t >= 0 && slot[t] >= 0 && shown[i] && urls[i])
			links[slot[t]].nkids++;
	}
	for (size_t k = 0; k < nl; k++) {
		links[k].kids = links[k].nkids ? ARENA_ARRAY(a, struct nav_link, links[k].nkids)
					       : NULL;
		if (links[k].nkids && !links[k].kids)
			return 0;
		links[k].nkids = 0;
	}
	for (size_t i = 0; i < n; i++) {
		long t = top[i];
		if (m[i].parent_id && t >= 0 && slot[t] >= 0 && shown[i] && urls[i]) {
			struct nav_link *p = &links[slot[t]];
			p->kids[p->nkids].name = names[i];
			p->kids[p->nkids++].url = urls[i];
		}
	}
	/* no empty groups */
	size_t kept = 0;
	for (size_t k = 0; k < nl; k++)
		if (links[k].url || links[k].nkids)
			links[kept++] = links[k];
	*out = links;
	return kept;
}

static struct tval *link_val(struct arena *a, const struct nav_link *l, const char *current)
{
	struct tval *it = tval_map(a);
	tval_set_str(a, it, "name", l->name);
	tval_set_str(a, it, "url", l->url ? l->url : "");
	bool cur = l->url && current && strcmp(current, l->url) == 0;
	struct tval *kids = tval_list(a);
	for (size_t i = 0; i < l->nkids; i++) {
		tval_push(a, kids, link_val(a, &l->kids[i], current));
		if (current && strcmp(current, l->kids[i].url) == 0)
			cur = true;
	}
	tval_set_bool(a, it, "current", cur);
	tval_set(a, it, "children", kids);
	tval_set_bool(a, it, "has_children", l->nkids > 0);
	return it;
}

struct tval *view_nav_list(struct arena *a, const struct nav_link *nav, size_t n,
			   const char *current)
{
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++)
		tval_push(a, list, link_val(a, &nav[i], current));
	return list;
}

static bool is_current(const struct nav_link *l, const char *current)
{
	if (l->url && strcmp(l->url, current) == 0)
		return true;
	for (size_t i = 0; i < l->nkids; i++)
		if (strcmp(l->kids[i].url, current) == 0)
			return true;
	return false;
}

/* The snapshot's list (nothing current) is shared; a page with a current
 * section gets a list of its own where only that entry is new. */
struct tval *view_nav(struct view_ctx *ctx, const char *current)
{
	struct arena *a = ctx->a;
	const struct site_snap *s = ctx->snap;
	if (!s || !s->nav_val)
		return tval_list(a);
	const struct tval *shared = s->nav_val;
	if (!current)
		return (struct tval *)shared;
	struct tval *list = NULL;
	for (size_t i = 0; i < s->nnav; i++) {
		if (!is_current(&s->nav[i], current))
			continue;
		if (!list) {
			list = tval_list(a);
			for (size_t k = 0; k < shared->u.list.n; k++)
				tval_push(a, list, shared->u.list.items[k]);
		}
		if (list->u.list.n == s->nnav)
			list->u.list.items[i] = link_val(a, &s->nav[i], current);
	}
	return list ? list : (struct tval *)shared;
}
