/* pg_comments.c - reader comments and the spam model in the PostgreSQL
 * backend: adding (post and parent re-checked in the same transaction),
 * imported comments stored as they were, listing, threads, the counts the
 * moderation policy reads, status changes that teach the spam model, and
 * deletion.
 *
 * Change-log rows: kind "comment", the comment's id, detail "post:ID" plus
 * " pub" when the change shows on public pages (as sqlite_comments.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "store/pg_int.h"

static void row_comment(struct arena *a, const PGresult *r, int row, void *out)
{
	struct comment *c = out;
	c->id = pg_int(r, row, 0);
	c->post_id = pg_int(r, row, 1);
	c->parent_id = pg_int(r, row, 2);
	if (!comment_status_parse(PQgetvalue(r, row, 3), &c->status))
		c->status = COMMENT_PENDING;
	c->author_name = pg_text(a, r, row, 4);
	c->author_email = pg_text(a, r, row, 5);
	c->author_url = pg_text(a, r, row, 6);
	c->author_ip = pg_text(a, r, row, 7);
	c->author_net = pg_text(a, r, row, 8);
	c->user_agent = pg_text(a, r, row, 9);
	c->body_md = pg_text(a, r, row, 10);
	c->body_html = pg_text(a, r, row, 11);
	c->note = pg_text(a, r, row, 12);
	c->spam_score = (int)pg_int(r, row, 13);
	c->created_at = pg_int(r, row, 14);
	c->updated_at = pg_int(r, row, 15);
	c->post_title = pg_text(a, r, row, 16);
	if (!comment_status_parse(PQgetvalue(r, row, 17), &c->prev_status))
		c->prev_status = COMMENT_PENDING;
}

static void row_count(struct arena *a, const PGresult *r, int row, void *out)
{
	(void)a;
	*(int64_t *)out = pg_int(r, row, 0);
}

/* Does `which` return a row (on c, in its transaction)? */
static enum err exists(struct store *st, struct pconn *c, enum pgs which,
		       const struct pg_arg *args, int n, bool *yes)
{
	enum err rc;
	PGresult *r = pg_run(st, c, which, args, n, &rc);
	*yes = r && PQntuples(r) > 0;
	PQclear(r);
	return rc;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

enum err pgc_comment_add(struct store *st, const struct comment *in, int64_t *id)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	bool ok = false;
	int64_t newid = 0;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
		rc = exists(st, c, G_CM_POST_OK, PG_ARGS(PG_I(in->post_id), PG_I(clock_now())), &ok);
	if (rc == ERR_OK && !ok)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK && in->parent_id) {
		rc = exists(st, c, G_CM_PARENT_OK, PG_ARGS(PG_I(in->parent_id), PG_I(in->post_id)),
			    &ok);
		if (rc == ERR_OK && !ok)
			rc = ERR_CONFLICT;
	}
	int64_t now = in->created_at ? in->created_at : clock_now();
	if (rc == ERR_OK) {
		rc = pg_exec(st, c, G_CM_INSERT,
			     PG_ARGS(PG_I(in->post_id), PG_I(in->parent_id),
				     PG_T(comment_status_name(in->status)), PG_T(in->author_name),
				     PG_T(in->author_email), PG_T(or_empty(in->author_url)),
				     PG_T(or_empty(in->author_ip)), PG_T(or_empty(in->author_net)),
				     PG_T(or_empty(in->user_agent)), PG_T(in->body_md),
				     PG_T(in->body_html), PG_T(or_empty(in->note)),
				     PG_I(in->spam_score), PG_I(now)));
		newid = c->last_id;
	}
	if (rc == ERR_OK) {
		char d[48];
		rc = pg_change(st, c, "comment", newid,
			       facets_comment_detail(d, sizeof d, in->post_id,
					     in->status == COMMENT_APPROVED));
	}
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	if (rc == ERR_OK && id)
		*id = newid;
	return rc;
}

