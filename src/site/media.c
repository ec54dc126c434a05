/* media.c - uploaded images at /media/YYYY/MM/name.ext: only files the
 * media library records (an original or one of its variants) are served,
 * found by looking the whole path up in the store (a request path is never
 * joined to a folder before that lookup succeeds; stored paths are ours).
 * The names never change content, so they may be kept for a year. Read
 * from disk on every request and not put in the page cache (it holds
 * pages; images gain nothing from its compression). */
#include <stdio.h>
#include <string.h>

#include "http/app.h"
#include "media/media.h"
#include "site/site.h"

#define MEDIA_FILE_MAX ((size_t)64 << 20)

enum err site_media(struct req *r, struct resp *rs)
{
	const char *path = r->params[0];
	const char *mime = NULL;
	enum err rc = STORE_CALL(r->app->store, media_file, r->arena, path, &mime);
	if (rc != ERR_OK)
		return rc;
	const char *file = media_file_path(r->arena, r->app->config->media_dir, path);
	if (!file)
		return ERR_NOMEM;
	FILE *f = fopen(file, "rb");
	if (!f)
		return ERR_NOTFOUND; /* recorded but gone from disk */
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (rs->body.len + n > MEDIA_FILE_MAX ||
		    buf_append(&rs->body, chunk, n) != ERR_OK) {
			fclose(f);
			return ERR_NOMEM;
		}
	}
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad)
		return ERR_IO;
	rs->content_type = mime;
	rs->etag = path; /* a stored file's name changes whenever its bytes would */
	rs->cache_control = "public, max-age=31536000, immutable";
	rs->cacheable = false;
	return ERR_OK;
}
