/* test_store.c - unit tests for src/store/, through the public ops table
 * (STORE_CALL): on a SQLite database file in a mkdtemp folder, or on
 * PostgreSQL when GAZETTE_TEST_PG is set (store_backend.h; `make unit-pg`),
 * where the tests about SQLite files (backups, old schemas, bad paths) are
 * left out.
 *
 * Each test gets a fresh folder and store (setup/teardown); the folder and
 * everything in it (database, WAL, backups) is removed afterwards. The v1
 * fixture is tests/data/schema-v1.sql, found next to this file's folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/time.h"
#include "store/sqlite_schema.h"
#include "store/store.h"
#include "store_backend.h"
#include "tmpdir.h"

/* A fixed "now" for listings, far from the real clock on purpose. */
#define NOW ((int64_t)1800000000)
#define HOUR ((int64_t)3600)
#define DAY ((int64_t)86400)

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct arena a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/gazette-test-store-XXXXXX");
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
	log_quiet(1);
	time_set_zone("UTC");
	return 0;
}

static int64_t add_user(struct store *st, const char *login, enum user_role role)
{
	struct user u = {.login = login, .email = "someone@example.org", .role = role};
	int64_t id = 0;
	assert_int_equal(STORE_CALL(st, user_add, &u, &id), ERR_OK);
	assert_true(id > 0);
	return id;
}

static int64_t add_cat(struct store *st, const char *slug, int64_t parent)
{
	struct category c = {.parent_id = parent, .slug = slug, .name = slug};
	int64_t id = 0;
	assert_int_equal(STORE_CALL(st, category_add, &c, &id), ERR_OK);
	assert_true(id > 0);
	return id;
}

/* A post with the fields listings care about; everything else default. */
struct spec {
	enum post_type type;
	enum post_status status;
	const char *slug;
	int64_t published_at, author_id, category_id;
	bool sticky;
	const char *const *tags;
	size_t ntags;
};

static int64_t add_post(struct store *st, const struct spec *s)
{
	struct post_input in = {
		.type = s->type,
		.status = s->status,
		.slug = s->slug,
		.title = s->slug,
		.body_md = "Body of the post.",
		.body_html = "<p>Body of the post.</p>",
		.author_id = s->author_id,
		.category_id = s->category_id,
		.sticky = s->sticky,
		.comments_open = true,
		.published_at = s->published_at,
		.tags = s->tags,
		.ntags = s->ntags,
	};
	int64_t id = 0;
	enum err rc = STORE_CALL(st, post_save, &in, &id);
	if (rc != ERR_OK)
		fail_msg("post_save(%s): %s", s->slug, err_str(rc));
	assert_true(id > 0);
	return id;
}

static struct post_query query_all(void)
{
	struct post_query q = {.type = POST_ARTICLE};
	return q;
}

/* Run q and compare the ids in order; total must be `total`. */
static void expect_list(struct fx *f, const struct post_query *q, const int64_t *ids, size_t n,
			int64_t total)
{
	struct post *ps = NULL;
	size_t got = 0;
	int64_t tot = -1;
	assert_int_equal(STORE_CALL(f->st, post_list, &f->a, q, &ps, &got, &tot), ERR_OK);
	if (got != n) {
		char buf[512] = "";
		size_t o = 0;
		for (size_t i = 0; i < got && o < sizeof buf - 32; i++)
			o += (size_t)snprintf(buf + o, sizeof buf - o, " %lld(%s)",
					      (long long)ps[i].id, ps[i].slug);
		fail_msg("post_list: %zu rows, want %zu; got:%s", got, n, buf);
	}
	for (size_t i = 0; i < n; i++)
		if (ps[i].id != ids[i])
			fail_msg("post_list row %zu: id %lld (%s), want %lld", i,
				 (long long)ps[i].id, ps[i].slug, (long long)ids[i]);
	assert_int_equal(tot, total);
}

static void expect_path(struct fx *f, int64_t id, const char *path, int64_t parent)
{
	struct category c;
	assert_int_equal(STORE_CALL(f->st, category_get, &f->a, id, &c), ERR_OK);
	assert_string_equal(c.path, path);
	assert_int_equal(c.parent_id, parent);
}

/* tests/data/ from this file's location (tests/unit/), else from the cwd. */
static char *read_fixture(const char *name)
{
	char path[1024];
	const char *me = __FILE__;
	const char *cut = strstr(me, "unit/test_store.c");
	FILE *fp = NULL;
	if (cut) {
		snprintf(path, sizeof path, "%.*sdata/%s", (int)(cut - me), me, name);
		fp = fopen(path, "rb");
	}
	if (!fp) {
		snprintf(path, sizeof path, "tests/data/%s", name);
		fp = fopen(path, "rb");
	}
	if (!fp)
		fail_msg("fixture %s not found (run from the repository root)", name);
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *t = realloc(text, cap);
			assert_non_null(t);
			text = t;
		}
		memcpy(text + len, chunk, n);
		len += n;
	}
	fclose(fp);
	assert_non_null(text);
	text[len] = '\0';
	return text;
}

/* --------------------------------------------------------------- opening */

static void test_open_creates_schema(void **state)
{
	struct fx *f = *state;
	int v = -1;
	assert_int_equal(STORE_CALL(f->st, schema_version, &v), ERR_OK);
	assert_true(sqlite_nmigrations >= 2);
	const int latest = test_schema_latest((int)sqlite_nmigrations);
	assert_int_equal(v, latest);

	/* opening again migrates nothing and keeps the data */
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "Kept"), ERR_OK);
	store_close(f->st);
	f->st = NULL;
	char msg[256] = "";
	assert_int_equal(test_store_reopen(&f->st, f->path, msg, sizeof msg), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, schema_version, &v), ERR_OK);
	assert_int_equal(v, latest);
	const char *val = NULL;
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &val), ERR_OK);
	assert_string_equal(val, "Kept");

	if (test_pg_url())
		return;
	/* "sqlite:" prefix is accepted */
	struct store *st2 = NULL;
	char url[200];
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	assert_int_equal(store_open(&st2, url, msg, sizeof msg), ERR_OK);
	store_close(st2);
}

static void test_open_errors(void **state)
{
	struct fx *f = *state;
	char msg[256] = "";
	struct store *st = NULL;
	char bad[200];
	snprintf(bad, sizeof bad, "%s/no/such/dir/x.db", f->dir);
	assert_int_not_equal(store_open(&st, bad, msg, sizeof msg), ERR_OK);
	assert_true(strlen(msg) > 0);

	/* a database from a newer gazette is refused, not misread */
	char newer[200];
	snprintf(newer, sizeof newer, "%s/newer.db", f->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(newer, &db), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %zu", sqlite_nmigrations + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	msg[0] = '\0';
	assert_int_equal(store_open(&st, newer, msg, sizeof msg), ERR_INVALID);
	assert_true(strlen(msg) > 0);
}

/* -------------------------------------------------------------- settings */

static void test_settings(void **state)
{
	struct fx *f = *state;
	const char *v = "unset";
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "Daily Bugle"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_set, "tagline", ""), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_set, "base_url", "https://bugle.example"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "Daily Bugle");
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "tagline", &v), ERR_OK);
	assert_string_equal(v, "");
	/* overwrite */
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "Caf\xC3\xA9 News"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "Caf\xC3\xA9 News");

	const char **keys = NULL, **vals = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, setting_list, &f->a, &keys, &vals, &n), ERR_OK);
	assert_int_equal(n, 3);
	assert_string_equal(keys[0], "base_url");
	assert_string_equal(vals[0], "https://bugle.example");
	assert_string_equal(keys[1], "tagline");
	assert_string_equal(vals[1], "");
	assert_string_equal(keys[2], "title");
	assert_string_equal(vals[2], "Caf\xC3\xA9 News");

	/* many settings: the list grows past its first allocation */
	for (int i = 0; i < 40; i++) {
		char k[32];
		snprintf(k, sizeof k, "k%02d", i);
		assert_int_equal(STORE_CALL(f->st, setting_set, k, k), ERR_OK);
	}
	assert_int_equal(STORE_CALL(f->st, setting_list, &f->a, &keys, &vals, &n), ERR_OK);
	assert_int_equal(n, 43);
	assert_string_equal(keys[0], "base_url");
	assert_string_equal(keys[1], "k00");
	assert_string_equal(keys[40], "k39");
	assert_string_equal(keys[41], "tagline");
	assert_string_equal(keys[42], "title");
	assert_string_equal(vals[42], "Caf\xC3\xA9 News");
}

/* ----------------------------------------------------------------- users */

