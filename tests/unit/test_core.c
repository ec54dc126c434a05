/* test_core.c - unit tests for src/core/: arena, buf, str, time, config.
 *
 * Times are checked in UTC unless a test sets another zone (and puts UTC
 * back); config tests write gazette.conf into a mkdtemp folder under /tmp
 * and remove it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/diff.h"
#include "core/err.h"
#include "core/str.h"
#include "core/time.h"

/* ---------------------------------------------------------------- helpers */

static int group_setup(void **state)
{
	(void)state;
	time_set_zone("UTC");
	return 0;
}

/* A fresh temp folder; the caller removes it with rm_dir(). */
static char *make_dir(void)
{
	char *d = strdup("/tmp/gazette-test-core-XXXXXX");
	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void rm_dir(char *dir)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/gazette.conf", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

/* Load `text` as gazette.conf from a temp folder. */
static enum err load_conf(const char *text, struct config *c, char *msg, size_t msglen)
{
	char *dir = make_dir();
	write_file(dir, "gazette.conf", text);
	msg[0] = '\0';
	enum err rc = config_load(c, dir, msg, msglen);
	rm_dir(dir);
	return rc;
}

/* ------------------------------------------------------------------ arena */

static void test_arena_alloc_alignment(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	const size_t sizes[] = {1, 3, 7, 8, 13, 16, 17, 31, 100, 5000, 9000, 20000};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = arena_alloc(&a, sizes[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 0xAB, sizes[i]); /* whole block is writable (ASan checks) */
	}
	/* zero-byte requests still give a distinct usable pointer */
	void *z1 = arena_alloc(&a, 0), *z2 = arena_alloc(&a, 0);
	assert_non_null(z1);
	assert_non_null(z2);
	assert_ptr_not_equal(z1, z2);
	assert_false(a.failed);
	arena_free(&a);
}

/* arena_printf formats in place when the text fits the chunk, else
 * twice: every length around a chunk's end, the cap, and earlier strings
 * left intact. */
static void test_arena_printf_edges(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char *prev[600] = {0};
	size_t lens[600];
	char want[9000];
	for (size_t i = 0; i < 600; i++) {
		lens[i] = (i * 37) % 700 + (i == 599 ? 8000 : 0);
		memset(want, 'a' + (int)(i % 26), lens[i]);
		want[lens[i]] = '\0';
		prev[i] = arena_printf(&a, "%s", want);
		assert_non_null(prev[i]);
		assert_int_equal(((uintptr_t)prev[i]) % _Alignof(max_align_t), 0);
	}
	for (size_t i = 0; i < 600; i++) {
		assert_int_equal(strlen(prev[i]), lens[i]);
		for (size_t k = 0; k < lens[i]; k++)
			assert_int_equal(prev[i][k], 'a' + (int)(i % 26));
	}
	arena_free(&a);
	arena_init(&a, 100); /* the cap holds for formatted text too */
	assert_non_null(arena_printf(&a, "%s", "0123456789012345678901234567890123456789"));
	assert_null(arena_printf(&a, "%080d", 7));
	assert_true(a.failed);
	arena_free(&a);
}

static void test_arena_zalloc_and_macros(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	/* dirty some memory first so zeroing is not an accident of malloc */
	memset(arena_alloc(&a, 256), 0xFF, 256);
	unsigned char *p = arena_zalloc(&a, 300);
	assert_non_null(p);
	for (size_t i = 0; i < 300; i++)
		assert_int_equal(p[i], 0);
	struct pair {
		int64_t x;
		char *s;
	};
	struct pair *one = ARENA_NEW(&a, struct pair);
	assert_non_null(one);
	assert_int_equal(one->x, 0);
	assert_null(one->s);
	struct pair *many = ARENA_ARRAY(&a, struct pair, 10);
	assert_non_null(many);
	assert_int_equal(many[9].x, 0);
	arena_free(&a);
}

static void test_arena_cap(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1024);
	void *p = arena_alloc(&a, 512);
	assert_non_null(p);
	assert_false(a.failed);
	/* would bring the total over the cap */
	assert_null(arena_alloc(&a, 1024));
	assert_true(a.failed);
	assert_true(a.used <= a.cap);
	arena_free(&a);

	/* exactly the cap is allowed, one more byte is not */
	arena_init(&a, 64);
	assert_non_null(arena_alloc(&a, 64));
	assert_false(a.failed);
	assert_null(arena_alloc(&a, 1));
	assert_true(a.failed);
	arena_free(&a);

	/* every allocating helper honours the cap */
	arena_init(&a, 128);
	assert_null(arena_zalloc(&a, 4096));
	assert_true(a.failed);
	arena_free(&a);
	arena_init(&a, 128);
	char big[600];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_null(arena_strdup(&a, big));
	assert_true(a.failed);
	arena_free(&a);
	arena_init(&a, 128);
	assert_null(arena_printf(&a, "%s", big));
	assert_true(a.failed);
	arena_free(&a);

	/* absurd sizes fail cleanly even without a cap */
	arena_init(&a, 0);
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_true(a.failed);
	assert_null(arena_alloc(&a, SIZE_MAX / 2 + 1));
	arena_free(&a);
}

static void test_arena_large_and_reuse(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	/* many small and a few large blocks, across chunk boundaries */
	char *blocks[200];
	for (int i = 0; i < 200; i++) {
		blocks[i] = arena_printf(&a, "block-%d", i);
		assert_non_null(blocks[i]);
	}
	char *huge = arena_alloc(&a, 3u << 20);
	assert_non_null(huge);
	memset(huge, 'h', 3u << 20);
	for (int i = 0; i < 200; i++) {
		char want[32];
		snprintf(want, sizeof want, "block-%d", i);
		assert_string_equal(blocks[i], want);
	}
	arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	/* reusable after arena_free */
	assert_non_null(arena_strdup(&a, "again"));
	arena_free(&a);
}

/* Freed chunks are kept per thread for the next arena (arena.c): the
 * next arenas' memory is whole and their own, and a thread that ends
 * gives its kept chunks back. */
static void *arena_worker(void *arg)
{
	int seed = (int)(intptr_t)arg;
	for (int round = 0; round < 50; round++) {
		struct arena a;
		arena_init(&a, 0);
		unsigned char *p[40];
		size_t n[40];
		for (int i = 0; i < 40; i++) {
			n[i] = (size_t)(1 + (i * 977 + round * 131 + seed) % 9000);
			p[i] = arena_alloc(&a, n[i]);
			if (!p[i])
				return (void *)1;
			memset(p[i], (i + round) & 0xff, n[i]);
		}
		for (int i = 0; i < 40; i++)
			for (size_t k = 0; k < n[i]; k++)
				if (p[i][k] != (unsigned char)((i + round) & 0xff))
					return (void *)1;
		arena_free(&a);
	}
	return NULL;
}

