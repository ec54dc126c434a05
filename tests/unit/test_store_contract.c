/* test_store_contract.c - the store contract suite: what every backend must
 * do, for the ops test_store.c does not cover (comments and the spam model,
 * imports, sessions and sign-in throttling, revisions, media, read
 * snapshots, concurrent writers, scheduled posts on several nodes), plus
 * what only a server backend meets (reconnecting after a restart).
 *
 * It runs against SQLite by default (`make unit`) and against PostgreSQL
 * when GAZETTE_TEST_PG is set (`make unit-pg`), through store_backend.h:
 * the same checks, the same expected values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/time.h"
#include "search/query.h"
#include "store/store.h"
#include "store_backend.h"
#include "tmpdir.h"

#define DAY ((int64_t)86400)

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct arena a;
	int64_t user, post, post2, draft;
};

static int64_t add_post(struct store *st, int64_t author, const char *slug,
			enum post_status status, int64_t published_at, const char *body)
{
	struct post_input in = {
		.type = POST_ARTICLE,
		.status = status,
		.slug = slug,
		.title = slug,
		.body_md = body,
		.body_html = body,
		.author_id = author,
		.comments_open = true,
		.published_at = published_at,
	};
	int64_t id = 0;
	enum err rc = STORE_CALL(st, post_save, &in, &id);
	if (rc != ERR_OK)
		fail_msg("post_save(%s): %s", slug, err_str(rc));
	return id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/gazette-test-contract-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/gazette.db", f->dir);
	char msg[256] = "";
	if (test_store_open(&f->st, f->path, msg, sizeof msg) != ERR_OK) {
		fprintf(stderr, "store_open: %s\n", msg);
		test_rm_tree(f->dir);
		free(f);
		return -1;
	}
	arena_init(&f->a, 0);
	struct user u = {.login = "ed", .email = "Ed@Example.org", .display_name = "Ed",
			 .role = ROLE_EDITOR};
	if (STORE_CALL(f->st, user_add, &u, &f->user) != ERR_OK)
		return -1;
	int64_t now = clock_now();
	f->post = add_post(f->st, f->user, "first", POST_PUBLISHED, now - DAY,
			   "See /media/2026/01/pier-3fa9 for the view.");
	f->post2 = add_post(f->st, f->user, "second", POST_PUBLISHED, now - 2 * DAY, "Two.");
	f->draft = add_post(f->st, f->user, "draft", POST_DRAFT, now - DAY, "Draft.");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	store_close(f->st);
	arena_free(&f->a);
	test_rm_tree(f->dir);
	free(f);
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	log_quiet(getenv("GAZETTE_TEST_LOG") == NULL);
	time_set_zone("UTC");
	return 0;
}

static int64_t add_comment(struct fx *f, int64_t post, int64_t parent, enum comment_status s,
			   const char *email, const char *ip, const char *body)
{
	struct comment c = {.post_id = post,
			    .parent_id = parent,
			    .status = s,
			    .author_name = "Reader",
			    .author_email = email,
			    .author_ip = ip,
			    .author_net = "192.0.2.0/24",
			    .user_agent = "test",
			    .body_md = body,
			    .body_html = body,
			    .note = "",
			    .spam_score = 12};
	int64_t id = 0;
	enum err rc = STORE_CALL(f->st, comment_add, &c, &id);
	if (rc != ERR_OK)
		fail_msg("comment_add: %s", err_str(rc));
	assert_true(id > 0);
	return id;
}

/* The newest change-log row. */
static struct change last_change(struct fx *f)
{
	int64_t last = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &last, NULL), ERR_OK);
	struct change *ch = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, changes_since, &f->a, last - 1, &ch, &n), ERR_OK);
	assert_int_equal(n, 1);
	return ch[0];
}

/* --------------------------------------------------------------- comments */

static void test_comment_add_and_get(void **state)
{
	struct fx *f = *state;
	int64_t a = add_comment(f, f->post, 0, COMMENT_APPROVED, "a@example.org", "192.0.2.1",
				"First!");
	struct change ch = last_change(f);
	assert_string_equal(ch.kind, "comment");
	assert_int_equal(ch.object_id, a);
	char want[64];
	snprintf(want, sizeof want, "post:%lld pub", (long long)f->post);
	assert_string_equal(ch.detail, want);

	struct comment c;
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, a, &c), ERR_OK);
	assert_int_equal(c.id, a);
	assert_int_equal(c.post_id, f->post);
	assert_int_equal(c.parent_id, 0);
	assert_int_equal(c.status, COMMENT_APPROVED);
	assert_int_equal(c.prev_status, COMMENT_PENDING);
	assert_string_equal(c.author_name, "Reader");
	assert_string_equal(c.author_email, "a@example.org");
	assert_string_equal(c.author_url, "");
	assert_string_equal(c.author_ip, "192.0.2.1");
	assert_string_equal(c.author_net, "192.0.2.0/24");
	assert_string_equal(c.user_agent, "test");
	assert_string_equal(c.body_md, "First!");
	assert_string_equal(c.note, "");
	assert_int_equal(c.spam_score, 12);
	assert_true(c.created_at > 0);
	assert_int_equal(c.updated_at, c.created_at);
	assert_string_equal(c.post_title, "first");

	/* a reply to an approved comment of the same post */
	int64_t r = add_comment(f, f->post, a, COMMENT_PENDING, "b@example.org", "192.0.2.2",
				"Reply");
	snprintf(want, sizeof want, "post:%lld", (long long)f->post);
	assert_string_equal(last_change(f).detail, want); /* pending: not public */
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, r, &c), ERR_OK);
	assert_int_equal(c.parent_id, a);

	/* not on a draft or a missing post; not under a pending comment or one
	 * of another post */
	struct comment bad = {.post_id = f->draft, .status = COMMENT_PENDING, .author_name = "x",
			      .author_email = "x@example.org", .body_md = "x", .body_html = "x"};
	int64_t id = -1;
	assert_int_equal(STORE_CALL(f->st, comment_add, &bad, &id), ERR_NOTFOUND);
	bad.post_id = 999999;
	assert_int_equal(STORE_CALL(f->st, comment_add, &bad, &id), ERR_NOTFOUND);
	bad.post_id = f->post;
	bad.parent_id = r;
	assert_int_equal(STORE_CALL(f->st, comment_add, &bad, &id), ERR_CONFLICT);
	bad.post_id = f->post2;
	bad.parent_id = a;
	assert_int_equal(STORE_CALL(f->st, comment_add, &bad, &id), ERR_CONFLICT);
	assert_int_equal(id, -1);
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, 999999, &c), ERR_NOTFOUND);

	/* the post counts its approved comments */
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, f->post, &p), ERR_OK);
	assert_int_equal(p.comment_count, 1);
}

