/* test_comment.c - unit tests for src/comment/ (form token, spam features,
 * the classifier learning from a labelled corpus, moderation through the
 * store) and render/markdown's comment subset, on a real SQLite store in a
 * mkdtemp folder.
 *
 * The corpus is tests/data/comments-corpus.tsv: LABEL NAME EMAIL WEBSITE
 * BODY per line (tab-separated; "\n" in BODY is a paragraph break), written
 * for these tests. A fixed quarter of it is held out and judged by a model
 * learned from the rest through moderation decisions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/secret.h"
#include "comment/comment.h"
#include "comment/spam.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/time.h"
#include "render/markdown.h"
#include "store/store.h"
#include "tmpdir.h"

struct fx {
	char dir[64];
	struct store *st;
	struct arena a;
	int64_t post, post2;
};

static int64_t add_post(struct store *st, const char *slug)
{
	struct post_input in = {0};
	in.type = POST_ARTICLE;
	in.status = POST_PUBLISHED;
	in.slug = slug;
	in.title = slug;
	in.body_md = "Body.";
	in.body_html = "<p>Body.</p>";
	in.author_id = 1;
	in.comments_open = true;
	in.published_at = clock_now() - 86400;
	int64_t id = 0;
	assert_int_equal(STORE_CALL(st, post_save, &in, &id), ERR_OK);
	return id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/gazette-test-comment-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	char path[128], msg[256] = "";
	snprintf(path, sizeof path, "%s/gazette.db", f->dir);
	if (store_open(&f->st, path, msg, sizeof msg) != ERR_OK) {
		fprintf(stderr, "store_open: %s\n", msg);
		test_rm_tree(f->dir);
		free(f);
		return -1;
	}
	arena_init(&f->a, 0);
	struct user u = {.login = "ed", .email = "ed@example.org", .display_name = "Ed",
			 .bio = "", .pwhash = "", .role = ROLE_EDITOR};
	int64_t uid;
	if (STORE_CALL(f->st, user_add, &u, &uid) != ERR_OK)
		return -1;
	f->post = add_post(f->st, "first");
	f->post2 = add_post(f->st, "second");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	arena_free(&f->a);
	test_rm_tree(f->dir);
	free(f);
	return 0;
}

static const unsigned char KEY[SECRET_BYTES] = "0123456789abcdef0123456789abcdef";

/* ------------------------------------------------------------ form token */

static void test_token(void **state)
{
	(void)state;
	char tok[COMMENT_TOKEN_MAX];
	int64_t age;
	comment_token_make(KEY, 42, 1000, tok);
	assert_int_equal(comment_token_check(KEY, tok, 42, 1010, 3600, &age), TOKEN_OK);
	assert_int_equal(age, 10);
	assert_int_equal(comment_token_check(KEY, tok, 42, 1000 + 3601, 3600, &age),
			 TOKEN_EXPIRED);
	assert_int_equal(comment_token_check(KEY, tok, 43, 1010, 3600, &age), TOKEN_FORGED);
	assert_int_equal(comment_token_check(KEY, tok, 42, 900, 3600, &age), TOKEN_FORGED);
	char bad[COMMENT_TOKEN_MAX];
	snprintf(bad, sizeof bad, "%s", tok);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	assert_int_equal(comment_token_check(KEY, bad, 42, 1010, 3600, &age), TOKEN_FORGED);
	/* the time moved: the MAC no longer matches */
	assert_int_equal(comment_token_check(KEY, "42.1001.00", 42, 1010, 3600, &age),
			 TOKEN_FORGED);
	const char *junk[] = {"", ".", "..", "42..", "x.y.z", "42.1000", NULL};
	for (int i = 0; junk[i]; i++)
		assert_int_equal(comment_token_check(KEY, junk[i], 42, 1010, 3600, &age),
				 TOKEN_FORGED);
	assert_int_equal(comment_token_check(KEY, NULL, 42, 1010, 3600, &age), TOKEN_FORGED);
	unsigned char other[SECRET_BYTES] = {1};
	assert_int_equal(comment_token_check(other, tok, 42, 1010, 3600, &age), TOKEN_FORGED);

	/* the thread's last token is reused only for the same key, post and
	 * second: each input changes it */
	char again[COMMENT_TOKEN_MAX], t2[COMMENT_TOKEN_MAX];
	comment_token_make(KEY, 42, 1000, again);
	assert_string_equal(again, tok);
	comment_token_make(other, 42, 1000, t2);
	assert_string_not_equal(t2, tok);
	assert_int_equal(comment_token_check(other, t2, 42, 1010, 3600, &age), TOKEN_OK);
	assert_int_equal(comment_token_check(KEY, t2, 42, 1010, 3600, &age), TOKEN_FORGED);
	comment_token_make(KEY, 43, 1000, t2);
	assert_string_not_equal(t2 + 3, tok + 3); /* same time, other post: other MAC */
	comment_token_make(KEY, 42, 1001, t2);
	assert_string_not_equal(t2, tok);
	comment_token_make(KEY, 42, 1000, again);
	assert_string_equal(again, tok);

	char ref[48];
	comment_held_ref(KEY, 77, ref);
	assert_int_equal(comment_held_id(KEY, ref), 77);
	ref[strlen(ref) - 1] ^= 1;
	assert_int_equal(comment_held_id(KEY, ref), 0);
	assert_int_equal(comment_held_id(KEY, "77-"), 0);
	assert_int_equal(comment_held_id(KEY, NULL), 0);
}

