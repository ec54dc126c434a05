/* import_menu.c - a WordPress navigation menu (nav_menu_item items) into
 * the site's menu (store menu_set). The checking pass notes every menu
 * item; at the end of the import one menu is chosen - the one named by
 * --menu, else the one with the most items (WordPress exports do not say
 * which menu the theme showed) - and its items become the site's menu,
 * in their order and nesting: a page or post by its imported id, a
 * category by its imported term id, a tag as its archive URL, a custom
 * link as its URL (a link into the old site as its path there, following
 * the import's redirects). Items whose target was not imported are
 * warnings. The whole menu is replaced; a re-run that changes nothing
 * writes nothing. */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "import/import_int.h"

static const char *keep(struct imp_collect *c, const char *s)
{
	const char *k = arena_strdup(c->a, s);
	if (!k)
		c->oom = true;
	return k ? k : "";
}

void imp_collect_menu_item(struct imp_collect *c, const struct wxr_item *it)
{
	const char *menu = NULL;
	for (size_t i = 0; i < it->nterms && !menu; i++)
		if (strcmp(it->terms[i].domain, "nav_menu") == 0 && *it->terms[i].nicename)
			menu = it->terms[i].nicename;
	if (!menu)
		return; /* in no menu: WordPress shows it nowhere */
	if (c->nmenu == c->capmenu) {
		size_t nc = c->capmenu ? c->capmenu * 2 : 32;
		struct imp_menu_src *nm =
			arena_realloc(c->a, c->menu, c->capmenu * sizeof *nm, nc * sizeof *nm);
		if (!nm) {
			c->oom = true;
			return;
		}
		c->menu = nm;
		c->capmenu = nc;
	}
	struct imp_menu_src *m = &c->menu[c->nmenu++];
	m->wp_id = keep(c, it->post_id);
	m->menu = keep(c, menu);
	m->label = keep(c, it->title);
	m->type = keep(c, imp_meta(it, "_menu_item_type"));
	m->object = keep(c, imp_meta(it, "_menu_item_object"));
	m->object_id = keep(c, imp_meta(it, "_menu_item_object_id"));
	m->url = keep(c, imp_meta(it, "_menu_item_url"));
	m->parent = keep(c, imp_meta(it, "_menu_item_menu_item_parent"));
	m->order = 0;
	str_to_i64(it->menu_order, 0, INT64_MAX, &m->order);
	m->line = it->line;
}