static void test_comment_list_and_thread(void **state)
{
	struct fx *f = *state;
	int64_t c1 = add_comment(f, f->post, 0, COMMENT_APPROVED, "a@example.org", "192.0.2.1",
				 "one");
	int64_t c2 = add_comment(f, f->post, c1, COMMENT_APPROVED, "B@Example.org", "192.0.2.2",
				 "two");
	int64_t c3 = add_comment(f, f->post2, 0, COMMENT_PENDING, "b@example.org", "192.0.2.2",
				 "three");
	int64_t c4 = add_comment(f, f->post, 0, COMMENT_APPROVED, "c@example.org", "192.0.2.3",
				 "four");
	assert_int_equal(STORE_CALL(f->st, comment_set_status, c4, COMMENT_SPAM, NULL, 0), ERR_OK);

	struct comment *cs = NULL;
	size_t n = 0;
	int64_t total = -1;
	struct comment_query q = {0};
	assert_int_equal(STORE_CALL(f->st, comment_list, &f->a, &q, &cs, &n, &total), ERR_OK);
	assert_int_equal(n, 4);
	assert_int_equal(total, 4);
	assert_int_equal(cs[0].id, c4); /* newest first */
	assert_int_equal(cs[3].id, c1);

	q = (struct comment_query){.by_status = true, .status = COMMENT_APPROVED};
	assert_int_equal(STORE_CALL(f->st, comment_list, &f->a, &q, &cs, &n, &total), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(cs[0].id, c2);
	assert_int_equal(cs[1].id, c1);

	q = (struct comment_query){.post_id = f->post2};
	assert_int_equal(STORE_CALL(f->st, comment_list, &f->a, &q, &cs, &n, &total), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cs[0].id, c3);
	assert_string_equal(cs[0].post_title, "second");

	/* email in any case, address exactly */
	q = (struct comment_query){.email = "b@EXAMPLE.org"};
	assert_int_equal(STORE_CALL(f->st, comment_list, &f->a, &q, &cs, &n, &total), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	q = (struct comment_query){.ip = "192.0.2.3"};
	assert_int_equal(STORE_CALL(f->st, comment_list, &f->a, &q, &cs, &n, &total), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cs[0].id, c4);

	/* pages of the listing, with the total of all */
	q = (struct comment_query){.limit = 2, .offset = 1};
	assert_int_equal(STORE_CALL(f->st, comment_list, &f->a, &q, &cs, &n, &total), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 4);
	assert_int_equal(cs[0].id, c3);
	assert_int_equal(cs[1].id, c2);

	/* only on articles public at a time */
	q = (struct comment_query){.public_at = clock_now()};
	assert_int_equal(STORE_CALL(f->st, comment_list, &f->a, &q, &cs, &n, &total), ERR_OK);
	assert_int_equal(total, 4);
	assert_int_equal(STORE_CALL(f->st, post_set_status, f->post2, POST_DRAFT, 0), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, comment_list, &f->a, &q, &cs, &n, &total), ERR_OK);
	assert_int_equal(total, 3);

	/* the thread: approved only, oldest first */
	assert_int_equal(STORE_CALL(f->st, comment_thread, &f->a, f->post, &cs, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(cs[0].id, c1);
	assert_int_equal(cs[1].id, c2);
	assert_int_equal(cs[1].parent_id, c1);
}

static void test_comment_signals(void **state)
{
	struct fx *f = *state;
	int64_t since = clock_now() - 3600;
	add_comment(f, f->post, 0, COMMENT_APPROVED, "a@example.org", "192.0.2.1", "hello");
	add_comment(f, f->post, 0, COMMENT_APPROVED, "A@example.org", "192.0.2.9", "again");
	add_comment(f, f->post2, 0, COMMENT_PENDING, "a@example.org", "192.0.2.1", "pending");

	struct comment probe = {.post_id = f->post, .author_email = "a@EXAMPLE.org",
				.author_ip = "192.0.2.1", .author_net = "192.0.2.0/24",
				.body_md = "hello"};
	struct comment_signals s;
	assert_int_equal(STORE_CALL(f->st, comment_signals, &probe, since, &s), ERR_OK);
	assert_int_equal(s.approved_by_email, 2);
	assert_int_equal(s.recent_by_ip, 2);
	assert_int_equal(s.recent_by_net, 3);
	assert_true(s.duplicate);

	probe.body_md = "something new";
	probe.author_email = "new@example.org";
	probe.author_ip = "198.51.100.7";
	probe.author_net = "";
	assert_int_equal(STORE_CALL(f->st, comment_signals, &probe, since, &s), ERR_OK);
	assert_int_equal(s.approved_by_email, 0);
	assert_int_equal(s.recent_by_ip, 0);
	assert_int_equal(s.recent_by_net, 0);
	assert_false(s.duplicate);
	/* nothing is recent after now */
	probe.author_ip = "192.0.2.1";
	assert_int_equal(STORE_CALL(f->st, comment_signals, &probe, clock_now() + 10, &s), ERR_OK);
	assert_int_equal(s.recent_by_ip, 0);
}

static void test_comment_status_and_spam_model(void **state)
{
	struct fx *f = *state;
	int64_t c = add_comment(f, f->post, 0, COMMENT_PENDING, "a@example.org", "192.0.2.1",
				"buy cheap pills");
	const char *tokens[] = {"buy", "cheap", "pills"};
	assert_int_equal(STORE_CALL(f->st, comment_set_status, c, COMMENT_SPAM, tokens, 3), ERR_OK);
	char want[64];
	snprintf(want, sizeof want, "post:%lld", (long long)f->post);
	assert_string_equal(last_change(f).detail, want);

	struct spam_counts sc;
	const char *ask[] = {"cheap", "unknown"};
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, ask, 2, &sc), ERR_OK);
	assert_int_equal(sc.spam_docs, 1);
	assert_int_equal(sc.ham_docs, 0);
	assert_int_equal(sc.spam[0], 1);
	assert_int_equal(sc.ham[0], 0);
	assert_int_equal(sc.spam[1], 0);

	struct comment got;
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, c, &got), ERR_OK);
	assert_int_equal(got.status, COMMENT_SPAM);
	assert_int_equal(got.prev_status, COMMENT_PENDING);

	/* approving unlearns the spam and learns ham; public now */
	assert_int_equal(STORE_CALL(f->st, comment_set_status, c, COMMENT_APPROVED, tokens, 3),
			 ERR_OK);
	snprintf(want, sizeof want, "post:%lld pub", (long long)f->post);
	assert_string_equal(last_change(f).detail, want);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, ask, 2, &sc), ERR_OK);
	assert_int_equal(sc.spam_docs, 0);
	assert_int_equal(sc.ham_docs, 1);
	assert_int_equal(sc.spam[0], 0);
	assert_int_equal(sc.ham[0], 1);
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, c, &got), ERR_OK);
	assert_int_equal(got.prev_status, COMMENT_SPAM);

	/* trash keeps what was learned; the same status again logs nothing */
	assert_int_equal(STORE_CALL(f->st, comment_set_status, c, COMMENT_TRASH, tokens, 3), ERR_OK);
	int64_t before = 0, after = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &before, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, comment_set_status, c, COMMENT_TRASH, tokens, 3), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, change_last, &after, NULL), ERR_OK);
	assert_int_equal(after, before);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, ask, 2, &sc), ERR_OK);
	assert_int_equal(sc.ham_docs, 1);
	assert_int_equal(STORE_CALL(f->st, comment_set_status, 999999, COMMENT_SPAM, tokens, 3),
			 ERR_NOTFOUND);

	/* forgetting everything */
	assert_int_equal(f->st->ops->spam_clear(f->st), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, ask, 2, &sc), ERR_OK);
	assert_int_equal(sc.ham_docs, 0);
	assert_int_equal(sc.ham[0], 0);
	/* ... and a comment learned before is learned afresh */
	assert_int_equal(STORE_CALL(f->st, comment_set_status, c, COMMENT_APPROVED, tokens, 3),
			 ERR_OK);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, ask, 2, &sc), ERR_OK);
	assert_int_equal(sc.ham_docs, 1);
	assert_int_equal(sc.ham[0], 1);

	/* any bytes of text are a token; an empty one is none; a repeated one
	 * counts each time */
	int64_t d = add_comment(f, f->post, 0, COMMENT_PENDING, "d@example.org", "192.0.2.4",
				"odd");
	const char *odd[] = {"say \"hi\"", "back\\slash", "caf\xC3\xA9", "", "{x,y}", "twice",
			     "twice"};
	assert_int_equal(STORE_CALL(f->st, comment_set_status, d, COMMENT_SPAM, odd, 7), ERR_OK);
	const char *ask2[] = {"say \"hi\"", "back\\slash", "caf\xC3\xA9", "{x,y}", "twice", "",
			      "say"};
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, ask2, 7, &sc), ERR_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(sc.spam[i], 1);
	assert_int_equal(sc.spam[4], 2);
	assert_int_equal(sc.spam[5], 1); /* '' holds the totals */
	assert_int_equal(sc.spam[6], 0);
	assert_int_equal(sc.spam_docs, 1);
	assert_int_equal(sc.ham_docs, 1);
	assert_int_equal(STORE_CALL(f->st, comment_set_status, d, COMMENT_APPROVED, odd, 7), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, ask2, 7, &sc), ERR_OK);
	assert_int_equal(sc.spam[4], 0);
	assert_int_equal(sc.ham[4], 2);
	assert_int_equal(sc.ham[0], 1);
	assert_int_equal(sc.spam_docs, 0);
	assert_int_equal(sc.ham_docs, 2);
	/* no tokens: the totals only */
	assert_int_equal(STORE_CALL(f->st, spam_counts, &f->a, NULL, 0, &sc), ERR_OK);
	assert_int_equal(sc.ham_docs, 2);
}

static void test_comment_delete_moves_replies_up(void **state)
{
	struct fx *f = *state;
	int64_t a = add_comment(f, f->post, 0, COMMENT_APPROVED, "a@example.org", "", "a");
	int64_t b = add_comment(f, f->post, a, COMMENT_APPROVED, "b@example.org", "", "b");
	int64_t c = add_comment(f, f->post, b, COMMENT_APPROVED, "c@example.org", "", "c");
	assert_int_equal(STORE_CALL(f->st, comment_delete, b), ERR_OK);
	struct change ch = last_change(f);
	assert_int_equal(ch.object_id, b);
	char want[64];
	snprintf(want, sizeof want, "post:%lld pub", (long long)f->post);
	assert_string_equal(ch.detail, want);
	struct comment got;
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, b, &got), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, c, &got), ERR_OK);
	assert_int_equal(got.parent_id, a);
	assert_int_equal(STORE_CALL(f->st, comment_delete, b), ERR_NOTFOUND);
	/* deleting the post takes its comments */
	assert_int_equal(STORE_CALL(f->st, post_delete, f->post), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, a, &got), ERR_NOTFOUND);
}

/* ---------------------------------------------------------------- imports */

