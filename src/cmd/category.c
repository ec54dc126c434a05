/* category.c - `gazette category add|list|move|rename|delete` and
 * `gazette tag list|rename|delete`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/str.h"
#include "core/time.h"

struct tax_opts {
	const char *slug, *parent, *name, *description;
	bool top;
};

/* Parse options after the verb; leaves positional args in pos and npos. */
static int parse(struct cmd_ctx *c, struct tax_opts *o, char ***pos, int *npos)
{
	static const struct option opts[] = {{"slug", required_argument, 0, 's'},
					     {"parent", required_argument, 0, 'p'},
					     {"name", required_argument, 0, 'n'},
					     {"description", required_argument, 0, 'd'},
					     {"top", no_argument, 0, 't'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	memset(o, 0, sizeof *o);
	optind = 1;
	opterr = 0;
	char **av = c->argv + 1;
	int ac = c->argc - 1, ch;
	while ((ch = getopt_long(ac, av, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': o->slug = optarg; break;
		case 'p': o->parent = optarg; break;
		case 'n': o->name = optarg; break;
		case 'd': o->description = optarg; break;
		case 't': o->top = true; break;
		case 'h': return cmd_help(c) - 1;
		default: return cmd_usage_error(c, "bad option '%s'", av[optind - 1]);
		}
	}
	*pos = av + optind;
	*npos = ac - optind;
	return 0;
}

static int find_cat(struct cmd_ctx *c, const char *slug, struct category *out)
{
	enum err rc = strchr(slug, '/') ? STORE_CALL(c->store, category_by_path, &c->arena, slug, out)
				       : STORE_CALL(c->store, category_by_slug, &c->arena, slug, out);
	if (rc == ERR_NOTFOUND)
		return cmd_fail("no category '%s' (see `gazette category list`)", slug);
	if (rc != ERR_OK)
		return cmd_fail("cannot read category: %s", err_str(rc));
	return 0;
}

int cmd_category(struct cmd_ctx *c)
{
	if (c->argc < 2)
		return cmd_usage_error(c, "missing add, list, move, rename or delete");
	const char *verb = c->argv[1];
	if (strcmp(verb, "--help") == 0)
		return cmd_help(c);
	struct tax_opts o;
	char **pos;
	int npos, r = parse(c, &o, &pos, &npos);
	if (r)
		return r < 0 ? 0 : r;
	enum err rc;
	if (strcmp(verb, "add") == 0) {
		if (npos != 1)
			return cmd_usage_error(c, "add needs exactly one NAME");
		if (!str_label_ok(pos[0], 200))
			return cmd_usage_error(c, "NAME: 1-200 bytes of UTF-8 text");
		const char *slug = o.slug ? o.slug : str_slugify(&c->arena, pos[0]);
		if (!str_slug_valid(slug))
			return cmd_usage_error(c, "--slug: '%s' is not a valid slug", slug);
		if (!cmd_open_site(c))
			return 1;
		struct category cat = {0}, par;
		if (o.parent) {
			if (find_cat(c, o.parent, &par))
				return 1;
			cat.parent_id = par.id;
		}
		cat.slug = slug;
		cat.name = pos[0];
		cat.description = o.description ? o.description : "";
		int64_t id;
		rc = STORE_CALL(c->store, category_add, &cat, &id);
		if (rc == ERR_CONFLICT)
			return cmd_fail("a category with slug '%s' already exists", slug);
		if (rc != ERR_OK)
			return cmd_fail("cannot add category: %s", err_str(rc));
		struct category made;
		if (STORE_CALL(c->store, category_get, &c->arena, id, &made) == ERR_OK)
			printf("%lld\t/category/%s/\n", (long long)id, made.path);
		return 0;
	}
	if (strcmp(verb, "list") == 0) {
		if (npos != 0)
			return cmd_usage_error(c, "list takes no arguments");
		if (!cmd_open_site(c))
			return 1;
		struct category *cs;
		size_t n;
		if (STORE_CALL(c->store, category_list, &c->arena, clock_now(), &cs, &n) != ERR_OK)
			return cmd_fail("cannot list categories");
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%lld\n", (long long)cs[i].id, cs[i].path, cs[i].name,
			       (long long)cs[i].post_count);
		return 0;
	}
	if (strcmp(verb, "move") == 0 || strcmp(verb, "rename") == 0) {
		bool move = verb[0] == 'm';
		if (npos != 1)
			return cmd_usage_error(c, "%s needs exactly one category SLUG", verb);
		if (move && !o.top == !o.parent)
			return cmd_usage_error(c, "move needs --parent SLUG or --top");
		if (!move && !o.name && !o.slug)
			return cmd_usage_error(c, "rename needs --name NAME and/or --slug NEW");
		if (o.name && !str_label_ok(o.name, 200))
			return cmd_usage_error(c, "--name: 1-200 bytes of UTF-8 text");
		if (o.slug && !str_slug_valid(o.slug))
			return cmd_usage_error(c, "--slug: '%s' is not a valid slug", o.slug);
		if (!cmd_open_site(c))
			return 1;
		struct category cat, par;
		if (find_cat(c, pos[0], &cat))
			return 1;
		if (move) {
			cat.parent_id = 0;
			if (o.parent) {
				if (find_cat(c, o.parent, &par))
					return 1;
				cat.parent_id = par.id;
			}
		}
		if (o.name)
			cat.name = o.name;
		if (o.slug)
			cat.slug = o.slug;
		if (o.description)
			cat.description = o.description;
		rc = STORE_CALL(c->store, category_update, &cat);
		if (rc == ERR_INVALID)
			return cmd_fail("cannot move '%s' under its own sub-category", pos[0]);
		if (rc == ERR_CONFLICT)
			return cmd_fail("slug '%s' is already used", cat.slug);
		if (rc != ERR_OK)
			return cmd_fail("cannot update category: %s", err_str(rc));
		return 0;
	}
	if (strcmp(verb, "delete") == 0) {
		if (npos != 1)
			return cmd_usage_error(c, "delete needs exactly one category SLUG");
		if (!cmd_open_site(c))
			return 1;
		struct category cat;
		if (find_cat(c, pos[0], &cat))
			return 1;
		rc = STORE_CALL(c->store, category_delete, cat.id);
		if (rc != ERR_OK)
			return cmd_fail("cannot delete category: %s", err_str(rc));
		return 0;
	}
	return cmd_usage_error(c, "unknown action '%s'", verb);
}

int cmd_tag(struct cmd_ctx *c)
{
	if (c->argc < 2)
		return cmd_usage_error(c, "missing list, rename or delete");
	const char *verb = c->argv[1];
	if (strcmp(verb, "--help") == 0)
		return cmd_help(c);
	struct tax_opts o;
	char **pos;
	int npos, r = parse(c, &o, &pos, &npos);
	if (r)
		return r < 0 ? 0 : r;
	if (strcmp(verb, "list") == 0) {
		if (npos != 0)
			return cmd_usage_error(c, "list takes no arguments");
		if (!cmd_open_site(c))
			return 1;
		struct tag *ts;
		size_t n;
		if (STORE_CALL(c->store, tag_list, &c->arena, clock_now(), &ts, &n) != ERR_OK)
			return cmd_fail("cannot list tags");
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%lld\n", (long long)ts[i].id, ts[i].slug, ts[i].name,
			       (long long)ts[i].post_count);
		return 0;
	}
	bool rename = strcmp(verb, "rename") == 0;
	if (!rename && strcmp(verb, "delete") != 0)
		return cmd_usage_error(c, "unknown action '%s'", verb);
	if (npos != 1)
		return cmd_usage_error(c, "%s needs exactly one tag SLUG", verb);
	if (rename && !o.name && !o.slug)
		return cmd_usage_error(c, "rename needs --name NAME and/or --slug NEW");
	if (o.name && !str_label_ok(o.name, 200))
		return cmd_usage_error(c, "--name: 1-200 bytes of UTF-8 text");
	if (o.slug && !str_slug_valid(o.slug))
		return cmd_usage_error(c, "--slug: '%s' is not a valid slug", o.slug);
	if (!cmd_open_site(c))
		return 1;
	struct tag t;
	enum err rc = STORE_CALL(c->store, tag_by_slug, &c->arena, pos[0], &t);
	if (rc == ERR_NOTFOUND)
		return cmd_fail("no tag '%s' (see `gazette tag list`)", pos[0]);
	if (rc != ERR_OK)
		return cmd_fail("cannot read tag: %s", err_str(rc));
	rc = rename ? STORE_CALL(c->store, tag_update, t.id, o.name ? o.name : t.name,
				 o.slug ? o.slug : t.slug)
		    : STORE_CALL(c->store, tag_delete, t.id);
	if (rc == ERR_CONFLICT)
		return cmd_fail("slug '%s' is already used by another tag", o.slug);
	if (rc != ERR_OK)
		return cmd_fail("cannot %s tag: %s", verb, err_str(rc));
	return 0;
}
