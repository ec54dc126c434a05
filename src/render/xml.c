/* xml.c - XML 1.0 text escaping that never emits a character XML forbids
 * (see xml.h). */
#include "render/xml.h"

#include <string.h>

size_t xml_char_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return (c >= 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) ? 1 : 0;
	size_t len;
	unsigned cp, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0; /* continuation byte, C0/C1 lead (overlong), F5..FF */
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF)
		return 0;                    /* overlong, or beyond Unicode */
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;                    /* surrogates are not characters */
	if (cp == 0xFFFE || cp == 0xFFFF)
		return 0;                    /* not XML 1.0 Chars */
	return len;
}

enum err xml_escape(struct buf *out, const char *s, size_t n, bool attr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0;
	while (i < n) {
		size_t k = xml_char_len(u + i, n - i);
		const char *rep = NULL;
		if (k == 1) {
			switch (u[i]) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&apos;"; break;
			case '\r': rep = "&#13;"; break;
			case '\t': rep = attr ? "&#9;" : NULL; break;
			case '\n': rep = attr ? "&#10;" : NULL; break;
			default: break;
			}
		}
		if (k != 0 && !rep) {
			i += k;
			continue;
		}
		buf_append(out, s + start, i - start);
		if (rep)
			buf_puts(out, rep);
		i += k ? k : 1; /* a dropped byte: skip it */
		start = i;
	}
	buf_append(out, s + start, n - start);
	return out->oom ? ERR_NOMEM : ERR_OK;
}

void xml_elem(struct buf *out, const char *name, const char *text)
{
	if (!text || !*text) {
		buf_printf(out, "<%s/>\n", name);
		return;
	}
	buf_printf(out, "<%s>", name);
	xml_escape(out, text, strlen(text), false);
	buf_printf(out, "</%s>\n", name);
}

void xml_attr(struct buf *out, const char *name, const char *value)
{
	buf_printf(out, " %s=\"", name);
	if (value)
		xml_escape(out, value, strlen(value), true);
	buf_putc(out, '"');
}