static void test_import_map_and_comment_put(void **state)
{
	struct fx *f = *state;
	int64_t id = -1;
	assert_int_equal(STORE_CALL(f->st, import_map_get, "https://old.example", "post", "7", &id),
			 ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, import_map_set, "https://old.example", "post", "7",
				    f->post),
			 ERR_OK);
	assert_int_equal(STORE_CALL(f->st, import_map_set, "https://b.example", "post", "7",
				    f->post2),
			 ERR_OK);
	assert_int_equal(STORE_CALL(f->st, import_map_get, "https://old.example", "post", "7", &id),
			 ERR_OK);
	assert_int_equal(id, f->post);
	/* find looks in every source (the first by source) */
	assert_int_equal(STORE_CALL(f->st, import_map_find, "post", "7", &id), ERR_OK);
	assert_int_equal(id, f->post2);
	assert_int_equal(STORE_CALL(f->st, import_map_find, "comment", "7", &id), ERR_NOTFOUND);
	/* set again replaces */
	assert_int_equal(STORE_CALL(f->st, import_map_set, "https://old.example", "post", "7",
				    f->draft),
			 ERR_OK);
	assert_int_equal(STORE_CALL(f->st, import_map_get, "https://old.example", "post", "7", &id),
			 ERR_OK);
	assert_int_equal(id, f->draft);

	/* tags with a given slug */
	int64_t t1 = 0, t2 = -1;
	assert_int_equal(STORE_CALL(f->st, tag_add, "harbour", "Harbour", &t1), ERR_OK);
	assert_true(t1 > 0);
	assert_int_equal(STORE_CALL(f->st, tag_add, "harbour", "Other", &t2), ERR_CONFLICT);
	assert_int_equal(t2, -1);
	struct change ch = last_change(f);
	assert_string_equal(ch.kind, "tag");
	assert_int_equal(ch.object_id, t1);

	/* comments stored as they were, on any post */
	struct comment c = {.post_id = f->draft, .status = COMMENT_APPROVED,
			    .author_name = "Old", .author_email = "old@example.org",
			    .author_ip = "203.0.113.5", .body_md = "from before",
			    .body_html = "<p>from before</p>", .spam_score = -1,
			    .created_at = 1500000000};
	int64_t cid = 0;
	assert_int_equal(STORE_CALL(f->st, comment_put, &c, &cid), ERR_OK);
	assert_true(cid > 0);
	char want[64];
	snprintf(want, sizeof want, "post:%lld", (long long)f->draft); /* not public */
	assert_string_equal(last_change(f).detail, want);
	struct comment got;
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, cid, &got), ERR_OK);
	assert_int_equal(got.status, COMMENT_APPROVED);
	assert_int_equal(got.prev_status, COMMENT_APPROVED);
	assert_int_equal(got.created_at, 1500000000);
	assert_int_equal(got.updated_at, 1500000000);
	assert_string_equal(got.author_ip, "203.0.113.5");

	/* and replaced on a re-run */
	c.id = cid;
	c.post_id = f->post;
	c.body_md = "edited";
	assert_int_equal(STORE_CALL(f->st, comment_put, &c, &cid), ERR_OK);
	assert_int_equal(cid, c.id);
	snprintf(want, sizeof want, "post:%lld pub", (long long)f->post);
	assert_string_equal(last_change(f).detail, want);
	assert_int_equal(STORE_CALL(f->st, comment_get, &f->a, cid, &got), ERR_OK);
	assert_string_equal(got.body_md, "edited");
	assert_int_equal(got.post_id, f->post);
	assert_true(got.updated_at > 1500000000);

	c.id = 999999;
	assert_int_equal(STORE_CALL(f->st, comment_put, &c, &cid), ERR_NOTFOUND);
	c.id = 0;
	c.post_id = 999999;
	assert_int_equal(STORE_CALL(f->st, comment_put, &c, &cid), ERR_NOTFOUND);
}

/* --------------------------------------------------- sessions and sign-in */

static void test_sessions(void **state)
{
	struct fx *f = *state;
	struct user u;
	assert_int_equal(STORE_CALL(f->st, user_by_email, &f->a, "ed@EXAMPLE.ORG", &u), ERR_OK);
	assert_int_equal(u.id, f->user);
	assert_int_equal(STORE_CALL(f->st, user_by_email, &f->a, "nobody@example.org", &u),
			 ERR_NOTFOUND);
	struct user twin = {.login = "ed2", .email = "ed@example.org", .role = ROLE_AUTHOR};
	assert_int_equal(STORE_CALL(f->st, user_add, &twin, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, user_by_email, &f->a, "ed@example.org", &u),
			 ERR_CONFLICT);

	int64_t before = 0, after = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &before, NULL), ERR_OK);
	struct session s = {.token_hash = "aa11", .user_id = f->user, .csrf = "c1",
			    .created_at = 1000, .ip = "192.0.2.1"};
	assert_int_equal(STORE_CALL(f->st, session_add, &s, 0), ERR_OK);
	s = (struct session){.token_hash = "bb22", .user_id = f->user, .csrf = "c2",
			     .created_at = 2000};
	assert_int_equal(STORE_CALL(f->st, session_add, &s, 0), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, session_add, &s, 0), ERR_CONFLICT);

	struct session got;
	assert_int_equal(STORE_CALL(f->st, session_get, &f->a, "aa11", &got), ERR_OK);
	assert_string_equal(got.token_hash, "aa11");
	assert_int_equal(got.user_id, f->user);
	assert_string_equal(got.csrf, "c1");
	assert_int_equal(got.created_at, 1000);
	assert_int_equal(got.seen_at, 1000);
	assert_string_equal(got.ip, "192.0.2.1");
	assert_int_equal(STORE_CALL(f->st, session_touch, "aa11", 1500), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, session_get, &f->a, "aa11", &got), ERR_OK);
	assert_int_equal(got.seen_at, 1500);
	assert_int_equal(STORE_CALL(f->st, session_get, &f->a, "AA11", &got), ERR_NOTFOUND);

	/* adding one drops those created before prune_before */
	s = (struct session){.token_hash = "cc33", .user_id = f->user, .csrf = "c3",
			     .created_at = 3000};
	assert_int_equal(STORE_CALL(f->st, session_add, &s, 1500), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, session_get, &f->a, "aa11", &got), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, session_get, &f->a, "bb22", &got), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, session_delete, "bb22"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, session_get, &f->a, "bb22", &got), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, session_delete_user, f->user), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, session_get, &f->a, "cc33", &got), ERR_NOTFOUND);
	/* not content: no change-log rows */
	assert_int_equal(STORE_CALL(f->st, change_last, &after, NULL), ERR_OK);
	assert_int_equal(after, before);
}

