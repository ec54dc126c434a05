/* post.c - `gazette post ...` and `gazette page ...`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "content/permalink.h"
#include "content/post.h"
#include "content/settings.h"
#include "core/str.h"
#include "core/time.h"

struct popts {
	struct post_fields f;
	const char *file;
	bool body_stdin;
	int64_t limit;
	const char *filter_status, *filter_category;
};

static int parse(struct cmd_ctx *c, enum post_type type, bool adding, struct popts *o,
		 char ***pos, int *npos)
{
	static const struct option opts[] = {
		{"title", required_argument, 0, 'T'},    {"slug", required_argument, 0, 's'},
		{"category", required_argument, 0, 'c'}, {"tags", required_argument, 0, 't'},
		{"author", required_argument, 0, 'a'},   {"status", required_argument, 0, 'S'},
		{"date", required_argument, 0, 'd'},     {"file", required_argument, 0, 'f'},
		{"excerpt", required_argument, 0, 'e'},  {"sticky", no_argument, 0, 'y'},
		{"no-sticky", no_argument, 0, 'Y'},      {"body-stdin", no_argument, 0, 'b'},
		{"parent", required_argument, 0, 'p'},   {"limit", required_argument, 0, 'l'},
		{"comments", required_argument, 0, 'C'}, {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	struct post_fields init = POST_FIELDS_INIT;
	memset(o, 0, sizeof *o);
	o->f = init;
	o->f.type = type;
	optind = 1;
	opterr = 0;
	char **av = c->argv + 1;
	int ac = c->argc - 1, ch;
	while ((ch = getopt_long(ac, av, "", opts, NULL)) != -1) {
		bool page_opt = ch == 'p', article_opt = strchr("ctyY", ch) != NULL;
		if ((type == POST_ARTICLE && page_opt) || (type == POST_PAGE && article_opt))
			return cmd_usage_error(c, "option '%s' is not for %ss", av[optind - 1],
					       type == POST_PAGE ? "page" : "post");
		switch (ch) {
		case 'T': o->f.title = optarg; break;
		case 's': o->f.slug = optarg; break;
		case 'c':
			o->f.category = optarg;
			o->filter_category = optarg;
			break;
		case 't': o->f.tags = optarg; break;
		case 'a': o->f.author = optarg; break;
		case 'S':
			o->f.status = optarg;
			o->filter_status = optarg;
			break;
		case 'd': o->f.date = optarg; break;
		case 'f': o->file = optarg; break;
		case 'e': o->f.excerpt = optarg; break;
		case 'y': o->f.sticky = 1; break;
		case 'Y': o->f.sticky = 0; break;
		case 'b': o->body_stdin = true; break;
		case 'p': o->f.parent = optarg; break;
		case 'l':
			if (!str_to_i64(optarg, 1, 1000000, &o->limit))
				return cmd_usage_error(c, "--limit: a number from 1 to 1000000");
			break;
		case 'C':
			if (strcmp(optarg, "open") == 0)
				o->f.comments_open = 1;
			else if (strcmp(optarg, "closed") == 0)
				o->f.comments_open = 0;
			else
				return cmd_usage_error(c, "--comments: open or closed");
			break;
		case 'h': return cmd_help(c) - 1;
		default:
			return cmd_usage_error(c, "bad option '%s' (or it needs a value)",
					       av[optind - 1]);
		}
	}
	(void)adding;
	*pos = av + optind;
	*npos = ac - optind;
	return 0;
}

static const char *url_of(struct cmd_ctx *c, const struct post *p)
{
	const char *pattern = settings_get(c->store, &c->arena, "permalink");
	const char *base = settings_get(c->store, &c->arena, "base_url");
	const char *path = permalink_for(&c->arena, pattern, p);
	return arena_printf(&c->arena, "%s%s", base, path ? path : "");
}

static int add(struct cmd_ctx *c, enum post_type type)
{
	struct popts o;
	char **pos;
	int npos, r = parse(c, type, true, &o, &pos, &npos);
	if (r)
		return r < 0 ? 0 : r;
	if (npos)
		return cmd_usage_error(c, "unexpected argument '%s'", pos[0]);
	if (!o.f.title)
		return cmd_usage_error(c, "--title is required");
	if (!o.file && isatty(STDIN_FILENO))
		fprintf(stderr, "gazette: reading the Markdown body from stdin (end with Ctrl-D)\n");
	char *body = cmd_read_file(c, o.file);
	if (!body)
		return 1;
	o.f.body_md = body;
	if (!cmd_open_site(c))
		return 1;
	char msg[512];
	int64_t id;
	if (post_create(c->store, &c->arena, &o.f, clock_now(), &id, msg, sizeof msg) != ERR_OK)
		return cmd_fail("%s", msg);
	struct post p;
	if (STORE_CALL(c->store, post_get, &c->arena, id, &p) != ERR_OK)
		return cmd_fail("post %lld saved but cannot be read back", (long long)id);
	printf("%lld\t%s\n", (long long)id, url_of(c, &p));
	return 0;
}

static int edit(struct cmd_ctx *c, enum post_type type)
{
	struct popts o;
	char **pos;
	int npos, r = parse(c, type, false, &o, &pos, &npos);
	if (r)
		return r < 0 ? 0 : r;
	int64_t id;
	if (npos != 1)
		return cmd_usage_error(c, "edit needs exactly one ID");
	if (!cmd_parse_id(c, pos[0], &id))
		return 2;
	if (o.file || o.body_stdin) {
		o.f.body_md = cmd_read_file(c, o.file);
		if (!o.f.body_md)
			return 1;
	}
	if (!cmd_open_site(c))
		return 1;
	struct post cur;
	if (STORE_CALL(c->store, post_get, &c->arena, id, &cur) != ERR_OK || cur.type != type)
		return cmd_fail("no %s %lld", type == POST_PAGE ? "page" : "post", (long long)id);
	char msg[512];
	if (post_update(c->store, &c->arena, id, &o.f, clock_now(), msg, sizeof msg) != ERR_OK)
		return cmd_fail("%s", msg);
	struct post p;
	if (STORE_CALL(c->store, post_get, &c->arena, id, &p) == ERR_OK)
		printf("%lld\t%s\n", (long long)id, url_of(c, &p));
	return 0;
}

static int list(struct cmd_ctx *c, enum post_type type)
{
	struct popts o;
	char **pos;
	int npos, r = parse(c, type, false, &o, &pos, &npos);
	if (r)
		return r < 0 ? 0 : r;
	if (npos)
		return cmd_usage_error(c, "unexpected argument '%s'", pos[0]);
	struct post_query q = {0};
	q.type = type;
	if (o.filter_status) {
		if (!post_status_parse(o.filter_status, &q.status))
			return cmd_usage_error(c, "--status: not a post status");
		q.by_status = true;
	}
	q.limit = o.limit;
	if (!cmd_open_site(c))
		return 1;
	if (o.filter_category) {
		struct category cat;
		enum err rc = strchr(o.filter_category, '/')
				      ? STORE_CALL(c->store, category_by_path, &c->arena,
						   o.filter_category, &cat)
				      : STORE_CALL(c->store, category_by_slug, &c->arena,
						   o.filter_category, &cat);
		if (rc != ERR_OK)
			return cmd_fail("no category '%s'", o.filter_category);
		q.category_id = cat.id;
		q.include_children = true;
	}
	struct post *ps;
	size_t n;
	if (STORE_CALL(c->store, post_list, &c->arena, &q, &ps, &n, NULL) != ERR_OK)
		return cmd_fail("cannot list posts");
	for (size_t i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\n", (long long)ps[i].id, post_status_name(ps[i].status),
		       time_iso(&c->arena, ps[i].published_at), url_of(c, &ps[i]), ps[i].title);
	return 0;
}

static int show(struct cmd_ctx *c, enum post_type type)
{
	int64_t id;
	if (c->argc != 3)
		return cmd_usage_error(c, "show needs exactly one ID");
	if (!cmd_parse_id(c, c->argv[2], &id))
		return 2;
	if (!cmd_open_site(c))
		return 1;
	struct post p;
	if (STORE_CALL(c->store, post_get, &c->arena, id, &p) != ERR_OK || p.type != type)
		return cmd_fail("no %s %lld", type == POST_PAGE ? "page" : "post", (long long)id);
	struct tag *ts = NULL;
	size_t nt = 0;
	STORE_CALL(c->store, post_tags, &c->arena, id, &ts, &nt);
	printf("id: %lld\ntitle: %s\nslug: %s\nstatus: %s\nurl: %s\ndate: %s\nauthor: %s\n",
	       (long long)p.id, p.title, p.slug, post_status_name(p.status), url_of(c, &p),
	       time_iso(&c->arena, p.published_at), p.author_login ? p.author_login : "");
	if (type == POST_ARTICLE) {
		printf("category: %s\ntags: ", p.category_path ? p.category_path : "");
		for (size_t i = 0; i < nt; i++)
			printf("%s%s", i ? ", " : "", ts[i].name);
		printf("\nsticky: %s\n", p.sticky ? "yes" : "no");
	}
	printf("comments: %s\nexcerpt: %s\n---\n%s", p.comments_open ? "open" : "closed",
	       p.excerpt, p.body_md);
	if (!str_ends(p.body_md, "\n"))
		putchar('\n');
	return 0;
}

/* publish, unpublish, delete: each of several ids; all are checked first so
 * a typo in the third id does not leave the first two changed. */
