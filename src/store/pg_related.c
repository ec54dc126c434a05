/* pg_related.c - "You may also like" in the PostgreSQL backend: where the
 * rows live (migration 3), as the storage steps store/related.c keeps the
 * lists current with (its header tells how), the same ones as SQLite's.
 *
 * Words: posts_search's title, body (plain text) and tags - the text
 * SQLite's posts_fts holds - through the same tokenizer (related.h's
 * rel_tok, on an in-memory SQLite connection made once per pooled
 * connection), so both backends keep the same terms, vectors and lists.
 * Blobs are bytea; weights and scores float8, sent and read as text with
 * every digit (PostgreSQL 12 or newer prints floats exactly), so a
 * posting is found again by its weight. Steps that touch several terms or
 * entries send them as arrays: one round trip each. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "store/pg_int.h"

struct pg_rel {
	struct store *st;
	struct pconn *c;
};

/* --- arrays and blobs as parameters ----------------------------------------- */

static void int_array(struct buf *b, const int64_t *v, const uint32_t *u, size_t n)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i ? "," : "", v ? (long long)v[i] : (long long)u[i]);
	buf_putc(b, '}');
}

static void float_array(struct buf *b, const double *v, const struct relvec_entry *e, size_t n)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%.17g", i ? "," : "", v ? v[i] : (double)e[i].weight);
	buf_putc(b, '}');
}

static void bytea_hex(struct buf *b, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = p;
	buf_puts(b, "\\x");
	for (size_t i = 0; i < n; i++) {
		buf_putc(b, hex[s[i] >> 4]);
		buf_putc(b, hex[s[i] & 15]);
	}
}

/* Run `which` with an array (of v, or else of u) as $1 and `second` as $2
 * (PG_NULL: none); NULL with *rc set on failure. */
static PGresult *run_array(struct pg_rel *x, enum pgs which, const int64_t *v, const uint32_t *u,
			   size_t n, struct pg_arg second, enum err *rc)
{
	struct buf b = BUF_INIT;
	int_array(&b, v, u, n);
	PGresult *r = NULL;
	if (b.oom)
		*rc = ERR_NOMEM;
	else if (second.kind == PG_ARG_NULL)
		r = pg_run(x->st, x->c, which, PG_ARGS(PG_T(b.data)), rc);
	else
		r = pg_run(x->st, x->c, which, PG_ARGS(PG_T(b.data), second), rc);
	buf_free(&b);
	return r;
}

/* The 1-based place a row names in its first column, as an index below n
 * (-1 when out of range). */
static ptrdiff_t place(const PGresult *r, int row, size_t n)
{
	int64_t i = pg_int(r, row, 0) - 1;
	return i >= 0 && (size_t)i < n ? (ptrdiff_t)i : -1;
}

static double num(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtod(PQgetvalue(r, row, col), NULL);
}

/* --- the steps ------------------------------------------------------------------ */

static enum err words(void *ud, int64_t id, struct relvec_words *w, bool *pub)
{
	struct pg_rel *x = ud;
	*pub = false;
	if (!x->c->tok && !(x->c->tok = rel_tok_new())) {
		log_error("related: cannot make the tokenizer (SQLite FTS5)");
		return ERR_NOMEM;
	}
	enum err rc;
	PGresult *r = pg_run(x->st, x->c, G_REL_TEXT, PG_ARGS(PG_I(id)), &rc);
	if (!r)
		return rc;
	if (PQntuples(r) == 1) {
		*pub = true;
		if (!rel_tok_article(x->c->tok, w, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0),
				     PQgetvalue(r, 0, 1), (size_t)PQgetlength(r, 0, 1),
				     PQgetvalue(r, 0, 2), (size_t)PQgetlength(r, 0, 2)))
			rc = ERR_NOMEM;
	}
	PQclear(r);
	return rc;
}

static enum err doc_get(void *ud, int64_t id, struct rel_doc *d)
{
	struct pg_rel *x = ud;
	memset(d, 0, sizeof *d);
	enum err rc;
	PGresult *r = pg_run(x->st, x->c, G_REL_DOC_GET, PG_ARGS(PG_I(id)), &rc);
	if (!r)
		return rc;
	if (PQntuples(r) == 1) {
		size_t tl = 0, vl = 0;
		unsigned char *tb = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 0), &tl);
		unsigned char *vb = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 1), &vl);
		rc = tb && vb ? rel_doc_read(d, tb, tl, vb, vl) : ERR_NOMEM;
		PQfreemem(tb);
		PQfreemem(vb);
	}
	PQclear(r);
	return rc;
}

static enum err doc_put(void *ud, int64_t id, const void *tb, size_t tl, const void *vb,
			size_t vl)
{
	struct pg_rel *x = ud;
	struct buf t = BUF_INIT, v = BUF_INIT;
	bytea_hex(&t, tb, tl);
	bytea_hex(&v, vb, vl);
	enum err rc = t.oom || v.oom ? ERR_NOMEM
				     : pg_exec(x->st, x->c, G_REL_DOC_PUT,
					       PG_ARGS(PG_I(id), PG_T(t.data), PG_T(v.data)));
	buf_free(&t);
	buf_free(&v);
	return rc;
}