/* ------------------------------------------------------------ markdown */

static void test_markdown_comment(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char *h;
	int links;
	assert_int_equal(markdown_comment(&a, "Hi <script>alert(1)</script> *there*", &h, &links),
			 ERR_OK);
	assert_null(strstr(h, "<script"));
	assert_non_null(strstr(h, "&lt;script&gt;"));
	assert_non_null(strstr(h, "<em>there</em>"));
	assert_int_equal(links, 0);

	markdown_comment(&a, "[a](javascript:alert(1)) [b](https://x.example/?q=1&r=\"2\") "
			     "<mailto:me@example.org> [c](/relative) [d](data:text/html,x)",
			 &h, &links);
	assert_null(strstr(h, "javascript:"));
	assert_null(strstr(h, "data:"));
	assert_null(strstr(h, "href=\"/relative"));
	assert_non_null(strstr(h, "<a href=\"https://x.example/?q=1&amp;r=&quot;2&quot;\" "
				  "rel=\"nofollow ugc\">b</a>"));
	assert_non_null(strstr(h, "href=\"mailto:me@example.org\" rel=\"nofollow ugc\""));
	assert_int_equal(links, 5);

	/* headings become paragraphs (their text survives intact), images links */
	markdown_comment(&a, "# Big heading text\n\n## Second\n\n![alt text](https://img.example/a.png)",
			 &h, &links);
	assert_null(strstr(h, "<h1"));
	assert_null(strstr(h, "<img"));
	assert_non_null(strstr(h, "<p>Big heading text</p>"));
	assert_non_null(strstr(h, "<p>Second</p>"));
	assert_non_null(strstr(h, "<a href=\"https://img.example/a.png\" rel=\"nofollow ugc\">alt "
				  "text</a>"));

	/* a link inside a heading, raw HTML blocks and inline */
	markdown_comment(&a, "# See [x](https://a.example)\n\n<div onclick=\"x\">hi</div>\n\n"
			     "a <b onmouseover=\"y\">b</b>",
			 &h, &links);
	assert_non_null(strstr(h, "<p>See <a href=\"https://a.example\" rel=\"nofollow ugc\">x</a></p>"));
	assert_null(strstr(h, "<div"));
	assert_null(strstr(h, "<b "));
	assert_non_null(strstr(h, "&lt;div onclick=&quot;x&quot;&gt;"));

	/* tables stay text; autolinks count */
	markdown_comment(&a, "| a | b |\n|---|---|\n| 1 | 2 |\n\nsee www.example.org", &h, &links);
	assert_null(strstr(h, "<table"));
	assert_int_equal(links, 1);
	arena_free(&a);
}

/* ------------------------------------------------------------ features */

static bool has(const char **t, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i], want) == 0)
			return true;
	return false;
}

