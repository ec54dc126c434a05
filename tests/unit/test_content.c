/* test_content.c - unit tests for src/content/ (permalinks, site settings,
 * the rules for writing posts) and the excerpt views derive with
 * render/markdown.h.
 *
 * Tests that need a store get a fresh SQLite database in a mkdtemp folder
 * (setup/teardown), removed afterwards. "now" is a fixed instant passed to
 * the functions, never the machine's clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/permalink.h"
#include "content/post.h"
#include "content/settings.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "render/markdown.h"
#include "store/store.h"
#include "tmpdir.h"

#define NOW ((int64_t)1800000000) /* 2027-01-15T08:00:00Z */
#define DAY ((int64_t)86400)

struct fx {
	char dir[64];
	struct store *st;
	struct arena a;
	char msg[512];
	int64_t ann, admin;      /* users (ann is added first, admin second) */
	int64_t news, hall;      /* categories news, news/city-hall */
};

static int open_store(struct fx *f)
{
	snprintf(f->dir, sizeof f->dir, "/tmp/gazette-test-content-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char path[128], msg[256] = "";
	snprintf(path, sizeof path, "%s/gazette.db", f->dir);
	if (store_open(&f->st, path, msg, sizeof msg) != ERR_OK) {
		fprintf(stderr, "store_open: %s\n", msg);
		test_rm_tree(f->dir);
		return -1;
	}
	arena_init(&f->a, 0);
	return 0;
}

/* A store with no users at all. */
static int setup_empty(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || open_store(f) != 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

/* A store with two users and a small category tree. */
static int setup(void **state)
{
	if (setup_empty(state) != 0)
		return -1;
	struct fx *f = *state;
	struct user ann = {.login = "ann", .email = "ann@example.org", .role = ROLE_AUTHOR};
	struct user admin = {.login = "boss", .email = "boss@example.org", .role = ROLE_ADMIN};
	struct category news = {.slug = "news", .name = "News"};
	if (STORE_CALL(f->st, user_add, &ann, &f->ann) != ERR_OK ||
	    STORE_CALL(f->st, user_add, &admin, &f->admin) != ERR_OK ||
	    STORE_CALL(f->st, category_add, &news, &f->news) != ERR_OK)
		return -1;
	struct category hall = {.parent_id = f->news, .slug = "city-hall", .name = "City Hall"};
	if (STORE_CALL(f->st, category_add, &hall, &f->hall) != ERR_OK)
		return -1;
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

/* Create a post from fields; returns its id or fails the test. */
static int64_t create_ok(struct fx *f, const struct post_fields *pf)
{
	int64_t id = 0;
	f->msg[0] = '\0';
	enum err rc = post_create(f->st, &f->a, pf, NOW, &id, f->msg, sizeof f->msg);
	if (rc != ERR_OK)
		fail_msg("post_create(%s): %s: %s", pf->title ? pf->title : "(null)", err_str(rc),
			 f->msg);
	assert_true(id > 0);
	return id;
}

/* Expect post_create to fail with rc and an errmsg naming `field`. */
static void create_fails(struct fx *f, const struct post_fields *pf, enum err want,
			 const char *field)
{
	int64_t id = -3;
	f->msg[0] = '\0';
	enum err rc = post_create(f->st, &f->a, pf, NOW, &id, f->msg, sizeof f->msg);
	if (rc != want)
		fail_msg("post_create: rc %s (%s), want %s", err_str(rc), f->msg, err_str(want));
	if (field && !strstr(f->msg, field))
		fail_msg("post_create: message \"%s\" does not name \"%s\"", f->msg, field);
	assert_int_equal(id, -3);
}

static struct post get_post(struct fx *f, int64_t id)
{
	struct post p;
	assert_int_equal(STORE_CALL(f->st, post_get, &f->a, id, &p), ERR_OK);
	return p;
}

static struct post fake_post(enum post_type type, int64_t id, const char *slug, int64_t when,
			     const char *cat_path)
{
	struct post p;
	memset(&p, 0, sizeof p);
	p.id = id;
	p.type = type;
	p.status = POST_PUBLISHED;
	p.slug = slug;
	p.title = slug;
	p.published_at = when;
	p.category_path = cat_path;
	return p;
}

/* -------------------------------------------------------------- permalink */

static void test_permalink_valid(void **state)
{
	(void)state;
	const char *good[] = {
		"/%year%/%month%/%slug%/",
		"/%year%/%month%/%day%/%slug%/",
		"/%category%/%slug%/",
		"/%id%/",
		"/%slug%/",
		"/blog/%slug%/",
		"/news/%year%/%id%/",
		"/a-1/%category%/%id%/",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!permalink_valid(good[i]))
			fail_msg("permalink \"%s\" refused", good[i]);
	const char *bad[] = {
		"",
		"/",
		"//",
		"%slug%/",
		"/%slug%",
		"/%year%/%month%/",          /* neither %slug% nor %id% */
		"/%category%/",
		"/blog/",
		"/Blog/%slug%/",             /* literal must be [a-z0-9-] */
		"/blog_x/%slug%/",
		"/b.log/%slug%/",
		"/%slug%//",
		"//%slug%/",
		"/%foo%/%slug%/",            /* unknown token */
		"/%SLUG%/",
		"/%slug%.html/",             /* token and literal in one segment */
		"/post-%id%/",
		"/%year%-%month%/%slug%/",
		"/%slug%x/",
		"/ %slug%/",
		"/%slug%/?p=1/",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (permalink_valid(bad[i]))
			fail_msg("permalink \"%s\" accepted", bad[i]);
}

/* permalink.h: "%category% ... may span segments, so it must be the only
 * token that does" - two of them cannot be told apart when matching. */
static void test_permalink_valid_one_category(void **state)
{
	(void)state;
	assert_false(permalink_valid("/%category%/%category%/%slug%/"));
	assert_false(permalink_valid("/%category%/%slug%/%category%/"));
}

static void test_permalink_default_round_trip(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	const char *pat = "/%year%/%month%/%slug%/";
	/* 2026-11-26T17:30:00Z */
	struct post p = fake_post(POST_ARTICLE, 7, "hello-world", 1795714200, NULL);
	char *url = permalink_for(&a, pat, &p);
	assert_string_equal(url, "/2026/11/hello-world/");
	struct permalink_parts pp;
	assert_true(permalink_match(&a, pat, url, &pp));
	assert_int_equal(pp.year, 2026);
	assert_int_equal(pp.month, 11);
	assert_int_equal(pp.day, 0);
	assert_int_equal(pp.id, 0);
	assert_string_equal(pp.slug, "hello-world");
	assert_null(pp.category);

	/* months and days are zero-padded */
	p = fake_post(POST_ARTICLE, 8, "jan", 1767225600 + 4 * DAY, NULL); /* 2026-01-05 */
	assert_string_equal(permalink_for(&a, pat, &p), "/2026/01/jan/");
	assert_string_equal(permalink_for(&a, "/%year%/%month%/%day%/%slug%/", &p),
			    "/2026/01/05/jan/");
	assert_true(permalink_match(&a, "/%year%/%month%/%day%/%slug%/", "/2026/01/05/jan/", &pp));
	assert_int_equal(pp.day, 5);
	assert_int_equal(pp.month, 1);

	/* dates are in the site zone: 23:30Z on 30 Nov is December in Paris */
	assert_true(time_set_zone("Europe/Paris"));
	p = fake_post(POST_ARTICLE, 9, "late", 1796079600 + 1800, NULL);
	url = permalink_for(&a, pat, &p);
	time_set_zone("UTC");
	assert_string_equal(url, "/2026/12/late/");
	assert_string_equal(permalink_for(&a, pat, &p), "/2026/11/late/");

	/* pages are /slug/ whatever the pattern */
	struct post page = fake_post(POST_PAGE, 10, "about", 1795714200, NULL);
	assert_string_equal(permalink_for(&a, pat, &page), "/about/");
	assert_string_equal(permalink_for(&a, "/%id%/", &page), "/about/");

	/* literal segments */
	p = fake_post(POST_ARTICLE, 11, "x", 1795714200, NULL);
	assert_string_equal(permalink_for(&a, "/blog/%slug%/", &p), "/blog/x/");
	assert_true(permalink_match(&a, "/blog/%slug%/", "/blog/x/", &pp));
	assert_string_equal(pp.slug, "x");
	assert_false(permalink_match(&a, "/blog/%slug%/", "/news/x/", &pp));
	arena_free(&a);
}

/* Each thread keeps the last pattern it split (permalink.c): switching
 * patterns, or changing one in place, never reuses the old split; one of
 * 256 bytes or more is refused, as permalink_valid refuses it. */
static void test_permalink_patterns_kept_and_not(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct post p = fake_post(POST_ARTICLE, 12, "kept", 1795714200, NULL);
	struct permalink_parts pp;
	char lit[301];
	memset(lit, 'a', 300);
	lit[300] = '\0';
	char *longpat = ARENA_CAT(&a, "/", lit, "/%slug%/");
	/* 100 segments: the most a 255-byte pattern can have, nearly */
	char many[201];
	for (int i = 0; i < 100; i++)
		memcpy(many + 2 * i, "/s", 2);
	many[200] = '\0';
	char *manypat = ARENA_CAT(&a, many, "/%id%/");
	char *manywant = ARENA_CAT(&a, many, "/12/");
	assert_true(permalink_valid(manypat));
	assert_false(permalink_valid(longpat));
	/* 200 empty segments (never a valid pattern): refused, not overrun */
	char slashes[202];
	memset(slashes, '/', 201);
	slashes[201] = '\0';
	assert_false(permalink_valid(slashes));
	assert_null(permalink_for(&a, slashes, &p));
	assert_false(permalink_match(&a, slashes, "/2026/kept/", &pp));
	for (int round = 0; round < 2; round++) {
		assert_string_equal(permalink_for(&a, "/%year%/%slug%/", &p), "/2026/kept/");
		assert_null(permalink_for(&a, longpat, &p));
		assert_false(permalink_match(&a, longpat, "/2026/kept/", &pp));
		assert_string_equal(permalink_for(&a, manypat, &p), manywant);
		assert_true(permalink_match(&a, manypat, manywant, &pp));
		assert_int_equal(pp.id, 12);
		assert_false(permalink_match(&a, manypat, "/2026/kept/", &pp));
		assert_true(permalink_match(&a, "/%year%/%slug%/", "/2026/kept/", &pp));
		assert_string_equal(pp.slug, "kept");
	}
	/* the same address, other bytes of the same length: split again */
	char pat[] = "/%year%/%slug%/";
	assert_string_equal(permalink_for(&a, pat, &p), "/2026/kept/");
	memcpy(pat, "/%slug%/%year%/", sizeof pat);
	assert_string_equal(permalink_for(&a, pat, &p), "/kept/2026/");
	assert_true(permalink_match(&a, pat, "/kept/2026/", &pp));
	assert_int_equal(pp.year, 2026);
	arena_free(&a);
}

static void test_permalink_category_round_trip(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	const char *pat = "/%category%/%slug%/";
	struct post p = fake_post(POST_ARTICLE, 3, "budget-vote", 1795714200, "news/city-hall");
	char *url = permalink_for(&a, pat, &p);
	assert_string_equal(url, "/news/city-hall/budget-vote/");
	struct permalink_parts pp;
	assert_true(permalink_match(&a, pat, url, &pp));
	assert_string_equal(pp.category, "news/city-hall");
	assert_string_equal(pp.slug, "budget-vote");
	assert_int_equal(pp.year, 0);
	assert_int_equal(pp.id, 0);

	/* one level, and three */
	assert_true(permalink_match(&a, pat, "/news/x/", &pp));
	assert_string_equal(pp.category, "news");
	assert_string_equal(pp.slug, "x");
	assert_true(permalink_match(&a, pat, "/a/b/c/x/", &pp));
	assert_string_equal(pp.category, "a/b/c");
	assert_string_equal(pp.slug, "x");

	/* no category */
	p.category_path = NULL;
	url = permalink_for(&a, pat, &p);
	assert_string_equal(url, "/uncategorized/budget-vote/");
	assert_true(permalink_match(&a, pat, url, &pp));
	assert_string_equal(pp.category, "uncategorized");

	/* with something after the category */
	const char *pat2 = "/%category%/%year%/%slug%/";
	p.category_path = "news/city-hall";
	url = permalink_for(&a, pat2, &p);
	assert_string_equal(url, "/news/city-hall/2026/budget-vote/");
	assert_true(permalink_match(&a, pat2, url, &pp));
	assert_string_equal(pp.category, "news/city-hall");
	assert_int_equal(pp.year, 2026);
	assert_string_equal(pp.slug, "budget-vote");

	/* too few segments */
	assert_false(permalink_match(&a, pat, "/x/", &pp));
	assert_false(permalink_match(&a, pat, "//x/", &pp));
	assert_false(permalink_match(&a, pat, "/news//x/", &pp));
	assert_false(permalink_match(&a, pat, "/news/X/", &pp));
	arena_free(&a);
}

static void test_permalink_id_round_trip(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	const char *pat = "/%id%/";
	struct post p = fake_post(POST_ARTICLE, 42, "ignored", 1795714200, NULL);
	char *url = permalink_for(&a, pat, &p);
	assert_string_equal(url, "/42/");
	struct permalink_parts pp;
	assert_true(permalink_match(&a, pat, url, &pp));
	assert_int_equal(pp.id, 42);
	assert_null(pp.slug);
	assert_null(pp.category);
	assert_int_equal(pp.year, 0);

	p.id = 9007199254740993LL;
	url = permalink_for(&a, pat, &p);
	assert_string_equal(url, "/9007199254740993/");
	assert_true(permalink_match(&a, pat, url, &pp));
	assert_true(pp.id == 9007199254740993LL);

	const char *bad[] = {"/0/",  "/-1/", "/01/", "/abc/", "/4x/", "/+4/",
			     "/ 4/", "/4/5/", "/",   "/4",    "4/",   "/99999999999999999999/"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (permalink_match(&a, pat, bad[i], &pp))
			fail_msg("/%%id%%/ matched \"%s\"", bad[i]);
	arena_free(&a);
}

static void test_permalink_no_match(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	const char *pat = "/%year%/%month%/%slug%/";
	struct permalink_parts pp;
	assert_true(permalink_match(&a, pat, "/2026/11/slug/", &pp));
	const char *bad[] = {
		"/2026/11/",            /* too few segments */
		"/2026/",
		"/",
		"",
		"/2026/11/a/b/",        /* too many */
		"/2026/13/slug/",       /* bad month */
		"/2026/00/slug/",
		"/2026/1/slug/",        /* month must be two digits */
		"/2026/011/slug/",
		"/2026/1a/slug/",
		"/26/11/slug/",         /* year must be four digits */
		"/1969/11/slug/",
		"/abcd/11/slug/",
		"/2026/11/Slug/",       /* slug with upper case */
		"/2026/11/HELLO/",
		"/2026/11/hello_world/",
		"/2026/11/hello--world/",
		"/2026/11/-hello/",
		"/2026/11/caf\xC3\xA9/",
		"/2026/11/slug",        /* no trailing slash */
		"2026/11/slug/",        /* no leading slash */
		"/2026//slug/",         /* empty segment */
		"//2026/11/slug/",
		"/2026/11//",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (permalink_match(&a, pat, bad[i], &pp))
			fail_msg("default pattern matched \"%s\"", bad[i]);
	arena_free(&a);
}

/* --------------------------------------------------------------- settings */

static void test_settings_defaults(void **state)
{
	struct fx *f = *state;
	assert_string_equal(settings_get(f->st, &f->a, "posts_per_page"), "10");
	assert_string_equal(settings_get(f->st, &f->a, "timezone"), "UTC");
	assert_string_equal(settings_get(f->st, &f->a, "permalink"), "/%year%/%month%/%slug%/");
	assert_string_equal(settings_get(f->st, &f->a, "base_url"), "");
	assert_string_equal(settings_get(f->st, &f->a, "comments_open"), "1");
	assert_true(strlen(settings_get(f->st, &f->a, "title")) > 0);
	assert_string_equal(settings_get(f->st, &f->a, "no_such_key"), "");
	assert_int_equal(settings_get_int(f->st, &f->a, "posts_per_page"), 10);
	assert_int_equal(settings_get_int(f->st, &f->a, "comments_open"), 1);

	/* every key is listed, with a default that passes its own check */
	size_t i = 0;
	const char *k, *def, *help;
	bool saw_title = false;
	while ((k = settings_key(i++, &def, &help))) {
		assert_non_null(def);
		assert_non_null(help);
		saw_title |= strcmp(k, "title") == 0;
		assert_string_equal(settings_get(f->st, &f->a, k), def);
		char msg[256] = "";
		if (settings_set(f->st, k, def, msg, sizeof msg) != ERR_OK)
			fail_msg("default of %s refused: %s", k, msg);
	}
	assert_true(saw_title);
	assert_true(i > 10);
	assert_null(settings_key(1000, NULL, NULL));
}

static void test_settings_init_defaults(void **state)
{
	struct fx *f = *state;
	char msg[256];
	assert_int_equal(settings_set(f->st, "title", "Mine", msg, sizeof msg), ERR_OK);
	assert_int_equal(settings_init_defaults(f->st), ERR_OK);
	const char *v = NULL;
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "posts_per_page", &v), ERR_OK);
	assert_string_equal(v, "10");
	assert_int_equal(STORE_CALL(f->st, setting_get, &f->a, "title", &v), ERR_OK);
	assert_string_equal(v, "Mine"); /* not overwritten */
}

/* A snapshot answers as settings_get/settings_get_int do: stored values,
 * defaults for the rest, a stored value that is no number read as the
 * default's number, and stored keys the table does not know. */
static void test_settings_snapshot(void **state)
{
	struct fx *f = *state;
	char msg[256];
	assert_int_equal(settings_set(f->st, "posts_per_page", "25", msg, sizeof msg), ERR_OK);
	assert_int_equal(settings_set(f->st, "title", "Snap", msg, sizeof msg), ERR_OK);
	/* past settings_set's checks, as an old or hand-edited database may be */
	assert_int_equal(STORE_CALL(f->st, setting_set, "comments_depth", "deep"), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, setting_set, "legacy_key", "kept"), ERR_OK);
	struct settings_snapshot s;
	assert_int_equal(settings_load(f->st, &f->a, &s), ERR_OK);
	assert_string_equal(settings_snap_get(&s, "title"), "Snap");
	assert_int_equal(settings_snap_int(&s, "posts_per_page"), 25);
	assert_string_equal(settings_snap_get(&s, "timezone"), "UTC");
	assert_int_equal(settings_snap_int(&s, "comments_token_max_age"), 172800);
	assert_string_equal(settings_snap_get(&s, "comments_depth"), "deep");
	assert_int_equal(settings_snap_int(&s, "comments_depth"), 5);
	assert_string_equal(settings_snap_get(&s, "legacy_key"), "kept");
	assert_string_equal(settings_snap_get(&s, "no_such_key"), "");
	assert_int_equal(settings_snap_int(&s, "no_such_key"), 0);
	for (size_t i = 0;; i++) {
		const char *k = settings_key(i, NULL, NULL);
		if (!k)
			break;
		assert_string_equal(settings_snap_get(&s, k), settings_get(f->st, &f->a, k));
		assert_int_equal(settings_snap_int(&s, k), settings_get_int(f->st, &f->a, k));
	}
}

static void test_settings_set_validation(void **state)
{
	struct fx *f = *state;
	char msg[256];
	/* unknown key */
	msg[0] = '\0';
	assert_int_equal(settings_set(f->st, "no_such_key", "1", msg, sizeof msg), ERR_NOTFOUND);
	assert_non_null(strstr(msg, "no_such_key"));

	static const struct {
		const char *key, *value;
		bool ok;
	} cases[] = {
		{"posts_per_page", "0", false},
		{"posts_per_page", "abc", false},
		{"posts_per_page", "101", false},
		{"posts_per_page", "-1", false},
		{"posts_per_page", "", false},
		{"posts_per_page", " 5", false},
		{"posts_per_page", "5.5", false},
		{"posts_per_page", "1", true},
		{"posts_per_page", "100", true},
		{"posts_per_page", "20", true},
		{"base_url", "https://example.org/", false},
		{"base_url", "https://example.org/news/", false},
		{"base_url", "ftp://example.org", false},
		{"base_url", "example.org", false},
		{"base_url", "https://example.org?x=1", false},
		{"base_url", "https://example.org#top", false},
		{"base_url", "https://exa mple.org", false},
		{"base_url", "javascript:alert(1)", false},
		{"base_url", "https://example.org", true},
		{"base_url", "http://127.0.0.1:8080", true},
		{"base_url", "https://example.org/news", true},
		{"base_url", "", true},
		{"timezone", "Mars/Olympus", false},
		{"timezone", "", false},
		{"timezone", "../../etc/passwd", false},
		{"timezone", "/etc/localtime", false},
		{"timezone", "Europe/Paris", true},
		{"timezone", "America/New_York", true},
		{"timezone", "UTC", true},
		{"permalink", "/%slug%", false},
		{"permalink", "/%year%/", false},
		{"permalink", "/%id%/", true},
		{"comments_open", "2", false},
		{"comments_open", "yes", false},
		{"comments_open", "0", true},
		{"title", "", false},
		{"title", "Bad\ttitle", false},
		{"title", "Bad\xFFtitle", false},
		{"title", "Caf\xC3\xA9 Gazette", true},
		{"language", "e", false},
		{"language", "en_US", false},
		{"language", "pt-BR", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		msg[0] = '\0';
		enum err rc = settings_set(f->st, cases[i].key, cases[i].value, msg, sizeof msg);
		if (cases[i].ok && rc != ERR_OK)
			fail_msg("settings_set(%s, \"%s\") refused: %s", cases[i].key,
				 cases[i].value, msg);
		if (!cases[i].ok) {
			if (rc != ERR_INVALID)
				fail_msg("settings_set(%s, \"%s\"): rc %s, want invalid",
					 cases[i].key, cases[i].value, err_str(rc));
			if (!strstr(msg, cases[i].key))
				fail_msg("settings_set(%s) message \"%s\" does not name the key",
					 cases[i].key, msg);
		}
	}
	/* refused values leave the stored ones alone */
	assert_string_equal(settings_get(f->st, &f->a, "posts_per_page"), "20");
	assert_int_equal(settings_get_int(f->st, &f->a, "posts_per_page"), 20);
	assert_string_equal(settings_get(f->st, &f->a, "timezone"), "UTC");
	assert_string_equal(settings_get(f->st, &f->a, "base_url"), "");
	assert_string_equal(settings_get(f->st, &f->a, "title"), "Caf\xC3\xA9 Gazette");
}

/* A folder of the zone database is not a time zone. */
static void test_settings_timezone_not_a_folder(void **state)
{
	struct fx *f = *state;
	char msg[256] = "";
	assert_int_equal(settings_set(f->st, "timezone", "Europe", msg, sizeof msg), ERR_INVALID);
	assert_int_equal(settings_set(f->st, "timezone", "America/", msg, sizeof msg), ERR_INVALID);
}

/* ------------------------------------------------------------- post rules */

static void test_post_title_required(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	create_fails(f, &pf, ERR_INVALID, "title");
	pf.title = "";
	create_fails(f, &pf, ERR_INVALID, "title");
	pf.title = "  \t ";
	create_fails(f, &pf, ERR_INVALID, "title");
	pf.title = "Bad \xC3\x28 title"; /* invalid UTF-8 */
	create_fails(f, &pf, ERR_INVALID, "title");
	pf.title = "Overlong \xC0\xAF";
	create_fails(f, &pf, ERR_INVALID, "title");
	pf.title = "Line\nbreak";
	create_fails(f, &pf, ERR_INVALID, "title");
	char longt[POST_TITLE_MAX + 2];
	memset(longt, 'x', sizeof longt - 1);
	longt[sizeof longt - 1] = '\0';
	pf.title = longt;
	create_fails(f, &pf, ERR_INVALID, "title");
	longt[POST_TITLE_MAX] = '\0';
	create_ok(f, &pf); /* exactly the limit */

	/* nothing was stored by the failures */
	struct post_query q = {.type = POST_ARTICLE, };
	struct post *ps;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, post_list, &f->a, &q, &ps, &n, NULL), ERR_OK);
	assert_int_equal(n, 1);
}

static void test_post_slug_generated(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.title = "Hello World";
	int64_t a = create_ok(f, &pf);
	int64_t b = create_ok(f, &pf);
	int64_t c = create_ok(f, &pf);
	assert_string_equal(get_post(f, a).slug, "hello-world");
	assert_string_equal(get_post(f, b).slug, "hello-world-2");
	assert_string_equal(get_post(f, c).slug, "hello-world-3");
	assert_string_equal(get_post(f, a).title, "Hello World");

	pf.title = "Caf\xC3\xA9 Zo\xC3\xAB";
	assert_string_equal(get_post(f, create_ok(f, &pf)).slug, "cafe-zoe");
	pf.title = "  Breaking: -- News!!  ";
	assert_string_equal(get_post(f, create_ok(f, &pf)).slug, "breaking-news");
	/* nothing usable in the title: still a valid slug */
	pf.title = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";
	const char *s = get_post(f, create_ok(f, &pf)).slug;
	assert_true(str_slug_valid(s));
	s = get_post(f, create_ok(f, &pf)).slug;
	assert_true(str_slug_valid(s));

	/* articles and pages have separate slugs */
	pf.title = "Hello World";
	pf.type = POST_PAGE;
	assert_string_equal(get_post(f, create_ok(f, &pf)).slug, "hello-world");
}

/* A very long title gives a shorter slug that is valid, also when made
 * unique: post.h promises "the slug is valid and unique". The words here
 * put a dash at the 180-byte cut. */
static void test_post_slug_long_title(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	char longt[POST_TITLE_MAX + 1];
	for (size_t i = 0; i < POST_TITLE_MAX; i++)
		longt[i] = i % 5 == 4 ? ' ' : 'w';
	longt[POST_TITLE_MAX] = '\0';
	pf.title = longt;
	for (int k = 1; k <= 3; k++) {
		const char *s = get_post(f, create_ok(f, &pf)).slug;
		if (!str_slug_valid(s) || strlen(s) > 190)
			fail_msg("post %d: slug \"%s\" is not a valid slug", k, s);
		if (k > 1) {
			char suffix[8];
			snprintf(suffix, sizeof suffix, "-%d", k);
			assert_true(str_ends(s, suffix));
		}
	}
}

static void test_post_slug_explicit(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.title = "First";
	pf.slug = "my-slug";
	int64_t id = create_ok(f, &pf);
	assert_string_equal(get_post(f, id).slug, "my-slug");
	pf.title = "Second";
	create_fails(f, &pf, ERR_CONFLICT, "slug");
	pf.slug = "Not A Slug";
	create_fails(f, &pf, ERR_INVALID, "slug");
	pf.slug = "trailing-";
	create_fails(f, &pf, ERR_INVALID, "slug");
	pf.slug = "";
	create_fails(f, &pf, ERR_INVALID, "slug");
	/* a generated slug steps around an explicit one */
	pf.slug = NULL;
	pf.title = "My Slug";
	assert_string_equal(get_post(f, create_ok(f, &pf)).slug, "my-slug-2");
}

static void test_post_page_reserved_slugs(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.type = POST_PAGE;
	pf.title = "A page";
	const char *reserved[] = {"category", "tag", "author", "search", "feed", "admin",
				  "2026", "1999"};
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
		pf.slug = reserved[i];
		int64_t id = -3;
		f->msg[0] = '\0';
		enum err rc = post_create(f->st, &f->a, &pf, NOW, &id, f->msg, sizeof f->msg);
		if (rc == ERR_OK)
			fail_msg("page slug \"%s\" accepted", reserved[i]);
		if (!strstr(f->msg, "slug"))
			fail_msg("page slug \"%s\": message \"%s\" does not name the slug",
				 reserved[i], f->msg);
	}
	/* generated from such a title: steps aside */
	pf.slug = NULL;
	pf.title = "Category";
	const char *s = get_post(f, create_ok(f, &pf)).slug;
	assert_string_not_equal(s, "category");
	assert_true(str_slug_valid(s));
	pf.title = "2026";
	s = get_post(f, create_ok(f, &pf)).slug;
	assert_string_not_equal(s, "2026");
	assert_true(str_slug_valid(s));
	/* an ordinary page slug is fine */
	pf.slug = "about";
	pf.title = "About";
	assert_string_equal(get_post(f, create_ok(f, &pf)).slug, "about");
}

static void test_post_status_and_date(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	/* default: a draft dated now */
	pf.title = "Draft";
	struct post p = get_post(f, create_ok(f, &pf));
	assert_int_equal(p.status, POST_DRAFT);
	assert_int_equal(p.published_at, NOW);

	/* published with a future date becomes scheduled */
	pf.title = "Future";
	pf.status = "published";
	pf.date = "2027-02-01T09:00:00Z";
	p = get_post(f, create_ok(f, &pf));
	assert_int_equal(p.status, POST_SCHEDULED);
	int64_t want;
	assert_true(time_parse_iso("2027-02-01T09:00:00Z", &want));
	assert_int_equal(p.published_at, want);

	/* published in the past stays published, back-dated */
	pf.title = "Past";
	pf.date = "2026-11-26T17:30:00+01:00";
	p = get_post(f, create_ok(f, &pf));
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_int_equal(p.published_at, 1795710600);

	/* published now */
	pf.title = "Now";
	pf.date = NULL;
	p = get_post(f, create_ok(f, &pf));
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_int_equal(p.published_at, NOW);

	/* scheduled needs a future date */
	pf.title = "Sched";
	pf.status = "scheduled";
	pf.date = "2026-01-01";
	create_fails(f, &pf, ERR_INVALID, NULL);
	pf.date = NULL; /* now is not the future either */
	create_fails(f, &pf, ERR_INVALID, NULL);
	pf.date = "2027-03-01";
	p = get_post(f, create_ok(f, &pf));
	assert_int_equal(p.status, POST_SCHEDULED);

	/* bad status and dates */
	pf.title = "Bad";
	pf.status = "live";
	pf.date = NULL;
	create_fails(f, &pf, ERR_INVALID, "status");
	pf.status = "published";
	pf.date = "2026-02-30";
	create_fails(f, &pf, ERR_INVALID, "date");
	pf.date = "yesterday";
	create_fails(f, &pf, ERR_INVALID, "date");

	/* other statuses are kept as given */
	const char *sts[] = {"pending", "private", "trash", "draft"};
	const enum post_status want_st[] = {POST_PENDING, POST_PRIVATE, POST_TRASH, POST_DRAFT};
	for (size_t i = 0; i < 4; i++) {
		pf.title = sts[i];
		pf.status = sts[i];
		pf.date = NULL;
		p = get_post(f, create_ok(f, &pf));
		assert_int_equal(p.status, want_st[i]);
	}
}

static void test_post_category_and_author(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.title = "Filed";
	pf.category = "news/city-hall";
	struct post p = get_post(f, create_ok(f, &pf));
	assert_int_equal(p.category_id, f->hall);
	assert_string_equal(p.category_path, "news/city-hall");
	pf.category = "city-hall"; /* by slug */
	assert_int_equal(get_post(f, create_ok(f, &pf)).category_id, f->hall);
	pf.category = "news";
	assert_int_equal(get_post(f, create_ok(f, &pf)).category_id, f->news);
	pf.category = "";
	assert_int_equal(get_post(f, create_ok(f, &pf)).category_id, 0);

	pf.category = "nowhere";
	create_fails(f, &pf, ERR_INVALID, "category");
	pf.category = "news/nowhere";
	create_fails(f, &pf, ERR_INVALID, "category");
	pf.category = NULL;

	/* default author: the first admin, not the first user */
	p = get_post(f, create_ok(f, &pf));
	assert_int_equal(p.author_id, f->admin);
	pf.author = "ann";
	p = get_post(f, create_ok(f, &pf));
	assert_int_equal(p.author_id, f->ann);
	assert_string_equal(p.author_login, "ann");
	pf.author = "nobody";
	create_fails(f, &pf, ERR_INVALID, "author");
}

static void test_post_no_users(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.title = "Lonely";
	create_fails(f, &pf, ERR_INVALID, "author");
}

static void test_post_body_rendered(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.title = "Body";
	pf.body_md = "Hello *world*.\n\n"
		     "<script>alert(1)</script>\n\n"
		     "Inline <script>alert(2)</script> too, <img src=x onerror=alert(3)>.\n\n"
		     "[click](javascript:alert(4)) and [ok](https://example.org/)\n";
	struct post p = get_post(f, create_ok(f, &pf));
	assert_string_equal(p.body_md, pf.body_md);
	assert_non_null(strstr(p.body_html, "<em>world</em>"));
	assert_non_null(strstr(p.body_html, "href=\"https://example.org/\""));
	if (strstr(p.body_html, "<script") || strstr(p.body_html, "<img") ||
	    strstr(p.body_html, "javascript:"))
		fail_msg("unsafe HTML survived: %s", p.body_html);
	/* the excerpt is left for views to derive */
	assert_string_equal(p.excerpt, "");

	pf.excerpt = "Given excerpt";
	assert_string_equal(get_post(f, create_ok(f, &pf)).excerpt, "Given excerpt");
	pf.excerpt = NULL;

	pf.body_md = "bad \xFF byte";
	create_fails(f, &pf, ERR_INVALID, "body");
	pf.body_md = "nul-free but \xED\xA0\x80 surrogate";
	create_fails(f, &pf, ERR_INVALID, "body");
}

static void test_post_tags_and_flags(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.title = "Tagged";
	pf.tags = "Local News, Elections, , local news,  ";
	int64_t id = create_ok(f, &pf);
	struct tag *ts;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, id, &ts, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ts[0].name, "Elections");
	assert_string_equal(ts[1].slug, "local-news");
	/* defaults: not sticky, comments open as the setting says */
	struct post p = get_post(f, id);
	assert_false(p.sticky);
	assert_true(p.comments_open);
	char msg[256];
	assert_int_equal(settings_set(f->st, "comments_open", "0", msg, sizeof msg), ERR_OK);
	pf.tags = NULL;
	pf.sticky = 1;
	p = get_post(f, create_ok(f, &pf));
	assert_true(p.sticky);
	assert_false(p.comments_open);
	pf.comments_open = 1;
	assert_true(get_post(f, create_ok(f, &pf)).comments_open);
}

