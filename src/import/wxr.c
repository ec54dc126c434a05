/* wxr.c - the WXR streaming reader (see wxr.h) over libxml2's
 * xmlTextReader: a stack of open elements, the text of the current leaf,
 * and one record at a time in an arena emptied after its callback. */
#include "import/wxr.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "core/buf.h"
#include "core/str.h"

enum ns { NS_NONE, NS_WP, NS_EXCERPT, NS_CONTENT, NS_DC, NS_GAZETTE, NS_OTHER };

struct frame {
	enum ns ns;
	char name[32];
};

#define MAX_DEPTH 64

enum rec { R_NONE, R_AUTHOR, R_TERM, R_ITEM };

struct rd {
	xmlTextReaderPtr r;
	const struct wxr_handler *h;
	char wpns[64];
	struct frame st[MAX_DEPTH];
	int depth;
	struct buf text;
	struct arena a;  /* the current record */
	struct arena ca; /* the channel */
	enum rec rec;
	struct wxr_channel ch;
	bool ch_sent;
	struct wxr_author au;
	struct wxr_term term;
	struct wxr_item item;
	size_t cap_terms, cap_meta, cap_comments;
	struct wxr_comment cm;
	struct wxr_meta meta;
	struct wxr_item_term pend;
	char *errmsg;
	size_t errlen;
	int *errline;
	int xml_line;
	char xml_msg[200];
};

static const char *const EMPTY = "";

/* http(s)://wordpress.org/export/1.0/ .. 1.2/ */
static bool wxr_namespace(const char *uri)
{
	const char *p = uri;
	if (str_starts(p, "http://"))
		p += 7;
	else if (str_starts(p, "https://"))
		p += 8;
	else
		return false;
	return strcmp(p, "wordpress.org/export/1.0/") == 0 ||
	       strcmp(p, "wordpress.org/export/1.1/") == 0 ||
	       strcmp(p, "wordpress.org/export/1.2/") == 0;
}

static enum ns classify(const struct rd *d, const char *uri)
{
	if (!uri || !*uri)
		return NS_NONE;
	if (*d->wpns && strcmp(uri, d->wpns) == 0)
		return NS_WP;
	if (strstr(uri, "wordpress.org/export/") && str_ends(uri, "/excerpt/"))
		return NS_EXCERPT;
	if (strcmp(uri, "http://purl.org/rss/1.0/modules/content/") == 0)
		return NS_CONTENT;
	if (strcmp(uri, "http://purl.org/dc/elements/1.1/") == 0)
		return NS_DC;
	if (strcmp(uri, "urn:gazette:wxr:1") == 0) /* EXPORT_GAZETTE_NS */
		return NS_GAZETTE;
	return NS_OTHER;
}

/* The line of the current node where libxml2 knows it (elements), else
 * where the parser is (it reads ahead, so that may be a little later). */
static int line(const struct rd *d)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(d->r);
	long l = n ? xmlGetLineNo(n) : -1;
	return l > 0 && l < 0x7fffffff ? (int)l : xmlTextReaderGetParserLineNumber(d->r);
}

static enum err fail(struct rd *d, int at, const char *msg)
{
	*d->errline = at;
	snprintf(d->errmsg, d->errlen, "%s", msg);
	return ERR_INVALID;
}

static void on_error(void *arg, xmlErrorPtr e)
{
	struct rd *d = arg;
	if (!e || e->level < XML_ERR_ERROR || d->xml_msg[0])
		return;
	d->xml_line = e->line;
	snprintf(d->xml_msg, sizeof d->xml_msg, "%s", e->message ? e->message : "XML error");
	size_t n = strlen(d->xml_msg);
	while (n && (d->xml_msg[n - 1] == '\n' || d->xml_msg[n - 1] == ' '))
		d->xml_msg[--n] = '\0';
}

static const struct frame *fr(const struct rd *d, int i)
{
	return i < d->depth ? &d->st[i] : NULL;
}

static bool is(const struct frame *f, enum ns ns, const char *name)
{
	return f && f->ns == ns && strcmp(f->name, name) == 0;
}

static const char *text(struct rd *d)
{
	const char *s = arena_strndup(&d->a, d->text.data ? d->text.data : "", d->text.len);
	return s ? s : EMPTY;
}

/* Grow an arena array by one element. */
static void *push(struct arena *a, void *arr, size_t *n, size_t *cap, size_t elem)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		void *na = arena_realloc(a, arr, *cap * elem, nc * elem);
		if (!na)
			return NULL;
		arr = na;
		*cap = nc;
	}
	memset((char *)arr + *n * elem, 0, elem);
	(*n)++;
	return arr;
}

