/* fuzz_str.c - libFuzzer harness for the string helpers every layer uses
 * (core/str.c), HTML escaping (render/escape.c) and the date parsers
 * (core/time.c: ISO-8601 from the CLI, HTTP dates from If-Modified-Since).
 *
 * Checks properties, not just crashes: str_utf8_valid agrees with a simple
 * reference decoder; a slug made by str_slugify is "" or passes
 * str_slug_valid; decoding an encoded valid string gives it back; escaped
 * HTML holds no raw < > " '; str_to_i64 agrees with its range. */
#include "fuzz.h"

#include <stdbool.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "render/escape.h"

/* Reference UTF-8 check (RFC 3629 table 3-7 style), NUL rejected. */
static bool ref_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		unsigned lo = 0x80, hi = 0xBF;
		size_t len;
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c == 0xE0)
			len = 3, lo = 0xA0;
		else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
			len = 3;
		else if (c == 0xED)
			len = 3, hi = 0x9F;
		else if (c == 0xF0)
			len = 4, lo = 0x90;
		else if (c >= 0xF1 && c <= 0xF3)
			len = 4;
		else if (c == 0xF4)
			len = 4, hi = 0x8F;
		else
			return false;
		if (i + len > n || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return false;
		i += len;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *raw = (const char *)data;
	bool valid = str_utf8_valid(raw, size);
	FUZZ_CHECK(valid == ref_utf8(data, size), "str_utf8_valid says %d", valid);

	char *s = fuzz_cstr(data, size); /* C-string view: up to the first NUL */
	size_t sl = strlen(s);
	struct arena a;
	arena_init(&a, (size_t)1 << 20);

	char *slug = str_slugify(&a, s);
	FUZZ_CHECK(slug, "slugify failed");
	FUZZ_CHECK(!*slug || str_slug_valid(slug), "slugify made an invalid slug '%s'", slug);

	char *enc = str_url_encode(&a, s);
	FUZZ_CHECK(enc, "encode failed");
	char *dec = str_url_decode(&a, enc, strlen(enc), false);
	if (str_utf8_valid(s, sl))
		FUZZ_CHECK(dec && strcmp(dec, s) == 0, "decode(encode(s)) != s");
	else
		FUZZ_CHECK(!dec, "decode accepted invalid UTF-8");
	char *d2 = str_url_decode(&a, raw, size, true);
	if (d2)
		FUZZ_CHECK(str_utf8_valid(d2, strlen(d2)), "decoded text is not UTF-8");

	int64_t v;
	if (str_to_i64(s, -1000, 1000000, &v))
		FUZZ_CHECK(v >= -1000 && v <= 1000000, "out of range %lld", (long long)v);

	struct buf b = BUF_INIT;
	FUZZ_CHECK(escape_html(&b, raw, size) == ERR_OK, "escape failed");
	FUZZ_CHECK(b.len == 0 || !memchr(b.data, '<', b.len), "raw '<' after escaping");
	FUZZ_CHECK(b.len == 0 || !memchr(b.data, '"', b.len), "raw '\"' after escaping");
	FUZZ_CHECK(b.len == 0 || !memchr(b.data, '\'', b.len), "raw \"'\" after escaping");
	buf_free(&b);

	char *t = arena_strdup(&a, s);
	str_trim(t);
	FUZZ_CHECK(strlen(t) <= sl, "trim grew the string");

	int64_t when;
	if (time_parse_iso(s, &when))
		FUZZ_CHECK(time_iso(&a, when) != NULL, "time_iso of a parsed time");
	if (time_parse_http(s, &when))
		FUZZ_CHECK(time_http(&a, when) != NULL, "time_http of a parsed time");

	arena_free(&a);
	free(s);
	return 0;
}
