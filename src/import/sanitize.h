/* sanitize.h - the allow-list HTML sanitizer for imported content.
 *
 * HTML from outside (a WordPress export, its comments) is parsed by
 * libxml2's HTML parser, which repairs broken nesting the way browsers
 * roughly do, and written back out element by element: only allowed
 * elements with allowed attributes survive, every text and attribute
 * value is escaped on output, links and images keep only http, https,
 * mailto (links) and relative URLs. Scripts, styles, iframes, objects,
 * forms, SVG and MathML are removed with their content; other unknown
 * elements are unwrapped (their text stays). Event handlers, style,
 * class and id attributes never survive.
 *
 * The result is trusted HTML in the sense of DESIGN.md (raw {{{x}}}). */
#ifndef GAZETTE_IMPORT_SANITIZE_H
#define GAZETTE_IMPORT_SANITIZE_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

enum sanitize_mode {
	SANITIZE_POST,    /* articles and pages: headings, images, tables, figures ... */
	SANITIZE_COMMENT, /* comments: text formatting, quotes, lists, code and links
			   * (rel="nofollow ugc"); no images, headings or tables */
	SANITIZE_MODE__MAX
};

/* What was taken out (for the import summary). */
struct sanitize_report {
	size_t dropped_elements; /* removed with their content (script, iframe ...) */
	size_t unwrapped;        /* unknown or disallowed elements, text kept */
	size_t dropped_attrs;    /* attributes not allowed or with unsafe values */
};

/* Sanitize html (UTF-8) into *out, allocated in the arena. rep may be
 * NULL; when given, counts are added to it. */
enum err sanitize_html(struct arena *a, const char *html, enum sanitize_mode mode, char **out,
		       struct sanitize_report *rep);

/* Is url safe as an href (links: also mailto) or src? Ignores the
 * whitespace and control characters browsers ignore in a scheme. */
bool sanitize_url_ok(const char *url, bool link);

#endif
