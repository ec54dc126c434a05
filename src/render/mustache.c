/* mustache.c - the template set: compiled templates by name.
 *
 * The set is a small open-addressing hash table. It is written only by
 * tmpl_set_add (at start-up, single-threaded) and read by renders, which may
 * run in any number of threads at once because nothing they touch changes.
 * Parsing lives in mustache_parse.c, rendering in mustache_render.c. */
#include "render/mustache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mustache_impl.h"

/* FNV-1a: names are short and few; this only has to spread them. */
uint32_t mustache_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct tmpl_set *tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

void mustache_tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->src);
	free(t->text);
	free(t->nodes);
	free(t->segs);
	free(t);
}

void tmpl_set_free(struct tmpl_set *ts)
{
	if (!ts)
		return;
	for (size_t i = 0; i < ts->cap; i++)
		mustache_tmpl_free(ts->slot[i]);
	free(ts->slot);
	free(ts);
}

/* Slot holding `name`, or the empty slot where it would go. cap is a power
 * of two and the table is never more than half full, so this ends. */
static size_t probe(const struct tmpl_set *ts, const char *name, size_t len, uint32_t hash)
{
	size_t mask = ts->cap - 1, i = hash & mask;
	for (;; i = (i + 1) & mask) {
		const struct tmpl *t = ts->slot[i];
		if (!t || (t->hash == hash && t->namelen == len && memcmp(t->name, name, len) == 0))
			return i;
	}
}

const struct tmpl *mustache_find(const struct tmpl_set *ts, const char *name, size_t len,
				 uint32_t hash)
{
	if (!ts || ts->cap == 0)
		return NULL;
	return ts->slot[probe(ts, name, len, hash)];
}

static enum err grow(struct tmpl_set *ts)
{
	size_t cap = ts->cap ? ts->cap * 2 : 16;
	struct tmpl **old = ts->slot;
	size_t oldcap = ts->cap;
	ts->slot = calloc(cap, sizeof *ts->slot);
	if (!ts->slot) {
		ts->slot = old;
		return ERR_NOMEM;
	}
	ts->cap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		struct tmpl *t = old[i];
		if (t)
			ts->slot[probe(ts, t->name, t->namelen, t->hash)] = t;
	}
	free(old);
	return ERR_OK;
}

static void set_msg(char *errmsg, size_t errlen, const char *name, const char *why)
{
	if (errmsg && errlen)
		snprintf(errmsg, errlen, "%s: %s", name, why);
}

enum err tmpl_set_add(struct tmpl_set *ts, const char *name, const char *src, size_t len,
		      char *errmsg, size_t errlen)
{
	if (errmsg && errlen)
		errmsg[0] = '\0';
	if (!ts || !name || (!src && len)) {
		set_msg(errmsg, errlen, name ? name : "(null)", "bad arguments");
		return ERR_INVALID;
	}
	if (len > UINT32_MAX / 2) {
		set_msg(errmsg, errlen, name, "template too large");
		return ERR_LIMIT;
	}
	struct tmpl *t = calloc(1, sizeof *t);
	if (!t)
		goto nomem;
	t->namelen = strlen(name);
	t->name = malloc(t->namelen + 1);
	t->src = malloc(len + 1);
	if (!t->name || !t->src)
		goto nomem;
	memcpy(t->name, name, t->namelen + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->srclen = len;
	t->hash = mustache_hash(t->name, t->namelen);

	enum err e = mustache_compile(t, errmsg, errlen);
	if (e != ERR_OK) {
		mustache_tmpl_free(t);
		return e;
	}
	if ((ts->n + 1) * 2 > ts->cap && grow(ts) != ERR_OK)
		goto nomem;
	size_t i = probe(ts, t->name, t->namelen, t->hash);
	if (ts->slot[i])
		mustache_tmpl_free(ts->slot[i]); /* replacing an earlier one */
	else
		ts->n++;
	ts->slot[i] = t;
	return ERR_OK;
nomem:
	mustache_tmpl_free(t);
	set_msg(errmsg, errlen, name, "out of memory");
	return ERR_NOMEM;
}

int tmpl_set_has(const struct tmpl_set *ts, const char *name)
{
	if (!name)
		return 0;
	size_t n = strlen(name);
	return mustache_find(ts, name, n, mustache_hash(name, n)) != NULL;
}

enum err tmpl_render(const struct tmpl_set *ts, const char *name, const struct tval *ctx,
		     struct buf *out)
{
	if (!name || !out)
		return ERR_INVALID;
	size_t n = strlen(name);
	const struct tmpl *t = mustache_find(ts, name, n, mustache_hash(name, n));
	if (!t)
		return ERR_NOTFOUND;
	return mustache_exec(ts, t, ctx, out);
}
