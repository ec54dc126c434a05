/* sqlite_import.c - what imports (src/import/) need of the SQLite backend:
 * the map from a source site's ids to local rows, tags with a given slug,
 * and comments stored as they were (status, dates, address), on any post.
 *
 * The map changes no page (old ?p=ID addresses are answered from it on
 * every request, outside the page cache), so its rows carry no change-log
 * row; tags and comments log "tag" and "comment" rows like other writes. */
#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "store/sqlite_int.h"

static void row_id(struct arena *a, sqlite3_stmt *s, void *out)
{
	(void)a;
	*(int64_t *)out = sqlite3_column_int64(s, 0);
}

enum err sqi_import_map_get(struct store *st, const char *source, const char *kind,
			    const char *wp_id, int64_t *id)
{
	*id = 0;
	struct arena a;
	arena_init(&a, 0);
	enum err rc = sq_one(st, &a, S_MAP_GET, SQ_ARGS(SQ_T(source), SQ_T(kind), SQ_T(wp_id)),
			     row_id, id);
	arena_free(&a);
	return rc;
}

enum err sqi_import_map_find(struct store *st, const char *kind, const char *wp_id, int64_t *id)
{
	*id = 0;
	struct arena a;
	arena_init(&a, 0);
	enum err rc = sq_one(st, &a, S_MAP_FIND, SQ_ARGS(SQ_T(kind), SQ_T(wp_id)), row_id, id);
	arena_free(&a);
	return rc;
}

enum err sqi_import_map_set(struct store *st, const char *source, const char *kind,
			    const char *wp_id, int64_t id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, S_MAP_SET);
	if (s)
		sq_bind(s, SQ_ARGS(SQ_T(source), SQ_T(kind), SQ_T(wp_id), SQ_I(id)));
	enum err rc = sq_exec(st, c, s);
	conn_put(st, c);
	return rc;
}

enum err sqi_tag_add(struct store *st, const char *slug, const char *name, int64_t *id)
{
	return sq_write(st, S_TAG_ADD, SQ_ARGS(SQ_T(slug), SQ_T(name)), SQ_LOG_ROWID, "tag", 0, "",
			id);
}

enum err sqt_link_tag_ids(struct store *st, struct conn *c, int64_t post_id, const int64_t *ids,
			  size_t n)
{
	enum err rc = ERR_OK;
	for (size_t i = 0; i < n && rc == ERR_OK; i++) {
		sqlite3_stmt *s = stmt(st, c, S_POST_TAG_LINK);
		if (s) {
			sqlite3_bind_int64(s, 1, post_id);
			sqlite3_bind_int64(s, 2, ids[i]);
		}
		rc = sq_exec(st, c, s);
	}
	return rc;
}

enum err sqi_comment_put(struct store *st, const struct comment *in, int64_t *id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc != ERR_OK) {
		conn_put(st, c);
		return rc;
	}
	/* the post must exist; is it a public article (then an approved
	 * comment shows on public pages)? */
	bool pub = false;
	sqlite3_stmt *s = stmt(st, c, S_POST_EXISTS);
	if (!s) {
		rc = ERR_DB;
	} else {
		sqlite3_bind_int64(s, 1, in->post_id);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW)
			pub = sqlite3_column_int(s, 0) != 0;
		else
			rc = r == SQLITE_DONE ? ERR_NOTFOUND : sq_err(st, c, r);
		sqlite3_reset(s);
	}
	int64_t now = clock_now();
	int64_t when = in->created_at ? in->created_at : now;
	if (rc == ERR_OK) {
		s = stmt(st, c, in->id ? S_CM_IMPORT_UPDATE : S_CM_IMPORT_INSERT);
		if (s) {
			sq_bind(s, SQ_ARGS(SQ_I(in->post_id), SQ_I(in->parent_id),
					   SQ_T(comment_status_name(in->status)),
					   SQ_T(in->author_name ? in->author_name : ""),
					   SQ_T(in->author_email ? in->author_email : ""),
					   SQ_T(in->author_url ? in->author_url : ""),
					   SQ_T(in->author_ip ? in->author_ip : ""),
					   SQ_T(in->author_net ? in->author_net : ""),
					   SQ_T(in->user_agent ? in->user_agent : ""),
					   SQ_T(in->body_md ? in->body_md : ""),
					   SQ_T(in->body_html ? in->body_html : ""),
					   SQ_T(in->note ? in->note : ""), SQ_I(in->spam_score),
					   SQ_I(when), SQ_I(in->id), SQ_I(now)));
		}
		rc = sq_exec(st, c, s);
		if (rc == ERR_OK && in->id && sqlite3_changes(c->db) == 0)
			rc = ERR_NOTFOUND;
	}
	int64_t cid = in->id;
	if (rc == ERR_OK && !cid)
		cid = sqlite3_last_insert_rowid(c->db);
	if (rc == ERR_OK) {
		/* an update may have changed whether it shows: say " pub" for
		 * any approved comment on a public article, and on updates */
		char d[48];
		bool shown = pub && (in->status == COMMENT_APPROVED || in->id);
		rc = sq_change(st, c, "comment", cid,
			 facets_comment_detail(d, sizeof d, in->post_id, shown));
	}
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	if (rc == ERR_OK && id)
		*id = cid;
	return rc;
}