static enum err doc_del(void *ud, int64_t id)
{
	struct pg_rel *x = ud;
	return pg_exec(x->st, x->c, G_REL_DOC_DEL, PG_ARGS(PG_I(id)));
}

static enum err df_add(void *ud, const uint32_t *term, const int64_t *delta, size_t n)
{
	struct pg_rel *x = ud;
	struct buf t = BUF_INIT, d = BUF_INIT, gone = BUF_INIT;
	int_array(&t, NULL, term, n);
	int_array(&d, delta, NULL, n);
	/* the terms whose count went down may have reached 0 */
	buf_putc(&gone, '{');
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (delta[i] < 0)
			buf_printf(&gone, "%s%lu", k++ ? "," : "", (unsigned long)term[i]);
	buf_putc(&gone, '}');
	enum err rc = t.oom || d.oom || gone.oom ? ERR_NOMEM : ERR_OK;
	if (rc == ERR_OK)
		rc = pg_exec(x->st, x->c, G_REL_DF_ADD, PG_ARGS(PG_T(t.data), PG_T(d.data)));
	if (rc == ERR_OK && k)
		rc = pg_exec(x->st, x->c, G_REL_DF_PRUNE, PG_ARGS(PG_T(gone.data)));
	buf_free(&t);
	buf_free(&d);
	buf_free(&gone);
	return rc;
}

static enum err df_get(void *ud, const uint32_t *term, size_t n, int64_t *df)
{
	enum err rc;
	PGresult *r = run_array(ud, G_REL_DF_GET, NULL, term, n, PG_NULL, &rc);
	if (!r)
		return rc;
	if ((size_t)PQntuples(r) != n) {
		log_error("related: %d frequencies for %zu terms", PQntuples(r), n);
		rc = ERR_DB;
	}
	for (size_t i = 0; rc == ERR_OK && i < n; i++)
		df[i] = pg_int(r, (int)i, 0);
	PQclear(r);
	return rc;
}

static enum err postings_put(void *ud, int64_t id, const struct relvec_entry *v, size_t n,
			     bool add)
{
	struct pg_rel *x = ud;
	if (!n)
		return ERR_OK;
	uint32_t term[RELVEC_KEEP];
	for (size_t i = 0; i < n && i < RELVEC_KEEP; i++)
		term[i] = v[i].term;
	struct buf t = BUF_INIT, w = BUF_INIT;
	int_array(&t, NULL, term, n < RELVEC_KEEP ? n : RELVEC_KEEP);
	float_array(&w, NULL, v, n < RELVEC_KEEP ? n : RELVEC_KEEP);
	enum err rc = t.oom || w.oom ? ERR_NOMEM
				     : pg_exec(x->st, x->c,
					       add ? G_REL_POSTING_ADD : G_REL_POSTING_DEL,
					       PG_ARGS(PG_T(t.data), PG_T(w.data), PG_I(id)));
	buf_free(&t);
	buf_free(&w);
	return rc;
}

static enum err postings(void *ud, const struct relvec_entry *v, size_t n, int cap,
			 rel_posting_fn each, void *arg)
{
	uint32_t term[RELVEC_KEEP];
	n = n < RELVEC_KEEP ? n : RELVEC_KEEP;
	for (size_t i = 0; i < n; i++)
		term[i] = v[i].term;
	enum err rc;
	PGresult *r = run_array(ud, G_REL_POSTINGS, NULL, term, n, PG_I(cap), &rc);
	if (!r)
		return rc;
	for (int row = 0; row < PQntuples(r); row++) {
		ptrdiff_t i = place(r, row, n);
		if (i >= 0)
			each(arg, (size_t)i, pg_int(r, row, 1), num(r, row, 2));
	}
	PQclear(r);
	return ERR_OK;
}

static enum err facets(void *ud, int64_t id, const int64_t *ids, size_t n, struct rel_facet *out)
{
	enum err rc;
	PGresult *r = run_array(ud, G_REL_FACETS, ids, NULL, n, PG_I(id), &rc);
	if (!r)
		return rc;
	for (int row = 0; row < PQntuples(r); row++) {
		ptrdiff_t i = place(r, row, n);
		if (i >= 0)
			out[i] = (struct rel_facet){true, pg_bool(r, row, 1), (int)pg_int(r, row, 3),
						    num(r, row, 2)};
	}
	PQclear(r);
	return ERR_OK;
}

static enum err list_get(void *ud, int64_t id, struct rel_list *l)
{
	struct pg_rel *x = ud;
	l->n = 0;
	enum err rc;
	PGresult *r = pg_run(x->st, x->c, G_REL_SCORES, PG_ARGS(PG_I(id)), &rc);
	if (!r)
		return rc;
	for (int row = 0; row < PQntuples(r) && l->n < RELATED_KEEP; row++) {
		l->e[l->n] = (struct relvec_cand){pg_int(r, row, 0), 0, num(r, row, 1)};
		l->n++;
	}
	PQclear(r);
	return ERR_OK;
}

