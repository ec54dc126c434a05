/* mustache_parse.c - compile a mustache template into nodes (mustache_impl.h).
 *
 * Five passes over a token list, each simple on its own:
 *   1. tokenize  - text (split after every '\n') and tags, following {{=x y=}};
 *   2. match     - pair opening and closing tags; syntax errors end here;
 *   3. standalone- drop the whitespace of lines that hold only a non-output tag;
 *   4. indent    - work out block indentation and strip it from arguments;
 *   5. build     - emit the node array, merging adjacent text.
 * Passes 3 and 4 look at neighbouring tokens only, which is why text is split
 * at line ends: a tag's line is then just the tokens around it. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mustache_impl.h"

/* Sections, parents and blocks nested deeper than this are surely a
 * mistake, and the bound keeps the recursive passes' stack use small. */
#define MAX_NEST 100

enum tk {
	TK_TEXT,
	TK_VAR,
	TK_RAW,
	TK_SECTION,
	TK_INVERTED,
	TK_CLOSE,
	TK_PARTIAL,
	TK_PARENT,
	TK_BLOCK,
	TK_COMMENT,
	TK_DELIM,
};

struct tok {
	uint8_t kind;  /* enum tk */
	bool dyn;      /* {{>*name}}: name looked up in the context */
	bool nl;       /* text: ends with '\n' */
	bool ws;       /* text: only blanks before the line end */
	bool removed;  /* text: dropped by a standalone rule */
	bool sa;       /* tag: standalone (see pass 3) */
	bool arg;      /* block: a direct child of a parent tag, i.e. an argument */
	const char *p; /* text bytes, or the tag's name */
	size_t len;
	const char *ind; /* standalone block: its intrinsic indentation */
	size_t indlen;
	uint32_t match; /* opening tag: index of its closing tag */
	uint32_t line;
};

struct parser {
	struct tmpl *t;
	const char *src;
	size_t n;
	uint32_t line;
	const char *otag, *ctag; /* current delimiters */
	size_t olen, clen;
	struct tok *tok;
	size_t ntok, tcap;
	struct mnode *nodes;
	size_t nnodes, ncap;
	struct mseg *segs;
	size_t nsegs, scap;
	size_t textlen;
	char *errmsg;
	size_t errlen;
};

