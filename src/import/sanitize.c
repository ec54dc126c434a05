/* sanitize.c - the allow-list HTML sanitizer (see sanitize.h). Parsing is
 * libxml2's HTML parser; the output is written here, by construction, from
 * the tables below: nothing the parser kept reaches the output unless an
 * entry allows it. The tree is walked without recursion, so deep nesting
 * in hostile input cannot exhaust the stack. */
#include "import/sanitize.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "core/buf.h"
#include "render/escape.h"

enum attr_kind { A_TEXT, A_URL, A_NUM };

struct attr_rule {
	const char *name;
	enum attr_kind kind;
};

#define POST (1u << SANITIZE_POST)
#define CMT (1u << SANITIZE_COMMENT)
#define ALL (POST | CMT)

static const struct attr_rule no_attrs[] = {{NULL, A_TEXT}};
static const struct attr_rule a_attrs[] = {{"href", A_URL}, {"title", A_TEXT}, {NULL, A_TEXT}};
static const struct attr_rule img_attrs[] = {{"src", A_URL},   {"alt", A_TEXT},
					     {"title", A_TEXT}, {"width", A_NUM},
					     {"height", A_NUM}, {NULL, A_TEXT}};
static const struct attr_rule cell_attrs[] = {
	{"colspan", A_NUM}, {"rowspan", A_NUM}, {"scope", A_TEXT}, {NULL, A_TEXT}};
static const struct attr_rule ol_attrs[] = {{"start", A_NUM}, {NULL, A_TEXT}};
static const struct attr_rule cite_attrs[] = {{"cite", A_URL}, {NULL, A_TEXT}};
static const struct attr_rule title_attrs[] = {{"title", A_TEXT}, {NULL, A_TEXT}};

static const struct elem_rule {
	const char *name;
	unsigned modes;
	bool is_void;
	const struct attr_rule *attrs;
} elems[] = {
	{"p", ALL, false, no_attrs},         {"br", ALL, true, no_attrs},
	{"hr", POST, true, no_attrs},        {"h1", POST, false, no_attrs},
	{"h2", POST, false, no_attrs},       {"h3", POST, false, no_attrs},
	{"h4", POST, false, no_attrs},       {"h5", POST, false, no_attrs},
	{"h6", POST, false, no_attrs},       {"strong", ALL, false, no_attrs},
	{"b", ALL, false, no_attrs},         {"em", ALL, false, no_attrs},
	{"i", ALL, false, no_attrs},         {"u", POST, false, no_attrs},
	{"s", ALL, false, no_attrs},         {"del", ALL, false, no_attrs},
	{"ins", POST, false, no_attrs},      {"sub", POST, false, no_attrs},
	{"sup", POST, false, no_attrs},      {"small", POST, false, no_attrs},
	{"mark", POST, false, no_attrs},     {"abbr", POST, false, title_attrs},
	{"acronym", POST, false, title_attrs}, {"cite", ALL, false, no_attrs},
	{"q", ALL, false, cite_attrs},       {"code", ALL, false, no_attrs},
	{"kbd", POST, false, no_attrs},      {"samp", POST, false, no_attrs},
	{"var", POST, false, no_attrs},      {"pre", ALL, false, no_attrs},
	{"blockquote", ALL, false, cite_attrs}, {"ul", ALL, false, no_attrs},
	{"ol", ALL, false, ol_attrs},        {"li", ALL, false, no_attrs},
	{"dl", POST, false, no_attrs},       {"dt", POST, false, no_attrs},
	{"dd", POST, false, no_attrs},       {"a", ALL, false, a_attrs},
	{"img", POST, true, img_attrs},      {"figure", POST, false, no_attrs},
	{"figcaption", POST, false, no_attrs}, {"table", POST, false, no_attrs},
	{"caption", POST, false, no_attrs},  {"thead", POST, false, no_attrs},
	{"tbody", POST, false, no_attrs},    {"tfoot", POST, false, no_attrs},
	{"tr", POST, false, no_attrs},       {"th", POST, false, cell_attrs},
	{"td", POST, false, cell_attrs},     {"address", POST, false, no_attrs},
};

/* Removed together with everything inside them. */
static const char *const dropped[] = {
	"script", "style",  "iframe",   "frame",  "frameset", "object", "embed",  "applet",
	"noscript", "noembed", "template", "svg", "math",     "form",   "input",  "button",
	"select", "textarea", "option", "head",   "title",    "meta",   "link",   "base",
	"xmp",    "plaintext", "canvas", "audio", "video",    "source", "track",  "map",
	"area",   "dialog", "param",    "portal", "slot",     NULL};

/* Unwrapped without being counted: layout wrappers that carry nothing once
 * their attributes are gone. */
static const char *const transparent[] = {"div", "span", "section", "article", "header",
					  "footer", "main", "aside", "nav", "font", "center",
					  "body", "html", NULL};

enum action { ACT_SKIP, ACT_TEXT, ACT_KEEP, ACT_UNWRAP, ACT_DROP };

