/* random.h - unpredictable bytes from libsodium (auth/crypto.c), for
 * names that must not be guessed (upload file names, ...). */
#ifndef GAZETTE_AUTH_RANDOM_H
#define GAZETTE_AUTH_RANDOM_H

#include <stddef.h>

void random_bytes(void *buf, size_t n);

#endif
