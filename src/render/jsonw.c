/* jsonw.c - the streaming JSON writer (jsonw.h), and the string and
 * integer forms json.c's tree writer shares. */
#include "render/jsonw.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/str.h"

/* Bytes that are not copied as they are: the escapes JSON needs, those a
 * <script> block needs (<, >, &, and / as jansson's JSON_ESCAPE_SLASH), and
 * 0xE2, which may start U+2028 or U+2029 (they end a line in JavaScript). */
static const unsigned char special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00-0x1f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ['"'] = 1, ['\\'] = 1, ['/'] = 1,
	['<'] = 1, ['>'] = 1, ['&'] = 1, [0xE2] = 1,
};

/* Write the special byte u[*i] (special[] is set for it) escaped; *i moves
 * past what it consumed (U+2028/9 take three bytes). */
static char *put_special(char *o, const unsigned char *u, size_t *i, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c = u[*i];
	const char *esc;
	switch (c) {
	case '"': esc = "\\\""; break;
	case '\\': esc = "\\\\"; break;
	case '/': esc = "\\/"; break;
	case '\b': esc = "\\b"; break;
	case '\f': esc = "\\f"; break;
	case '\n': esc = "\\n"; break;
	case '\r': esc = "\\r"; break;
	case '\t': esc = "\\t"; break;
	case '<': esc = "\\u003c"; break;
	case '>': esc = "\\u003e"; break;
	case '&': esc = "\\u0026"; break;
	case 0xE2:
		if (*i + 2 < n && u[*i + 1] == 0x80 && (u[*i + 2] == 0xA8 || u[*i + 2] == 0xA9)) {
			esc = u[*i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
			*i += 2;
		} else {
			*o++ = (char)c;
			return o;
		}
		break;
	default: /* other controls */
		*o++ = '\\';
		*o++ = 'u';
		*o++ = '0';
		*o++ = '0';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
		return o;
	}
	while (*esc)
		*o++ = *esc++;
	return o;
}

void jsonw_put_string(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	/* room for the worst case (every byte \u00XX), then write in place */
	if (n > (SIZE_MAX - 3) / 6 || buf_reserve(b, 6 * n + 2) != ERR_OK)
		return;
	char *o = b->data + b->len;
	*o++ = '"';
	size_t i = 0;
#ifdef __SSE2__
	/* sixteen bytes at a time: stored whole, then the first special one
	 * (any byte below 0x20, '"', '\\', '/', '<', '>', '&' or 0xE2) and
	 * what follows are written over by the escape - URLs have a '/' every
	 * few bytes, so the loop goes on after it */
	const __m128i lim = _mm_set1_epi8(0x1F), q = _mm_set1_epi8('"'),
		      bs = _mm_set1_epi8('\\'), sl = _mm_set1_epi8('/'), lt = _mm_set1_epi8('<'),
		      gt = _mm_set1_epi8('>'), amp = _mm_set1_epi8('&'),
		      e2 = _mm_set1_epi8((char)0xE2);
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(u + i));
		__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, lim), lim); /* v <= 0x1F */
		__m128i hit = _mm_or_si128(
			_mm_or_si128(_mm_or_si128(ctl, _mm_cmpeq_epi8(v, q)),
				     _mm_or_si128(_mm_cmpeq_epi8(v, bs), _mm_cmpeq_epi8(v, sl))),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, gt)),
				     _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, e2))));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		_mm_storeu_si128((__m128i *)o, v); /* room: 6n covers 16 here */
		if (!mask) {
			o += 16;
			i += 16;
			continue;
		}
		unsigned k = (unsigned)__builtin_ctz(mask);
		o += k;
		i += k;
		o = put_special(o, u, &i, n);
		i++;
	}
#endif
	for (; i < n; i++) {
		if (!special[u[i]])
			*o++ = (char)u[i];
		else
			o = put_special(o, u, &i, n);
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

void jsonw_put_int(struct buf *b, int64_t v)
{
	char d[STR_I64_MAX];
	buf_append(b, d, str_from_i64(d, v, 0));
}

void jsonw_init(struct jsonw *w)
{
	memset(w, 0, sizeof *w);
	buf_init(&w->b);
	buf_reserve(&w->b, 4096);
	w->first[0] = true;
}

/* The separator and key before a value at the current level. Keys are
 * names like "@type": copied as they are while no byte needs escaping
 * (the usual case), else written by jsonw_put_string. */
static bool member(struct jsonw *w, const char *key)
{
	if (w->failed)
		return false;
	struct buf *b = &w->b;
	size_t k = key ? strlen(key) : 0;
	if (buf_reserve(b, k + 4) != ERR_OK)
		return false;
	if (!w->first[w->depth])
		b->data[b->len++] = ',';
	w->first[w->depth] = false;
	if (!key)
		return true;
	char *o = b->data + b->len;
	*o++ = '"';
	for (size_t i = 0; i < k; i++) {
		if (special[(unsigned char)key[i]]) {
			jsonw_put_string(b, key, k);
			buf_putc(b, ':');
			return !b->oom;
		}
		*o++ = key[i];
	}
	*o++ = '"';
	*o++ = ':';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
	return true;
}

static void open_level(struct jsonw *w, const char *key, char open, char close)
{
	if (!member(w, key))
		return;
	if (w->depth + 1 >= JSONW_DEPTH) {
		w->failed = true;
		return;
	}
	buf_putc(&w->b, open);
	w->depth++;
	w->first[w->depth] = true;
	w->closer[w->depth] = close;
}

void jsonw_obj(struct jsonw *w, const char *key)
{
	open_level(w, key, '{', '}');
}

void jsonw_arr(struct jsonw *w, const char *key)
{
	open_level(w, key, '[', ']');
}

void jsonw_end(struct jsonw *w)
{
	if (w->failed)
		return;
	if (w->depth == 0) {
		w->failed = true;
		return;
	}
	buf_putc(&w->b, w->closer[w->depth--]);
}

void jsonw_str(struct jsonw *w, const char *key, const char *s)
{
	if (!member(w, key))
		return;
	size_t n = s ? strlen(s) : 0;
	if (n && !str_utf8_valid(s, n))
		n = 0;
	jsonw_put_string(&w->b, s ? s : "", n);
}

void jsonw_int(struct jsonw *w, const char *key, int64_t v)
{
	if (member(w, key))
		jsonw_put_int(&w->b, v);
}

void jsonw_raw(struct jsonw *w, const char *key, const char *json)
{
	if (member(w, key))
		buf_append(&w->b, json, strlen(json));
}

char *jsonw_finish(struct jsonw *w, struct arena *a)
{
	char *r = NULL;
	if (!w->failed && w->depth == 0 && !w->b.oom && w->b.len)
		r = arena_strndup(a, w->b.data, w->b.len);
	buf_free(&w->b);
	return r;
}