static void test_users(void **state)
{
	struct fx *f = *state;
	struct user u = {.login = "alice",
			 .email = "alice@example.org",
			 .display_name = "Alice A.",
			 .bio = "Editor in chief",
			 .pwhash = "$argon2id$fake",
			 .role = ROLE_ADMIN,
			 .created_at = 1700000000};
	int64_t alice = 0;
	assert_int_equal(STORE_CALL(f->st, user_add, &u, &alice), ERR_OK);
	assert_true(alice > 0);
	int64_t bob = add_user(f->st, "bob", ROLE_AUTHOR);
	assert_true(bob != alice);

	struct user got;
	assert_int_equal(STORE_CALL(f->st, user_get, &f->a, alice, &got), ERR_OK);
	assert_int_equal(got.id, alice);
	assert_string_equal(got.login, "alice");
	assert_string_equal(got.email, "alice@example.org");
	assert_string_equal(got.display_name, "Alice A.");
	assert_string_equal(got.bio, "Editor in chief");
	assert_string_equal(got.pwhash, "$argon2id$fake");
	assert_int_equal(got.role, ROLE_ADMIN);
	assert_int_equal(got.created_at, 1700000000);

	/* defaults: display name = login, empty bio and password */
	assert_int_equal(STORE_CALL(f->st, user_by_login, &f->a, "bob", &got), ERR_OK);
	assert_int_equal(got.id, bob);
	assert_string_equal(got.display_name, "bob");
	assert_string_equal(got.bio, "");
	assert_string_equal(got.pwhash, "");
	assert_int_equal(got.role, ROLE_AUTHOR);
	assert_true(got.created_at > 0);

	assert_int_equal(STORE_CALL(f->st, user_get, &f->a, 9999, &got), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, user_by_login, &f->a, "carol", &got), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, user_by_login, &f->a, "Alice", &got), ERR_NOTFOUND);

	/* duplicate login */
	struct user dup = {.login = "alice", .email = "other@example.org", .role = ROLE_EDITOR};
	int64_t did = -5;
	assert_int_equal(STORE_CALL(f->st, user_add, &dup, &did), ERR_CONFLICT);
	assert_int_equal(did, -5);

	/* list, by login */
	add_user(f->st, "aaron", ROLE_CONTRIBUTOR);
	struct user *us = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, user_list, &f->a, &us, &n), ERR_OK);
	assert_int_equal(n, 3);
	assert_string_equal(us[0].login, "aaron");
	assert_string_equal(us[1].login, "alice");
	assert_string_equal(us[2].login, "bob");
	assert_int_equal(us[0].role, ROLE_CONTRIBUTOR);

	/* update */
	struct user upd = {.id = bob,
			   .login = "bob",
			   .email = "bob@new.example",
			   .display_name = "Robert",
			   .bio = "Sports",
			   .pwhash = "$argon2id$new",
			   .role = ROLE_EDITOR};
	assert_int_equal(STORE_CALL(f->st, user_update, &upd), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, user_get, &f->a, bob, &got), ERR_OK);
	assert_string_equal(got.login, "bob");
	assert_string_equal(got.email, "bob@new.example");
	assert_string_equal(got.display_name, "Robert");
	assert_string_equal(got.bio, "Sports");
	assert_string_equal(got.pwhash, "$argon2id$new");
	assert_int_equal(got.role, ROLE_EDITOR);
	upd.id = 9999;
	assert_int_equal(STORE_CALL(f->st, user_update, &upd), ERR_NOTFOUND);
}

/* ------------------------------------------------------------ categories */

static void test_category_tree(void **state)
{
	struct fx *f = *state;
	int64_t news = add_cat(f->st, "news", 0);
	int64_t hall = add_cat(f->st, "city-hall", news);
	int64_t x = add_cat(f->st, "x", hall);
	int64_t sports = add_cat(f->st, "sports", 0);
	expect_path(f, news, "news", 0);
	expect_path(f, hall, "news/city-hall", news);
	expect_path(f, x, "news/city-hall/x", hall);
	expect_path(f, sports, "sports", 0);

	struct category c;
	assert_int_equal(STORE_CALL(f->st, category_by_path, &f->a, "news/city-hall/x", &c),
			 ERR_OK);
	assert_int_equal(c.id, x);
	assert_string_equal(c.slug, "x");
	assert_string_equal(c.name, "x");
	assert_int_equal(STORE_CALL(f->st, category_by_path, &f->a, "news/city-hall", &c), ERR_OK);
	assert_int_equal(c.id, hall);
	assert_int_equal(STORE_CALL(f->st, category_by_path, &f->a, "city-hall", &c),
			 ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, category_by_path, &f->a, "news/x", &c), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, category_by_slug, &f->a, "city-hall", &c), ERR_OK);
	assert_int_equal(c.id, hall);
	assert_string_equal(c.path, "news/city-hall");
	assert_int_equal(STORE_CALL(f->st, category_by_slug, &f->a, "nope", &c), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, category_get, &f->a, 9999, &c), ERR_NOTFOUND);

	/* duplicate slug anywhere in the tree */
	struct category dup = {.parent_id = sports, .slug = "x", .name = "X again"};
	assert_int_equal(STORE_CALL(f->st, category_add, &dup, NULL), ERR_CONFLICT);
	/* a parent that does not exist */
	struct category orphan = {.parent_id = 9999, .slug = "orphan", .name = "Orphan"};
	assert_int_equal(STORE_CALL(f->st, category_add, &orphan, NULL), ERR_INVALID);
	assert_int_equal(STORE_CALL(f->st, category_by_slug, &f->a, "orphan", &c), ERR_NOTFOUND);
	/* renaming onto a taken slug */
	struct category ren = {.id = sports, .slug = "news", .name = "Sports"};
	assert_int_equal(STORE_CALL(f->st, category_update, &ren), ERR_CONFLICT);
	expect_path(f, sports, "sports", 0);

	/* tree order: every parent before its children */
	struct category *cs = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, category_list, &f->a, NOW, &cs, &n), ERR_OK);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		if (!cs[i].parent_id)
			continue;
		bool parent_before = false;
		for (size_t k = 0; k < i; k++)
			parent_before |= cs[k].id == cs[i].parent_id;
		if (!parent_before)
			fail_msg("category %s listed before its parent", cs[i].path);
	}
	assert_string_equal(cs[0].path, "news");
	assert_string_equal(cs[1].path, "news/city-hall");
	assert_string_equal(cs[2].path, "news/city-hall/x");
	assert_string_equal(cs[3].path, "sports");
}

static void test_category_move_subtree(void **state)
{
	struct fx *f = *state;
	int64_t news = add_cat(f->st, "news", 0);
	int64_t hall = add_cat(f->st, "city-hall", news);
	int64_t x = add_cat(f->st, "x", hall);
	int64_t local = add_cat(f->st, "local", 0);

	struct category c = {.id = hall,
			     .parent_id = local,
			     .slug = "city-hall",
			     .name = "City Hall",
			     .description = "Local government"};
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_OK);
	expect_path(f, hall, "local/city-hall", local);
	expect_path(f, x, "local/city-hall/x", hall);
	expect_path(f, news, "news", 0);
	struct category got;
	assert_int_equal(STORE_CALL(f->st, category_by_path, &f->a, "local/city-hall/x", &got),
			 ERR_OK);
	assert_int_equal(got.id, x);
	assert_int_equal(STORE_CALL(f->st, category_by_path, &f->a, "news/city-hall/x", &got),
			 ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, category_get, &f->a, hall, &got), ERR_OK);
	assert_string_equal(got.name, "City Hall");
	assert_string_equal(got.description, "Local government");

	/* renaming a slug rewrites the descendants too */
	c.slug = "town-hall";
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_OK);
	expect_path(f, x, "local/town-hall/x", hall);

	/* to the top level */
	c.parent_id = 0;
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_OK);
	expect_path(f, hall, "town-hall", 0);
	expect_path(f, x, "town-hall/x", hall);

	/* unknown id */
	c.id = 9999;
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_NOTFOUND);
}

static void test_category_move_under_descendant(void **state)
{
	struct fx *f = *state;
	int64_t news = add_cat(f->st, "news", 0);
	int64_t hall = add_cat(f->st, "city-hall", news);
	int64_t x = add_cat(f->st, "x", hall);
	int64_t last = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &last, NULL), ERR_OK);

	struct category c = {.id = news, .parent_id = x, .slug = "news", .name = "News"};
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_INVALID);
	c.parent_id = hall;
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_INVALID);
	c.parent_id = news; /* itself */
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_INVALID);

	/* nothing changed, not even the name, and no change-log row */
	struct category got;
	assert_int_equal(STORE_CALL(f->st, category_get, &f->a, news, &got), ERR_OK);
	assert_string_equal(got.name, "news");
	expect_path(f, news, "news", 0);
	expect_path(f, hall, "news/city-hall", news);
	expect_path(f, x, "news/city-hall/x", hall);
	int64_t after = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &after, NULL), ERR_OK);
	assert_int_equal(after, last);
	/* and the store still works */
	add_cat(f->st, "after", x);
	struct category *cs;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, category_list, &f->a, NOW, &cs, &n), ERR_OK);
	assert_int_equal(n, 4);
}

static void test_category_delete(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ed", ROLE_EDITOR);
	int64_t news = add_cat(f->st, "news", 0);
	int64_t hall = add_cat(f->st, "city-hall", news);
	int64_t x = add_cat(f->st, "x", hall);
	int64_t y = add_cat(f->st, "y", hall);
	int64_t p1 = add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = "in-hall",
						    .published_at = NOW - DAY, .author_id = uid,
						    .category_id = hall});
	int64_t p2 = add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = "in-x",
						    .published_at = NOW - DAY, .author_id = uid,
						    .category_id = x});
	assert_int_equal(STORE_CALL(f->st, category_delete, hall), ERR_OK);

	struct category c;
	assert_int_equal(STORE_CALL(f->st, category_get, &f->a, hall, &c), ERR_NOTFOUND);
	expect_path(f, x, "news/x", news);
	expect_path(f, y, "news/y", news);
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, p1, &p), ERR_OK);
	assert_int_equal(p.category_id, news);
	assert_string_equal(p.category_path, "news");
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, p2, &p), ERR_OK);
	assert_int_equal(p.category_id, x);
	assert_string_equal(p.category_path, "news/x");

	/* a top-level category: children become top-level, posts uncategorised */
	assert_int_equal(STORE_CALL(f->st, category_delete, news), ERR_OK);
	expect_path(f, x, "x", 0);
	expect_path(f, y, "y", 0);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, p1, &p), ERR_OK);
	assert_int_equal(p.category_id, 0);
	assert_null(p.category_path);

	assert_int_equal(STORE_CALL(f->st, category_delete, 9999), ERR_NOTFOUND);
}

