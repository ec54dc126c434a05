/* pg_posts.c - posts and pages in the PostgreSQL backend: saving (with
 * bodies and tags in one transaction), reading one, status changes,
 * deletion, publishing what is due, the month archive, and the change-log
 * row every post write records (what it touched before and after: the
 * tokens store/facets.h documents, which site/purge.c reads). Listings are
 * in pg_list.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "store/pg_int.h"

void pg_row_post_head(struct arena *a, const PGresult *r, int row, struct post *p)
{
	memset(p, 0, sizeof *p);
	p->id = pg_int(r, row, 0);
	p->type = strcmp(PQgetvalue(r, row, 1), "page") == 0 ? POST_PAGE : POST_ARTICLE;
	if (!post_status_parse(PQgetvalue(r, row, 2), &p->status))
		p->status = POST_DRAFT;
	p->slug = pg_text(a, r, row, 3);
	p->title = pg_text(a, r, row, 4);
}

void pg_row_post(struct arena *a, const PGresult *r, int row, void *out)
{
	struct post *p = out;
	pg_row_post_head(a, r, row, p);
	p->excerpt = pg_text(a, r, row, 5);
	p->body_md = pg_text(a, r, row, 6);
	p->body_html = pg_text(a, r, row, 7);
	p->author_id = pg_int(r, row, 8);
	p->category_id = pg_int(r, row, 9);
	p->parent_id = pg_int(r, row, 10);
	p->sticky = pg_bool(r, row, 11);
	p->comments_open = pg_bool(r, row, 12);
	p->published_at = pg_int(r, row, 13);
	p->created_at = pg_int(r, row, 14);
	p->updated_at = pg_int(r, row, 15);
	p->comment_count = pg_int(r, row, 16);
	p->author_login = pg_text(a, r, row, 17);
	p->author_name = pg_text(a, r, row, 18);
	if (!pg_null(r, row, 19)) {
		p->category_slug = pg_text(a, r, row, 19);
		p->category_name = pg_text(a, r, row, 20);
		p->category_path = pg_text(a, r, row, 21);
	}
	p->summary = pg_text(a, r, row, 22);
	p->featured_media_id = pg_int(r, row, 23);
}

/* --- what a write touches ------------------------------------------------- */

enum err pg_post_facets(struct store *st, struct pconn *c, int64_t id, struct post_facets *f)
{
	memset(f, 0, sizeof *f);
	enum err rc;
	PGresult *r = pg_run(st, c, G_POST_FACETS, PG_ARGS(PG_I(id)), &rc);
	if (!r)
		return rc;
	if (PQntuples(r) == 0) { /* gone: no facets */
		PQclear(r);
		return ERR_OK;
	}
	f->exists = true;
	f->page = strcmp(PQgetvalue(r, 0, 0), "page") == 0;
	const char *status = PQgetvalue(r, 0, 1);
	f->pub = strcmp(status, "published") == 0 || strcmp(status, "scheduled") == 0;
	f->category = pg_int(r, 0, 2);
	f->author = pg_int(r, 0, 3);
	f->date = pg_int(r, 0, 4);
	f->parent = pg_int(r, 0, 5);
	facets_menu_hash(f, PQgetvalue(r, 0, 6), PQgetvalue(r, 0, 7));
	f->in_menu = pg_bool(r, 0, 8);
	PQclear(r);
	r = pg_run(st, c, G_POST_TAG_IDS, PG_ARGS(PG_I(id)), &rc);
	if (!r)
		return rc;
	for (int i = 0; i < PQntuples(r) && !f->too_many_tags; i++)
		facets_add_tag(f, pg_int(r, i, 0));
	PQclear(r);
	return ERR_OK;
}

enum err pg_post_changed(struct store *st, struct pconn *c, int64_t id,
			 const struct post_facets *before)
{
	struct post_facets after;
	enum err rc = pg_post_facets(st, c, id, &after);
	if (rc != ERR_OK)
		return rc;
	struct buf b = BUF_INIT;
	facets_detail(&b, before, &after);
	rc = b.oom ? ERR_NOMEM : pg_change(st, c, "post", id, b.data ? b.data : "");
	buf_free(&b);
	return rc;
}