static void test_post_update(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	pf.title = "Original title";
	pf.body_md = "Original *body*";
	pf.category = "news";
	pf.tags = "one, two";
	pf.author = "ann";
	int64_t id = create_ok(f, &pf);

	/* only the title changes; the slug stays (links keep working) */
	struct post_fields up = POST_FIELDS_INIT;
	up.title = "New title";
	f->msg[0] = '\0';
	assert_int_equal(post_update(f->st, &f->a, id, &up, NOW, f->msg, sizeof f->msg), ERR_OK);
	struct post p = get_post(f, id);
	assert_string_equal(p.title, "New title");
	assert_string_equal(p.slug, "original-title");
	assert_string_equal(p.body_md, "Original *body*");
	assert_non_null(strstr(p.body_html, "<em>body</em>"));
	assert_int_equal(p.category_id, f->news);
	assert_int_equal(p.author_id, f->ann);
	assert_int_equal(p.status, POST_DRAFT);
	struct tag *ts;
	size_t n;
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, id, &ts, &n), ERR_OK);
	assert_int_equal(n, 2);

	/* clearing tags and category with "" */
	up.tags = "";
	up.category = "";
	assert_int_equal(post_update(f->st, &f->a, id, &up, NOW, f->msg, sizeof f->msg), ERR_OK);
	assert_int_equal(STORE_CALL(f->st, post_tags, &f->a, id, &ts, &n), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(get_post(f, id).category_id, 0);

	/* taking another post's slug is refused */
	struct post_fields other = POST_FIELDS_INIT;
	other.title = "Other";
	create_ok(f, &other);
	struct post_fields steal = POST_FIELDS_INIT;
	steal.slug = "other";
	assert_int_equal(post_update(f->st, &f->a, id, &steal, NOW, f->msg, sizeof f->msg),
			 ERR_CONFLICT);
	assert_non_null(strstr(f->msg, "slug"));
	/* keeping its own slug explicitly is fine */
	steal.slug = "original-title";
	assert_int_equal(post_update(f->st, &f->a, id, &steal, NOW, f->msg, sizeof f->msg), ERR_OK);

	assert_int_not_equal(post_update(f->st, &f->a, 9999, &up, NOW, f->msg, sizeof f->msg),
			     ERR_OK);
}