static void test_category_post_count(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ed", ROLE_EDITOR);
	int64_t news = add_cat(f->st, "news", 0);
	int64_t sub = add_cat(f->st, "sub", news);
	add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = "a",
				       .published_at = NOW - DAY, .author_id = uid,
				       .category_id = news});
	add_post(f->st, &(struct spec){.status = POST_DRAFT, .slug = "b",
				       .published_at = NOW - DAY, .author_id = uid,
				       .category_id = news});
	add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = "c",
				       .published_at = NOW - DAY, .author_id = uid,
				       .category_id = sub});
	struct category *cs;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, category_list, &f->a, NOW, &cs, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(cs[0].id, news);
	assert_int_equal(cs[0].post_count, 1); /* not the draft, not the sub-category's */
	assert_int_equal(cs[1].post_count, 1);
}

/* ----------------------------------------------------------------- posts */

static void test_post_save_create_with_tags(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	int64_t cat = add_cat(f->st, "news", 0);
	const char *tags[] = {"Local News", "Elections", "local news" /* same slug */};
	struct post_input in = {.type = POST_ARTICLE,
				.status = POST_PUBLISHED,
				.slug = "vote-today",
				.title = "Vote today",
				.excerpt = "Polls open at 8.",
				.body_md = "Polls *open* at 8.",
				.body_html = "<p>Polls <em>open</em> at 8.</p>",
				.author_id = uid,
				.category_id = cat,
				.sticky = true,
				.comments_open = true,
				.published_at = NOW - HOUR,
				.tags = tags,
				.ntags = 3};
	int64_t id = 0;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, &id), ERR_OK);
	assert_true(id > 0);

	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, id, &p), ERR_OK);
	assert_int_equal(p.id, id);
	assert_int_equal(p.type, POST_ARTICLE);
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_string_equal(p.slug, "vote-today");
	assert_string_equal(p.title, "Vote today");
	assert_string_equal(p.excerpt, "Polls open at 8.");
	assert_string_equal(p.body_md, "Polls *open* at 8.");
	assert_string_equal(p.body_html, "<p>Polls <em>open</em> at 8.</p>");
	assert_int_equal(p.author_id, uid);
	assert_string_equal(p.author_login, "ann");
	assert_int_equal(p.category_id, cat);
	assert_string_equal(p.category_slug, "news");
	assert_string_equal(p.category_path, "news");
	assert_true(p.sticky);
	assert_true(p.comments_open);
	assert_int_equal(p.published_at, NOW - HOUR);
	assert_true(p.created_at > 0);
	assert_true(p.updated_at >= p.created_at);
	assert_int_equal(p.comment_count, 0);

	struct post bs;
	assert_int_equal(STORE_CALL(f->st, post_by_slug, &f->a, POST_ARTICLE, "vote-today", &bs),
			 ERR_OK);
	assert_int_equal(bs.id, id);
	assert_int_equal(STORE_CALL(f->st, post_by_slug, &f->a, POST_PAGE, "vote-today", &bs),
			 ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, 9999, &bs), ERR_NOTFOUND);

	/* tags were created on the fly, once per slug */
	struct tag *ts = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, id, &ts, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ts[0].name, "Elections");
	assert_string_equal(ts[0].slug, "elections");
	assert_string_equal(ts[1].name, "Local News");
	assert_string_equal(ts[1].slug, "local-news");
	struct tag t;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "local-news", &t), ERR_OK);
	assert_string_equal(t.name, "Local News");
	assert_int_equal(t.post_count, 1);

	/* a second post reuses the existing tag */
	const char *tags2[] = {"Elections"};
	int64_t id2 = add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = "results",
						     .published_at = NOW - 1, .author_id = uid,
						     .tags = tags2, .ntags = 1});
	assert_int_equal(STORE_CALL(f->st, tag_list, &f->a, NOW, &ts, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ts[0].name, "Elections");
	assert_int_equal(ts[0].post_count, 2);
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, id2, &ts, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ts[0].slug, "elections");
}

static void test_post_save_update(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	const char *tags[] = {"one", "two"};
	int64_t id = add_post(f->st, &(struct spec){.status = POST_DRAFT, .slug = "first",
						    .published_at = NOW - DAY, .author_id = uid,
						    .tags = tags, .ntags = 2});
	struct post before;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, id, &before), ERR_OK);

	/* full update; tags NULL = unchanged */
	struct post_input in = {.id = id,
				.type = POST_ARTICLE,
				.status = POST_PUBLISHED,
				.slug = "first-renamed",
				.title = "First, renamed",
				.excerpt = "",
				.body_md = "New body",
				.body_html = "<p>New body</p>",
				.author_id = uid,
				.comments_open = false,
				.published_at = NOW - HOUR};
	int64_t out = 0;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, &out), ERR_OK);
	assert_int_equal(out, id);
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, id, &p), ERR_OK);
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_string_equal(p.slug, "first-renamed");
	assert_string_equal(p.title, "First, renamed");
	assert_string_equal(p.body_md, "New body");
	assert_false(p.comments_open);
	assert_int_equal(p.published_at, NOW - HOUR);
	assert_int_equal(p.created_at, before.created_at);
	struct tag *ts;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, id, &ts, &n), ERR_OK);
	assert_int_equal(n, 2);
	/* old slug is free again */
	struct post bs;
	assert_int_equal(STORE_CALL(f->st, post_by_slug, &f->a, POST_ARTICLE, "first", &bs),
			 ERR_NOTFOUND);

	/* replace the tags; an empty list clears them */
	const char *tags2[] = {"three"};
	in.tags = tags2;
	in.ntags = 1;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, id, &ts, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ts[0].name, "three");
	in.tags = tags2;
	in.ntags = 0;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, id, &ts, &n), ERR_OK);
	assert_int_equal(n, 0);

	/* unknown id */
	in.id = 9999;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, NULL), ERR_NOTFOUND);
}

/* store.h, struct post_input: "Unset strings mean "" on create and
 * "unchanged" on update (NULL)". */
static void test_post_save_update_null_strings_unchanged(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	struct post_input in = {.type = POST_ARTICLE,
				.status = POST_DRAFT,
				.slug = "keep-me",
				.title = "Keep me",
				.excerpt = "An excerpt",
				.body_md = "Some *body*",
				.body_html = "<p>Some <em>body</em></p>",
				.author_id = uid,
				.published_at = NOW - DAY};
	int64_t id = 0;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, &id), ERR_OK);
	/* created with unset strings: "" */
	struct post_input bare = {.type = POST_ARTICLE, .status = POST_DRAFT, .slug = "bare",
				  .title = "Bare", .author_id = uid, .published_at = NOW - DAY};
	int64_t bid = 0;
	assert_int_equal(STORE_CALL(f->st, post_save, &bare, &bid), ERR_OK);
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, bid, &p), ERR_OK);
	assert_string_equal(p.excerpt, "");
	assert_string_equal(p.body_md, "");

	/* update: only the title given */
	struct post_input upd = {.id = id,
				 .type = POST_ARTICLE,
				 .status = POST_DRAFT,
				 .title = "Kept, retitled",
				 .author_id = uid,
				 .published_at = NOW - DAY};
	assert_int_equal(STORE_CALL(f->st, post_save, &upd, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, id, &p), ERR_OK);
	assert_string_equal(p.title, "Kept, retitled");
	assert_string_equal(p.slug, "keep-me");
	assert_string_equal(p.excerpt, "An excerpt");
	assert_string_equal(p.body_md, "Some *body*");
	assert_string_equal(p.body_html, "<p>Some <em>body</em></p>");
}

static void test_post_duplicate_slug(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	int64_t a1 = add_post(f->st, &(struct spec){.slug = "about", .published_at = NOW,
						    .author_id = uid});
	int64_t last = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &last, NULL), ERR_OK);
	const char *tags[] = {"never-created"};
	struct post_input in = {.type = POST_ARTICLE, .status = POST_DRAFT, .slug = "about",
				.title = "Again", .author_id = uid, .published_at = NOW,
				.tags = tags, .ntags = 1};
	int64_t id = -7;
	assert_int_equal(STORE_CALL(f->st, post_save, &in, &id), ERR_CONFLICT);
	assert_int_equal(id, -7);
	/* the failed write left nothing behind: no tag, no change row */
	struct tag t;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "never-created", &t), ERR_NOTFOUND);
	int64_t after = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &after, NULL), ERR_OK);
	assert_int_equal(after, last);

	/* the same slug for another type is fine */
	int64_t pg = add_post(f->st, &(struct spec){.type = POST_PAGE, .slug = "about",
						    .published_at = NOW, .author_id = uid});
	assert_true(pg != a1);
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_by_slug, &f->a, POST_PAGE, "about", &p), ERR_OK);
	assert_int_equal(p.id, pg);
	assert_int_equal(p.type, POST_PAGE);

	/* renaming onto a taken slug */
	int64_t a2 = add_post(f->st, &(struct spec){.slug = "other", .published_at = NOW,
						    .author_id = uid});
	struct post_input upd = {.id = a2, .type = POST_ARTICLE, .status = POST_DRAFT,
				 .slug = "about", .title = "Other", .author_id = uid,
				 .published_at = NOW};
	assert_int_equal(STORE_CALL(f->st, post_save, &upd, NULL), ERR_CONFLICT);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, a2, &p), ERR_OK);
	assert_string_equal(p.slug, "other");
}

