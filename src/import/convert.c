/* convert.c - WordPress content to plain HTML (see convert.h): block
 * comments, shortcodes, autop; and plain text of HTML for summaries. */
#include "import/convert.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/str.h"
#include "render/escape.h"

static char *finish(struct arena *a, struct buf *b, enum err *rc)
{
	char *s = NULL;
	if (b->oom)
		*rc = ERR_NOMEM;
	else if (!(s = arena_strndup(a, b->data ? b->data : "", b->len)))
		*rc = ERR_NOMEM;
	buf_free(b);
	return s;
}

/* --- block comments ------------------------------------------------------ */

static void strip_block_comments(struct buf *b, const char *s)
{
	while (*s) {
		const char *c = strstr(s, "<!--");
		if (!c) {
			buf_puts(b, s);
			return;
		}
		const char *q = c + 4;
		while (*q == ' ' || *q == '\t' || *q == '\n')
			q++;
		bool wp = strncmp(q, "wp:", 3) == 0 || strncmp(q, "/wp:", 4) == 0 ||
			  strncmp(q, "more", 4) == 0 || strncmp(q, "nextpage", 8) == 0;
		const char *end = wp ? strstr(q, "-->") : NULL;
		if (!end) {
			buf_append(b, s, (size_t)(q - s)); /* not ours: the sanitizer drops it */
			s = q;
			continue;
		}
		buf_append(b, s, (size_t)(c - s));
		s = end + 3;
		if (*s == '\n') /* the marker's own line */
			s++;
	}
}

/* --- shortcodes ---------------------------------------------------------- */

struct shortcode {
	char name[32];
	const char *attrs; /* inside the opening tag, after the name */
	size_t attrs_len;
	const char *end;   /* just past the opening tag's ']' */
};

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* An opening shortcode tag at s ('['), or false. */
static bool parse_open(const char *s, struct shortcode *sc)
{
	const char *p = s + 1;
	if (!isalpha((unsigned char)*p) && *p != '_')
		return false;
	size_t n = 0;
	while (name_char(p[n]))
		n++;
	if (n >= sizeof sc->name)
		return false;
	if (p[n] != ']' && p[n] != ' ' && p[n] != '\t' && p[n] != '\n' && p[n] != '/')
		return false;
	memcpy(sc->name, p, n);
	sc->name[n] = '\0';
	for (size_t i = 0; sc->name[i]; i++)
		sc->name[i] = (char)tolower((unsigned char)sc->name[i]);
	const char *q = p + n;
	size_t k = 0;
	while (q[k] && q[k] != ']' && q[k] != '[' && k < 2000)
		k++;
	if (q[k] != ']')
		return false;
	sc->attrs = q;
	sc->attrs_len = k;
	sc->end = q + k + 1;
	return true;
}

/* The value of attribute `key` (quoted with " or ', or bare) into the arena. */
static char *attr_value(struct arena *a, const struct shortcode *sc, const char *key)
{
	size_t klen = strlen(key);
	const char *s = sc->attrs, *e = sc->attrs + sc->attrs_len;
	for (const char *p = s; p + klen < e; p++) {
		if ((p == s || isspace((unsigned char)p[-1])) && strncmp(p, key, klen) == 0 &&
		    p[klen] == '=') {
			const char *v = p + klen + 1;
			char q = (*v == '"' || *v == '\'') ? *v++ : ' ';
			const char *ve = v;
			while (ve < e && *ve != q && !(q == ' ' && isspace((unsigned char)*ve)))
				ve++;
			return arena_strndup(a, v, (size_t)(ve - v));
		}
	}
	return NULL;
}

static void count_unknown(struct convert_report *rep, const char *name)
{
	for (size_t i = 0; i < rep->nunknown; i++)
		if (strcmp(rep->unknown[i].name, name) == 0) {
			rep->unknown[i].count++;
			return;
		}
	if (rep->nunknown < CONVERT_NAMES) {
		str_copy(rep->unknown[rep->nunknown].name, name, sizeof rep->unknown[0].name);
		rep->unknown[rep->nunknown++].count = 1;
	} else {
		rep->other++;
	}
}

/* The enclosed content of sc, up to its "[/name]"; NULL when not closed. */
static const char *closing(const struct shortcode *sc, const char **after)
{
	char tag[40];
	size_t n = strlen(sc->name);
	tag[0] = '[';
	tag[1] = '/';
	memcpy(tag + 2, sc->name, n);
	tag[n + 2] = ']';
	tag[n + 3] = '\0';
	const char *c = strstr(sc->end, tag);
	if (c)
		*after = c + n + 3;
	return c;
}

static const char *skip_ws(const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	return s;
}

