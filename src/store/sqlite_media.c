/* sqlite_media.c - the media library (uploaded images and their resized
 * variants) in the SQLite backend. Files live on disk (media/media.c);
 * these are only their rows. */
#include <string.h>

#include "store/sqlite_int.h"

static void row_media(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct media *m = out;
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(s, 0);
	m->path = col_text(a, s, 1);
	m->orig_name = col_text(a, s, 2);
	m->mime = col_text(a, s, 3);
	m->width = sqlite3_column_int64(s, 4);
	m->height = sqlite3_column_int64(s, 5);
	m->bytes = sqlite3_column_int64(s, 6);
	m->alt = col_text(a, s, 7);
	m->uploaded_at = sqlite3_column_int64(s, 8);
	m->user_id = sqlite3_column_int64(s, 9);
	m->user_name = col_text(a, s, 10);
}

static void row_variant(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct media_variant *v = out;
	v->width = sqlite3_column_int64(s, 0);
	v->height = sqlite3_column_int64(s, 1);
	v->bytes = sqlite3_column_int64(s, 2);
	v->path = col_text(a, s, 3);
	v->mime = col_text(a, s, 4);
}

static enum err variants(struct store *st, struct arena *a, struct media *m)
{
	return sq_all(st, a, S_MEDIA_VARIANTS, SQ_ARGS(SQ_I(m->id)), row_variant,
		      sizeof *m->variants, (void **)&m->variants, &m->nvariants);
}

enum err sqd_media_add(struct store *st, const struct media *m, int64_t *id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	int64_t mid = 0;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK)
		rc = sq_run(st, c, S_MEDIA_ADD,
			 SQ_ARGS(SQ_T(m->path), SQ_T(m->orig_name ? m->orig_name : ""),
				 SQ_T(m->mime), SQ_I(m->width), SQ_I(m->height), SQ_I(m->bytes),
				 SQ_T(m->alt ? m->alt : ""), SQ_I(m->uploaded_at),
				 SQ_I(m->user_id)));
	if (rc == ERR_OK)
		mid = sqlite3_last_insert_rowid(c->db);
	for (size_t i = 0; rc == ERR_OK && i < m->nvariants; i++) {
		const struct media_variant *v = &m->variants[i];
		rc = sq_run(st, c, S_MEDIA_VARIANT_ADD,
			 SQ_ARGS(SQ_I(mid), SQ_I(v->width), SQ_I(v->height), SQ_I(v->bytes),
				 SQ_T(v->path), SQ_T(v->mime)));
	}
	/* "add": no page shows a new medium yet (site/purge.c) */
	if (rc == ERR_OK)
		rc = sq_change(st, c, "media", mid, "add");
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	if (rc == ERR_OK && id)
		*id = mid;
	return rc;
}

enum err sqd_media_get(struct store *st, struct arena *a, int64_t id, struct media *out)
{
	enum err rc = sq_one(st, a, S_MEDIA_GET, SQ_ARGS(SQ_I(id)), row_media, out);
	return rc == ERR_OK ? variants(st, a, out) : rc;
}

static void row_count(struct arena *a, sqlite3_stmt *s, void *out)
{
	(void)a;
	*(int64_t *)out = sqlite3_column_int64(s, 0);
}

enum err sqd_media_list(struct store *st, struct arena *a, int64_t offset, int64_t limit,
			struct media **out, size_t *n, int64_t *total)
{
	enum err rc = sq_all(st, a, S_MEDIA_LIST, SQ_ARGS(SQ_I(limit > 0 ? limit : -1), SQ_I(offset)),
			     row_media, sizeof **out, (void **)out, n);
	for (size_t i = 0; rc == ERR_OK && i < *n; i++)
		rc = variants(st, a, &(*out)[i]);
	if (rc == ERR_OK && total) {
		*total = 0;
		rc = sq_one(st, a, S_MEDIA_COUNT, NULL, 0, row_count, total);
	}
	return rc;
}

static void row_text(struct arena *a, sqlite3_stmt *s, void *out)
{
	*(const char **)out = col_text(a, s, 0);
}

enum err sqd_media_file(struct store *st, struct arena *a, const char *path, const char **mime)
{
	*mime = NULL;
	return sq_one(st, a, S_MEDIA_FILE, SQ_ARGS(SQ_T(path)), row_text, mime);
}

enum err sqd_media_set_alt(struct store *st, int64_t id, const char *alt)
{
	return sq_write(st, S_MEDIA_SET_ALT, SQ_ARGS(SQ_I(id), SQ_T(alt)), SQ_MUST_CHANGE,
			"media", id, "", NULL);
}

enum err sqd_media_delete(struct store *st, int64_t id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK)
		rc = sq_run(st, c, S_MEDIA_DELETE_VARIANTS, SQ_ARGS(SQ_I(id)));
	if (rc == ERR_OK)
		rc = sq_run(st, c, S_MEDIA_DELETE, SQ_ARGS(SQ_I(id)));
	if (rc == ERR_OK && sqlite3_changes(c->db) == 0)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK)
		rc = sq_change(st, c, "media", id, "");
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	return rc;
}

enum err sqd_media_usage(struct store *st, struct arena *a, int64_t id, const char *needle,
			 struct post **out, size_t *n)
{
	return sq_all(st, a, S_MEDIA_USAGE, SQ_ARGS(SQ_I(id), SQ_T(needle)), row_post,
		      sizeof **out, (void **)out, n);
}