static void blank_strings(const char **first, size_t n)
{
	for (size_t i = 0; i < n; i++)
		first[i] = EMPTY;
}
#define BLANK(s, a, b) blank_strings(&(s)->a, (size_t)(&(s)->b - &(s)->a) + 1)

static enum err send_channel(struct rd *d)
{
	if (d->ch_sent)
		return ERR_OK;
	d->ch_sent = true;
	return d->h->channel ? d->h->channel(d->h->ud, &d->ch) : ERR_OK;
}

static void reset_record(struct rd *d)
{
	arena_free(&d->a);
	arena_init(&d->a, 0);
	d->rec = R_NONE;
}

/* A record starts at depth 3 (rss > channel > record). */
static enum err start_record(struct rd *d, const struct frame *f)
{
	enum err rc = send_channel(d);
	if (rc != ERR_OK)
		return rc;
	reset_record(d);
	int at = line(d);
	if (is(f, NS_WP, "author")) {
		d->rec = R_AUTHOR;
		memset(&d->au, 0, sizeof d->au);
		BLANK(&d->au, id, last_name);
		d->au.line = at;
	} else if (is(f, NS_WP, "category") || is(f, NS_WP, "tag") || is(f, NS_WP, "term")) {
		d->rec = R_TERM;
		memset(&d->term, 0, sizeof d->term);
		BLANK(&d->term, id, description);
		d->term.kind = strcmp(f->name, "category") == 0 ? WXR_CATEGORY
			       : strcmp(f->name, "tag") == 0    ? WXR_TAG
								: WXR_TERM;
		d->term.taxonomy = d->term.kind == WXR_CATEGORY ? "category"
				   : d->term.kind == WXR_TAG    ? "post_tag"
								: EMPTY;
		d->term.line = at;
	} else if (is(f, NS_NONE, "item")) {
		d->rec = R_ITEM;
		memset(&d->item, 0, sizeof d->item);
		BLANK(&d->item, title, attachment_url);
		d->cap_terms = d->cap_meta = d->cap_comments = 0;
		d->item.line = at;
	}
	return ERR_OK;
}

static enum err end_record(struct rd *d)
{
	enum err rc = ERR_OK;
	const struct wxr_handler *h = d->h;
	if (d->a.failed)
		return ERR_NOMEM;
	if (d->rec == R_AUTHOR && h->author)
		rc = h->author(h->ud, &d->au);
	else if (d->rec == R_TERM && h->term)
		rc = h->term(h->ud, &d->term);
	else if (d->rec == R_ITEM) {
		if (h->item)
			rc = h->item(h->ud, &d->item);
		if (rc == ERR_OK && h->progress)
			h->progress(h->ud, (uint64_t)xmlTextReaderByteConsumed(d->r));
	}
	if (rc != ERR_OK && !*d->errline)
		*d->errline = d->rec == R_AUTHOR ? d->au.line
			      : d->rec == R_TERM ? d->term.line
						 : d->item.line;
	reset_record(d);
	return rc;
}

static void channel_field(struct rd *d, const struct frame *f)
{
	const char **slot = NULL;
	if (is(f, NS_NONE, "title"))
		slot = &d->ch.title;
	else if (is(f, NS_NONE, "link"))
		slot = &d->ch.link;
	else if (is(f, NS_NONE, "description"))
		slot = &d->ch.description;
	else if (is(f, NS_NONE, "language"))
		slot = &d->ch.language;
	else if (is(f, NS_WP, "wxr_version"))
		slot = &d->ch.wxr_version;
	else if (is(f, NS_WP, "base_site_url"))
		slot = &d->ch.base_site_url;
	else if (is(f, NS_WP, "base_blog_url"))
		slot = &d->ch.base_blog_url;
	if (slot) {
		const char *s = arena_strndup(&d->ca, d->text.data ? d->text.data : "", d->text.len);
		*slot = s ? s : EMPTY;
	}
}

static void author_field(struct rd *d, const struct frame *f)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{"author_id", offsetof(struct wxr_author, id)},
		{"author_login", offsetof(struct wxr_author, login)},
		{"author_email", offsetof(struct wxr_author, email)},
		{"author_display_name", offsetof(struct wxr_author, display_name)},
		{"author_first_name", offsetof(struct wxr_author, first_name)},
		{"author_last_name", offsetof(struct wxr_author, last_name)},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (is(f, NS_WP, map[i].name))
			*(const char **)((char *)&d->au + map[i].off) = text(d);
}

