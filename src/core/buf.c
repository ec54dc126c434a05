#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = false;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

enum err buf_grow(struct buf *b, size_t extra)
{
	if (b->oom)
		return ERR_NOMEM;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return ERR_NOMEM;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return ERR_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->oom = true;
		return ERR_NOMEM;
	}
	b->data = p;
	b->cap = cap;
	b->data[b->len] = '\0';
	return ERR_OK;
}

enum err buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

enum err buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ERR_INVALID;
	if (buf_reserve(b, (size_t)n) != ERR_OK)
		return ERR_NOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return ERR_OK;
}

char *buf_detach(struct buf *b, size_t *len)
{
	if (!b->data && buf_reserve(b, 0) != ERR_OK)
		return NULL;
	char *p = b->data;
	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}