static void test_signin_throttle(void **state)
{
	struct fx *f = *state;
	int64_t n = -1;
	assert_int_equal(STORE_CALL(f->st, signin_failures, "login:ed", 0, &n), ERR_OK);
	assert_int_equal(n, 0);
	for (int64_t at = 100; at <= 500; at += 100)
		assert_int_equal(STORE_CALL(f->st, signin_failed, "login:ed", at, 0), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, signin_failed, "ip:192.0.2.1", 300, 0), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, signin_failures, "login:ed", 0, &n), ERR_OK);
	assert_int_equal(n, 5);
	assert_int_equal(STORE_CALL(f->st, signin_failures, "login:ed", 300, &n), ERR_OK);
	assert_int_equal(n, 3);
	/* a new failure prunes that key's old ones */
	assert_int_equal(STORE_CALL(f->st, signin_failed, "login:ed", 600, 400), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, signin_failures, "login:ed", 0, &n), ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(STORE_CALL(f->st, signin_failures, "ip:192.0.2.1", 0, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(STORE_CALL(f->st, signin_clear, "login:ed"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, signin_failures, "login:ed", 0, &n), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(STORE_CALL(f->st, signin_failures, "ip:192.0.2.1", 0, &n), ERR_OK);
	assert_int_equal(n, 1);
}

/* -------------------------------------------------- revisions, redirects */

static void test_revisions(void **state)
{
	struct fx *f = *state;
	struct user bob = {.login = "bob", .email = "bob@example.org", .display_name = "Bob",
			   .role = ROLE_AUTHOR};
	int64_t bid = 0;
	assert_int_equal(STORE_CALL(f->st, user_add, &bob, &bid), ERR_OK);
	int64_t bobs = add_post(f->st, bid, "bobs", POST_DRAFT, clock_now(), "b");

	int64_t r1 = 0, r2 = 0, r3 = 0;
	struct revision r = {.post_id = f->post, .user_id = f->user, .saved_at = 1000,
			     .title = "v1", .excerpt = "e1", .body_md = "body one"};
	assert_int_equal(STORE_CALL(f->st, revision_add, &r, &r1), ERR_OK);
	struct change ch = last_change(f);
	assert_string_equal(ch.kind, "revision");
	assert_int_equal(ch.object_id, r1);
	r.title = "v2";
	r.body_md = "body two";
	r.saved_at = 2000;
	assert_int_equal(STORE_CALL(f->st, revision_add, &r, &r2), ERR_OK);
	r = (struct revision){.post_id = bobs, .user_id = bid, .title = "b1"};
	assert_int_equal(STORE_CALL(f->st, revision_add, &r, &r3), ERR_OK);
	assert_true(r1 < r2 && r2 < r3);

	struct revision *rs = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, revision_list, &f->a, f->post, &rs, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rs[0].id, r2); /* newest first, bodies left out */
	assert_string_equal(rs[0].title, "v2");
	assert_string_equal(rs[0].body_md, "");
	assert_string_equal(rs[0].user_name, "Ed");
	assert_int_equal(rs[1].saved_at, 1000);

	struct revision got;
	assert_int_equal(STORE_CALL(f->st, revision_get, &f->a, r1, &got), ERR_OK);
	assert_int_equal(got.post_id, f->post);
	assert_int_equal(got.user_id, f->user);
	assert_string_equal(got.title, "v1");
	assert_string_equal(got.excerpt, "e1");
	assert_string_equal(got.body_md, "body one");
	assert_int_equal(STORE_CALL(f->st, revision_get, &f->a, 999999, &got), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, revision_get, &f->a, r3, &got), ERR_OK);
	assert_true(got.saved_at > 0); /* 0 = now */

	assert_int_equal(STORE_CALL(f->st, revision_recent, &f->a, 0, 2, &rs, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rs[0].id, r3);
	assert_int_equal(rs[1].id, r2);
	assert_int_equal(STORE_CALL(f->st, revision_recent, &f->a, bid, 10, &rs, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rs[0].id, r3);

	/* they go with their post */
	assert_int_equal(STORE_CALL(f->st, post_delete, f->post), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, revision_get, &f->a, r1, &got), ERR_NOTFOUND);
}

static void expect_same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* post_by_slug_html: what post_by_slug reads, but for the Markdown source
 * (NULL, not read); any status, by type and slug. */
static void test_post_by_slug_html(void **state)
{
	struct fx *f = *state;
	struct category cat = {.slug = "harbour", .name = "Harbour"};
	int64_t cid = 0;
	assert_int_equal(STORE_CALL(f->st, category_add, &cat, &cid), ERR_OK);
	struct post_input in = {.type = POST_ARTICLE, .status = POST_PUBLISHED, .slug = "pier",
				.title = "The pier", .excerpt = "On the pier.",
				.body_md = "The *pier* at dusk.",
				.body_html = "<p>The <em>pier</em> at dusk.</p>",
				.summary = "The pier at dusk.", .author_id = f->user,
				.category_id = cid, .sticky = true, .comments_open = true,
				.published_at = clock_now() - DAY};
	int64_t id = 0;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, &id), ERR_OK);
	struct post full, show;
	assert_int_equal(STORE_CALL(f->st, post_by_slug, &f->a, POST_ARTICLE, "pier", &full),
			 ERR_OK);
	assert_int_equal(
		STORE_CALL(f->st, post_by_slug_html, &f->a, POST_ARTICLE, "pier", &show), ERR_OK);
	assert_string_equal(full.body_md, "The *pier* at dusk.");
	assert_null(show.body_md);
	assert_string_equal(show.body_html, "<p>The <em>pier</em> at dusk.</p>");
	assert_int_equal(show.id, id);
	assert_int_equal(show.id, full.id);
	assert_int_equal(show.type, full.type);
	assert_int_equal(show.status, full.status);
	assert_int_equal(show.author_id, full.author_id);
	assert_int_equal(show.category_id, full.category_id);
	assert_int_equal(show.parent_id, full.parent_id);
	assert_int_equal(show.sticky, full.sticky);
	assert_int_equal(show.comments_open, full.comments_open);
	assert_int_equal(show.published_at, full.published_at);
	assert_int_equal(show.created_at, full.created_at);
	assert_int_equal(show.updated_at, full.updated_at);
	assert_int_equal(show.comment_count, full.comment_count);
	assert_int_equal(show.featured_media_id, full.featured_media_id);
	const char *pairs[][2] = {
		{show.slug, full.slug},
		{show.title, full.title},
		{show.excerpt, full.excerpt},
		{show.summary, full.summary},
		{show.body_html, full.body_html},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		expect_same_str(pairs[i][0], pairs[i][1]);
	/* the names are the page's to fill (from its snapshot) */
	assert_string_equal(full.category_name, "Harbour");
	assert_non_null(full.author_login);
	assert_null(show.author_login);
	assert_null(show.author_name);
	assert_null(show.category_slug);
	assert_null(show.category_name);
	assert_null(show.category_path);
	/* any status, like post_by_slug; by type */
	assert_int_equal(STORE_CALL(f->st, post_by_slug_html, &f->a, POST_ARTICLE, "draft", &show),
			 ERR_OK);
	assert_int_equal(show.id, f->draft);
	assert_int_equal(show.status, POST_DRAFT);
	assert_null(show.body_md);
	assert_string_equal(show.body_html, "Draft.");
	assert_int_equal(STORE_CALL(f->st, post_by_slug_html, &f->a, POST_PAGE, "pier", &show),
			 ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, post_by_slug_html, &f->a, POST_ARTICLE, "none", &show),
			 ERR_NOTFOUND);
}

static void test_redirect_move(void **state)
{
	struct fx *f = *state;
	struct redirect back = {.from_path = "/c/", .to_path = "/a/", .status = 302};
	assert_int_equal(STORE_CALL(f->st, redirect_set, &back), ERR_OK);
	/* /a/ moves to /b/, then /b/ to /c/: old paths lead to the newest */
	assert_int_equal(STORE_CALL(f->st, redirect_move, "/a/", "/b/"), ERR_OK);
	struct change ch = last_change(f);
	assert_string_equal(ch.kind, "redirect");
	assert_string_equal(ch.detail, "/a/");
	assert_int_equal(STORE_CALL(f->st, redirect_move, "/b/", "/c/"), ERR_OK);
	struct redirect *rs = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, redirect_list, &f->a, &rs, &n), ERR_OK);
	assert_int_equal(n, 2); /* /c/ -> /a/ is gone: /c/ is a live path again */
	assert_string_equal(rs[0].from_path, "/a/");
	assert_string_equal(rs[0].to_path, "/c/");
	assert_int_equal(rs[0].status, 301);
	assert_string_equal(rs[1].from_path, "/b/");
	assert_string_equal(rs[1].to_path, "/c/");
}

/* A save's revision and redirect are written in the save's transaction:
 * with it, and not at all when the save fails. */
static void test_post_save_keeps_history(void **state)
{
	struct fx *f = *state;
	int64_t id = add_post(f->st, f->user, "harbour-news", POST_PUBLISHED, 1000, "old text");
	add_post(f->st, f->user, "taken", POST_PUBLISHED, 1000, "x");
	struct post_input in = {
		.id = id, .type = POST_ARTICLE, .status = POST_PUBLISHED, .slug = "harbour-update",
		.title = "Harbour update", .body_md = "new text", .body_html = "<p>new text</p>",
		.author_id = f->user, .comments_open = true, .published_at = 1000,
		.revision_user = f->user, .revision_at = 5000,
		.moved_from = "/1970/01/harbour-news/", .moved_to = "/1970/01/harbour-update/",
	};
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	struct revision *rs = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, revision_list, &f->a, id, &rs, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rs[0].saved_at, 5000);
	assert_int_equal(rs[0].user_id, f->user);
	struct revision got;
	assert_int_equal(STORE_CALL(f->st, revision_get, &f->a, rs[0].id, &got), ERR_OK);
	assert_string_equal(got.title, "Harbour update"); /* the text as saved */
	assert_string_equal(got.body_md, "new text");
	struct redirect rd;
	assert_int_equal(STORE_CALL(f->st, redirect_get, &f->a, "/1970/01/harbour-news/", &rd),
			 ERR_OK);
	assert_string_equal(rd.to_path, "/1970/01/harbour-update/");
	assert_int_equal(rd.status, 301);

	/* a save that fails (the slug is taken) leaves no revision, no redirect */
	in.slug = "taken";
	in.revision_at = 6000;
	in.moved_from = "/1970/01/harbour-update/";
	in.moved_to = "/1970/01/taken/";
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_CONFLICT);
	assert_int_equal(STORE_CALL(f->st, revision_list, &f->a, id, &rs, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(STORE_CALL(f->st, redirect_get, &f->a, "/1970/01/harbour-update/", &rd),
			 ERR_NOTFOUND);
	/* and none when not asked for */
	in.slug = "harbour-update";
	in.revision_at = 0;
	in.moved_from = in.moved_to = NULL;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, revision_list, &f->a, id, &rs, &n), ERR_OK);
	assert_int_equal(n, 1);
}

/* ------------------------------------------------------- merging terms */

