/* test_cache.c - the page cache: lookup, LRU by bytes, purge by
 * dependency (through the dependency index: a purge visits only what it
 * removes), the epoch rule, references outliving removal; and the ETag
 * of an uncached page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/cache.h"
#include "http/conditional.h"

static int natives_freed;

static void free_native(void *native)
{
	natives_freed++;
	free(native);
}

/* An entry of about `size` bytes depending on the given keys. */
static struct cache_entry *entry(const char *key, size_t size, const char *dep1,
				 const char *dep2)
{
	struct cache_entry *e = cache_entry_new(key);
	assert_non_null(e);
	e->len[ENC_IDENTITY] = size;
	e->native[ENC_IDENTITY] = malloc(8);
	e->deps = calloc(2, sizeof *e->deps);
	if (dep1)
		e->deps[e->ndeps++] = cache_dep("%s", dep1);
	if (dep2)
		e->deps[e->ndeps++] = cache_dep("%s", dep2);
	return e;
}

static bool has(struct cache *c, const char *key)
{
	struct cache_entry *e = cache_get(c, key);
	cache_release(c, e);
	return e != NULL;
}

static void test_get_and_replace(void **state)
{
	(void)state;
	natives_freed = 0;
	struct cache *c = cache_new(1 << 20, free_native);
	assert_false(has(c, "/"));
	assert_true(cache_insert(c, entry("/", 100, "list:home", NULL), cache_epoch(c)));
	assert_true(has(c, "/"));
	assert_true(cache_insert(c, entry("/", 200, "list:home", NULL), cache_epoch(c)));
	struct cache_stats s = cache_stats(c);
	assert_int_equal(s.entries, 1);
	assert_int_equal(natives_freed, 1); /* the replaced one */
	assert_int_equal(s.hits, 1);
	assert_int_equal(s.misses, 1);
	cache_free(c);
	assert_int_equal(natives_freed, 2);
}

static void test_purge_by_dependency(void **state)
{
	(void)state;
	struct cache *c = cache_new(1 << 20, free_native);
	uint64_t e0 = cache_epoch(c);
	cache_insert(c, entry("/a/", 10, "post:1", "list:home"), e0);
	cache_insert(c, entry("/b/", 10, "post:2", "list:cat:3"), e0);
	cache_insert(c, entry("/", 10, "list:home", "post:2"), e0);
	uint64_t k = cache_dep("post:2");
	assert_int_equal(cache_purge(c, &k, 1), 2);
	assert_true(has(c, "/a/"));
	assert_false(has(c, "/b/"));
	assert_false(has(c, "/"));
	uint64_t none = cache_dep("tag:9");
	assert_int_equal(cache_purge(c, &none, 1), 0);
	assert_true(has(c, "/a/"));
	assert_int_equal(cache_purge_all(c), 1);
	assert_false(has(c, "/a/"));
	cache_free(c);
}

static void test_epoch_refuses_stale(void **state)
{
	(void)state;
	struct cache *c = cache_new(1 << 20, free_native);
	uint64_t started = cache_epoch(c);
	uint64_t k = cache_dep("post:1");
	cache_purge(c, &k, 1); /* a change lands while the page renders */
	assert_false(cache_insert(c, entry("/a/", 10, "post:1", NULL), started));
	assert_false(has(c, "/a/"));
	assert_true(cache_insert(c, entry("/a/", 10, "post:1", NULL), cache_epoch(c)));
	assert_int_equal(cache_stats(c).refused, 1);
	cache_free(c);
}

