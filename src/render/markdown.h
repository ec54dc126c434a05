/* markdown.h - Markdown to HTML with cmark-gfm (the only cmark-gfm user).
 *
 * GFM tables, strikethrough, autolinks and the tag filter are on. Raw HTML
 * in the source is never passed through (cmark's safe mode: it becomes an
 * HTML comment) and javascript:/data: links are dropped, so the output is
 * trusted HTML for {{{ }}}. Results are copied into the arena. */
#ifndef GAZETTE_RENDER_MARKDOWN_H
#define GAZETTE_RENDER_MARKDOWN_H

#include "core/arena.h"
#include "core/err.h"

enum err markdown_to_html(struct arena *a, const char *md, char **html);
/* The whole document as plain text (for the search index). */
enum err markdown_plaintext(struct arena *a, const char *md, char **text);
/* Plain text of the first paragraph(s), whitespace collapsed, cut at a word
 * boundary to at most max bytes (with "…" appended when cut). */
enum err markdown_excerpt(struct arena *a, const char *md, size_t max, char **text);

/* A reader comment: the subset readers may use. Headings become
 * paragraphs, tables stay text, raw HTML shows as typed, links keep only
 * http, https and mailto addresses and get rel="nofollow ugc", images
 * become links. *nlinks (may be NULL) gets how many links the source had. */
enum err markdown_comment(struct arena *a, const char *md, char **html, int *nlinks);

#endif