static void test_post_set_status_and_delete(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	int64_t id = add_post(f->st, &(struct spec){.status = POST_DRAFT, .slug = "d",
						    .published_at = NOW - DAY, .author_id = uid});
	assert_int_equal(STORE_CALL(f->st, post_set_status, id, POST_PUBLISHED, NOW), ERR_OK);
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, id, &p), ERR_OK);
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_int_equal(p.published_at, NOW);
	assert_int_equal(STORE_CALL(f->st, post_set_status, id, POST_TRASH, 0), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, id, &p), ERR_OK);
	assert_int_equal(p.status, POST_TRASH);
	assert_int_equal(p.published_at, NOW); /* 0 = unchanged */
	assert_int_equal(STORE_CALL(f->st, post_set_status, 9999, POST_TRASH, 0), ERR_NOTFOUND);

	assert_int_equal(STORE_CALL(f->st, post_delete, id), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, id, &p), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, post_delete, id), ERR_NOTFOUND);
}

/* A small site for the listing tests. */
struct site {
	int64_t ann, bob;
	int64_t news, hall, sports;
	int64_t pub_old, pub_sticky, draft, priv, future_pub, sched_due, sched_future, pending,
		trash, page, in_hall, by_bob;
	int64_t tag_id;
};

static void make_site(struct fx *f, struct site *s)
{
	s->ann = add_user(f->st, "ann", ROLE_AUTHOR);
	s->bob = add_user(f->st, "bob", ROLE_AUTHOR);
	s->news = add_cat(f->st, "news", 0);
	s->hall = add_cat(f->st, "city-hall", s->news);
	s->sports = add_cat(f->st, "sports", 0);
	const char *tg[] = {"Budget"};
#define P(field, ...) s->field = add_post(f->st, &(struct spec){__VA_ARGS__})
	P(pub_old, .status = POST_PUBLISHED, .slug = "pub-old", .published_at = NOW - 10 * DAY,
	  .author_id = s->ann, .category_id = s->news, .tags = tg, .ntags = 1);
	P(pub_sticky, .status = POST_PUBLISHED, .slug = "pub-sticky",
	  .published_at = NOW - 9 * DAY, .author_id = s->ann, .category_id = s->sports,
	  .sticky = true);
	P(draft, .status = POST_DRAFT, .slug = "draft", .published_at = NOW - 8 * DAY,
	  .author_id = s->ann, .category_id = s->news);
	P(priv, .status = POST_PRIVATE, .slug = "private", .published_at = NOW - 7 * DAY,
	  .author_id = s->ann, .category_id = s->news);
	P(future_pub, .status = POST_PUBLISHED, .slug = "future-pub", .published_at = NOW + DAY,
	  .author_id = s->ann, .category_id = s->news);
	P(sched_due, .status = POST_SCHEDULED, .slug = "sched-due", .published_at = NOW - HOUR,
	  .author_id = s->ann, .category_id = s->news);
	P(sched_future, .status = POST_SCHEDULED, .slug = "sched-future",
	  .published_at = NOW + HOUR, .author_id = s->ann, .category_id = s->news);
	P(pending, .status = POST_PENDING, .slug = "pending", .published_at = NOW - 6 * DAY,
	  .author_id = s->ann);
	P(trash, .status = POST_TRASH, .slug = "trash", .published_at = NOW - 5 * DAY,
	  .author_id = s->ann);
	P(page, .type = POST_PAGE, .status = POST_PUBLISHED, .slug = "about",
	  .published_at = NOW - 4 * DAY, .author_id = s->ann);
	P(in_hall, .status = POST_PUBLISHED, .slug = "in-hall", .published_at = NOW - 3 * DAY,
	  .author_id = s->ann, .category_id = s->hall, .tags = tg, .ntags = 1);
	P(by_bob, .status = POST_PUBLISHED, .slug = "by-bob", .published_at = NOW - 2 * DAY,
	  .author_id = s->bob, .category_id = s->sports);
#undef P
	struct tag t;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "budget", &t), ERR_OK);
	s->tag_id = t.id;
}

static void test_post_list_public_only(void **state)
{
	struct fx *f = *state;
	struct site s;
	make_site(f, &s);
	struct post_query q = query_all();
	q.public_only = true;
	q.now = NOW;
	/* newest first; drafts, private, pending, trash, future-dated and pages
	 * excluded; the scheduled post whose time has come included */
	int64_t want[] = {s.sched_due, s.by_bob, s.in_hall, s.pub_sticky, s.pub_old};
	expect_list(f, &q, want, 5, 5);

	/* sticky first */
	q.sticky_first = true;
	int64_t want_sticky[] = {s.pub_sticky, s.sched_due, s.by_bob, s.in_hall, s.pub_old};
	expect_list(f, &q, want_sticky, 5, 5);
	q.sticky_first = false;

	/* oldest first */
	q.oldest_first = true;
	int64_t want_old[] = {s.pub_old, s.pub_sticky, s.in_hall, s.by_bob, s.sched_due};
	expect_list(f, &q, want_old, 5, 5);
	q.oldest_first = false;

	/* later, the future ones become visible too */
	q.now = NOW + 2 * DAY;
	int64_t want_later[] = {s.future_pub, s.sched_future, s.sched_due, s.by_bob, s.in_hall,
				s.pub_sticky, s.pub_old};
	expect_list(f, &q, want_later, 7, 7);

	/* pages are their own listing */
	struct post_query pq = {.type = POST_PAGE, .public_only = true, .now = NOW};
	int64_t want_page[] = {s.page};
	expect_list(f, &pq, want_page, 1, 1);

	/* non-public listing: every status */
	struct post_query all = query_all();
	struct post *ps;
	size_t n;
	int64_t total;
	assert_int_equal(STORE_CALL(f->st, post_list, &f->a, &all, &ps, &n, &total), ERR_OK);
	assert_int_equal(n, 11);
	assert_int_equal(total, 11);
	/* listings carry the joined names but not the bodies */
	for (size_t i = 0; i < n; i++) {
		assert_non_null(ps[i].author_login);
		assert_string_equal(ps[i].body_html, "");
	}

	/* by status */
	all.by_status = true;
	all.status = POST_DRAFT;
	int64_t want_draft[] = {s.draft};
	expect_list(f, &all, want_draft, 1, 1);
	all.status = POST_SCHEDULED;
	int64_t want_sched[] = {s.sched_future, s.sched_due};
	expect_list(f, &all, want_sched, 2, 2);

	/* total is optional */
	q = query_all();
	q.public_only = true;
	q.now = NOW;
	assert_int_equal(STORE_CALL(f->st, post_list, &f->a, &q, &ps, &n, NULL), ERR_OK);
	assert_int_equal(n, 5);
}

static void test_post_list_filters(void **state)
{
	struct fx *f = *state;
	struct site s;
	make_site(f, &s);
	struct post_query q = query_all();
	q.public_only = true;
	q.now = NOW;

	/* category subtree */
	q.category_id = s.news;
	q.include_children = true;
	int64_t want_tree[] = {s.sched_due, s.in_hall, s.pub_old};
	expect_list(f, &q, want_tree, 3, 3);
	q.include_children = false;
	int64_t want_cat[] = {s.sched_due, s.pub_old};
	expect_list(f, &q, want_cat, 2, 2);
	q.category_id = s.hall;
	int64_t want_hall[] = {s.in_hall};
	expect_list(f, &q, want_hall, 1, 1);
	q.category_id = 0;

	/* tag */
	q.tag_id = s.tag_id;
	int64_t want_tag[] = {s.in_hall, s.pub_old};
	expect_list(f, &q, want_tag, 2, 2);
	q.tag_id = 0;

	/* author */
	q.author_id = s.bob;
	int64_t want_bob[] = {s.by_bob};
	expect_list(f, &q, want_bob, 1, 1);
	q.author_id = s.ann;
	int64_t want_ann[] = {s.sched_due, s.in_hall, s.pub_sticky, s.pub_old};
	expect_list(f, &q, want_ann, 4, 4);
	q.author_id = 0;

	/* date range [from, to) */
	q.from = NOW - 9 * DAY;
	q.to = NOW - 2 * DAY; /* by_bob is exactly at `to`: excluded */
	int64_t want_range[] = {s.in_hall, s.pub_sticky};
	expect_list(f, &q, want_range, 2, 2);
	q.from = q.to = 0;

	/* filters combine */
	q.category_id = s.news;
	q.include_children = true;
	q.tag_id = s.tag_id;
	q.from = NOW - 4 * DAY;
	q.to = NOW;
	int64_t want_combo[] = {s.in_hall};
	expect_list(f, &q, want_combo, 1, 1);
}