static void test_lru_by_bytes(void **state)
{
	(void)state;
	struct cache *c = cache_new(48000, free_native); /* 4 entries of ~11 KB with overhead */
	uint64_t e0 = cache_epoch(c);
	cache_insert(c, entry("/1/", 9000, NULL, NULL), e0);
	cache_insert(c, entry("/2/", 9000, NULL, NULL), e0);
	cache_insert(c, entry("/3/", 9000, NULL, NULL), e0);
	assert_true(has(c, "/1/")); /* now the most recent */
	cache_insert(c, entry("/4/", 9000, NULL, NULL), e0);
	cache_insert(c, entry("/5/", 9000, NULL, NULL), e0);
	assert_true(cache_stats(c).bytes <= 48000);
	assert_false(has(c, "/2/")); /* least recently used went first */
	assert_true(has(c, "/1/"));
	assert_true(has(c, "/5/"));
	/* one entry larger than a quarter of the cache is not kept */
	assert_false(cache_insert(c, entry("/big/", 20000, NULL, NULL), e0));
	cache_free(c);
}

static void test_reference_outlives_purge(void **state)
{
	(void)state;
	natives_freed = 0;
	struct cache *c = cache_new(1 << 20, free_native);
	cache_insert(c, entry("/a/", 10, "post:1", NULL), cache_epoch(c));
	struct cache_entry *e = cache_get(c, "/a/");
	assert_non_null(e);
	cache_purge_all(c);
	assert_int_equal(natives_freed, 0); /* still in use by a response */
	assert_int_equal(e->len[ENC_IDENTITY], 10);
	cache_release(c, e);
	assert_int_equal(natives_freed, 1);
	cache_free(c);
}

/* A compressed coding attached after the entry was stored (cache.h): kept
 * once, counted in the cap (evicting others, never the entry itself), and
 * freed with the entry, also when a purge took it out meanwhile. */
static void test_attach_coding(void **state)
{
	(void)state;
	natives_freed = 0;
	struct cache *c = cache_new(48000, free_native);
	uint64_t e0 = cache_epoch(c);
	cache_insert(c, entry("/1/", 9000, NULL, NULL), e0);
	cache_insert(c, entry("/2/", 9000, NULL, NULL), e0);
	cache_insert(c, entry("/3/", 9000, NULL, NULL), e0);
	size_t before = cache_stats(c).bytes;
	struct cache_entry *e = cache_get(c, "/3/");
	assert_non_null(e);
	assert_null(e->native[ENC_GZIP]);
	assert_true(cache_attach(c, e, ENC_GZIP, malloc(8), 3000));
	assert_non_null(e->native[ENC_GZIP]);
	assert_int_equal(e->len[ENC_GZIP], 3000);
	size_t after = cache_stats(c).bytes;
	assert_true(after >= before + 3000);
	/* a second one for the same coding is the caller's to free */
	void *late = malloc(8);
	assert_false(cache_attach(c, e, ENC_GZIP, late, 3000));
	free(late);
	assert_int_equal(cache_stats(c).bytes, after);
	/* growing past the cap evicts the least recently used, not e */
	assert_true(cache_attach(c, e, ENC_BR, malloc(8), 17000));
	assert_true(cache_stats(c).bytes <= 48000);
	assert_int_equal(cache_stats(c).evicted, 1);
	assert_false(has(c, "/1/"));
	assert_int_equal(natives_freed, 1); /* /1/'s identity */
	cache_release(c, e);
	assert_true(has(c, "/3/"));
	assert_true(has(c, "/2/"));

	/* attached to an entry a purge removed while a request held it */
	e = cache_get(c, "/2/");
	assert_non_null(e);
	cache_purge_all(c);
	assert_int_equal(cache_stats(c).bytes, 0);
	assert_true(cache_attach(c, e, ENC_GZIP, malloc(8), 500));
	assert_int_equal(cache_stats(c).bytes, 0);
	natives_freed = 0;
	cache_release(c, e);
	assert_int_equal(natives_freed, 2); /* its identity and its gzip */
	cache_free(c);
}

/* A purge follows the index: its steps are the entries it removes, however
 * many other entries there are. */
