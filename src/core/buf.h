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
enum err buf_reserve(struct buf *b, size_t extra);
enum err buf_append(struct buf *b, const void *p, size_t n);
enum err buf_puts(struct buf *b, const char *s);
enum err buf_putc(struct buf *b, char c);
enum err buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Caller owns the returned malloc'd string (never NULL unless oom); b is reset. */
char *buf_detach(struct buf *b, size_t *len);

#endif
