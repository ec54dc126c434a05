/* sqlite_related.c - "You may also like" in the SQLite backend: where the
 * rows live (migration 12, and `related` from migration 5), as the storage
 * steps related.c keeps the lists current with (its header tells how).
 *
 * Per public article related_docs holds its distinct terms and its vector
 * (blobs, search/relvec.h), related_postings the vector's entries by term,
 * heaviest first, related_df the document frequencies (term 0 = the number
 * of public articles), related its list. Words: FTS5's unicode61 tokenizer
 * of this connection and the English stemmer (sqlite_words.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/related.h"
#include "store/sqlite_int.h"

struct sq_rel {
	struct store *st;
	struct conn *c;
	struct rel_tok *tok;
};

/* FTS5's unicode61 on this connection, and the English stemmer. */
static enum err tok_open(struct store *st, struct conn *c, struct rel_tok **t)
{
	*t = NULL;
	fts5_api *api = NULL;
	sqlite3_stmt *s = stmt(st, c, S_REL_FTS5);
	if (!s)
		return ERR_DB;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_reset(s);
	*t = sq_rel_tok(api);
	return *t ? ERR_OK : ERR_DB;
}

static enum err words(void *ud, int64_t id, struct relvec_words *w, bool *pub)
{
	struct sq_rel *x = ud;
	*pub = false;
	sqlite3_stmt *s = stmt(x->st, x->c, S_REL_TEXT);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*pub = true;
		/* title, body, tags */
		rel_tok_article(x->tok, w, (const char *)sqlite3_column_text(s, 0),
				(size_t)sqlite3_column_bytes(s, 0),
				(const char *)sqlite3_column_text(s, 1),
				(size_t)sqlite3_column_bytes(s, 1),
				(const char *)sqlite3_column_text(s, 2),
				(size_t)sqlite3_column_bytes(s, 2));
	}
	enum err rc = r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : sq_err(x->st, x->c, r);
	sqlite3_reset(s);
	if (rc == ERR_OK && w->oom)
		rc = ERR_NOMEM;
	return rc;
}

static enum err doc_get(void *ud, int64_t id, struct rel_doc *d)
{
	struct sq_rel *x = ud;
	memset(d, 0, sizeof *d);
	sqlite3_stmt *s = stmt(x->st, x->c, S_REL_DOC_GET);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	enum err rc = ERR_OK;
	if (r == SQLITE_ROW)
		rc = rel_doc_read(d, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
				  sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1));
	else if (r != SQLITE_DONE)
		rc = sq_err(x->st, x->c, r);
	sqlite3_reset(s);
	return rc;
}

static enum err doc_put(void *ud, int64_t id, const void *tb, size_t tl, const void *vb,
			size_t vl)
{
	struct sq_rel *x = ud;
	sqlite3_stmt *s = stmt(x->st, x->c, S_REL_DOC_PUT);
	if (s) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_blob(s, 2, tb, (int)tl, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, vb, (int)vl, SQLITE_STATIC);
	}
	return sq_exec(x->st, x->c, s);
}

static enum err doc_del(void *ud, int64_t id)
{
	struct sq_rel *x = ud;
	return sq_run(x->st, x->c, S_REL_DOC_DEL, SQ_ARGS(SQ_I(id)));
}

static enum err df_add(void *ud, const uint32_t *term, const int64_t *delta, size_t n)
{
	struct sq_rel *x = ud;
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		rc = sq_run(x->st, x->c, S_REL_DF_ADD, SQ_ARGS(SQ_I(term[i]), SQ_I(delta[i])));
		if (rc == ERR_OK && delta[i] < 0)
			rc = sq_run(x->st, x->c, S_REL_DF_PRUNE, SQ_ARGS(SQ_I(term[i])));
	}
	return rc;
}

static enum err df_get(void *ud, const uint32_t *term, size_t n, int64_t *df)
{
	struct sq_rel *x = ud;
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		df[i] = 0;
		sqlite3_stmt *s = stmt(x->st, x->c, S_REL_DF_GET);
		if (!s)
			return ERR_DB;
		sqlite3_bind_int64(s, 1, term[i]);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW)
			df[i] = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		rc = r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : sq_err(x->st, x->c, r);
	}
	return rc;
}

static enum err postings_put(void *ud, int64_t id, const struct relvec_entry *v, size_t n,
			     bool add)
{
	struct sq_rel *x = ud;
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		sqlite3_stmt *s = stmt(x->st, x->c, add ? S_REL_POSTING_ADD : S_REL_POSTING_DEL);
		if (s) {
			sqlite3_bind_int64(s, 1, v[i].term);
			sqlite3_bind_double(s, 2, (double)v[i].weight);
			sqlite3_bind_int64(s, 3, id);
		}
		rc = sq_exec(x->st, x->c, s);
	}
	return rc;
}

