/* media.h - the media library's rules: taking an upload (type from its
 * bytes, decoded in full, metadata stripped, resized variants), where the
 * files live, and deleting (refused while a post uses the medium).
 *
 * Files live under the media folder (gazette.conf's media_dir, default
 * SITE/media) as YYYY/MM/<slug-of-name>-<8 hex>.<ext>, the variants next
 * to them as ...-<width>w.<ext>; the store records each path relative to
 * that folder. Served at /media/<path> (site/media.c). Several nodes share
 * one folder (a shared mount): names are random and files are linked into
 * place, never overwritten. Strings returned live in the arena passed in. */
#ifndef GAZETTE_MEDIA_MEDIA_H
#define GAZETTE_MEDIA_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/* Widths of the resized variants (only those narrower than the image). */
#define MEDIA_WIDTHS {320, 768, 1280}
#define MEDIA_NAME_MAX 60 /* bytes of the slug taken from the file name */
#define MEDIA_ALT_MAX 500

/* Store an upload under media_dir. data must be an image media_sniff()
 * recognises (check that first: the caller answers 415 otherwise).
 * ERR_INVALID: empty, truncated or undecodable; ERR_LIMIT: too many pixels;
 * ERR_IO: cannot write under media_dir. errmsg says why. */
enum err media_upload(struct store *st, struct arena *a, const char *media_dir,
		      const char *filename, const unsigned char *data, size_t len,
		      int64_t user_id, int64_t now, int64_t *id, char *errmsg, size_t errlen);

/* Delete a medium and its files. ERR_CONFLICT while posts use it: *users
 * (n of them) names them and errmsg says so. */
enum err media_delete(struct store *st, struct arena *a, const char *media_dir, int64_t id,
		      struct post **users, size_t *n, char *errmsg, size_t errlen);

/* Posts using the medium (featured image, or its URL in the body). */
enum err media_users(struct store *st, struct arena *a, const struct media *m,
		     struct post **users, size_t *n);

/* "/media/<path>" */
const char *media_url(struct arena *a, const char *path);
/* The file of a stored path: "MEDIA_DIR/<path>" (path must come from the
 * store, never from a request). */
const char *media_file_path(struct arena *a, const char *media_dir, const char *path);

/* Is dir a folder this process can write files into (tried: a file made
 * and removed)? With create, a missing dir (not its parents) is made
 * first. ERR_IO and "media_dir DIR: why" in errmsg otherwise. */
enum err media_dir_check(const char *dir, bool create, char *errmsg, size_t errlen);

#endif
