/* target.h - parsing what a client sends in the request line and bodies:
 * the request target (decoded path and query pairs), the Host header, and
 * application/x-www-form-urlencoded pairs.
 *
 * Results live in the arena passed in. Functions returning int answer 0 on
 * success or the HTTP status to refuse the request with: 400 (malformed, or
 * too many pairs) or 500 (the arena cap was reached). */
#ifndef GAZETTE_HTTP_TARGET_H
#define GAZETTE_HTTP_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "http/http.h"

#define HTTP_MAX_QUERY_PAIRS 256

/* Decode "a=1&b=2" (s[0..n), '+' is a space) into at most max pairs; empty
 * items and empty keys are skipped; a key without '=' gets "". */
int http_parse_pairs(struct arena *a, const char *s, size_t n, size_t max,
		     struct http_param **out, size_t *nout);

/* Split a raw request target (origin-form "/p?q" or absolute-form
 * "http://host/p?q") into the percent-decoded path (valid UTF-8, no control
 * characters, no backslash, no "." or ".." segment; "/" when empty) and the
 * decoded query pairs. */
int http_parse_target(struct arena *a, const char *target, const char **path,
		      struct http_param **query, size_t *nquery);

/* A Host header value: reg-name or [IPv6], with an optional :port. */
bool http_host_valid(const char *h);
/* RFC 9110 5.6.2 tchar (a token's bytes: header names, codings). No
 * <ctype.h>: locale-free and safe for bytes >= 0x80. */
bool http_is_tchar(unsigned char c);

#endif
