/* test_media.c - unit tests for src/media/: type detection from magic
 * bytes (sniff.c), and image.c on a tiny PNG made here with zlib-free
 * stored blocks: decoded, re-encoded, variants only narrower than the
 * original, a truncated copy refused; the media folder check (media.c).
 * libvips is started once (main) and
 * shut down at the end, as serve does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media/image.h"
#include "media/media.h"
#include "media/sniff.h"

static void test_sniff(void **state)
{
	(void)state;
	static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10};
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0};
	static const unsigned char badpng[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0b, 0};
	assert_int_equal(media_sniff(jpeg, sizeof jpeg), MEDIA_JPEG);
	assert_int_equal(media_sniff(jpeg, 2), MEDIA_UNKNOWN); /* too short */
	assert_int_equal(media_sniff(png, sizeof png), MEDIA_PNG);
	assert_int_equal(media_sniff(png, 7), MEDIA_UNKNOWN);
	assert_int_equal(media_sniff(badpng, sizeof badpng), MEDIA_UNKNOWN);
	assert_int_equal(media_sniff((const unsigned char *)"GIF87a..", 8), MEDIA_GIF);
	assert_int_equal(media_sniff((const unsigned char *)"GIF89a..", 8), MEDIA_GIF);
	assert_int_equal(media_sniff((const unsigned char *)"GIF88a..", 8), MEDIA_UNKNOWN);
	assert_int_equal(media_sniff((const unsigned char *)"RIFF\x10\0\0\0WEBPVP8 ", 16),
			 MEDIA_WEBP);
	assert_int_equal(media_sniff((const unsigned char *)"RIFF\x10\0\0\0WAVEfmt ", 16),
			 MEDIA_UNKNOWN);
	assert_int_equal(media_sniff((const unsigned char *)"RIFF\x10\0\0\0WEB", 11),
			 MEDIA_UNKNOWN);
	assert_int_equal(media_sniff((const unsigned char *)"MZ\x90\0", 4), MEDIA_UNKNOWN);
	assert_int_equal(media_sniff((const unsigned char *)"<svg xmlns=", 11), MEDIA_UNKNOWN);
	assert_int_equal(media_sniff((const unsigned char *)"", 0), MEDIA_UNKNOWN);
	assert_int_equal(media_sniff(NULL, 10), MEDIA_UNKNOWN);
	assert_string_equal(media_kind_mime(MEDIA_WEBP), "image/webp");
	assert_string_equal(media_kind_ext(MEDIA_JPEG), "jpg");
	assert_null(media_kind_mime(MEDIA_UNKNOWN));
	assert_int_equal(media_kind_of_ext("gif"), MEDIA_GIF);
	assert_int_equal(media_kind_of_ext("exe"), MEDIA_UNKNOWN);
}

static uint32_t crc_table[256];

static uint32_t crc(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static size_t chunk(unsigned char *out, const char *type, const unsigned char *d, size_t n)
{
	put32(out, (uint32_t)n);
	memcpy(out + 4, type, 4);
	if (n)
		memcpy(out + 8, d, n);
	put32(out + 8 + n, crc(out + 4, n + 4));
	return n + 12;
}

/* A w x h grey PNG whose zlib stream uses one stored (uncompressed)
 * block: no compressor needed. Returns its length; out must be big. */
static size_t tiny_png(unsigned char *out, uint32_t w, uint32_t h)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
	size_t n = 0;
	memcpy(out, sig, 8);
	n = 8;
	unsigned char ihdr[13];
	put32(ihdr, w);
	put32(ihdr + 4, h);
	ihdr[8] = 8; /* bit depth */
	ihdr[9] = 0; /* greyscale */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	n += chunk(out + n, "IHDR", ihdr, sizeof ihdr);
	size_t raw = (size_t)(w + 1) * h; /* a filter byte per row */
	unsigned char *z = malloc(raw + 11);
	size_t zn = 0;
	z[zn++] = 0x78;
	z[zn++] = 0x01;
	z[zn++] = 1; /* final stored block */
	z[zn++] = (unsigned char)(raw & 0xff);
	z[zn++] = (unsigned char)(raw >> 8);
	z[zn++] = (unsigned char)(~raw & 0xff);
	z[zn++] = (unsigned char)((~raw >> 8) & 0xff);
	uint32_t s1 = 1, s2 = 0;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x <= w; x++) {
			unsigned char v = x == 0 ? 0 : (unsigned char)((x * 3 + y) & 0xff);
			z[zn++] = v;
			s1 = (s1 + v) % 65521;
			s2 = (s2 + s1) % 65521;
		}
	put32(z + zn, (s2 << 16) | s1);
	zn += 4;
	n += chunk(out + n, "IDAT", z, zn);
	free(z);
	n += chunk(out + n, "IEND", NULL, 0);
	return n;
}

static void test_image(void **state)
{
	(void)state;
	static unsigned char png[70000];
	size_t n = tiny_png(png, 400, 100); /* 40,100 raw bytes: one stored block */
	assert_int_equal(media_sniff(png, n), MEDIA_PNG);
	static const int widths[] = {320, 768, 1280};
	struct image_result res;
	char msg[300];
	assert_int_equal(image_process(png, n, MEDIA_PNG, widths, 3, &res, msg, sizeof msg),
			 ERR_OK);
	assert_int_equal(res.full.width, 400);
	assert_int_equal(res.full.height, 100);
	assert_non_null(res.full.data);
	assert_int_equal(media_sniff(res.full.data, res.full.len), MEDIA_PNG);
	assert_int_equal(res.nvariants, 1); /* 768 and 1280 would be upscaled */
	assert_int_equal(res.variants[0].width, 320);
	assert_int_equal(res.variants[0].height, 80);
	assert_int_equal(res.variants[0].kind, MEDIA_PNG);
	image_result_free(&res);

	/* cut inside the pixel data: refused, with a reason */
	msg[0] = '\0';
	assert_int_equal(image_process(png, n / 2, MEDIA_PNG, widths, 3, &res, msg, sizeof msg),
			 ERR_INVALID);
	assert_true(msg[0] != '\0');
	assert_int_equal(res.nvariants, 0);
	/* bytes that only look like a PNG */
	assert_int_equal(image_process(png, 40, MEDIA_PNG, widths, 3, &res, msg, sizeof msg),
			 ERR_INVALID);
}

/* media_dir_check: a folder that takes files; a missing one is made only
 * when asked (the default), a missing or non-folder one is refused with
 * its name in the message; nothing is left behind by the probe. */
static void test_media_dir_check(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/gazette-media-test-XXXXXX";
	char *root = mkdtemp(tmpl);
	assert_non_null(root);
	char dir[256], file[256], msg[512] = "";
	snprintf(dir, sizeof dir, "%s/media", root);
	assert_int_equal(media_dir_check(dir, false, msg, sizeof msg), ERR_IO);
	assert_non_null(strstr(msg, dir));
	assert_int_equal(media_dir_check(dir, true, msg, sizeof msg), ERR_OK);
	struct stat sb;
	assert_int_equal(stat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(media_dir_check(dir, false, msg, sizeof msg), ERR_OK);
	assert_int_equal(rmdir(dir), 0); /* empty: the probe file is gone */
	snprintf(file, sizeof file, "%s/plain", root);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(media_dir_check(file, true, msg, sizeof msg), ERR_IO);
	assert_non_null(strstr(msg, "not a folder"));
	unlink(file);
	rmdir(root);
}

int main(void)
{
	if (image_init("test_media") != ERR_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_media_dir_check),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	image_shutdown();
	return rc;
}
