#include "render/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "render/escape.h"

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

/* Articles get every extension; comments (subset) no tables. */
static cmark_node *parse_with(const char *md, int opts, bool subset, cmark_parser **pp)
{
	pthread_once(&once, register_extensions);
	cmark_parser *p = cmark_parser_new(opts);
	if (!p)
		return NULL;
	if (!subset)
		attach(p, "table");
	attach(p, "strikethrough");
	attach(p, "autolink");
	attach(p, "tagfilter");
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	*pp = p;
	return doc;
}

static cmark_node *parse(const char *md, int opts, cmark_parser **pp)
{
	return parse_with(md, opts, false, pp);
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

/* ---- reader comments ---------------------------------------------------- */

static bool allowed_url(const char *u)
{
	return strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0 ||
	       strncasecmp(u, "mailto:", 7) == 0;
}

/* Move node's children in its place and free it. */
static void unwrap(cmark_node *nd)
{
	cmark_node *ch;
	while ((ch = cmark_node_first_child(nd)) != NULL)
		cmark_node_insert_before(nd, ch);
	cmark_node_free(nd);
}

/* Replace block nd by a new node of type t holding nd's children. nd is
 * only unlinked: its inline children's text points into its content buffer,
 * so the caller frees it after rendering. */
static cmark_node *retype(cmark_node *nd, cmark_node_type t)
{
	cmark_node *nw = cmark_node_new(t);
	if (!nw)
		return NULL;
	cmark_node *ch;
	while ((ch = cmark_node_first_child(nd)) != NULL)
		cmark_node_append_child(nw, ch);
	cmark_node_replace(nd, nw);
	return nd;
}

/* Raw HTML shows as the text the reader typed. */
static void html_as_text(cmark_node *nd, bool block)
{
	cmark_node *txt = cmark_node_new(CMARK_NODE_TEXT);
	if (!txt)
		return;
	cmark_node_set_literal(txt, cmark_node_get_literal(nd));
	if (block) {
		cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
		if (!para) {
			cmark_node_free(txt);
			return;
		}
		cmark_node_append_child(para, txt);
		cmark_node_replace(nd, para);
	} else {
		cmark_node_replace(nd, txt);
	}
	cmark_node_free(nd);
}

/* An allowed link becomes a custom inline whose opening tag carries
 * rel="nofollow ugc" (cmark cannot add attributes to links). */
static void nofollow_link(struct arena *a, cmark_node *nd, bool image)
{
	const char *url = cmark_node_get_url(nd);
	if (!url || !allowed_url(url)) {
		unwrap(nd);
		return;
	}
	struct buf b = BUF_INIT;
	buf_puts(&b, "<a href=\"");
	escape_html(&b, url, strlen(url));
	buf_puts(&b, "\" rel=\"nofollow ugc\">");
	cmark_node *custom = b.oom ? NULL : cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
	if (!custom) {
		buf_free(&b);
		unwrap(nd);
		return;
	}
	cmark_node_set_on_enter(custom, b.data);
	cmark_node_set_on_exit(custom, "</a>");
	buf_free(&b);
	cmark_node *ch;
	while ((ch = cmark_node_first_child(nd)) != NULL)
		cmark_node_append_child(custom, ch);
	if (image && !cmark_node_first_child(custom)) { /* ![](url): show the address */
		cmark_node *txt = cmark_node_new(CMARK_NODE_TEXT);
		if (txt) {
			cmark_node_set_literal(txt, url);
			cmark_node_append_child(custom, txt);
		}
	}
	cmark_node_replace(nd, custom);
	cmark_node_free(nd);
	(void)a;
}

enum err markdown_comment(struct arena *a, const char *md, char **html, int *nlinks)
{
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART;
	cmark_parser *p = NULL;
	cmark_node *doc = parse_with(md ? md : "", opts, true, &p);
	if (!doc) {
		if (p)
			cmark_parser_free(p);
		return ERR_NOMEM;
	}
	/* Collect first, change after: the iterator must not see a changing tree.
	 * Later nodes are changed first, so an outer node still holds its
	 * (already rewritten) children when its turn comes. */
	size_t cap = 64, n = 0;
	cmark_node **todo = malloc(cap * sizeof *todo);
	enum err rc = todo ? ERR_OK : ERR_NOMEM;
	cmark_iter *it = todo ? cmark_iter_new(doc) : NULL;
	cmark_event_type ev;
	int links = 0;
	while (it && rc == ERR_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *nd = cmark_iter_get_node(it);
		switch (cmark_node_get_type(nd)) {
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			links++;
			/* fall through */
		case CMARK_NODE_HEADING:
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if (n == cap) {
				cmark_node **g = realloc(todo, 2 * cap * sizeof *todo);
				if (!g) {
					rc = ERR_NOMEM;
					break;
				}
				todo = g;
				cap *= 2;
			}
			todo[n++] = nd;
			break;
		default:
			break;
		}
	}
	if (it)
		cmark_iter_free(it);
	if (rc != ERR_OK)
		n = 0; /* nothing changed: the tree frees every node */
	for (size_t i = n; i-- > 0;) {
		cmark_node *nd = todo[i];
		switch (cmark_node_get_type(nd)) {
		case CMARK_NODE_LINK: nofollow_link(a, nd, false); break;
		case CMARK_NODE_IMAGE: nofollow_link(a, nd, true); break;
		case CMARK_NODE_HEADING:
			todo[i] = retype(nd, CMARK_NODE_PARAGRAPH); /* freed below */
			continue;
		case CMARK_NODE_HTML_BLOCK: html_as_text(nd, true); break;
		case CMARK_NODE_HTML_INLINE: html_as_text(nd, false); break;
		default: break;
		}
		todo[i] = NULL;
	}
	if (rc == ERR_OK) {
		char *out = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
		rc = ERR_NOMEM;
		if (out) {
			*html = arena_strdup(a, out);
			rc = *html ? ERR_OK : ERR_NOMEM;
			free(out);
		}
	}
	if (nlinks)
		*nlinks = links;
	for (size_t i = 0; todo && i < n; i++)
		if (todo[i])
			cmark_node_free(todo[i]);
	free(todo);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return rc;
}
