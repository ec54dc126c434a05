/* crypto.c - the only libsodium user: password hashing and random bytes. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "auth/random.h"

static int ready(void)
{
	return sodium_init() >= 0;
}

enum err password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	size_t n = strlen(password);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		return ERR_INVALID;
	if (!ready())
		return ERR_NOMEM;
	_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
	/* "interactive" limits: ~64 MiB, fast enough for a login request. */
	if (crypto_pwhash_str_alg(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ERR_NOMEM;
	return ERR_OK;
}

bool password_verify(const char *hash, const char *password)
{
	if (!hash || !*hash || !ready())
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void random_bytes(void *buf, size_t n)
{
	if (!ready())
		abort(); /* libsodium cannot start: no safe randomness at all */
	randombytes_buf(buf, n);
}