/* --- writes --------------------------------------------------------------- */

/* After any write to a post, in its transaction: the search index, the
 * related lists (from the index's text), and the change-log row naming
 * what it touched. */
static enum err written(struct store *st, struct pconn *c, int64_t id,
			const struct post_facets *before)
{
	enum err rc = pg_index_post(st, c, id);
	if (rc == ERR_OK)
		rc = pg_relate(st, c, id);
	return rc == ERR_OK ? pg_post_changed(st, c, id, before) : rc;
}

/* A string field: "" for NULL on create, NULL (= keep) on update. */
static struct pg_arg str_arg(const char *v, bool update)
{
	if (v)
		return PG_T(v);
	return update ? PG_NULL : PG_T("");
}

enum err pgp_post_save(struct store *st, const struct post_input *in, int64_t *id)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	int64_t now = clock_now();
	int64_t pid = in->id;
	bool upd = in->id != 0;
	struct post_facets before = {0};
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK && upd)
		rc = pg_post_facets(st, c, in->id, &before);
	if (rc == ERR_OK) {
		/* $1 is the type (insert) or the id (update); $12 the creation
		 * time (insert) or now (update); the rest is shared. */
		const struct pg_arg args[] = {
			upd ? PG_I(in->id) : PG_T(post_type_name(in->type)),
			PG_T(post_status_name(in->status)),
			str_arg(in->slug, upd),
			str_arg(in->title, upd),
			str_arg(in->excerpt, upd),
			PG_I(in->author_id),
			PG_I(in->category_id),
			PG_I(in->parent_id),
			PG_B(in->sticky),
			PG_B(in->comments_open),
			PG_I(in->published_at ? in->published_at : now),
			PG_I(!upd && in->created_at ? in->created_at : now),
			str_arg(in->summary, upd),
			PG_I(in->featured_media_id),
		};
		rc = pg_exec(st, c, upd ? G_POST_UPDATE : G_POST_INSERT, args,
			     (int)(sizeof args / sizeof args[0]));
		if (rc == ERR_OK && upd && c->changes == 0)
			rc = ERR_NOTFOUND;
		if (rc == ERR_OK && !upd)
			pid = c->last_id;
	}
	if (rc == ERR_OK) /* bodies live in their own table: listings never read them */
		rc = pg_exec(st, c, G_BODY_SAVE,
			     PG_ARGS(PG_I(pid), PG_TN(in->body_md), PG_TN(in->body_html)));
	if (rc == ERR_OK && (in->tags || in->tag_ids)) {
		rc = pg_exec(st, c, G_POST_TAGS_CLEAR, PG_ARGS(PG_I(pid)));
		if (rc == ERR_OK && in->tags)
			rc = pgt_link_tags(st, c, pid, in->tags, in->ntags);
		else if (rc == ERR_OK)
			rc = pgt_link_tag_ids(st, c, pid, in->tag_ids, in->ntag_ids);
	}
	if (rc == ERR_OK && in->revision_at > 0)
		rc = pg_revision_of_post(st, c, pid, in->revision_user, in->revision_at);
	if (rc == ERR_OK && in->moved_from && in->moved_to)
		rc = pg_redirect_steps(st, c, in->moved_from, in->moved_to);
	if (rc == ERR_OK)
		rc = written(st, c, pid, &before);
	rc = pg_end(st, c, rc);
	if (rc == ERR_OK && id)
		*id = pid;
	pg_conn_put(st, c);
	return rc;
}

enum err pgp_post_get(struct store *st, struct arena *a, int64_t id, struct post *out)
{
	return pg_one(st, a, G_POST_GET, PG_ARGS(PG_I(id)), pg_row_post, out);
}

enum err pgp_post_by_slug(struct store *st, struct arena *a, enum post_type type,
			  const char *slug, struct post *out)
{
	return pg_one(st, a, G_POST_BY_SLUG, PG_ARGS(PG_T(post_type_name(type)), PG_T(slug)),
		      pg_row_post, out);
}