static void test_post_list_pagination(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	int64_t ids[25];
	for (int i = 0; i < 25; i++) {
		char slug[16];
		snprintf(slug, sizeof slug, "p%02d", i);
		ids[i] = add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = slug,
							.published_at = NOW - (25 - i) * HOUR,
							.author_id = uid});
	}
	add_post(f->st, &(struct spec){.status = POST_DRAFT, .slug = "hidden",
				       .published_at = NOW - HOUR, .author_id = uid});
	struct post_query q = query_all();
	q.public_only = true;
	q.now = NOW;
	q.limit = 10;
	int64_t page1[10], page3[5];
	for (int i = 0; i < 10; i++)
		page1[i] = ids[24 - i];
	expect_list(f, &q, page1, 10, 25);
	q.offset = 20;
	for (int i = 0; i < 5; i++)
		page3[i] = ids[4 - i];
	expect_list(f, &q, page3, 5, 25);
	q.offset = 30; /* past the end */
	expect_list(f, &q, NULL, 0, 25);
	/* same published_at: id breaks the tie, stable across pages */
	int64_t same1 = add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = "same-1",
						       .published_at = NOW - 30 * HOUR,
						       .author_id = uid});
	int64_t same2 = add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = "same-2",
						       .published_at = NOW - 30 * HOUR,
						       .author_id = uid});
	q.offset = 25;
	q.limit = 1;
	int64_t w1[] = {same2};
	expect_list(f, &q, w1, 1, 27);
	q.offset = 26;
	int64_t w2[] = {same1};
	expect_list(f, &q, w2, 1, 27);
}

static void test_post_publish_due(void **state)
{
	struct fx *f = *state;
	struct site s;
	make_site(f, &s);
	int64_t sched_due2 = add_post(f->st, &(struct spec){.status = POST_SCHEDULED,
							    .slug = "sched-due-2",
							    .published_at = NOW, .author_id = s.ann});
	size_t n = 99;
	assert_int_equal(STORE_CALL(f->st, post_publish_due, NOW, &n), ERR_OK);
	assert_int_equal(n, 2);
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, s.sched_due, &p), ERR_OK);
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_int_equal(p.published_at, NOW - HOUR); /* keeps its date */
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, sched_due2, &p), ERR_OK);
	assert_int_equal(p.status, POST_PUBLISHED);
	/* not yet due, or not scheduled: untouched */
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, s.sched_future, &p), ERR_OK);
	assert_int_equal(p.status, POST_SCHEDULED);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, s.draft, &p), ERR_OK);
	assert_int_equal(p.status, POST_DRAFT);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, s.priv, &p), ERR_OK);
	assert_int_equal(p.status, POST_PRIVATE);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, s.pending, &p), ERR_OK);
	assert_int_equal(p.status, POST_PENDING);
	/* nothing left to do */
	assert_int_equal(STORE_CALL(f->st, post_publish_due, NOW, &n), ERR_OK);
	assert_int_equal(n, 0);
	/* later */
	assert_int_equal(STORE_CALL(f->st, post_publish_due, NOW + HOUR, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, s.sched_future, &p), ERR_OK);
	assert_int_equal(p.status, POST_PUBLISHED);
}

static void test_archive_months(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	/* 2026-01-10, 2026-01-20, 2026-03-05, 2025-12-31 23:00 (UTC) */
	const int64_t jan1 = 1767225600, mar1 = 1772323200;
	struct {
		const char *slug;
		enum post_status st;
		enum post_type type;
		int64_t at;
	} ps[] = {
		{"jan-a", POST_PUBLISHED, POST_ARTICLE, jan1 + 9 * DAY},
		{"jan-b", POST_PUBLISHED, POST_ARTICLE, jan1 + 19 * DAY},
		{"mar-a", POST_PUBLISHED, POST_ARTICLE, mar1 + 4 * DAY},
		{"dec-a", POST_PUBLISHED, POST_ARTICLE, jan1 - HOUR},
		{"feb-draft", POST_DRAFT, POST_ARTICLE, jan1 + 40 * DAY},
		{"feb-page", POST_PUBLISHED, POST_PAGE, jan1 + 41 * DAY},
		{"apr-future", POST_SCHEDULED, POST_ARTICLE, mar1 + 40 * DAY},
	};
	for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
		add_post(f->st, &(struct spec){.type = ps[i].type, .status = ps[i].st,
					       .slug = ps[i].slug, .published_at = ps[i].at,
					       .author_id = uid});
	struct archive_month *m = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, archive_months, &f->a, mar1 + 10 * DAY, &m, &n), ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].year, 2026);
	assert_int_equal(m[0].month, 3);
	assert_int_equal(m[0].count, 1);
	assert_int_equal(m[1].year, 2026);
	assert_int_equal(m[1].month, 1);
	assert_int_equal(m[1].count, 2);
	assert_int_equal(m[2].year, 2025);
	assert_int_equal(m[2].month, 12);
	assert_int_equal(m[2].count, 1);
}

/* ------------------------------------------------------------- redirects */

static void test_redirects(void **state)
{
	struct fx *f = *state;
	struct redirect r;
	assert_int_equal(STORE_CALL(f->st, redirect_get, &f->a, "/old/", &r), ERR_NOTFOUND);
	struct redirect set = {.from_path = "/old/", .to_path = "/2026/11/new/", .status = 301};
	assert_int_equal(STORE_CALL(f->st, redirect_set, &set), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, redirect_get, &f->a, "/old/", &r), ERR_OK);
	assert_string_equal(r.from_path, "/old/");
	assert_string_equal(r.to_path, "/2026/11/new/");
	assert_int_equal(r.status, 301);
	/* overwrite */
	set.to_path = "/elsewhere/";
	set.status = 302;
	assert_int_equal(STORE_CALL(f->st, redirect_set, &set), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, redirect_get, &f->a, "/old/", &r), ERR_OK);
	assert_string_equal(r.to_path, "/elsewhere/");
	assert_int_equal(r.status, 302);
	/* anything but 302 is stored as 301 */
	struct redirect odd = {.from_path = "/odd/", .to_path = "/", .status = 307};
	assert_int_equal(STORE_CALL(f->st, redirect_set, &odd), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, redirect_get, &f->a, "/odd/", &r), ERR_OK);
	assert_int_equal(r.status, 301);
	/* exact match only */
	assert_int_equal(STORE_CALL(f->st, redirect_get, &f->a, "/old", &r), ERR_NOTFOUND);
}

/* ------------------------------------------------------------ the menu */

static void test_menu(void **state)
{
	struct fx *f = *state;
	struct menu_item *m = NULL;
	size_t n = 99;
	assert_int_equal(STORE_CALL(f->st, menu_get, &f->a, &m, &n), ERR_OK);
	assert_int_equal(n, 0); /* none set: the default menu */
	int64_t before = 0, after = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &before, NULL), ERR_OK);
	const struct menu_item items[] = {
		{.id = 1, .position = 2, .kind = MENU_URL, .label = "Elsewhere",
		 .url = "https://example.org/"},
		{.id = 2, .position = 1, .kind = MENU_CATEGORY, .label = "", .target_id = 7},
		{.id = 3, .parent_id = 2, .position = 1, .kind = MENU_POST, .label = "<About>",
		 .target_id = 9},
	};
	assert_int_equal(STORE_CALL(f->st, menu_set, items, 3), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, change_last, &after, NULL), ERR_OK);
	assert_int_equal(after, before + 1); /* one change row: every page shows the menu */
	assert_int_equal(STORE_CALL(f->st, menu_get, &f->a, &m, &n), ERR_OK);
	assert_int_equal(n, 3);
	/* by position, then id */
	assert_int_equal(m[0].id, 2);
	assert_int_equal(m[0].kind, MENU_CATEGORY);
	assert_int_equal(m[0].target_id, 7);
	assert_string_equal(m[0].label, "");
	assert_int_equal(m[1].id, 3);
	assert_int_equal(m[1].parent_id, 2);
	assert_string_equal(m[1].label, "<About>");
	assert_int_equal(m[2].id, 1);
	assert_string_equal(m[2].url, "https://example.org/");

	/* bad shapes are refused and leave the menu as it was */
	const struct menu_item orphan[] = {{.id = 1, .parent_id = 5, .kind = MENU_URL, .url = "/"}};
	assert_int_equal(STORE_CALL(f->st, menu_set, orphan, 1), ERR_INVALID);
	const struct menu_item twice[] = {{.id = 1, .kind = MENU_URL, .url = "/"},
					  {.id = 1, .kind = MENU_URL, .url = "/x/"}};
	assert_int_equal(STORE_CALL(f->st, menu_set, twice, 2), ERR_INVALID);
	const struct menu_item self[] = {{.id = 4, .parent_id = 4, .kind = MENU_URL, .url = "/"}};
	assert_int_equal(STORE_CALL(f->st, menu_set, self, 1), ERR_INVALID);
	assert_int_equal(STORE_CALL(f->st, menu_get, &f->a, &m, &n), ERR_OK);
	assert_int_equal(n, 3);

	/* replacing with nothing brings the default back */
	assert_int_equal(STORE_CALL(f->st, menu_set, NULL, 0), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, menu_get, &f->a, &m, &n), ERR_OK);
	assert_int_equal(n, 0);
}

/* ------------------------------------------------------------ change log */

