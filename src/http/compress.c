/* compress.c - the zlib/brotli wrapper and Accept-Encoding negotiation
 * (see compress.h). */
#include "http/compress.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <brotli/encode.h>
#include <zlib.h>

#include "http/target.h"

#define GZ_LEVEL_DEFAULT 6
#define BR_QUALITY_DEFAULT 5
#define BR_WINDOW 22        /* log2 of the window: 4 MB, brotli's default */
#define GZ_WINDOW (15 + 16) /* 32 KB window, +16 = gzip wrapper */
#define GZ_MEMLEVEL 8       /* zlib's default */

/* ---- gzip ---- */

/* Room left in out, as zlib's 32-bit counter (keeps the NUL byte free). */
static uInt room(const struct buf *out)
{
	size_t r = out->cap - out->len - 1;
	return r > UINT_MAX ? UINT_MAX : (uInt)r;
}

enum err compress_gzip(const char *in, size_t n, struct buf *out, int level)
{
	if (level < 0)
		level = GZ_LEVEL_DEFAULT;
	if (level > 9)
		return ERR_INVALID;

	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, level, Z_DEFLATED, GZ_WINDOW, GZ_MEMLEVEL,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		out->oom = true; /* the only failure with valid arguments */
		return ERR_NOMEM;
	}

	size_t start = out->len;
	enum err e = ERR_OK;
	/* One reservation is enough for almost every input: deflateBound is
	 * the worst case for the whole stream, gzip header and trailer
	 * included. The loop below still copes if it is not. */
	uLong bound = deflateBound(&zs, n > ULONG_MAX ? ULONG_MAX : (uLong)n);
	if ((e = buf_reserve(out, bound)) != ERR_OK)
		goto out;

	/* in is const for us; zlib's next_in is not const but is only read. */
	zs.next_in = (Bytef *)(uintptr_t)in;
	size_t left = n; /* input not yet handed to zlib */
	for (;;) {
		if (zs.avail_in == 0 && left) {
			zs.avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
			left -= zs.avail_in;
		}
		if (room(out) < 64 && (e = buf_reserve(out, out->cap)) != ERR_OK)
			goto out;
		zs.next_out = (Bytef *)out->data + out->len;
		zs.avail_out = room(out);
		uInt before = zs.avail_out;
		int flush = (left || zs.avail_in) ? Z_NO_FLUSH : Z_FINISH;
		int rc = deflate(&zs, flush);
		out->len += before - zs.avail_out;
		if (rc == Z_STREAM_END)
			break;
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			e = ERR_NOMEM; /* cannot happen with a sane stream */
			goto out;
		}
	}
out:
	deflateEnd(&zs);
	if (e != ERR_OK)
		out->len = start;
	if (e == ERR_NOMEM)
		out->oom = true; /* as buf does: callers may check once */
	if (out->data)
		out->data[out->len] = '\0';
	return e;
}

/* ---- brotli ---- */

enum err compress_brotli(const char *in, size_t n, struct buf *out, int quality)
{
	if (quality < 0)
		quality = BR_QUALITY_DEFAULT;
	if (quality > BROTLI_MAX_QUALITY)
		return ERR_INVALID;

	/* The one-shot encoder needs the worst case up front; 0 means n is
	 * so large the bound overflows. */
	size_t bound = BrotliEncoderMaxCompressedSize(n);
	if (bound == 0)
		return ERR_LIMIT;
	if (buf_reserve(out, bound) != ERR_OK)
		return ERR_NOMEM; /* buf_reserve set out->oom */

	size_t got = out->cap - out->len - 1;
	if (!BrotliEncoderCompress(quality, BR_WINDOW, BROTLI_MODE_TEXT, n,
				   (const uint8_t *)in, &got,
				   (uint8_t *)out->data + out->len)) {
		/* Only an internal allocation failure gets here: with a
		 * MaxCompressedSize buffer the encoder falls back to stored
		 * blocks rather than fail for lack of room. */
		out->data[out->len] = '\0';
		out->oom = true;
		return ERR_NOMEM;
	}
	out->len += got;
	out->data[out->len] = '\0';
	return ERR_OK;
}

/* ---- Accept-Encoding ---- */

/* The codings negotiation cares about; anything else is skipped. */
enum coding { C_BR, C_GZIP, C_IDENTITY, C_STAR, C__MAX };

