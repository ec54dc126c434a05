/* media.c - uploads into the media library, and deleting from it (see
 * media.h). Files are written to a temporary name and linked into place
 * (link() never replaces an existing file, like O_EXCL), then the rows are
 * added; on any failure the files written so far are removed. */
#include "media/media.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/random.h"
#include "core/log.h"
#include "core/str.h"
#include "media/image.h"
#include "media/sniff.h"

const char *media_url(struct arena *a, const char *path)
{
	return arena_printf(a, "/media/%s", path);
}

const char *media_file_path(struct arena *a, const char *media_dir, const char *path)
{
	return arena_printf(a, "%s/%s", media_dir, path);
}

enum err media_dir_check(const char *dir, bool create, char *errmsg, size_t errlen)
{
	struct stat sb;
	if (stat(dir, &sb) != 0) {
		int e = errno;
		if (e == ENOENT && create && mkdir(dir, 0755) == 0)
			return media_dir_check(dir, false, errmsg, errlen);
		snprintf(errmsg, errlen, "media_dir %s: %s", dir, strerror(e));
		return ERR_IO;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(errmsg, errlen, "media_dir %s: not a folder", dir);
		return ERR_IO;
	}
	/* Writable for real (a read-only mount, or root squashed by NFS, is
	 * not told by the mode bits): a file made and removed again. */
	char probe[1200];
	if ((size_t)snprintf(probe, sizeof probe, "%s/.gazette-probe-XXXXXX", dir) >= sizeof probe) {
		snprintf(errmsg, errlen, "media_dir %s: path too long", dir);
		return ERR_IO;
	}
	int fd = mkstemp(probe);
	if (fd < 0) {
		snprintf(errmsg, errlen, "media_dir %s: cannot write there: %s", dir,
			 strerror(errno));
		return ERR_IO;
	}
	close(fd);
	unlink(probe);
	return ERR_OK;
}

static bool mkdirs(const char *dir)
{
	char p[2048];
	if (str_copy(p, dir, sizeof p) >= sizeof p)
		return false;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return false;
		*s = '/';
	}
	return mkdir(p, 0755) == 0 || errno == EEXIST;
}

/* Write data to dir/name without ever replacing a file: a temporary file
 * first, then link() to the final name. */
static enum err write_new(struct arena *a, const char *dir, const char *name,
			  const void *data, size_t len)
{
	char *tmp = arena_printf(a, "%s/.upload-XXXXXX", dir);
	const char *final = arena_printf(a, "%s/%s", dir, name);
	if (!tmp || !final)
		return ERR_NOMEM;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return ERR_IO;
	const char *p = data;
	size_t left = len;
	bool ok = fchmod(fd, 0644) == 0;
	while (ok && left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		if (ok) {
			p += w;
			left -= (size_t)w;
		}
	}
	ok = fsync(fd) == 0 && ok;
	ok = close(fd) == 0 && ok;
	enum err rc = ERR_OK;
	if (!ok)
		rc = ERR_IO;
	else if (link(tmp, final) != 0)
		rc = errno == EEXIST ? ERR_CONFLICT : ERR_IO;
	unlink(tmp);
	return rc;
}

/* "harbour-view" from "Harbour View.JPG" (at most MEDIA_NAME_MAX bytes,
 * "image" when nothing usable is left). */
static const char *base_slug(struct arena *a, const char *filename)
{
	const char *f = filename ? filename : "";
	const char *slash = strrchr(f, '/'), *bslash = strrchr(f, '\\');
	if (slash)
		f = slash + 1;
	if (bslash && bslash + 1 > f)
		f = bslash + 1;
	const char *dot = strrchr(f, '.');
	char *stem = arena_strndup(a, f, dot && dot > f ? (size_t)(dot - f) : strlen(f));
	char *slug = stem && str_utf8_valid(stem, strlen(stem)) ? str_slugify(a, stem) : NULL;
	if (!slug || !*slug)
		return "image";
	size_t n = strlen(slug);
	if (n > MEDIA_NAME_MAX) {
		n = MEDIA_NAME_MAX;
		while (n > 1 && slug[n - 1] == '-')
			n--;
		slug[n] = '\0';
	}
	return slug;
}