static enum err postings(void *ud, const struct relvec_entry *v, size_t n, int cap,
			 rel_posting_fn each, void *arg)
{
	struct sq_rel *x = ud;
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		sqlite3_stmt *s = stmt(x->st, x->c, S_REL_POSTINGS);
		if (!s)
			return ERR_DB;
		sqlite3_bind_int64(s, 1, v[i].term);
		sqlite3_bind_int(s, 2, cap);
		int r;
		while ((r = sqlite3_step(s)) == SQLITE_ROW)
			each(arg, i, sqlite3_column_int64(s, 0), sqlite3_column_double(s, 1));
		if (r != SQLITE_DONE)
			rc = sq_err(x->st, x->c, r);
		sqlite3_reset(s);
	}
	return rc;
}

static enum err facets(void *ud, int64_t id, const int64_t *ids, size_t n, struct rel_facet *out)
{
	struct sq_rel *x = ud;
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		sqlite3_stmt *s = stmt(x->st, x->c, S_REL_FACETS);
		if (!s)
			return ERR_DB;
		sqlite3_bind_int64(s, 1, ids[i]);
		sqlite3_bind_int64(s, 2, id);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW)
			out[i] = (struct rel_facet){true, sqlite3_column_int(s, 0) != 0,
						    sqlite3_column_int(s, 2),
						    sqlite3_column_double(s, 1)};
		else if (r != SQLITE_DONE)
			rc = sq_err(x->st, x->c, r);
		sqlite3_reset(s);
	}
	return rc;
}

static enum err list_get(void *ud, int64_t id, struct rel_list *l)
{
	struct sq_rel *x = ud;
	l->n = 0;
	sqlite3_stmt *s = stmt(x->st, x->c, S_REL_SCORES);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW && l->n < RELATED_KEEP) {
		l->e[l->n].id = sqlite3_column_int64(s, 0);
		l->e[l->n].score = sqlite3_column_double(s, 1);
		l->e[l->n].dot = 0;
		l->n++;
	}
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : sq_err(x->st, x->c, r);
}

static enum err list_set(void *ud, int64_t id, const struct rel_list *l)
{
	struct sq_rel *x = ud;
	enum err rc = sq_run(x->st, x->c, S_REL_CLEAR, SQ_ARGS(SQ_I(id)));
	for (size_t i = 0; rc == ERR_OK && i < l->n; i++) {
		sqlite3_stmt *s = stmt(x->st, x->c, S_REL_PUT);
		if (s) {
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int64(s, 2, (int64_t)i);
			sqlite3_bind_int64(s, 3, l->e[i].id);
			sqlite3_bind_double(s, 4, l->e[i].score);
		}
		rc = sq_exec(x->st, x->c, s);
	}
	return rc;
}

static enum err changed(void *ud, int64_t id)
{
	struct sq_rel *x = ud;
	return sq_change(x->st, x->c, "related", id, "");
}

static enum err listed_by(void *ud, struct arena *a, int64_t id, int64_t **ids, size_t *n)
{
	struct sq_rel *x = ud;
	return sq_ids(x->st, x->c, a, S_REL_LISTED_BY, id, ids, n);
}

static enum err article_ids(void *ud, struct arena *a, int64_t **ids, size_t *n)
{
	struct sq_rel *x = ud;
	return sq_ids(x->st, x->c, a, S_ARTICLE_IDS, 0, ids, n);
}

static enum err clear(void *ud)
{
	struct sq_rel *x = ud;
	char *e = NULL;
	enum err rc = ERR_OK;
	if (sqlite3_exec(x->c->db,
			 "DELETE FROM related_docs; DELETE FROM related_postings; "
			 "DELETE FROM related_df;",
			 NULL, NULL, &e) != SQLITE_OK) {
		log_error("related: clearing: %s", e ? e : "?");
		rc = ERR_DB;
	}
	sqlite3_free(e);
	return rc;
}

static enum err begin(void *ud)
{
	struct sq_rel *x = ud;
	return sq_begin(x->st, x->c);
}

static enum err end(void *ud, enum err rc)
{
	struct sq_rel *x = ud;
	return sq_end(x->st, x->c, rc);
}

