/* test_copy.c - unit tests for copying a whole site between stores
 * (store/copy.h, store_copy): the SQL text made from the table list; the
 * list against the schema of the backend under test (a column or table a
 * migration adds must be copied, or named here as derived); a round trip
 * source -> new SQLite file -> fresh store (a second SQLite file, or with
 * GAZETTE_TEST_PG the emptied PostgreSQL database: `make unit-pg`) keeping
 * ids, rows, search and sequences; a target holding rows refused; a count
 * mismatch rolled back.
 *
 * The source is the backend under test (store_backend.h), in a mkdtemp
 * folder removed afterwards with the SQLite targets in it. */
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

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/time.h"
#include "store/copy.h"
#include "store/store.h"
#include "store_backend.h"
#include "tmpdir.h"

struct fx {
	char dir[64];
	char path[128]; /* the source, when SQLite */
	struct store *st;
	struct arena a;
	int64_t user, post, reply;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/gazette-test-copy-XXXXXX");
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

static int group_setup(void **state)
{
	(void)state;
	log_quiet(1);
	time_set_zone("UTC");
	return 0;
}

/* A new SQLite store in the fixture's folder. */
static struct store *open_file(struct fx *f, const char *name)
{
	char path[256], msg[256] = "";
	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	struct store *st = NULL;
	if (store_open(&st, path, msg, sizeof msg) != ERR_OK)
		fail_msg("store_open %s: %s", path, msg);
	return st;
}

static int64_t count(struct store *st, enum copy_table t)
{
	int64_t n = -1;
	assert_int_equal(STORE_CALL(st, copy_count, t, &n), ERR_OK);
	return n;
}

/* Some of everything: a user with a session, a category tree, tagged
 * articles (one sticky, comments closed), a page, a threaded comment and
 * a spam one, a medium, a redirect, a menu, settings, an import record. */
static void fill(struct fx *f)
{
	struct store *st = f->st;
	struct user u = {.login = "ann", .email = "ann@example.org", .display_name = "Ann",
			 .pwhash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
			 .role = ROLE_EDITOR, .created_at = 1700000000};
	assert_int_equal(STORE_CALL(st, user_add, &u, &f->user), ERR_OK);
	struct session s = {.token_hash = "ab12", .user_id = f->user, .csrf = "cs",
			    .created_at = 1700000000, .seen_at = 1700000100, .ip = "192.0.2.1"};
	assert_int_equal(STORE_CALL(st, session_add, &s, 0), ERR_OK);
	struct category news = {.slug = "news", .name = "News"};
	int64_t cn = 0, cc = 0;
	assert_int_equal(STORE_CALL(st, category_add, &news, &cn), ERR_OK);
	struct category city = {.parent_id = cn, .slug = "city", .name = "City Hall"};
	assert_int_equal(STORE_CALL(st, category_add, &city, &cc), ERR_OK);
	static const char *const tags[] = {"Harbour", "Trams"};
	const char *titles[] = {"Harbour trams return", "Tram depot on the harbour",
				"Budget vote at city hall"};
	for (int i = 0; i < 3; i++) {
		struct post_input in = {
			.type = POST_ARTICLE, .status = POST_PUBLISHED, .title = titles[i],
			.body_md = "The harbour *trams* and the depot. Café naïve 東京.",
			.body_html = "<p>The harbour <em>trams</em> and the depot.</p>",
			.author_id = f->user, .category_id = i ? cc : cn, .sticky = i == 1,
			.comments_open = i != 2, .published_at = 1700000000 + i * 3600,
			.tags = tags, .ntags = (size_t)(2 - i % 2)};
		char slug[32];
		snprintf(slug, sizeof slug, "post-%d", i);
		in.slug = slug;
		int64_t id = 0;
		assert_int_equal(STORE_CALL(st, post_save, &in, &id), ERR_OK);
		if (i == 0)
			f->post = id;
	}
	struct post_input page = {.type = POST_PAGE, .status = POST_PUBLISHED, .slug = "about",
				  .title = "About", .body_md = "Us.", .author_id = f->user,
				  .published_at = 1700000000};
	int64_t pid = 0;
	assert_int_equal(STORE_CALL(st, post_save, &page, &pid), ERR_OK);
	struct revision r = {.post_id = f->post, .user_id = f->user, .saved_at = 1700000500,
			     .title = "Old title", .body_md = "old"};
	int64_t rid = 0;
	assert_int_equal(STORE_CALL(st, revision_add, &r, &rid), ERR_OK);
	struct comment c = {.post_id = f->post, .status = COMMENT_APPROVED,
			    .author_name = "Bo", .author_email = "bo@example.org",
			    .author_ip = "192.0.2.9", .body_md = "Yes", .body_html = "<p>Yes</p>",
			    .spam_score = 3, .created_at = 1700001000, .updated_at = 1700001000};
	int64_t top = 0;
	assert_int_equal(STORE_CALL(st, comment_put, &c, &top), ERR_OK);
	c.parent_id = top;
	c.body_md = "Reply";
	c.created_at = c.updated_at = 1700001100;
	assert_int_equal(STORE_CALL(st, comment_put, &c, &f->reply), ERR_OK);
	c.parent_id = 0;
	c.body_md = "Buy now";
	assert_int_equal(STORE_CALL(st, comment_put, &c, &top), ERR_OK);
	static const char *const tok[] = {"buy", "now"};
	assert_int_equal(STORE_CALL(st, comment_set_status, top, COMMENT_SPAM, tok, 2), ERR_OK);
	struct media_variant v = {.width = 480, .height = 320, .bytes = 900,
				  .path = "2026/01/pier-480.jpg", .mime = "image/jpeg"};
	struct media m = {.path = "2026/01/pier.jpg", .mime = "image/jpeg", .alt = "Pier",
			  .width = 2000, .height = 1333, .bytes = 40000,
			  .uploaded_at = 1700000000, .user_id = f->user, .variants = &v,
			  .nvariants = 1};
	int64_t mid = 0;
	assert_int_equal(STORE_CALL(st, media_add, &m, &mid), ERR_OK);
	struct redirect rd = {.from_path = "/2023/11/old/", .to_path = "/2023/11/post-0/",
			      .status = 301};
	assert_int_equal(STORE_CALL(st, redirect_set, &rd), ERR_OK);
	struct menu_item items[] = {
		{.id = 1, .kind = MENU_CATEGORY, .target_id = cn},
		{.id = 2, .parent_id = 1, .position = 1, .kind = MENU_URL, .label = "Trams",
		 .url = "/tag/trams/"}};
	assert_int_equal(STORE_CALL(st, menu_set, items, 2), ERR_OK);
	assert_int_equal(STORE_CALL(st, setting_set, "title", "Harbour Gazette"), ERR_OK);
	assert_int_equal(STORE_CALL(st, import_map_set, "https://old.example", "post", "17",
				    f->post),
			 ERR_OK);
}

/* What a store holds that the copy must keep, as text. */
static char *describe(struct store *st, struct arena *a, int64_t post, int64_t reply)
{
	struct buf b = BUF_INIT;
	struct post p;
	assert_int_equal(STORE_CALL(st, post_get, a, post, &p), ERR_OK);
	buf_printf(&b, "%s|%s|%s|%s|%d|%d|%lld|%lld|%lld\n", p.title, p.slug, p.body_md,
		   p.body_html, p.sticky, p.comments_open, (long long)p.published_at,
		   (long long)p.category_id, (long long)p.comment_count);
	struct tag *tags = NULL;
	size_t nt = 0;
	assert_int_equal(STORE_CALL(st, post_tags, a, post, &tags, &nt), ERR_OK);
	for (size_t i = 0; i < nt; i++)
		buf_printf(&b, "tag %lld %s\n", (long long)tags[i].id, tags[i].name);
	struct comment c;
	assert_int_equal(STORE_CALL(st, comment_get, a, reply, &c), ERR_OK);
	buf_printf(&b, "comment %lld %lld %d %d\n", (long long)c.id, (long long)c.parent_id,
		   (int)c.status, c.spam_score);
	int64_t *rel = NULL;
	size_t nr = 0;
	assert_int_equal(STORE_CALL(st, related_ids, a, post, &rel, &nr), ERR_OK);
	for (size_t i = 0; i < nr; i++)
		buf_printf(&b, "related %lld\n", (long long)rel[i]);
	static const char *const tok[] = {"buy", "now", "yes"};
	struct spam_counts sc;
	assert_int_equal(STORE_CALL(st, spam_counts, a, tok, 3, &sc), ERR_OK);
	buf_printf(&b, "spam %lld %lld %lld\n", (long long)sc.spam_docs, (long long)sc.spam[0],
		   (long long)sc.ham[2]);
	struct session s;
	assert_int_equal(STORE_CALL(st, session_get, a, "ab12", &s), ERR_OK);
	buf_printf(&b, "session %lld %s\n", (long long)s.user_id, s.csrf);
	struct user u;
	assert_int_equal(STORE_CALL(st, user_by_login, a, "ann", &u), ERR_OK);
	buf_printf(&b, "user %lld %s\n", (long long)u.id, u.pwhash);
	int64_t last = 0;
	assert_int_equal(STORE_CALL(st, change_last, &last, NULL), ERR_OK);
	buf_printf(&b, "changes %lld\n", (long long)last);
	struct search_request q = {.match = "\"harbour\"", .positive = 1, .now = 1800000000,
				   .limit = 10};
	struct search_hit *h = NULL;
	size_t nh = 0;
	int64_t total = 0;
	assert_int_equal(STORE_CALL(st, search, a, &q, &h, &nh, &total), ERR_OK);
	/* which articles (the backends rank ties differently) */
	buf_printf(&b, "search %lld:", (long long)total);
	for (int64_t id = 1; id <= 8; id++)
		for (size_t i = 0; i < nh; i++)
			if (h[i].post.id == id)
				buf_printf(&b, " %lld", (long long)id);
	for (int t = 0; t < COPY_TABLE__MAX; t++)
		buf_printf(&b, "\n%s %lld", copy_tables[t].name, (long long)count(st, t));
	assert_false(b.oom);
	return b.data;
}

/* ------------------------------------------------------------------ tests */

static void test_sql_text(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_true(copy_select_sql(COPY_TAGS, &b));
	assert_string_equal(b.data, "SELECT id, slug, name FROM tags ORDER BY id");
	buf_reset(&b);
	assert_true(copy_insert_sql(COPY_TAGS, 2, true, &b));
	assert_string_equal(b.data,
			    "INSERT INTO tags(id, slug, name) VALUES ($1, $2, $3), ($4, $5, $6)");
	buf_reset(&b);
	assert_true(copy_insert_sql(COPY_POST_TAGS, 1, false, &b));
	assert_string_equal(b.data, "INSERT INTO post_tags(post_id, tag_id) VALUES (?1, ?2)");
	buf_free(&b);
	for (int t = 0; t < COPY_TABLE__MAX; t++) {
		assert_non_null(copy_tables[t].name);
		assert_true(copy_tables[t].ncols > 0 && copy_tables[t].ncols <= COPY_MAX_COLS);
	}
}

/* Tables each backend keeps that are not copied: derived from the copied
 * ones (the search index), throttling counters, the schema version. */
static bool derived(const char *table)
{
	static const char *const prefixes[] = {"posts_fts", "spell_", "posts_search",
					       "search_config", "signin_failures",
					       "gazette_schema", "sqlite_"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(table, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static void test_list_matches_schema(void **state)
{
	struct fx *f = *state;
	char *rows = test_query(
		f->path, test_pg_url()
				 ? "SELECT table_name, column_name FROM information_schema.columns "
				   "WHERE table_schema = 'public' ORDER BY 1, 2"
				 : "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
				   "WHERE m.type = 'table' ORDER BY 1, 2");
	assert_non_null(rows);
	size_t listed = 0;
	for (char *line = rows, *next; *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		char *col = strchr(line, '|');
		assert_non_null(col);
		*col++ = '\0';
		if (derived(line))
			continue;
		bool found = false;
		for (int t = 0; !found && t < COPY_TABLE__MAX; t++) {
			if (strcmp(copy_tables[t].name, line) != 0)
				continue;
			for (size_t i = 0; i < copy_tables[t].ncols; i++)
				found |= strcmp(copy_tables[t].cols[i].name, col) == 0;
		}
		if (!found)
			fail_msg("%s.%s is neither copied (store/copy_tables.c) nor derived", line,
				 col);
		listed++;
	}
	free(rows);
	/* and every listed column exists: each table reads on this backend */
	size_t cols = 0;
	for (int t = 0; t < COPY_TABLE__MAX; t++) {
		cols += copy_tables[t].ncols;
		count(f->st, (enum copy_table)t);
	}
	assert_int_equal(listed, cols);
}

static enum err no_row(void *ud, const struct copy_value *row)
{
	(void)ud;
	(void)row;
	return ERR_OK;
}

/* source -> B (new SQLite file) -> C (fresh: SQLite, or the emptied
 * PostgreSQL database), all described alike. */
static void test_round_trip(void **state)
{
	struct fx *f = *state;
	fill(f);
	for (int t = 0; t < COPY_TABLE__MAX; t++)
		assert_int_equal(STORE_CALL(f->st, copy_read, (enum copy_table)t, no_row, NULL),
				 ERR_OK);
	char *want = describe(f->st, &f->a, f->post, f->reply);
	struct store *b = open_file(f, "b.db");
	struct copy_result res;
	enum err rc = store_copy(f->st, b, NULL, &res);
	if (rc != ERR_OK)
		fail_msg("store_copy: %s: %s", err_str(rc), res.errmsg);
	assert_true(res.counted);
	for (int t = 0; t < COPY_TABLE__MAX; t++)
		assert_int_equal(res.source[t], res.target[t]);
	assert_true(res.source[COPY_POSTS] == 4 && res.source[COPY_COMMENTS] == 3);
	assert_true(res.source[COPY_RELATED] > 0 && res.source[COPY_SPAM_TOKENS] > 0);
	char *got = describe(b, &f->a, f->post, f->reply);
	assert_string_equal(got, want);
	free(got);

	/* back into a fresh store of the backend under test */
	struct store *c = NULL;
	if (test_pg_url()) {
		store_close(f->st);
		f->st = NULL;
		char msg[256] = "";
		if (test_store_open(&c, f->path, msg, sizeof msg) != ERR_OK)
			fail_msg("reopen: %s", msg);
		f->st = c;
	} else {
		c = open_file(f, "c.db");
	}
	rc = store_copy(b, c, NULL, &res);
	if (rc != ERR_OK)
		fail_msg("store_copy back: %s: %s", err_str(rc), res.errmsg);
	got = describe(c, &f->a, f->post, f->reply);
	assert_string_equal(got, want);
	free(got);
	free(want);

	/* new rows continue after the copied ids, on both */
	struct store *both[] = {b, c};
	for (int i = 0; i < 2; i++) {
		int64_t max_post = count(both[i], COPY_POSTS), last = 0, id = 0, after = 0;
		assert_int_equal(STORE_CALL(both[i], change_last, &last, NULL), ERR_OK);
		struct post_input in = {.type = POST_ARTICLE, .status = POST_DRAFT, .slug = "new",
					.title = "New", .author_id = f->user,
					.published_at = 1700000000};
		assert_int_equal(STORE_CALL(both[i], post_save, &in, &id), ERR_OK);
		assert_int_equal(id, max_post + 1); /* ids 1..4 were copied */
		assert_int_equal(STORE_CALL(both[i], change_last, &after, NULL), ERR_OK);
		assert_true(after > last);
		struct user u = {.login = "new", .email = "n@example.org", .role = ROLE_AUTHOR};
		assert_int_equal(STORE_CALL(both[i], user_add, &u, &id), ERR_OK);
		assert_int_equal(id, f->user + 1);
	}
	store_close(b);
	if (c != f->st)
		store_close(c);
}

static void test_target_not_empty(void **state)
{
	struct fx *f = *state;
	fill(f);
	struct store *t = open_file(f, "t.db");
	assert_int_equal(STORE_CALL(t, setting_set, "title", "Another site"), ERR_OK);
	struct copy_result res;
	assert_int_equal(store_copy(f->st, t, NULL, &res), ERR_CONFLICT);
	assert_non_null(strstr(res.errmsg, "settings"));
	assert_int_equal(count(t, COPY_SETTINGS), 1);
	assert_int_equal(count(t, COPY_POSTS), 0);
	/* and a store cannot be copied into itself */
	assert_int_equal(store_copy(f->st, f->st, NULL, &res), ERR_INVALID);
	store_close(t);
}

/* A target that loses a row: the counts differ, nothing is committed. */
static enum err (*real_put)(struct store *, enum copy_table, const struct copy_value *);
static int puts_seen;

static enum err lossy_put(struct store *st, enum copy_table t, const struct copy_value *row)
{
	if (t == COPY_COMMENTS && puts_seen++ == 1)
		return ERR_OK; /* dropped */
	return real_put(st, t, row);
}

static void test_mismatch_rolls_back(void **state)
{
	struct fx *f = *state;
	fill(f);
	struct store *t = open_file(f, "t.db");
	struct store_ops ops = *t->ops;
	real_put = ops.copy_put;
	ops.copy_put = lossy_put;
	puts_seen = 0;
	struct store lossy = *t;
	lossy.ops = &ops;
	struct copy_result res;
	assert_int_equal(store_copy(f->st, &lossy, NULL, &res), ERR_INVALID);
	assert_non_null(strstr(res.errmsg, "comments"));
	assert_int_equal(res.source[COPY_COMMENTS], 3);
	assert_int_equal(res.target[COPY_COMMENTS], 2);
	for (int k = 0; k < COPY_TABLE__MAX; k++)
		assert_int_equal(count(t, (enum copy_table)k), 0);
	/* rolled back, not half-written: the same target takes a good copy */
	assert_int_equal(store_copy(f->st, t, NULL, &res), ERR_OK);
	assert_int_equal(count(t, COPY_COMMENTS), 3);
	store_close(t);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_text),
		T(test_list_matches_schema),
		T(test_round_trip),
		T(test_target_not_empty),
		T(test_mismatch_rolls_back),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
