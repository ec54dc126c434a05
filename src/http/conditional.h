/* conditional.h - validators and conditional requests (ETag,
 * If-None-Match, If-Modified-Since), shared by fresh and cached responses. */
#ifndef GAZETTE_HTTP_CONDITIONAL_H
#define GAZETTE_HTTP_CONDITIONAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/http.h"

/* W/"<len>-<hash>" of a body, in the arena. */
const char *weak_etag(struct arena *a, const struct buf *b);
/* A handler's etag as a header value: quoted if it was not. */
const char *etag_value(struct arena *a, const char *e);
/* Does the request's If-None-Match (or, without one, If-Modified-Since)
 * match this representation? */
bool not_modified(const struct req *r, const char *etag, int64_t last_modified);

#endif
