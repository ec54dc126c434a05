#include "http/conditional.h"

#include <string.h>

#include "core/time.h"

/* W/"<len>-<hash>" of the body: a validator, not a security hash. Every
 * uncached page is hashed, so the loop matters: with SSE2 (every x86-64),
 * four 128-bit lanes each take 16 bytes at a time, multiplying the two
 * 32-bit halves of each 64-bit word (after a key is mixed in) and adding
 * the word itself with its halves swapped, so no input bit is lost in a
 * zero product (the construction of XXH3's inner loop, written here for
 * this one use); elsewhere, eight 64-bit multiply-xorshift lanes. The lanes
 * and the tail are folded with 64-bit multiplies at the end. */
static uint64_t mix(uint64_t x, uint64_t w)
{
	x = (x ^ w) * 0xFF51AFD7ED558CCDULL;
	return x ^ (x >> 32);
}

#ifdef __SSE2__
#include <emmintrin.h>

static inline __m128i lane(__m128i acc, __m128i key, const unsigned char *p)
{
	__m128i d = _mm_loadu_si128((const __m128i *)p);
	__m128i x = _mm_xor_si128(d, key);
	__m128i m = _mm_mul_epu32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)));
	return _mm_add_epi64(acc, _mm_add_epi64(m, _mm_shuffle_epi32(d, _MM_SHUFFLE(2, 3, 0, 1))));
}

static size_t lanes(const unsigned char *p, size_t len, uint64_t h[8])
{
	/* four lanes by name, not an array: kept in registers */
	__m128i a0 = _mm_set_epi64x((long long)0x9E3779B97F4A7C15ULL, (long long)0xC2B2AE3D27D4EB4FULL),
		a1 = _mm_set_epi64x((long long)0x165667B19E3779F9ULL, (long long)0x27D4EB2F165667C5ULL),
		a2 = _mm_set_epi64x((long long)0x85EBCA77C2B2AE63ULL, (long long)0xFF51AFD7ED558CCDULL),
		a3 = _mm_set_epi64x((long long)0xC4CEB9FE1A85EC53ULL, (long long)0x94D049BB133111EBULL);
	__m128i k0 = _mm_set_epi64x((long long)0xBF58476D1CE4E5B9ULL, (long long)0x9FB21C651E98DF25ULL),
		k1 = _mm_set_epi64x((long long)0xD6E8FEB86659FD93ULL, (long long)0xA0761D6478BD642FULL),
		k2 = _mm_set_epi64x((long long)0xE7037ED1A0B428DBULL, (long long)0x8EBC6AF09C88C6E3ULL),
		k3 = _mm_set_epi64x((long long)0x589965CC75374CC3ULL, (long long)0x1D8E4E27C47D124FULL);
	/* the keys move on every block: the same bytes at another place add
	 * another product, so swapped blocks do not cancel out */
	const __m128i step = _mm_set_epi64x((long long)0x9E3779B97F4A7C15ULL,
					    (long long)0xD1B54A32D192ED03ULL);
	size_t i = 0;
	for (; i + 64 <= len; i += 64) {
		a0 = lane(a0, k0, p + i);
		a1 = lane(a1, k1, p + i + 16);
		a2 = lane(a2, k2, p + i + 32);
		a3 = lane(a3, k3, p + i + 48);
		k0 = _mm_add_epi64(k0, step);
		k1 = _mm_add_epi64(k1, step);
		k2 = _mm_add_epi64(k2, step);
		k3 = _mm_add_epi64(k3, step);
	}
	_mm_storeu_si128((__m128i *)(h + 0), a0);
	_mm_storeu_si128((__m128i *)(h + 2), a1);
	_mm_storeu_si128((__m128i *)(h + 4), a2);
	_mm_storeu_si128((__m128i *)(h + 6), a3);
	return i;
}
#else
static size_t lanes(const unsigned char *p, size_t len, uint64_t h[8])
{
	for (int k = 0; k < 8; k++)
		h[k] = 0x9E3779B97F4A7C15ULL * (2 * k + 1);
	size_t i = 0;
	uint64_t w;
	for (; i + 64 <= len; i += 64)
		for (int k = 0; k < 8; k++) {
			memcpy(&w, p + i + 8 * k, 8);
			h[k] = mix(h[k], w);
		}
	return i;
}
#endif

const char *weak_etag(struct arena *a, const struct buf *b)
{
	const unsigned char *p = (const unsigned char *)b->data;
	uint64_t h[8];
	size_t i = lanes(p, b->len, h);
	uint64_t x = 0xC4CEB9FE1A85EC53ULL ^ b->len, w;
	for (int k = 0; k < 8; k++)
		x = mix(x, h[k]);
	for (; i + 8 <= b->len; i += 8) {
		memcpy(&w, p + i, 8);
		x = mix(x, w);
	}
	for (; i < b->len; i++)
		x = (x ^ p[i]) * 0xC4CEB9FE1A85EC53ULL;
	x ^= x >> 29;
	/* W/"<len in hex>-<16 hex digits>", without printf */
	static const char hex[] = "0123456789abcdef";
	char *o = arena_alloc(a, 3 + 16 + 1 + 16 + 2);
	if (!o)
		return NULL;
	char *s = o;
	*s++ = 'W';
	*s++ = '/';
	*s++ = '"';
	uint64_t len = b->len;
	int shift = 60;
	while (shift > 0 && !(len >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*s++ = hex[(len >> shift) & 15];
	*s++ = '-';
	for (shift = 60; shift >= 0; shift -= 4)
		*s++ = hex[(x >> shift) & 15];
	*s++ = '"';
	*s = '\0';
	return o;
}

/* A handler's etag as a header value: quoted if it was not. */
const char *etag_value(struct arena *a, const char *e)
{
	if (e[0] == '"' || strncmp(e, "W/\"", 3) == 0)
		return e;
	return arena_printf(a, "\"%s\"", e);
}

/* If-None-Match list against etag, weak comparison. */
static bool etag_listed(const char *list, const char *etag)
{
	const char *e = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
	size_t en = strlen(e);
	const char *p = list;
	while (*p) {
		p += strspn(p, " \t,");
		if (!*p)
			break;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p == '"') {
			const char *end = strchr(p + 1, '"');
			if (!end)
				return false;
			size_t n = (size_t)(end - p) + 1;
			if (n == en && memcmp(p, e, n) == 0)
				return true;
			p = end + 1;
		} else {
			p += strcspn(p, ",");
		}
	}
	return false;
}

bool not_modified(const struct req *r, const char *etag, int64_t last_modified)
{
	const char *inm = req_header(r, "If-None-Match");
	if (inm)
		return etag && etag_listed(inm, etag);
	const char *ims = req_header(r, "If-Modified-Since");
	int64_t t;
	return ims && last_modified > 0 && time_parse_http(ims, &t) && last_modified <= t;
}