/* A label: one line, at most 200 bytes (on a character boundary). */
static const char *clean_label(struct arena *a, const char *s)
{
	char *o = arena_strdup(a, s);
	if (!o)
		return "";
	for (char *p = o; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	size_t k = strlen(o);
	if (k > 200) {
		k = 200;
		while (k > 0 && ((unsigned char)o[k] & 0xC0) == 0x80)
			k--;
		o[k] = '\0';
	}
	return str_trim(o);
}

/* The menu to import: o->menu, else the one with most items. */
static const char *choose(struct imp *im, char *others, size_t olen)
{
	const struct imp_collect *c = &im->col;
	const char *best = NULL;
	size_t best_n = 0;
	size_t used = 0;
	others[0] = '\0';
	for (size_t i = 0; i < c->nmenu; i++) {
		bool first = true;
		for (size_t k = 0; k < i && first; k++)
			first = strcmp(c->menu[k].menu, c->menu[i].menu) != 0;
		if (!first)
			continue;
		size_t n = 0;
		for (size_t k = i; k < c->nmenu; k++)
			n += strcmp(c->menu[k].menu, c->menu[i].menu) == 0;
		if (!im->o->menu && n > best_n) {
			best = c->menu[i].menu;
			best_n = n;
		}
		if (im->o->menu && strcmp(im->o->menu, c->menu[i].menu) == 0)
			best = c->menu[i].menu;
	}
	for (size_t i = 0; i < c->nmenu; i++) {
		bool first = true;
		for (size_t k = 0; k < i && first; k++)
			first = strcmp(c->menu[k].menu, c->menu[i].menu) != 0;
		if (!first || (best && strcmp(best, c->menu[i].menu) == 0))
			continue;
		size_t n = 0;
		for (size_t k = i; k < c->nmenu; k++)
			n += strcmp(c->menu[k].menu, c->menu[i].menu) == 0;
		if (used < olen) {
			int w = snprintf(others + used, olen - used, "%s%s (%zu)", used ? ", " : "",
					 c->menu[i].menu, n);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	return best;
}

/* A custom link: into the old site -> its path here (after redirects);
 * elsewhere -> as it is; "#" (a heading for children) kept; anything
 * else NULL. */
static const char *custom_url(struct imp *im, const char *url)
{
	if (strcmp(url, "#") == 0 || !*url)
		return "#";
	size_t sl = strlen(im->source);
	if (strncmp(url, im->source, sl) == 0 && (url[sl] == '/' || !url[sl])) {
		const char *path = url[sl] ? imp_url_path(&im->a, url) : "/";
		if (!path)
			return "/";
		struct redirect r;
		if (STORE_CALL(im->st, redirect_get, &im->a, path, &r) == ERR_OK)
			return r.to_path;
		return path;
	}
	if (!str_starts(url, "http://") && !str_starts(url, "https://") &&
	    !(url[0] == '/' && url[1] != '/'))
		return NULL;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return NULL;
	return url;
}

/* A tag's archive URL by its WordPress term id. */
static const char *tag_url(struct imp *im, const char *term_id)
{
	int64_t id = 0;
	if (STORE_CALL(im->st, import_map_get, im->source, "tag_id", term_id, &id) != ERR_OK)
		return NULL;
	struct tag *ts;
	size_t n;
	if (STORE_CALL(im->st, tag_list, &im->a, 0, &ts, &n) != ERR_OK)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (ts[i].id == id)
			return arena_printf(&im->a, "/tag/%s/", ts[i].slug);
	return NULL;
}

/* One source item to a menu item (its id and parent set by the caller);
 * false (and a warning) when its target is not here. */
static bool resolve(struct imp *im, const struct imp_menu_src *s, struct menu_item *m)
{
	const char *t = s->type, *o = s->object;
	int64_t id = 0;
	m->label = clean_label(&im->a, s->label);
	m->url = "";
	if (strcmp(t, "post_type") == 0 && (strcmp(o, "page") == 0 || strcmp(o, "post") == 0)) {
		m->kind = MENU_POST;
		if (STORE_CALL(im->st, import_map_get, im->source, "post", s->object_id, &id) ==
		    ERR_OK) {
			m->target_id = id;
			return true;
		}
	} else if (strcmp(t, "taxonomy") == 0 && strcmp(o, "category") == 0) {
		m->kind = MENU_CATEGORY;
		if (STORE_CALL(im->st, import_map_get, im->source, "category_id", s->object_id,
			       &id) == ERR_OK) {
			m->target_id = id;
			return true;
		}
	} else if (strcmp(t, "taxonomy") == 0 && strcmp(o, "post_tag") == 0) {
		m->kind = MENU_URL;
		if ((m->url = tag_url(im, s->object_id)) != NULL)
			return true;
	} else if (strcmp(t, "custom") == 0) {
		m->kind = MENU_URL;
		if ((m->url = custom_url(im, s->url)) != NULL)
			return true;
		imp_warn(im, s->line, "menu item %s '%.60s': link '%.80s' is not http(s) or a path, "
			 "skipped", s->wp_id, s->label, s->url);
		return false;
	}
	imp_warn(im, s->line, "menu item %s '%.60s': its %s %s %s was not imported, skipped",
		 s->wp_id, s->label, t, o, s->object_id);
	return false;
}

static bool same_menu(const struct menu_item *a, size_t na, const struct menu_item *b,
		      size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		const struct menu_item *x = &a[i];
		const struct menu_item *y = NULL;
		for (size_t k = 0; k < nb && !y; k++)
			if (b[k].id == x->id)
				y = &b[k];
		if (!y || x->parent_id != y->parent_id || x->position != y->position ||
		    x->kind != y->kind || x->target_id != y->target_id ||
		    strcmp(x->label, y->label) != 0 || strcmp(x->url, y->url) != 0)
			return false;
	}
	return true;
}

enum err imp_menu(struct imp *im)
{
	struct arena *a = &im->a;
	struct import_count *cnt = &im->res->n[IMP_MENU];
	const struct imp_collect *c = &im->col;
	const char *menu = choose(im, im->res->other_menus, sizeof im->res->other_menus);
	if (menu && (!im->st->ops->menu_get || !im->st->ops->menu_set)) {
		imp_warn(im, 0, "this storage backend keeps no menu: menu '%s' not imported", menu);
		return ERR_OK;
	}
	if (!menu) {
		if (im->o->menu)
			imp_warn(im, 0, "no menu '%s' in the file: the site's menu is unchanged",
				 im->o->menu);
		return ERR_OK;
	}
	str_copy(im->res->menu, menu, sizeof im->res->menu);
	struct menu_item *items = ARENA_ARRAY(a, struct menu_item, c->nmenu + 1);
	const char **wp = ARENA_ARRAY(a, const char *, c->nmenu + 1);
	const char **wp_parent = ARENA_ARRAY(a, const char *, c->nmenu + 1);
	if (!items || !wp || !wp_parent)
		return ERR_NOMEM;
	size_t n = 0;
	for (size_t i = 0; i < c->nmenu; i++) {
		const struct imp_menu_src *s = &c->menu[i];
		if (strcmp(s->menu, menu) != 0)
			continue;
		struct menu_item *m = &items[n];
		memset(m, 0, sizeof *m);
		if (im->o->dry_run) { /* targets are not written: count only */
			cnt->created++;
			continue;
		}
		if (!resolve(im, s, m)) {
			cnt->skipped++;
			continue;
		}
		m->id = (int64_t)n + 1;
		m->position = s->order;
		wp[n] = s->wp_id;
		wp_parent[n] = s->parent;
		n++;
	}
	/* parents by WordPress id; one that was skipped or is missing: top */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < n; k++)
			if (k != i && strcmp(wp[k], wp_parent[i]) == 0)
				items[i].parent_id = items[k].id;
	/* a cycle in the file would hide its items: break it at the top */
	for (size_t i = 0; i < n; i++) {
		int64_t p = items[i].parent_id;
		for (size_t depth = 0; p && depth <= n; depth++) {
			size_t k = (size_t)p - 1;
			if (items[k].parent_id == items[i].id || depth == n) {
				items[i].parent_id = 0;
				break;
			}
			p = items[k].parent_id;
		}
	}
	if (im->o->dry_run)
		return ERR_OK;
	struct menu_item *cur;
	size_t ncur;
	enum err rc = STORE_CALL(im->st, menu_get, a, &cur, &ncur);
	if (rc != ERR_OK)
		return rc;
	if (same_menu(items, n, cur, ncur)) {
		cnt->unchanged += (int64_t)n;
		return ERR_OK;
	}
	if (ncur)
		cnt->updated += (int64_t)n;
	else
		cnt->created += (int64_t)n;
	return STORE_CALL(im->st, menu_set, items, n);
}
