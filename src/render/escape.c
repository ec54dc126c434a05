#include "render/escape.h"

#include <string.h>

enum err escape_html(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
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