static void test_arena_chunks_kept_per_thread(void **state)
{
	(void)state;
	struct mallinfo2 before = mallinfo2();
	for (int rep = 0; rep < 3; rep++) {
		pthread_t t[4];
		for (int i = 0; i < 4; i++)
			assert_int_equal(pthread_create(&t[i], NULL, arena_worker, (void *)(intptr_t)i), 0);
		for (int i = 0; i < 4; i++) {
			void *rc = (void *)1;
			pthread_join(t[i], &rc);
			assert_null(rc);
		}
	}
	/* each thread kept up to 1 MiB: all of it is back */
	struct mallinfo2 after = mallinfo2();
	assert_true(after.uordblks + after.hblkhd < before.uordblks + before.hblkhd + (64u << 10));
}

static void test_arena_strings(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_null(arena_strdup(&a, NULL));
	assert_null(arena_strndup(&a, NULL, 3));
	assert_string_equal(arena_strdup(&a, ""), "");
	assert_string_equal(arena_strdup(&a, "hello"), "hello");
	assert_string_equal(arena_strndup(&a, "hello world", 5), "hello");
	assert_string_equal(arena_strndup(&a, "abc", 0), "");
	assert_string_equal(arena_printf(&a, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
	assert_string_equal(arena_printf(&a, "%s", ""), "");
	/* longer than a chunk */
	char *long_s = malloc(20001);
	assert_non_null(long_s);
	memset(long_s, 'z', 20000);
	long_s[20000] = '\0';
	char *p = arena_printf(&a, "[%s]", long_s);
	assert_non_null(p);
	assert_int_equal(strlen(p), 20002);
	assert_int_equal(p[0], '[');
	assert_int_equal(p[20001], ']');
	free(long_s);
	arena_free(&a);
}

static void test_arena_realloc(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char *p = arena_alloc(&a, 16);
	assert_non_null(p);
	memcpy(p, "0123456789abcdef", 16);
	char *q = arena_realloc(&a, p, 16, 10000);
	assert_non_null(q);
	assert_memory_equal(q, "0123456789abcdef", 16);
	memset(q + 16, 'q', 10000 - 16); /* the new size is usable */
	/* the old block is left alone */
	assert_memory_equal(p, "0123456789abcdef", 16);
	/* shrinking or same size keeps the block */
	assert_ptr_equal(arena_realloc(&a, q, 10000, 100), q);
	assert_ptr_equal(arena_realloc(&a, q, 100, 100), q);
	/* from NULL acts like alloc */
	char *r = arena_realloc(&a, NULL, 0, 32);
	assert_non_null(r);
	memset(r, 0, 32);
	arena_free(&a);

	/* growing past the cap fails and leaves the old block intact */
	arena_init(&a, 256);
	p = arena_alloc(&a, 64);
	assert_non_null(p);
	memset(p, 'k', 64);
	assert_null(arena_realloc(&a, p, 64, 4096));
	assert_true(a.failed);
	assert_int_equal(p[63], 'k');
	arena_free(&a);
}

/* -------------------------------------------------------------------- buf */

static void test_buf_append_and_terminate(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_null(b.data);
	assert_int_equal(buf_append(&b, "abc", 3), ERR_OK);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	assert_int_equal(buf_putc(&b, '-'), ERR_OK);
	assert_int_equal(buf_puts(&b, "def"), ERR_OK);
	assert_string_equal(b.data, "abc-def");
	assert_int_equal(buf_append(&b, "xyz", 0), ERR_OK);
	assert_string_equal(b.data, "abc-def");
	/* bytes, not strings: an embedded NUL is kept and counted */
	assert_int_equal(buf_append(&b, "g\0h", 3), ERR_OK);
	assert_int_equal(b.len, 10);
	assert_int_equal(b.data[10], '\0');
	assert_memory_equal(b.data + 7, "g\0h", 3);
	/* grow well beyond the first allocation */
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	for (int i = 0; i < 5000; i++)
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), ERR_OK);
	assert_int_equal(b.len, 5000);
	assert_int_equal(strlen(b.data), 5000);
	assert_int_equal(b.data[4999], 'a' + 4999 % 26);
	assert_true(b.cap > b.len);
	assert_false(b.oom);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_buf_printf(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	assert_int_equal(buf_printf(&b, "%d-%s", 7, "seven"), ERR_OK);
	assert_string_equal(b.data, "7-seven");
	assert_int_equal(buf_printf(&b, "|%03d", 5), ERR_OK);
	assert_string_equal(b.data, "7-seven|005");
	assert_int_equal(b.len, strlen("7-seven|005"));
	assert_int_equal(buf_printf(&b, "%s", ""), ERR_OK);
	assert_int_equal(b.len, strlen("7-seven|005"));
	/* longer than the buffer's capacity in one go */
	char big[3000];
	memset(big, 'B', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(buf_printf(&b, "<%s>", big), ERR_OK);
	assert_int_equal(b.len, strlen("7-seven|005") + 3001);
	assert_int_equal(b.data[b.len - 1], '>');
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);
}

static void test_buf_detach(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(buf_puts(&b, "hello"), ERR_OK);
	size_t n = 99;
	char *s = buf_detach(&b, &n);
	assert_non_null(s);
	assert_int_equal(n, 5);
	assert_string_equal(s, "hello");
	/* the buffer is reset and reusable */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(buf_puts(&b, "again"), ERR_OK);
	assert_string_equal(b.data, "again");
	buf_free(&b);
	free(s);

	/* len is optional */
	assert_int_equal(buf_puts(&b, "x"), ERR_OK);
	s = buf_detach(&b, NULL);
	assert_string_equal(s, "x");
	free(s);

	/* after a reset the detached string is the empty string */
	assert_int_equal(buf_puts(&b, "gone"), ERR_OK);
	buf_reset(&b);
	s = buf_detach(&b, &n);
	assert_non_null(s);
	assert_int_equal(n, 0);
	assert_string_equal(s, "");
	free(s);
}

/* buf.h: buf_detach() returns a string "never NULL unless oom", and data is
 * "always NUL-terminated when non-NULL" - also for a buffer never written. */
static void test_buf_detach_empty(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	size_t n = 99;
	char *s = buf_detach(&b, &n);
	assert_non_null(s);
	char first = s[0];
	free(s); /* before asserting, so a failure does not leak */
	assert_int_equal(n, 0);
	assert_int_equal(first, '\0');
}

static void test_buf_reserve_terminates(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	enum err rc = buf_reserve(&b, 100);
	bool has_data = b.data != NULL;
	char first = has_data ? b.data[0] : 'x';
	size_t cap = b.cap, len = b.len;
	buf_free(&b); /* before asserting, so a failure does not leak */
	assert_int_equal(rc, ERR_OK);
	assert_true(has_data);
	assert_true(cap >= 101);
	assert_int_equal(len, 0);
	assert_int_equal(first, '\0'); /* data non-NULL => NUL-terminated */
}

static void test_buf_oom_is_sticky(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(buf_puts(&b, "keep"), ERR_OK);
	assert_int_equal(buf_reserve(&b, SIZE_MAX - 2), ERR_NOMEM);
	assert_true(b.oom);
	assert_string_equal(b.data, "keep");
	/* further appends are ignored and report the failure */
	assert_int_equal(buf_puts(&b, "more"), ERR_NOMEM);
	assert_int_equal(buf_putc(&b, 'c'), ERR_NOMEM);
	assert_int_equal(buf_printf(&b, "%d", 1), ERR_NOMEM);
	assert_string_equal(b.data, "keep");
	assert_int_equal(b.len, 4);
	buf_free(&b);
	assert_false(b.oom);
}

/* -------------------------------------------------------------------- str */

static void test_str_basics(void **state)
{
	(void)state;
	assert_true(str_eq(NULL, NULL));
	assert_false(str_eq("a", NULL));
	assert_false(str_eq(NULL, "a"));
	assert_true(str_eq("abc", "abc"));
	assert_false(str_eq("abc", "abd"));
	assert_true(str_starts("category/news", "category/"));
	assert_false(str_starts("cat", "category"));
	assert_false(str_starts(NULL, "x"));
	assert_true(str_starts("x", ""));
	assert_true(str_ends("index.html", ".html"));
	assert_false(str_ends("html", "index.html"));
	assert_false(str_ends(NULL, "x"));
	assert_true(str_empty(NULL));
	assert_true(str_empty(""));
	assert_false(str_empty(" "));

	char t1[] = "  \t hello world \r\n";
	assert_string_equal(str_trim(t1), "hello world");
	char t2[] = "   ";
	assert_string_equal(str_trim(t2), "");
	char t3[] = "x";
	assert_string_equal(str_trim(t3), "x");

	char small[6];
	assert_int_equal(str_copy(small, "truncated", sizeof small), 9);
	assert_string_equal(small, "trunc");
	assert_int_equal(str_copy(small, "ok", sizeof small), 2);
	assert_string_equal(small, "ok");
	char none[1] = {'z'};
	assert_int_equal(str_copy(none, "abc", 0), 3);
	assert_int_equal(none[0], 'z');
}

static void fmt_is(int64_t v, int width, const char *want)
{
	char out[STR_I64_MAX + 1];
	size_t n = str_from_i64(out, v, width);
	out[n] = '\0';
	assert_string_equal(out, want);
}

static void test_str_from_i64(void **state)
{
	(void)state;
	fmt_is(0, 0, "0");
	fmt_is(7, 0, "7");
	fmt_is(-5, 0, "-5");
	fmt_is(5, 2, "05");
	fmt_is(2026, 4, "2026");
	fmt_is(12345, 2, "12345");
	fmt_is(-3, 3, "-003");
	fmt_is(INT64_MAX, 0, "9223372036854775807");
	fmt_is(INT64_MIN, 0, "-9223372036854775808");
	fmt_is(1, 40, "00000000000000000000001"); /* width beyond the buffer: capped */
	fmt_is(-1, 40, "-00000000000000000000001");
	fmt_is(-42, -3, "-42");
}

static void test_str_to_i64_good(void **state)
{
	(void)state;
	int64_t v = -1;
	assert_true(str_to_i64("0", 0, 10, &v));
	assert_int_equal(v, 0);
	assert_true(str_to_i64("42", 0, 100, &v));
	assert_int_equal(v, 42);
	assert_true(str_to_i64("-17", -100, 100, &v));
	assert_int_equal(v, -17);
	assert_true(str_to_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v));
	assert_true(v == INT64_MAX);
	assert_true(str_to_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v));
	assert_true(v == INT64_MIN);
	assert_true(str_to_i64("100", 1, 100, &v)); /* bounds are inclusive */
	assert_int_equal(v, 100);
	assert_true(str_to_i64("1", 1, 100, &v));
	assert_int_equal(v, 1);
}