static enum err fail(struct parser *ps, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum err fail(struct parser *ps, uint32_t line, const char *fmt, ...)
{
	if (ps->errmsg && ps->errlen) {
		int k = snprintf(ps->errmsg, ps->errlen, "%s:%u: ", ps->t->name, (unsigned)line);
		if (k >= 0 && (size_t)k < ps->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(ps->errmsg + k, ps->errlen - (size_t)k, fmt, ap);
			va_end(ap);
		}
	}
	return ERR_INVALID;
}

static enum err nomem(struct parser *ps)
{
	if (ps->errmsg && ps->errlen)
		snprintf(ps->errmsg, ps->errlen, "%s: out of memory", ps->t->name);
	return ERR_NOMEM;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **p, size_t *len)
{
	while (*len && is_space(**p)) {
		(*p)++;
		(*len)--;
	}
	while (*len && is_space((*p)[*len - 1]))
		(*len)--;
}

/* First pat[0..m) in s[0..n), or NULL. When `lead` is set, only a match
 * right after a `lead` byte counts and the result points at that byte (for
 * the "}" + "}}" of {{{x}}} and the "=" + "}}" of {{=a b=}}). */
static const char *find(const char *s, size_t n, char lead, const char *pat, size_t m)
{
	size_t need = m + (lead ? 1 : 0);
	if (need > n)
		return NULL;
	const char *end = s + n - need;
	char first = lead ? lead : pat[0];
	for (const char *p = s; p <= end; p++) {
		p = memchr(p, first, (size_t)(end - p) + 1);
		if (!p)
			return NULL;
		if (memcmp(p + (lead ? 1 : 0), pat, m) == 0)
			return p;
	}
	return NULL;
}

static struct tok *push_tok(struct parser *ps)
{
	if (ps->ntok == ps->tcap) {
		size_t cap = ps->tcap ? ps->tcap * 2 : 64;
		struct tok *t = realloc(ps->tok, cap * sizeof *t);
		if (!t)
			return NULL;
		ps->tok = t;
		ps->tcap = cap;
	}
	struct tok *t = &ps->tok[ps->ntok++];
	memset(t, 0, sizeof *t);
	return t;
}

/* ---- pass 1: tokenize ---- */

/* One text token per line piece, so that each ends with at most one '\n'. */
static enum err add_text(struct parser *ps, size_t a, size_t b)
{
	while (a < b) {
		const char *nl = memchr(ps->src + a, '\n', b - a);
		size_t e = nl ? (size_t)(nl - ps->src) + 1 : b;
		struct tok *t = push_tok(ps);
		if (!t)
			return nomem(ps);
		t->kind = TK_TEXT;
		t->p = ps->src + a;
		t->len = e - a;
		t->line = ps->line;
		t->nl = nl != NULL;
		size_t body = t->len - (t->nl ? 1 : 0);
		if (t->nl && body && t->p[body - 1] == '\r')
			body--; /* "\r\n" is a line end too */
		t->ws = true;
		for (size_t i = 0; i < body && t->ws; i++)
			t->ws = is_blank(t->p[i]);
		if (t->nl)
			ps->line++;
		a = e;
	}
	return ERR_OK;
}

/* A name is one run of non-space bytes; a dotted name has no empty parts. */
static enum err check_name(struct parser *ps, uint32_t line, const char *p, size_t len,
			   bool dotted)
{
	if (len == 0)
		return fail(ps, line, "empty tag");
	for (size_t i = 0; i < len; i++)
		if (is_space(p[i]) || p[i] == '\0')
			return fail(ps, line, "bad tag name \"%.*s\"", (int)len, p);
	if (dotted && !(len == 1 && p[0] == '.')) {
		bool bad = p[0] == '.' || p[len - 1] == '.';
		for (size_t i = 1; i < len && !bad; i++)
			bad = p[i] == '.' && p[i - 1] == '.';
		if (bad)
			return fail(ps, line, "bad dotted name \"%.*s\"", (int)len, p);
	}
	return ERR_OK;
}

/* {{=<% %>=}}: exactly two blank-separated delimiters. */
static enum err set_delims(struct parser *ps, uint32_t line, const char *p, size_t len)
{
	size_t i = 0, j;
	while (i < len && !is_space(p[i]))
		i++;
	size_t ol = i;
	while (i < len && is_space(p[i]))
		i++;
	for (j = i; j < len && !is_space(p[j]);)
		j++;
	if (ol == 0 || j == i || j != len)
		return fail(ps, line, "bad set-delimiter tag \"%.*s\"", (int)len, p);
	ps->otag = p;
	ps->olen = ol;
	ps->ctag = p + i;
	ps->clen = j - i;
	return ERR_OK;
}

static enum err tokenize(struct parser *ps)
{
	const char *src = ps->src;
	size_t n = ps->n, pos = 0;
	enum err e;
	while (pos < n) {
		const char *o = find(src + pos, n - pos, 0, ps->otag, ps->olen);
		size_t start = o ? (size_t)(o - src) : n;
		if ((e = add_text(ps, pos, start)) != ERR_OK)
			return e;
		if (!o)
			break;
		uint32_t line = ps->line;
		size_t q = start + ps->olen;
		char sig = q < n ? src[q] : '\0', lead = 0;
		enum tk kind;
		switch (sig) {
		case '{': kind = TK_RAW; lead = '}'; break;
		case '&': kind = TK_RAW; break;
		case '=': kind = TK_DELIM; lead = '='; break;
		case '!': kind = TK_COMMENT; break;
		case '#': kind = TK_SECTION; break;
		case '^': kind = TK_INVERTED; break;
		case '/': kind = TK_CLOSE; break;
		case '>': kind = TK_PARTIAL; break;
		case '<': kind = TK_PARENT; break;
		case '$': kind = TK_BLOCK; break;
		default: kind = TK_VAR; break;
		}
		if (kind != TK_VAR)
			q++;
		const char *c = find(src + q, n - q, lead, ps->ctag, ps->clen);
		if (!c)
			return fail(ps, line, "unclosed tag (no \"%s%.*s\" after \"%.*s\")",
				    lead == '}' ? "}" : lead == '=' ? "=" : "", (int)ps->clen, ps->ctag,
				    (int)ps->olen, ps->otag);
		const char *p = src + q;
		size_t len = (size_t)(c - p);
		pos = (size_t)(c - src) + (lead ? 1 : 0) + ps->clen;
		for (size_t k = start; k < pos; k++)
			ps->line += src[k] == '\n'; /* tags may span lines */

		if (kind == TK_DELIM) {
			trim(&p, &len);
			if ((e = set_delims(ps, line, p, len)) != ERR_OK)
				return e;
		}
		struct tok *t = push_tok(ps);
		if (!t)
			return nomem(ps);
		t->kind = kind;
		t->line = line;
		if (kind == TK_COMMENT || kind == TK_DELIM)
			continue;
		trim(&p, &len);
		if ((kind == TK_PARTIAL || kind == TK_PARENT || kind == TK_CLOSE) && len && *p == '*') {
			t->dyn = true; /* dynamic name: {{>*name}} */
			p++;
			len--;
			trim(&p, &len);
		}
		bool dotted = t->dyn || kind == TK_VAR || kind == TK_RAW || kind == TK_SECTION ||
			      kind == TK_INVERTED;
		if ((e = check_name(ps, line, p, len, dotted)) != ERR_OK)
			return e;
		t->p = p;
		t->len = len;
	}
	return ERR_OK;
}

/* ---- pass 2: match opening and closing tags ---- */

static const char *kind_name(uint8_t kind)
{
	switch (kind) {
	case TK_INVERTED: return "inverted section";
	case TK_PARENT: return "parent";
	case TK_BLOCK: return "block";
	default: return "section";
	}
}

static bool opens(uint8_t kind)
{
	return kind == TK_SECTION || kind == TK_INVERTED || kind == TK_PARENT || kind == TK_BLOCK;
}

static enum err match(struct parser *ps)
{
	uint32_t stack[MAX_NEST];
	size_t sp = 0;
	for (size_t i = 0; i < ps->ntok; i++) {
		struct tok *t = &ps->tok[i];
		if (opens(t->kind)) {
			if (sp == MAX_NEST)
				return fail(ps, t->line, "sections nested more than %d deep", MAX_NEST);
			t->arg = t->kind == TK_BLOCK && sp && ps->tok[stack[sp - 1]].kind == TK_PARENT;
			stack[sp++] = (uint32_t)i;
		} else if (t->kind == TK_CLOSE) {
			if (sp == 0)
				return fail(ps, t->line, "closing tag \"%s%.*s\" without an opening tag",
					    t->dyn ? "*" : "", (int)t->len, t->p);
			struct tok *o = &ps->tok[stack[sp - 1]];
			if (o->dyn != t->dyn || o->len != t->len || memcmp(o->p, t->p, t->len) != 0)
				return fail(ps, t->line,
					    "closing tag \"%s%.*s\" does not match %s \"%s%.*s\" opened on line %u",
					    t->dyn ? "*" : "", (int)t->len, t->p, kind_name(o->kind),
					    o->dyn ? "*" : "", (int)o->len, o->p, (unsigned)o->line);
			o->match = (uint32_t)i;
			sp--;
		}
	}
	if (sp) {
		struct tok *o = &ps->tok[stack[sp - 1]];
		return fail(ps, o->line, "unclosed %s \"%s%.*s\"", kind_name(o->kind), o->dyn ? "*" : "",
			    (int)o->len, o->p);
	}
	return ERR_OK;
}

/* ---- pass 3: standalone lines ---- */

/* Only blanks between the start of the line and tag i. */
static bool lclear(const struct tok *t, size_t i)
{
	if (i == 0)
		return true;
	const struct tok *p = &t[i - 1];
	if (p->kind != TK_TEXT)
		return false;
	if (p->nl)
		return true;
	return p->ws && (i == 1 || (t[i - 2].kind == TK_TEXT && t[i - 2].nl));
}

/* Only blanks between tag i and the end of its line (or of the template). */
static bool rclear(const struct tok *t, size_t n, size_t i)
{
	if (i + 1 >= n)
		return true;
	const struct tok *p = &t[i + 1];
	return p->kind == TK_TEXT && p->ws && (p->nl || i + 2 >= n);
}

static void drop_left(struct tok *t, size_t i)
{
	if (i > 0 && t[i - 1].kind == TK_TEXT && !t[i - 1].nl && t[i - 1].ws)
		t[i - 1].removed = true;
}

static void drop_right(struct tok *t, size_t n, size_t i)
{
	if (i + 1 < n && t[i + 1].kind == TK_TEXT && t[i + 1].ws)
		t[i + 1].removed = true;
}

/* The spec's rule: a line holding one non-interpolation tag and blanks
 * renders as nothing. Parents and arguments bend it (see ~inheritance.json):
 * a parent is standalone when its opening tag starts a line and its closing
 * tag ends one, however many lines lie between; an argument is an inline
 * template, so the line end right after its opening tag belongs to the tag,
 * as does the indentation before its closing tag. A line holding both tags
 * of a parameter block ("  {{$b}}{{/b}}") is not standalone: the block stands
 * for content there, and its line end stays (spec case "Standalone block"). */
static void standalone(struct parser *ps)
{
	struct tok *t = ps->tok;
	size_t n = ps->ntok;
	for (size_t i = 0; i < n; i++) {
		uint8_t kind = t[i].kind;
		if (kind == TK_TEXT || kind == TK_VAR || kind == TK_RAW)
			continue;
		if (kind == TK_BLOCK && t[i].arg) {
			if (rclear(t, n, i)) {
				drop_right(t, n, i);
				t[i].sa = true;
			}
			if (lclear(t, t[i].match))
				drop_left(t, t[i].match);
		} else if (kind == TK_PARENT) {
			size_t c = t[i].match;
			bool lo = lclear(t, i), rc = rclear(t, n, c);
			if (lo && (rc || rclear(t, n, i))) {
				t[i].sa = true;
				drop_left(t, i);
			}
			if (rc && (lo || lclear(t, c)))
				drop_right(t, n, c);
		} else if (lclear(t, i) && rclear(t, n, i)) {
			t[i].sa = true;
			drop_left(t, i);
			drop_right(t, n, i);
		}
	}
}

/* ---- pass 4: block indentation ---- */

/* A standalone block's intrinsic indentation is the leading blanks of the
 * line after its opening tag. An argument's own is stripped from each of its
 * lines here; where it is expanded, the parameter block's indentation is
 * added back at render time (mustache_render.c), so the argument lines up
 * with the parent. Tokens are visited in order, so an outer argument is
 * stripped before an inner block measures its indentation, which makes that
 * relative to the outer one. */
static void indent(struct parser *ps)
{
	struct tok *t = ps->tok;
	size_t n = ps->ntok;
	for (size_t i = 0; i < n; i++) {
		if (t[i].kind != TK_BLOCK || !t[i].sa)
			continue;
		size_t k = i + 2, il = 0;
		const char *ip = NULL;
		if (k < n && t[i + 1].kind == TK_TEXT && t[i + 1].nl && t[k].kind == TK_TEXT) {
			ip = t[k].p;
			while (il < t[k].len && is_blank(ip[il]))
				il++;
		}
		t[i].ind = ip;
		t[i].indlen = il;
		if (!t[i].arg || il == 0)
			continue;
		for (size_t j = i + 1; j < t[i].match; j++) {
			struct tok *x = &t[j];
			bool bol = t[j - 1].kind == TK_TEXT && t[j - 1].nl;
			if (x->kind == TK_TEXT && bol && x->len >= il && memcmp(x->p, ip, il) == 0) {
				x->p += il;
				x->len -= il;
			}
		}
	}
}

/* ---- pass 5: build nodes ---- */

static long add_node(struct parser *ps, enum mop op)
{
	if (ps->nnodes >= UINT32_MAX - 1)
		return -1;
	if (ps->nnodes == ps->ncap) {
		size_t cap = ps->ncap ? ps->ncap * 2 : 32;
		struct mnode *p = realloc(ps->nodes, cap * sizeof *p);
		if (!p)
			return -1;
		ps->nodes = p;
		ps->ncap = cap;
	}
	struct mnode *m = &ps->nodes[ps->nnodes];
	memset(m, 0, sizeof *m);
	m->op = (uint8_t)op;
	m->end = (uint32_t)ps->nnodes + 1;
	return (long)ps->nnodes++;
}

/* Split a dotted name into parts; "." has none. */
static bool add_segs(struct parser *ps, struct mnode *m, const char *p, size_t len)
{
	m->seg = (uint32_t)ps->nsegs;
	m->nseg = 0;
	if (len == 1 && p[0] == '.')
		return true;
	while (len) {
		const char *dot = memchr(p, '.', len);
		size_t k = dot ? (size_t)(dot - p) : len;
		if (ps->nsegs == ps->scap) {
			size_t cap = ps->scap ? ps->scap * 2 : 32;
			struct mseg *s = realloc(ps->segs, cap * sizeof *s);
			if (!s)
				return false;
			ps->segs = s;
			ps->scap = cap;
		}
		ps->segs[ps->nsegs].p = p;
		ps->segs[ps->nsegs].len = k;
		ps->segs[ps->nsegs].head = tval_key_head(p, k);
		ps->segs[ps->nsegs].bit = tval_key_bit(ps->segs[ps->nsegs].head);
		ps->nsegs++;
		m->nseg++;
		p += k + (dot ? 1 : 0);
		len -= k + (dot ? 1 : 0);
	}
	return true;
}

/* The blanks before tag i on its line (NULL when there are none). */
static void left_blanks(const struct tok *t, size_t i, const char **p, size_t *len)
{
	*p = NULL;
	*len = 0;
	if (i > 0 && t[i - 1].kind == TK_TEXT && !t[i - 1].nl && t[i - 1].ws) {
		*p = t[i - 1].p;
		*len = t[i - 1].len;
	}
}

static enum err build(struct parser *ps, size_t from, size_t to, bool args);

/* A container node for tokens (i, match): its children, then its end. */
static enum err build_children(struct parser *ps, long at, size_t i, bool args)
{
	enum err e = build(ps, i + 1, ps->tok[i].match, args);
	if (e == ERR_OK)
		ps->nodes[at].end = (uint32_t)ps->nnodes;
	return e;
}

static enum err build(struct parser *ps, size_t from, size_t to, bool args)
{
	struct tok *t = ps->tok;
	long last_text = -1; /* a text node among this level's children, still open */
	enum err e;
	for (size_t i = from; i < to; i++) {
		struct tok *k = &t[i];
		if (args) {
			/* inside a parent tag only argument blocks matter */
			if (k->kind == TK_BLOCK) {
				long at = add_node(ps, MOP_BLOCK);
				if (at < 0)
					return nomem(ps);
				ps->nodes[at].s = k->p;
				ps->nodes[at].len = k->len;
				if ((e = build_children(ps, at, i, false)) != ERR_OK)
					return e;
			}
			if (opens(k->kind))
				i = k->match;
			continue;
		}
		if (k->kind == TK_TEXT) {
			if (k->removed || k->len == 0)
				continue;
			char *dst = ps->t->text + ps->textlen;
			memcpy(dst, k->p, k->len);
			ps->textlen += k->len;
			if (last_text >= 0) {
				ps->nodes[last_text].len += k->len;
				continue;
			}
			last_text = add_node(ps, MOP_TEXT);
			if (last_text < 0)
				return nomem(ps);
			ps->nodes[last_text].s = dst;
			ps->nodes[last_text].len = k->len;
			continue;
		}
		if (k->kind == TK_COMMENT || k->kind == TK_DELIM || k->kind == TK_CLOSE)
			continue;
		last_text = -1;
		static const enum mop ops[] = {
			[TK_VAR] = MOP_VAR,         [TK_RAW] = MOP_RAW,         [TK_SECTION] = MOP_SECTION,
			[TK_INVERTED] = MOP_INVERTED, [TK_PARTIAL] = MOP_PARTIAL, [TK_PARENT] = MOP_PARENT,
			[TK_BLOCK] = MOP_BLOCK,
		};
		long at = add_node(ps, ops[k->kind]);
		if (at < 0)
			return nomem(ps);
		struct mnode *m = &ps->nodes[at];
		switch (k->kind) {
		case TK_VAR:
		case TK_RAW:
		case TK_SECTION:
		case TK_INVERTED:
			if (!add_segs(ps, m, k->p, k->len))
				return nomem(ps);
			if (k->kind == TK_SECTION || k->kind == TK_INVERTED) {
				if ((e = build_children(ps, at, i, false)) != ERR_OK)
					return e;
				i = k->match;
			}
			break;
		case TK_PARTIAL:
		case TK_PARENT:
			m->s = k->p;
			m->len = k->len;
			if (k->dyn) {
				m->flags |= MNF_DYNAMIC;
				if (!add_segs(ps, m, k->p, k->len))
					return nomem(ps);
			} else {
				m->hash = mustache_hash(k->p, k->len);
			}
			if (k->sa) {
				/* the blanks before a standalone partial indent all its lines */
				m->flags |= MNF_LINE;
				left_blanks(t, i, &m->ind, &m->indlen);
			}
			if (k->kind == TK_PARENT) {
				if ((e = build_children(ps, at, i, true)) != ERR_OK)
					return e;
				i = k->match;
			}
			break;
		case TK_BLOCK:
			m->s = k->p;
			m->len = k->len;
			if (k->sa) {
				m->flags |= MNF_LINE;
				m->ind = k->ind;
				m->indlen = k->indlen;
			} else if (lclear(t, i)) {
				/* "  {{$b}}x{{/b}}": an argument's first line follows the
				 * literal blanks, its later lines get the same blanks */
				left_blanks(t, i, &m->ind, &m->indlen);
			}
			if ((e = build_children(ps, at, i, false)) != ERR_OK)
				return e;
			i = k->match;
			break;
		default:
			break;
		}
	}
	return ERR_OK;
}

enum err mustache_compile(struct tmpl *t, char *errmsg, size_t errlen)
{
	struct parser ps = {
		.t = t,
		.src = t->src,
		.n = t->srclen,
		.line = 1,
		.otag = "{{",
		.olen = 2,
		.ctag = "}}",
		.clen = 2,
		.errmsg = errmsg,
		.errlen = errlen,
	};
	enum err e;
	t->text = malloc(t->srclen + 1); /* text after the whitespace rules never grows */
	if (!t->text) {
		e = nomem(&ps);
		goto out;
	}
	if ((e = tokenize(&ps)) != ERR_OK || (e = match(&ps)) != ERR_OK)
		goto out;
	standalone(&ps);
	indent(&ps);
	e = build(&ps, 0, ps.ntok, false);
out:
	free(ps.tok);
	t->nodes = ps.nodes;
	t->nnodes = (uint32_t)ps.nnodes;
	t->segs = ps.segs;
	return e;
}
