/* test_mustache.c - our engine's behaviour beyond the official spec:
 * escaping of trusted HTML and hostile text, error messages, limits,
 * thread safety and the layout (inheritance) pattern the themes use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/escape.h"
#include "render/json.h"
#include "render/jsonw.h"
#include "render/mustache.h"
#include "render/value.h"

/* Add NULL-terminated name/source pairs to a new set; any error fails. */
static struct tmpl_set *make_set(const char *const *pairs)
{
	struct tmpl_set *ts = tmpl_set_new();
	char err[256];
	assert_non_null(ts);
	for (size_t i = 0; pairs[i]; i += 2) {
		enum err e = tmpl_set_add(ts, pairs[i], pairs[i + 1], strlen(pairs[i + 1]), err,
					  sizeof err);
		if (e != ERR_OK)
			fail_msg("tmpl_set_add(%s): %s", pairs[i], err);
	}
	return ts;
}

/* Render and compare; the buffer is freed before any failure is raised. */
static void expect(const struct tmpl_set *ts, const char *name, const struct tval *ctx,
		   const char *want)
{
	struct buf out = BUF_INIT;
	enum err e = tmpl_render(ts, name, ctx, &out);
	char *got = out.data ? out.data : "";
	int ok = e == ERR_OK && strcmp(got, want) == 0;
	if (!ok)
		print_error("render %s: %s\n--- want ---\n%s\n--- got ---\n%s\n", name, err_str(e),
			    want, got);
	buf_free(&out);
	assert_true(ok);
}

static void one(const char *src, const struct tval *ctx, const char *want)
{
	const char *pairs[] = {"t", src, NULL};
	struct tmpl_set *ts = make_set(pairs);
	expect(ts, "t", ctx, want);
	tmpl_set_free(ts);
}

static void test_html_escaped_unless_raw(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct tval *m = tval_map(&a);
	tval_set_html(&a, m, "h", "<p>Fish &amp; <em>chips</em></p>");
	one("{{h}}", m, "&lt;p&gt;Fish &amp;amp; &lt;em&gt;chips&lt;/em&gt;&lt;/p&gt;");
	one("{{{h}}}", m, "<p>Fish &amp; <em>chips</em></p>");
	one("{{&h}}", m, "<p>Fish &amp; <em>chips</em></p>");
	one("{{=<% %>=}}<%{h}%>", m, "<p>Fish &amp; <em>chips</em></p>");
	/* trusted HTML in a list item, reached through "." */
	struct tval *l = tval_list(&a);
	tval_push(&a, l, tval_html(&a, "<b>x</b>"));
	tval_set(&a, m, "l", l);
	one("{{#l}}{{.}}|{{{.}}}{{/l}}", m, "&lt;b&gt;x&lt;/b&gt;|<b>x</b>");
	arena_free(&a);
}

