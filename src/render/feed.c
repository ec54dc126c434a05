/* feed.c - write RSS 2.0 and Atom 1.0 documents (see feed.h).
 *
 * RSS items carry the text summary in <description> and, for full-content
 * feeds, the HTML in <content:encoded>; the featured image is both an
 * <enclosure> and a <media:content>. Atom entries carry <summary
 * type="text">, <content type="html"> and the image as a
 * <link rel="enclosure">. Every element is escaped text (no CDATA), so a
 * "]]>" in a post needs no special case. */
#include "render/feed.h"

#include <string.h>

#include "core/time.h"
#include "render/xml.h"

const char *feed_content_type(enum feed_format f)
{
	return f == FEED_ATOM ? "application/atom+xml; charset=utf-8"
			      : "application/rss+xml; charset=utf-8";
}

static bool set(const char *s)
{
	return s && *s;
}

static void rss_item(struct buf *b, struct arena *a, const struct feed_entry *e)
{
	buf_puts(b, "<item>\n");
	xml_elem(b, "title", e->title);
	xml_elem(b, "link", e->url);
	buf_puts(b, "<guid isPermaLink=\"false\">");
	xml_escape(b, e->id, strlen(e->id), false);
	buf_puts(b, "</guid>\n");
	xml_elem(b, "pubDate", time_rfc822(a, e->published));
	if (set(e->author_name))
		xml_elem(b, "dc:creator", e->author_name);
	for (size_t i = 0; i < e->ncategories; i++)
		xml_elem(b, "category", e->categories[i]);
	xml_elem(b, "description", set(e->summary) ? e->summary : "");
	if (e->content_html)
		xml_elem(b, "content:encoded", e->content_html);
	if (set(e->image_url)) {
		/* RSS requires a length; an unknown one is 0 by convention. */
		buf_puts(b, "<enclosure");
		xml_attr(b, "url", e->image_url);
		buf_puts(b, " length=\"0\"");
		xml_attr(b, "type", e->image_type);
		buf_puts(b, "/>\n<media:content");
		xml_attr(b, "url", e->image_url);
		xml_attr(b, "type", e->image_type);
		buf_puts(b, " medium=\"image\"/>\n");
	}
	buf_puts(b, "</item>\n");
}

static void write_rss(struct buf *b, struct arena *a, const struct feed *f)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
		    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
		    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		    "xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n");
	xml_elem(b, "title", f->title);
	xml_elem(b, "link", f->home_url);
	xml_elem(b, "description", set(f->subtitle) ? f->subtitle : f->title);
	if (set(f->lang))
		xml_elem(b, "language", f->lang);
	xml_elem(b, "lastBuildDate", time_rfc822(a, f->updated));
	xml_elem(b, "generator", "Gazette");
	buf_puts(b, "<atom:link rel=\"self\" type=\"application/rss+xml\"");
	xml_attr(b, "href", f->self_url);
	buf_puts(b, "/>\n");
	for (size_t i = 0; i < f->n; i++)
		rss_item(b, a, &f->entries[i]);
	buf_puts(b, "</channel>\n</rss>\n");
}

static void atom_link(struct buf *b, const char *rel, const char *type, const char *href)
{
	buf_puts(b, "<link");
	xml_attr(b, "rel", rel);
	if (type)
		xml_attr(b, "type", type);
	xml_attr(b, "href", href);
	buf_puts(b, "/>\n");
}

static void atom_entry(struct buf *b, struct arena *a, const struct feed_entry *e)
{
	buf_puts(b, "<entry>\n");
	xml_elem(b, "id", e->id);
	buf_puts(b, "<title type=\"text\">");
	xml_escape(b, e->title ? e->title : "", e->title ? strlen(e->title) : 0, false);
	buf_puts(b, "</title>\n");
	atom_link(b, "alternate", "text/html", e->url);
	xml_elem(b, "published", time_iso(a, e->published));
	xml_elem(b, "updated", time_iso(a, e->updated > e->published ? e->updated : e->published));
	buf_puts(b, "<author>\n");
	xml_elem(b, "name", set(e->author_name) ? e->author_name : "Unknown");
	if (set(e->author_url))
		xml_elem(b, "uri", e->author_url);
	buf_puts(b, "</author>\n");
	for (size_t i = 0; i < e->ncategories; i++) {
		buf_puts(b, "<category");
		xml_attr(b, "term", e->categories[i]);
		buf_puts(b, "/>\n");
	}
	if (set(e->summary)) {
		buf_puts(b, "<summary type=\"text\">");
		xml_escape(b, e->summary, strlen(e->summary), false);
		buf_puts(b, "</summary>\n");
	}
	if (e->content_html) {
		buf_puts(b, "<content type=\"html\">");
		xml_escape(b, e->content_html, strlen(e->content_html), false);
		buf_puts(b, "</content>\n");
	}
	if (set(e->image_url))
		atom_link(b, "enclosure", e->image_type, e->image_url);
	buf_puts(b, "</entry>\n");
}

static void write_atom(struct buf *b, struct arena *a, const struct feed *f)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	if (set(f->lang))
		xml_attr(b, "xml:lang", f->lang);
	buf_puts(b, ">\n");
	xml_elem(b, "id", f->id);
	buf_puts(b, "<title type=\"text\">");
	xml_escape(b, f->title, strlen(f->title), false);
	buf_puts(b, "</title>\n");
	if (set(f->subtitle)) {
		buf_puts(b, "<subtitle type=\"text\">");
		xml_escape(b, f->subtitle, strlen(f->subtitle), false);
		buf_puts(b, "</subtitle>\n");
	}
	xml_elem(b, "updated", time_iso(a, f->updated));
	atom_link(b, "self", "application/atom+xml", f->self_url);
	atom_link(b, "alternate", "text/html", f->home_url);
	buf_puts(b, "<generator>Gazette</generator>\n");
	for (size_t i = 0; i < f->n; i++)
		atom_entry(b, a, &f->entries[i]);
	buf_puts(b, "</feed>\n");
}

enum err feed_write(struct buf *out, struct arena *a, enum feed_format f, const struct feed *fd)
{
	if (f == FEED_ATOM)
		write_atom(out, a, fd);
	else
		write_rss(out, a, fd);
	if (out->oom || a->failed)
		return ERR_NOMEM;
	return ERR_OK;
}
