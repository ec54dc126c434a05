/* pg_misc.c - the smaller parts of the PostgreSQL backend: post revisions,
 * the media library's rows (files live on disk, media/media.c), the import
 * map (src/import/), and the reads sitemaps need. */
#include <string.h>

#include "core/time.h"
#include "store/pg_int.h"

/* --- revisions ----------------------------------------------------------- */

static void row_revision(struct arena *a, const PGresult *r, int row, void *out)
{
	struct revision *rv = out;
	rv->id = pg_int(r, row, 0);
	rv->post_id = pg_int(r, row, 1);
	rv->user_id = pg_int(r, row, 2);
	rv->saved_at = pg_int(r, row, 3);
	rv->title = pg_text(a, r, row, 4);
	rv->excerpt = pg_text(a, r, row, 5);
	rv->body_md = pg_text(a, r, row, 6);
	rv->user_name = pg_text(a, r, row, 7);
}

enum err pgm_revision_add(struct store *st, const struct revision *r, int64_t *id)
{
	/* history, not something pages show: the row tells followers, purges
	 * nothing */
	return pg_write(st, G_REV_ADD,
			PG_ARGS(PG_I(r->post_id), PG_I(r->user_id),
				PG_I(r->saved_at ? r->saved_at : clock_now()), PG_T(r->title),
				PG_T(r->excerpt ? r->excerpt : ""),
				PG_T(r->body_md ? r->body_md : "")),
			PG_LOG_ROWID, "revision", 0, "", id);
}

/* Inside the caller's transaction: a revision of post_id as it now is. */
enum err pg_revision_of_post(struct store *st, struct pconn *c, int64_t post_id,
			     int64_t user_id, int64_t at)
{
	enum err rc = pg_exec(st, c, G_REV_OF_POST, PG_ARGS(PG_I(post_id), PG_I(user_id), PG_I(at)));
	if (rc == ERR_OK)
		rc = pg_change(st, c, "revision", c->last_id, "");
	return rc;
}

enum err pgm_revision_list(struct store *st, struct arena *a, int64_t post_id,
			   struct revision **out, size_t *n)
{
	return pg_all(st, a, G_REV_LIST, PG_ARGS(PG_I(post_id)), row_revision, sizeof **out,
		      (void **)out, n);
}

enum err pgm_revision_recent(struct store *st, struct arena *a, int64_t author_id,
			     int64_t limit, struct revision **out, size_t *n)
{
	return pg_all(st, a, G_REV_RECENT, PG_ARGS(PG_I(author_id), PG_I(limit)), row_revision,
		      sizeof **out, (void **)out, n);
}

enum err pgm_revision_get(struct store *st, struct arena *a, int64_t id, struct revision *out)
{
	memset(out, 0, sizeof *out);
	return pg_one(st, a, G_REV_GET, PG_ARGS(PG_I(id)), row_revision, out);
}

/* --- media --------------------------------------------------------------- */

static void row_media(struct arena *a, const PGresult *r, int row, void *out)
{
	struct media *m = out;
	memset(m, 0, sizeof *m);
	m->id = pg_int(r, row, 0);
	m->path = pg_text(a, r, row, 1);
	m->orig_name = pg_text(a, r, row, 2);
	m->mime = pg_text(a, r, row, 3);
	m->width = pg_int(r, row, 4);
	m->height = pg_int(r, row, 5);
	m->bytes = pg_int(r, row, 6);
	m->alt = pg_text(a, r, row, 7);
	m->uploaded_at = pg_int(r, row, 8);
	m->user_id = pg_int(r, row, 9);
	m->user_name = pg_text(a, r, row, 10);
}

static void row_variant(struct arena *a, const PGresult *r, int row, void *out)
{
	struct media_variant *v = out;
	v->width = pg_int(r, row, 0);
	v->height = pg_int(r, row, 1);
	v->bytes = pg_int(r, row, 2);
	v->path = pg_text(a, r, row, 3);
	v->mime = pg_text(a, r, row, 4);
}

static enum err variants(struct store *st, struct arena *a, struct media *m)
{
	return pg_all(st, a, G_MEDIA_VARIANTS, PG_ARGS(PG_I(m->id)), row_variant,
		      sizeof *m->variants, (void **)&m->variants, &m->nvariants);
}

