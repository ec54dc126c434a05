/* sqlite_comments.c - reader comments and the spam model for the SQLite
 * backend: adding (with the post and parent re-checked in the same
 * transaction), listing, threads, the counts the moderation policy reads,
 * status changes that teach the spam model, and deletion.
 *
 * Change-log rows: kind "comment", the comment's id, detail "post:ID" plus
 * " pub" when the change shows on public pages (the comment is approved
 * before or after), which site/purge.c reads. */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/time.h"
#include "store/sqlite_int.h"

static void row_comment(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct comment *c = out;
	c->id = sqlite3_column_int64(s, 0);
	c->post_id = sqlite3_column_int64(s, 1);
	c->parent_id = sqlite3_column_int64(s, 2);
	if (!comment_status_parse((const char *)sqlite3_column_text(s, 3), &c->status))
		c->status = COMMENT_PENDING;
	c->author_name = col_text(a, s, 4);
	c->author_email = col_text(a, s, 5);
	c->author_url = col_text(a, s, 6);
	c->author_ip = col_text(a, s, 7);
	c->author_net = col_text(a, s, 8);
	c->user_agent = col_text(a, s, 9);
	c->body_md = col_text(a, s, 10);
	c->body_html = col_text(a, s, 11);
	c->note = col_text(a, s, 12);
	c->spam_score = sqlite3_column_int(s, 13);
	c->created_at = sqlite3_column_int64(s, 14);
	c->updated_at = sqlite3_column_int64(s, 15);
	c->post_title = col_text(a, s, 16);
	if (!comment_status_parse((const char *)sqlite3_column_text(s, 17), &c->prev_status))
		c->prev_status = COMMENT_PENDING;
}

static void row_count(struct arena *a, sqlite3_stmt *s, void *out)
{
	(void)a;
	*(int64_t *)out = sqlite3_column_int64(s, 0);
}

/* One row exists for `which` with these arguments (on c, in its transaction). */
static enum err exists(struct store *st, struct conn *c, enum stmt which,
		       const struct sq_arg *args, int n, bool *yes)
{
	sqlite3_stmt *s = stmt(st, c, which);
	if (!s)
		return ERR_DB;
	sq_bind(s, args, n);
	int r = sqlite3_step(s);
	*yes = r == SQLITE_ROW;
	enum err rc = (r == SQLITE_ROW || r == SQLITE_DONE) ? ERR_OK : sq_err(st, c, r);
	sqlite3_reset(s);
	return rc;
}

enum err sqc_comment_add(struct store *st, const struct comment *in, int64_t *id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc != ERR_OK) {
		conn_put(st, c);
		return rc;
	}
	bool ok = false;
	rc = exists(st, c, S_CM_POST_OK, SQ_ARGS(SQ_I(in->post_id), SQ_I(clock_now())), &ok);
	if (rc == ERR_OK && !ok)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK && in->parent_id) {
		rc = exists(st, c, S_CM_PARENT_OK, SQ_ARGS(SQ_I(in->parent_id), SQ_I(in->post_id)),
			    &ok);
		if (rc == ERR_OK && !ok)
			rc = ERR_CONFLICT;
	}
	int64_t now = in->created_at ? in->created_at : clock_now();
	if (rc == ERR_OK) {
		rc = sq_run(st, c, S_CM_INSERT, SQ_ARGS(SQ_I(in->post_id), SQ_I(in->parent_id),
				   SQ_T(comment_status_name(in->status)), SQ_T(in->author_name),
				   SQ_T(in->author_email),
				   SQ_T(in->author_url ? in->author_url : ""),
				   SQ_T(in->author_ip ? in->author_ip : ""),
				   SQ_T(in->author_net ? in->author_net : ""),
				   SQ_T(in->user_agent ? in->user_agent : ""), SQ_T(in->body_md),
				   SQ_T(in->body_html), SQ_T(in->note ? in->note : ""),
				   SQ_I(in->spam_score), SQ_I(now)));
	}
	int64_t newid = rc == ERR_OK ? sqlite3_last_insert_rowid(c->db) : 0;
	if (rc == ERR_OK) {
		char d[48];
		rc = sq_change(st, c, "comment", newid,
			       facets_comment_detail(d, sizeof d, in->post_id,
					     in->status == COMMENT_APPROVED));
	}
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	if (rc == ERR_OK && id)
		*id = newid;
	return rc;
}

