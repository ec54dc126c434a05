#include "core/arena.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 8192
#define ALIGN ARENA_ALIGN

/* Each thread keeps the chunks of the arenas it freed, up to SPARE_MAX
 * bytes, for the next arena: a page's arena grows through the same chunk
 * sizes every time, and taking them back beats three large mallocs and
 * frees per request. Not under AddressSanitizer, which should see every
 * arena's memory freed (and any later use of it). */
#if defined(__SANITIZE_ADDRESS__)
#define SPARE_MAX 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPARE_MAX 0
#endif
#endif
#ifndef SPARE_MAX
#define SPARE_MAX ((size_t)1 << 20)
#endif

static _Thread_local struct arena_chunk *spare;
static _Thread_local size_t spare_bytes;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

/* At thread exit (the key's value is only a flag: the list is the thread's). */
static void spare_drop(void *unused)
{
	(void)unused;
	struct arena_chunk *c = spare, *next;
	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	spare = NULL;
	spare_bytes = 0;
}

static void spare_key_make(void)
{
	pthread_key_create(&spare_key, spare_drop);
}

static bool spare_keep(struct arena_chunk *c)
{
	if (SPARE_MAX == 0 || c->size > SPARE_MAX - spare_bytes)
		return false;
	if (!spare) { /* the first this thread keeps: free them when it ends */
		pthread_once(&spare_once, spare_key_make);
		pthread_setspecific(spare_key, (void *)1);
	}
	c->next = spare;
	spare = c;
	spare_bytes += c->size;
	return true;
}

/* The smallest kept chunk of at least size bytes, so that the arena grows
 * through the same sizes as the one before it. */
static struct arena_chunk *spare_take(size_t size)
{
	struct arena_chunk **best = NULL;
	for (struct arena_chunk **p = &spare; *p; p = &(*p)->next)
		if ((*p)->size >= size && (!best || (*p)->size < (*best)->size))
			best = p;
	if (!best)
		return NULL;
	struct arena_chunk *c = *best;
	*best = c->next;
	spare_bytes -= c->size;
	return c;
}

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
		if (!spare_keep(c))
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
		c = spare_take(size);
		if (c)
			size = c->size;
		else
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