static int each(struct cmd_ctx *c, enum post_type type, const char *verb)
{
	if (c->argc < 3)
		return cmd_usage_error(c, "%s needs at least one ID", verb);
	int n = c->argc - 2;
	int64_t *ids = ARENA_ARRAY(&c->arena, int64_t, (size_t)n);
	for (int i = 0; i < n; i++)
		if (!cmd_parse_id(c, c->argv[2 + i], &ids[i]))
			return 2;
	if (!cmd_open_site(c))
		return 1;
	for (int i = 0; i < n; i++) {
		struct post p;
		if (STORE_CALL(c->store, post_get, &c->arena, ids[i], &p) != ERR_OK ||
		    p.type != type)
			return cmd_fail("no %s %lld; nothing changed",
					type == POST_PAGE ? "page" : "post", (long long)ids[i]);
	}
	int64_t now = clock_now();
	for (int i = 0; i < n; i++) {
		enum err rc;
		enum post_status st = POST_PUBLISHED;
		if (strcmp(verb, "publish") == 0)
			rc = post_publish(c->store, &c->arena, ids[i], now, &st);
		else if (strcmp(verb, "unpublish") == 0)
			rc = STORE_CALL(c->store, post_set_status, ids[i], POST_DRAFT, 0);
		else
			rc = STORE_CALL(c->store, post_delete, ids[i]);
		if (rc != ERR_OK)
			return cmd_fail("%s %lld: %s", verb, (long long)ids[i], err_str(rc));
		if (strcmp(verb, "publish") == 0)
			printf("%lld\t%s\n", (long long)ids[i], post_status_name(st));
	}
	return 0;
}

static int run(struct cmd_ctx *c, enum post_type type)
{
	if (c->argc < 2)
		return cmd_usage_error(c, "missing an action");
	const char *verb = c->argv[1];
	if (strcmp(verb, "--help") == 0)
		return cmd_help(c);
	if (strcmp(verb, "add") == 0)
		return add(c, type);
	if (strcmp(verb, "edit") == 0)
		return edit(c, type);
	if (strcmp(verb, "list") == 0)
		return list(c, type);
	if (strcmp(verb, "show") == 0)
		return show(c, type);
	if (strcmp(verb, "delete") == 0 ||
	    (type == POST_ARTICLE && (strcmp(verb, "publish") == 0 || strcmp(verb, "unpublish") == 0)))
		return each(c, type, verb);
	return cmd_usage_error(c, "unknown action '%s'", verb);
}

int cmd_post(struct cmd_ctx *c)
{
	return run(c, POST_ARTICLE);
}

int cmd_page(struct cmd_ctx *c)
{
	return run(c, POST_PAGE);
}
