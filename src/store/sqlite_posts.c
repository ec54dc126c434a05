/* sqlite_posts.c - posts and pages in the SQLite backend. */
#include <string.h>

#include "core/time.h"
#include "store/sqlite_int.h"

void row_post_head(struct arena *a, sqlite3_stmt *s, struct post *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(s, 0);
	p->type = strcmp((const char *)sqlite3_column_text(s, 1), "page") == 0 ? POST_PAGE
										: POST_ARTICLE;
	if (!post_status_parse((const char *)sqlite3_column_text(s, 2), &p->status))
		p->status = POST_DRAFT;
	p->slug = col_text(a, s, 3);
	p->title = col_text(a, s, 4);
}

void row_post(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct post *p = out;
	row_post_head(a, s, p);
	p->excerpt = col_text(a, s, 5);
	p->body_md = col_text(a, s, 6);
	p->body_html = col_text(a, s, 7);
	p->author_id = sqlite3_column_int64(s, 8);
	p->category_id = sqlite3_column_int64(s, 9);
	p->parent_id = sqlite3_column_int64(s, 10);
	p->sticky = sqlite3_column_int(s, 11) != 0;
	p->comments_open = sqlite3_column_int(s, 12) != 0;
	p->published_at = sqlite3_column_int64(s, 13);
	p->created_at = sqlite3_column_int64(s, 14);
	p->updated_at = sqlite3_column_int64(s, 15);
	p->comment_count = sqlite3_column_int64(s, 16);
	p->author_login = col_text(a, s, 17);
	p->author_name = col_text(a, s, 18);
	if (sqlite3_column_type(s, 19) != SQLITE_NULL) {
		p->category_slug = col_text(a, s, 19);
		p->category_name = col_text(a, s, 20);
		p->category_path = col_text(a, s, 21);
	}
	p->summary = col_text(a, s, 22);
	p->featured_media_id = sqlite3_column_int64(s, 23);
}

/* A string field: "" for NULL on create, NULL (= keep, via coalesce) on
 * update. */
static void bind_str(sqlite3_stmt *s, int i, const char *v, bool update)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else if (update)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, "", 0, SQLITE_STATIC);
}

/* After any write to a post, in its transaction: the search index, the
 * related lists, and the change-log row naming what it touched. */
static enum err written(struct store *st, struct conn *c, int64_t id,
			const struct post_facets *before)
{
	enum err rc = sq_index_post(st, c, id);
	if (rc == ERR_OK)
		rc = sq_relate(st, c, id);
	if (rc == ERR_OK)
		rc = sq_post_changed(st, c, id, before);
	return rc;
}

enum err sqp_post_save(struct store *st, const struct post_input *in, int64_t *id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	int64_t now = clock_now();
	int64_t pid = in->id;
	struct post_facets before = {0};
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK && in->id)
		rc = sq_post_facets(st, c, in->id, &before);
	if (rc != ERR_OK) {
		sq_end(st, c, rc);
		goto out;
	}
	sqlite3_stmt *s = stmt(st, c, in->id ? S_POST_UPDATE : S_POST_INSERT);
	if (!s) {
		rc = sq_end(st, c, ERR_DB);
		goto out;
	}
	if (in->id) {
		sqlite3_bind_int64(s, 1, in->id);
	} else {
		sqlite3_bind_text(s, 1, post_type_name(in->type), -1, SQLITE_STATIC);
	}
	/* The insert and update statements share parameter numbers 2..14. */
	sqlite3_bind_text(s, 2, post_status_name(in->status), -1, SQLITE_STATIC);
	bool upd = in->id != 0;
	bind_str(s, 3, in->slug, upd);
	bind_str(s, 4, in->title, upd);
	bind_str(s, 5, in->excerpt, upd);
	bind_str(s, 15, in->summary, upd);
	sqlite3_bind_int64(s, 8, in->author_id);
	sqlite3_bind_int64(s, 9, in->category_id);
	sqlite3_bind_int64(s, 10, in->parent_id);
	sqlite3_bind_int(s, 11, in->sticky);
	sqlite3_bind_int(s, 12, in->comments_open);
	sqlite3_bind_int64(s, 13, in->published_at ? in->published_at : now);
	sqlite3_bind_int64(s, 14, !in->id && in->created_at ? in->created_at : now);
	sqlite3_bind_int64(s, 16, in->featured_media_id);
	rc = sq_exec(st, c, s);
	if (rc == ERR_OK && in->id && sqlite3_changes(c->db) == 0)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK && !in->id)
		pid = sqlite3_last_insert_rowid(c->db);
	if (rc == ERR_OK) { /* bodies live in their own table: listings never read them */
		sqlite3_stmt *b = stmt(st, c, S_BODY_SAVE);
		if (b) {
			sqlite3_bind_int64(b, 1, pid);
			if (in->body_md)
				sqlite3_bind_text(b, 2, in->body_md, -1, SQLITE_STATIC);
			if (in->body_html)
				sqlite3_bind_text(b, 3, in->body_html, -1, SQLITE_STATIC);
		}
		rc = sq_exec(st, c, b);
	}
	if (rc == ERR_OK && in->tags) {
		sqlite3_stmt *cl = stmt(st, c, S_POST_TAGS_CLEAR);
		if (cl)
			sqlite3_bind_int64(cl, 1, pid);
		rc = sq_exec(st, c, cl);
		if (rc == ERR_OK)
			rc = sqt_link_tags(st, c, pid, in->tags, in->ntags);
	} else if (rc == ERR_OK && in->tag_ids) {
		sqlite3_stmt *cl = stmt(st, c, S_POST_TAGS_CLEAR);
		if (cl)
			sqlite3_bind_int64(cl, 1, pid);
		rc = sq_exec(st, c, cl);
		if (rc == ERR_OK)
			rc = sqt_link_tag_ids(st, c, pid, in->tag_ids, in->ntag_ids);
	}
	if (rc == ERR_OK && in->revision_at > 0)
		rc = sq_revision_of_post(st, c, pid, in->revision_user, in->revision_at);
	if (rc == ERR_OK && in->moved_from && in->moved_to)
		rc = sq_redirect_steps(st, c, in->moved_from, in->moved_to);
	if (rc == ERR_OK)
		rc = written(st, c, pid, &before);
	rc = sq_end(st, c, rc);
	if (rc == ERR_OK && id)
		*id = pid;