static const struct {
	const char *name;
	enum coding c;
} coding_names[] = {
	{"br", C_BR},
	{"gzip", C_GZIP},
	{"x-gzip", C_GZIP}, /* RFC 9110 8.4.1.3: same as gzip */
	{"identity", C_IDENTITY},
	{"*", C_STAR},
};

#define Q_UNSET (-1)
#define Q_ONE 1000 /* weights are kept in thousandths */

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* ASCII case-insensitive: does s[0..n) equal the lower-case word w? */
static bool eq_lower(const char *s, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++, w++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (*w == '\0' || c != *w)
			return false;
	}
	return *w == '\0';
}

/* qvalue = "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ]  (RFC 9110 12.4.2).
 * Returns thousandths and advances *pp past it, or Q_UNSET. A fourth
 * decimal is left for the caller, who rejects it as trailing junk. */
static int parse_qvalue(const char **pp)
{
	const char *p = *pp;
	int q;
	if (*p == '0')
		q = 0;
	else if (*p == '1')
		q = Q_ONE;
	else
		return Q_UNSET;
	p++;
	if (*p == '.') {
		p++;
		for (int scale = 100; scale > 0 && *p >= '0' && *p <= '9';
		     scale /= 10, p++)
			q += (*p - '0') * scale;
	}
	if (q > Q_ONE) /* "1.5", "1.001" */
		return Q_UNSET;
	*pp = p;
	return q;
}

enum encoding compress_negotiate(const char *ae, bool have_gzip, bool have_br)
{
	if (!ae)
		return ENC_IDENTITY;

	int q[C__MAX];
	for (int i = 0; i < C__MAX; i++)
		q[i] = Q_UNSET;

	/* One pass over the list; every iteration consumes at least up to the
	 * next ',' or the end, so hostile input costs O(length). */
	const char *p = ae;
	for (;;) {
		while (is_ows(*p) || *p == ',') /* empty items are allowed */
			p++;
		if (*p == '\0')
			break;

		const char *name = p;
		while (http_is_tchar((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - name);
		bool ok = len > 0;
		int w = Q_ONE;
		while (is_ows(*p))
			p++;
		if (ok && *p == ';') {
			p++;
			while (is_ows(*p))
				p++;
			/* Only a weight is allowed here; "q" is case-insensitive
			 * (ABNF literal) and takes no whitespace around '='. */
			if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
				p += 2;
				w = parse_qvalue(&p);
				ok = w != Q_UNSET;
				while (is_ows(*p))
					p++;
			} else {
				ok = false;
			}
		}
		if (*p != ',' && *p != '\0')
			ok = false; /* junk, a second parameter, a 4th decimal */
		while (*p != ',' && *p != '\0') /* drop the rest of a bad item */
			p++;
		if (!ok)
			continue;

		for (size_t i = 0; i < sizeof coding_names / sizeof coding_names[0]; i++) {
			if (eq_lower(name, len, coding_names[i].name)) {
				enum coding c = coding_names[i].c;
				if (q[c] == Q_UNSET)
					q[c] = w;
				break;
			}
		}
	}

	/* Effective weights: listed, else the wildcard's, else 0 (not
	 * acceptable). Identity unlisted without "*" is acceptable but ranks
	 * below any coding with q > 0, which 0 with the >= ties below gives. */
	int star = q[C_STAR] == Q_UNSET ? 0 : q[C_STAR];
	int br = !have_br ? 0 : q[C_BR] != Q_UNSET ? q[C_BR] : star;
	int gz = !have_gzip ? 0 : q[C_GZIP] != Q_UNSET ? q[C_GZIP] : star;
	int id = q[C_IDENTITY] != Q_UNSET ? q[C_IDENTITY] : star;

	enum encoding best = ENC_IDENTITY;
	int bq = id;
	if (gz > 0 && gz >= bq) {
		best = ENC_GZIP;
		bq = gz;
	}
	if (br > 0 && br >= bq)
		best = ENC_BR;
	return best;
}

const char *compress_name(enum encoding e)
{
	static const char *const names[ENC__MAX] = {
		[ENC_IDENTITY] = "identity",
		[ENC_GZIP] = "gzip",
		[ENC_BR] = "br",
	};
	return (unsigned)e < ENC__MAX ? names[e] : "identity";
}
