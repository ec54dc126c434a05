/* facets.c - the change-log detail of a post write (see facets.h). */
#include <stdio.h>
#include <string.h>

#include "store/facets.h"

void facets_menu_hash(struct post_facets *f, const char *title, const char *slug)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *t = (const unsigned char *)(title ? title : ""); *t; t++)
		h = (h ^ *t) * 1099511628211ull;
	h = (h ^ '/') * 1099511628211ull;
	for (const unsigned char *s = (const unsigned char *)(slug ? slug : ""); *s; s++)
		h = (h ^ *s) * 1099511628211ull;
	f->menu_hash = (h ^ (uint64_t)f->date) * 1099511628211ull;
}

void facets_add_tag(struct post_facets *f, int64_t tag)
{
	if (f->ntags == FACETS_MAX_TAGS)
		f->too_many_tags = true;
	else
		f->tags[f->ntags++] = tag;
}

static bool seen(const struct buf *b, const char *tok)
{
	size_t n = strlen(tok);
	for (const char *p = b->data; p && (p = strstr(p, tok)); p += n)
		if ((p == b->data || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void add(struct buf *b, const char *fmt, int64_t v)
{
	char tok[32];
	snprintf(tok, sizeof tok, fmt, (long long)v);
	if (seen(b, tok))
		return;
	if (b->len)
		buf_putc(b, ' ');
	buf_puts(b, tok);
}

static void add_side(struct buf *b, const struct post_facets *f)
{
	if (!f->exists)
		return;
	if (f->pub)
		add(b, "pub", 0);
	if (f->page)
		add(b, "page", 0);
	if (f->category)
		add(b, "c%lld", f->category);
	if (f->author)
		add(b, "a%lld", f->author);
	add(b, "d%lld", f->date);
	for (size_t i = 0; i < f->ntags; i++)
		add(b, "t%lld", f->tags[i]);
	if (f->too_many_tags)
		add(b, "all", 0);
}

/* In a menu while public: a top-level page (the default menu) or any
 * post a stored menu item links to. */
static bool in_a_menu(const struct post_facets *f)
{
	return f->exists && f->pub && ((f->page && !f->parent) || f->in_menu);
}

void facets_detail(struct buf *b, const struct post_facets *before,
		   const struct post_facets *after)
{
	add_side(b, before);
	add_side(b, after);
	bool was = in_a_menu(before), is = in_a_menu(after);
	if (was != is || (is && before->menu_hash != after->menu_hash))
		add(b, "nav", 0);
}

const char *facets_comment_detail(char *buf, size_t len, int64_t post_id, bool shown)
{
	snprintf(buf, len, "post:%lld%s", (long long)post_id, shown ? " pub" : "");
	return buf;
}