static void test_xss_payloads_escaped(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
		{"' onmouseover='alert(1)", "&#39; onmouseover=&#39;alert(1)"},
		{"</textarea><svg/onload=alert(1)>", "&lt;/textarea&gt;&lt;svg/onload=alert(1)&gt;"},
		{"&lt;already&gt;", "&amp;lt;already&amp;gt;"},
		{"{{planet}}", "{{planet}}"}, /* values are never re-parsed as templates */
	};
	const char *pairs[] = {
		"t", "<a title=\"{{p}}\" data-x='{{p}}'>{{p}}</a>|{{#list}}{{.}}{{/list}}|{{>part}}",
		"part", "<i>{{obj.p}}</i>", NULL,
	};
	struct tmpl_set *ts = make_set(pairs);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct arena a;
		arena_init(&a, 0);
		struct tval *m = tval_map(&a), *list = tval_list(&a), *obj = tval_map(&a);
		tval_set_str(&a, m, "p", cases[i].in);
		tval_set_str(&a, m, "planet", "Earth");
		tval_push(&a, list, tval_str(&a, cases[i].in));
		tval_set(&a, m, "list", list);
		tval_set_str(&a, obj, "p", cases[i].in);
		tval_set(&a, m, "obj", obj);
		char want[512];
		snprintf(want, sizeof want, "<a title=\"%s\" data-x='%s'>%s</a>|%s|<i>%s</i>",
			 cases[i].out, cases[i].out, cases[i].out, cases[i].out, cases[i].out);
		expect(ts, "t", m, want);
		arena_free(&a);
	}
	tmpl_set_free(ts);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	static const struct {
		const char *src, *msg;
	} cases[] = {
		{"line 1\nline 2\n{{#posts}}\n<li>{{title}}</li>\n",
		 "page:3: unclosed section \"posts\""},
		{"{{^drafts}}\n", "page:1: unclosed inverted section \"drafts\""},
		{"{{#a}}\n\n{{/b}}\n",
		 "page:3: closing tag \"b\" does not match section \"a\" opened on line 1"},
		{"{{<layout}}\n{{$title}}x{{/layout}}",
		 "page:2: closing tag \"layout\" does not match block \"title\" opened on line 2"},
		{"ok\n{{/a}}", "page:2: closing tag \"a\" without an opening tag"},
		{"a\n\n\n<b>{{name</b>\n", "page:4: unclosed tag (no \"}}\" after \"{{\")"},
		{"{{{raw}}\n", "page:1: unclosed tag (no \"}}}\" after \"{{\")"},
		{"{{=<% %>=}}\nx <%name}}\n", "page:2: unclosed tag (no \"%>\" after \"<%\")"},
		{"\n{{= <% =}}", "page:2: bad set-delimiter tag \"<%\""},
		{"{{=a b c=}}", "page:1: bad set-delimiter tag \"a b c\""},
		{"{{}}", "page:1: empty tag"},
		{"{{#}}{{/}}", "page:1: empty tag"},
		{"x\n{{first name}}", "page:2: bad tag name \"first name\""},
		{"{{a..b}}", "page:1: bad dotted name \"a..b\""},
		{"{{!\nmulti-line\ncomment\n}}\n{{#x}}", "page:5: unclosed section \"x\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct tmpl_set *ts = tmpl_set_new();
		char err[256] = "";
		enum err e = tmpl_set_add(ts, "page", cases[i].src, strlen(cases[i].src), err,
					  sizeof err);
		int has = tmpl_set_has(ts, "page");
		tmpl_set_free(ts);
		if (e != ERR_INVALID || strcmp(err, cases[i].msg) != 0)
			fail_msg("case %zu: got %s \"%s\", want \"%s\"", i, err_str(e), err,
				 cases[i].msg);
		assert_false(has);
	}
}

static void test_error_edge_cases(void **state)
{
	(void)state;
	struct tmpl_set *ts = tmpl_set_new();
	/* no message buffer at all */
	assert_int_equal(tmpl_set_add(ts, "x", "{{#a}}", 6, NULL, 0), ERR_INVALID);
	/* a tiny buffer is truncated, still terminated */
	char small[8];
	memset(small, 'Z', sizeof small);
	assert_int_equal(tmpl_set_add(ts, "page", "{{#a}}", 6, small, sizeof small), ERR_INVALID);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_string_equal(small, "page:1:");
	/* a failed replacement keeps the earlier template */
	assert_int_equal(tmpl_set_add(ts, "page", "v1", 2, NULL, 0), ERR_OK);
	assert_int_equal(tmpl_set_add(ts, "page", "{{/oops}}", 9, NULL, 0), ERR_INVALID);
	expect(ts, "page", NULL, "v1");
	/* a good one replaces it */
	assert_int_equal(tmpl_set_add(ts, "page", "v2", 2, NULL, 0), ERR_OK);
	expect(ts, "page", NULL, "v2");
	/* unknown template */
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(ts, "nope", NULL, &out), ERR_NOTFOUND);
	assert_false(tmpl_set_has(ts, "nope"));
	assert_true(tmpl_set_has(ts, "page"));
	buf_free(&out);
	tmpl_set_free(ts);
}