static void test_spam_tokens(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct comment c = {.author_name = "Cheap V1agra Online", .author_email = "x99@pills.test",
			    .author_url = "https://www.pills.test/buy",
			    .body_md = "Buy v1agra at https://www.pills.test/x and http://b.example "
				       "or www.c.example NOW!!! qwrtzp Купить 便宜的药"};
	const char **t;
	size_t n;
	assert_int_equal(spam_tokens(&a, &c, &t, &n), ERR_OK);
	const char *want[] = {"url:pills.test", "urltld:test", "url:b.example", "url:c.example",
			      "links:many", "shape:mixed", "shape:novowel", "buy", "v1agra",
			      "bang:many", "name:cheap", "name:v1agra", "namewords:3",
			      "edom:pills.test", "elocal:digits", "site:pills.test", "Купить",
			      "便宜", "宜的", NULL};
	for (int i = 0; want[i]; i++)
		if (!has(t, n, want[i]))
			fail_msg("missing token %s", want[i]);
	/* no duplicates */
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			assert_string_not_equal(t[i], t[k]);

	struct comment ham = {.author_name = "Maria", .author_email = "maria@example.org",
			      .author_url = "", .body_md = "The ferry was late again."};
	assert_int_equal(spam_tokens(&a, &ham, &t, &n), ERR_OK);
	assert_true(has(t, n, "links:0"));
	assert_true(has(t, n, "site:none"));
	assert_true(has(t, n, "script:latin"));
	assert_true(has(t, n, "ferry"));
	assert_false(has(t, n, "shape:mixed"));
	/* a body ending in a bare scheme (found by fuzz_comment: read past the end) */
	struct comment bare = {.author_name = "x", .author_email = "x@example.org",
			       .author_url = "", .body_md = "see https://"};
	assert_int_equal(spam_tokens(&a, &bare, &t, &n), ERR_OK);
	bare.body_md = "www.";
	assert_int_equal(spam_tokens(&a, &bare, &t, &n), ERR_OK);
	arena_free(&a);
}

/* ------------------------------------------------------------ store + moderation */

static int64_t add_comment(struct fx *f, int64_t post, int64_t parent, const char *name,
			   const char *email, const char *url, const char *body)
{
	struct arena a;
	arena_init(&a, 0);
	char *html = NULL;
	assert_int_equal(markdown_comment(&a, body, &html, NULL), ERR_OK);
	struct comment c = {.post_id = post, .parent_id = parent, .status = COMMENT_PENDING,
			    .author_name = name, .author_email = email, .author_url = url,
			    .author_ip = "192.0.2.7", .author_net = "192.0.2.0/24",
			    .body_md = body, .body_html = html, .spam_score = -1};
	int64_t id = 0;
	enum err rc = STORE_CALL(f->st, comment_add, &c, &id);
	arena_free(&a);
	return rc == ERR_OK ? id : -(int64_t)rc;
}