static bool in_list(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static const struct elem_rule *rule_for(const char *name, enum sanitize_mode mode)
{
	for (size_t i = 0; i < sizeof elems / sizeof elems[0]; i++)
		if (strcmp(elems[i].name, name) == 0)
			return (elems[i].modes & (1u << mode)) ? &elems[i] : NULL;
	return NULL;
}

static enum action decide(const xmlNode *n, enum sanitize_mode mode,
			  const struct elem_rule **rule)
{
	*rule = NULL;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return ACT_TEXT;
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return ACT_SKIP;
	const char *name = (const char *)n->name;
	if (in_list(dropped, name))
		return ACT_DROP;
	if ((*rule = rule_for(name, mode)))
		return ACT_KEEP;
	return ACT_UNWRAP;
}

bool sanitize_url_ok(const char *url, bool link)
{
	/* The scheme as a browser sees it: whitespace and controls removed,
	 * letters lower-cased, up to the first ':' before any '/', '?' or '#'. */
	char scheme[16];
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f)
			continue;
		if (*p == ':') {
			scheme[k] = '\0';
			if (k == 0)
				return false;
			return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
			       (link && strcmp(scheme, "mailto") == 0);
		}
		if (*p == '/' || *p == '?' || *p == '#')
			return true; /* relative: no scheme */
		if (k + 1 >= sizeof scheme)
			return false; /* no scheme is this long: refuse what cannot be told */
		if (!isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
			return true; /* cannot be a scheme: a relative path */
		scheme[k++] = (char)tolower(*p);
	}
	return true; /* no ':' at all: relative */
}

static bool num_ok(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)v[i]))
			return false;
	return true;
}

static void open_tag(struct buf *b, const xmlNode *n, const struct elem_rule *r,
		     enum sanitize_mode mode, struct sanitize_report *rep)
{
	buf_putc(b, '<');
	buf_puts(b, r->name);
	for (const xmlAttr *at = n->properties; at; at = at->next) {
		const char *name = (const char *)at->name;
		if (mode == SANITIZE_COMMENT && name && strcmp(r->name, "a") == 0 &&
		    strcmp(name, "rel") == 0)
			continue; /* replaced by our own below */
		const struct attr_rule *ar = NULL;
		for (const struct attr_rule *x = r->attrs; x->name; x++)
			if (name && strcmp(x->name, name) == 0)
				ar = x;
		xmlChar *v = ar ? xmlNodeListGetString(n->doc, at->children, 1) : NULL;
		const char *val = v ? (const char *)v : "";
		bool ok = ar != NULL;
		if (ok && ar->kind == A_URL)
			ok = sanitize_url_ok(val, strcmp(r->name, "a") == 0);
		if (ok && ar->kind == A_NUM)
			ok = num_ok(val);
		if (ok) {
			buf_putc(b, ' ');
			buf_puts(b, ar->name);
			buf_puts(b, "=\"");
			escape_html(b, val, strlen(val));
			buf_putc(b, '"');
		} else {
			rep->dropped_attrs++;
		}
		xmlFree(v);
	}
	if (mode == SANITIZE_COMMENT && strcmp(r->name, "a") == 0)
		buf_puts(b, " rel=\"nofollow ugc\"");
	buf_putc(b, '>');
}

static void close_tag(struct buf *b, const struct elem_rule *r)
{
	if (r->is_void)
		return;
	buf_puts(b, "</");
	buf_puts(b, r->name);
	buf_putc(b, '>');
}

static void walk(struct buf *b, xmlNode *top, enum sanitize_mode mode,
		 struct sanitize_report *rep)
{
	xmlNode *n = top->children;
	while (n) {
		const struct elem_rule *r;
		enum action act = decide(n, mode, &r);
		if (act == ACT_TEXT && n->content) {
			escape_html(b, (const char *)n->content, strlen((const char *)n->content));
		} else if (act == ACT_KEEP) {
			open_tag(b, n, r, mode, rep);
		} else if (act == ACT_DROP) {
			rep->dropped_elements++;
		} else if (act == ACT_UNWRAP && !in_list(transparent, (const char *)n->name)) {
			rep->unwrapped++;
		}
		bool descend = (act == ACT_KEEP || act == ACT_UNWRAP) && n->children &&
			       !(r && r->is_void);
		if (descend) {
			n = n->children;
			continue;
		}
		if (act == ACT_KEEP)
			close_tag(b, r);
		/* next sibling, closing the elements we leave on the way up */
		for (;;) {
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (!n || n == top) {
				n = NULL;
				break;
			}
			if (decide(n, mode, &r) == ACT_KEEP)
				close_tag(b, r);
		}
	}
}

static xmlNode *find_body(xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->name && strcmp((const char *)n->name, "body") == 0)
			return n;
		xmlNode *in = find_body(n->children); /* html > body: depth 2 */
		if (in)
			return in;
	}
	return NULL;
}

enum err sanitize_html(struct arena *a, const char *html, enum sanitize_mode mode, char **out,
		       struct sanitize_report *rep)
{
	struct sanitize_report local = {0};
	if (!rep)
		rep = &local;
	*out = NULL;
	if ((unsigned)mode >= SANITIZE_MODE__MAX)
		return ERR_INVALID;
	size_t len = strlen(html);
	if (len > INT_MAX / 2)
		return ERR_LIMIT;
	/* Wrapped in a <div>, so that text at the top level is not put into
	 * paragraphs the author did not write (the div itself is unwrapped). */
	struct buf in = BUF_INIT;
	buf_puts(&in, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><div>");
	buf_append(&in, html, len);
	buf_puts(&in, "</div></body></html>");
	if (in.oom) {
		buf_free(&in);
		return ERR_NOMEM;
	}
	htmlDocPtr doc = htmlReadMemory(in.data, (int)in.len, NULL, "UTF-8",
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
						HTML_PARSE_NONET);
	buf_free(&in);
	if (!doc)
		return ERR_NOMEM;
	struct buf b = BUF_INIT;
	buf_reserve(&b, len + 16);
	xmlNode *body = find_body(doc->children);
	if (body)
		walk(&b, body, mode, rep);
	xmlFreeDoc(doc);
	if (b.oom) {
		buf_free(&b);
		return ERR_NOMEM;
	}
	*out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return *out ? ERR_OK : ERR_NOMEM;
}
