/* image.h - decoding, checking and resizing uploaded images (image.c is
 * the only libvips user).
 *
 * image_init() once at start-up (serve, tests) before any other call;
 * image_shutdown() at exit. image_process() is safe from any thread.
 * Ownership: the buffers in a struct image_result belong to it until
 * image_result_free(). */
#ifndef GAZETTE_MEDIA_IMAGE_H
#define GAZETTE_MEDIA_IMAGE_H

#include <stddef.h>

#include "core/err.h"
#include "media/sniff.h"

#define IMAGE_MAX_PIXELS 40000000L /* refuse larger images (decompression bombs) */
#define IMAGE_MAX_VARIANTS 8

struct image_encoded {
	unsigned char *data; /* NULL for a result's `full` when the original is kept */
	size_t len;
	int width, height;
	enum media_kind kind;
};

struct image_result {
	struct image_encoded full; /* the whole image, metadata stripped */
	struct image_encoded variants[IMAGE_MAX_VARIANTS];
	size_t nvariants;
};

/* Start libvips (untrusted loaders blocked, no operation cache). */
enum err image_init(const char *argv0);
void image_shutdown(void);

/* Decode all of data (kind as sniffed) - a truncated or damaged file is
 * ERR_INVALID with the reason in errmsg; over IMAGE_MAX_PIXELS ERR_LIMIT -
 * turn it upright (EXIF orientation) and encode it again without metadata
 * (EXIF, GPS, XMP, ICC comments) as `full`, plus one variant per width in
 * widths[] smaller than the image's (never upscaled), in the same format;
 * GIF: `full` keeps the original bytes (data NULL; GIF carries no EXIF and
 * may be animated) and the variants, of the first frame, are PNG. */
enum err image_process(const unsigned char *data, size_t len, enum media_kind kind,
		       const int *widths, size_t nwidths, struct image_result *out,
		       char *errmsg, size_t errlen);
void image_result_free(struct image_result *r);

#endif