static void test_change_log(void **state)
{
	struct fx *f = *state;
	int64_t start = -1;
	assert_int_equal(STORE_CALL(f->st, change_last, &start, NULL), ERR_OK);
	assert_true(start >= 0);

	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "T"), ERR_OK);
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	int64_t cat = add_cat(f->st, "news", 0);
	const char *tags[] = {"fresh"};
	int64_t pid = add_post(f->st, &(struct spec){.status = POST_PUBLISHED, .slug = "p",
						     .published_at = NOW, .author_id = uid,
						     .category_id = cat, .tags = tags, .ntags = 1});
	struct redirect r = {.from_path = "/a/", .to_path = "/b/", .status = 301};
	assert_int_equal(STORE_CALL(f->st, redirect_set, &r), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_set_status, pid, POST_DRAFT, 0), ERR_OK);
	struct user u = {.id = uid, .email = "x@example.org", .display_name = "Ann",
			 .role = ROLE_EDITOR};
	assert_int_equal(STORE_CALL(f->st, user_update, &u), ERR_OK);
	struct category c = {.id = cat, .slug = "news", .name = "News"};
	assert_int_equal(STORE_CALL(f->st, category_update, &c), ERR_OK);
	struct tag t;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "fresh", &t), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, tag_update, t.id, "Fresher", "fresher"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_delete, pid), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, tag_delete, t.id), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, category_delete, cat), ERR_OK);

	static const struct {
		const char *kind;
		int which; /* 0: 0, 1: uid, 2: cat, 3: pid, 4: tag */
	} want[] = {
		{"setting", 0}, {"user", 1},     {"category", 2}, {"tag", 4},
		{"post", 3},    {"redirect", 0}, {"post", 3},     {"user", 1},
		{"category", 2}, {"tag", 4},     {"post", 3},     {"tag", 4},
		{"category", 2},
	};
	const size_t nwant = sizeof want / sizeof want[0];
	struct change *ch = NULL;
	size_t n = 0;
	assert_int_equal(STORE_CALL(f->st, changes_since, &f->a, start, &ch, &n), ERR_OK);
	/* "related" rows (recomputed related-article lists) come with post
	 * writes; this test is about the writes themselves */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ch[i].kind, "related") != 0)
			ch[kept++] = ch[i];
	n = kept;
	if (n != nwant) {
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "change %lld %s %lld '%s'\n", (long long)ch[i].id,
				ch[i].kind, (long long)ch[i].object_id, ch[i].detail);
		fail_msg("%zu changes, want %zu", n, nwant);
	}
	for (size_t i = 0; i < n; i++) {
		int64_t obj = want[i].which == 1   ? uid
			      : want[i].which == 2 ? cat
			      : want[i].which == 3 ? pid
			      : want[i].which == 4 ? t.id
						   : 0;
		if (strcmp(ch[i].kind, want[i].kind) != 0 || ch[i].object_id != obj)
			fail_msg("change %zu: %s/%lld, want %s/%lld", i, ch[i].kind,
				 (long long)ch[i].object_id, want[i].kind, (long long)obj);
		if (i > 0)
			assert_true(ch[i].id > ch[i - 1].id);
		assert_true(ch[i].at > 0);
		assert_non_null(ch[i].detail);
	}
	assert_string_equal(ch[0].detail, "title");    /* the setting key */
	assert_string_equal(ch[5].detail, "/a/");      /* the redirect's path */

	/* after_id skips what was already seen */
	struct change *rest = NULL;
	size_t nrest = 0;
	assert_int_equal(STORE_CALL(f->st, changes_since, &f->a, ch[9].id, &rest, &nrest), ERR_OK);
	size_t later = 0;
	for (size_t i = 0; i < nrest; i++)
		later += strcmp(rest[i].kind, "related") != 0;
	assert_int_equal(later, 3);
	assert_true(rest[0].id <= ch[10].id);
	int64_t last = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &last, NULL), ERR_OK);
	assert_int_equal(last, ch[n - 1].id);
	assert_int_equal(STORE_CALL(f->st, changes_since, &f->a, last, &rest, &nrest), ERR_OK);
	assert_int_equal(nrest, 0);

	/* a failed write records nothing */
	struct user dup = {.login = "ann", .email = "", .role = ROLE_AUTHOR};
	assert_int_equal(STORE_CALL(f->st, user_add, &dup, NULL), ERR_CONFLICT);
	int64_t after = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &after, NULL), ERR_OK);
	assert_int_equal(after, last);
}

static void test_changed_by_other_handle(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	char msg[256] = "";
	assert_int_equal(test_store_reopen(&other, f->path, msg, sizeof msg), ERR_OK);

	bool yes = true;
	assert_int_equal(STORE_CALL(f->st, changed, &yes), ERR_OK); /* settle */
	assert_int_equal(STORE_CALL(f->st, changed, &yes), ERR_OK);
	assert_false(yes);
	/* reads through the other handle change nothing */
	const char *v;
	assert_int_equal(STORE_CALL(other, setting_get, &f->a, "title", &v), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, changed, &yes), ERR_OK);
	assert_false(yes);

	/* a write by "another process" */
	int64_t before = 0;
	assert_int_equal(STORE_CALL(f->st, change_last, &before, NULL), ERR_OK);
	assert_int_equal(STORE_CALL(other, setting_set, "title", "From elsewhere"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, changed, &yes), ERR_OK);
	assert_true(yes);
	/* reported once */
	assert_int_equal(STORE_CALL(f->st, changed, &yes), ERR_OK);
	assert_false(yes);
	/* and readable through this handle's log */
	struct change *ch;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, changes_since, &f->a, before, &ch, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ch[0].kind, "setting");
	assert_string_equal(ch[0].detail, "title");
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "From elsewhere");

	/* the other way round too */
	bool yes2 = false;
	assert_int_equal(STORE_CALL(other, changed, &yes2), ERR_OK);
	assert_int_equal(STORE_CALL(other, changed, &yes2), ERR_OK);
	assert_false(yes2);
	add_user(f->st, "ann", ROLE_ADMIN);
	assert_int_equal(STORE_CALL(other, changed, &yes2), ERR_OK);
	assert_true(yes2);
	store_close(other);
}

/* A page's read transaction stays open for the next page (sqlite.c:
 * read_end), which must still see every commit made in between. */
static void page_sees_title(struct fx *f, const char *want)
{
	const char *v = NULL;
	assert_int_equal(f->st->ops->read_begin(f->st), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, want);
	f->st->ops->read_end(f->st);
}

/* Another process (this binary again, see main) sets the title. */
static void title_from_other_process(const char *path, const char *title)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "/proc/%ld/exe --set-title '%s' '%s'", (long)getpid(), path,
		 title);
	assert_int_equal(system(cmd), 0);
}

static int set_title_and_exit(const char *path, const char *title)
{
	struct store *st = NULL;
	char msg[256] = "";
	if (test_store_reopen(&st, path, msg, sizeof msg) != ERR_OK) {
		fprintf(stderr, "%s\n", msg);
		return 1;
	}
	int rc = STORE_CALL(st, setting_set, "title", title) == ERR_OK ? 0 : 1;
	store_close(st);
	return rc;
}

static void test_read_kept_sees_commits(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	char msg[256] = "";
	assert_int_equal(test_store_reopen(&other, f->path, msg, sizeof msg), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "One"), ERR_OK);
	for (int i = 0; i < 3; i++) /* the connection learns where the WAL index is */
		page_sees_title(f, "One");
	/* a write through this handle, another handle, another process */
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "Two"), ERR_OK);
	page_sees_title(f, "Two");
	page_sees_title(f, "Two");
	assert_int_equal(STORE_CALL(other, setting_set, "title", "Three"), ERR_OK);
	page_sees_title(f, "Three");
	title_from_other_process(f->path, "Four");
	page_sees_title(f, "Four");
	/* and a read outside a page (the back office) sees the newest too */
	assert_int_equal(STORE_CALL(other, setting_set, "title", "Five"), ERR_OK);
	const char *v = NULL;
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "Five");
	page_sees_title(f, "Five");

	/* The kept transaction now holds back a full checkpoint once someone
	 * commits; the change watcher's poll ends it. */
	bool yes = false;
	assert_int_equal(STORE_CALL(f->st, changed, &yes), ERR_OK); /* settle */
	title_from_other_process(f->path, "Six");
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	/* (a read first: a connection opens the WAL on its first transaction) */
	assert_int_equal(sqlite3_exec(raw, "SELECT count(*) FROM settings", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_wal_checkpoint_v2(raw, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL,
						   NULL),
			 SQLITE_BUSY);
	assert_int_equal(STORE_CALL(f->st, changed, &yes), ERR_OK);
	assert_true(yes);
	assert_int_equal(sqlite3_wal_checkpoint_v2(raw, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL,
						   NULL),
			 SQLITE_OK);
	sqlite3_close(raw);
	page_sees_title(f, "Six");
	store_close(other);
}

/* ----------------------------------------------------------- maintenance */

