/* sniff.h - what kind of image a buffer holds, from its first bytes (never
 * from a file name or a client's Content-Type).
 *
 * Pure functions over the caller's bytes; nothing to free. */
#ifndef GAZETTE_MEDIA_SNIFF_H
#define GAZETTE_MEDIA_SNIFF_H

#include <stddef.h>

enum media_kind { MEDIA_UNKNOWN, MEDIA_JPEG, MEDIA_PNG, MEDIA_GIF, MEDIA_WEBP, MEDIA_KIND__MAX };

/* JPEG FF D8 FF; PNG 89 50 4E 47 0D 0A 1A 0A; GIF87a / GIF89a;
 * WebP "RIFF" <4 bytes> "WEBP". Anything else (or too short): UNKNOWN. */
enum media_kind media_sniff(const unsigned char *p, size_t n);
/* "image/jpeg" ...; NULL for UNKNOWN. */
const char *media_kind_mime(enum media_kind k);
/* File extension without the dot ("jpg", "png", "gif", "webp"); NULL for
 * UNKNOWN. */
const char *media_kind_ext(enum media_kind k);
/* The kind of a stored file's extension (for serving); UNKNOWN if none. */
enum media_kind media_kind_of_ext(const char *ext);

#endif