static void term_field(struct rd *d, const struct frame *f)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{"term_id", offsetof(struct wxr_term, id)},
		{"category_nicename", offsetof(struct wxr_term, slug)},
		{"tag_slug", offsetof(struct wxr_term, slug)},
		{"term_slug", offsetof(struct wxr_term, slug)},
		{"category_parent", offsetof(struct wxr_term, parent)},
		{"term_parent", offsetof(struct wxr_term, parent)},
		{"cat_name", offsetof(struct wxr_term, name)},
		{"tag_name", offsetof(struct wxr_term, name)},
		{"term_name", offsetof(struct wxr_term, name)},
		{"category_description", offsetof(struct wxr_term, description)},
		{"tag_description", offsetof(struct wxr_term, description)},
		{"term_description", offsetof(struct wxr_term, description)},
		{"term_taxonomy", offsetof(struct wxr_term, taxonomy)},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (is(f, NS_WP, map[i].name))
			*(const char **)((char *)&d->term + map[i].off) = text(d);
}

static void item_field(struct rd *d, const struct frame *f)
{
	struct wxr_item *it = &d->item;
	static const struct {
		const char *name;
		size_t off;
	} wp[] = {
		{"post_id", offsetof(struct wxr_item, post_id)},
		{"post_date", offsetof(struct wxr_item, post_date)},
		{"post_date_gmt", offsetof(struct wxr_item, post_date_gmt)},
		{"comment_status", offsetof(struct wxr_item, comment_status)},
		{"post_name", offsetof(struct wxr_item, post_name)},
		{"status", offsetof(struct wxr_item, status)},
		{"post_parent", offsetof(struct wxr_item, post_parent)},
		{"menu_order", offsetof(struct wxr_item, menu_order)},
		{"post_type", offsetof(struct wxr_item, post_type)},
		{"post_password", offsetof(struct wxr_item, post_password)},
		{"is_sticky", offsetof(struct wxr_item, is_sticky)},
		{"attachment_url", offsetof(struct wxr_item, attachment_url)},
	};
	if (f->ns == NS_WP) {
		for (size_t i = 0; i < sizeof wp / sizeof wp[0]; i++)
			if (strcmp(f->name, wp[i].name) == 0)
				*(const char **)((char *)it + wp[i].off) = text(d);
	} else if (is(f, NS_NONE, "title")) {
		it->title = text(d);
	} else if (is(f, NS_NONE, "link")) {
		it->link = text(d);
	} else if (is(f, NS_NONE, "pubDate")) {
		it->pub_date = text(d);
	} else if (is(f, NS_NONE, "guid")) {
		it->guid = text(d);
	} else if (is(f, NS_NONE, "description")) {
		it->description = text(d);
	} else if (is(f, NS_DC, "creator")) {
		it->creator = text(d);
	} else if (is(f, NS_CONTENT, "encoded")) {
		it->content = text(d);
	} else if (is(f, NS_EXCERPT, "encoded")) {
		it->excerpt = text(d);
	} else if (is(f, NS_NONE, "category")) {
		void *arr = push(&d->a, it->terms, &it->nterms, &d->cap_terms, sizeof *it->terms);
		if (arr) {
			it->terms = arr;
			d->pend.name = text(d);
			it->terms[it->nterms - 1] = d->pend;
		}
	}
}

static void comment_field(struct rd *d, const struct frame *f)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{"comment_id", offsetof(struct wxr_comment, id)},
		{"comment_author", offsetof(struct wxr_comment, author)},
		{"comment_author_email", offsetof(struct wxr_comment, author_email)},
		{"comment_author_url", offsetof(struct wxr_comment, author_url)},
		{"comment_author_IP", offsetof(struct wxr_comment, author_ip)},
		{"comment_date", offsetof(struct wxr_comment, date)},
		{"comment_date_gmt", offsetof(struct wxr_comment, date_gmt)},
		{"comment_content", offsetof(struct wxr_comment, content)},
		{"comment_approved", offsetof(struct wxr_comment, approved)},
		{"comment_type", offsetof(struct wxr_comment, type)},
		{"comment_parent", offsetof(struct wxr_comment, parent)},
		{"comment_user_id", offsetof(struct wxr_comment, user_id)},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (is(f, NS_WP, map[i].name))
			*(const char **)((char *)&d->cm + map[i].off) = text(d);
}