static void test_str_to_i64_strict(void **state)
{
	(void)state;
	int64_t v = 12345;
	const char *bad[] = {
		"",      "+1",    " 1",   "1 ",    "\t1",   "1\n", "-",     "+",    "--1",
		"+-1",   "1-",    "1.0",  "1e3",   "0x10",  "12a", "a12",   "1,000", "１",
		"9223372036854775808",   /* INT64_MAX + 1 */
		"-9223372036854775809",  /* INT64_MIN - 1 */
		"99999999999999999999999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (str_to_i64(bad[i], INT64_MIN, INT64_MAX, &v))
			fail_msg("str_to_i64 accepted \"%s\"", bad[i]);
	}
	assert_false(str_to_i64(NULL, 0, 10, &v));
	/* out of range */
	assert_false(str_to_i64("101", 1, 100, &v));
	assert_false(str_to_i64("0", 1, 100, &v));
	assert_false(str_to_i64("-1", 0, 100, &v));
	/* a failed parse leaves *out alone */
	assert_int_equal(v, 12345);
}

/* "-0" is a sign where none belongs (str.h: "false on any ... sign misuse");
 * accepting it lets e.g. "Content-Length: -0" or "threads = -0" through. */
static void test_str_to_i64_minus_zero(void **state)
{
	(void)state;
	int64_t v = 7;
	assert_false(str_to_i64("-0", INT64_MIN, INT64_MAX, &v));
	assert_false(str_to_i64("-0", 0, 100, &v));
	assert_false(str_to_i64("-00", 0, 100, &v));
	assert_int_equal(v, 7);
}

