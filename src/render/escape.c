#include "render/escape.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* For each byte, its replacement's index in REPS (0: kept as it is). A
 * table instead of a switch: pages escape every byte of their text. */
static const char *const REPS[] = {NULL, "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
static const size_t REP_LEN[] = {0, 5, 4, 4, 6, 5};
static const unsigned char SPECIAL[256] = {['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5};

#ifdef __SSE2__
/* A bit for each of the sixteen bytes of v that needs escaping. */
static inline int special16(__m128i v)
{
	__m128i hit = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')), _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
		_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
					  _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8('\''))));
	return _mm_movemask_epi8(hit);
}
#endif

/* Short strings (most of a page: names, titles, URLs) are written in place
 * into room for the worst case, without a call per run of plain bytes. */
#define SHORT 2048

enum err escape_html(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n <= SHORT) {
		if (buf_reserve(out, 6 * n) != ERR_OK)
			return ERR_NOMEM;
		char *o = out->data + out->len;
		size_t i = 0;
#ifdef __SSE2__
		/* sixteen bytes at a time while none needs escaping */
		while (i + 16 <= n) {
			__m128i v = _mm_loadu_si128((const __m128i *)(u + i));
			int mask = special16(v);
			if (mask) {
				/* the plain bytes before the first special one */
				int k = __builtin_ctz((unsigned)mask);
				memcpy(o, u + i, (size_t)k);
				o += k;
				i += (size_t)k;
				unsigned r = SPECIAL[u[i]];
				memcpy(o, REPS[r], REP_LEN[r]);
				o += REP_LEN[r];
				i++;
				continue;
			}
			_mm_storeu_si128((__m128i *)o, v);
			o += 16;
			i += 16;
		}
		/* The last bytes, when there are sixteen before the end: as the
		 * sixteen that end the string, if none of them needs escaping.
		 * Those before i were then copied as they are, so the store
		 * rewrites the same bytes over them. */
		if (i < n && n >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(u + n - 16));
			if (!special16(v)) {
				_mm_storeu_si128((__m128i *)(o - (i - (n - 16))), v);
				o += n - i;
				i = n;
			}
		}
#endif
		for (; i < n; i++) {
			unsigned k = SPECIAL[u[i]];
			if (!k) {
				*o++ = (char)u[i];
				continue;
			}
			memcpy(o, REPS[k], REP_LEN[k]);
			o += REP_LEN[k];
		}
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		return ERR_OK;
	}
	size_t start = 0;
	buf_reserve(out, n + n / 8);
	for (size_t i = 0; i < n; i++) {
		unsigned k = SPECIAL[u[i]];
		if (!k)
			continue;
		buf_append(out, s + start, i - start);
		buf_append(out, REPS[k], REP_LEN[k]);
		start = i + 1;
	}
	buf_append(out, s + start, n - start);
	return out->oom ? ERR_NOMEM : ERR_OK;
}

char *escape_html_dup(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	escape_html(&b, s, strlen(s));
	char *r = b.oom ? NULL : arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}