static const struct rel_ops sq_rel_ops = {
	.words = words,
	.doc_get = doc_get,
	.doc_put = doc_put,
	.doc_del = doc_del,
	.df_add = df_add,
	.df_get = df_get,
	.postings_put = postings_put,
	.postings = postings,
	.facets = facets,
	.list_get = list_get,
	.list_set = list_set,
	.changed = changed,
	.listed_by = listed_by,
	.article_ids = article_ids,
	.clear = clear,
	.begin = begin,
	.end = end,
};

enum err sq_relate(struct store *st, struct conn *c, int64_t id)
{
	struct sq_rel x = {st, c, NULL};
	enum err rc = tok_open(st, c, &x.tok);
	if (rc == ERR_OK)
		rc = rel_relate(&sq_rel_ops, &x, id);
	rel_tok_free(x.tok);
	return rc;
}

/* --- reading -------------------------------------------------------------------- */

/* A related article's card (store.h) from S_REL_LIST's first columns. */
static void row_card(struct arena *a, sqlite3_stmt *s, struct post *p)
{
	row_post_head(a, s, p);
	p->excerpt = p->summary = p->body_md = p->body_html = "";
	p->category_id = sqlite3_column_int64(s, 5);
	p->published_at = sqlite3_column_int64(s, 6);
	p->created_at = p->updated_at = p->published_at;
	p->featured_media_id = sqlite3_column_int64(s, 7);
}

/* One read of the stored list (S_REL_LIST): each row's related id, and
 * the post when it is public at `now`. */
struct related_rows {
	struct arena *a;
	int64_t now;
	size_t max;
	bool want_ids, nomem;
	struct post *ps;
	int64_t *is;
	size_t np, ni, cap;
};

static bool related_row(void *ud, sqlite3_stmt *s)
{
	struct related_rows *x = ud;
	if (x->ni == x->cap) { /* both arrays: every row has an id, some a post */
		size_t nc = x->cap ? x->cap * 2 : RELATED_KEEP;
		struct post *gp = arena_realloc(x->a, x->ps, x->cap * sizeof *gp, nc * sizeof *gp);
		int64_t *gi = gp && x->want_ids
				      ? arena_realloc(x->a, x->is, x->cap * sizeof *gi, nc * sizeof *gi)
				      : NULL;
		if (!gp || (x->want_ids && !gi)) {
			x->nomem = true;
			return false;
		}
		x->ps = gp;
		x->is = gi;
		x->cap = nc;
	}
	if (x->want_ids)
		x->is[x->ni] = sqlite3_column_int64(s, 8);
	x->ni++;
	if (x->np < x->max && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		struct post *p = &x->ps[x->np];
		row_card(x->a, s, p);
		if (post_status_visible(p->status, p->published_at, x->now))
			x->np++; /* else its place is the next row's */
	}
	/* without ids, no step past the last post wanted */
	return x->want_ids || x->np < x->max;
}

enum err sqr_related(struct store *st, struct arena *a, int64_t id, int64_t now, size_t max,
		     struct post **out, size_t *n, int64_t **ids, size_t *nids)
{
	*out = NULL;
	*n = 0;
	if (ids) {
		*ids = NULL;
		*nids = 0;
	}
	if (!ids && max == 0)
		return ERR_OK;
	struct related_rows x = {.a = a, .now = now, .max = max, .want_ids = ids != NULL};
	enum err rc = sq_each(st, S_REL_LIST, SQ_ARGS(SQ_I(id)), related_row, &x);
	if (x.nomem || a->failed)
		rc = ERR_NOMEM;
	if (rc != ERR_OK)
		return rc;
	*out = x.ps;
	*n = x.np;
	if (ids) {
		*ids = x.is;
		*nids = x.ni;
	}
	return ERR_OK;
}

enum err sqr_related_ids(struct store *st, struct arena *a, int64_t id, int64_t **ids, size_t *n)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_ids(st, c, a, S_REL_OF, id, ids, n);
	conn_put(st, c);
	return rc;
}

/* --- rebuilding everything ------------------------------------------------------- */

enum err sqr_relate_all(struct store *st, void (*progress)(int64_t done, int64_t total))
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	struct sq_rel x = {st, c, NULL};
	enum err rc = tok_open(st, c, &x.tok);
	/* the postings are written and read all over: a bigger page cache for
	 * this connection while it rebuilds (bounded; back to the default
	 * after) */
	sqlite3_exec(c->db, "PRAGMA cache_size = -131072", NULL, NULL, NULL);
	if (rc == ERR_OK)
		rc = rel_relate_all(&sq_rel_ops, &x, progress);
	sqlite3_exec(c->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	rel_tok_free(x.tok);
	conn_put(st, c);
	return rc;
}