static void test_str_utf8_valid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n;
		bool ok;
	} cases[] = {
		{"", 0, true},
		{"plain ascii", 11, true},
		{"caf\xC3\xA9", 5, true},                 /* é */
		{"\xE2\x82\xAC", 3, true},                /* € */
		{"\xF0\x9F\x98\x80", 4, true},            /* 😀 */
		{"\xC2\x80", 2, true},                    /* U+0080, smallest 2-byte */
		{"\xE0\xA0\x80", 3, true},                /* U+0800, smallest 3-byte */
		{"\xF0\x90\x80\x80", 4, true},            /* U+10000, smallest 4-byte */
		{"\xED\x9F\xBF", 3, true},                /* U+D7FF, just below surrogates */
		{"\xEE\x80\x80", 3, true},                /* U+E000, just above */
		{"\xEF\xBF\xBF", 3, true},                /* U+FFFF */
		{"\xF4\x8F\xBF\xBF", 4, true},            /* U+10FFFF, the last */
		/* overlong forms */
		{"\xC0\xAF", 2, false},
		{"\xC1\xBF", 2, false},
		{"\xC0\x80", 2, false},                   /* overlong NUL */
		{"\xE0\x80\xAF", 3, false},
		{"\xE0\x9F\xBF", 3, false},
		{"\xF0\x80\x80\xAF", 4, false},
		{"\xF0\x8F\xBF\xBF", 4, false},
		/* UTF-16 surrogates */
		{"\xED\xA0\x80", 3, false},               /* U+D800 */
		{"\xED\xBF\xBF", 3, false},               /* U+DFFF */
		{"\xED\xA0\xBD\xED\xB8\x80", 6, false},   /* a CESU-8 pair */
		/* beyond U+10FFFF */
		{"\xF4\x90\x80\x80", 4, false},
		{"\xF5\x80\x80\x80", 4, false},
		{"\xF7\xBF\xBF\xBF", 4, false},
		{"\xF8\x88\x80\x80\x80", 5, false},
		{"\xFE", 1, false},
		{"\xFF", 1, false},
		/* truncated sequences */
		{"\xC3", 1, false},
		{"\xE2\x82", 2, false},
		{"\xF0\x9F\x98", 3, false},
		{"ab\xE2\x82", 4, false},
		{"\xC3" "a", 2, false},                   /* lead byte then ASCII */
		{"\xE2\x82" "a", 3, false},
		/* stray continuation bytes */
		{"\x80", 1, false},
		{"a\xBF" "b", 3, false},
		/* NUL is refused even inside the length */
		{"a\0b", 3, false},
		{"\0", 1, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (str_utf8_valid(cases[i].s, cases[i].n) != cases[i].ok)
			fail_msg("str_utf8_valid case %zu: expected %s", i,
				 cases[i].ok ? "valid" : "invalid");
	}
	/* only the first n bytes count */
	assert_true(str_utf8_valid("ok\xFF", 2));
	assert_true(str_utf8_valid("caf\xC3\xA9", 3));
	assert_false(str_utf8_valid("caf\xC3\xA9", 4)); /* cut inside é */
}

static void test_str_url_decode(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
#define DEC(s, plus) str_url_decode(&a, (s), strlen(s), (plus))
	assert_string_equal(DEC("", false), "");
	assert_string_equal(DEC("plain", false), "plain");
	assert_string_equal(DEC("a%20b", false), "a b");
	assert_string_equal(DEC("%41%4a%4A", false), "AJJ"); /* either case of hex */
	assert_string_equal(DEC("caf%C3%A9", false), "caf\xC3\xA9");
	assert_string_equal(DEC("caf\xC3\xA9", false), "caf\xC3\xA9"); /* raw UTF-8 is fine */
	assert_string_equal(DEC("%25", false), "%");
	assert_string_equal(DEC("%2541", false), "%41"); /* decoded once only */
	/* plus_space */
	assert_string_equal(DEC("a+b", true), "a b");
	assert_string_equal(DEC("a+b", false), "a+b");
	assert_string_equal(DEC("a%2Bb", true), "a+b");
	assert_string_equal(DEC("++", true), "  ");
	/* broken escapes */
	assert_null(DEC("%zz", false));
	assert_null(DEC("%g0", false));
	assert_null(DEC("%0g", false));
	assert_null(DEC("%f", false));
	assert_null(DEC("abc%f", false));
	assert_null(DEC("%", false));
	assert_null(DEC("abc%", false));
	assert_null(DEC("%%41", false));
	/* NUL and invalid UTF-8 results */
	assert_null(DEC("%00", false));
	assert_null(DEC("a%00b", false));
	assert_null(DEC("%C3", false));          /* truncated */
	assert_null(DEC("%C3%28", false));       /* bad continuation */
	assert_null(DEC("%FF", false));
	assert_null(DEC("%C0%AF", false));       /* overlong '/' */
	assert_null(DEC("%ED%A0%80", false));    /* surrogate */
	assert_null(DEC("%F4%90%80%80", false)); /* > U+10FFFF */
	assert_null(DEC("\xFF", false));         /* raw invalid byte */
#undef DEC
	/* n bounds the input: an escape cut by n is broken */
	assert_string_equal(str_url_decode(&a, "abc%41", 3, false), "abc");
	assert_null(str_url_decode(&a, "abc%41", 5, false));
	assert_string_equal(str_url_decode(&a, "abc%41", 6, false), "abcA");
	assert_false(a.failed);
	arena_free(&a);
}

static void test_str_url_encode(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(str_url_encode(&a, ""), "");
	assert_string_equal(str_url_encode(&a, "AZaz09-_.~"), "AZaz09-_.~");
	assert_string_equal(str_url_encode(&a, "a b/c?d=e&f#g"), "a%20b%2Fc%3Fd%3De%26f%23g");
	assert_string_equal(str_url_encode(&a, "caf\xC3\xA9+%"), "caf%C3%A9%2B%25");
	/* round trip */
	const char *orig = "Zoë & friends/100% \"sure\"";
	char *enc = str_url_encode(&a, orig);
	assert_string_equal(str_url_decode(&a, enc, strlen(enc), false), orig);
	arena_free(&a);
}

static void test_str_slug_valid(void **state)
{
	(void)state;
	const char *good[] = {"a", "hello", "hello-world", "a1-b2-c3", "2026", "x-1"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!str_slug_valid(good[i]))
			fail_msg("slug \"%s\" refused", good[i]);
	const char *bad[] = {"",      "-",       "-a",     "a-",    "a--b",   "Hello",
			     "a_b",   "a b",     "a.b",    "a/b",   "caf\xC3\xA9", "%41",
			     " a",    "a\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (str_slug_valid(bad[i]))
			fail_msg("slug \"%s\" accepted", bad[i]);
	assert_false(str_slug_valid(NULL));
	char s[202];
	memset(s, 'a', 201);
	s[201] = '\0';
	assert_false(str_slug_valid(s)); /* 201 bytes */
	s[200] = '\0';
	assert_true(str_slug_valid(s)); /* 200 bytes */
}

static void test_str_slugify(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"Hello World", "hello-world"},
		{"Caf\xC3\xA9 Zo\xC3\xAB", "cafe-zoe"},
		{"Hello,   World!!!", "hello-world"},
		{"a -- b __ c", "a-b-c"},
		{"  --Leading and trailing--  ", "leading-and-trailing"},
		{"!!!Wow???", "wow"},
		{"100% Sure", "100-sure"},
		{"C'est l'\xC3\xA9t\xC3\xA9", "c-est-l-ete"},
		{"Stra\xC3\x9F" "e", "strasse"},
		{"\xC3\x86r\xC3\xB8", "aero"},
		{"\xC3\x80 la fa\xC3\xA7on", "a-la-facon"},
		{"a\xC3\x97" "b", "a-b"},                   /* × is not a letter */
		{"Mixed \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 Text", "mixed-text"},
		{"Emoji \xF0\x9F\x98\x80 time", "emoji-time"},
		{"ALLCAPS", "allcaps"},
		{"already-a-slug", "already-a-slug"},
		/* nothing usable */
		{"", ""},
		{"   ", ""},
		{"!?-_.,", ""},
		{"\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xD0\xBC\xD0\xB8\xD1\x80", ""},
		{"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", ""},
		{"\xCE\x95\xCE\xBB\xCE\xBB\xCE\xB7\xCE\xBD\xCE\xB9\xCE\xBA\xCE\xAC", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = str_slugify(&a, cases[i].in);
		assert_non_null(s);
		if (strcmp(s, cases[i].out) != 0)
			fail_msg("str_slugify(\"%s\") = \"%s\", want \"%s\"", cases[i].in, s,
				 cases[i].out);
		if (*s && !str_slug_valid(s))
			fail_msg("str_slugify(\"%s\") = \"%s\" is not a valid slug", cases[i].in, s);
	}
	/* long input: capped at 200 bytes, still a valid slug */
	char longtext[1000];
	size_t o = 0;
	while (o + 4 < sizeof longtext) {
		memcpy(longtext + o, "ab! ", 4);
		o += 4;
	}
	longtext[o] = '\0';
	char *s = str_slugify(&a, longtext);
	assert_non_null(s);
	assert_true(strlen(s) <= 200);
	assert_true(strlen(s) > 150);
	assert_true(str_slug_valid(s));
	/* the cap may fall right after a dash: never left trailing */
	for (size_t shift = 0; shift < 4; shift++) {
		char t[700];
		memset(t, 'x', shift);
		size_t k = shift;
		while (k + 3 < sizeof t) {
			memcpy(t + k, "ab ", 3);
			k += 3;
		}
		t[k] = '\0';
		s = str_slugify(&a, t);
		assert_true(str_slug_valid(s));
	}
	/* a lone lead byte at the end of the text */
	s = str_slugify(&a, "abc\xC3");
	assert_string_equal(s, "abc");
	arena_free(&a);
}