enum err pgc_comment_put(struct store *st, const struct comment *in, int64_t *id)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	/* the post must exist; is it a public article (then an approved
	 * comment shows on public pages)? */
	bool pub = false;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK) {
		PGresult *r = pg_run(st, c, G_POST_EXISTS, PG_ARGS(PG_I(in->post_id)), &rc);
		if (r && PQntuples(r) == 0)
			rc = ERR_NOTFOUND;
		else if (r)
			pub = pg_bool(r, 0, 0);
		PQclear(r);
	}
	int64_t now = clock_now();
	int64_t when = in->created_at ? in->created_at : now;
	const struct pg_arg fields[] = {
		PG_I(in->post_id), PG_I(in->parent_id), PG_T(comment_status_name(in->status)),
		PG_T(or_empty(in->author_name)), PG_T(or_empty(in->author_email)),
		PG_T(or_empty(in->author_url)), PG_T(or_empty(in->author_ip)),
		PG_T(or_empty(in->author_net)), PG_T(or_empty(in->user_agent)),
		PG_T(or_empty(in->body_md)), PG_T(or_empty(in->body_html)),
		/* insert: note, spam score, created; update: id, now, created */
		in->id ? PG_I(in->id) : PG_T(or_empty(in->note)),
		in->id ? PG_I(now) : PG_I(in->spam_score), PG_I(when),
	};
	if (rc == ERR_OK) {
		rc = pg_exec(st, c, in->id ? G_CM_IMPORT_UPDATE : G_CM_IMPORT_INSERT, fields,
			     (int)(sizeof fields / sizeof fields[0]));
		if (rc == ERR_OK && in->id && c->changes == 0)
			rc = ERR_NOTFOUND;
	}
	int64_t cid = in->id;
	if (rc == ERR_OK && !cid)
		cid = c->last_id;
	if (rc == ERR_OK) {
		/* an update may have changed whether it shows: say " pub" for
		 * any approved comment on a public article, and on updates */
		char d[48];
		bool shown = pub && (in->status == COMMENT_APPROVED || in->id);
		rc = pg_change(st, c, "comment", cid,
			 facets_comment_detail(d, sizeof d, in->post_id, shown));
	}
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	if (rc == ERR_OK && id)
		*id = cid;
	return rc;
}

enum err pgc_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out)
{
	memset(out, 0, sizeof *out);
	return pg_one(st, a, G_CM_GET, PG_ARGS(PG_I(id)), row_comment, out);
}

enum err pgc_comment_list(struct store *st, struct arena *a, const struct comment_query *q,
			  struct comment **out, size_t *n, int64_t *total)
{
	const char *status = q->by_status ? comment_status_name(q->status) : "";
	const char *email = or_empty(q->email);
	const char *ip = or_empty(q->ip);
	enum err rc = pg_all(st, a, G_CM_LIST,
			     PG_ARGS(PG_T(status), PG_I(q->post_id), PG_T(email), PG_T(ip),
				     PG_I(q->public_at), q->limit > 0 ? PG_I(q->limit) : PG_NULL,
				     PG_I(q->offset > 0 ? q->offset : 0)),
			     row_comment, sizeof **out, (void **)out, n);
	if (rc == ERR_OK && total) {
		*total = 0;
		rc = pg_one(st, a, G_CM_COUNT,
			    PG_ARGS(PG_T(status), PG_I(q->post_id), PG_T(email), PG_T(ip),
				    PG_I(q->public_at)),
			    row_count, total);
	}
	return rc;
}

enum err pgc_comment_thread(struct store *st, struct arena *a, int64_t post_id,
			    struct comment **out, size_t *n)
{
	return pg_all(st, a, G_CM_THREAD, PG_ARGS(PG_I(post_id)), row_comment, sizeof **out,
		      (void **)out, n);
}

