/* server_headers.c - response headers for server.c and server_cache.c
 * (server_int.h): checking a handler's headers, and the headers added
 * to every response (Cache-Control, the security headers). */
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "http/server_int.h"
#include "http/target.h"

/* The security headers of every HTML response (fresh, cached, 304 or
 * error). Themes have no inline scripts; <script type="application/ld+json">
 * data blocks are never executed, so script-src needs no hash for them.
 * No framing at all (frame-ancestors, and X-Frame-Options for browsers
 * without CSP 2). */
static const char CSP[] = "default-src 'self'; script-src 'self'; "
			  "style-src 'self'; img-src 'self' data: https:; "
			  "media-src 'self' https:; object-src 'none'; base-uri 'self'; "
			  "form-action 'self'; frame-ancestors 'none'";
static const char *const SECURITY_HEADERS[][2] = {
	{"X-Content-Type-Options", "nosniff"}, /* every response */
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"Content-Security-Policy", CSP},
	{"X-Frame-Options", "DENY"},
};
#define N_SECURITY_HEADERS (sizeof SECURITY_HEADERS / sizeof SECURITY_HEADERS[0])

bool srv_header_name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!http_is_tchar((unsigned char)*s))
			return false;
	return true;
}

static bool header_value_ok(const char *s)
{
	if (!s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

bool srv_has_header(const struct resp *rs, const char *name)
{
	for (size_t i = 0; i < rs->nheaders; i++)
		if (strcasecmp(rs->headers[i].key, name) == 0)
			return true;
	return false;
}

bool srv_add_header(struct MHD_Response *mr, const char *name, const char *value)
{
	if (!srv_header_name_ok(name) || !header_value_ok(value)) {
		log_warn("dropping invalid response header '%s'", name ? name : "(null)");
		return false;
	}
	return MHD_add_response_header(mr, name, value) == MHD_YES;
}

void srv_put_header(struct MHD_Response *mr, const char *name, const char *value)
{
	MHD_add_response_header(mr, name, value);
}

/* Headers MHD manages itself. */
static bool reserved_header(const char *name)
{
	static const char *const names[] = {"Content-Length", "Transfer-Encoding", "Connection",
					    "Date", "Keep-Alive", "Upgrade"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

void srv_common_headers(struct MHD_Response *mr, const struct resp *rs, bool html)
{
	const char *cc = rs->cache_control ? rs->cache_control : html ? "no-cache" : NULL;
	if (cc && !srv_has_header(rs, "Cache-Control")) {
		if (cc == rs->cache_control)
			srv_add_header(mr, "Cache-Control", cc);
		else
			srv_put_header(mr, "Cache-Control", cc);
	}
	/* Also on 304s, errors and redirects: every HTML response has them. */
	for (size_t i = 0; i < (html ? N_SECURITY_HEADERS : 1); i++)
		if (!srv_has_header(rs, SECURITY_HEADERS[i][0]))
			srv_put_header(mr, SECURITY_HEADERS[i][0], SECURITY_HEADERS[i][1]);
	for (size_t i = 0; i < rs->nheaders; i++) {
		const char *k = rs->headers[i].key;
		if (!k || reserved_header(k))
			continue;
		srv_add_header(mr, k, rs->headers[i].val);
	}
}

void srv_security_headers_from(struct MHD_Response *mr, struct MHD_Response *from)
{
	for (size_t i = 0; i < N_SECURITY_HEADERS; i++) {
		const char *v = MHD_get_response_header(from, SECURITY_HEADERS[i][0]);
		if (v)
			srv_add_header(mr, SECURITY_HEADERS[i][0], v);
	}
}