/* ------------------------------------------------------------------- time */

static void test_time_parse_iso_dates(void **state)
{
	(void)state;
	int64_t t = 0;
	assert_true(time_parse_iso("2026-11-26", &t));
	assert_true(t == 1795651200);
	assert_true(time_parse_iso("1970-01-01", &t));
	assert_true(t == 0);
	assert_true(time_parse_iso("2024-02-29", &t)); /* leap year */
	assert_true(t == 1709164800);
	assert_true(time_parse_iso("2000-02-29", &t)); /* divisible by 400 */
	assert_true(time_parse_iso("2026-12-31", &t));
	assert_true(time_parse_iso("2026-11-26Z", &t));
	assert_true(t == 1795651200);
}

static void test_time_parse_iso_times(void **state)
{
	(void)state;
	int64_t t = 0;
	assert_true(time_parse_iso("2026-11-26T17:30", &t));
	assert_true(t == 1795714200);
	assert_true(time_parse_iso("2026-11-26T17:30:00", &t));
	assert_true(t == 1795714200);
	assert_true(time_parse_iso("2026-11-26 17:30:00", &t));
	assert_true(t == 1795714200);
	assert_true(time_parse_iso("2026-11-26T17:30:00Z", &t));
	assert_true(t == 1795714200);
	assert_true(time_parse_iso("2026-11-26T17:30:00.250Z", &t));
	assert_true(t == 1795714200);
	assert_true(time_parse_iso("2026-11-26T17:30:59Z", &t));
	assert_true(t == 1795714200 + 59);
	assert_true(time_parse_iso("2026-11-26T00:00:00Z", &t));
	assert_true(t == 1795651200);
	assert_true(time_parse_iso("2026-11-26T23:59:59Z", &t));
	assert_true(t == 1795651200 + 86399);
}

static void test_time_parse_iso_offsets(void **state)
{
	(void)state;
	int64_t t = 0;
	assert_true(time_parse_iso("2026-11-26T17:30:00+01:00", &t));
	assert_true(t == 1795710600); /* 16:30Z */
	assert_true(time_parse_iso("2026-11-26T17:30+01:00", &t));
	assert_true(t == 1795710600);
	assert_true(time_parse_iso("2026-11-26T17:30:00-05:30", &t));
	assert_true(t == 1795714200 + 5 * 3600 + 1800);
	assert_true(time_parse_iso("2026-11-26T17:30:00+00:00", &t));
	assert_true(t == 1795714200);
	assert_true(time_parse_iso("2026-11-27T00:30:00+01:00", &t)); /* previous UTC day */
	assert_true(t == 1795734000 + 1800);

	/* without an offset the site zone applies; with one, it does not */
	assert_true(time_set_zone("Europe/Paris"));
	assert_true(time_parse_iso("2026-07-01T12:00", &t));
	assert_true(t == 1782900000); /* CEST: 10:00Z */
	assert_true(time_parse_iso("2026-11-26T17:30", &t));
	assert_true(t == 1795710600); /* CET: 16:30Z */
	assert_true(time_parse_iso("2026-11-26T17:30:00Z", &t));
	assert_true(t == 1795714200);
	assert_true(time_parse_iso("2026-11-26T17:30:00+01:00", &t));
	assert_true(t == 1795710600);
	time_set_zone("UTC");

	/* the same instant again after a zone change: not the old zone's
	 * answer (time.c remembers the last conversion) */
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(time_iso(&a, 1795714200), "2026-11-26T17:30:00+00:00");
	assert_true(time_set_zone("Europe/Paris"));
	assert_string_equal(time_iso(&a, 1795714200), "2026-11-26T18:30:00+01:00");
	assert_string_equal(time_human(&a, 1795714200), "26 November 2026");
	assert_string_equal(time_iso(&a, 1795714200), "2026-11-26T18:30:00+01:00");
	time_set_zone("UTC");
	assert_string_equal(time_iso(&a, 1795714200), "2026-11-26T17:30:00+00:00");
	arena_free(&a);
}

static void test_time_parse_iso_invalid(void **state)
{
	(void)state;
	const char *bad[] = {
		"",
		"2026",
		"2026-11",
		"2026-02-30",
		"2026-02-29", /* not a leap year */
		"1900-02-29",
		"2026-04-31",
		"2026-13-01",
		"2026-00-10",
		"2026-11-00",
		"2026-11-32",
		"1969-12-31",
		"26-11-2026",
		"2026/11/26",
		"2026-1-26",
		"2026-11-26T",
		"2026-11-26T1",
		"2026-11-26T17",
		"2026-11-26T17:3",
		"2026-11-26T24:00",
		"2026-11-26T12:60",
		"2026-11-26T12:00:61",
		"2026-11-26T12:00:0",
		"2026-11-26T12-00",
		"2026-11-26T12:00+0100",
		"2026-11-26T12:00+01",
		"2026-11-26T12:00+24:00",
		"2026-11-26T12:00+01:60",
		"2026-11-26T12:00:00+01:00x",
		"2026-11-26T12:00:00ZZ",
		"2026-11-26T12:00:00z",
		"2026-11-26x",
		"2026-11-26 ",
		" 2026-11-26",
		"2026-11-26junk",
		"abcd-ef-gh",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 4242;
		if (time_parse_iso(bad[i], &t))
			fail_msg("time_parse_iso accepted \"%s\"", bad[i]);
	}
	int64_t t;
	assert_false(time_parse_iso(NULL, &t));
}

