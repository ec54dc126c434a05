/* test_compress.c - http/compress.c: gzip and brotli round trips (decoded
 * here with zlib's inflate and BrotliDecoderDecompress), the gzip framing,
 * error paths, and Accept-Encoding negotiation including hostile headers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/compress.h"

/* ---------------------------------------------------------------- inputs */

/* Deterministic pseudo-random bytes (xorshift64), so failures reproduce. */
static char *random_bytes(size_t n)
{
	char *p = malloc(n ? n : 1);
	assert_non_null(p);
	uint64_t x = 0x9E3779B97F4A7C15u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (char)(x >> 56);
	}
	return p;
}

/* A ~10 KB article page shaped like the default theme's output. */
static char *html_page(size_t *len)
{
	static const char *const words[] = {
		"the", "council", "agreed", "on", "a", "new", "budget", "for",
		"schools", "after", "months", "of", "debate", "and", "residents",
		"say", "roads", "library", "opening", "hours", "will", "change",
		"next", "spring", "while", "critics", "warn", "about", "costs",
	};
	struct buf b = BUF_INIT;
	buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     "<title>Council agrees new budget &middot; The Gazette</title>\n"
		     "<link rel=\"stylesheet\" href=\"/assets/style.css\">\n"
		     "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed/\">\n"
		     "</head>\n<body>\n<header class=\"site-header\">\n"
		     "<a class=\"site-title\" href=\"/\">The Gazette</a>\n<nav>\n<ul>\n");
	for (int i = 0; i < 8; i++)
		buf_printf(&b, "<li><a href=\"/category/section-%d/\">Section %d</a></li>\n", i, i);
	buf_puts(&b, "</ul>\n</nav>\n</header>\n<main>\n<article class=\"post\">\n"
		     "<h1 class=\"post-title\">Council agrees new budget</h1>\n"
		     "<p class=\"post-meta\">By <a href=\"/author/jane/\">Jane Doe</a> on "
		     "<time datetime=\"2024-03-01T09:00:00Z\">1 March 2024</time></p>\n");
	uint32_t x = 12345;
	while (b.len < 9500) {
		buf_puts(&b, "<p>");
		for (int w = 0; w < 60; w++) {
			x = x * 1103515245u + 12345u;
			buf_puts(&b, words[(x >> 16) % (sizeof words / sizeof words[0])]);
			buf_puts(&b, w % 12 == 11 ? ". " : " ");
		}
		buf_puts(&b, "</p>\n");
	}
	buf_puts(&b, "</article>\n</main>\n<footer class=\"site-footer\">\n"
		     "<p>&copy; 2024 The Gazette. <a href=\"/feed/\">Feed</a></p>\n"
		     "</footer>\n</body>\n</html>\n");
	assert_false(b.oom);
	return buf_detach(&b, len);
}

/* ---------------------------------------------------------------- decoders */

/* Inflate a gzip stream (windowBits 31: gzip only, not zlib or raw). The
 * whole input must be one complete stream with nothing after it. */
