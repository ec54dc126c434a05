/* password.h - argon2id password hashing (libsodium, via crypto.c). */
#ifndef GAZETTE_AUTH_PASSWORD_H
#define GAZETTE_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024
#define PASSWORD_HASH_MAX 128

/* Hash into out (an argon2id "$argon2id$..." string). ERR_INVALID when the
 * password is shorter than PASSWORD_MIN or longer than PASSWORD_MAX. */
enum err password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* Constant-time check; false for an empty or malformed hash. */
bool password_verify(const char *hash, const char *password);

#endif
