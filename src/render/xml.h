/* xml.h - writing XML 1.0 text (feeds, sitemaps) that is always well-formed.
 *
 * Text goes through xml_escape, which escapes markup characters and drops
 * what XML 1.0 cannot carry: bytes that are not valid UTF-8 (overlong forms,
 * surrogates, truncated sequences), the C0 controls other than TAB, LF and
 * CR, and U+FFFE/U+FFFF. Nothing here allocates except through the buf. */
#ifndef GAZETTE_RENDER_XML_H
#define GAZETTE_RENDER_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

/* Length of the valid UTF-8 sequence at s[0..n) of an XML 1.0 Char, or 0
 * when the bytes there must be dropped (then skip one byte). */
size_t xml_char_len(const unsigned char *s, size_t n);

/* Append s[0..n) escaped: & < > " ' always, CR as &#13; (parsers would
 * turn it into LF), and in attribute values (attr) TAB and LF too (parsers
 * would turn them into spaces), so text round-trips exactly. */
enum err xml_escape(struct buf *out, const char *s, size_t n, bool attr);

/* <name>escaped text</name> and a newline; NULL text writes an empty element. */
void xml_elem(struct buf *out, const char *name, const char *text);
/* name="escaped value" with a leading space. */
void xml_attr(struct buf *out, const char *name, const char *value);

#endif