static void test_time_http_round_trip(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(time_http(&a, 1700000000), "Tue, 14 Nov 2023 22:13:20 GMT");
	assert_string_equal(time_http(&a, 0), "Thu, 01 Jan 1970 00:00:00 GMT");
	assert_string_equal(time_http(&a, 1795714200), "Thu, 26 Nov 2026 17:30:00 GMT");
	const int64_t samples[] = {0, 1, 86399, 951782400 /* 2000-02-29 */, 1700000000,
				   1795714200, 1798761599, 4102444800 /* 2100-01-01 */};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		char *s = time_http(&a, samples[i]);
		assert_non_null(s);
		assert_int_equal(strlen(s), 29);
		int64_t back = -1;
		assert_true(time_parse_http(s, &back));
		assert_true(back == samples[i]);
	}
	/* the format does not depend on the site zone */
	assert_true(time_set_zone("Europe/Paris"));
	assert_string_equal(time_http(&a, 1700000000), "Tue, 14 Nov 2023 22:13:20 GMT");
	int64_t back;
	assert_true(time_parse_http("Tue, 14 Nov 2023 22:13:20 GMT", &back));
	assert_true(back == 1700000000);
	time_set_zone("UTC");

	const char *bad[] = {
		"",
		"Tue, 14 Nov 2023 22:13:20 UTC",
		"Tue, 14 Nov 2023 22:13:20 GMT ",
		"Tue, 14 Nov 2023 22:13:20",
		"Tue 14 Nov 2023 22:13:20 GMT",
		"Tue, 14 Foo 2023 22:13:20 GMT",
		"Tue, 14 nov 2023 22:13:20 GMT",
		"Tue, 00 Nov 2023 22:13:20 GMT",
		"Tue, 32 Nov 2023 22:13:20 GMT",
		"Tue, 14 Nov 2023 24:13:20 GMT",
		"Tue, 14 Nov 2023 22:60:20 GMT",
		"Tue, 14 Nov 23 22:13:20 GMT",
		"Tuesday, 14-Nov-23 22:13:20 GMT",
		"Tue Nov 14 22:13:20 2023",
		"Tue, 1x Nov 2023 22:13:20 GMT",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t;
		if (time_parse_http(bad[i], &t))
			fail_msg("time_parse_http accepted \"%s\"", bad[i]);
	}
	int64_t t;
	assert_false(time_parse_http(NULL, &t));
	arena_free(&a);
}

/* In UTC, dates are time.c's own arithmetic: the same as glibc's gmtime_r
 * over years 1-9999, leap days and negative times included. */
static void test_time_utc_matches_libc(void **state)
{
	(void)state;
	assert_true(time_set_zone("UTC"));
	struct arena a;
	arena_init(&a, 0);
	const int64_t fixed[] = {0, -1, 59, 86399, 86400, -86400, -86401, 951782400 /* 2000-02-29 */,
				 951868799, 4107542399 /* 2100-02-28 23:59:59 */, 4107542400,
				 -2203891200 /* 1900-03-01 */, -62135596800 /* 0001-01-01 */,
				 253402300799 /* 9999-12-31 23:59:59 */, 1795714200};
	uint64_t x = 88172645463325252ull;
	for (size_t i = 0; i < 200000 + sizeof fixed / sizeof fixed[0]; i++) {
		int64_t t;
		if (i < sizeof fixed / sizeof fixed[0]) {
			t = fixed[i];
		} else { /* xorshift over 0001-01-01 .. 9999-12-31 */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			t = -62135596800 + (int64_t)(x % (253402300799ull + 62135596800ull + 1));
		}
		time_t tt = (time_t)t;
		struct tm g;
		assert_non_null(gmtime_r(&tt, &g));
		char want[64], got[64];
		snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", g.tm_year + 1900,
			 g.tm_mon + 1, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec);
		assert_string_equal(time_iso(&a, t), want);
		if (g.tm_year + 1900 >= 1000) { /* time_http's years are four digits */
			strftime(want, sizeof want, "%a, %d %b %Y %H:%M:%S GMT", &g);
			snprintf(got, sizeof got, "%s", time_http(&a, t));
			assert_string_equal(got, want);
		}
		struct date_parts dp;
		time_local(t, &dp);
		assert_int_equal(dp.year, g.tm_year + 1900);
		assert_int_equal(dp.month, g.tm_mon + 1);
		assert_int_equal(dp.day, g.tm_mday);
		if (i % 1000 == 0)
			arena_free(&a);
	}
	arena_free(&a);
}

static void test_time_formats(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(time_utc(&a, 1795714200), "2026-11-26T17:30:00Z");
	assert_string_equal(time_iso(&a, 1795714200), "2026-11-26T17:30:00+00:00");
	assert_string_equal(time_human(&a, 1795714200), "26 November 2026");
	assert_string_equal(time_human(&a, 1767603600), "5 January 2026"); /* one digit */
	assert_string_equal(time_human(&a, 0), "1 January 1970");
	struct date_parts dp;
	time_local(1795714200, &dp);
	assert_int_equal(dp.year, 2026);
	assert_int_equal(dp.month, 11);
	assert_int_equal(dp.day, 26);
	assert_int_equal(dp.hour, 17);
	assert_int_equal(dp.min, 30);
	assert_int_equal(dp.sec, 0);

	assert_true(time_set_zone("Europe/Paris"));
	assert_string_equal(time_iso(&a, 1795710600), "2026-11-26T17:30:00+01:00");
	assert_string_equal(time_iso(&a, 1782900000), "2026-07-01T12:00:00+02:00");
	assert_string_equal(time_utc(&a, 1795710600), "2026-11-26T16:30:00Z");
	/* 23:30Z on the 26th is already the 27th in Paris */
	assert_string_equal(time_human(&a, 1795734000 + 1800), "27 November 2026");
	/* time_iso reads back to the same instant */
	int64_t back;
	assert_true(time_parse_iso(time_iso(&a, 1782900000), &back));
	assert_true(back == 1782900000);
	time_set_zone("UTC");
	arena_free(&a);
}

static void test_time_zone(void **state)
{
	(void)state;
	assert_true(time_set_zone("UTC"));
	assert_true(time_set_zone(""));
	assert_true(time_set_zone(NULL));
	assert_true(time_set_zone("Europe/Paris"));
	assert_false(time_set_zone("Mars/Olympus"));
	assert_false(time_set_zone("../../etc/passwd"));
	/* an unknown zone falls back to UTC */
	struct date_parts dp;
	time_local(1795714200, &dp);
	assert_int_equal(dp.hour, 17);
	time_set_zone("UTC");
}

/* time.h: false "when the zone is unknown to the system" - a folder of the
 * zone database (or a data file in it) is not a zone. */
static void test_time_zone_not_a_folder(void **state)
{
	(void)state;
	bool folder = time_set_zone("Europe");
	bool slash = time_set_zone("America/");
	bool table = time_set_zone("zone.tab");
	time_set_zone("UTC"); /* before asserting: later tests expect UTC */
	assert_false(folder);
	assert_false(slash);
	assert_false(table);
}