static void test_category_merge(void **state)
{
	struct fx *f = *state;
	int64_t ids[4];
	const char *slugs[] = {"news", "local", "sport", "football"};
	const int64_t parent[] = {-1, 0, -1, 2}; /* local under news, football under sport */
	for (int i = 0; i < 4; i++) {
		struct category c = {.parent_id = parent[i] < 0 ? 0 : ids[parent[i]],
				     .slug = slugs[i], .name = slugs[i]};
		assert_int_equal(STORE_CALL(f->st, category_add, &c, &ids[i]), ERR_OK);
	}
	struct post_input in = {.id = f->post, .status = POST_PUBLISHED, .author_id = f->user,
				.category_id = ids[2], .comments_open = true,
				.published_at = clock_now() - DAY};
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	/* not into itself or its own subtree */
	assert_int_equal(STORE_CALL(f->st, category_merge, ids[2], ids[2]), ERR_INVALID);
	assert_int_equal(STORE_CALL(f->st, category_merge, ids[2], ids[3]), ERR_INVALID);
	assert_int_equal(STORE_CALL(f->st, category_merge, 999999, ids[0]), ERR_NOTFOUND);
	/* sport into news: its post and football move there */
	assert_int_equal(STORE_CALL(f->st, category_merge, ids[2], ids[0]), ERR_OK);
	struct change ch = last_change(f);
	assert_string_equal(ch.kind, "category");
	assert_int_equal(ch.object_id, ids[2]);
	assert_string_equal(ch.detail, "merged");
	struct category c;
	assert_int_equal(STORE_CALL(f->st, category_get, &f->a, ids[2], &c), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, category_get, &f->a, ids[3], &c), ERR_OK);
	assert_string_equal(c.path, "news/football");
	assert_int_equal(c.parent_id, ids[0]);
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, f->post, &p), ERR_OK);
	assert_int_equal(p.category_id, ids[0]);
	assert_string_equal(p.category_path, "news");
	struct category *cs = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, category_list, &f->a, clock_now(), &cs, &n), ERR_OK);
	assert_int_equal(n, 3);
	assert_string_equal(cs[0].path, "news");
	assert_int_equal(cs[0].post_count, 1);
	assert_string_equal(cs[1].path, "news/football");
	assert_string_equal(cs[2].path, "news/local");
}

static void test_tag_merge(void **state)
{
	struct fx *f = *state;
	const char *both[] = {"Harbour", "Port"};
	const char *one[] = {"Port"};
	struct post_input in = {.id = f->post, .status = POST_PUBLISHED, .author_id = f->user,
				.comments_open = true, .published_at = clock_now() - DAY,
				.tags = both, .ntags = 2};
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	in.id = f->post2;
	in.tags = one;
	in.ntags = 1;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	struct tag harbour, port;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "harbour", &harbour), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "port", &port), ERR_OK);
	assert_int_equal(port.post_count, 2);
	assert_int_equal(STORE_CALL(f->st, tag_merge, port.id, port.id), ERR_INVALID);
	assert_int_equal(STORE_CALL(f->st, tag_merge, 999999, harbour.id), ERR_NOTFOUND);

	int64_t start = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &start, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, tag_merge, port.id, harbour.id), ERR_OK);
	struct change *ch = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, changes_since, &f->a, start, &ch, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ch[0].object_id, port.id);
	assert_string_equal(ch[0].detail, "merged");
	assert_int_equal(ch[1].object_id, harbour.id);

	struct tag t;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "port", &t), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "harbour", &t), ERR_OK);
	assert_int_equal(t.post_count, 2);
	struct tag *ts = NULL;
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, f->post, &ts, &n), ERR_OK);
	assert_int_equal(n, 1); /* it had both: one link left */
	assert_int_equal(ts[0].id, harbour.id);
}

/* A post's tags come by name, whatever order they were given in. */
static void test_post_tags_by_name(void **state)
{
	struct fx *f = *state;
	const char *given[] = {"zeta", "mu", "alpha", "beta two", "beta"};
	struct post_input in = {.id = f->post, .status = POST_PUBLISHED, .author_id = f->user,
				.comments_open = true, .published_at = clock_now() - DAY,
				.tags = given, .ntags = 5};
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	struct tag *ts = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, f->post, &ts, &n), ERR_OK);
	assert_int_equal(n, 5);
	const char *want[] = {"alpha", "beta", "beta two", "mu", "zeta"};
	for (size_t i = 0; i < n; i++)
		assert_string_equal(ts[i].name, want[i]);
}

static void test_change_last(void **state)
{
	struct fx *f = *state;
	int64_t id = -1, at = -1, last_id = -1;
	assert_int_equal(STORE_CALL(f->st, change_last, &id, &at), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, change_last, &last_id, NULL), ERR_OK);
	assert_true(at > 0); /* setup's writes */
	assert_true(id > 0);
	assert_int_equal(id, last_id);
	clock_set_offset(1000);
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "Later"), ERR_OK);
	int64_t later = 0, later_id = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &later_id, &later), ERR_OK);
	clock_set_offset(0);
	assert_true(later >= at + 1000);
	assert_true(later <= clock_now() + 1000);
	assert_true(later_id > id);
	/* either half alone */
	int64_t only = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &only, NULL), ERR_OK);
	assert_int_equal(only, later_id);
	assert_int_equal(STORE_CALL(f->st, change_last, NULL, &only), ERR_OK);
	assert_int_equal(only, later);
}

/* ----------------------------------------------------------------- search */

/* A published article with a title and a body (Markdown). */
static int64_t add_article(struct fx *f, const char *slug, const char *title, const char *body,
			   int64_t author, int64_t category, const char *const *tags,
			   size_t ntags, int64_t published_at)
{
	struct post_input in = {.type = POST_ARTICLE, .status = POST_PUBLISHED, .slug = slug,
				.title = title, .body_md = body, .body_html = body,
				.author_id = author, .category_id = category, .comments_open = true,
				.published_at = published_at, .tags = tags, .ntags = ntags};
	int64_t id = 0;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, &id), ERR_OK);
	return id;
}

/* Search as the site does (search_parse), with optional filters in base. */
static struct search_hit *find(struct fx *f, const char *text, struct search_request base,
			       size_t *n, int64_t *total)
{
	struct search_query sq;
	assert_int_equal(search_parse(&f->a, text, &sq), ERR_OK);
	assert_non_null(sq.match);
	base.match = sq.match;
	base.now = clock_now();
	if (!base.limit)
		base.limit = 10;
	struct search_hit *hits = NULL;
	enum err rc = STORE_CALL(f->st, search, &f->a, &base, &hits, n, total);
	if (rc != ERR_OK)
		fail_msg("search(%s): %s", text, err_str(rc));
	return hits;
}

static bool has(const struct search_hit *h, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].post.id == id)
			return true;
	return false;
}

struct search_site {
	int64_t tram, budget, history, lighthouse, keeper, hidden, ann, news, tagged;
};

static void search_site(struct fx *f, struct search_site *s)
{
	int64_t now = clock_now();
	struct user ann = {.login = "ann", .email = "ann@example.org", .display_name = "Ann Reporter",
			   .role = ROLE_AUTHOR};
	assert_int_equal(STORE_CALL(f->st, user_add, &ann, &s->ann), ERR_OK);
	struct category news = {.slug = "transport", .name = "Transport"};
	assert_int_equal(STORE_CALL(f->st, category_add, &news, &s->news), ERR_OK);
	const char *tags[] = {"Waterfront"};
	s->tram = add_article(f, "tram", "Harbour tram works begin",
			      "Crews started laying **track** along the harbour for the new tram line.",
			      s->ann, s->news, tags, 1, now - 3 * DAY);
	s->budget = add_article(f, "budget", "Council passes the budget",
				"The budget sets aside money for the harbour walls.", f->user, 0, NULL,
				0, now - 2 * DAY);
	s->history = add_article(f, "history", "A short history of trams",
				 "Horse trams first ran here in 1881.", f->user, 0, NULL, 0,
				 now - DAY);
	s->lighthouse = add_article(f, "lighthouse", "The lighthouse reopens",
				    "Visitors may climb the tower again from Saturday.", f->user, 0,
				    NULL, 0, now - 4 * DAY);
	s->keeper = add_article(f, "keeper", "The last keeper remembers",
				"Forty years of storms, ships and the old lighthouse, and the long "
				"nights of watching the sea from the top of the cliff, remembered by "
				"the man who kept the light burning through all of them.",
				f->user, 0, NULL, 0, now - 5 * DAY);
	s->hidden = add_post(f->st, f->user, "hidden", POST_DRAFT, now - DAY,
			     "Harbour tram secrets.");
}