static void test_post_publish(void **state)
{
	struct fx *f = *state;
	struct post_fields pf = POST_FIELDS_INIT;
	/* a draft without a date of its own is published with today's date */
	pf.title = "Undated draft";
	int64_t id = create_ok(f, &pf);
	assert_int_equal(get_post(f, id).status, POST_DRAFT);
	enum post_status res = POST_TRASH;
	assert_int_equal(post_publish(f->st, &f->a, id, NOW + 3600, &res), ERR_OK);
	assert_int_equal(res, POST_PUBLISHED);
	struct post p = get_post(f, id);
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_int_equal(p.published_at, NOW + 3600);
	assert_true(post_is_public(&p, NOW + 3600));

	/* a draft the author back-dated keeps its date (and its URL) */
	pf.title = "Back-dated draft";
	pf.date = "2026-06-01";
	id = create_ok(f, &pf);
	int64_t dated = get_post(f, id).published_at;
	assert_int_equal(post_publish(f->st, &f->a, id, NOW, &res), ERR_OK);
	assert_int_equal(res, POST_PUBLISHED);
	p = get_post(f, id);
	assert_int_equal(p.published_at, dated);
	assert_true(post_is_public(&p, NOW));

	/* a draft dated in the future is scheduled for that date */
	pf.title = "Future draft";
	pf.date = "2027-02-01T00:00:00Z";
	id = create_ok(f, &pf);
	assert_int_equal(post_publish(f->st, &f->a, id, NOW, &res), ERR_OK);
	assert_int_equal(res, POST_SCHEDULED);
	p = get_post(f, id);
	assert_int_equal(p.status, POST_SCHEDULED);
	int64_t want;
	assert_true(time_parse_iso("2027-02-01T00:00:00Z", &want));
	assert_int_equal(p.published_at, want);
	assert_false(post_is_public(&p, NOW));
	assert_true(post_is_public(&p, want));

	/* a published post keeps its date when published again */
	pf.title = "Already out";
	pf.status = "published";
	pf.date = "2026-12-01";
	id = create_ok(f, &pf);
	int64_t date = get_post(f, id).published_at;
	assert_int_equal(post_publish(f->st, &f->a, id, NOW, NULL), ERR_OK);
	p = get_post(f, id);
	assert_int_equal(p.status, POST_PUBLISHED);
	assert_int_equal(p.published_at, date);

	assert_int_equal(post_publish(f->st, &f->a, 9999, NOW, &res), ERR_NOTFOUND);
}

