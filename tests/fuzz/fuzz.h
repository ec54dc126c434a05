/* fuzz.h - helpers shared by the libFuzzer harnesses in tests/fuzz/.
 *
 * Harnesses call the library API (never the CLI), one parser per file.
 * FUZZ_CHECK turns a broken invariant into a crash libFuzzer records, with
 * the input that caused it. */
#ifndef GAZETTE_TESTS_FUZZ_H
#define GAZETTE_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                    \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "fuzz invariant failed: %s (%s:%d): ", #cond, \
				__FILE__, __LINE__);                             \
			fprintf(stderr, __VA_ARGS__);                            \
			fputc('\n', stderr);                                     \
			abort();                                                 \
		}                                                                \
	} while (0)

/* A NUL-terminated malloc'd copy of data[0..n) (it may hold more NULs). */
static inline char *fuzz_cstr(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	if (n)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* Cut the next field off *p (ending at sep or at end): returns its start and
 * sets *len; *p moves past the separator. */
static inline const char *fuzz_field(const char **p, const char *end, char sep, size_t *len)
{
	const char *s = *p;
	const char *e = memchr(s, sep, (size_t)(end - s));
	if (!e)
		e = end;
	*len = (size_t)(e - s);
	*p = e < end ? e + 1 : end;
	return s;
}

/* Case-insensitive search for an ASCII needle (given in lower case). */
static inline int fuzz_has_ci(const char *h, const char *needle)
{
	size_t n = strlen(needle);
	for (; *h; h++) {
		size_t i = 0;
		while (i < n && h[i] &&
		       (h[i] >= 'A' && h[i] <= 'Z' ? h[i] + ('a' - 'A') : h[i]) == needle[i])
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

#endif