static void test_store_rules(void **state)
{
	struct fx *f = *state;
	int64_t a = add_comment(f, f->post, 0, "Ann", "ann@example.org", "", "First.");
	assert_true(a > 0);
	/* a reply to a pending comment, to one of another post, on a missing post */
	assert_int_equal(add_comment(f, f->post, a, "Bo", "bo@example.org", "", "Re."),
			 -(int64_t)ERR_CONFLICT);
	assert_int_equal(comment_moderate(f->st, &f->a, a, CA_APPROVE), ERR_OK);
	int64_t b = add_comment(f, f->post, a, "Bo", "bo@example.org", "", "Re.");
	assert_true(b > 0);
	assert_int_equal(add_comment(f, f->post2, a, "Bo", "bo@example.org", "", "Re."),
			 -(int64_t)ERR_CONFLICT);
	assert_int_equal(add_comment(f, 9999, 0, "Bo", "bo@example.org", "", "x"),
			 -(int64_t)ERR_NOTFOUND);

	/* signals: approved by email, by address and net, duplicates */
	struct comment probe = {.post_id = f->post, .author_email = "ANN@example.org",
				.author_ip = "192.0.2.7", .author_net = "192.0.2.0/24",
				.body_md = "First."};
	struct comment_signals sg;
	assert_int_equal(STORE_CALL(f->st, comment_signals, &probe, 0, &sg), ERR_OK);
	assert_int_equal(sg.approved_by_email, 1);
	assert_int_equal(sg.recent_by_ip, 2);
	assert_int_equal(sg.recent_by_net, 2);
	assert_true(sg.duplicate);
	probe.body_md = "Something else.";
	assert_int_equal(STORE_CALL(f->st, comment_signals, &probe, clock_now() + 10, &sg), ERR_OK);
	assert_false(sg.duplicate);
	assert_int_equal(sg.recent_by_ip, 0);

	/* the count on the post follows approval */
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, f->post, &p), ERR_OK);
	assert_int_equal(p.comment_count, 1);
	assert_int_equal(comment_moderate(f->st, &f->a, b, CA_APPROVE), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, f->post, &p), ERR_OK);
	assert_int_equal(p.comment_count, 2);

	/* restore goes back to what it was; delete lifts replies up */
	assert_int_equal(comment_moderate(f->st, &f->a, a, CA_TRASH), ERR_OK);
	assert_int_equal(comment_moderate(f->st, &f->a, a, CA_RESTORE), ERR_OK);
	struct comment got;
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, a, &got), ERR_OK);
	assert_int_equal(got.status, COMMENT_APPROVED);
	assert_int_equal(comment_moderate(f->st, &f->a, a, CA_DELETE), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, b, &got), ERR_OK);
	assert_int_equal(got.parent_id, 0);
	assert_int_equal(comment_moderate(f->st, &f->a, a, CA_APPROVE), ERR_NOTFOUND);

	/* learning follows decisions: spam then approve moves the counts */
	const char *tok[] = {"ferry"};
	struct spam_counts k;
	assert_int_equal(comment_moderate(f->st, &f->a, b, CA_SPAM), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, tok, 0, &k), ERR_OK);
	int64_t ham0 = k.ham_docs, spam0 = k.spam_docs;
	assert_int_equal(spam0, 1);
	assert_int_equal(comment_moderate(f->st, &f->a, b, CA_APPROVE), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, tok, 0, &k), ERR_OK);
	assert_int_equal(k.spam_docs, 0);
	assert_int_equal(k.ham_docs, ham0 + 1);
	/* trash keeps what was learned */
	assert_int_equal(comment_moderate(f->st, &f->a, b, CA_TRASH), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, tok, 0, &k), ERR_OK);
	assert_int_equal(k.ham_docs, ham0 + 1);
}

/* ------------------------------------------------------------ the classifier learns */

struct sample {
	bool spam;
	char *name, *email, *url, *body;
};

static char *unescape_breaks(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] == 'n') {
			*w++ = '\n';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

static size_t load_corpus(struct sample **out)
{
	char path[1024];
	const char *me = __FILE__;
	const char *cut = strstr(me, "unit/test_comment.c");
	FILE *fp = NULL;
	if (cut) {
		snprintf(path, sizeof path, "%.*sdata/comments-corpus.tsv", (int)(cut - me), me);
		fp = fopen(path, "r");
	}
	if (!fp)
		fp = fopen("tests/data/comments-corpus.tsv", "r");
	if (!fp)
		fail_msg("tests/data/comments-corpus.tsv not found");
	size_t n = 0, cap = 0;
	struct sample *v = NULL;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, fp)) > 0) {
		if (line[0] == '#')
			continue;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		char *f[5];
		char *p = line;
		int k = 0;
		for (; k < 5 && p; k++) {
			f[k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (k != 5)
			fail_msg("corpus line %zu: %d fields", n + 1, k);
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = realloc(v, cap * sizeof *v);
			assert_non_null(v);
		}
		v[n].spam = strcmp(f[0], "spam") == 0;
		v[n].name = strdup(f[1]);
		v[n].email = strdup(f[2]);
		v[n].url = strdup(f[3]);
		v[n].body = unescape_breaks(strdup(f[4]));
		n++;
	}
	free(line);
	fclose(fp);
	*out = v;
	return n;
}

/* Learn from the comments `learn` picks through moderation decisions,
 * judge the others; returns the accuracy. */