static void test_purge_cost_is_what_it_removes(void **state)
{
	(void)state;
	struct cache *c = cache_new((size_t)64 << 20, free_native);
	uint64_t e0 = cache_epoch(c);
	char key[32], dep[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "/p/%d/", i);
		snprintf(dep, sizeof dep, "post:%d", i);
		assert_true(cache_insert(c, entry(key, 10, dep, i % 100 == 0 ? "list:home" : NULL),
					 e0));
	}
	struct cache_stats s = cache_stats(c);
	assert_int_equal(s.entries, 10000);
	assert_int_equal(s.dep_keys, 10001);
	uint64_t steps = s.purge_steps;

	uint64_t k = cache_dep("post:4242");
	assert_int_equal(cache_purge(c, &k, 1), 1);
	s = cache_stats(c);
	assert_int_equal(s.purge_steps - steps, 1);
	assert_int_equal(s.dep_keys, 10000); /* its only key went with it */
	assert_false(has(c, "/p/4242/"));
	assert_true(has(c, "/p/4241/"));

	steps = s.purge_steps;
	uint64_t ks[3] = {cache_dep("list:home"), cache_dep("post:7"), cache_dep("tag:1")};
	assert_int_equal(cache_purge(c, ks, 3), 101); /* 100 listed home, plus post 7 */
	s = cache_stats(c);
	assert_int_equal(s.purge_steps - steps, 101);
	assert_int_equal(s.entries, 10000 - 102);
	/* entry 0 depended on both post:0 and list:home: both keys gone */
	assert_int_equal(s.dep_keys, 10000 - 1 - 100 - 1 - 0);
	assert_false(has(c, "/p/0/"));
	assert_false(has(c, "/p/100/"));
	assert_true(has(c, "/p/101/"));

	steps = s.purge_steps;
	assert_int_equal(cache_purge(c, ks, 3), 0); /* nothing left to find */
	assert_int_equal(cache_stats(c).purge_steps, steps);
	cache_free(c);
}

/* A dependency named twice counts once; replaced and evicted entries leave
 * the index. */
static void test_index_follows_entries(void **state)
{
	(void)state;
	natives_freed = 0;
	struct cache *c = cache_new(48000, free_native);
	uint64_t e0 = cache_epoch(c);
	assert_true(cache_insert(c, entry("/a/", 10, "post:1", "post:1"), e0));
	assert_int_equal(cache_stats(c).dep_keys, 1);
	uint64_t k1 = cache_dep("post:1");
	assert_int_equal(cache_purge(c, &k1, 1), 1);
	assert_int_equal(cache_stats(c).dep_keys, 0);

	/* replaced: the old entry's keys are gone, the new one's are in */
	assert_true(cache_insert(c, entry("/a/", 10, "post:1", "list:home"), e0 + 1));
	assert_true(cache_insert(c, entry("/a/", 10, "post:2", NULL), e0 + 1));
	assert_int_equal(cache_stats(c).dep_keys, 1);
	assert_int_equal(cache_purge(c, &k1, 1), 0);
	assert_true(has(c, "/a/"));
	uint64_t k2 = cache_dep("post:2");

	/* evicted: its keys leave with it */
	uint64_t e1 = cache_epoch(c);
	assert_true(cache_insert(c, entry("/1/", 9000, "post:11", NULL), e1));
	assert_true(cache_insert(c, entry("/2/", 9000, "post:12", NULL), e1));
	assert_true(cache_insert(c, entry("/3/", 9000, "post:13", NULL), e1));
	assert_true(cache_insert(c, entry("/4/", 9000, "post:14", NULL), e1));
	assert_true(cache_insert(c, entry("/5/", 9000, "post:15", NULL), e1));
	struct cache_stats s = cache_stats(c);
	assert_true(s.evicted >= 1);
	assert_int_equal(s.dep_keys, s.entries); /* one key per entry left */
	assert_false(has(c, "/a/")); /* least recently used */
	assert_int_equal(cache_purge(c, &k2, 1), 0);

	/* a purged entry still held by a response is freed on release */
	struct cache_entry *e = cache_get(c, "/5/");
	assert_non_null(e);
	uint64_t k15 = cache_dep("post:15");
	int before = natives_freed;
	assert_int_equal(cache_purge(c, &k15, 1), 1);
	assert_int_equal(natives_freed, before);
	cache_release(c, e);
	assert_int_equal(natives_freed, before + 1);
	assert_int_equal(cache_purge(c, &k15, 1), 0);
	cache_free(c);
}

