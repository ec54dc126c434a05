#include "search/snippet.h"

#include <string.h>

#include "core/buf.h"
#include "render/escape.h"

char *search_snippet_html(struct arena *a, const char *raw)
{
	struct buf b = BUF_INIT;
	bool open = false;
	const char *p = raw ? raw : "";
	while (*p) {
		size_t n = 0;
		while (p[n] && (unsigned char)p[n] >= 0x20)
			n++;
		escape_html(&b, p, n);
		p += n;
		if (!*p)
			break;
		if (*p == '\x01' && !open) {
			buf_puts(&b, "<mark>");
			open = true;
		} else if (*p == '\x02' && open) {
			buf_puts(&b, "</mark>");
			open = false;
		} else if (*p == '\n' || *p == '\t') {
			buf_putc(&b, ' ');
		}
		p++;
	}
	if (open)
		buf_puts(&b, "</mark>");
	char *out = b.oom ? NULL : arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}