static void expect_limit(const char *const *pairs, const struct tval *ctx)
{
	struct tmpl_set *ts = make_set(pairs);
	struct buf out = BUF_INIT;
	enum err e = tmpl_render(ts, pairs[0], ctx, &out);
	buf_free(&out);
	tmpl_set_free(ts);
	assert_int_equal(e, ERR_LIMIT);
}

static void test_recursion_limit(void **state)
{
	(void)state;
	const char *self[] = {"self", "x{{>self}}", NULL};
	expect_limit(self, NULL);
	const char *mutual[] = {"a", "{{>b}}", "b", "{{#t}}{{>a}}{{/t}}", NULL};
	struct arena a;
	arena_init(&a, 0);
	struct tval *m = tval_map(&a);
	tval_set_bool(&a, m, "t", true);
	expect_limit(mutual, m);
	const char *parent[] = {"p", "{{<p}}{{$b}}x{{/b}}{{/p}}", NULL};
	expect_limit(parent, NULL);
	tval_set_str(&a, m, "next", "dyn");
	const char *dynamic[] = {"dyn", "{{>*next}}", NULL};
	expect_limit(dynamic, m);

	/* legitimate recursion (a comment thread 30 deep) is fine */
	struct tval *root = tval_map(&a), *cur = root;
	for (int i = 0; i < 30; i++) {
		struct tval *replies = tval_list(&a), *child = tval_map(&a);
		tval_set_int(&a, cur, "id", i);
		tval_push(&a, replies, child);
		tval_set(&a, cur, "replies", replies);
		cur = child;
	}
	tval_set_int(&a, cur, "id", 30);
	const char *thread[] = {"c", "({{id}}{{#replies}}{{>c}}{{/replies}})", NULL};
	/* the leaf has no "replies" key, so the name resolves in its parent's
	 * context and the partial recurses for ever: mustache semantics, and
	 * the limit is what stops it */
	expect_limit(thread, root);
	tval_set(&a, cur, "replies", tval_list(&a));
	struct tmpl_set *ts = make_set(thread);
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(ts, "c", root, &out), ERR_OK);
	assert_true(strncmp(out.data, "(0(1(2(3", 8) == 0);
	assert_true(strstr(out.data, "(30)))") != NULL);
	buf_free(&out);
	tmpl_set_free(ts);
	arena_free(&a);
}