static const char *attr(struct rd *d, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(d->r, (const xmlChar *)name);
	if (!v)
		return EMPTY;
	const char *s = arena_strdup(&d->a, (const char *)v);
	xmlFree(v);
	return s ? s : EMPTY;
}

static enum err check_root(struct rd *d)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(d->r);
	if (!name || strcmp(name, "rss") != 0) {
		char msg[160];
		snprintf(msg, sizeof msg,
			 "not a WordPress export (WXR): the root element is <%.40s>, not <rss>",
			 name ? name : "?");
		return fail(d, line(d), msg);
	}
	char seen[80] = "";
	while (xmlTextReaderMoveToNextAttribute(d->r) == 1) {
		const char *an = (const char *)xmlTextReaderConstName(d->r);
		const char *av = (const char *)xmlTextReaderConstValue(d->r);
		if (!an || !av || strncmp(an, "xmlns", 5) != 0)
			continue;
		if (wxr_namespace(av))
			str_copy(d->wpns, av, sizeof d->wpns);
		else if (strcmp(av, "urn:gazette:wxr:1") == 0) /* EXPORT_GAZETTE_NS */
			d->ch.gazette = true;
		else if (strcmp(an, "xmlns:wp") == 0)
			str_copy(seen, av, sizeof seen);
	}
	xmlTextReaderMoveToElement(d->r);
	if (!*d->wpns) {
		char msg[200];
		if (*seen)
			snprintf(msg, sizeof msg,
				 "not a WordPress export (WXR 1.0-1.2): xmlns:wp is '%s', expected "
				 "http(s)://wordpress.org/export/1.0/, 1.1/ or 1.2/",
				 seen);
		else
			snprintf(msg, sizeof msg,
				 "not a WordPress export (WXR): <rss> declares no "
				 "wordpress.org/export/ namespace");
		return fail(d, line(d), msg);
	}
	return ERR_OK;
}

static enum err on_start(struct rd *d)
{
	if (d->depth == 0) {
		enum err rc = check_root(d);
		if (rc != ERR_OK)
			return rc;
	}
	if (d->depth >= MAX_DEPTH)
		return fail(d, line(d), "elements nested too deeply for a WordPress export");
	struct frame *f = &d->st[d->depth++];
	const char *ln = (const char *)xmlTextReaderConstLocalName(d->r);
	f->ns = classify(d, (const char *)xmlTextReaderConstNamespaceUri(d->r));
	str_copy(f->name, ln ? ln : "", sizeof f->name);
	buf_reset(&d->text);
	if (d->depth == 3 && is(fr(d, 1), NS_NONE, "channel") &&
	    (is(f, NS_WP, "author") || is(f, NS_WP, "category") || is(f, NS_WP, "tag") ||
	     is(f, NS_WP, "term") || is(f, NS_NONE, "item"))) {
		enum err rc = start_record(d, f);
		if (rc != ERR_OK)
			return rc;
	} else if (d->depth == 3 && is(fr(d, 1), NS_NONE, "channel") &&
		   is(f, NS_GAZETTE, "redirect") && d->h->redirect) {
		enum err rc = send_channel(d);
		const char *from = attr(d, "from"), *to = attr(d, "to");
		int64_t status = 301;
		str_to_i64(attr(d, "status"), 301, 302, &status);
		if (rc == ERR_OK)
			rc = d->h->redirect(d->h->ud, from, to, (int)status, line(d));
		reset_record(d);
		if (rc != ERR_OK)
			return rc;
	} else if (d->depth == 4 && d->rec == R_ITEM) {
		if (is(f, NS_NONE, "category")) {
			d->pend.domain = attr(d, "domain");
			d->pend.nicename = attr(d, "nicename");
		} else if (is(f, NS_WP, "comment")) {
			memset(&d->cm, 0, sizeof d->cm);
			BLANK(&d->cm, id, user_id);
			d->cm.line = line(d);
		} else if (is(f, NS_WP, "postmeta")) {
			d->meta.key = d->meta.value = EMPTY;
		}
	}
	return ERR_OK;
}

