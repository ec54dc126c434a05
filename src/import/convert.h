/* convert.h - WordPress post content to plain HTML, before sanitizing.
 *
 * WordPress stores a post's content as the author typed it and reshapes it
 * on every page view: block-editor comments (<!-- wp:... -->) are markers,
 * shortcodes ([caption], [embed] ...) expand, and "autop" turns blank
 * lines into paragraphs and single newlines into <br>. convert_content
 * does the same once, at import: block comments go, [caption] becomes
 * <figure> with <figcaption>, [embed]URL[/embed] a link, [[x]] the literal
 * [x], and any other shortcode stays as typed (visible) and is counted.
 * The result still has to go through sanitize_html. */
#ifndef GAZETTE_IMPORT_CONVERT_H
#define GAZETTE_IMPORT_CONVERT_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

#define CONVERT_NAMES 16

/* Shortcodes left as they were, by name (the first CONVERT_NAMES names;
 * `other` counts the rest). Counts add up over calls. */
struct convert_report {
	struct {
		char name[32];
		size_t count;
	} unknown[CONVERT_NAMES];
	size_t nunknown;
	size_t other;
	size_t converted; /* shortcodes turned into HTML */
};

enum err convert_content(struct arena *a, const char *content, char **out,
			 struct convert_report *rep);

/* autop alone: paragraphs from blank lines, <br> from single newlines,
 * leaving <pre> and chunks that start with a block element as they are. */
enum err convert_autop(struct arena *a, const char *text, char **out);

/* Plain text of (sanitized) HTML: tags removed, the five entities our
 * serializer writes decoded, block ends as blank lines, runs of spaces
 * collapsed. For summaries and the search index. */
char *convert_html_text(struct arena *a, const char *html);

/* The first max bytes of text, cut at a word (UTF-8 safe), with "…" when
 * cut, on one line. */
char *convert_summary(struct arena *a, const char *text, size_t max);

#endif
