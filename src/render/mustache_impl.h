/* mustache_impl.h - private to the mustache engine (mustache*.c only).
 *
 * A template is compiled once (mustache_parse.c) into a flat array of nodes
 * in pre-order: a container node (section, parent, block) is followed by its
 * children, and every node records `end`, the index just past its subtree,
 * so a renderer walks siblings with i = nodes[i].end and never allocates.
 * All whitespace rules (standalone lines, block indentation stripping) are
 * applied at compile time; only indentation that depends on where a partial
 * or block is expanded is left for render time (mustache_render.c). */
#ifndef GAZETTE_RENDER_MUSTACHE_IMPL_H
#define GAZETTE_RENDER_MUSTACHE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "render/mustache.h"

enum mop {
	MOP_TEXT,     /* literal bytes */
	MOP_VAR,      /* {{x}}: escaped */
	MOP_RAW,      /* {{{x}}} / {{&x}} */
	MOP_SECTION,  /* {{#x}}: children */
	MOP_INVERTED, /* {{^x}}: children */
	MOP_PARTIAL,  /* {{>x}} */
	MOP_PARENT,   /* {{<x}}: children are only its argument blocks */
	MOP_BLOCK,    /* {{$x}}: children are the default (or, under a parent, the argument) */
	MOP__MAX
};

#define MNF_DYNAMIC 0x1u /* partial/parent name is looked up in the context ({{>*x}}) */
#define MNF_LINE 0x2u    /* standalone: the expansion starts on a fresh output line */

/* One part of a dotted name (never empty, no NUL: the parser checks); head
 * is tval_key_head(p, len), compared with each map key's before any byte,
 * and bit its tval_key_bit, which skips maps that cannot hold the name. */
struct mseg {
	const char *p;
	size_t len;
	uint64_t head, bit;
};

struct mnode {
	uint8_t op; /* enum mop */
	uint8_t flags;
	uint32_t end;      /* index just past this node's subtree */
	uint32_t seg;      /* dotted name: first part in tmpl.segs ... */
	uint32_t nseg;     /* ... and count; 0 means "." (the top of the context stack) */
	uint32_t hash;     /* static partial/parent name: mustache_hash(s, len) */
	const char *s;     /* text bytes, or partial/parent/block name */
	size_t len;
	const char *ind;   /* partial/parent: indentation of its standalone line; block: the */
	size_t indlen;     /* indentation an overriding argument's lines get */
};

struct tmpl {
	char *name;
	size_t namelen;
	uint32_t hash;
	char *src; /* private copy; names point into it */
	size_t srclen;
	char *text; /* literal text after whitespace rules; MOP_TEXT points into it */
	struct mnode *nodes;
	uint32_t nnodes;
	struct mseg *segs;
};

struct tmpl_set {
	struct tmpl **slot; /* open addressing by name hash; NULL = empty */
	size_t cap, n;
};

uint32_t mustache_hash(const char *s, size_t n);

/* Compile t->src[0..srclen) (t->name set) into t->text/nodes/segs. On error
 * returns ERR_INVALID or ERR_NOMEM with "name:LINE: why" in errmsg; the caller
 * frees t with mustache_tmpl_free either way. */
enum err mustache_compile(struct tmpl *t, char *errmsg, size_t errlen);
void mustache_tmpl_free(struct tmpl *t);

/* Read-only lookup: safe from any number of threads. */
const struct tmpl *mustache_find(const struct tmpl_set *ts, const char *name, size_t len,
				 uint32_t hash);

enum err mustache_exec(const struct tmpl_set *ts, const struct tmpl *t, const struct tval *ctx,
		       struct buf *out);

#endif