static void test_backup(void **state)
{
	struct fx *f = *state;
	struct site s;
	make_site(f, &s);
	assert_int_equal(STORE_CALL(f->st, setting_set, "title", "Backed up"), ERR_OK);
	char dest[200];
	snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
	assert_int_equal(STORE_CALL(f->st, backup, dest), ERR_OK);
	/* the source stays usable */
	add_user(f->st, "after-backup", ROLE_AUTHOR);

	struct store *b = NULL;
	char msg[256] = "";
	assert_int_equal(store_open(&b, dest, msg, sizeof msg), ERR_OK);
	int v = 0;
	assert_int_equal(STORE_CALL(b, schema_version, &v), ERR_OK);
	assert_int_equal(v, (int)sqlite_nmigrations);
	struct post_query q = query_all();
	struct post *ps1, *ps2;
	size_t n1, n2;
	int64_t t1, t2;
	assert_int_equal(STORE_CALL(f->st, post_list, &f->a, &q, &ps1, &n1, &t1), ERR_OK);
	assert_int_equal(STORE_CALL(b, post_list, &f->a, &q, &ps2, &n2, &t2), ERR_OK);
	assert_int_equal(n1, n2);
	assert_int_equal(t1, t2);
	for (size_t i = 0; i < n1; i++) {
		assert_int_equal(ps1[i].id, ps2[i].id);
		assert_string_equal(ps1[i].slug, ps2[i].slug);
		assert_int_equal(ps1[i].status, ps2[i].status);
	}
	struct post p;
	assert_int_equal(STORE_CALL(b, post_get, &f->a, s.in_hall, &p), ERR_OK);
	assert_string_equal(p.category_path, "news/city-hall");
	assert_string_equal(p.body_html, "<p>Body of the post.</p>");
	const char *v2;
	assert_int_equal(STORE_CALL(b, setting_get, &f->a, "title", &v2), ERR_OK);
	assert_string_equal(v2, "Backed up");
	struct user u;
	assert_int_equal(STORE_CALL(b, user_by_login, &f->a, "after-backup", &u), ERR_NOTFOUND);
	store_close(b);

	/* an impossible destination fails and leaves nothing behind */
	char bad[200];
	snprintf(bad, sizeof bad, "%s/missing/backup.db", f->dir);
	assert_int_not_equal(STORE_CALL(f->st, backup, bad), ERR_OK);
	assert_int_not_equal(access(bad, F_OK), 0);
}

static void test_open_v1_fixture(void **state)
{
	struct fx *f = *state;
	char path[200];
	snprintf(path, sizeof path, "%s/v1.db", f->dir);
	char *sql = read_fixture("schema-v1.sql");
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	free(sql);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "schema-v1.sql: %s\n", err ? err : "?");
		sqlite3_free(err);
		sqlite3_close(db);
		fail();
	}
	sqlite3_close(db);

	struct store *st = NULL;
	char msg[256] = "";
	if (store_open(&st, path, msg, sizeof msg) != ERR_OK)
		fail_msg("store_open(v1): %s", msg);
	int v = 0;
	assert_int_equal(STORE_CALL(st, schema_version, &v), ERR_OK);
	assert_int_equal(v, (int)sqlite_nmigrations);

	struct post p;
	assert_int_equal(STORE_CALL(st, post_get, &f->a, 1, &p), ERR_OK);
	assert_string_equal(p.slug, "from-the-first-schema");
	assert_string_equal(p.title, "From the first schema");
	assert_string_equal(p.body_html, "<p>Written <em>before</em> the upgrade.</p>");
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_int_equal(p.published_at, 1700000000);
	assert_int_equal(p.comment_count, 1);
	assert_string_equal(p.author_login, "olduser");
	assert_string_equal(p.category_path, "archive");
	struct tag *ts;
	size_t n;
	assert_int_equal(STORE_CALL(st, post_tags, &f->a, 1, &ts, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ts[0].slug, "legacy");
	struct tag t;
	assert_int_equal(STORE_CALL(st, tag_by_slug, &f->a, "legacy", &t), ERR_OK);
	assert_int_equal(t.post_count, 1);
	const char *title;
	assert_int_equal(STORE_CALL(st, setting_get, &f->a, "title", &title), ERR_OK);
	assert_string_equal(title, "Old Site");
	struct post_query q = {.type = POST_ARTICLE, .public_only = true,
			       .now = NOW};
	struct post *ps;
	int64_t total;
	assert_int_equal(STORE_CALL(st, post_list, &f->a, &q, &ps, &n, &total), ERR_OK);
	assert_int_equal(total, 1);

	/* the tables of later migrations work */
	struct redirect r = {.from_path = "/old/", .to_path = "/new/", .status = 301};
	assert_int_equal(STORE_CALL(st, redirect_set, &r), ERR_OK);
	struct change *ch;
	assert_int_equal(STORE_CALL(st, changes_since, &f->a, 0, &ch, &n), ERR_OK);
	assert_true(n >= 1); /* (building the search index on upgrade logs one too) */
	assert_string_equal(ch[n - 1].kind, "redirect");
	/* and a new post saves next to the old one */
	int64_t id = add_post(st, &(struct spec){.status = POST_PUBLISHED, .slug = "new",
						 .published_at = NOW - 1, .author_id = 1,
						 .category_id = 1});
	assert_true(id > 1);
	store_close(st);

	/* opening again is a no-op */
	assert_int_equal(store_open(&st, path, msg, sizeof msg), ERR_OK);
	assert_int_equal(STORE_CALL(st, schema_version, &v), ERR_OK);
	assert_int_equal(v, (int)sqlite_nmigrations);
	assert_int_equal(STORE_CALL(st, post_get, &f->a, 1, &p), ERR_OK);
	assert_int_equal(p.comment_count, 1);
	store_close(st);
}

/* ------------------------------------------------------------------ tags */

static void test_tags(void **state)
{
	struct fx *f = *state;
	int64_t uid = add_user(f->st, "ann", ROLE_AUTHOR);
	const char *tags[] = {"Zebra", "apple", "!!!" /* no usable characters: skipped */};
	int64_t pid = add_post(f->st, &(struct spec){.status = POST_DRAFT, .slug = "p",
						     .published_at = NOW - DAY, .author_id = uid,
						     .tags = tags, .ntags = 3});
	struct tag *ts;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, tag_list, &f->a, NOW, &ts, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ts[0].name, "Zebra"); /* by name (binary order) */
	assert_string_equal(ts[1].name, "apple");
	assert_int_equal(ts[0].post_count, 0);    /* the post is a draft */
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, pid, &ts, &n), ERR_OK);
	assert_int_equal(n, 2);

	struct tag t;
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "zebra", &t), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, tag_update, t.id, "Zebras", "zebras"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "zebra", &t), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, tag_by_slug, &f->a, "zebras", &t), ERR_OK);
	assert_string_equal(t.name, "Zebras");
	assert_int_equal(STORE_CALL(f->st, tag_update, t.id, "Apple", "apple"), ERR_CONFLICT);
	assert_int_equal(STORE_CALL(f->st, tag_delete, t.id), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, pid, &ts, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ts[0].slug, "apple");
	assert_int_equal(STORE_CALL(f->st, tag_delete, t.id), ERR_NOTFOUND);
	assert_int_equal(STORE_CALL(f->st, tag_update, 9999, "x", "x"), ERR_NOTFOUND);
}

struct collect {
	int64_t ids[16];
	size_t n;
};

static void collect_id(void *ud, const struct post *p)
{
	struct collect *c = ud;
	assert_non_null(p->slug);
	if (c->n < 16)
		c->ids[c->n++] = p->id;
}

/* Sitemap reads: public posts streamed oldest first, chunk dates, and the
 * newest public article per category, tag and author. */
static void test_sitemap_reads(void **state)
{
	struct fx *f = *state;
	struct site s;
	make_site(f, &s);
	struct collect c = {.n = 0};
	assert_int_equal(STORE_CALL(f->st, post_each_public, POST_ARTICLE, NOW, 0, 0, collect_id, &c),
			 ERR_OK);
	int64_t want[] = {s.pub_old, s.pub_sticky, s.in_hall, s.by_bob, s.sched_due};
	assert_int_equal(c.n, 5);
	assert_memory_equal(c.ids, want, sizeof want);
	c.n = 0;
	assert_int_equal(STORE_CALL(f->st, post_each_public, POST_ARTICLE, NOW, 1, 2, collect_id, &c),
			 ERR_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ids[0], s.pub_sticky);
	assert_int_equal(c.ids[1], s.in_hall);

	int64_t *lm;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, post_chunks, &f->a, POST_ARTICLE, NOW, 2, 0, &lm, &n),
			 ERR_OK);
	assert_int_equal(n, 3);
	assert_true(lm[0] >= NOW - 9 * DAY && lm[1] >= NOW - 2 * DAY && lm[2] >= NOW - HOUR);
	/* one URL ahead of the rows: 1 | 2 3 | 4 5 */
	assert_int_equal(STORE_CALL(f->st, post_chunks, &f->a, POST_ARTICLE, NOW, 2, 1, &lm, &n),
			 ERR_OK);
	assert_int_equal(n, 3);
	assert_true(lm[0] >= NOW - 10 * DAY && lm[0] < NOW - 9 * DAY);
	assert_int_equal(STORE_CALL(f->st, post_chunks, &f->a, POST_PAGE, NOW, 2, 1, &lm, &n),
			 ERR_OK);
	assert_int_equal(n, 1);
	/* nothing public yet: no chunk */
	assert_int_equal(STORE_CALL(f->st, post_chunks, &f->a, POST_ARTICLE, NOW - 100 * DAY, 2, 0,
				    &lm, &n),
			 ERR_OK);
	assert_int_equal(n, 0);

	struct term_mod *t;
	assert_int_equal(STORE_CALL(f->st, term_lastmods, &f->a, TERM_CATEGORY, NOW, &t, &n), ERR_OK);
	assert_int_equal(n, 3); /* all, tree order: news, news/city-hall, sports */
	assert_string_equal(t[0].key, "news");
	assert_string_equal(t[1].key, "news/city-hall");
	assert_int_equal(t[1].parent_id, s.news);
	assert_true(t[0].lastmod >= NOW - HOUR); /* sched-due is in news */
	assert_true(t[1].lastmod >= NOW - 3 * DAY && t[1].lastmod < NOW - 2 * DAY);
	assert_true(t[2].lastmod >= NOW - 2 * DAY);
	assert_int_equal(STORE_CALL(f->st, term_lastmods, &f->a, TERM_TAG, NOW, &t, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].key, "budget");
	assert_true(t[0].lastmod >= NOW - 3 * DAY && t[0].lastmod < NOW - 2 * DAY);
	assert_int_equal(STORE_CALL(f->st, term_lastmods, &f->a, TERM_AUTHOR, NOW, &t, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].key, "ann");
	assert_string_equal(t[1].key, "bob");
	assert_true(t[0].lastmod >= NOW - HOUR);
	/* authors and tags without public articles are not listed */
	assert_int_equal(STORE_CALL(f->st, term_lastmods, &f->a, TERM_AUTHOR, NOW - 100 * DAY, &t,
				    &n),
			 ERR_OK);
	assert_int_equal(n, 0);
}

