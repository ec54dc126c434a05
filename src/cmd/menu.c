/* menu.c - `gazette menu list|add|clear`: the site's navigation menu
 * (store menu_get/menu_set; view/menu.c shows it). list prints
 * ID<TAB>PARENT<TAB>KIND<TAB>TARGET<TAB>LABEL in order, each item followed
 * by its children; add appends one
 * item (a URL, a post or page by id, a category by slug or path) and
 * prints its id; clear empties it, so the default menu (top categories,
 * then pages) shows again. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/str.h"

/* The items under parent (in order), each followed by its own. */
static void list_under(struct cmd_ctx *c, const struct menu_item *m, size_t n, int64_t parent,
		       int depth)
{
	for (size_t i = 0; i < n && depth < 16; i++) {
		if (m[i].parent_id != parent)
			continue;
		const char *target = m[i].kind == MENU_URL
					     ? m[i].url
					     : arena_printf(&c->arena, "%lld", (long long)m[i].target_id);
		printf("%lld\t%lld\t%s\t%s\t%s\n", (long long)m[i].id, (long long)m[i].parent_id,
		       menu_kind_name(m[i].kind), target ? target : "", m[i].label);
		list_under(c, m, n, m[i].id, depth + 1);
	}
}

static int list(struct cmd_ctx *c, struct menu_item *m, size_t n)
{
	list_under(c, m, n, 0, 0);
	return 0;
}

static int add(struct cmd_ctx *c, struct menu_item *m, size_t n, const char *label,
	       const char *url, const char *post, const char *cat, const char *parent)
{
	struct menu_item *all = ARENA_ARRAY(&c->arena, struct menu_item, n + 1);
	if (!all)
		return cmd_fail("out of memory");
	if (n)
		memcpy(all, m, n * sizeof *m); /* m is NULL for an empty menu */
	struct menu_item *it = &all[n];
	memset(it, 0, sizeof *it);
	it->label = label;
	it->url = "";
	for (size_t i = 0; i < n; i++) {
		if (m[i].id >= it->id)
			it->id = m[i].id + 1;
		if (m[i].position >= it->position)
			it->position = m[i].position + 1;
	}
	if (!it->id)
		it->id = 1;
	if (parent && !cmd_parse_id(c, parent, &it->parent_id))
		return 2;
	if (url) {
		bool ok = (url[0] == '/' && url[1] != '/') || str_starts(url, "http://") ||
			  str_starts(url, "https://");
		for (const char *p = url; ok && *p; p++)
			ok = (unsigned char)*p > 0x20 && *p != '"' && *p != '<' && *p != '>';
		if (!ok)
			return cmd_usage_error(c, "--url: an http(s) URL or a path starting with '/'");
		it->url = url;
	} else if (post) {
		struct post p;
		if (!cmd_parse_id(c, post, &it->target_id))
			return 2;
		if (STORE_CALL(c->store, post_get, &c->arena, it->target_id, &p) != ERR_OK)
			return cmd_fail("--post: no post %s", post);
		it->kind = MENU_POST;
	} else {
		struct category k;
		enum err rc = strchr(cat, '/')
				      ? STORE_CALL(c->store, category_by_path, &c->arena, cat, &k)
				      : STORE_CALL(c->store, category_by_slug, &c->arena, cat, &k);
		if (rc != ERR_OK)
			return cmd_fail("--category: no category '%s'", cat);
		it->kind = MENU_CATEGORY;
		it->target_id = k.id;
	}
	enum err rc = STORE_CALL(c->store, menu_set, all, n + 1);
	if (rc == ERR_INVALID)
		return cmd_fail("--parent: no menu item %s (see `gazette menu list`)", parent);
	if (rc != ERR_OK)
		return cmd_fail("cannot save the menu: %s", err_str(rc));
	printf("%lld\n", (long long)it->id);
	return 0;
}

int cmd_menu(struct cmd_ctx *c)
{
	static const struct option opts[] = {{"url", required_argument, 0, 'u'},
					     {"post", required_argument, 0, 'p'},
					     {"category", required_argument, 0, 'c'},
					     {"parent", required_argument, 0, 'P'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	if (c->argc < 2)
		return cmd_usage_error(c, "missing list, add or clear");
	const char *verb = c->argv[1];
	if (strcmp(verb, "--help") == 0)
		return cmd_help(c);
	const char *url = NULL, *post = NULL, *cat = NULL, *parent = NULL;
	optind = 1;
	opterr = 0;
	char **av = c->argv + 1;
	int ac = c->argc - 1, ch;
	while ((ch = getopt_long(ac, av, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'u': url = optarg; break;
		case 'p': post = optarg; break;
		case 'c': cat = optarg; break;
		case 'P': parent = optarg; break;
		case 'h': return cmd_help(c);
		default: return cmd_usage_error(c, "bad option '%s'", av[optind - 1]);
		}
	}
	int npos = ac - optind;
	char **pos = av + optind;
	bool is_add = strcmp(verb, "add") == 0;
	if (!is_add && strcmp(verb, "list") != 0 && strcmp(verb, "clear") != 0)
		return cmd_usage_error(c, "unknown action '%s' (list, add or clear)", verb);
	if (is_add) {
		if (npos != 1 || !str_label_ok(pos[0], 200))
			return cmd_usage_error(c, "add needs one LABEL (1-200 bytes of UTF-8 text)");
		if ((url != NULL) + (post != NULL) + (cat != NULL) != 1)
			return cmd_usage_error(c, "add needs one of --url, --post or --category");
	} else if (npos || url || post || cat || parent) {
		return cmd_usage_error(c, "%s takes no arguments", verb);
	}
	if (!cmd_open_site(c))
		return 1;
	if (!c->store->ops->menu_get || !c->store->ops->menu_set)
		return cmd_fail("this site's storage backend keeps no menu");
	struct menu_item *m;
	size_t n;
	enum err rc = STORE_CALL(c->store, menu_get, &c->arena, &m, &n);
	if (rc != ERR_OK)
		return cmd_fail("cannot read the menu: %s", err_str(rc));
	if (strcmp(verb, "list") == 0)
		return list(c, m, n);
	if (is_add)
		return add(c, m, n, pos[0], url, post, cat, parent);
	rc = STORE_CALL(c->store, menu_set, NULL, 0);
	if (rc != ERR_OK)
		return cmd_fail("cannot clear the menu: %s", err_str(rc));
	return 0;
}