static void test_empty_string_falsey(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct tval *m = tval_map(&a);
	tval_set_str(&a, m, "empty", "");
	tval_set_html(&a, m, "emptyhtml", "");
	tval_set_str(&a, m, "text", "x");
	tval_set_int(&a, m, "zero", 0);
	tval_set_bool(&a, m, "no", false);
	tval_set(&a, m, "nil", tval_null(&a));
	tval_set(&a, m, "none", tval_list(&a));
	const char *src = "{{#%s}}yes{{/%s}}{{^%s}}no{{/%s}}";
	static const struct {
		const char *key, *want;
	} cases[] = {
		{"empty", "no"}, {"emptyhtml", "no"}, {"text", "yes"}, {"zero", "yes"},
		{"no", "no"},    {"nil", "no"},       {"none", "no"},  {"missing", "no"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char t[128];
		const char *k = cases[i].key;
		snprintf(t, sizeof t, src, k, k, k, k);
		one(t, m, cases[i].want);
	}
	/* the optional-field idiom a view relies on */
	one("<h1>{{text}}</h1>{{#empty}}<p>{{empty}}</p>{{/empty}}", m, "<h1>x</h1>");
	arena_free(&a);
}

static void test_values(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct tval *m = tval_map(&a), *post = tval_map(&a), *author = tval_map(&a);
	tval_set_int(&a, m, "n", -42);
	tval_set_int(&a, m, "min", INT64_MIN);
	tval_set_int(&a, m, "max", INT64_MAX);
	tval_set_bool(&a, m, "yes", true);
	tval_set_bool(&a, m, "no", false);
	tval_set_str(&a, author, "name", "Ann");
	tval_set(&a, post, "author", author);
	tval_set(&a, m, "post", post);
	one("{{n}} {{min}} {{max}}", m, "-42 -9223372036854775808 9223372036854775807");
	one("{{yes}} {{no}} [{{nil}}] [{{post}}]", m, "true false [] []");
	one("{{post.author.name}} {{#post}}{{author.name}}{{/post}} [{{post.nobody.name}}]", m,
	    "Ann Ann []");
	one("a{{>missing}}b", m, "ab");
	one("a{{<missing}}{{$x}}y{{/x}}{{/missing}}b", m, "ab");
	one("[{{.}}]", NULL, "[]");
	one("", m, "");
	arena_free(&a);
}

/* ---- the layout pattern: one layout, pages override its blocks ---- */

static const char *const site[] = {
	"layout",
	"<!doctype html>\n"
	"<html>\n"
	"<head>\n"
	"  <title>{{$title}}{{site}}{{/title}}</title>\n"
	"</head>\n"
	"<body>\n"
	"  {{>header}}\n"
	"  <main>\n"
	"    {{$content}}\n"
	"    <p>Nothing here.</p>\n"
	"    {{/content}}\n"
	"  </main>\n"
	"  {{>footer}}\n"
	"</body>\n"
	"</html>\n",
	"header",
	"<header><a href=\"/\">{{site}}</a>{{$nav}}{{/nav}}</header>\n",
	"footer",
	"<footer>&copy; {{site}}</footer>\n",
	"byline",
	"<p class=\"byline\">By {{author}}</p>\n",
	"article",
	"{{<layout}}\n"
	"{{$title}}{{title}} – {{site}}{{/title}}\n"
	"{{$nav}}<nav>{{#crumbs}}<a href=\"{{url}}\">{{name}}</a> » {{/crumbs}}</nav>{{/nav}}\n"
	"{{$content}}\n"
	"<article>\n"
	"  <h1>{{title}}</h1>\n"
	"  {{{body}}}\n"
	"  {{>byline}}\n"
	"  {{#related}}\n"
	"  <h2>You may also like</h2>\n"
	"  <ul>\n"
	"    {{#items}}\n"
	"    <li><a href=\"{{url}}\">{{title}}</a></li>\n"
	"    {{/items}}\n"
	"  </ul>\n"
	"  {{/related}}\n"
	"</article>\n"
	"{{/content}}\n"
	"{{/layout}}\n",
	"empty",
	"{{<layout}}{{/layout}}\n",
	NULL,
};

static const char *const article_html =
	"<!doctype html>\n"
	"<html>\n"
	"<head>\n"
	"  <title>Fish &amp; chips – Gazette</title>\n"
	"</head>\n"
	"<body>\n"
	"  <header><a href=\"/\">Gazette</a><nav><a href=\"/\">Home</a> » <a "
	"href=\"/category/food/\">Food</a> » </nav></header>\n"
	"  <main>\n"
	"    <article>\n"
	"      <h1>Fish &amp; chips</h1>\n"
	"      <p>Best <em>with</em> vinegar.</p>\n"
	"      <p class=\"byline\">By Ann &lt;ann@example.org&gt;</p>\n"
	"      <h2>You may also like</h2>\n"
	"      <ul>\n"
	"        <li><a href=\"/2024/01/mushy-peas/\">Mushy peas</a></li>\n"
	"        <li><a href=\"/2024/02/tartare/\">Tartare &quot;sauce&quot;</a></li>\n"
	"      </ul>\n"
	"    </article>\n"
	"  </main>\n"
	"  <footer>&copy; Gazette</footer>\n"
	"</body>\n"
	"</html>\n";

static struct tval *article_ctx(struct arena *a)
{
	struct tval *m = tval_map(a), *rel = tval_list(a), *crumbs = tval_list(a);
	tval_set_str(a, m, "site", "Gazette");
	tval_set_str(a, m, "title", "Fish & chips");
	tval_set_html(a, m, "body", "<p>Best <em>with</em> vinegar.</p>");
	tval_set_str(a, m, "author", "Ann <ann@example.org>");
	static const char *const r[][2] = {{"/2024/01/mushy-peas/", "Mushy peas"},
					   {"/2024/02/tartare/", "Tartare \"sauce\""}};
	for (size_t i = 0; i < 2; i++) {
		struct tval *x = tval_map(a);
		tval_set_str(a, x, "url", r[i][0]);
		tval_set_str(a, x, "title", r[i][1]);
		tval_push(a, rel, x);
	}
	struct tval *related = tval_map(a);
	tval_set(a, related, "items", rel);
	tval_set(a, m, "related", related); /* absent or null when there are none */
	static const char *const c[][2] = {{"/", "Home"}, {"/category/food/", "Food"}};
	for (size_t i = 0; i < 2; i++) {
		struct tval *x = tval_map(a);
		tval_set_str(a, x, "url", c[i][0]);
		tval_set_str(a, x, "name", c[i][1]);
		tval_push(a, crumbs, x);
	}
	tval_set(a, m, "crumbs", crumbs);
	return m;
}

/* Names are matched by length and first bytes before the rest: keys that
 * share a prefix, differ only past byte 7, or are very long still resolve to
 * exactly themselves; the last set of a key wins. */
static void test_key_matching(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct tval *m = tval_map(&a);
	char longk[300], longk2[300], src[1000];
	memset(longk, 'k', sizeof longk - 1);
	longk[sizeof longk - 1] = '\0';
	memcpy(longk2, longk, sizeof longk);
	longk2[280] = 'x'; /* same length, differs past byte 254 */
	tval_set_str(&a, m, "updated_iso", "I");
	tval_set_str(&a, m, "updated_human", "H");
	tval_set_str(&a, m, "updated", "U");
	tval_set_str(&a, m, "abcdefgX", "8");
	tval_set_str(&a, m, "abcdefgY", "9");
	tval_set_str(&a, m, "", "empty");
	tval_set_str(&a, m, arena_strdup(&a, longk), "L");
	tval_set_str(&a, m, arena_strdup(&a, longk2), "L2");
	tval_set_str(&a, m, "k", "old");
	tval_set_str(&a, m, arena_strdup(&a, "k"), "new"); /* another pointer, same key */
	one("{{updated}}{{updated_iso}}{{updated_human}}{{updated_}}{{update}}", m, "UIH");
	one("{{abcdefgX}}{{abcdefgY}}{{abcdefgZ}}{{abcdefg}}", m, "89");
	one("{{k}}", m, "new");
	snprintf(src, sizeof src, "{{%s}}|{{%s}}|{{%.299s}}", longk, longk2, longk);
	one(src, m, "L|L2|L");
	snprintf(src, sizeof src, "{{%.298s}}{{%sk}}", longk, longk);
	one(src, m, "");
	assert_string_equal(tval_get(m, "updated_iso", 11)->u.s.p, "I");
	assert_string_equal(tval_get(m, "updated_isoX", 11)->u.s.p, "I");
	assert_null(tval_get(m, "updated_is", 10));
	assert_string_equal(tval_get(m, "", 0)->u.s.p, "empty");
	assert_string_equal(tval_get(m, "k", 1)->u.s.p, "new");
	assert_string_equal(tval_get(m, longk2, strlen(longk2))->u.s.p, "L2");
	assert_null(tval_get(m, "k\0", 2)); /* a NUL in a name matches nothing */
	assert_false(tval_set(&a, m, NULL, tval_null(&a)));
	arena_free(&a);
}

static void test_layout_inheritance(void **state)
{
	(void)state;
	struct tmpl_set *ts = make_set((const char *const *)site);
	struct arena a;
	arena_init(&a, 0);
	expect(ts, "article", article_ctx(&a), article_html);

	/* without related articles the whole "You may also like" block goes */
	struct tval *m = article_ctx(&a);
	tval_set(&a, m, "related", tval_null(&a));
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(ts, "article", m, &out), ERR_OK);
	assert_null(strstr(out.data, "You may also like"));
	assert_non_null(strstr(out.data, "By Ann &lt;ann@example.org&gt;</p>\n    </article>\n"));
	buf_free(&out);

	/* a page overriding nothing renders every default */
	struct tval *s = tval_map(&a);
	tval_set_str(&a, s, "site", "Gazette");
	expect(ts, "empty", s,
	       "<!doctype html>\n<html>\n<head>\n  <title>Gazette</title>\n</head>\n<body>\n"
	       "  <header><a href=\"/\">Gazette</a></header>\n"
	       "  <main>\n    <p>Nothing here.</p>\n  </main>\n"
	       "  <footer>&copy; Gazette</footer>\n</body>\n</html>\n");
	arena_free(&a);
	tmpl_set_free(ts);
}

