#include "render/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static void attach(cmark_parser *p, const char *name)
{
	cmark_syntax_extension *e = cmark_find_syntax_extension(name);
	if (e)
		cmark_parser_attach_syntax_extension(p, e);
}

static cmark_node *parse(const char *md, int opts, cmark_parser **pp)
{
	pthread_once(&once, register_extensions);
	cmark_parser *p = cmark_parser_new(opts);
	if (!p)
		return NULL;
	attach(p, "table");
	attach(p, "strikethrough");
	attach(p, "autolink");
	attach(p, "tagfilter");
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	*pp = p;
	return doc;
}

enum err markdown_to_html(struct arena *a, const char *md, char **html)
{
	/* CMARK_OPT_SAFE is the default in cmark-gfm (no CMARK_OPT_UNSAFE):
	 * raw HTML and dangerous URL schemes are suppressed. */
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES;
	cmark_parser *p = NULL;
	cmark_node *doc = parse(md ? md : "", opts, &p);
	if (!doc) {
		if (p)
			cmark_parser_free(p);
		return ERR_NOMEM;
	}
	char *out = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	enum err rc = ERR_NOMEM;
	if (out) {
		*html = arena_strdup(a, out);
		rc = *html ? ERR_OK : ERR_NOMEM;
		free(out);
	}
	cmark_node_free(doc);
	cmark_parser_free(p);
	return rc;
}

enum err markdown_excerpt(struct arena *a, const char *md, size_t max, char **text)
{
	cmark_parser *p = NULL;
	cmark_node *doc = parse(md ? md : "", CMARK_OPT_DEFAULT | CMARK_OPT_SMART, &p);
	if (!doc) {
		if (p)
			cmark_parser_free(p);
		return ERR_NOMEM;
	}
	/* Text of the leading paragraphs only (not headings, lists, tables). */
	char *acc = arena_alloc(a, max + 8);
	if (!acc) {
		cmark_node_free(doc);
		cmark_parser_free(p);
		return ERR_NOMEM;
	}
	size_t n = 0;
	bool cut = false, space = false;
	for (cmark_node *blk = cmark_node_first_child(doc); blk && !cut;
	     blk = cmark_node_next(blk)) {
		if (cmark_node_get_type(blk) != CMARK_NODE_PARAGRAPH)
			continue;
		cmark_iter *it = cmark_iter_new(blk);
		cmark_event_type ev;
		while (!cut && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *nd = cmark_iter_get_node(it);
			cmark_node_type t = cmark_node_get_type(nd);
			const char *lit = NULL;
			if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE))
				lit = cmark_node_get_literal(nd);
			else if (ev == CMARK_EVENT_ENTER &&
				 (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK))
				lit = " ";
			for (; lit && *lit; lit++) {
				bool ws = *lit == ' ' || *lit == '\n' || *lit == '\t';
				if (ws) {
					space = n > 0;
					continue;
				}
				if (space) {
					if (n + 1 > max) {
						cut = true;
						break;
					}
					acc[n++] = ' ';
					space = false;
				}
				if (n + 1 > max) {
					cut = true;
					break;
				}
				acc[n++] = *lit;
			}
		}
		cmark_iter_free(it);
		space = n > 0;
		if (n >= max / 2)
			break; /* one or two paragraphs make an excerpt */
	}
	if (cut) {
		/* back to a word boundary and a complete UTF-8 sequence */
		size_t k = n;
		while (k > 0 && acc[k - 1] != ' ')
			k--;
		if (k > max / 2) {
			n = k - 1;
		} else { /* no space nearby: drop a possibly split last character */
			while (n > 0 && ((unsigned char)acc[n - 1] & 0xC0) == 0x80)
				n--;
			if (n > 0 && (unsigned char)acc[n - 1] >= 0xC0)
				n--;
		}
		memcpy(acc + n, "\xE2\x80\xA6", 3); /* … */
		n += 3;
	}
	acc[n] = '\0';
	*text = acc;
	cmark_node_free(doc);
	cmark_parser_free(p);
	return ERR_OK;
}

enum err markdown_plaintext(struct arena *a, const char *md, char **text)
{
	cmark_parser *p = NULL;
	cmark_node *doc = parse(md ? md : "", CMARK_OPT_DEFAULT, &p);
	if (!doc) {
		if (p)
			cmark_parser_free(p);
		return ERR_NOMEM;
	}
	char *out = cmark_render_plaintext(doc, CMARK_OPT_DEFAULT, 0);
	enum err rc = ERR_NOMEM;
	if (out) {
		*text = arena_strdup(a, out);
		rc = *text ? ERR_OK : ERR_NOMEM;
		free(out);
	}
	cmark_node_free(doc);
	cmark_parser_free(p);
	return rc;
}