/* Pages record "kind:id" names with cache_dep_id and purges name them with
 * cache_dep: both must give the same key. */
static void test_dep_id_matches_formatted(void **state)
{
	(void)state;
	const int64_t ids[] = {0, 1, 12, 9999999, -3, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		assert_true(cache_dep_id("post", ids[i]) == cache_dep("post:%lld", (long long)ids[i]));
		assert_true(cache_dep_id("list:cat", ids[i]) ==
			    cache_dep("list:cat:%lld", (long long)ids[i]));
	}
	assert_true(cache_dep_id("post", 12) != cache_dep_id("user", 12));
	assert_true(cache_dep_id("post", 12) != cache_dep_id("post", 21));
}

/* The ETag of an uncached page (weak_etag): the same body, the same tag;
 * any one changed bit, two blocks swapped, or a byte more, another. */
static const char *etag_of(struct arena *a, const unsigned char *p, size_t n)
{
	struct buf b = {.data = (char *)p, .len = n};
	return weak_etag(a, &b);
}

static void test_etag_changes_with_body(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	enum { N = 14337 };
	unsigned char *p = malloc(N + 1);
	assert_non_null(p);
	uint64_t r = 0x243F6A8885A308D3ULL;
	for (size_t i = 0; i < N; i++) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		p[i] = (unsigned char)(r >> 56);
	}
	const char *base = etag_of(&a, p, N);
	assert_string_equal(base, etag_of(&a, p, N));
	for (size_t i = 0; i < N; i++) {
		int bit = (int)(i % 8);
		p[i] ^= (unsigned char)(1u << bit);
		const char *t = etag_of(&a, p, N);
		if (strcmp(t, base) == 0)
			fail_msg("bit %d of byte %zu changed, same ETag %s", bit, i, t);
		p[i] ^= (unsigned char)(1u << bit);
		if (i % 1024 == 1023) { /* bounded: the tags live in the arena */
			arena_free(&a);
			arena_init(&a, 0);
			base = etag_of(&a, p, N);
		}
	}
	/* two 64-byte blocks swapped (paragraphs of the same length reordered) */
	unsigned char tmp[64];
	memcpy(tmp, p + 128, 64);
	memcpy(p + 128, p + 1024, 64);
	memcpy(p + 1024, tmp, 64);
	assert_string_not_equal(etag_of(&a, p, N), base);
	memcpy(p + 1024, p + 128, 64);
	memcpy(p + 128, tmp, 64);
	assert_string_equal(etag_of(&a, p, N), base);
	/* the form: W/"<length in hex>-<16 hex digits>" */
	const size_t lens[] = {0, 1, 15, 16, 255, 4096, N};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		const char *t = etag_of(&a, p, lens[i]);
		char want[64];
		unsigned long long h = 0;
		int end = 0;
		assert_int_equal(sscanf(t, "W/\"%*x-%16llx\"%n", &h, &end), 1);
		assert_int_equal((size_t)end, strlen(t));
		snprintf(want, sizeof want, "W/\"%zx-%016llx\"", lens[i], h);
		assert_string_equal(t, want);
	}
	/* every prefix has its own tag, zero bytes included */
	memset(p, 0, N);
	for (size_t n = 0; n < 600; n++)
		assert_string_not_equal(etag_of(&a, p, n), etag_of(&a, p, n + 1));
	free(p);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_and_replace),
		cmocka_unit_test(test_purge_by_dependency),
		cmocka_unit_test(test_epoch_refuses_stale),
		cmocka_unit_test(test_lru_by_bytes),
		cmocka_unit_test(test_reference_outlives_purge),
		cmocka_unit_test(test_attach_coding),
		cmocka_unit_test(test_purge_cost_is_what_it_removes),
		cmocka_unit_test(test_index_follows_entries),
		cmocka_unit_test(test_dep_id_matches_formatted),
		cmocka_unit_test(test_etag_changes_with_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