static void test_search(void **state)
{
	struct fx *f = *state;
	struct search_site s;
	search_site(f, &s);
	size_t n = 0;
	int64_t total = 0;

	/* articles with every word first; drafts never */
	struct search_hit *h = find(f, "harbour tram", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 3);
	assert_int_equal(n, 3);
	assert_int_equal(h[0].post.id, s.tram);
	assert_int_equal(h[0].matched, 2);
	assert_int_equal(h[1].matched, 1);
	assert_true(h[0].score > h[1].score);
	assert_true(has(h, n, s.budget) && has(h, n, s.history)); /* "trams" is "tram" stemmed */
	assert_false(has(h, n, s.hidden));
	assert_string_equal(h[0].post.slug, "tram");
	assert_string_equal(h[0].post.author_login, "ann");
	assert_string_equal(h[0].post.category_path, "transport");
	assert_non_null(strchr(h[0].snippet, '\x01'));
	assert_non_null(strchr(h[0].snippet, '\x02'));
	assert_null(strchr(h[0].snippet, '*')); /* plain text, not Markdown */

	/* the title weighs most */
	h = find(f, "lighthouse", (struct search_request){0}, &n, &total);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].post.id, s.lighthouse);
	assert_int_equal(h[1].post.id, s.keeper);

	/* excluded words, phrases, prefixes */
	h = find(f, "harbour -budget", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	assert_int_equal(h[0].post.id, s.tram);
	h = find(f, "\"tram works\"", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	assert_int_equal(h[0].post.id, s.tram);
	h = find(f, "\"works tram\"", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 0);
	h = find(f, "harb*", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 2);
	h = find(f, "zeppelin", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 0);
	assert_int_equal(n, 0);

	/* tag, category and author names are searchable */
	h = find(f, "waterfront", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	h = find(f, "transport", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	h = find(f, "reporter", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	assert_int_equal(h[0].post.id, s.tram);

	/* filters and pages */
	h = find(f, "harbour tram", (struct search_request){.author_id = f->user}, &n, &total);
	assert_int_equal(total, 2);
	h = find(f, "harbour tram", (struct search_request){.category_id = s.news}, &n, &total);
	assert_int_equal(total, 1);
	struct tag t;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "waterfront", &t), ERR_OK);
	h = find(f, "harbour tram", (struct search_request){.tag_id = t.id}, &n, &total);
	assert_int_equal(total, 1);
	int64_t now = clock_now();
	h = find(f, "harbour tram", (struct search_request){.from = now - 2 * DAY - 60, .to = now},
		 &n, &total);
	assert_int_equal(total, 2); /* budget and history */
	assert_false(has(h, n, s.tram));
	h = find(f, "harbour tram", (struct search_request){.limit = 1, .offset = 1}, &n, &total);
	assert_int_equal(n, 1);
	assert_int_equal(total, 3);
	assert_int_not_equal(h[0].post.id, s.tram);
}

static void test_search_follows_writes(void **state)
{
	struct fx *f = *state;
	struct search_site s;
	search_site(f, &s);
	size_t n = 0;
	int64_t total = 0;
	/* out when it stops being public, in again when it is */
	assert_int_equal(STORE_CALL(f->st, post_set_status, s.tram, POST_DRAFT, 0), ERR_OK);
	find(f, "waterfront", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 0);
	assert_int_equal(STORE_CALL(f->st, post_set_status, s.tram, POST_PUBLISHED, 0), ERR_OK);
	find(f, "waterfront", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	/* renamed tag, category, author */
	struct tag t;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "waterfront", &t), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, tag_update, t.id, "Quayside", "quayside"), ERR_OK);
	find(f, "waterfront", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 0);
	find(f, "quayside", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	struct category c = {.id = s.news, .slug = "transport", .name = "Mobility"};
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_OK);
	find(f, "mobility", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	struct user u = {.id = s.ann, .login = "ann", .email = "ann@example.org",
			 .display_name = "Ann Columnist", .role = ROLE_AUTHOR};
	assert_int_equal(STORE_CALL(f->st, user_update, &u), ERR_OK);
	find(f, "columnist", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	find(f, "reporter", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 0);
	/* a merged tag, a deleted category, a deleted post */
	int64_t other = 0;
	assert_int_equal(STORE_CALL(f->st, tag_add, "docks", "Docks", &other), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, tag_merge, t.id, other), ERR_OK);
	find(f, "docks", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	assert_int_equal(STORE_CALL(f->st, category_delete, s.news), ERR_OK);
	find(f, "mobility", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 0);
	assert_int_equal(STORE_CALL(f->st, post_delete, s.tram), ERR_OK);
	find(f, "harbour tram", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 2);
	/* a scheduled article is found once due */
	int64_t later = add_post(f->st, f->user, "zeppelin", POST_SCHEDULED, clock_now() + DAY,
				 "The zeppelin lands.");
	find(f, "zeppelin", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 0);
	clock_set_offset(2 * DAY);
	find(f, "zeppelin", (struct search_request){0}, &n, &total);
	clock_set_offset(0);
	assert_int_equal(total, 1);
	(void)later;
}

/* related reads the stored list once: the public articles best first, and
 * (when asked) every stored id, public or not, exactly as related_ids. */
static void test_related_with_ids(void **state)
{
	struct fx *f = *state;
	int64_t now = clock_now();
	int64_t a = add_article(f, "airships", "Airships over the harbour",
				"Zeppelins, airships and hangars by the harbour.", f->user, 0, NULL,
				0, now - 3 * DAY);
	int64_t b = add_article(f, "zeppelins", "Zeppelins and hangars",
				"Hangars for zeppelins and airships.", f->user, 0, NULL, 0,
				now - 2 * DAY);
	int64_t c = add_article(f, "hangars", "Hangars of the harbour",
				"Airships in hangars; zeppelins at the harbour.", f->user, 0, NULL, 0,
				now - DAY);
	int64_t *want = NULL;
	size_t nwant = 0;
	assert_int_equal(STORE_CALL(f->st, related_ids, &f->a, a, &want, &nwant), ERR_OK);
	assert_int_equal(nwant, 2);
	assert_true((want[0] == b && want[1] == c) || (want[0] == c && want[1] == b));

	/* all public: the posts are the ids, in the same order */
	struct post *ps = NULL;
	size_t n = 0;
	int64_t *ids = NULL;
	size_t nids = 0;
	assert_int_equal(STORE_CALL(f->st, related, &f->a, a, now, 8, &ps, &n, &ids, &nids), ERR_OK);
	assert_int_equal(nids, nwant);
	assert_memory_equal(ids, want, nwant * sizeof *ids);
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ps[i].id, want[i]);
		assert_string_equal(ps[i].title, want[i] == b ? "Zeppelins and hangars"
							       : "Hangars of the harbour");
		assert_int_equal(ps[i].status, POST_PUBLISHED);
		/* a card: what a related list shows, no lookups */
		assert_int_equal(ps[i].type, POST_ARTICLE);
		assert_string_equal(ps[i].slug, want[i] == b ? "zeppelins" : "hangars");
		assert_true(ps[i].published_at == now - (want[i] == b ? 2 : 1) * DAY);
		assert_int_equal(ps[i].author_id, 0);
		assert_null(ps[i].author_name);
		assert_null(ps[i].category_path);
		assert_int_equal(ps[i].comment_count, 0);
		assert_string_equal(ps[i].body_html, "");
	}

	/* at most max posts, the best first; the ids are all still given */
	assert_int_equal(STORE_CALL(f->st, related, &f->a, a, now, 1, &ps, &n, &ids, &nids), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ps[0].id, want[0]);
	assert_int_equal(nids, nwant);
	assert_memory_equal(ids, want, nwant * sizeof *ids);
	assert_int_equal(STORE_CALL(f->st, related, &f->a, a, now, 0, &ps, &n, NULL, NULL), ERR_OK);
	assert_int_equal(n, 0);

	/* before c was published: c is not shown, but its id is still given */
	assert_int_equal(STORE_CALL(f->st, related, &f->a, a, now - DAY - 60, 8, &ps, &n, &ids,
				    &nids),
			 ERR_OK);
	assert_int_equal(nids, nwant);
	assert_memory_equal(ids, want, nwant * sizeof *ids);
	assert_int_equal(n, 1);
	assert_int_equal(ps[0].id, b);

	/* the ids not wanted: the same posts */
	assert_int_equal(STORE_CALL(f->st, related, &f->a, a, now - DAY - 60, 8, &ps, &n, NULL, NULL),
			 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ps[0].id, b);

	/* an article nothing relates to: nothing either way */
	int64_t lone = add_article(f, "lone", "Quince", "Marmalade.", f->user, 0, NULL, 0,
				   now - DAY);
	assert_int_equal(STORE_CALL(f->st, related, &f->a, lone, now, 8, &ps, &n, &ids, &nids),
			 ERR_OK);
	assert_int_equal(STORE_CALL(f->st, related_ids, &f->a, lone, &want, &nwant), ERR_OK);
	assert_int_equal(nwant, 0);
	assert_int_equal(nids, 0);
	assert_int_equal(n, 0);
}

static void test_spell_words(void **state)
{
	struct fx *f = *state;
	struct search_site s;
	search_site(f, &s);
	struct spell_word *w = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, spell_words, &f->a, "harbour", &w, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(w[0].word, "harbour");
	assert_int_equal(w[0].docs, 2); /* tram, budget: not the draft */
	/* as written, not stemmed */
	assert_int_equal(STORE_CALL(f->st, spell_words, &f->a, "trams", &w, &n), ERR_OK);
	assert_int_equal(n, 1);
	/* near words: the same first letter, about the same length */
	assert_int_equal(STORE_CALL(f->st, spell_words, &f->a, "harbur", &w, &n), ERR_OK);
	bool seen = false;
	for (size_t i = 0; i < n; i++) {
		assert_true(w[i].word[0] == 'h');
		seen |= strcmp(w[i].word, "harbour") == 0;
	}
	assert_true(seen);
	/* follows writes */
	assert_int_equal(STORE_CALL(f->st, post_delete, s.budget), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, spell_words, &f->a, "harbour", &w, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].docs, 1);
	assert_int_equal(STORE_CALL(f->st, post_set_status, s.tram, POST_DRAFT, 0), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, spell_words, &f->a, "harbour", &w, &n), ERR_OK);
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(w[i].word, "harbour");
	assert_int_equal(STORE_CALL(f->st, spell_words, &f->a, "", &w, &n), ERR_OK);
	assert_int_equal(n, 0);
}

/* A search inside a page's snapshot leaves the snapshot usable, also when
 * the search is refused. */