/* ---- many threads, one set ---- */

struct worker {
	const struct tmpl_set *ts;
	const struct tval *ctx;
	const char *want;
	int mismatches;
};

static void *work(void *p)
{
	struct worker *w = p;
	struct buf out = BUF_INIT;
	for (int i = 0; i < 300; i++) {
		buf_reset(&out);
		if (tmpl_render(w->ts, "article", w->ctx, &out) != ERR_OK ||
		    strcmp(out.data, w->want) != 0)
			w->mismatches++;
	}
	buf_free(&out);
	return NULL;
}

static void test_threads_identical_output(void **state)
{
	(void)state;
	enum { N = 4 };
	struct tmpl_set *ts = make_set((const char *const *)site);
	struct arena a;
	arena_init(&a, 0);
	const struct tval *ctx = article_ctx(&a);
	pthread_t th[N];
	struct worker w[N];
	for (int i = 0; i < N; i++) {
		w[i] = (struct worker){ts, ctx, article_html, 0};
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	int bad = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		bad += w[i].mismatches;
	}
	arena_free(&a);
	tmpl_set_free(ts);
	assert_int_equal(bad, 0);
}

/* json_script writes what jansson's json_dumps(JSON_COMPACT |
 * JSON_ESCAPE_SLASH) writes, plus <, >, & and U+2028/2029 escaped. */
