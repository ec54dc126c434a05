/* sniff.c - image type detection from magic bytes (see sniff.h). */
#include "media/sniff.h"

#include <string.h>

static const struct {
	const char *mime, *ext;
} kinds[MEDIA_KIND__MAX] = {
	[MEDIA_UNKNOWN] = {NULL, NULL},
	[MEDIA_JPEG] = {"image/jpeg", "jpg"},
	[MEDIA_PNG] = {"image/png", "png"},
	[MEDIA_GIF] = {"image/gif", "gif"},
	[MEDIA_WEBP] = {"image/webp", "webp"},
};

enum media_kind media_sniff(const unsigned char *p, size_t n)
{
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
	if (!p)
		return MEDIA_UNKNOWN;
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return MEDIA_JPEG;
	if (n >= sizeof png && memcmp(p, png, sizeof png) == 0)
		return MEDIA_PNG;
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return MEDIA_GIF;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return MEDIA_WEBP;
	return MEDIA_UNKNOWN;
}

const char *media_kind_mime(enum media_kind k)
{
	return k > MEDIA_UNKNOWN && k < MEDIA_KIND__MAX ? kinds[k].mime : NULL;
}

const char *media_kind_ext(enum media_kind k)
{
	return k > MEDIA_UNKNOWN && k < MEDIA_KIND__MAX ? kinds[k].ext : NULL;
}

enum media_kind media_kind_of_ext(const char *ext)
{
	for (int k = MEDIA_UNKNOWN + 1; ext && k < MEDIA_KIND__MAX; k++)
		if (strcmp(ext, kinds[k].ext) == 0)
			return (enum media_kind)k;
	return MEDIA_UNKNOWN;
}