static void test_search_in_snapshot(void **state)
{
	struct fx *f = *state;
	struct search_site s;
	search_site(f, &s);
	assert_int_equal(f->st->ops->read_begin(f->st), ERR_OK);
	size_t n = 0;
	int64_t total = 0;
	find(f, "harbour tram", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 3);
	struct search_request bad = {.match = "\"unterminated", .now = clock_now(), .limit = 10};
	struct search_hit *h = NULL;
	assert_int_equal(STORE_CALL(f->st, search, &f->a, &bad, &h, &n, &total), ERR_INVALID);
	/* one the database itself refuses (not UTF-8): either answer, but the
	 * snapshot goes on */
	bad.match = "\"\xff\xfe\"";
	enum err rc = STORE_CALL(f->st, search, &f->a, &bad, &h, &n, &total);
	assert_true(rc == ERR_OK || rc == ERR_INVALID);
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, s.tram, &p), ERR_OK);
	find(f, "lighthouse", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 2);
	f->st->ops->read_end(f->st);
	/* nothing to search: no rows, no error */
	struct search_request none = {.match = NULL, .now = clock_now()};
	assert_int_equal(STORE_CALL(f->st, search, &f->a, &none, &h, &n, &total), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
}

static int64_t progress_calls;

static void count_progress(int64_t done, int64_t total)
{
	assert_true(done <= total);
	progress_calls++;
}

static void test_reindex_and_language(void **state)
{
	struct fx *f = *state;
	struct search_site s;
	search_site(f, &s);
	int64_t start = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &start, NULL), ERR_OK);
	progress_calls = 0;
	assert_int_equal(STORE_CALL(f->st, reindex, count_progress), ERR_OK);
	assert_true(progress_calls >= 1);
	struct change ch = last_change(f);
	assert_string_equal(ch.kind, "search");
	assert_string_equal(ch.detail, "reindex");
	size_t n = 0;
	int64_t total = 0;
	find(f, "harbour tram", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 3);

	/* French: "trams" and "tram" still meet; the index was rebuilt */
	assert_int_equal(STORE_CALL(f->st, search_language, "fr-CA", NULL), ERR_OK);
	find(f, "harbour", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 2);
	find(f, "trams", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 2);
	int64_t before = 0, after = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &before, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, search_language, "fr", NULL), ERR_OK); /* unchanged */
	assert_int_equal(STORE_CALL(f->st, change_last, &after, NULL), ERR_OK);
	assert_int_equal(after, before);
	/* a language without a stemmer indexes words as they are */
	assert_int_equal(STORE_CALL(f->st, search_language, "xx", NULL), ERR_OK);
	find(f, "trams", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 1);
	assert_int_equal(STORE_CALL(f->st, search_language, "en", NULL), ERR_OK);
	find(f, "trams", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 2);
}

/* ------------------------------------------------------------------ media */

static void test_media(void **state)
{
	struct fx *f = *state;
	struct media_variant v[] = {
		{.width = 480, .height = 320, .bytes = 9000, .path = "2026/01/pier-3fa9-480.jpg",
		 .mime = "image/jpeg"},
		{.width = 960, .height = 640, .bytes = 30000,
		 .path = "2026/01/pier-3fa9-960.webp", .mime = "image/webp"},
	};
	struct media m = {.path = "2026/01/pier-3fa9.jpg", .orig_name = "Harbour.JPG",
			  .mime = "image/jpeg", .alt = "The harbour", .width = 2000, .height = 1333,
			  .bytes = 400000, .uploaded_at = 1700000000, .user_id = f->user,
			  .variants = v, .nvariants = 2};
	int64_t m1 = 0, m2 = 0;
	assert_int_equal(STORE_CALL(f->st, media_add, &m, &m1), ERR_OK);
	struct change ch = last_change(f);
	assert_string_equal(ch.kind, "media");
	assert_int_equal(ch.object_id, m1);
	assert_string_equal(ch.detail, "add");
	struct media m2in = {.path = "2026/02/map.png", .mime = "image/png", .width = 10,
			     .height = 10, .bytes = 100, .uploaded_at = 1700000100};
	assert_int_equal(STORE_CALL(f->st, media_add, &m2in, &m2), ERR_OK);
	/* same path again: refused, nothing half-added */
	int64_t m3 = -1;
	assert_int_equal(STORE_CALL(f->st, media_add, &m, &m3), ERR_CONFLICT);

	struct media got;
	assert_int_equal(STORE_CALL(f->st, media_get, &f->a, m1, &got), ERR_OK);
	assert_int_equal(got.id, m1);
	assert_string_equal(got.path, "2026/01/pier-3fa9.jpg");
	assert_string_equal(got.orig_name, "Harbour.JPG");
	assert_string_equal(got.mime, "image/jpeg");
	assert_string_equal(got.alt, "The harbour");
	assert_int_equal(got.width, 2000);
	assert_int_equal(got.height, 1333);
	assert_int_equal(got.bytes, 400000);
	assert_int_equal(got.uploaded_at, 1700000000);
	assert_int_equal(got.user_id, f->user);
	assert_string_equal(got.user_name, "Ed");
	assert_int_equal(got.nvariants, 2);
	assert_int_equal(got.variants[0].width, 480);
	assert_string_equal(got.variants[1].path, "2026/01/pier-3fa9-960.webp");
	assert_string_equal(got.variants[1].mime, "image/webp");
	assert_int_equal(STORE_CALL(f->st, media_get, &f->a, 999999, &got), ERR_NOTFOUND);

	struct media *ms = NULL;
	size_t n = 0;
	int64_t total = -1;
	assert_int_equal(STORE_CALL(f->st, media_list, &f->a, 0, 0, &ms, &n, &total), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	assert_int_equal(ms[0].id, m2); /* newest first */
	assert_int_equal(ms[0].nvariants, 0);
	assert_string_equal(ms[0].user_name, "");
	assert_int_equal(ms[1].nvariants, 2);
	assert_int_equal(STORE_CALL(f->st, media_list, &f->a, 1, 1, &ms, &n, &total), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ms[0].id, m1);
	assert_int_equal(total, 2);

	const char *mime = NULL;
	assert_int_equal(STORE_CALL(f->st, media_file, &f->a, "2026/01/pier-3fa9-960.webp",
				    &mime),
			 ERR_OK);
	assert_string_equal(mime, "image/webp");
	assert_int_equal(STORE_CALL(f->st, media_file, &f->a, "2026/02/map.png", &mime), ERR_OK);
	assert_string_equal(mime, "image/png");
	assert_int_equal(STORE_CALL(f->st, media_file, &f->a, "2026/02/other.png", &mime),
			 ERR_NOTFOUND);

	assert_int_equal(STORE_CALL(f->st, media_set_alt, m2, "A map"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, media_get, &f->a, m2, &got), ERR_OK);
	assert_string_equal(got.alt, "A map");
	assert_int_equal(STORE_CALL(f->st, media_set_alt, 999999, "x"), ERR_NOTFOUND);

	/* where it is used: as a featured image, or in a body */
	struct post_input in = {.id = f->post2, .status = POST_PUBLISHED, .author_id = f->user,
				.comments_open = true, .published_at = clock_now() - DAY,
				.featured_media_id = m1};
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	struct post *ps = NULL;
	assert_int_equal(STORE_CALL(f->st, media_usage, &f->a, m1, "/media/2026/01/pier-3fa9",
				    &ps, &n),
			 ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ps[0].id, f->post);
	assert_int_equal(ps[1].id, f->post2);
	assert_int_equal(ps[1].featured_media_id, m1);
	assert_int_equal(STORE_CALL(f->st, media_usage, &f->a, m2, "/media/2026/02/map", &ps, &n),
			 ERR_OK);
	assert_int_equal(n, 0);

	assert_int_equal(STORE_CALL(f->st, media_delete, m1), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, media_get, &f->a, m1, &got), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, media_file, &f->a, "2026/01/pier-3fa9-480.jpg", &mime),
			 ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, media_delete, m1), ERR_NOTFOUND);
}

/* ------------------------------------------------- snapshots, concurrency */

static void test_read_snapshot(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	char msg[256] = "";
	assert_int_equal(test_store_reopen(&other, f->path, msg, sizeof msg), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "Before"), ERR_OK);

	const char *v = NULL;
	assert_int_equal(f->st->ops->read_begin(f->st), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "Before");
	/* another writer commits while this thread reads one page */
	assert_int_equal(STORE_CALL(other, setting_set, "title", "After"), ERR_OK);
	assert_int_equal(f->st->ops->read_begin(f->st), ERR_OK); /* nests */
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "Before");
	f->st->ops->read_end(f->st);
	struct post *ps = NULL;
	size_t n = 0;
	int64_t total = 0;
	struct post_query q = {.type = POST_ARTICLE};
	assert_int_equal(STORE_CALL(f->st, post_list, &f->a, &q, &ps, &n, &total), ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "Before");
	f->st->ops->read_end(f->st);
	/* after the page, the new value */
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "After");
	store_close(other);
}

enum { WRITERS = 4, WRITES = 25 };

struct writer {
	struct store *st;
	int n;
	enum err rc;
};

