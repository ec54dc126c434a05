/* session.h - back-office sessions: a random token in an HttpOnly cookie,
 * stored on the server only as its SHA-256, with idle and absolute expiry,
 * and a per-session CSRF token for every state-changing request. */
#ifndef GAZETTE_AUTH_SESSION_H
#define GAZETTE_AUTH_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

#define SESSION_COOKIE "gz_session"
#define SESSION_TOKEN_HEX 64

struct session_limits {
	int64_t idle;    /* seconds without a request */
	int64_t max_age; /* seconds since sign-in */
};

/* Start a session for user_id; token gets the cookie value, csrf the
 * session's CSRF token (both 64 hex digits). */
enum err session_start(struct store *st, int64_t user_id, const char *ip, int64_t now,
		       const struct session_limits *lim, char token[SESSION_TOKEN_HEX + 1],
		       char csrf[SESSION_TOKEN_HEX + 1]);
/* The live session and its user for a cookie token: ERR_DENIED when unknown,
 * expired (and then deleted) or its user can no longer sign in. Touches
 * seen_at at most once a minute. */
enum err session_check(struct store *st, struct arena *a, const char *token, int64_t now,
		       const struct session_limits *lim, struct session *out, struct user *user);
enum err session_end(struct store *st, const char *token);
/* Constant-time comparison of a submitted CSRF token with the session's. */
bool session_csrf_ok(const struct session *s, const char *submitted);

#endif
