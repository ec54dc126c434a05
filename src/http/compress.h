/* compress.h - gzip and brotli for cached pages, and Accept-Encoding
 * negotiation. The only includer of zlib.h and brotli/ (DESIGN: one wrapper
 * per foreign library).
 *
 * Pages are compressed once when they enter the page cache and the stored
 * bytes are served many times, so the defaults favour ratio over speed a
 * little (gzip 6, brotli 5).
 *
 * Ownership: the compress_* functions append to a caller-owned struct buf
 * (core/buf.h, malloc-backed); on any error out->len is restored, so the
 * buffer holds exactly what it held before, and on ERR_NOMEM (ours or the
 * library's) out->oom is set, as buf itself does. A compressed body can be
 * larger than the input (already-compressed data); whether to keep it is the
 * caller's choice. Nothing else allocates. All functions are reentrant (no
 * global state). */
#ifndef GAZETTE_HTTP_COMPRESS_H
#define GAZETTE_HTTP_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

enum encoding { ENC_IDENTITY, ENC_GZIP, ENC_BR, ENC__MAX };

/* Append a gzip stream (RFC 1952: header, deflate data, CRC-32, length) of
 * in[0..n) to out. level 0..9; < 0 means 6. in may be NULL when n is 0.
 * ERR_INVALID for level > 9, ERR_NOMEM on allocation failure. */
enum err compress_gzip(const char *in, size_t n, struct buf *out, int level);

/* Append a brotli stream (RFC 7932; text mode, 4 MB window) of in[0..n) to
 * out. quality 0..11; < 0 means 5. in may be NULL when n is 0.
 * ERR_INVALID for quality > 11, ERR_NOMEM on allocation failure, ERR_LIMIT
 * when n is too large for brotli's worst-case bound (near SIZE_MAX). */
enum err compress_brotli(const char *in, size_t n, struct buf *out, int quality);

/* Pick the coding for a response from the request's Accept-Encoding value
 * (RFC 9110 12.5.3), given which encodings of the page we hold.
 *
 * - NULL (no header) and "" both give ENC_IDENTITY.
 * - Items are "coding [ OWS ; OWS q=qvalue ]", comma-separated, names
 *   case-insensitive; "x-gzip" is gzip. A qvalue is 0[.ddd] or 1[.000]. An
 *   item with a malformed weight or any other parameter is ignored.
 * - "*" gives its weight to br/gzip/identity when they are not listed.
 * - The first item naming a coding counts; later duplicates are ignored.
 * - Highest weight wins; at equal weight br > gzip > identity. Identity
 *   not listed (and no "*") ranks last. When nothing acceptable is
 *   available, including "identity;q=0", the answer is ENC_IDENTITY: we
 *   never answer 406.
 * Linear in the header length; no allocation. */
enum encoding compress_negotiate(const char *accept_encoding, bool have_gzip,
				 bool have_br);

/* "identity", "gzip" or "br" (the Content-Encoding token). Never NULL:
 * out-of-range values give "identity". */
const char *compress_name(enum encoding e);

#endif