static char *gunzip(const char *in, size_t n, size_t *outlen)
{
	struct buf b = BUF_INIT;
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(inflateInit2(&zs, 31), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	int rc;
	do {
		assert_int_equal(buf_reserve(&b, 65536), ERR_OK);
		zs.next_out = (Bytef *)b.data + b.len;
		zs.avail_out = 65536;
		rc = inflate(&zs, Z_NO_FLUSH);
		assert_true(rc == Z_OK || rc == Z_STREAM_END);
		b.len += 65536 - zs.avail_out;
	} while (rc != Z_STREAM_END);
	assert_int_equal(zs.avail_in, 0);
	inflateEnd(&zs);
	return buf_detach(&b, outlen);
}

static char *unbrotli(const char *in, size_t n, size_t expect)
{
	size_t cap = expect + 64, got = cap;
	char *out = malloc(cap);
	assert_non_null(out);
	assert_int_equal(BrotliDecoderDecompress(n, (const uint8_t *)in, &got,
						 (uint8_t *)out),
			 BROTLI_DECODER_RESULT_SUCCESS);
	assert_int_equal(got, expect);
	return out;
}

static void round_trip_gzip(const char *in, size_t n)
{
	struct buf out = BUF_INIT;
	assert_int_equal(compress_gzip(in, n, &out, -1), ERR_OK);
	assert_true(out.len >= 18); /* 10-byte header + 8-byte trailer */
	assert_int_equal((unsigned char)out.data[0], 0x1f);
	assert_int_equal((unsigned char)out.data[1], 0x8b);
	assert_int_equal((unsigned char)out.data[2], 8); /* deflate */
	assert_int_equal(out.data[out.len], '\0');

	/* Trailer: CRC-32 and length mod 2^32, little-endian (RFC 1952). */
	const unsigned char *t = (const unsigned char *)out.data + out.len - 8;
	uint32_t crc = (uint32_t)t[0] | (uint32_t)t[1] << 8 |
		       (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
	uint32_t isize = (uint32_t)t[4] | (uint32_t)t[5] << 8 |
			 (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
	assert_int_equal(crc, crc32(0, (const Bytef *)in, (uInt)n));
	assert_int_equal(isize, (uint32_t)n);

	size_t dn;
	char *d = gunzip(out.data, out.len, &dn);
	assert_int_equal(dn, n);
	if (n)
		assert_memory_equal(d, in, n);
	free(d);
	buf_free(&out);
}

static void round_trip_brotli(const char *in, size_t n)
{
	struct buf out = BUF_INIT;
	assert_int_equal(compress_brotli(in, n, &out, -1), ERR_OK);
	assert_true(out.len >= 1);
	assert_int_equal(out.data[out.len], '\0');
	char *d = unbrotli(out.data, out.len, n);
	if (n)
		assert_memory_equal(d, in, n);
	free(d);
	buf_free(&out);
}

/* ---------------------------------------------------------------- gzip */

static void test_gzip_empty(void **state)
{
	(void)state;
	round_trip_gzip("", 0);
	round_trip_gzip(NULL, 0);
}

static void test_gzip_one_byte(void **state)
{
	(void)state;
	round_trip_gzip("x", 1);
	round_trip_gzip("\0", 1);
}

static void test_gzip_html(void **state)
{
	(void)state;
	size_t n;
	char *page = html_page(&n);
	assert_true(n >= 9500 && n < 11000);
	round_trip_gzip(page, n);

	struct buf out = BUF_INIT;
	assert_int_equal(compress_gzip(page, n, &out, -1), ERR_OK);
	assert_true(out.len < n / 3); /* HTML compresses well */
	buf_free(&out);
	free(page);
}

static void test_gzip_random_1mb(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *in = random_bytes(n);
	round_trip_gzip(in, n);
	free(in);
}

static void test_gzip_levels(void **state)
{
	(void)state;
	size_t n;
	char *page = html_page(&n);
	for (int level = 0; level <= 9; level++) {
		struct buf out = BUF_INIT;
		assert_int_equal(compress_gzip(page, n, &out, level), ERR_OK);
		size_t dn;
		char *d = gunzip(out.data, out.len, &dn);
		assert_int_equal(dn, n);
		assert_memory_equal(d, page, n);
		free(d);
		buf_free(&out);
	}
	free(page);
}

/* Output is appended; a bad level leaves the buffer as it was. */
static void test_gzip_appends_and_rejects(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	assert_int_equal(buf_puts(&out, "HDR"), ERR_OK);
	assert_int_equal(compress_gzip("hello", 5, &out, 10), ERR_INVALID);
	assert_int_equal(out.len, 3);
	assert_string_equal(out.data, "HDR");

	assert_int_equal(compress_gzip("hello", 5, &out, 1), ERR_OK);
	assert_memory_equal(out.data, "HDR", 3);
	size_t dn;
	char *d = gunzip(out.data + 3, out.len - 3, &dn);
	assert_int_equal(dn, 5);
	assert_memory_equal(d, "hello", 5);
	free(d);
	buf_free(&out);
}

/* ---------------------------------------------------------------- brotli */

static void test_brotli_empty(void **state)
{
	(void)state;
	round_trip_brotli("", 0);
	round_trip_brotli(NULL, 0);
}

static void test_brotli_one_byte(void **state)
{
	(void)state;
	round_trip_brotli("x", 1);
	round_trip_brotli("\0", 1);
}

static void test_brotli_html(void **state)
{
	(void)state;
	size_t n;
	char *page = html_page(&n);
	round_trip_brotli(page, n);

	/* At the defaults brotli beats gzip on HTML. */
	struct buf gz = BUF_INIT, br = BUF_INIT;
	assert_int_equal(compress_gzip(page, n, &gz, -1), ERR_OK);
	assert_int_equal(compress_brotli(page, n, &br, -1), ERR_OK);
	assert_true(br.len < gz.len);
	buf_free(&gz);
	buf_free(&br);
	free(page);
}

static void test_brotli_random_1mb(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *in = random_bytes(n);
	round_trip_brotli(in, n);
	free(in);
}

static void test_brotli_qualities(void **state)
{
	(void)state;
	size_t n;
	char *page = html_page(&n);
	for (int q = 0; q <= 11; q++) {
		struct buf out = BUF_INIT;
		assert_int_equal(compress_brotli(page, n, &out, q), ERR_OK);
		char *d = unbrotli(out.data, out.len, n);
		assert_memory_equal(d, page, n);
		free(d);
		buf_free(&out);
	}
	free(page);
}

static void test_brotli_appends_and_rejects(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	assert_int_equal(buf_puts(&out, "HDR"), ERR_OK);
	assert_int_equal(compress_brotli("hello", 5, &out, 12), ERR_INVALID);
	assert_int_equal(out.len, 3);
	assert_string_equal(out.data, "HDR");

	assert_int_equal(compress_brotli("hello", 5, &out, -1), ERR_OK);
	assert_memory_equal(out.data, "HDR", 3);
	char *d = unbrotli(out.data + 3, out.len - 3, 5);
	assert_memory_equal(d, "hello", 5);
	free(d);
	buf_free(&out);
}

/* A buffer that already failed stays failed and unchanged (buf's rule). */
static void test_oom_buffer(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	assert_int_equal(buf_puts(&out, "HDR"), ERR_OK);
	out.oom = true;
	assert_int_equal(compress_gzip("hello", 5, &out, -1), ERR_NOMEM);
	assert_int_equal(out.len, 3);
	assert_string_equal(out.data, "HDR");
	assert_int_equal(compress_brotli("hello", 5, &out, -1), ERR_NOMEM);
	assert_int_equal(out.len, 3);
	assert_string_equal(out.data, "HDR");
	assert_true(out.oom);
	buf_free(&out);
}

/* ---------------------------------------------------------------- negotiate */

#define ID ENC_IDENTITY
#define GZ ENC_GZIP
#define BR ENC_BR

struct neg_case {
	const char *ae;
	enum encoding want;
};

static void check_all(const struct neg_case *c, size_t n, bool have_gzip, bool have_br)
{
	for (size_t i = 0; i < n; i++) {
		enum encoding got = compress_negotiate(c[i].ae, have_gzip, have_br);
		if (got != c[i].want)
			fail_msg("Accept-Encoding \"%s\" (gzip %d, br %d): got %s, want %s",
				 c[i].ae ? c[i].ae : "(null)", have_gzip, have_br,
				 compress_name(got), compress_name(c[i].want));
	}
}

static void test_negotiate_basic(void **state)
{
	(void)state;
	static const struct neg_case c[] = {
		{NULL, ID},
		{"", ID},
		{"gzip", GZ},
		{"br", BR},
		{"gzip, br", BR},
		{"br, gzip", BR},
		{"gzip, deflate, br, zstd", BR}, /* Chrome */
		{"gzip, deflate", GZ},
		{"deflate", ID},
		{"zstd", ID},
		{"identity", ID},
		{"*", BR},
		{"GZIP", GZ},
		{"Gzip", GZ},
		{"BR", BR},
		{"x-gzip", GZ},
		{"X-GZIP", GZ},
		{"x-br", ID},
		{"gzipx", ID},
		{"gzi", ID},
		{"brotli", ID},
	};
	check_all(c, sizeof c / sizeof c[0], true, true);
}

static void test_negotiate_weights(void **state)
{
	(void)state;
	static const struct neg_case c[] = {
		{"br;q=0.5, gzip;q=0.8", GZ},
		{"br;q=0.8, gzip;q=0.5", BR},
		{"br;q=0.5, gzip;q=0.5", BR}, /* tie: br */
		{"gzip;q=1, br;q=1.0", BR},
		{"gzip;q=1.000, br;q=0.999", GZ},
		{"gzip;q=0.001", GZ},
		{"gzip;q=0", ID},
		{"gzip;q=0.", ID},
		{"gzip;q=0.000", ID},
		{"gzip;q=0, br;q=0", ID},
		{"br;q=0, gzip", GZ},
		{"gzip;Q=0.5, br;Q=0.4", GZ}, /* "q" is case-insensitive */
		{"gzip;q=1.", GZ},
		{"gzip ; q=0.5", GZ}, /* OWS around ';' */
		{"gzip\t;\tq=0.5\t,\tbr;q=0.4", GZ},
		/* identity with an explicit weight competes */
		{"gzip;q=0.5, identity", ID},
		{"gzip, identity;q=0.5", GZ},
		{"gzip, identity", GZ},
		{"identity;q=0", ID}, /* never 406 */
		{"identity;q=0, gzip;q=0", ID},
		{"identity;q=0, gzip;q=0.1", GZ},
		/* wildcard */
		{"*;q=0", ID},
		{"*;q=0.5", BR},
		{"*;q=0, gzip", GZ},
		{"*, br;q=0", GZ},
		{"*;q=0.5, br;q=0", GZ},
		{"*;q=0.5, gzip;q=0.2", BR}, /* br and identity get 0.5 */
		{"*;q=0.5, br;q=0.1, gzip;q=0.2", ID}, /* identity gets 0.5 */
		{"*;q=0.5, identity;q=0, gzip;q=0.2", BR},
		{"identity, *;q=0", ID},
		/* first mention of a coding counts */
		{"gzip, gzip;q=0", GZ},
		{"gzip;q=0, gzip", ID},
		{"gzip;q=0, x-gzip", ID},
	};
	check_all(c, sizeof c / sizeof c[0], true, true);
}

/* Malformed items are ignored, not the whole header. */
static void test_negotiate_malformed(void **state)
{
	(void)state;
	static const struct neg_case c[] = {
		{"br;q=1.5", ID},
		{"br;q=1.5, gzip", GZ},
		{"br;q=1.001", ID},
		{"br;q=2", ID},
		{"gzip;q=abc", ID},
		{"gzip;q=abc, br", BR},
		{"gzip;q=", ID},
		{"gzip;q", ID},
		{"gzip;", ID},
		{"gzip;;q=1", ID},
		{"gzip;q=.5", ID},
		{"gzip;q=-0.5", ID},
		{"gzip;q=+1", ID},
		{"gzip;q=0.5000", ID}, /* at most 3 decimals */
		{"gzip;q=0.5x", ID},
		{"gzip;q=0.5 x", ID},
		{"gzip;q = 0.5", ID}, /* no whitespace around '=' */
		{"gzip;q= 0.5", ID},
		{"gzip;q=0.5;q=0.9", ID},
		{"gzip;level=9", ID},
		{"gzip;level=9, br", BR},
		{"gzip;q=\"0.5\"", ID},
		{"gz ip", ID},
		{"gzip br", ID},
		{"gzip\n", ID},
		{"gzip\r\n, br", BR},
		{";q=1", ID},
		{"=gzip", ID},
		{"\"gzip\"", ID},
		{"g\xc3\xa9zip, br", BR},
		{"\xff\xfe", ID},
		{"gzip\xff", ID},
		{",", ID},
		{",,, ,\t, gzip ,,", GZ},
		{"   ", ID},
		{";", ID},
		{"q=1", ID},
		{"br;q=0.5 , gzip;q=0.4 ", BR},
	};
	check_all(c, sizeof c / sizeof c[0], true, true);
}

static void test_negotiate_availability(void **state)
{
	(void)state;
	static const struct neg_case no_br[] = {
		{"br", ID},
		{"gzip, br", GZ},
		{"br;q=1, gzip;q=0.1", GZ},
		{"*", GZ},
		{"*, gzip;q=0", ID},
		{"br, identity;q=0", ID},
		{"*;q=0.5, gzip;q=0.2", ID},
		{"*;q=0.1, gzip;q=0.2", GZ},
	};
	check_all(no_br, sizeof no_br / sizeof no_br[0], true, false);

	static const struct neg_case no_gzip[] = {
		{"gzip", ID},
		{"gzip, br", BR},
		{"gzip;q=1, br;q=0.1", BR},
		{"*", BR},
	};
	check_all(no_gzip, sizeof no_gzip / sizeof no_gzip[0], false, true);

	static const struct neg_case none[] = {
		{"gzip, br", ID},
		{"*", ID},
		{NULL, ID},
	};
	check_all(none, sizeof none / sizeof none[0], false, false);
}

/* Long and repetitive headers: fast, no overrun, correct answer. */
static void test_negotiate_hostile(void **state)
{
	(void)state;
	enum { N = 10000 };
	char *h = malloc(N + 64);
	assert_non_null(h);

	/* 10,000 chars of unknown codings, then gzip */
	for (size_t i = 0; i < N; i += 2)
		memcpy(h + i, "x,", 2);
	memcpy(h + N, " gzip", 6);
	assert_int_equal(compress_negotiate(h, true, true), GZ);

	/* one 10,000-char token */
	memset(h, 'a', N);
	h[N] = '\0';
	assert_int_equal(compress_negotiate(h, true, true), ID);
	/* ...that starts like gzip */
	memcpy(h, "gzip", 4);
	assert_int_equal(compress_negotiate(h, true, true), ID);

	/* 10,000 spaces, commas, tabs, semicolons */
	const char fills[] = " ,\t;=";
	for (size_t f = 0; f < sizeof fills - 1; f++) {
		memset(h, fills[f], N);
		h[N] = '\0';
		assert_int_equal(compress_negotiate(h, true, true), ID);
	}

	/* a weight with 10,000 digits */
	memcpy(h, "gzip;q=0.", 9);
	memset(h + 9, '5', N - 9);
	h[N] = '\0';
	assert_int_equal(compress_negotiate(h, true, true), ID);

	/* thousands of parameters on one item */
	memcpy(h, "gzip", 4);
	for (size_t i = 4; i + 4 <= N; i += 4)
		memcpy(h + i, ";q=1", 4);
	h[N] = '\0';
	assert_int_equal(compress_negotiate(h, true, true), ID);

	/* many repeats: the first one counts */
	memcpy(h, "br;q=0", 7);
	for (size_t len = strlen(h); len + 8 < N; len += 8)
		memcpy(h + len, ", br;q=1", 9);
	assert_int_equal(compress_negotiate(h, true, true), ID);

	/* a header that ends mid-item at every possible point */
	const char *full = "gzip;q=0.5, br;q=0.25";
	size_t fl = strlen(full);
	for (size_t cut = 0; cut <= fl; cut++) {
		char *t = malloc(cut + 1); /* exact size: ASan catches overreads */
		assert_non_null(t);
		memcpy(t, full, cut);
		t[cut] = '\0';
		enum encoding e = compress_negotiate(t, true, true);
		assert_true(e == ID || e == GZ || e == BR);
		free(t);
	}
	free(h);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(compress_name(ENC_IDENTITY), "identity");
	assert_string_equal(compress_name(ENC_GZIP), "gzip");
	assert_string_equal(compress_name(ENC_BR), "br");
	assert_string_equal(compress_name(ENC__MAX), "identity");
	assert_string_equal(compress_name((enum encoding)-1), "identity");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_empty),
		cmocka_unit_test(test_gzip_one_byte),
		cmocka_unit_test(test_gzip_html),
		cmocka_unit_test(test_gzip_random_1mb),
		cmocka_unit_test(test_gzip_levels),
		cmocka_unit_test(test_gzip_appends_and_rejects),
		cmocka_unit_test(test_brotli_empty),
		cmocka_unit_test(test_brotli_one_byte),
		cmocka_unit_test(test_brotli_html),
		cmocka_unit_test(test_brotli_random_1mb),
		cmocka_unit_test(test_brotli_qualities),
		cmocka_unit_test(test_brotli_appends_and_rejects),
		cmocka_unit_test(test_oom_buffer),
		cmocka_unit_test(test_negotiate_basic),
		cmocka_unit_test(test_negotiate_weights),
		cmocka_unit_test(test_negotiate_malformed),
		cmocka_unit_test(test_negotiate_availability),
		cmocka_unit_test(test_negotiate_hostile),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
