/* arena.h - request-lifetime bump allocator.
 *
 * Everything allocated from an arena lives until arena_free(); nobody frees
 * single objects. An arena has a byte cap: once exceeded every allocation
 * returns NULL and arena->failed is set, so a hostile request cannot grow a
 * worker without bound. Not thread-safe: one arena per request/thread. */
#ifndef GAZETTE_CORE_ARENA_H
#define GAZETTE_CORE_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARENA_ALIGN (sizeof(max_align_t))

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, off;
	max_align_t data[]; /* aligned payload */
};

struct arena {
	struct arena_chunk *head;
	size_t used;  /* bytes handed out, all chunks */
	size_t cap;   /* 0 = unlimited */
	bool failed;  /* an allocation hit the cap or malloc failed */
};

void arena_init(struct arena *a, size_t cap);
void arena_free(struct arena *a); /* frees every chunk; arena reusable after init */

/* Aligned for any type; NULL on failure. Zeroed memory from arena_zalloc. */
void *arena_alloc_chunk(struct arena *a, size_t n); /* arena_alloc with a new chunk */
/* In line: a page makes a few hundred allocations, nearly all in the
 * current chunk. */
static inline void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (n == 0 || n > SIZE_MAX / 2 || !c || c->size - c->off < need ||
	    (a->cap && a->used + need > a->cap))
		return arena_alloc_chunk(a, n);
	void *p = (char *)c->data + c->off;
	c->off += need;
	a->used += need;
	return p;
}
void *arena_zalloc(struct arena *a, size_t n);
/* Grow a previous allocation (copies; old block is not reclaimed). */
void *arena_realloc(struct arena *a, void *old, size_t oldn, size_t newn);
char *arena_strdup(struct arena *a, const char *s);    /* NULL s -> NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* The strings up to a NULL joined, without printf's cost (pages build many
 * URLs): ARENA_CAT(a, "/category/", path, "/"). */
char *arena_cat(struct arena *a, ...);
#define ARENA_CAT(a, ...) arena_cat((a), __VA_ARGS__, (const char *)NULL)

#define ARENA_NEW(a, type) ((type *)arena_zalloc((a), sizeof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_zalloc((a), sizeof(type) * (n)))

#endif
