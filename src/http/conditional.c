#include "http/conditional.h"

#include <string.h>

#include "core/time.h"

/* W/"<len>-<hash>" of the body: a validator, not a security hash, so a
 * word-at-a-time multiply-xorshift (a byte-wise hash was a measurable part
 * of rendering a 10 KB page). */
const char *weak_etag(struct arena *a, const struct buf *b)
{
	/* four independent lanes of 8 bytes: the multiplies overlap instead
	 * of each waiting for the last (every uncached page is hashed) */
	uint64_t h[4] = {0x9E3779B97F4A7C15ULL ^ b->len, 0xC2B2AE3D27D4EB4FULL,
			 0x165667B19E3779F9ULL, 0x27D4EB2F165667C5ULL};
	uint64_t w;
	size_t i = 0;
	for (; i + 32 <= b->len; i += 32)
		for (int k = 0; k < 4; k++) {
			memcpy(&w, b->data + i + 8 * k, 8);
			h[k] = (h[k] ^ w) * 0xFF51AFD7ED558CCDULL;
			h[k] ^= h[k] >> 32;
		}
	uint64_t x = h[0] ^ (h[1] * 0x9E3779B97F4A7C15ULL) ^ (h[2] * 0xC4CEB9FE1A85EC53ULL) ^
		     (h[3] * 0xFF51AFD7ED558CCDULL);
	for (; i + 8 <= b->len; i += 8) {
		memcpy(&w, b->data + i, 8);
		x = (x ^ w) * 0xFF51AFD7ED558CCDULL;
		x ^= x >> 32;
	}
	for (; i < b->len; i++)
		x = (x ^ (unsigned char)b->data[i]) * 0xC4CEB9FE1A85EC53ULL;
	x ^= x >> 29;
	return arena_printf(a, "W/\"%zx-%016llx\"", b->len, (unsigned long long)x);
}

/* A handler's etag as a header value: quoted if it was not. */
const char *etag_value(struct arena *a, const char *e)
{
	if (e[0] == '"' || strncmp(e, "W/\"", 3) == 0)
		return e;
	return arena_printf(a, "\"%s\"", e);
}

/* If-None-Match list against etag, weak comparison. */
static bool etag_listed(const char *list, const char *etag)
{
	const char *e = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
	size_t en = strlen(e);
	const char *p = list;
	while (*p) {
		p += strspn(p, " \t,");
		if (!*p)
			break;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p == '"') {
			const char *end = strchr(p + 1, '"');
			if (!end)
				return false;
			size_t n = (size_t)(end - p) + 1;
			if (n == en && memcmp(p, e, n) == 0)
				return true;
			p = end + 1;
		} else {
			p += strcspn(p, ",");
		}
	}
	return false;
}

bool not_modified(const struct req *r, const char *etag, int64_t last_modified)
{
	const char *inm = req_header(r, "If-None-Match");
	if (inm)
		return etag && etag_listed(inm, etag);
	const char *ims = req_header(r, "If-Modified-Since");
	int64_t t;
	return ims && last_modified > 0 && time_parse_http(ims, &t) && last_modified <= t;
}