enum err pgm_media_add(struct store *st, const struct media *m, int64_t *id)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	int64_t mid = 0;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK) {
		rc = pg_exec(st, c, G_MEDIA_ADD,
			     PG_ARGS(PG_T(m->path), PG_T(m->orig_name ? m->orig_name : ""),
				     PG_T(m->mime), PG_I(m->width), PG_I(m->height), PG_I(m->bytes),
				     PG_T(m->alt ? m->alt : ""), PG_I(m->uploaded_at),
				     PG_I(m->user_id)));
		mid = c->last_id;
	}
	for (size_t i = 0; rc == ERR_OK && i < m->nvariants; i++) {
		const struct media_variant *v = &m->variants[i];
		rc = pg_exec(st, c, G_MEDIA_VARIANT_ADD,
			     PG_ARGS(PG_I(mid), PG_I(v->width), PG_I(v->height), PG_I(v->bytes),
				     PG_T(v->path), PG_T(v->mime)));
	}
	/* "add": no page shows a new medium yet (site/purge.c) */
	if (rc == ERR_OK)
		rc = pg_change(st, c, "media", mid, "add");
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	if (rc == ERR_OK && id)
		*id = mid;
	return rc;
}

enum err pgm_media_get(struct store *st, struct arena *a, int64_t id, struct media *out)
{
	enum err rc = pg_one(st, a, G_MEDIA_GET, PG_ARGS(PG_I(id)), row_media, out);
	return rc == ERR_OK ? variants(st, a, out) : rc;
}

static void row_count(struct arena *a, const PGresult *r, int row, void *out)
{
	(void)a;
	*(int64_t *)out = pg_int(r, row, 0);
}

enum err pgm_media_list(struct store *st, struct arena *a, int64_t offset, int64_t limit,
			struct media **out, size_t *n, int64_t *total)
{
	enum err rc = pg_all(st, a, G_MEDIA_LIST,
			     PG_ARGS(limit > 0 ? PG_I(limit) : PG_NULL, PG_I(offset > 0 ? offset : 0)),
			     row_media, sizeof **out, (void **)out, n);
	for (size_t i = 0; rc == ERR_OK && i < *n; i++)
		rc = variants(st, a, &(*out)[i]);
	if (rc == ERR_OK && total) {
		*total = 0;
		rc = pg_one(st, a, G_MEDIA_COUNT, NULL, 0, row_count, total);
	}
	return rc;
}

static void row_text(struct arena *a, const PGresult *r, int row, void *out)
{
	*(const char **)out = pg_text(a, r, row, 0);
}

enum err pgm_media_file(struct store *st, struct arena *a, const char *path, const char **mime)
{
	*mime = NULL;
	return pg_one(st, a, G_MEDIA_FILE, PG_ARGS(PG_T(path)), row_text, mime);
}

enum err pgm_media_set_alt(struct store *st, int64_t id, const char *alt)
{
	return pg_write(st, G_MEDIA_SET_ALT, PG_ARGS(PG_I(id), PG_T(alt)), PG_MUST_CHANGE, "media",
			id, "", NULL);
}

enum err pgm_media_delete(struct store *st, int64_t id)
{
	return pg_write(st, G_MEDIA_DELETE, PG_ARGS(PG_I(id)), PG_MUST_CHANGE, "media", id, "",
			NULL);
}

enum err pgm_media_usage(struct store *st, struct arena *a, int64_t id, const char *needle,
			 struct post **out, size_t *n)
{
	return pg_all(st, a, G_MEDIA_USAGE, PG_ARGS(PG_I(id), PG_T(needle)), pg_row_post,
		      sizeof **out, (void **)out, n);
}

/* --- imports ------------------------------------------------------------- */

/* The map changes no page (old ?p=ID addresses are answered from it on
 * every request, outside the page cache): no change-log rows. */
enum err pgm_import_map_get(struct store *st, const char *source, const char *kind,
			    const char *wp_id, int64_t *id)
{
	struct arena a;
	arena_init(&a, 256);
	*id = 0;
	enum err rc = pg_one(st, &a, G_MAP_GET, PG_ARGS(PG_T(source), PG_T(kind), PG_T(wp_id)),
			     row_count, id);
	arena_free(&a);
	return rc;
}