/* ------------------------------------------------------ related articles */

/* Made-up words: topic t's words are "t<t>w<k>"; every article also gets
 * filler shared by all. */
static char *topic_text(int topic, int seed, int nwords)
{
	static const char *const filler[] = {"council", "report", "people", "city", "week"};
	size_t cap = (size_t)nwords * 16 + 1, o = 0;
	char *b = malloc(cap);
	assert_non_null(b);
	unsigned x = (unsigned)seed * 2654435761u + 12345u;
	for (int i = 0; i < nwords; i++) {
		x = x * 1103515245u + 12345u;
		if (i % 3 == 0)
			o += (size_t)snprintf(b + o, cap - o, "%s ", filler[(x >> 16) % 5]);
		else
			o += (size_t)snprintf(b + o, cap - o, "t%cw%c ", 'a' + topic,
					      'a' + (int)((x >> 16) % 12));
	}
	b[o] = '\0';
	return b;
}

static int64_t save_text(struct fx *f, int64_t id, const char *slug, int topic, int seed,
			 enum post_status status)
{
	int64_t author;
	struct user u;
	if (STORE_CALL(f->st, user_by_login, &f->a, "writer", &u) == ERR_OK)
		author = u.id;
	else
		author = add_user(f->st, "writer", ROLE_AUTHOR);
	char *body = topic_text(topic, seed, 60);
	char title[64];
	snprintf(title, sizeof title, "T%cw%c story %d", 'a' + topic, 'a' + seed % 12, seed);
	struct post_input in = {.id = id, .type = POST_ARTICLE, .status = status, .slug = slug,
				.title = title, .body_md = body, .body_html = body,
				.comments_open = true, .published_at = NOW - seed * HOUR,
				.author_id = author};
	int64_t out = 0;
	enum err rc = STORE_CALL(f->st, post_save, &in, &out);
	if (rc != ERR_OK)
		fail_msg("post_save(%s, id %lld): %s", slug, (long long)id, err_str(rc));
	free(body);
	return out ? out : id;
}

/* Rows of one query over the database under test, as "a|b|c\n" lines. */
static char *dump(struct fx *f, const char *sql)
{
	char *out = test_query(f->path, sql);
	if (!out)
		fail_msg("query failed: %s", sql);
	return out;
}

static int64_t scalar(struct fx *f, const char *sql)
{
	char *d = dump(f, sql);
	int64_t v = strtoll(d, NULL, 10);
	free(d);
	return v;
}

/* The stored state agrees with itself: postings are exactly the vectors'
 * entries, one doc per public article, every list of public articles. */
static void expect_related_consistent(struct fx *f)
{
	char public[64];
	snprintf(public, sizeof public, "SELECT count(*) FROM %s", test_index_table());
	assert_int_equal(scalar(f, "SELECT count(*) FROM related_docs"), scalar(f, public));
	assert_int_equal(scalar(f, "SELECT df FROM related_df WHERE term = 0"), scalar(f, public));
	assert_int_equal(scalar(f, "SELECT count(*) FROM related_postings WHERE post_id NOT IN "
				   "(SELECT post_id FROM related_docs)"), 0);
	assert_int_equal(scalar(f, "SELECT sum(length(vector)) / 8 FROM related_docs"),
			 scalar(f, "SELECT count(*) FROM related_postings"));
	assert_int_equal(scalar(f, "SELECT count(*) FROM related r JOIN posts p ON "
				   "p.id = r.related_id WHERE p.status != 'published' OR "
				   "r.related_id = r.post_id"), 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM related WHERE post_id NOT IN "
				   "(SELECT post_id FROM related_docs)"), 0);
}

static void test_related_kept_current(void **state)
{
	struct fx *f = *state;
	/* 4 topics x 6 articles, published one by one */
	int64_t id[24];
	char slug[16];
	for (int i = 0; i < 24; i++) {
		snprintf(slug, sizeof slug, "a%d", i);
		id[i] = save_text(f, 0, slug, i % 4, i, POST_PUBLISHED);
	}
	expect_related_consistent(f);
	/* on topic: every article's first related one shares its topic, and
	 * the first article (published before any other) lists later ones */
	for (int i = 0; i < 24; i++) {
		int64_t *ids = NULL;
		size_t n = 0;
		assert_int_equal(STORE_CALL(f->st, related_ids, &f->a, id[i], &ids, &n), ERR_OK);
		assert_true(n >= 4);
		int topic = -1;
		for (int k = 0; k < 24; k++)
			if (id[k] == ids[0])
				topic = k % 4;
		if (topic != i % 4)
			fail_msg("article %d (topic %d): first related is of topic %d", i, i % 4, topic);
	}

	/* edits, unpublishing, deleting, drafts: still consistent, and the
	 * document frequencies are exactly what a rebuild counts */
	save_text(f, id[3], "a3", 2, 3, POST_PUBLISHED);  /* moves to topic 2 */
	save_text(f, id[5], "a5", 1, 5, POST_DRAFT);      /* unpublished */
	assert_int_equal(STORE_CALL(f->st, post_delete, id[7]), ERR_OK);
	save_text(f, 0, "draft", 0, 99, POST_DRAFT);
	expect_related_consistent(f);
	char *df = dump(f, "SELECT term, df FROM related_df ORDER BY term");
	int64_t *ids = NULL;
	size_t n = 0;
	for (int i = 0; i < 24; i++) {
		assert_int_equal(STORE_CALL(f->st, related_ids, &f->a, id[i], &ids, &n), ERR_OK);
		for (size_t k = 0; k < n; k++)
			assert_true(ids[k] != id[5] && ids[k] != id[7]);
	}
	assert_int_equal(STORE_CALL(f->st, related_ids, &f->a, id[5], &ids, &n), ERR_OK);
	assert_int_equal(n, 0);
	/* the moved article now sits with topic 2 */
	assert_int_equal(STORE_CALL(f->st, related_ids, &f->a, id[3], &ids, &n), ERR_OK);
	assert_true(n > 0);
	int k = 0;
	while (k < 24 && id[k] != ids[0])
		k++;
	assert_true(k < 24 && k % 4 == 2);

	assert_int_equal(STORE_CALL(f->st, relate_all, NULL), ERR_OK);
	expect_related_consistent(f);
	char *df2 = dump(f, "SELECT term, df FROM related_df ORDER BY term");
	assert_string_equal(df, df2);
	free(df);
	free(df2);

	/* republishing brings it back into others' lists */
	save_text(f, id[5], "a5", 1, 5, POST_PUBLISHED);
	expect_related_consistent(f);
	bool back = false;
	for (int i = 0; i < 24 && !back; i++) {
		if (i == 5 || i == 7)
			continue;
		assert_int_equal(STORE_CALL(f->st, related_ids, &f->a, id[i], &ids, &n), ERR_OK);
		for (size_t j = 0; j < n; j++)
			back |= ids[j] == id[5];
	}
	assert_true(back);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--set-title") == 0)
		return set_title_and_exit(argv[2], argv[3]);
	const struct CMUnitTest tests[] = {
		T(test_open_creates_schema),
		T(test_open_errors),
		T(test_settings),
		T(test_users),
		T(test_category_tree),
		T(test_category_move_subtree),
		T(test_category_move_under_descendant),
		T(test_category_delete),
		T(test_category_post_count),
		T(test_post_save_create_with_tags),
		T(test_post_save_update),
		T(test_post_save_update_null_strings_unchanged),
		T(test_post_duplicate_slug),
		T(test_post_set_status_and_delete),
		T(test_post_list_public_only),
		T(test_post_list_filters),
		T(test_post_list_pagination),
		T(test_post_publish_due),
		T(test_archive_months),
		T(test_redirects),
		T(test_change_log),
		T(test_changed_by_other_handle),
		T(test_read_kept_sees_commits),
		T(test_backup),
		T(test_open_v1_fixture),
		T(test_tags),
		T(test_sitemap_reads),
		T(test_related_kept_current),
		T(test_menu),
	};
	if (!test_pg_url())
		return cmocka_run_group_tests(tests, group_setup, NULL);
	/* PostgreSQL: everything but the tests about SQLite files */
	static const char *const sqlite_only[] = {
		"test_open_errors", "test_backup", "test_open_v1_fixture",
		"test_read_kept_sees_commits"};
	struct CMUnitTest pg_tests[sizeof tests / sizeof tests[0]];
	size_t n = 0;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		bool skip = false;
		for (size_t k = 0; k < sizeof sqlite_only / sizeof sqlite_only[0]; k++)
			skip |= strcmp(tests[i].name, sqlite_only[k]) == 0;
		if (!skip)
			pg_tests[n++] = tests[i];
	}
	return _cmocka_run_group_tests("test_store (PostgreSQL)", pg_tests, n, group_setup, NULL);
}