enum err media_upload(struct store *st, struct arena *a, const char *media_dir,
		      const char *filename, const unsigned char *data, size_t len,
		      int64_t user_id, int64_t now, int64_t *id, char *errmsg, size_t errlen)
{
	enum media_kind kind = media_sniff(data, len);
	if (kind == MEDIA_UNKNOWN) {
		snprintf(errmsg, errlen, "not a JPEG, PNG, GIF or WebP image");
		return ERR_INVALID;
	}
	static const int widths[] = MEDIA_WIDTHS;
	struct image_result img;
	enum err rc = image_process(data, len, kind, widths, sizeof widths / sizeof widths[0],
				    &img, errmsg, errlen);
	if (rc != ERR_OK)
		return rc;

	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	const char *sub = arena_printf(a, "%04d/%02d", tm.tm_year + 1900, tm.tm_mon + 1);
	const char *dir = sub ? media_file_path(a, media_dir, sub) : NULL;
	unsigned char rnd[4];
	random_bytes(rnd, sizeof rnd);
	const char *stem = arena_printf(a, "%s-%02x%02x%02x%02x", base_slug(a, filename), rnd[0],
					rnd[1], rnd[2], rnd[3]);
	if (!dir || !stem) {
		image_result_free(&img);
		return ERR_NOMEM;
	}
	if (!mkdirs(dir)) {
		log_error("media: cannot create %s: %s", dir, strerror(errno));
		snprintf(errmsg, errlen, "the media folder cannot be written");
		image_result_free(&img);
		return ERR_IO;
	}
	const char *ext = media_kind_ext(kind);
	struct media m = {
		.path = arena_printf(a, "%s/%s.%s", sub, stem, ext),
		.orig_name = filename && str_utf8_valid(filename, strlen(filename)) ? filename : "",
		.mime = media_kind_mime(kind),
		.width = img.full.width,
		.height = img.full.height,
		.bytes = (int64_t)(img.full.data ? img.full.len : len),
		.alt = "",
		.uploaded_at = now,
		.user_id = user_id,
	};
	if (strlen(m.orig_name) > 255)
		m.orig_name = arena_strndup(a, m.orig_name, 255);
	m.variants = ARENA_ARRAY(a, struct media_variant, img.nvariants + 1);
	const char **written = ARENA_ARRAY(a, const char *, img.nvariants + 2);
	size_t nwritten = 0;
	if (!m.path || !m.variants || !written || !m.orig_name) {
		image_result_free(&img);
		return ERR_NOMEM;
	}
	rc = write_new(a, dir, strrchr(m.path, '/') + 1, img.full.data ? img.full.data : data,
		       (size_t)m.bytes);
	if (rc == ERR_OK)
		written[nwritten++] = m.path;
	for (size_t i = 0; rc == ERR_OK && i < img.nvariants; i++) {
		const struct image_encoded *e = &img.variants[i];
		struct media_variant *v = &m.variants[m.nvariants];
		const char *vext = media_kind_ext(e->kind);
		v->width = e->width;
		v->height = e->height;
		v->bytes = (int64_t)e->len;
		v->mime = media_kind_mime(e->kind);
		v->path = arena_printf(a, "%s/%s-%dw.%s", sub, stem, e->width, vext);
		if (!v->path) {
			rc = ERR_NOMEM;
			break;
		}
		rc = write_new(a, dir, strrchr(v->path, '/') + 1, e->data, e->len);
		if (rc == ERR_OK) {
			written[nwritten++] = v->path;
			m.nvariants++;
		}
	}
	image_result_free(&img);
	if (rc == ERR_OK)
		rc = STORE_CALL(st, media_add, &m, id);
	if (rc != ERR_OK) {
		for (size_t i = 0; i < nwritten; i++) {
			const char *f = media_file_path(a, media_dir, written[i]);
			if (f)
				unlink(f);
		}
		if (!*errmsg)
			snprintf(errmsg, errlen, "the upload could not be stored (%s)", err_str(rc));
		if (rc == ERR_CONFLICT) /* a name taken twice by chance */
			rc = ERR_IO;
	}
	return rc;
}

enum err media_users(struct store *st, struct arena *a, const struct media *m,
		     struct post **users, size_t *n)
{
	/* the URL without its extension also matches the variants' URLs */
	const char *url = media_url(a, m->path);
	const char *dot = url ? strrchr(url, '.') : NULL;
	const char *needle = dot ? arena_strndup(a, url, (size_t)(dot - url)) : url;
	if (!needle)
		return ERR_NOMEM;
	return STORE_CALL(st, media_usage, a, m->id, needle, users, n);
}

enum err media_delete(struct store *st, struct arena *a, const char *media_dir, int64_t id,
		      struct post **users, size_t *n, char *errmsg, size_t errlen)
{
	*users = NULL;
	*n = 0;
	struct media m;
	enum err rc = STORE_CALL(st, media_get, a, id, &m);
	if (rc != ERR_OK)
		return rc;
	if ((rc = media_users(st, a, &m, users, n)) != ERR_OK)
		return rc;
	if (*n > 0) {
		snprintf(errmsg, errlen, "%s is used by %zu post%s", m.path, *n, *n == 1 ? "" : "s");
		return ERR_CONFLICT;
	}
	if ((rc = STORE_CALL(st, media_delete, id)) != ERR_OK)
		return rc;
	/* the rows are gone, so nothing serves these files any more */
	for (size_t i = 0; i <= m.nvariants; i++) {
		const char *p = i < m.nvariants ? m.variants[i].path : m.path;
		const char *f = media_file_path(a, media_dir, p);
		if (f && unlink(f) != 0 && errno != ENOENT)
			log_warn("media: cannot remove %s: %s", f, strerror(errno));
	}
	return ERR_OK;
}
