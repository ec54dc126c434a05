/* secret.h - the site's signing key (HMAC for comment form tokens, later
 * session and CSRF tokens), kept in the file gazette.conf's `secrets` names.
 *
 * The file holds 64 hex digits (32 random bytes) and a newline, mode 0600.
 * Several web nodes of one site must share it (a shared file or a copy). */
#ifndef GAZETTE_AUTH_SECRET_H
#define GAZETTE_AUTH_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define SECRET_BYTES 32

/* Read the key at path. When the file does not exist and create is set,
 * make a new random one first (exclusively: a racing creator wins and its
 * key is read). On failure errmsg says why (unreadable, malformed). */
enum err secret_load(const char *path, bool create, unsigned char key[SECRET_BYTES],
		     char *errmsg, size_t errlen);

/* HMAC-SHA-256 of msg under key, as 64 lowercase hex digits plus NUL. */
void secret_sign(const unsigned char key[SECRET_BYTES], const char *msg, size_t len,
		 char out[65]);
/* Constant-time comparison of two NUL-terminated strings of equal length. */
bool secret_equal(const char *a, const char *b);

#endif