static double measure(struct fx *f, struct sample *v, size_t n, bool (*learn)(size_t),
		      size_t *trained_out, size_t *ham_out, size_t *ham_as_spam_out)
{
	size_t trained = 0;
	for (size_t i = 0; i < n; i++) {
		if (!learn(i))
			continue;
		int64_t id = add_comment(f, f->post, 0, v[i].name, v[i].email, v[i].url, v[i].body);
		assert_true(id > 0);
		assert_int_equal(comment_moderate(f->st, &f->a, id, v[i].spam ? CA_SPAM : CA_APPROVE),
				 ERR_OK);
		trained++;
	}
	size_t right = 0, total = 0, ham = 0, ham_as_spam = 0, spam = 0, spam_caught = 0;
	for (size_t i = 0; i < n; i++) {
		if (learn(i))
			continue;
		struct arena a;
		arena_init(&a, 0);
		struct comment c = {.author_name = v[i].name, .author_email = v[i].email,
				    .author_url = v[i].url, .body_md = v[i].body};
		enum spam_verdict verdict;
		int pct;
		assert_int_equal(spam_judge(f->st, &a, &c, 5, 90, &verdict, &pct), ERR_OK);
		assert_int_not_equal(verdict, SPAM_UNSURE);
		bool said_spam = verdict == SPAM_SPAM;
		total++;
		right += said_spam == v[i].spam;
		if (v[i].spam) {
			spam++;
			spam_caught += said_spam;
		} else {
			ham++;
			ham_as_spam += said_spam;
		}
		arena_free(&a);
	}
	double acc = (double)right / (double)total;
	printf("classifier: trained on %zu, judged %zu: accuracy %.1f%% (%zu/%zu); spam caught "
	       "%zu/%zu; ham marked spam %zu/%zu\n",
	       trained, total, 100 * acc, right, total, spam_caught, spam, ham_as_spam, ham);
	*trained_out = trained;
	*ham_out = ham;
	*ham_as_spam_out = ham_as_spam;
	return acc;
}

static bool three_quarters(size_t i)
{
	return i % 4 != 0;
}

static bool one_quarter(size_t i)
{
	return i % 4 == 0;
}

static void free_corpus(struct sample *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].email);
		free(v[i].url);
		free(v[i].body);
	}
	free(v);
}

/* Little history: a quarter learned, three quarters judged. */
static void test_classifier_small(void **state)
{
	struct fx *f = *state;
	struct sample *v;
	size_t n = load_corpus(&v), trained, ham, ham_as_spam;
	double acc = measure(f, v, n, one_quarter, &trained, &ham, &ham_as_spam);
	assert_true(acc >= 0.85);
	assert_true(ham_as_spam * 50 <= ham);
	free_corpus(v, n);
}

static void test_classifier_learns(void **state)
{
	struct fx *f = *state;
	struct sample *v;
	size_t n = load_corpus(&v), trained, ham, ham_as_spam;
	assert_true(n >= 400);
	double acc = measure(f, v, n, three_quarters, &trained, &ham, &ham_as_spam);
	/* The stated bar: 90% right, and at most 2% of real comments sent to spam
	 * (a soft-held comment is recoverable; a false spam verdict hides it). */
	assert_true(acc >= 0.90);
	assert_true(ham_as_spam * 50 <= ham);

	/* Relearning from history gives the same model. */
	const char *tok[] = {"v1agra"};
	struct spam_counts before, after;
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, tok, 1, &before), ERR_OK);
	int64_t h = 0, s = 0;
	assert_int_equal(comment_train(f->st, &h, &s), ERR_OK);
	assert_int_equal(h + s, (int64_t)trained);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, tok, 1, &after), ERR_OK);
	assert_int_equal(before.ham_docs, after.ham_docs);
	assert_int_equal(before.spam_docs, after.spam_docs);
	assert_int_equal(before.spam[0], after.spam[0]);
	free_corpus(v, n);
}

int main(void)
{
	log_quiet(1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_markdown_comment),
		cmocka_unit_test(test_spam_tokens),
		cmocka_unit_test_setup_teardown(test_store_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classifier_learns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classifier_small, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