out:
	conn_put(st, c);
	return rc;
}

enum err sqp_post_get(struct store *st, struct arena *a, int64_t id, struct post *out)
{
	return sq_one(st, a, S_POST_GET, SQ_ARGS(SQ_I(id)), row_post, out);
}

enum err sqp_post_by_slug(struct store *st, struct arena *a, enum post_type type,
			  const char *slug, struct post *out)
{
	return sq_one(st, a, S_POST_BY_SLUG, SQ_ARGS(SQ_T(post_type_name(type)), SQ_T(slug)),
		      row_post, out);
}

/* row_post, the Markdown source not read (NULL in the row) left NULL. */
static void row_post_html(struct arena *a, sqlite3_stmt *s, void *out)
{
	row_post(a, s, out);
	((struct post *)out)->body_md = NULL;
	((struct post *)out)->author_login = NULL; /* not read (store.h) */
	((struct post *)out)->author_name = NULL;
}

enum err sqp_post_by_slug_html(struct store *st, struct arena *a, enum post_type type,
			       const char *slug, struct post *out)
{
	return sq_one(st, a, S_POST_BY_SLUG_HTML,
		      SQ_ARGS(SQ_T(post_type_name(type)), SQ_T(slug)), row_post_html, out);
}

/* One statement on one post, with the change-log row naming what it
 * touched before and after. */
static enum err post_write(struct store *st, int64_t id, enum stmt which,
			   const struct sq_arg *args, int n)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	struct post_facets before;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK)
		rc = sq_post_facets(st, c, id, &before);
	if (rc == ERR_OK && !before.exists)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK) {
		sqlite3_stmt *s = stmt(st, c, which);
		if (s)
			sq_bind(s, args, n);
		rc = sq_exec(st, c, s);
	}
	if (rc == ERR_OK)
		rc = written(st, c, id, &before);
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	return rc;
}

enum err sqp_post_set_status(struct store *st, int64_t id, enum post_status status,
			     int64_t published_at)
{
	return post_write(st, id, S_POST_SET_STATUS,
			  SQ_ARGS(SQ_I(id), SQ_T(post_status_name(status)), SQ_I(published_at),
				  SQ_I(clock_now())));
}

enum err sqp_post_delete(struct store *st, int64_t id)
{
	return post_write(st, id, S_POST_DELETE, SQ_ARGS(SQ_I(id)));
}

enum err sqp_post_publish_due(struct store *st, int64_t now, size_t *n)
{
	*n = 0;
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	/* This runs several times a second: look first, and take the write
	 * lock only when something is due. */
	sqlite3_stmt *s = stmt(st, c, S_POST_DUE);
	enum err rc = s ? ERR_OK : ERR_DB;
	if (s) {
		sqlite3_bind_int64(s, 1, now);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : sq_err(st, c, r);
		sqlite3_reset(s);
		if (r != SQLITE_ROW)
			goto out;
	}
	if (rc != ERR_OK || (rc = sq_begin(st, c)) != ERR_OK)
		goto out;
	/* In batches: a publish changes the rows the SELECT walks. */
	size_t total = 0, k;
	do {
		int64_t ids[256];
		k = 0;
		s = stmt(st, c, S_POST_DUE);
		if (!s) {
			rc = ERR_DB;
			break;
		}
		sqlite3_bind_int64(s, 1, now);
		while (k < 256 && sqlite3_step(s) == SQLITE_ROW)
			ids[k++] = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		for (size_t i = 0; i < k && rc == ERR_OK; i++) {
			struct post_facets before;
			rc = sq_post_facets(st, c, ids[i], &before);
			/* Pages cached before its time do not show it: to them it was
			 * not public yet (so a page going live also updates menus). */
			before.pub = false;
			sqlite3_stmt *u = rc == ERR_OK ? stmt(st, c, S_POST_PUBLISH) : NULL;
			if (u)
				sqlite3_bind_int64(u, 1, ids[i]);
			if (rc == ERR_OK)
				rc = sq_exec(st, c, u);
			if (rc == ERR_OK)
				rc = sq_post_changed(st, c, ids[i], &before);
		}
		total += k;
	} while (rc == ERR_OK && k == 256);
	rc = sq_end(st, c, rc);
	if (rc == ERR_OK)
		*n = total;
out:
	conn_put(st, c);
	return rc;
}

static void row_month(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct archive_month *m = out;
	(void)a;
	m->year = sqlite3_column_int(s, 0);
	m->month = sqlite3_column_int(s, 1);
	m->count = sqlite3_column_int64(s, 2);
}

enum err sqp_archive_months(struct store *st, struct arena *a, int64_t now,
			    struct archive_month **out, size_t *n)
{
	return sq_all(st, a, S_ARCHIVE_MONTHS, SQ_ARGS(SQ_I(now)), row_month, sizeof **out,
		      (void **)out, n);
}
