#include "render/escape.h"

#include <string.h>

/* For each byte, its replacement's index in REPS (0: kept as it is). A
 * table instead of a switch: pages escape every byte of their text. */
static const char *const REPS[] = {NULL, "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
static const size_t REP_LEN[] = {0, 5, 4, 4, 6, 5};
static const unsigned char SPECIAL[256] = {['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5};

enum err escape_html(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
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