enum err sqc_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out)
{
	memset(out, 0, sizeof *out);
	return sq_one(st, a, S_CM_GET, SQ_ARGS(SQ_I(id)), row_comment, out);
}

enum err sqc_comment_list(struct store *st, struct arena *a, const struct comment_query *q,
			  struct comment **out, size_t *n, int64_t *total)
{
	const char *status = q->by_status ? comment_status_name(q->status) : "";
	const char *email = q->email ? q->email : "";
	const char *ip = q->ip ? q->ip : "";
	enum err rc = sq_all(st, a, S_CM_LIST,
			     SQ_ARGS(SQ_T(status), SQ_I(q->post_id), SQ_T(email), SQ_T(ip),
				     SQ_I(q->limit > 0 ? q->limit : -1), SQ_I(q->offset),
				     SQ_I(q->public_at)),
			     row_comment, sizeof **out, (void **)out, n);
	if (rc == ERR_OK && total) {
		*total = 0;
		rc = sq_one(st, a, S_CM_COUNT,
			    SQ_ARGS(SQ_T(status), SQ_I(q->post_id), SQ_T(email), SQ_T(ip),
				    SQ_I(0), SQ_I(0), SQ_I(q->public_at)),
			    row_count, total);
	}
	return rc;
}

enum err sqc_comment_thread(struct store *st, struct arena *a, int64_t post_id,
			    struct comment **out, size_t *n)
{
	return sq_all(st, a, S_CM_THREAD, SQ_ARGS(SQ_I(post_id)), row_comment, sizeof **out,
		      (void **)out, n);
}

enum err sqc_comment_signals(struct store *st, const struct comment *c, int64_t since,
			     struct comment_signals *out)
{
	memset(out, 0, sizeof *out);
	struct arena a;
	arena_init(&a, 1024);
	enum err rc = sq_one(st, &a, S_CM_BY_EMAIL, SQ_ARGS(SQ_T(c->author_email)), row_count,
			     &out->approved_by_email);
	if (rc == ERR_OK)
		rc = sq_one(st, &a, S_CM_BY_IP,
			    SQ_ARGS(SQ_T(c->author_ip ? c->author_ip : ""), SQ_I(since)),
			    row_count, &out->recent_by_ip);
	if (rc == ERR_OK && c->author_net && *c->author_net)
		rc = sq_one(st, &a, S_CM_BY_NET, SQ_ARGS(SQ_T(c->author_net), SQ_I(since)),
			    row_count, &out->recent_by_net);
	if (rc == ERR_OK) {
		int64_t one = 0;
		rc = sq_one(st, &a, S_CM_DUP,
			    SQ_ARGS(SQ_I(c->post_id), SQ_T(c->author_email),
				    SQ_T(c->author_ip ? c->author_ip : ""), SQ_T(c->body_md)),
			    row_count, &one);
		out->duplicate = rc == ERR_OK;
		if (rc == ERR_NOTFOUND)
			rc = ERR_OK;
	}
	arena_free(&a);
	return rc;
}

/* A comment's status, what the spam model learned from it, and its post,
 * inside the caller's transaction. */
static enum err state(struct store *st, struct conn *c, int64_t id, char status[16],
		      char learned[8], int64_t *post_id)
{
	sqlite3_stmt *s = stmt(st, c, S_CM_STATE);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	enum err rc = ERR_OK;
	if (r == SQLITE_ROW) {
		str_copy(status, (const char *)sqlite3_column_text(s, 0), 16);
		str_copy(learned, (const char *)sqlite3_column_text(s, 1), 8);
		*post_id = sqlite3_column_int64(s, 2);
	} else {
		rc = r == SQLITE_DONE ? ERR_NOTFOUND : sq_err(st, c, r);
	}
	sqlite3_reset(s);
	return rc;
}