static void test_time_local_range(void **state)
{
	(void)state;
	int64_t from = 0, to = 0;
	time_local_range(2026, 0, &from, &to); /* whole year */
	assert_true(from == 1767225600);
	assert_true(to == 1798761600);
	time_local_range(2026, 12, &from, &to); /* December runs into next year */
	assert_true(from == 1796083200);
	assert_true(to == 1798761600);
	time_local_range(2026, 11, &from, &to);
	assert_true(to == 1796083200);
	assert_true(to - from == 30 * 86400);
	time_local_range(2024, 2, &from, &to);
	assert_true(to - from == 29 * 86400);
	time_local_range(2026, 1, &from, &to);
	assert_true(from == 1767225600);
	assert_true(to - from == 31 * 86400);

	/* in the site zone */
	assert_true(time_set_zone("Europe/Paris"));
	time_local_range(2026, 0, &from, &to);
	assert_true(from == 1767225600 - 3600);
	assert_true(to == 1798761600 - 3600);
	time_local_range(2026, 12, &from, &to);
	assert_true(from == 1796079600);
	assert_true(to == 1798758000);
	/* March has the switch to summer time: one hour short */
	time_local_range(2026, 3, &from, &to);
	assert_true(to - from == 31 * 86400 - 3600);
	time_set_zone("UTC");
}

static void test_clock_offset(void **state)
{
	(void)state;
	int64_t before = clock_now();
	clock_set_offset(86400);
	assert_int_equal(clock_offset(), 86400);
	int64_t later = clock_now();
	assert_true(later - before >= 86400);
	assert_true(later - before < 86400 + 3600); /* generous for a slow machine */
	clock_set_offset(0);
	assert_int_equal(clock_offset(), 0);
	int64_t m1 = clock_mono_ms(), m2 = clock_mono_ms();
	assert_true(m2 >= m1);
}

/* ----------------------------------------------------------------- config */

static void test_config_defaults(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c, "/srv/site");
	assert_string_equal(c.site_dir, "/srv/site");
	assert_string_equal(c.db_path, "/srv/site/gazette.db");
	assert_string_equal(c.media_dir, "/srv/site/media");
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_string_equal(c.theme_dir, "");
	assert_string_equal(c.trusted_proxies, "");
	assert_int_equal(c.threads, 0);
	assert_true(c.max_connections > 0);
	assert_true(c.per_ip_connections > 0);
	assert_true(c.idle_timeout_s > 0);
	assert_true(c.request_deadline_s > 0);
	assert_true(c.max_body > 0);
	assert_true(c.max_header > 0);
	assert_true(c.max_url > 0);
	assert_int_equal(c.poll_ms, 250);

	/* an empty file (comments only) leaves the defaults */
	char msg[256];
	struct config d;
	assert_int_equal(load_conf("# nothing here\n\n   \n", &d, msg, sizeof msg), ERR_OK);
	assert_string_equal(d.listen, "127.0.0.1:8080");
	assert_int_equal(d.poll_ms, 250);
	assert_int_equal(d.max_body, c.max_body);
}

static void test_config_missing(void **state)
{
	(void)state;
	char *dir = make_dir();
	struct config c;
	char msg[256] = "";
	assert_int_equal(config_load(&c, dir, msg, sizeof msg), ERR_NOTFOUND);
	assert_true(strlen(msg) > 0);
	rm_dir(dir);
}

static void test_config_good_keys(void **state)
{
	(void)state;
	char *dir = make_dir();
	write_file(dir, "gazette.conf",
		   "# Gazette\n"
		   "listen = 0.0.0.0:9090\n"
		   "   database=data/site.db   \n"
		   "theme = /opt/theme # our own\n"
		   "trusted_proxies = 127.0.0.1,10.0.0.1\n"
		   "threads = 4\n"
		   "max_connections = 500\n"
		   "per_ip_connections = 8\n"
		   "idle_timeout = 15\n"
		   "request_deadline = 45\n"
		   "max_body = 2097152\n"
		   "max_header = 8192\n"
		   "max_url = 2048\n"
		   "change_poll_ms = 100\n");
	struct config c;
	char msg[256] = "";
	assert_int_equal(config_load(&c, dir, msg, sizeof msg), ERR_OK);
	assert_string_equal(c.site_dir, dir);
	assert_string_equal(c.listen, "0.0.0.0:9090");
	char want[1200];
	snprintf(want, sizeof want, "%s/data/site.db", dir);
	assert_string_equal(c.db_path, want);
	assert_string_equal(c.theme_dir, "/opt/theme");
	assert_string_equal(c.trusted_proxies, "127.0.0.1,10.0.0.1");
	assert_int_equal(c.threads, 4);
	assert_int_equal(c.max_connections, 500);
	assert_int_equal(c.per_ip_connections, 8);
	assert_int_equal(c.idle_timeout_s, 15);
	assert_int_equal(c.request_deadline_s, 45);
	assert_int_equal(c.max_body, 2097152);
	assert_int_equal(c.max_header, 8192);
	assert_int_equal(c.max_url, 2048);
	assert_int_equal(c.poll_ms, 100);

	/* an absolute database path is kept as is */
	write_file(dir, "gazette.conf", "database = /var/lib/gazette/g.db\n");
	assert_int_equal(config_load(&c, dir, msg, sizeof msg), ERR_OK);
	assert_string_equal(c.db_path, "/var/lib/gazette/g.db");
	/* so is a URL (a PostgreSQL database), and a default file can name one */
	write_file(dir, "gazette.conf", "database = postgresql://gz@db.example/site?sslmode=require\n");
	assert_int_equal(config_load(&c, dir, msg, sizeof msg), ERR_OK);
	assert_string_equal(c.db_path, "postgresql://gz@db.example/site?sslmode=require");
	assert_true(config_is_url("postgres://x/y"));
	assert_false(config_is_url("data/site.db"));
	assert_false(config_is_url("1a://x"));
	assert_false(config_is_url("dir/a://x"));
	/* keys not in the file keep their defaults on reload */
	assert_string_equal(c.listen, "127.0.0.1:8080");
	/* media_dir: relative to the site folder, or absolute; trailing slashes go */
	write_file(dir, "gazette.conf", "media_dir = shared/uploads/\n");
	assert_int_equal(config_load(&c, dir, msg, sizeof msg), ERR_OK);
	snprintf(want, sizeof want, "%s/shared/uploads", dir);
	assert_string_equal(c.media_dir, want);
	write_file(dir, "gazette.conf", "media_dir = /mnt/gazette-media//\n");
	assert_int_equal(config_load(&c, dir, msg, sizeof msg), ERR_OK);
	assert_string_equal(c.media_dir, "/mnt/gazette-media");
	write_file(dir, "gazette.conf", "media_dir =\n");
	assert_int_equal(config_load(&c, dir, msg, sizeof msg), ERR_INVALID);
	assert_non_null(strstr(msg, "media_dir"));
	rm_dir(dir);
}