static struct json *ld_tree(const char *text)
{
	struct json *o = json_obj(), *arr = json_arr(), *inner = json_obj();
	json_set_str(o, "@type", "NewsArticle");
	json_set_str(o, "headline", text);
	json_set_str(o, "url", "https://example.org/2025/08/a-b/?q=1&x=2");
	json_set(o, "n", json_int(-1234567890123));
	json_set(o, "zero", json_int(0));
	json_set(o, "yes", json_flag(true));
	json_set(o, "no", json_flag(false));
	json_set(o, "r", json_num(0.25));
	json_push(arr, json_str(text));
	json_push(arr, json_obj());
	json_push(arr, json_arr());
	json_set_str(inner, text, "key with specials");
	json_push(arr, inner);
	json_set(o, "list", arr);
	return o;
}

static char *reference_script(const char *text)
{
	struct json *j = ld_tree(text);
	char *s = json_dumps((json_t *)j, JSON_COMPACT | JSON_ESCAPE_SLASH);
	json_free(j);
	assert_non_null(s);
	struct buf b = BUF_INIT;
	for (const char *p = s; *p; p++) {
		if (*p == '<')
			buf_puts(&b, "\\u003c");
		else if (*p == '>')
			buf_puts(&b, "\\u003e");
		else if (*p == '&')
			buf_puts(&b, "\\u0026");
		else if (strncmp(p, "\xE2\x80\xA8", 3) == 0) {
			buf_puts(&b, "\\u2028");
			p += 2;
		} else if (strncmp(p, "\xE2\x80\xA9", 3) == 0) {
			buf_puts(&b, "\\u2029");
			p += 2;
		} else
			buf_putc(&b, *p);
	}
	free(s);
	return buf_detach(&b, NULL);
}

