/* mustache_render.c - walk compiled nodes (mustache_impl.h) against a value.
 *
 * Thread safety: rendering only reads the set, its templates and the value
 * tree. All state of one render (context stack, indentation, the blocks
 * passed down by parent tags) lives in small structs on the C stack, linked
 * to their callers' ones, so nothing is allocated except by the output
 * buffer itself. */
#include <stdbool.h>
#include <string.h>

#include "core/str.h"
#include "render/escape.h"
#include "render/mustache_impl.h"

/* Partial and parent expansions deeper than this are a template that
 * includes itself without end. */
#define MAX_EXPAND 100
/* Any nesting (sections, blocks, expansions): bounds the C stack used. */
#define MAX_DEPTH 1000

/* The context stack, innermost first. */
struct ctx {
	const struct tval *v;
	const struct ctx *up;
};

/* Indentation added at the start of each output line: the concatenation of
 * every `ind` from the root down. `total` is that length, so the common
 * unindented case costs one comparison. */
struct scope {
	const char *ind;
	size_t len, total;
	const struct scope *up;
};

/* The arguments a parent tag passed: the argument blocks under node
 * `parent` of template t. `up` is the environment the parent tag itself was
 * rendered in; an argument's own content renders in that one, since it was
 * written there. */
struct env {
	const struct tmpl *t;
	uint32_t parent;
	const struct env *up;
};

struct rstate {
	const struct tmpl_set *ts;
	struct buf *out;
	unsigned depth, expand;
	bool bol; /* the last template text written ended a line */
	enum err err;
};

static void put_indent(struct rstate *r, const struct scope *sc)
{
	if (!sc || sc->total == 0)
		return;
	put_indent(r, sc->up);
	if (sc->len)
		buf_append(r->out, sc->ind, sc->len);
}

/* Template text: indentation goes before each line it starts. A line end
 * inside an interpolated value does not count (the spec indents only the
 * partial's own lines). */
static void put_text(struct rstate *r, const struct scope *sc, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (sc->total == 0) {
		buf_append(r->out, s, n);
		r->bol = s[n - 1] == '\n';
		return;
	}
	while (n) {
		if (r->bol)
			put_indent(r, sc);
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		buf_append(r->out, s, k);
		r->bol = nl != NULL;
		s += k;
		n -= k;
	}
}

static void put_value(struct rstate *r, const struct scope *sc, const struct tval *v, bool escape)
{
	char num[STR_I64_MAX];
	const char *s;
	size_t n;
	if (!v)
		return;
	switch (v->kind) {
	case TV_BOOL:
		s = v->u.b ? "true" : "false";
		n = strlen(s);
		break;
	case TV_INT:
		n = str_from_i64(num, v->u.i, 0);
		s = num;
		break;
	case TV_STR:
	case TV_HTML: /* trusted HTML is still escaped by {{x}}: only {{{x}}} is raw */
		s = v->u.s.p;
		n = v->u.s.len;
		break;
	default: /* null, lists and maps interpolate as nothing */
		return;
	}
	if (n == 0)
		return;
	if (r->bol)
		put_indent(r, sc);
	r->bol = false;
	if (escape)
		escape_html(r->out, s, n);
	else
		buf_append(r->out, s, n);
}

/* Map member by a name part: heads first, bytes only when they agree. */
static const struct tval *member(const struct tval *v, const struct mseg *s)
{
	if (!v || v->kind != TV_MAP || !(v->u.map.bloom & s->bit))
		return NULL;
	/* newest first: a key set again shadows its older entry (value.h) */
	const struct tval_kv *kv = v->u.map.kv;
	for (size_t i = v->u.map.n; i-- > 0;)
		if (kv[i].head == s->head && tval_key_eq(kv[i].key, kv[i].head, s->p, s->len, s->head))
			return kv[i].val;
	return NULL;
}

/* The spec's name resolution: the first part is looked up from the top of
 * the context stack down; the other parts only in what the previous one
 * found. */
static const struct tval *resolve(const struct tmpl *t, const struct mnode *n,
				  const struct ctx *cx)
{
	if (n->nseg == 0)
		return cx->v;
	const struct mseg *s = t->segs + n->seg;
	const struct tval *v = NULL;
	for (; cx && !v; cx = cx->up)
		v = member(cx->v, &s[0]);
	for (uint32_t i = 1; v && i < n->nseg; i++)
		v = member(v, &s[i]);
	return v;
}

static void run(struct rstate *r, const struct tmpl *t, uint32_t i, uint32_t end,
		const struct ctx *cx, const struct scope *sc, const struct env *env);

/* {{>name}} and {{<name}}...{{/name}}: a partial is a parent without
 * arguments, so both keep the blocks passed down so far. */