/* [caption ...]<a ...><img ...></a> Text[/caption] -> <figure>. */
static void caption(struct arena *a, struct buf *b, const struct shortcode *sc, const char *in,
		    const char *in_end)
{
	const char *s = skip_ws(in, in_end), *media_end = s;
	if (strncmp(s, "<a", 2) == 0) {
		const char *c = strstr(s, "</a>");
		media_end = c && c < in_end ? c + 4 : s;
	} else if (strncmp(s, "<img", 4) == 0) {
		const char *c = memchr(s, '>', (size_t)(in_end - s));
		media_end = c ? c + 1 : s;
	}
	buf_puts(b, "<figure>");
	buf_append(b, s, (size_t)(media_end - s));
	const char *text = skip_ws(media_end, in_end);
	size_t tlen = (size_t)(in_end - text);
	while (tlen && isspace((unsigned char)text[tlen - 1]))
		tlen--;
	char *attr = attr_value(a, sc, "caption");
	if (tlen || (attr && *attr)) {
		buf_puts(b, "<figcaption>");
		if (tlen)
			buf_append(b, text, tlen);
		else
			escape_html(b, attr, strlen(attr));
		buf_puts(b, "</figcaption>");
	}
	buf_puts(b, "</figure>");
}

static void shortcodes(struct arena *a, struct buf *b, const char *s,
		       struct convert_report *rep)
{
	while (*s) {
		const char *br = strchr(s, '[');
		if (!br) {
			buf_puts(b, s);
			return;
		}
		buf_append(b, s, (size_t)(br - s));
		struct shortcode sc;
		if (br[1] == '[' && parse_open(br + 1, &sc) && *sc.end == ']') {
			/* [[name]] is how WordPress writes a literal [name] */
			buf_append(b, br + 1, (size_t)(sc.end - br - 1));
			s = sc.end + 1;
			continue;
		}
		if (!parse_open(br, &sc)) {
			buf_putc(b, '[');
			s = br + 1;
			continue;
		}
		const char *after = NULL, *close = NULL;
		if (strcmp(sc.name, "caption") == 0 || strcmp(sc.name, "wp_caption") == 0) {
			if ((close = closing(&sc, &after))) {
				caption(a, b, &sc, sc.end, close);
				rep->converted++;
				s = after;
				continue;
			}
		} else if (strcmp(sc.name, "embed") == 0) {
			if ((close = closing(&sc, &after))) {
				const char *u = skip_ws(sc.end, close);
				size_t ulen = (size_t)(close - u);
				while (ulen && isspace((unsigned char)u[ulen - 1]))
					ulen--;
				buf_puts(b, "\n\n<p><a href=\"");
				escape_html(b, u, ulen);
				buf_puts(b, "\">");
				escape_html(b, u, ulen);
				buf_puts(b, "</a></p>\n\n");
				rep->converted++;
				s = after;
				continue;
			}
		}
		count_unknown(rep, sc.name); /* left as typed, visible */
		buf_putc(b, '[');
		s = br + 1;
	}
}

/* --- autop --------------------------------------------------------------- */

static const char *const blocks[] = {
	"table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th",
	"div", "dl", "dd", "dt", "ul", "ol", "li", "pre", "form", "map", "area", "blockquote",
	"address", "math", "style", "p", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "fieldset",
	"legend", "section", "article", "aside", "hgroup", "header", "footer", "nav", "figure",
	"figcaption", "details", "menu", "summary", "script", "iframe", "object", "embed",
	"video", "audio", "main", "noscript", "!--", NULL};

/* Does s start with a block element's opening or closing tag? */
static bool starts_block(const char *s)
{
	if (*s != '<')
		return false;
	s++;
	if (*s == '/')
		s++;
	for (size_t i = 0; blocks[i]; i++) {
		size_t n = strlen(blocks[i]);
		if (strncasecmp(s, blocks[i], n) == 0 &&
		    (s[n] == '>' || s[n] == ' ' || s[n] == '/' || s[n] == '\n' || s[n] == '\t' ||
		     strcmp(blocks[i], "!--") == 0))
			return true;
	}
	return false;
}

static void para(struct buf *b, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return;
	if (starts_block(s)) {
		buf_append(b, s, n);
		buf_putc(b, '\n');
		return;
	}
	buf_puts(b, "<p>");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			buf_puts(b, "<br />\n");
		else
			buf_putc(b, s[i]);
	}
	buf_puts(b, "</p>\n");
}

/* Text outside <pre>: paragraphs at blank lines. */
static void autop_text(struct buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		size_t j = i + 1;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j < n && s[j] == '\n') { /* a blank line */
			para(b, s + start, i - start);
			while (j < n && isspace((unsigned char)s[j]))
				j++;
			start = j;
			i = j - 1;
		}
	}
	para(b, s + start, n - start);
}

static const char *find_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return s;
	return NULL;
}