/* pg_row_post, the Markdown source not read (NULL in the row) left NULL. */
static void row_post_html(struct arena *a, const PGresult *r, int row, void *out)
{
	pg_row_post(a, r, row, out);
	((struct post *)out)->body_md = NULL;
	((struct post *)out)->author_login = NULL; /* not read (store.h) */
	((struct post *)out)->author_name = NULL;
}

enum err pgp_post_by_slug_html(struct store *st, struct arena *a, enum post_type type,
			       const char *slug, struct post *out)
{
	return pg_one(st, a, G_POST_BY_SLUG_HTML,
		      PG_ARGS(PG_T(post_type_name(type)), PG_T(slug)), row_post_html, out);
}

/* One statement on one post, with the change-log row naming what it
 * touched before and after. */
static enum err post_write(struct store *st, int64_t id, enum pgs which,
			   const struct pg_arg *args, int n)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	struct post_facets before;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
		rc = pg_post_facets(st, c, id, &before);
	if (rc == ERR_OK && !before.exists)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK)
		rc = pg_exec(st, c, which, args, n);
	if (rc == ERR_OK)
		rc = written(st, c, id, &before);
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}

enum err pgp_post_set_status(struct store *st, int64_t id, enum post_status status,
			     int64_t published_at)
{
	return post_write(st, id, G_POST_SET_STATUS,
			  PG_ARGS(PG_I(id), PG_T(post_status_name(status)), PG_I(published_at),
				  PG_I(clock_now())));
}

enum err pgp_post_delete(struct store *st, int64_t id)
{
	return post_write(st, id, G_POST_DELETE, PG_ARGS(PG_I(id)));
}

/* Every node runs this several times a second: look first without the
 * write lock; then, holding it, publish each due post exactly once (the
 * lock makes a second node see them already published). */
enum err pgp_post_publish_due(struct store *st, int64_t now, size_t *n)
{
	*n = 0;
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc;
	PGresult *r = pg_run(st, c, G_POST_DUE, PG_ARGS(PG_I(now)), &rc);
	bool due = r && PQntuples(r) > 0;
	PQclear(r);
	if (rc != ERR_OK || !due || (rc = pg_begin(st, c)) != ERR_OK) {
		pg_conn_put(st, c);
		return rc;
	}
	size_t total = 0, k;
	do { /* in batches: publishing changes the rows the SELECT finds */
		int64_t ids[256];
		k = 0;
		r = pg_run(st, c, G_POST_DUE, PG_ARGS(PG_I(now)), &rc);
		for (int i = 0; r && i < PQntuples(r) && k < 256; i++)
			ids[k++] = pg_int(r, i, 0);
		PQclear(r);
		for (size_t i = 0; i < k && rc == ERR_OK; i++) {
			struct post_facets before;
			rc = pg_post_facets(st, c, ids[i], &before);
			/* pages cached before its time do not show it: to them it was
			 * not public yet (so a page going live also updates menus) */
			before.pub = false;
			if (rc == ERR_OK)
				rc = pg_exec(st, c, G_POST_PUBLISH, PG_ARGS(PG_I(ids[i])));
			if (rc == ERR_OK)
				rc = written(st, c, ids[i], &before);
		}
		total += k;
	} while (rc == ERR_OK && k == 256);
	rc = pg_end(st, c, rc);
	if (rc == ERR_OK)
		*n = total;
	pg_conn_put(st, c);
	return rc;
}

static void row_month(struct arena *a, const PGresult *r, int row, void *out)
{
	struct archive_month *m = out;
	(void)a;
	m->year = (int)pg_int(r, row, 0);
	m->month = (int)pg_int(r, row, 1);
	m->count = pg_int(r, row, 2);
}

/* The process's time zone as a zone name PostgreSQL knows (the site's
 * zone: core/time.c sets TZ), as SQLite's 'localtime' uses it. */
static const char *zone(void)
{
	const char *tz = getenv("TZ");
	if (!tz || !*tz || *tz == ':' || *tz == '/')
		return "UTC";
	return tz;
}

enum err pgp_archive_months(struct store *st, struct arena *a, int64_t now,
			    struct archive_month **out, size_t *n)
{
	return pg_all(st, a, G_ARCHIVE_MONTHS, PG_ARGS(PG_I(now), PG_T(zone())), row_month,
		      sizeof **out, (void **)out, n);
}
