/* demo.c - the demo site of `init --demo`: "The Port Ellery Courier".
 *
 * The content lives in demo/ (compiled in by tools/embed): site.txt,
 * authors.txt (login|name|email|role|bio), categories.txt (path|name|desc)
 * and posts/ and pages/ as Markdown with a `key: value` header ended by a
 * `---` line. It goes through the same content rules as `gazette post add`. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "content/post.h"
#include "content/settings.h"
#include "core/embed.h"
#include "core/str.h"
#include "core/time.h"

/* Split the next line off *p (in place in an arena copy); NULL at the end. */
static char *next_line(char **p)
{
	if (!*p || !**p)
		return NULL;
	char *s = *p, *e = strchr(s, '\n');
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = s + strlen(s);
	}
	size_t n = strlen(s);
	if (n && s[n - 1] == '\r')
		s[n - 1] = '\0';
	return s;
}

/* Split on '|' into at most max fields; returns the count. */
static size_t fields(char *line, char **out, size_t max)
{
	size_t n = 0;
	while (n < max) {
		out[n++] = line;
		char *bar = strchr(line, '|');
		if (!bar)
			break;
		*bar = '\0';
		line = bar + 1;
	}
	return n;
}

static int load_doc(struct cmd_ctx *c, const struct embedded_file *f, enum post_type type)
{
	char *text = arena_strndup(&c->arena, f->data, f->len), *p = text, *line;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.type = type;
	pf.status = "published";
	bool header_done = false;
	while ((line = next_line(&p))) {
		if (strcmp(line, "---") == 0) {
			header_done = true;
			break;
		}
		char *colon = strchr(line, ':');
		if (!colon)
			return cmd_fail("demo/%s: header line without ':'", f->name);
		*colon = '\0';
		char *k = str_trim(line), *v = str_trim(colon + 1);
		if (strcmp(k, "title") == 0) pf.title = v;
		else if (strcmp(k, "slug") == 0) pf.slug = v;
		else if (strcmp(k, "category") == 0) pf.category = v;
		else if (strcmp(k, "tags") == 0) pf.tags = v;
		else if (strcmp(k, "author") == 0) pf.author = v;
		else if (strcmp(k, "date") == 0) pf.date = v;
		else if (strcmp(k, "excerpt") == 0) pf.excerpt = v;
		else if (strcmp(k, "sticky") == 0) pf.sticky = strcmp(v, "yes") == 0;
	}
	if (!header_done)
		return cmd_fail("demo/%s: no '---' after the header", f->name);
	pf.body_md = p;
	char msg[512];
	int64_t id;
	if (post_create(c->store, &c->arena, &pf, clock_now(), &id, msg, sizeof msg) != ERR_OK)
		return cmd_fail("demo/%s: %s", f->name, msg);
	return 0;
}

int demo_load(struct cmd_ctx *c)
{
	const struct embedded_file *f;
	char msg[512];
	if ((f = embed_find(embedded_demo, "site.txt"))) {
		char *p = arena_strndup(&c->arena, f->data, f->len), *line;
		while ((line = next_line(&p))) {
			char *colon = strchr(line, ':');
			if (!colon)
				continue;
			*colon = '\0';
			if (settings_set(c->store, str_trim(line), str_trim(colon + 1), msg,
					 sizeof msg) != ERR_OK)
				return cmd_fail("demo/site.txt: %s", msg);
		}
	}
	if ((f = embed_find(embedded_demo, "authors.txt"))) {
		char *p = arena_strndup(&c->arena, f->data, f->len), *line;
		while ((line = next_line(&p))) {
			char *fl[5];
			if (!*line)
				continue;
			if (fields(line, fl, 5) != 5)
				return cmd_fail("demo/authors.txt: expected 5 fields");
			struct user u = {0};
			u.login = fl[0];
			u.display_name = fl[1];
			u.email = fl[2];
			u.bio = fl[4];
			if (!user_role_parse(fl[3], &u.role))
				return cmd_fail("demo/authors.txt: bad role '%s'", fl[3]);
			if (STORE_CALL(c->store, user_add, &u, NULL) != ERR_OK)
				return cmd_fail("demo/authors.txt: cannot add %s", fl[0]);
		}
	}
	if ((f = embed_find(embedded_demo, "categories.txt"))) {
		char *p = arena_strndup(&c->arena, f->data, f->len), *line;
		while ((line = next_line(&p))) {
			char *fl[3];
			if (!*line)
				continue;
			if (fields(line, fl, 3) != 3)
				return cmd_fail("demo/categories.txt: expected 3 fields");
			struct category cat = {0}, par;
			char *slash = strrchr(fl[0], '/');
			cat.slug = slash ? slash + 1 : fl[0];
			if (slash) {
				*slash = '\0';
				if (STORE_CALL(c->store, category_by_path, &c->arena, fl[0], &par) !=
				    ERR_OK)
					return cmd_fail("demo/categories.txt: no parent %s", fl[0]);
				cat.parent_id = par.id;
			}
			cat.name = fl[1];
			cat.description = fl[2];
			if (STORE_CALL(c->store, category_add, &cat, NULL) != ERR_OK)
				return cmd_fail("demo/categories.txt: cannot add %s", cat.slug);
		}
	}
	/* Pages first (the About page), then articles in file order. */
	for (f = embedded_demo; f->name; f++)
		if (str_starts(f->name, "pages/") && load_doc(c, f, POST_PAGE))
			return 1;
	for (f = embedded_demo; f->name; f++)
		if (str_starts(f->name, "posts/") && load_doc(c, f, POST_ARTICLE))
			return 1;
	return 0;
}