static void test_json_script_matches_jansson(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"plain",
		"",
		"quote \" backslash \\ slash / </script><!-- & more",
		"controls \x01\x08\x09\x0a\x0c\x0d\x1f\x7f end",
		"line\xE2\x80\xA8para\xE2\x80\xA9 dash \xE2\x80\x93 euro \xE2\x82\xAC",
		"\xE2\x80\xA8",
		"caf\xC3\xA9 \xF0\x9F\x93\xB0 \xE6\x96\xB0\xE8\x81\x9E",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct arena a;
		arena_init(&a, 0);
		char *want = reference_script(texts[i]);
		const char *got = json_script(&a, ld_tree(texts[i]));
		assert_non_null(got);
		assert_string_equal(got, want);
		assert_null(strchr(got, '<'));
		free(want);
		arena_free(&a);
	}
}

/* The streaming writer (render/jsonw.h) writes what json_script writes for
 * the same document (the tree without its booleans and real). */
static void test_jsonw_matches_json_script(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"plain", "", "quote \" backslash \\ slash / </script><!-- & more",
		"controls \x01\x08\x09\x0a\x0c\x0d\x1f\x7f end",
		"line\xE2\x80\xA8para\xE2\x80\xA9 dash \xE2\x80\x93",
		"caf\xC3\xA9 \xF0\x9F\x93\xB0 \xE6\x96\xB0\xE8\x81\x9E",
		"bad \xC3 utf-8 \xFF", /* both write "" */
		/* past sixteen bytes: the vectorised run before the first special */
		"a long plain sentence without any special byte at all, then / and <b> & \x01",
		"0123456789abcdef0123456789abcdef\xE2\x80\xA8 after a line separator \xE2\x82\xAC",
		/* specials inside and after sixteen-byte runs: the loop goes on */
		"https://example.org/2025/06/a-long-slug-with-words/#comments",
		"0123456789abcde\xE2\x80\xA8 straddles the first sixteen bytes",
		"0123456789abcdefghijklmnopqrstu\xE2", "0123456789abcdefghijklmnopqrstu\xE2\x80",
		"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"<<<<<<<<<<<<<<<<>>>>>>>>>>>>>>>>&&&&",
		"fifteen bytes../sixteen bytes../\x01seventeen bytes.\\",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *t = texts[i];
		struct arena a;
		arena_init(&a, 0);
		struct json *o = json_obj(), *arr = json_arr(), *inner = json_obj();
		json_set_str(o, "@type", "NewsArticle");
		json_set_str(o, "headline", t);
		json_set(o, "n", json_int(-1234567890123));
		json_set(o, "zero", json_int(0));
		json_push(arr, json_str(t));
		json_push(arr, json_obj());
		json_push(arr, json_arr());
		json_set_str(inner, "k", t);
		json_push(arr, inner);
		json_set(o, "list", arr);
		/* a key that needs escaping (jsonw copies plain keys as they are) */
		json_set_str(o, "odd \"key\" </script>", t);
		const char *want = json_script(&a, o);

		struct jsonw w;
		jsonw_init(&w);
		jsonw_obj(&w, NULL);
		jsonw_str(&w, "@type", "NewsArticle");
		jsonw_str(&w, "headline", t);
		jsonw_int(&w, "n", -1234567890123);
		jsonw_int(&w, "zero", 0);
		jsonw_arr(&w, "list");
		jsonw_str(&w, NULL, t);
		jsonw_obj(&w, NULL);
		jsonw_end(&w);
		jsonw_arr(&w, NULL);
		jsonw_end(&w);
		jsonw_obj(&w, NULL);
		jsonw_str(&w, "k", t);
		jsonw_end(&w);
		jsonw_end(&w);
		jsonw_str(&w, "odd \"key\" </script>", t);
		jsonw_end(&w);
		const char *got = jsonw_finish(&w, &a);
		assert_non_null(want);
		assert_non_null(got);
		assert_string_equal(got, want);
		arena_free(&a);
	}
	/* unbalanced, or too deep: no document */
	struct arena a;
	arena_init(&a, 0);
	struct jsonw w;
	jsonw_init(&w);
	jsonw_obj(&w, NULL);
	assert_null(jsonw_finish(&w, &a));
	jsonw_init(&w);
	jsonw_end(&w);
	assert_null(jsonw_finish(&w, &a));
	jsonw_init(&w);
	for (int d = 0; d < JSONW_DEPTH + 2; d++)
		jsonw_arr(&w, NULL);
	for (int d = 0; d < JSONW_DEPTH + 2; d++)
		jsonw_end(&w);
	assert_null(jsonw_finish(&w, &a));
	arena_free(&a);
}

