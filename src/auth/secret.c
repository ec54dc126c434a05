/* secret.c - the signing key file and HMAC helpers (libsodium). */
#include "auth/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum err create_key(const char *path, char *errmsg, size_t errlen)
{
	if (sodium_init() < 0) {
		snprintf(errmsg, errlen, "libsodium failed to start");
		return ERR_IO;
	}
	unsigned char key[SECRET_BYTES];
	char hex[2 * SECRET_BYTES + 2];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	sodium_memzero(key, sizeof key);
	size_t n = strlen(hex);
	hex[n++] = '\n';
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return ERR_OK; /* someone else made it: read theirs */
		snprintf(errmsg, errlen, "cannot create %s: %s", path, strerror(errno));
		return ERR_IO;
	}
	bool ok = write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
	sodium_memzero(hex, sizeof hex);
	if (close(fd) != 0 || !ok) {
		snprintf(errmsg, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(path);
		return ERR_IO;
	}
	return ERR_OK;
}

enum err secret_load(const char *path, bool create, unsigned char key[SECRET_BYTES],
		     char *errmsg, size_t errlen)
{
	if (create && access(path, F_OK) != 0 && errno == ENOENT) {
		enum err rc = create_key(path, errmsg, errlen);
		if (rc != ERR_OK)
			return rc;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(errmsg, errlen, "cannot read the secrets file %s: %s", path,
			 strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
	}
	char hex[2 * SECRET_BYTES + 8];
	ssize_t n = read(fd, hex, sizeof hex - 1);
	close(fd);
	if (n < 0)
		n = 0;
	hex[n] = '\0';
	while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == '\r'))
		hex[--n] = '\0';
	size_t got = 0;
	if (n != 2 * SECRET_BYTES ||
	    sodium_hex2bin(key, SECRET_BYTES, hex, (size_t)n, NULL, &got, NULL) != 0 ||
	    got != SECRET_BYTES) {
		sodium_memzero(hex, sizeof hex);
		snprintf(errmsg, errlen, "%s: expected %d hex digits on one line", path,
			 2 * SECRET_BYTES);
		return ERR_INVALID;
	}
	sodium_memzero(hex, sizeof hex);
	return ERR_OK;
}

/* The HMAC state after the key, kept per thread: HMAC-SHA256 spends half
 * its work on the key's two padded blocks, the same for every message (a
 * comment form's token is signed on every uncached article). */
static _Thread_local struct {
	bool set;
	unsigned char key[SECRET_BYTES];
	crypto_auth_hmacsha256_state st;
} keyed;

void secret_sign(const unsigned char key[SECRET_BYTES], const char *msg, size_t len,
		 char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	if (!keyed.set || memcmp(keyed.key, key, SECRET_BYTES) != 0) {
		memcpy(keyed.key, key, SECRET_BYTES);
		crypto_auth_hmacsha256_init(&keyed.st, key, SECRET_BYTES);
		keyed.set = true;
	}
	crypto_auth_hmacsha256_state st = keyed.st;
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof st);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

bool secret_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