enum err pgm_import_map_find(struct store *st, const char *kind, const char *wp_id, int64_t *id)
{
	struct arena a;
	arena_init(&a, 256);
	*id = 0;
	enum err rc = pg_one(st, &a, G_MAP_FIND, PG_ARGS(PG_T(kind), PG_T(wp_id)), row_count, id);
	arena_free(&a);
	return rc;
}

enum err pgm_import_map_set(struct store *st, const char *source, const char *kind,
			    const char *wp_id, int64_t id)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = pg_exec(st, c, G_MAP_SET,
			      PG_ARGS(PG_T(source), PG_T(kind), PG_T(wp_id), PG_I(id)));
	pg_conn_put(st, c);
	return rc;
}

/* --- sitemaps ------------------------------------------------------------ */

enum err pgm_post_each_public(struct store *st, enum post_type type, int64_t now,
			      int64_t offset, int64_t limit, post_each_fn each, void *ud)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc;
	/* One result holds the rows asked for (sitemaps ask for at most 50,000
	 * short rows); each() sees libpq's strings, no arena needed. */
	PGresult *r = pg_run(st, c, G_SITEMAP_EACH,
			     PG_ARGS(PG_T(post_type_name(type)), PG_I(now),
				     limit > 0 ? PG_I(limit) : PG_NULL, PG_I(offset > 0 ? offset : 0)),
			     &rc);
	for (int i = 0; r && i < PQntuples(r); i++) {
		struct post p = {0};
		p.id = pg_int(r, i, 0);
		p.type = type;
		p.status = POST_PUBLISHED;
		p.slug = PQgetvalue(r, i, 1);
		p.published_at = pg_int(r, i, 2);
		p.updated_at = pg_int(r, i, 3);
		p.parent_id = pg_int(r, i, 4);
		p.category_path = pg_null(r, i, 5) ? NULL : PQgetvalue(r, i, 5);
		each(ud, &p);
	}
	PQclear(r);
	pg_conn_put(st, c);
	return rc;
}

struct chunk {
	int64_t index, lastmod;
};

static void row_chunk(struct arena *a, const PGresult *r, int row, void *out)
{
	struct chunk *k = out;
	(void)a;
	k->index = pg_int(r, row, 0);
	k->lastmod = pg_int(r, row, 1);
}

enum err pgm_post_chunks(struct store *st, struct arena *a, enum post_type type, int64_t now,
			 int64_t size, int64_t lead, int64_t **lastmod, size_t *n)
{
	*lastmod = NULL;
	*n = 0;
	if (size < 1 || lead < 0)
		return ERR_INVALID;
	struct chunk *ks;
	size_t nk;
	enum err rc = pg_all(st, a, G_SITEMAP_CHUNKS,
			     PG_ARGS(PG_T(post_type_name(type)), PG_I(now), PG_I(size), PG_I(lead)),
			     row_chunk, sizeof *ks, (void **)&ks, &nk);
	if (rc != ERR_OK)
		return rc;
	/* chunk numbers are consecutive from lead / size; those before hold
	 * only the lead URLs (0 here) */
	size_t total = nk ? (size_t)ks[nk - 1].index + 1 : 0;
	int64_t *out = total ? ARENA_ARRAY(a, int64_t, total) : NULL;
	if (total && !out)
		return ERR_NOMEM;
	for (size_t i = 0; i < nk; i++)
		out[ks[i].index] = ks[i].lastmod;
	*lastmod = out;
	*n = total;
	return ERR_OK;
}

static void row_term(struct arena *a, const PGresult *r, int row, void *out)
{
	struct term_mod *t = out;
	t->id = pg_int(r, row, 0);
	t->parent_id = pg_int(r, row, 1);
	t->key = pg_text(a, r, row, 2);
	t->lastmod = pg_int(r, row, 3);
}

enum err pgm_term_lastmods(struct store *st, struct arena *a, enum term_kind kind, int64_t now,
			   struct term_mod **out, size_t *n)
{
	static const enum pgs which[TERM_KIND__MAX] = {
		[TERM_CATEGORY] = G_TERM_CATEGORIES,
		[TERM_TAG] = G_TERM_TAGS,
		[TERM_AUTHOR] = G_TERM_AUTHORS,
	};
	if ((unsigned)kind >= TERM_KIND__MAX)
		return ERR_INVALID;
	return pg_all(st, a, which[kind], PG_ARGS(PG_I(now)), row_term, sizeof **out,
		      (void **)out, n);
}
