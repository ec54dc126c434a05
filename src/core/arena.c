#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 8192
#define ALIGN ARENA_ALIGN

void arena_init(struct arena *a, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->cap = cap;
	a->failed = false;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;
	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = 0;
}

void *arena_alloc_chunk(struct arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2) {
		a->failed = true;
		return NULL;
	}
	size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (a->cap && (a->used + need > a->cap)) {
		a->failed = true;
		return NULL;
	}
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->off < need) {
		size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
		if (c && size < c->size * 2 && c->size < (1u << 20))
			size = c->size * 2; /* grow geometrically up to 1 MiB chunks */
		if (size < need)
			size = need;
		c = malloc(sizeof(*c) + size);
		if (!c) {
			a->failed = true;
			return NULL;
		}
		c->size = size;
		c->off = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->off;
	c->off += need;
	a->used += need;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *arena_realloc(struct arena *a, void *old, size_t oldn, size_t newn)
{
	if (newn <= oldn && old)
		return old;
	void *p = arena_alloc(a, newn);
	if (p && old && oldn)
		memcpy(p, old, oldn);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

/* One formatting pass when the text fits in the current chunk's free space
 * (the common case: short URLs and labels); otherwise a second pass into a
 * block of the measured size. */
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	struct arena_chunk *c = a->head;
	size_t room = c ? c->size - c->off : 0;
	if (a->cap && room > a->cap - (a->used < a->cap ? a->used : a->cap))
		room = a->cap - (a->used < a->cap ? a->used : a->cap);
	char *dst = c ? (char *)c->data + c->off : NULL;
	int n = vsnprintf(room ? dst : NULL, room, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	size_t need = ((size_t)n + 1 + ALIGN - 1) & ~(ALIGN - 1);
	if (need <= room) { /* it fit: claim it as an allocation */
		char *p = arena_alloc(a, (size_t)n + 1);
		/* the same chunk, the same place: nothing else ran in between */
		return p == dst ? p : NULL;
	}
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

char *arena_cat(struct arena *a, ...)
{
	va_list ap;
	size_t n = 0;
	va_start(ap, a);
	for (const char *s; (s = va_arg(ap, const char *));)
		n += strlen(s);
	va_end(ap);
	char *out = arena_alloc(a, n + 1), *o = out;
	if (!out)
		return NULL;
	va_start(ap, a);
	for (const char *s; (s = va_arg(ap, const char *));) {
		size_t k = strlen(s);
		memcpy(o, s, k);
		o += k;
	}
	va_end(ap);
	*o = '\0';
	return out;
}