static void test_post_is_public(void **state)
{
	(void)state;
	struct post p = fake_post(POST_ARTICLE, 1, "x", NOW, NULL);
	assert_true(post_is_public(&p, NOW));
	assert_false(post_is_public(&p, NOW - 1));
	p.status = POST_SCHEDULED;
	assert_true(post_is_public(&p, NOW + 1));
	const enum post_status hidden[] = {POST_DRAFT, POST_PENDING, POST_PRIVATE, POST_TRASH};
	for (size_t i = 0; i < 4; i++) {
		p.status = hidden[i];
		assert_false(post_is_public(&p, NOW + DAY));
	}
}

/* ---------------------------------------------------------------- excerpt */

static void check_excerpt(const char *md, size_t max, const char *want)
{
	struct arena a;
	arena_init(&a, 0);
	char *text = NULL;
	assert_int_equal(markdown_excerpt(&a, md, max, &text), ERR_OK);
	char got[512];
	str_copy(got, text, sizeof got);
	arena_free(&a);
	if (strcmp(got, want) != 0)
		fail_msg("markdown_excerpt(\"%s\", %zu) = \"%s\", want \"%s\"", md, max, got, want);
}

static void test_excerpt(void **state)
{
	(void)state;
	/* short text: no cut, no ellipsis */
	check_excerpt("Short text.", 100, "Short text.");
	check_excerpt("", 100, "");
	/* Markdown is reduced to its text, whitespace collapsed */
	check_excerpt("Hello *world* and [a link](https://example.org)  with\n`code`.", 200,
		      "Hello world and a link with code.");
	/* headings, lists and code blocks are not excerpt material */
	check_excerpt("# Title\n\nFirst para.", 100, "First para.");
	check_excerpt("- item\n- item\n\nAfter the list.", 100, "After the list.");
	/* cut at a word boundary with an ellipsis */
	check_excerpt("The quick brown fox jumps over the lazy dog", 20,
		      "The quick brown fox\xE2\x80\xA6");
	check_excerpt("alpha beta gamma", 12, "alpha beta\xE2\x80\xA6");
	check_excerpt("alpha beta gamma", 11, "alpha beta\xE2\x80\xA6");
	/* exactly fitting: no cut */
	check_excerpt("alpha beta gamma", 16, "alpha beta gamma");
	/* two paragraphs join with a space */
	check_excerpt("One.\n\nTwo.", 100, "One. Two.");
}