static void expand(struct rstate *r, const struct tmpl *t, uint32_t i, const struct ctx *cx,
		   const struct scope *sc, const struct env *env)
{
	const struct mnode *n = &t->nodes[i];
	const struct tmpl *pt;
	if (n->flags & MNF_DYNAMIC) {
		const struct tval *v = resolve(t, n, cx);
		if (!v || (v->kind != TV_STR && v->kind != TV_HTML) || v->u.s.len == 0)
			return;
		pt = mustache_find(r->ts, v->u.s.p, v->u.s.len, mustache_hash(v->u.s.p, v->u.s.len));
	} else {
		pt = mustache_find(r->ts, n->s, n->len, n->hash);
	}
	if (!pt)
		return; /* a missing partial renders as nothing */
	if (r->expand >= MAX_EXPAND) {
		r->err = ERR_LIMIT;
		return;
	}
	struct scope inner = {n->ind, n->indlen, sc->total + n->indlen, sc};
	struct env args = {t, i, env};
	if (n->flags & MNF_LINE)
		r->bol = true;
	r->expand++;
	run(r, pt, 0, pt->nnodes, cx, n->indlen ? &inner : sc, n->op == MOP_PARENT ? &args : env);
	r->expand--;
}

/* {{$name}}: the outermost argument of that name wins (the spec's
 * "top-level substitutions take precedence"); with none, the default. */
static void block(struct rstate *r, const struct tmpl *t, uint32_t i, const struct ctx *cx,
		  const struct scope *sc, const struct env *env)
{
	const struct mnode *n = &t->nodes[i];
	const struct env *hit = NULL;
	uint32_t arg = 0;
	for (const struct env *e = env; e; e = e->up) {
		const struct mnode *pn = e->t->nodes;
		for (uint32_t j = e->parent + 1; j < pn[e->parent].end; j = pn[j].end) {
			if (pn[j].len == n->len && memcmp(pn[j].s, n->s, n->len) == 0) {
				hit = e;
				arg = j;
				break;
			}
		}
	}
	if (!hit) {
		run(r, t, i + 1, n->end, cx, sc, env);
		return;
	}
	struct scope inner = {n->ind, n->indlen, sc->total + n->indlen, sc};
	if (n->flags & MNF_LINE)
		r->bol = true;
	run(r, hit->t, arg + 1, hit->t->nodes[arg].end, cx, n->indlen ? &inner : sc, hit->up);
}

static void run(struct rstate *r, const struct tmpl *t, uint32_t i, uint32_t end,
		const struct ctx *cx, const struct scope *sc, const struct env *env)
{
	if (r->depth >= MAX_DEPTH) {
		r->err = ERR_LIMIT;
		return;
	}
	r->depth++;
	const struct mnode *nodes = t->nodes;
	for (; i < end && r->err == ERR_OK; i = nodes[i].end) {
		const struct mnode *n = &nodes[i];
		const struct tval *v;
		switch ((enum mop)n->op) {
		case MOP_TEXT:
			put_text(r, sc, n->s, n->len);
			break;
		case MOP_VAR:
		case MOP_RAW:
			put_value(r, sc, resolve(t, n, cx), n->op == MOP_VAR);
			break;
		case MOP_SECTION:
			v = resolve(t, n, cx);
			if (!tval_truthy(v))
				break;
			if (v->kind == TV_LIST) {
				for (size_t k = 0; k < v->u.list.n && r->err == ERR_OK; k++) {
					struct ctx item = {v->u.list.items[k], cx};
					run(r, t, i + 1, n->end, &item, sc, env);
				}
			} else {
				struct ctx top = {v, cx};
				run(r, t, i + 1, n->end, &top, sc, env);
			}
			break;
		case MOP_INVERTED:
			if (!tval_truthy(resolve(t, n, cx)))
				run(r, t, i + 1, n->end, cx, sc, env);
			break;
		case MOP_PARTIAL:
		case MOP_PARENT:
			expand(r, t, i, cx, sc, env);
			break;
		case MOP_BLOCK:
			block(r, t, i, cx, sc, env);
			break;
		case MOP__MAX:
			break;
		}
		if (r->out->oom)
			r->err = ERR_NOMEM;
	}
	r->depth--;
}

enum err mustache_exec(const struct tmpl_set *ts, const struct tmpl *t, const struct tval *ctx,
		       struct buf *out)
{
	struct rstate r = {.ts = ts, .out = out, .bol = true, .err = ERR_OK};
	struct ctx root = {ctx, NULL};
	struct scope top = {NULL, 0, 0, NULL};
	run(&r, t, 0, t->nnodes, &root, &top, NULL);
	if (r.err == ERR_OK && out->oom)
		r.err = ERR_NOMEM;
	return r.err;
}
