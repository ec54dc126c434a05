/* access.h - the access log's line for one request, formatted without
 * printf (a line per request is on the hot path of cached pages):
 *
 *   access IP "METHOD TARGET" STATUS BYTES DURATIONus[ why][ cache=hit|miss]
 *
 * Bytes of the method and target outside printable ASCII, '"' and '\\'
 * become \xHH, and long values are cut with "...". The caller owns every
 * string; nothing is kept. */
#ifndef GAZETTE_HTTP_ACCESS_H
#define GAZETTE_HTTP_ACCESS_H

#include <stddef.h>
#include <stdint.h>

struct access_rec {
	const char *ip, *method, *target;
	int status;
	size_t bytes;
	int64_t us;
	const char *why;   /* "" or " deadline", " error", ... */
	const char *cache; /* "hit", "miss" or NULL */
};

/* The line (with the log prefix, without a newline) into out, which holds
 * at least ACCESS_LINE_MAX bytes; returns its length. */
#define ACCESS_LINE_MAX 1024
size_t access_format(char *out, const struct access_rec *a);

#endif