static enum err on_end(struct rd *d)
{
	enum err rc = ERR_OK;
	if (d->depth == 0)
		return ERR_OK;
	const struct frame *f = &d->st[d->depth - 1];
	bool in_channel = d->depth >= 2 && is(fr(d, 1), NS_NONE, "channel");
	if (in_channel && d->depth == 3) {
		if (d->rec != R_NONE)
			rc = end_record(d);
		else
			channel_field(d, f);
	} else if (in_channel && d->depth == 4) {
		if (d->rec == R_AUTHOR)
			author_field(d, f);
		else if (d->rec == R_TERM)
			term_field(d, f);
		else if (d->rec == R_ITEM && is(f, NS_WP, "comment")) {
			struct wxr_item *it = &d->item;
			void *arr = push(&d->a, it->comments, &it->ncomments, &d->cap_comments,
					 sizeof *it->comments);
			if (arr) {
				it->comments = arr;
				it->comments[it->ncomments - 1] = d->cm;
			}
		} else if (d->rec == R_ITEM && is(f, NS_WP, "postmeta")) {
			struct wxr_item *it = &d->item;
			void *arr = push(&d->a, it->meta, &it->nmeta, &d->cap_meta, sizeof *it->meta);
			if (arr) {
				it->meta = arr;
				it->meta[it->nmeta - 1] = d->meta;
			}
		} else if (d->rec == R_ITEM) {
			item_field(d, f);
		}
	} else if (in_channel && d->depth == 5 && d->rec == R_ITEM) {
		if (is(fr(d, 3), NS_WP, "comment"))
			comment_field(d, f);
		else if (is(fr(d, 3), NS_WP, "postmeta") && is(f, NS_WP, "meta_key"))
			d->meta.key = text(d);
		else if (is(fr(d, 3), NS_WP, "postmeta") && is(f, NS_WP, "meta_value"))
			d->meta.value = text(d);
	} else if (d->depth == 2 && is(f, NS_NONE, "channel")) {
		rc = send_channel(d);
	}
	d->depth--;
	buf_reset(&d->text);
	return rc;
}

enum err wxr_read(const char *path, const struct wxr_handler *h, char *errmsg, size_t errlen,
		  int *errline)
{
	struct rd d;
	memset(&d, 0, sizeof d);
	d.h = h;
	d.errmsg = errmsg;
	d.errlen = errlen;
	d.errline = errline;
	*errline = 0;
	errmsg[0] = '\0';
	BLANK(&d.ch, title, base_blog_url);
	arena_init(&d.a, 0);
	arena_init(&d.ca, 0);
	buf_init(&d.text);
	/* No entity expansion, no DTD loading, no network: an export needs none,
	 * and each is a way for a hostile file to read or exhaust things. */
	d.r = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
	enum err rc = ERR_OK;
	if (!d.r) {
		snprintf(errmsg, errlen, "%s: cannot open", path);
		rc = ERR_IO;
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(d.r, on_error, &d);
	int ret;
	bool root_seen = false;
	while (rc == ERR_OK && (ret = xmlTextReaderRead(d.r)) == 1) {
		int type = xmlTextReaderNodeType(d.r);
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			root_seen = true;
			rc = on_start(&d);
			if (rc == ERR_OK && xmlTextReaderIsEmptyElement(d.r))
				rc = on_end(&d);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			rc = on_end(&d);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
			const char *v = (const char *)xmlTextReaderConstValue(d.r);
			if (v)
				buf_puts(&d.text, v);
			if (d.text.oom)
				rc = ERR_NOMEM;
			break;
		}
		case XML_READER_TYPE_ENTITY_REFERENCE:
			rc = fail(&d, line(&d), "entity references are not allowed in an export");
			break;
		default:
			break;
		}
		if (rc == ERR_OK && d.a.failed)
			rc = ERR_NOMEM;
	}
	if (rc == ERR_OK && ret != 0) {
		*errline = d.xml_line ? d.xml_line : line(&d);
		snprintf(errmsg, errlen, "malformed XML: %s", d.xml_msg[0] ? d.xml_msg : "parse error");
		rc = ERR_INVALID;
	} else if (rc == ERR_OK && !root_seen) {
		*errline = d.xml_line ? d.xml_line : 1;
		snprintf(errmsg, errlen, "malformed XML: %s",
			 d.xml_msg[0] ? d.xml_msg : "no root element (empty file?)");
		rc = ERR_INVALID;
	} else if (rc == ERR_OK) {
		rc = send_channel(&d);
	}
	if (rc == ERR_NOMEM && !errmsg[0])
		snprintf(errmsg, errlen, "out of memory");
out:
	if (d.r)
		xmlFreeTextReader(d.r);
	buf_free(&d.text);
	arena_free(&d.a);
	arena_free(&d.ca);
	return rc;
}