/* escape_html against the obvious byte-by-byte escaper, on strings with
 * the five special bytes at every offset of the 16-byte blocks the fast
 * path reads, and past the short-string limit. */
static void ref_escape(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		switch (s[i]) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, s[i]);
		}
}

static void test_escape_html_matches_reference(void **state)
{
	(void)state;
	static const char alphabet[] = "abc XYZ<>&\"'\xC3\xA9/=\n";
	unsigned seed = 12345;
	char s[5000];
	for (int round = 0; round < 400; round++) {
		size_t n = round < 100 ? (size_t)round : (size_t)(seed % 4900);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly plain text, with specials now and then */
			s[i] = (seed >> 16) % 8 ? "abcdefghij klmno"[(seed >> 8) % 16]
						: alphabet[(seed >> 20) % (sizeof alphabet - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		struct buf got = BUF_INIT, want = BUF_INIT;
		buf_puts(&got, "prefix|"); /* escaping appends */
		buf_puts(&want, "prefix|");
		assert_int_equal(escape_html(&got, s, n), ERR_OK);
		ref_escape(&want, s, n);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		assert_int_equal(got.data[got.len], '\0');
		buf_free(&got);
		buf_free(&want);
	}
	/* every length around the 16-byte blocks, plain or with one special
	 * byte at each offset: the last bytes are written as the block that
	 * ends the string only when that block is plain */
	for (size_t n = 0; n <= 50; n++) {
		for (size_t at = 0; at <= n; at++) {
			for (const char *sp = "&<>\"'"; *sp; sp++) {
				for (size_t i = 0; i < n; i++)
					s[i] = "abcdefghijklmnopqrstuvwxyz"[i % 26];
				if (at < n)
					s[at] = *sp; /* at == n: all plain */
				struct buf got = BUF_INIT, want = BUF_INIT;
				buf_puts(&got, "p|");
				buf_puts(&want, "p|");
				assert_int_equal(escape_html(&got, s, n), ERR_OK);
				ref_escape(&want, s, n);
				assert_int_equal(got.len, want.len);
				assert_memory_equal(got.data, want.data, want.len);
				buf_free(&got);
				buf_free(&want);
				if (at == n)
					break;
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escaped_unless_raw),
		cmocka_unit_test(test_xss_payloads_escaped),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_error_edge_cases),
		cmocka_unit_test(test_recursion_limit),
		cmocka_unit_test(test_empty_string_falsey),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_key_matching),
		cmocka_unit_test(test_layout_inheritance),
		cmocka_unit_test(test_threads_identical_output),
		cmocka_unit_test(test_json_script_matches_jansson),
		cmocka_unit_test(test_jsonw_matches_json_script),
		cmocka_unit_test(test_escape_html_matches_reference),
	};
	return cmocka_run_group_tests_name("mustache", tests, NULL, NULL);
}