static void *write_settings(void *arg)
{
	struct writer *w = arg;
	w->rc = ERR_OK;
	for (int i = 0; i < WRITES && w->rc == ERR_OK; i++) {
		char k[32];
		snprintf(k, sizeof k, "w%d-%d", w->n, i);
		w->rc = STORE_CALL(w->st, setting_set, k, "v");
	}
	return NULL;
}

/* Writers on several threads of one store and on a second handle: every
 * write lands, and the change log lists each once, ids increasing. */
static void test_concurrent_writers(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	char msg[256] = "";
	assert_int_equal(test_store_reopen(&other, f->path, msg, sizeof msg), ERR_OK);
	int64_t start = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &start, NULL), ERR_OK);
	pthread_t th[WRITERS];
	struct writer w[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){.st = i % 2 ? other : f->st, .n = i};
		assert_int_equal(pthread_create(&th[i], NULL, write_settings, &w[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].rc, ERR_OK);
	}
	struct change *ch = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, changes_since, &f->a, start, &ch, &n), ERR_OK);
	assert_int_equal(n, WRITERS * WRITES);
	for (size_t i = 1; i < n; i++)
		assert_true(ch[i].id > ch[i - 1].id);
	const char **keys, **vals;
	assert_int_equal(STORE_CALL(f->st, setting_list, &f->a, &keys, &vals, &n), ERR_OK);
	assert_int_equal(n, WRITERS * WRITES);
	store_close(other);
}

struct publisher {
	struct store *st;
	size_t n;
	enum err rc;
};

static void *publish(void *arg)
{
	struct publisher *p = arg;
	p->rc = STORE_CALL(p->st, post_publish_due, clock_now(), &p->n);
	return NULL;
}

/* Two nodes publishing scheduled posts at once publish each exactly once. */
static void test_publish_due_once_across_nodes(void **state)
{
	struct fx *f = *state;
	int64_t now = clock_now();
	enum { DUE = 12 };
	for (int i = 0; i < DUE; i++) {
		char slug[32];
		snprintf(slug, sizeof slug, "due-%d", i);
		add_post(f->st, f->user, slug, POST_SCHEDULED, now - 10 - i, "due");
	}
	add_post(f->st, f->user, "later", POST_SCHEDULED, now + DAY, "later");
	int64_t start = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &start, NULL), ERR_OK);
	struct store *other = NULL;
	char msg[256] = "";
	assert_int_equal(test_store_reopen(&other, f->path, msg, sizeof msg), ERR_OK);
	pthread_t th[2];
	struct publisher p[2] = {{.st = f->st}, {.st = other}};
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, publish, &p[i]), 0);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(p[i].rc, ERR_OK);
	}
	assert_int_equal(p[0].n + p[1].n, DUE);
	struct change *ch = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, changes_since, &f->a, start, &ch, &n), ERR_OK);
	assert_int_equal(n, DUE);
	struct post_query q = {.type = POST_ARTICLE, .by_status = true, .status = POST_SCHEDULED};
	struct post *ps = NULL;
	int64_t total = 0;
	assert_int_equal(STORE_CALL(f->st, post_list, &f->a, &q, &ps, &n, &total), ERR_OK);
	assert_int_equal(total, 1);
	assert_string_equal(ps[0].slug, "later");
	store_close(other);
}

/* --------------------------------------------------------- backend choice */

static void test_store_open_refuses_incomplete_pg(void **state)
{
	(void)state;
	struct store *st = NULL;
	char msg[256] = "";
	enum err rc = store_open(&st, "postgresql://gazette@127.0.0.1:1/gazette", msg, sizeof msg);
	if (pg_store_complete) {
		/* then it is offered; this port has no server */
		assert_int_not_equal(rc, ERR_OK);
		return;
	}
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(msg, "PostgreSQL"));
}

/* -------------------------------------------------- server backends only */

/* The server restarts under a running store: the next calls reconnect
 * (reads and writes alike), and the change watcher follows. */
static void test_reconnect_after_restart(void **state)
{
	struct fx *f = *state;
	const char *dir = getenv("PGTMP_DIR");
	if (!test_pg_url() || !dir || !*dir)
		skip();
	/* two nodes, each with a pooled connection to lose */
	struct store *other = NULL;
	char msg[256] = "";
	assert_int_equal(test_store_reopen(&other, f->path, msg, sizeof msg), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "Before"), ERR_OK);
	bool yes;
	assert_int_equal(STORE_CALL(other, changed, &yes), ERR_OK);
	const char *v;
	assert_int_equal(STORE_CALL(other, setting_get, &f->a, "title", &v), ERR_OK);

	const char *sh = getenv("PGTMP_SH"); /* set by pgtmp.sh run */
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' restart '%s'", sh && *sh ? sh : "tests/pg/pgtmp.sh", dir);
	assert_int_equal(system(cmd), 0);

	/* a write first: its transaction begins on a reset connection */
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "After"), ERR_OK);
	/* a read on the other node: the statement runs again after the reset */
	assert_int_equal(STORE_CALL(other, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "After");
	/* the other node's watcher reconnects and sees the write */
	assert_int_equal(STORE_CALL(other, changed, &yes), ERR_OK);
	assert_true(yes);
	assert_int_equal(STORE_CALL(other, changed, &yes), ERR_OK);
	assert_false(yes);
	struct post_query q = {.type = POST_ARTICLE};
	struct post *ps = NULL;
	size_t n = 0;
	int64_t total = 0;
	assert_int_equal(STORE_CALL(other, post_list, &f->a, &q, &ps, &n, &total), ERR_OK);
	assert_int_equal(total, 3);
	assert_int_equal(f->st->ops->read_begin(f->st), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "After");
	f->st->ops->read_end(f->st);
	store_close(other);
}

/* Upgrading a PostgreSQL database: one from before the search index gets
 * migrations 2-5, its index built and its related articles computed on
 * open; a newer one is refused. */
static void test_pg_migrations(void **state)
{
	struct fx *f = *state;
	const char *url = test_pg_url();
	if (!url)
		skip();
	int64_t old = add_article(f, "old", "An old article about zeppelins",
				  "Airships, zeppelins and hangars.", f->user, 0, NULL, 0,
				  clock_now() - DAY);
	int64_t older = add_article(f, "older", "Zeppelins over the harbour",
				    "Hangars for airships and zeppelins.", f->user, 0, NULL, 0,
				    clock_now() - 2 * DAY);
	store_close(f->st);
	f->st = NULL;
	/* back to version 1, as a site made before search would be */
	assert_true(test_pg_exec(url, "DROP TABLE posts_search, spell_words, search_config; "
				      "DROP AGGREGATE gz_or(tsquery); "
				      "DROP TABLE related, related_docs, related_postings, related_df; "
				      "DROP TABLE menu_items; "
				      "DROP INDEX posts_sticky, posts_author_status, "
				      "posts_category_status; "
				      "UPDATE gazette_schema SET version = 1"));
	char msg[256] = "";
	assert_int_equal(test_store_reopen(&f->st, f->path, msg, sizeof msg), ERR_OK);
	int v = 0;
	assert_int_equal(STORE_CALL(f->st, schema_version, &v), ERR_OK);
	assert_int_equal(v, pg_schema_latest());
	size_t n = 0;
	int64_t total = 0;
	find(f, "zeppelins", (struct search_request){0}, &n, &total);
	assert_int_equal(total, 2);
	int64_t *ids = NULL;
	assert_int_equal(STORE_CALL(f->st, related_ids, &f->a, old, &ids, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], older);
	store_close(f->st);
	f->st = NULL;

	assert_true(test_pg_exec(url, "UPDATE gazette_schema SET version = 99"));
	assert_int_equal(test_store_reopen(&f->st, f->path, msg, sizeof msg), ERR_INVALID);
	assert_non_null(strstr(msg, "newer"));
	f->st = NULL;
	char sql[64];
	snprintf(sql, sizeof sql, "UPDATE gazette_schema SET version = %d", pg_schema_latest());
	assert_true(test_pg_exec(url, sql));
	assert_int_equal(test_store_reopen(&f->st, f->path, msg, sizeof msg), ERR_OK);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_comment_add_and_get),
		T(test_comment_list_and_thread),
		T(test_comment_signals),
		T(test_comment_status_and_spam_model),
		T(test_comment_delete_moves_replies_up),
		T(test_import_map_and_comment_put),
		T(test_sessions),
		T(test_signin_throttle),
		T(test_revisions),
		T(test_post_by_slug_html),
		T(test_redirect_move),
		T(test_post_save_keeps_history),
		T(test_media),
		T(test_search),
		T(test_search_follows_writes),
		T(test_related_with_ids),
		T(test_spell_words),
		T(test_reindex_and_language),
		T(test_search_in_snapshot),
		T(test_category_merge),
		T(test_tag_merge),
		T(test_post_tags_by_name),
		T(test_change_last),
		T(test_read_snapshot),
		T(test_concurrent_writers),
		T(test_publish_due_once_across_nodes),
		cmocka_unit_test(test_store_open_refuses_incomplete_pg),
		T(test_reconnect_after_restart),
		T(test_pg_migrations),
	};
	return cmocka_run_group_tests_name(test_pg_url() ? "store contract (PostgreSQL)"
							 : "store contract (SQLite)",
					   tests, group_setup, NULL);
}