static enum err list_set(void *ud, int64_t id, const struct rel_list *l)
{
	struct pg_rel *x = ud;
	enum err rc = pg_exec(x->st, x->c, G_REL_CLEAR, PG_ARGS(PG_I(id)));
	if (rc != ERR_OK || !l->n)
		return rc;
	int64_t ids[RELATED_KEEP];
	double scores[RELATED_KEEP];
	for (size_t i = 0; i < l->n; i++) {
		ids[i] = l->e[i].id;
		scores[i] = l->e[i].score;
	}
	struct buf a = BUF_INIT, s = BUF_INIT;
	int_array(&a, ids, NULL, l->n);
	float_array(&s, scores, NULL, l->n);
	rc = a.oom || s.oom ? ERR_NOMEM
			    : pg_exec(x->st, x->c, G_REL_PUT,
				      PG_ARGS(PG_I(id), PG_T(a.data), PG_T(s.data)));
	buf_free(&a);
	buf_free(&s);
	return rc;
}

static enum err changed(void *ud, int64_t id)
{
	struct pg_rel *x = ud;
	return pg_change(x->st, x->c, "related", id, "");
}

static enum err listed_by(void *ud, struct arena *a, int64_t id, int64_t **ids, size_t *n)
{
	struct pg_rel *x = ud;
	return pg_ids(x->st, x->c, a, G_REL_LISTED_BY, id, ids, n);
}

static enum err article_ids(void *ud, struct arena *a, int64_t **ids, size_t *n)
{
	struct pg_rel *x = ud;
	return pg_ids(x->st, x->c, a, G_ARTICLE_IDS, 0, ids, n);
}

static enum err clear(void *ud)
{
	struct pg_rel *x = ud;
	static const struct pg_step steps[] = {
		{G_REL_CLEAR_DOCS, {{0}}, 0},
		{G_REL_CLEAR_POSTINGS, {{0}}, 0},
		{G_REL_CLEAR_DF, {{0}}, 0},
	};
	return pg_steps(x->st, x->c, steps, sizeof steps / sizeof steps[0]);
}

static enum err begin(void *ud)
{
	struct pg_rel *x = ud;
	return pg_begin(x->st, x->c);
}

static enum err end(void *ud, enum err rc)
{
	struct pg_rel *x = ud;
	return pg_end(x->st, x->c, rc);
}

static const struct rel_ops pg_rel_ops = {
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

enum err pg_relate(struct store *st, struct pconn *c, int64_t id)
{
	struct pg_rel x = {st, c};
	return rel_relate(&pg_rel_ops, &x, id);
}

/* --- the ops ------------------------------------------------------------------------ */

/* One read of the stored list (G_REL_LIST): each row's related id, and
 * the post when it is public. */
/* A related article's card (store.h) from G_REL_LIST's first columns. */
static void row_card(struct arena *a, const PGresult *r, int row, struct post *p)
{
	pg_row_post_head(a, r, row, p);
	p->excerpt = p->summary = p->body_md = p->body_html = "";
	p->category_id = pg_int(r, row, 5);
	p->published_at = pg_int(r, row, 6);
	p->created_at = p->updated_at = p->published_at;
	p->featured_media_id = pg_int(r, row, 7);
}

enum err pgr_related(struct store *st, struct arena *a, int64_t id, int64_t now, size_t max,
		     struct post **out, size_t *n, int64_t **ids, size_t *nids)
{
	*out = NULL;
	*n = 0;
	if (ids) {
		*ids = NULL;
		*nids = 0;
	}
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc;
	PGresult *r = pg_run(st, c, G_REL_LIST, PG_ARGS(PG_I(id), PG_I(now)), &rc);
	pg_conn_put(st, c);
	if (!r)
		return rc;
	int rows = PQntuples(r);
	struct post *ps = rows ? arena_alloc(a, (size_t)rows * sizeof *ps) : NULL;
	int64_t *is = rows && ids ? arena_alloc(a, (size_t)rows * sizeof *is) : NULL;
	size_t np = 0;
	rc = ERR_OK;
	if (rows && (!ps || (ids && !is)))
		rc = ERR_NOMEM;
	for (int i = 0; rc == ERR_OK && i < rows; i++) {
		if (ids)
			is[i] = pg_int(r, i, 8);
		if (np < max && pg_bool(r, i, 9))
			row_card(a, r, i, &ps[np++]);
	}
	PQclear(r);
	if (rc == ERR_OK && a->failed)
		rc = ERR_NOMEM;
	if (rc != ERR_OK)
		return rc;
	*out = ps;
	*n = np;
	if (ids) {
		*ids = is;
		*nids = (size_t)rows;
	}
	return ERR_OK;
}

enum err pgr_related_ids(struct store *st, struct arena *a, int64_t id, int64_t **ids,
			 size_t *n)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = pg_ids(st, c, a, G_REL_OF, id, ids, n);
	pg_conn_put(st, c);
	return rc;
}

enum err pgr_relate_all(struct store *st, void (*progress)(int64_t done, int64_t total))
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	struct pg_rel x = {st, c};
	enum err rc = rel_relate_all(&pg_rel_ops, &x, progress);
	pg_conn_put(st, c);
	return rc;
}