static void test_config_default_file_loads(void **state)
{
	(void)state;
	char *dir = make_dir();
	char path[1200];
	snprintf(path, sizeof path, "%s/gazette.conf", dir);
	assert_int_equal(config_write_default(path, NULL), ERR_OK);
	/* never overwrites */
	assert_int_not_equal(config_write_default(path, NULL), ERR_OK);
	struct config c;
	char msg[256] = "";
	assert_int_equal(config_load(&c, dir, msg, sizeof msg), ERR_OK);
	char want[1200];
	snprintf(want, sizeof want, "%s/gazette.db", dir);
	assert_string_equal(c.db_path, want);
	snprintf(want, sizeof want, "%s/media", dir);
	assert_string_equal(c.media_dir, want);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	rm_dir(dir);
}

static void test_config_unknown_key(void **state)
{
	(void)state;
	struct config c;
	char msg[256];
	assert_int_equal(load_conf("# comment\n"
				   "listen = 127.0.0.1:8081\n"
				   "\n"
				   "listne = 127.0.0.1:8082\n",
				   &c, msg, sizeof msg),
			 ERR_INVALID);
	if (!strstr(msg, "gazette.conf:4:"))
		fail_msg("message \"%s\" does not name gazette.conf:4:", msg);
	assert_non_null(strstr(msg, "listne"));

	assert_int_equal(load_conf("Listen = x\n", &c, msg, sizeof msg), ERR_INVALID);
	assert_non_null(strstr(msg, "gazette.conf:1:"));

	/* a line without '=' */
	assert_int_equal(load_conf("threads = 2\nlisten 127.0.0.1:80\n", &c, msg, sizeof msg),
			 ERR_INVALID);
	assert_non_null(strstr(msg, "gazette.conf:2:"));
}

static void test_config_bad_numbers(void **state)
{
	(void)state;
	const char *bad[] = {
		"threads = abc\n",
		"threads = -1\n",
		"threads = 257\n",
		"threads = 4x\n",
		"threads = 1.5\n",
		"threads =\n",
		"threads = +4\n",
		"max_connections = 99999999999999999999\n",
		"max_body = 1e6\n",
		"max_body = -5\n",
		"max_header = 0x100\n",
		"idle_timeout = 1 000\n",
		"change_poll_ms = 60001\n",
		"request_deadline = forever\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct config c;
		char msg[256];
		char text[300];
		snprintf(text, sizeof text, "# header\n%s", bad[i]);
		enum err rc = load_conf(text, &c, msg, sizeof msg);
		if (rc != ERR_INVALID)
			fail_msg("config accepted \"%s\" (rc %d)", bad[i], (int)rc);
		if (!strstr(msg, "gazette.conf:2:"))
			fail_msg("config message \"%s\" lacks gazette.conf:2:", msg);
	}
}

/* ---- diff ---- */

static const char *render_diff(struct arena *a, const char *x, const char *y)
{
	struct diff_line *ls;
	size_t n;
	assert_int_equal(diff_lines(a, x, y, &ls, &n), ERR_OK);
	const char *out = "";
	for (size_t i = 0; i < n; i++)
		out = arena_printf(a, "%s%c%s|", out,
				   ls[i].kind == DIFF_ADD ? '+' : ls[i].kind == DIFF_DEL ? '-' : ' ',
				   ls[i].text);
	return out;
}

static void test_diff(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(render_diff(&a, "a\nb\nc\n", "a\nb\nc\n"), " a| b| c|");
	assert_string_equal(render_diff(&a, "a\nb\nc", "a\nx\nc"), " a|-b|+x| c|");
	assert_string_equal(render_diff(&a, "", "new"), "-|+new|");
	assert_string_equal(render_diff(&a, "one\ntwo", "zero\none\ntwo\nthree"),
			    "+zero| one| two|+three|");
	assert_string_equal(render_diff(&a, "a\r\nb\r\n", "a\nb\n"), " a| b|");
	/* a long common prefix and suffix around a change */
	struct buf x = BUF_INIT, y = BUF_INIT;
	for (int i = 0; i < 5000; i++) {
		buf_printf(&x, "line %d\n", i);
		buf_printf(&y, "line %d\n", i == 2500 ? -1 : i);
	}
	struct diff_line *ls;
	size_t n;
	assert_int_equal(diff_lines(&a, x.data, y.data, &ls, &n), ERR_OK);
	assert_int_equal(n, 5001);
	/* wholly different long texts: refused, not a huge table */
	buf_reset(&y);
	for (int i = 0; i < 5000; i++)
		buf_printf(&y, "other %d\n", i);
	assert_int_equal(diff_lines(&a, x.data, y.data, &ls, &n), ERR_LIMIT);
	buf_free(&x);
	buf_free(&y);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alloc_alignment),
		cmocka_unit_test(test_arena_zalloc_and_macros),
		cmocka_unit_test(test_arena_printf_edges),
		cmocka_unit_test(test_arena_cap),
		cmocka_unit_test(test_arena_large_and_reuse),
		cmocka_unit_test(test_arena_chunks_kept_per_thread),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_arena_realloc),
		cmocka_unit_test(test_buf_append_and_terminate),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_buf_detach_empty),
		cmocka_unit_test(test_buf_reserve_terminates),
		cmocka_unit_test(test_buf_oom_is_sticky),
		cmocka_unit_test(test_str_basics),
		cmocka_unit_test(test_str_from_i64),
		cmocka_unit_test(test_str_to_i64_good),
		cmocka_unit_test(test_str_to_i64_strict),
		cmocka_unit_test(test_str_to_i64_minus_zero),
		cmocka_unit_test(test_str_utf8_valid),
		cmocka_unit_test(test_str_url_decode),
		cmocka_unit_test(test_str_url_encode),
		cmocka_unit_test(test_str_slug_valid),
		cmocka_unit_test(test_str_slugify),
		cmocka_unit_test(test_time_parse_iso_dates),
		cmocka_unit_test(test_time_parse_iso_times),
		cmocka_unit_test(test_time_parse_iso_offsets),
		cmocka_unit_test(test_time_parse_iso_invalid),
		cmocka_unit_test(test_time_http_round_trip),
		cmocka_unit_test(test_time_utc_matches_libc),
		cmocka_unit_test(test_time_formats),
		cmocka_unit_test(test_time_zone),
		cmocka_unit_test(test_time_zone_not_a_folder),
		cmocka_unit_test(test_time_local_range),
		cmocka_unit_test(test_clock_offset),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_missing),
		cmocka_unit_test(test_config_good_keys),
		cmocka_unit_test(test_config_default_file_loads),
		cmocka_unit_test(test_config_unknown_key),
		cmocka_unit_test(test_config_bad_numbers),
		cmocka_unit_test(test_diff),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
