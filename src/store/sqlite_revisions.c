/* sqlite_revisions.c - post revisions, and the redirects kept when a
 * published post's URL changes, for the SQLite backend. */
#include <string.h>

#include "core/time.h"
#include "store/sqlite_int.h"

static void row_revision(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct revision *r = out;
	r->id = sqlite3_column_int64(s, 0);
	r->post_id = sqlite3_column_int64(s, 1);
	r->user_id = sqlite3_column_int64(s, 2);
	r->saved_at = sqlite3_column_int64(s, 3);
	r->title = col_text(a, s, 4);
	r->excerpt = col_text(a, s, 5);
	r->body_md = col_text(a, s, 6);
	r->user_name = col_text(a, s, 7);
}

enum err sqv_revision_add(struct store *st, const struct revision *r, int64_t *id)
{
	/* Revisions are history, not something pages show: the change-log row
	 * names the post so followers know, but purges nothing new. */
	return sq_write(st, S_REV_ADD,
			SQ_ARGS(SQ_I(r->post_id), SQ_I(r->user_id),
				SQ_I(r->saved_at ? r->saved_at : clock_now()), SQ_T(r->title),
				SQ_T(r->excerpt ? r->excerpt : ""),
				SQ_T(r->body_md ? r->body_md : "")),
			SQ_LOG_ROWID, "revision", 0, "", id);
}

enum err sqv_revision_list(struct store *st, struct arena *a, int64_t post_id,
			   struct revision **out, size_t *n)
{
	return sq_all(st, a, S_REV_LIST, SQ_ARGS(SQ_I(post_id)), row_revision, sizeof **out,
		      (void **)out, n);
}

enum err sqv_revision_recent(struct store *st, struct arena *a, int64_t user_id, int64_t limit,
			     struct revision **out, size_t *n)
{
	return sq_all(st, a, S_REV_RECENT, SQ_ARGS(SQ_I(user_id), SQ_I(limit)), row_revision,
		      sizeof **out, (void **)out, n);
}

enum err sqv_revision_get(struct store *st, struct arena *a, int64_t id, struct revision *out)
{
	memset(out, 0, sizeof *out);
	return sq_one(st, a, S_REV_GET, SQ_ARGS(SQ_I(id)), row_revision, out);
}

/* Inside the caller's transaction: from_path now leads to to_path (and
 * whatever led to from_path too), with its change-log row. */
enum err sq_redirect_steps(struct store *st, struct conn *c, const char *from_path,
			   const char *to_path)
{
	enum err rc = ERR_OK;
	const struct {
		enum stmt which;
		struct sq_arg args[3];
		int n;
	} steps[] = {
		{S_REDIRECT_DELETE, {SQ_T(to_path)}, 1},
		{S_REDIRECT_RETARGET, {SQ_T(from_path), SQ_T(to_path)}, 2},
		{S_REDIRECT_SET, {SQ_T(from_path), SQ_T(to_path), SQ_I(301)}, 3},
	};
	for (size_t i = 0; rc == ERR_OK && i < sizeof steps / sizeof steps[0]; i++) {
		sqlite3_stmt *s = stmt(st, c, steps[i].which);
		if (!s) {
			rc = ERR_DB;
			break;
		}
		sq_bind(s, steps[i].args, steps[i].n);
		rc = sq_exec(st, c, s);
	}
	if (rc == ERR_OK)
		rc = sq_change(st, c, "redirect", 0, from_path);
	return rc;
}

/* Inside the caller's transaction: a revision of post_id as it now is. */
enum err sq_revision_of_post(struct store *st, struct conn *c, int64_t post_id, int64_t user_id,
			     int64_t at)
{
	enum err rc = sq_run(st, c, S_REV_OF_POST, SQ_ARGS(SQ_I(post_id), SQ_I(user_id), SQ_I(at)));
	if (rc == ERR_OK)
		rc = sq_change(st, c, "revision", sqlite3_last_insert_rowid(c->db), "");
	return rc;
}

enum err sqv_redirect_move(struct store *st, const char *from_path, const char *to_path)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK)
		rc = sq_redirect_steps(st, c, from_path, to_path);
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	return rc;
}