/* Properties over many lengths: the text before the ellipsis fits in max,
 * is a word-aligned prefix of the full text, and is valid UTF-8. */
static void test_excerpt_properties(void **state)
{
	(void)state;
	const char *md = "Caf\xC3\xA9 Zo\xC3\xAB a \xC3\xA9t\xC3\xA9 l\xC3\xA0-bas, "
			 "o\xC3\xB9 les na\xC3\xAF" "fs r\xC3\xAA" "vent \xE2\x82\xAC 100 "
			 "\xF0\x9F\x98\x80 encore.";
	const char *full = md; /* plain text already */
	size_t fulllen = strlen(full);
	for (size_t max = 8; max <= fulllen + 2; max++) {
		struct arena a;
		arena_init(&a, 0);
		char *text = NULL;
		assert_int_equal(markdown_excerpt(&a, md, max, &text), ERR_OK);
		size_t n = strlen(text);
		bool cut = n >= 3 && strcmp(text + n - 3, "\xE2\x80\xA6") == 0;
		size_t body = cut ? n - 3 : n;
		char copy[512];
		str_copy(copy, text, sizeof copy);
		arena_free(&a);
		if (!str_utf8_valid(copy, n))
			fail_msg("max %zu: invalid UTF-8 \"%s\"", max, copy);
		if (body > max)
			fail_msg("max %zu: %zu bytes of text \"%s\"", max, body, copy);
		if (memcmp(copy, full, body) != 0)
			fail_msg("max %zu: \"%s\" is not a prefix", max, copy);
		if (!cut) {
			if (body != fulllen)
				fail_msg("max %zu: shortened without an ellipsis: \"%s\"", max, copy);
			continue;
		}
		if (body == 0 || copy[body - 1] == ' ')
			fail_msg("max %zu: bad cut \"%s\"", max, copy);
		/* word boundary: the full text has a space right after the cut */
		if (full[body] != ' ')
			fail_msg("max %zu: cut inside a word: \"%s\"", max, copy);
	}
	/* one long word: cut inside it, but never inside a character */
	for (size_t max = 4; max < 20; max++) {
		struct arena a;
		arena_init(&a, 0);
		char *text = NULL;
		assert_int_equal(markdown_excerpt(&a, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
						      "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
						      "\xC3\xA9\xC3\xA9",
						  max, &text),
				 ERR_OK);
		bool ok = str_utf8_valid(text, strlen(text)) && strlen(text) <= max + 3;
		arena_free(&a);
		if (!ok)
			fail_msg("max %zu: bad cut of a long word", max);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permalink_valid),
		cmocka_unit_test(test_permalink_valid_one_category),
		cmocka_unit_test(test_permalink_default_round_trip),
		cmocka_unit_test(test_permalink_patterns_kept_and_not),
		cmocka_unit_test(test_permalink_category_round_trip),
		cmocka_unit_test(test_permalink_id_round_trip),
		cmocka_unit_test(test_permalink_no_match),
		T(test_settings_defaults),
		T(test_settings_init_defaults),
		T(test_settings_snapshot),
		T(test_settings_set_validation),
		T(test_settings_timezone_not_a_folder),
		T(test_post_title_required),
		T(test_post_slug_generated),
		T(test_post_slug_long_title),
		T(test_post_slug_explicit),
		T(test_post_page_reserved_slugs),
		T(test_post_status_and_date),
		T(test_post_category_and_author),
		cmocka_unit_test_setup_teardown(test_post_no_users, setup_empty, teardown),
		T(test_post_body_rendered),
		T(test_post_tags_and_flags),
		T(test_post_update),
		T(test_post_publish),
		cmocka_unit_test(test_post_is_public),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_excerpt_properties),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