enum err pgc_comment_signals(struct store *st, const struct comment *c, int64_t since,
			     struct comment_signals *out)
{
	memset(out, 0, sizeof *out);
	struct arena a;
	arena_init(&a, 1024);
	enum err rc = pg_one(st, &a, G_CM_BY_EMAIL, PG_ARGS(PG_T(c->author_email)), row_count,
			     &out->approved_by_email);
	if (rc == ERR_OK)
		rc = pg_one(st, &a, G_CM_BY_IP, PG_ARGS(PG_T(or_empty(c->author_ip)), PG_I(since)),
			    row_count, &out->recent_by_ip);
	if (rc == ERR_OK && c->author_net && *c->author_net)
		rc = pg_one(st, &a, G_CM_BY_NET, PG_ARGS(PG_T(c->author_net), PG_I(since)),
			    row_count, &out->recent_by_net);
	if (rc == ERR_OK) {
		int64_t one = 0;
		rc = pg_one(st, &a, G_CM_DUP,
			    PG_ARGS(PG_I(c->post_id), PG_T(c->author_email),
				    PG_T(or_empty(c->author_ip)), PG_T(c->body_md)),
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
static enum err state(struct store *st, struct pconn *c, int64_t id, char status[16],
		      char learned[8], int64_t *post_id)
{
	enum err rc;
	PGresult *r = pg_run(st, c, G_CM_STATE, PG_ARGS(PG_I(id)), &rc);
	if (r && PQntuples(r) > 0) {
		str_copy(status, PQgetvalue(r, 0, 0), 16);
		str_copy(learned, PQgetvalue(r, 0, 1), 8);
		*post_id = pg_int(r, 0, 2);
	} else if (r) {
		rc = ERR_NOTFOUND;
	}
	PQclear(r);
	return rc;
}

/* Add delta (+1 or -1) documents under label to every token and the totals
 * (held under the token ''), in one statement. */
static enum err learn(struct store *st, struct pconn *c, const char *label, int delta,
		      const char *const *tokens, size_t n)
{
	bool ham = strcmp(label, "ham") == 0;
	struct buf b = BUF_INIT;
	/* empty tokens are not words: only the totals live under '' */
	const char **words = n ? malloc(n * sizeof *words) : NULL;
	size_t k = 0;
	for (size_t i = 0; words && i < n; i++)
		if (*tokens[i])
			words[k++] = tokens[i];
	enum err rc = (n && !words) || !pg_text_array(&b, words, k, "") ? ERR_NOMEM : ERR_OK;
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_SPAM_LEARN,
			     PG_ARGS(PG_T(b.data), PG_I(ham ? delta : 0), PG_I(ham ? 0 : delta)));
	free(words);
	buf_free(&b);
	return rc;
}

enum err pgc_comment_set_status(struct store *st, int64_t id, enum comment_status status,
				const char *const *tokens, size_t ntokens)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	char old_status[16] = "", learned[8] = "";
	int64_t post_id = 0;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
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
		rc = pg_exec(st, c, G_CM_SET_STATUS,
			     PG_ARGS(PG_I(id), PG_T(name), PG_T(label), PG_I(clock_now())));
	if (rc == ERR_OK && changed) {
		char d[48];
		bool pub = strcmp(old_status, "approved") == 0 || status == COMMENT_APPROVED;
		rc = pg_change(st, c, "comment", id, facets_comment_detail(d, sizeof d, post_id, pub));
	}
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}

enum err pgc_comment_delete(struct store *st, int64_t id)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	char status[16] = "", learned[8] = "";
	int64_t post_id = 0;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
		rc = state(st, c, id, status, learned, &post_id);
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_CM_REPARENT, PG_ARGS(PG_I(id)));
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_CM_DELETE, PG_ARGS(PG_I(id)));
	if (rc == ERR_OK) {
		char d[48];
		rc = pg_change(st, c, "comment", id,
			       facets_comment_detail(d, sizeof d, post_id, strcmp(status, "approved") == 0));
	}
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}

enum err pgc_spam_counts(struct store *st, struct arena *a, const char *const *tokens, size_t n,
			 struct spam_counts *out)
{
	memset(out, 0, sizeof *out);
	out->ham = ARENA_ARRAY(a, int64_t, n + 1);
	out->spam = ARENA_ARRAY(a, int64_t, n + 1);
	if (!out->ham || !out->spam)
		return ERR_NOMEM;
	/* every token and the totals ('') in one round trip */
	struct buf b = BUF_INIT;
	if (!pg_text_array(&b, tokens, n, "")) {
		buf_free(&b);
		return ERR_NOMEM;
	}
	struct pconn *c = pg_conn_get(st);
	if (!c) {
		buf_free(&b);
		return ERR_DB;
	}
	enum err rc;
	PGresult *r = pg_run(st, c, G_SPAM_GET, PG_ARGS(PG_T(b.data)), &rc);
	for (int row = 0; r && row < PQntuples(r); row++) {
		int64_t i = pg_int(r, row, 0) - 1;
		if (i < 0 || (size_t)i > n)
			continue;
		if ((size_t)i < n) {
			out->ham[i] = pg_int(r, row, 1);
			out->spam[i] = pg_int(r, row, 2);
		} else {
			out->ham_docs = pg_int(r, row, 1);
			out->spam_docs = pg_int(r, row, 2);
		}
	}
	PQclear(r);
	pg_conn_put(st, c);
	buf_free(&b);
	return rc;
}

enum err pgc_spam_clear(struct store *st)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_SPAM_CLEAR, NULL, 0);
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_SPAM_FORGET, NULL, 0);
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}