enum err convert_autop(struct arena *a, const char *text, char **out)
{
	struct buf b = BUF_INIT;
	/* \r\n and lone \r to \n */
	struct buf t = BUF_INIT;
	for (const char *p = text; *p; p++) {
		if (*p == '\r') {
			buf_putc(&t, '\n');
			if (p[1] == '\n')
				p++;
		} else {
			buf_putc(&t, *p);
		}
	}
	const char *s = t.data ? t.data : "";
	while (*s) {
		const char *pre = find_ci(s, "<pre");
		if (!pre) {
			autop_text(&b, s, strlen(s));
			break;
		}
		autop_text(&b, s, (size_t)(pre - s));
		const char *end = find_ci(pre, "</pre>");
		size_t n = end ? (size_t)(end + 6 - pre) : strlen(pre);
		buf_append(&b, pre, n);
		buf_putc(&b, '\n');
		s = pre + n;
	}
	buf_free(&t);
	enum err rc = t.oom ? ERR_NOMEM : ERR_OK;
	*out = finish(a, &b, &rc);
	return rc;
}

enum err convert_content(struct arena *a, const char *content, char **out,
			 struct convert_report *rep)
{
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	strip_block_comments(&b1, content);
	enum err rc = ERR_OK;
	char *s1 = finish(a, &b1, &rc);
	if (!s1)
		return rc;
	shortcodes(a, &b2, s1, rep);
	char *s2 = finish(a, &b2, &rc);
	if (!s2)
		return rc;
	return convert_autop(a, s2, out);
}

/* --- plain text ---------------------------------------------------------- */

static const char *const breaks[] = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6",
				     "blockquote", "pre", "tr", "figure", "figcaption", "table",
				     "ul", "ol", "dl", "dt", "dd", "hr", "address", NULL};

char *convert_html_text(struct arena *a, const char *html)
{
	struct buf b = BUF_INIT;
	const char *s = html;
	while (*s) {
		if (*s == '<') {
			const char *e = strchr(s, '>');
			if (!e)
				break;
			const char *nm = s + 1 + (s[1] == '/');
			size_t n = 0;
			while (isalnum((unsigned char)nm[n]))
				n++;
			if (n == 2 && strncasecmp(nm, "br", 2) == 0)
				buf_putc(&b, '\n');
			for (size_t i = 0; breaks[i]; i++)
				if (strlen(breaks[i]) == n && strncasecmp(nm, breaks[i], n) == 0)
					buf_puts(&b, "\n\n");
			if (n == 2 && strncasecmp(nm, "td", 2) == 0)
				buf_putc(&b, ' ');
			s = e + 1;
			continue;
		}
		if (*s == '&') {
			static const struct {
				const char *ent, *ch;
			} ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
				    {"&#39;", "'"}, {"&nbsp;", " "}};
			bool done = false;
			for (size_t i = 0; i < sizeof ents / sizeof ents[0] && !done; i++) {
				size_t n = strlen(ents[i].ent);
				if (strncmp(s, ents[i].ent, n) == 0) {
					buf_puts(&b, ents[i].ch);
					s += n;
					done = true;
				}
			}
			if (done)
				continue;
		}
		buf_putc(&b, *s == '\t' || *s == '\r' ? ' ' : *s);
		s++;
	}
	/* collapse: spaces to one, at most one blank line, trimmed */
	struct buf o = BUF_INIT;
	const char *p = b.data ? b.data : "";
	int nl = 0;
	bool space = false;
	for (; *p; p++) {
		if (*p == '\n') {
			nl++;
			space = false;
			continue;
		}
		if (*p == ' ') {
			space = true;
			continue;
		}
		if (o.len) {
			if (nl)
				buf_puts(&o, nl > 1 ? "\n\n" : "\n");
			else if (space)
				buf_putc(&o, ' ');
		}
		nl = 0;
		space = false;
		buf_putc(&o, *p);
	}
	buf_free(&b);
	enum err rc = ERR_OK;
	return finish(a, &o, &rc);
}

char *convert_summary(struct arena *a, const char *text, size_t max)
{
	size_t n = strlen(text);
	char *s = arena_strndup(a, text, n);
	if (!s)
		return NULL;
	for (char *p = s; *p; p++)
		if (*p == '\n')
			*p = ' ';
	/* squeeze the double spaces blank lines left */
	char *w = s;
	for (char *r = s; *r; r++)
		if (!(*r == ' ' && w > s && w[-1] == ' '))
			*w++ = *r;
	*w = '\0';
	n = (size_t)(w - s);
	if (n <= max)
		return s;
	size_t cut = max;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--; /* not inside a character */
	size_t sp = cut;
	while (sp > max / 2 && s[sp] != ' ')
		sp--;
	if (s[sp] == ' ')
		cut = sp;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	return arena_printf(a, "%.*s\xE2\x80\xA6", (int)cut, s);
}