/* Add delta (+1 or -1) documents under label to every token and the totals. */
static enum err learn(struct store *st, struct conn *c, const char *label, int delta,
		      const char *const *tokens, size_t n)
{
	bool ham = strcmp(label, "ham") == 0;
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i <= n; i++) {
		const char *t = i < n ? tokens[i] : ""; /* '' holds the totals */
		if (i < n && !*t)
			continue;
		sqlite3_stmt *s = stmt(st, c, S_SPAM_ADD);
		if (!s)
			return ERR_DB;
		sq_bind(s, SQ_ARGS(SQ_T(t), SQ_I(ham ? delta : 0), SQ_I(ham ? 0 : delta)));
		rc = sq_exec(st, c, s);
	}
	return rc;
}

enum err sqc_comment_set_status(struct store *st, int64_t id, enum comment_status status,
				const char *const *tokens, size_t ntokens)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc != ERR_OK) {
		conn_put(st, c);
		return rc;
	}
	char old_status[16] = "", learned[8] = "";
	int64_t post_id = 0;
	rc = state(st, c, id, old_status, learned, &post_id);
	const char *label = comment_learn_label(status, learned);
	if (rc == ERR_OK && strcmp(label, learned) != 0) {
		if (*learned)
			rc = learn(st, c, learned, -1, tokens, ntokens);
		if (rc == ERR_OK && *label)
			rc = learn(st, c, label, +1, tokens, ntokens);
	}
	const char *name = comment_status_name(status);
	bool changed = strcmp(old_status, name) != 0;
	if (rc == ERR_OK && (changed || strcmp(label, learned) != 0))
		rc = sq_run(st, c, S_CM_SET_STATUS,
			   SQ_ARGS(SQ_I(id), SQ_T(name), SQ_T(label), SQ_I(clock_now())));
	if (rc == ERR_OK && changed) {
		char d[48];
		bool pub = strcmp(old_status, "approved") == 0 || status == COMMENT_APPROVED;
		rc = sq_change(st, c, "comment", id, facets_comment_detail(d, sizeof d, post_id, pub));
	}
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	return rc;
}

enum err sqc_comment_delete(struct store *st, int64_t id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc != ERR_OK) {
		conn_put(st, c);
		return rc;
	}
	char status[16] = "", learned[8] = "";
	int64_t post_id = 0;
	rc = state(st, c, id, status, learned, &post_id);
	if (rc == ERR_OK)
		rc = sq_run(st, c, S_CM_REPARENT, SQ_ARGS(SQ_I(id)));
	if (rc == ERR_OK)
		rc = sq_run(st, c, S_CM_DELETE, SQ_ARGS(SQ_I(id)));
	if (rc == ERR_OK) {
		char d[48];
		rc = sq_change(st, c, "comment", id,
			       facets_comment_detail(d, sizeof d, post_id, strcmp(status, "approved") == 0));
	}
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	return rc;
}

enum err sqc_spam_counts(struct store *st, struct arena *a, const char *const *tokens, size_t n,
			 struct spam_counts *out)
{
	memset(out, 0, sizeof *out);
	out->ham = ARENA_ARRAY(a, int64_t, n + 1);
	out->spam = ARENA_ARRAY(a, int64_t, n + 1);
	if (!out->ham || !out->spam)
		return ERR_NOMEM;
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i <= n; i++) {
		sqlite3_stmt *s = stmt(st, c, S_SPAM_GET);
		if (!s) {
			rc = ERR_DB;
			break;
		}
		sqlite3_bind_text(s, 1, i < n ? tokens[i] : "", -1, SQLITE_STATIC);
		int r = sqlite3_step(s);
		int64_t h = 0, sp = 0;
		if (r == SQLITE_ROW) {
			h = sqlite3_column_int64(s, 0);
			sp = sqlite3_column_int64(s, 1);
		} else if (r != SQLITE_DONE) {
			rc = sq_err(st, c, r);
		}
		sqlite3_reset(s);
		if (i < n) {
			out->ham[i] = h;
			out->spam[i] = sp;
		} else {
			out->ham_docs = h;
			out->spam_docs = sp;
		}
	}
	conn_put(st, c);
	return rc;
}

enum err sqc_spam_clear(struct store *st)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK)
		rc = sq_exec(st, c, stmt(st, c, S_SPAM_CLEAR));
	if (rc == ERR_OK)
		rc = sq_exec(st, c, stmt(st, c, S_SPAM_FORGET));
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	return rc;
}
