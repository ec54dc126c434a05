/* buf.h - growable byte buffer on malloc.
 *
 * The owner calls buf_free() (or takes the bytes with buf_detach()). After an
 * allocation failure the buffer keeps its old content, sets `oom`, and ignores
 * further appends, so callers may append freely and check once at the end.
 * data is always NUL-terminated when non-NULL. */
#ifndef GAZETTE_CORE_BUF_H
#define GAZETTE_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/err.h"

struct buf {
	char *data;
	size_t len, cap;
	bool oom;
};

#define BUF_INIT {NULL, 0, 0, false}

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps memory */
/* Room for extra more bytes (and the NUL). */
enum err buf_grow(struct buf *b, size_t extra); /* buf_reserve when it must grow */
enum err buf_puts(struct buf *b, const char *s);
/* In line: a page is hundreds of appends, nearly all into room there is. */
static inline enum err buf_reserve(struct buf *b, size_t extra)
{
	if (!b->oom && extra < b->cap - b->len)
		return ERR_OK;
	return buf_grow(b, extra);
}

static inline enum err buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) != ERR_OK)
		return ERR_NOMEM;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return ERR_OK;
}

static inline enum err buf_putc(struct buf *b, char c)
{
	if (buf_reserve(b, 1) != ERR_OK)
		return ERR_NOMEM;
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
	return ERR_OK;
}
enum err buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Caller owns the returned malloc'd string (never NULL unless oom); b is reset. */
char *buf_detach(struct buf *b, size_t *len);

#endif
