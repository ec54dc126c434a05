/* image.c - the libvips wrapper (see image.h): load with errors fatal,
 * decode once into memory, re-encode stripped, make narrower variants. */
#include "media/image.h"

#include <stdio.h>
#include <string.h>

#include <vips/vips.h>

static void drop_warning(const gchar *domain, GLogLevelFlags level, const gchar *msg,
			 gpointer ud)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)ud;
}

enum err image_init(const char *argv0)
{
	if (VIPS_INIT(argv0 ? argv0 : "gazette"))
		return ERR_IO;
	vips_block_untrusted_set(TRUE); /* we only load our four formats anyway */
	/* Its warnings ("not enough data") repeat what the failed call
	 * reports; the upload's answer carries the reason instead. */
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, drop_warning, NULL);
	vips_cache_set_max(0);          /* uploads are one-offs: keep nothing */
	return ERR_OK;
}

void image_shutdown(void)
{
	vips_shutdown();
}

static void vips_why(char *errmsg, size_t errlen, const char *what)
{
	const char *e = vips_error_buffer();
	char first[200];
	size_t n = strcspn(e ? e : "", "\n");
	if (n >= sizeof first)
		n = sizeof first - 1;
	memcpy(first, e ? e : "", n);
	first[n] = '\0';
	snprintf(errmsg, errlen, "%s%s%s", what, *first ? ": " : "", first);
	vips_error_clear();
}

static int load(const unsigned char *data, size_t len, enum media_kind kind, VipsImage **out)
{
	void *buf = (void *)data; /* libvips reads it and does not keep it */
	switch (kind) {
	case MEDIA_JPEG:
		return vips_jpegload_buffer(buf, len, out, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	case MEDIA_PNG:
		return vips_pngload_buffer(buf, len, out, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	case MEDIA_GIF:
		return vips_gifload_buffer(buf, len, out, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	case MEDIA_WEBP:
		return vips_webpload_buffer(buf, len, out, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	default: return -1;
	}
}

static int save(VipsImage *im, enum media_kind kind, struct image_encoded *e)
{
	void *buf = NULL;
	size_t len = 0;
	int rc;
	switch (kind) {
	case MEDIA_JPEG:
		rc = vips_jpegsave_buffer(im, &buf, &len, "Q", 85, "strip", TRUE, NULL);
		break;
	case MEDIA_WEBP:
		rc = vips_webpsave_buffer(im, &buf, &len, "Q", 85, "strip", TRUE, NULL);
		break;
	default:
		kind = MEDIA_PNG;
		rc = vips_pngsave_buffer(im, &buf, &len, "strip", TRUE, NULL);
		break;
	}
	if (rc) {
		g_free(buf);
		return rc;
	}
	e->data = buf;
	e->len = len;
	e->width = vips_image_get_width(im);
	e->height = vips_image_get_height(im);
	e->kind = kind;
	return 0;
}

enum err image_process(const unsigned char *data, size_t len, enum media_kind kind,
		       const int *widths, size_t nwidths, struct image_result *out,
		       char *errmsg, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (errlen)
		errmsg[0] = '\0';
	VipsImage *in = NULL, *up = NULL, *mem = NULL;
	enum err rc = ERR_INVALID;
	if (load(data, len, kind, &in)) {
		vips_why(errmsg, errlen, "the image cannot be read");
		goto out;
	}
	int w = vips_image_get_width(in), h = vips_image_get_height(in);
	if (w <= 0 || h <= 0 || (long)w * (long)h > IMAGE_MAX_PIXELS) {
		snprintf(errmsg, errlen, "the image is too large (%d x %d pixels; at most %ld)", w,
			 h, IMAGE_MAX_PIXELS);
		rc = ERR_LIMIT;
		goto out;
	}
	if (vips_autorot(in, &up, NULL)) {
		vips_why(errmsg, errlen, "the image cannot be turned upright");
		goto out;
	}
	/* Decoding every pixel here is what finds a truncated file. */
	mem = vips_image_copy_memory(up);
	if (!mem) {
		vips_why(errmsg, errlen, "the image is truncated or damaged");
		goto out;
	}
	w = vips_image_get_width(mem);
	if (kind == MEDIA_GIF) {
		out->full.width = w;
		out->full.height = vips_image_get_height(mem);
		out->full.kind = MEDIA_GIF;
	} else if (save(mem, kind, &out->full)) {
		vips_why(errmsg, errlen, "the image cannot be encoded");
		rc = ERR_IO;
		goto out;
	}
	for (size_t i = 0; i < nwidths && out->nvariants < IMAGE_MAX_VARIANTS; i++) {
		if (widths[i] <= 0 || widths[i] >= w)
			continue;
		VipsImage *t = NULL;
		int bad = vips_thumbnail_image(mem, &t, widths[i], "height", VIPS_MAX_COORD, "size",
					       VIPS_SIZE_DOWN, NULL);
		if (!bad)
			bad = save(t, kind == MEDIA_GIF ? MEDIA_PNG : kind,
				   &out->variants[out->nvariants]);
		if (t)
			g_object_unref(t);
		if (bad) {
			vips_why(errmsg, errlen, "a resized copy cannot be made");
			rc = ERR_IO;
			goto out;
		}
		out->nvariants++;
	}
	rc = ERR_OK;
out:
	if (mem)
		g_object_unref(mem);
	if (up)
		g_object_unref(up);
	if (in)
		g_object_unref(in);
	if (rc != ERR_OK)
		image_result_free(out);
	return rc;
}

void image_result_free(struct image_result *r)
{
	g_free(r->full.data);
	for (size_t i = 0; i < r->nvariants; i++)
		g_free(r->variants[i].data);
	memset(r, 0, sizeof *r);
}
