/* sqlite_related.c - "You may also like": each public article's related
 * articles, stored, and kept up to date by the same writes that keep the
 * search index (so they are current however an article is published).
 *
 * Why here and not in search/: the lists must change in the transaction
 * that publishes, edits or removes an article, and only the store is there.
 * What "related" means - the vectors and the score - is search/relvec.c.
 *
 * Per public article (migration 12): its distinct terms, its TF-IDF vector
 * of RELVEC_KEEP terms, the vector's postings (term -> article, heaviest
 * first) and the document frequencies. Publishing article X:
 *   1. X's terms and vector replace the old ones; the frequencies change
 *      by the difference between the old and the new terms;
 *   2. candidates are the articles sharing X's terms, found through the
 *      postings (the POSTINGS heaviest per term) and scored;
 *   3. X's list is the best RELATED_KEEP of them, and each candidate is
 *      offered X: the score is symmetric, so an older article takes X into
 *      its list when X beats its weakest entry - no recomputation;
 *   4. articles that listed X but are no longer its candidates are
 *      recomputed (X may have to leave their lists).
 * A page shows the first ones still public. Each changed list logs a
 * "related" change so the servers purge the page showing it. The cost
 * depends on the vector and the postings' cap, not on the size of the
 * site (bench/search.py measures it at 100,000 articles). */
#include <libstemmer.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "search/relvec.h"
#include "store/sqlite_int.h"

#define RELATED_KEEP 8  /* stored per article; pages show 4 */
#define POSTINGS 120    /* read per term when looking for candidates */
#define CANDIDATES 40   /* scored per article */
#define WEIGHT_TITLE 3  /* title and tag words count three times */
#define REBUILD_BATCH 500

/* --- words ----------------------------------------------------------------- */

/* FTS5's unicode61 tokenizer (case folding, diacritics removed, Unicode
 * word boundaries) and the English Snowball stemmer. */
struct words_tok {
	fts5_tokenizer tk;
	Fts5Tokenizer *tok;
	struct sb_stemmer *sb;
};

struct words_call {
	struct relvec_words *w;
	struct sb_stemmer *sb;
	unsigned weight;
};

static int on_token(void *arg, int flags, const char *tok, int n, int start, int end)
{
	(void)start;
	(void)end;
	struct words_call *c = arg;
	if (!(flags & FTS5_TOKEN_COLOCATED) && n > 0)
		relvec_words_add(c->w, c->sb, tok, (size_t)n, c->weight);
	return SQLITE_OK;
}

static enum err tok_open(struct store *st, struct conn *c, struct words_tok *t)
{
	memset(t, 0, sizeof *t);
	fts5_api *api = NULL;
	sqlite3_stmt *s = stmt(st, c, S_REL_FTS5);
	if (!s)
		return ERR_DB;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_reset(s);
	void *ud = NULL;
	const char *args[] = {"remove_diacritics", "2"};
	if (!api || api->xFindTokenizer(api, "unicode61", &ud, &t->tk) != SQLITE_OK ||
	    t->tk.xCreate(ud, args, 2, &t->tok) != SQLITE_OK) {
		t->tok = NULL;
		return ERR_DB;
	}
	t->sb = sb_stemmer_new("english", NULL);
	if (!t->sb) {
		t->tk.xDelete(t->tok);
		t->tok = NULL;
		return ERR_NOMEM;
	}
	return ERR_OK;
}

static void tok_close(struct words_tok *t)
{
	if (t->tok)
		t->tk.xDelete(t->tok);
	if (t->sb)
		sb_stemmer_delete(t->sb);
	memset(t, 0, sizeof *t);
}

static void tokenize(struct words_tok *t, struct relvec_words *w, const unsigned char *text,
		     int len, unsigned weight)
{
	struct words_call call = {w, t->sb, weight};
	if (text && len > 0)
		t->tk.xTokenize(t->tok, &call, FTS5_TOKENIZE_DOCUMENT, (const char *)text, len,
				on_token);
}

/* The counted words of article id, *pub = false when it is not a public
 * article (not in the search index). */
static enum err words_of(struct store *st, struct conn *c, struct words_tok *t, int64_t id,
			 struct relvec_words *w, bool *pub)
{
	*pub = false;
	sqlite3_stmt *s = stmt(st, c, S_REL_TEXT);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*pub = true;
		/* title, body, tags */
		tokenize(t, w, sqlite3_column_text(s, 0), sqlite3_column_bytes(s, 0), WEIGHT_TITLE);
		tokenize(t, w, sqlite3_column_text(s, 2), sqlite3_column_bytes(s, 2), WEIGHT_TITLE);
		tokenize(t, w, sqlite3_column_text(s, 1), sqlite3_column_bytes(s, 1), 1);
		relvec_words_finish(w);
	}
	enum err rc = r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : sq_err(st, c, r);
	sqlite3_reset(s);
	if (rc == ERR_OK && w->oom)
		rc = ERR_NOMEM;
	return rc;
}

/* --- stored state ---------------------------------------------------------- */

struct doc {
	bool exists;
	uint32_t *terms; /* malloc'd */
	size_t nterms;
	struct relvec_entry vec[RELVEC_KEEP];
	size_t nvec;
};

static enum err doc_load(struct store *st, struct conn *c, int64_t id, struct doc *d)
{
	memset(d, 0, sizeof *d);
	sqlite3_stmt *s = stmt(st, c, S_REL_DOC_GET);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	enum err rc = ERR_OK;
	if (r == SQLITE_ROW) {
		d->exists = true;
		if (!relvec_terms_read(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
				       &d->terms, &d->nterms) ||
		    !relvec_vector_read(sqlite3_column_blob(s, 1),
					(size_t)sqlite3_column_bytes(s, 1), d->vec, &d->nvec))
			rc = ERR_DB; /* not what this file writes */
	} else if (r != SQLITE_DONE) {
		rc = sq_err(st, c, r);
	}
	sqlite3_reset(s);
	return rc;
}

static enum err doc_put(struct store *st, struct conn *c, int64_t id, const uint32_t *terms,
			size_t nterms, const struct relvec_entry *vec, size_t nvec)
{
	size_t tl = 0, vl = 0;
	void *tb = relvec_terms_blob(terms, nterms, &tl);
	void *vb = relvec_vector_blob(vec, nvec, &vl);
	enum err rc = tb && vb ? ERR_OK : ERR_NOMEM;
	sqlite3_stmt *s = rc == ERR_OK ? stmt(st, c, S_REL_DOC_PUT) : NULL;
	if (s) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_blob(s, 2, tb, (int)tl, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, vb, (int)vl, SQLITE_STATIC);
	}
	if (rc == ERR_OK)
		rc = sq_exec(st, c, s);
	free(tb);
	free(vb);
	return rc;
}

static enum err df_add(struct store *st, struct conn *c, uint32_t term, int delta)
{
	enum err rc = sq_run(st, c, S_REL_DF_ADD, SQ_ARGS(SQ_I(term), SQ_I(delta)));
	if (rc == ERR_OK && delta < 0)
		rc = sq_run(st, c, S_REL_DF_PRUNE, SQ_ARGS(SQ_I(term)));
	return rc;
}

static enum err df_get(struct store *st, struct conn *c, uint32_t term, int64_t *df)
{
	*df = 0;
	sqlite3_stmt *s = stmt(st, c, S_REL_DF_GET);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, term);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*df = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : sq_err(st, c, r);
}

/* Add or remove a vector's postings. */
static enum err postings(struct store *st, struct conn *c, int64_t id,
			 const struct relvec_entry *v, size_t n, bool add)
{
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		sqlite3_stmt *s = stmt(st, c, add ? S_REL_POSTING_ADD : S_REL_POSTING_DEL);
		if (s) {
			sqlite3_bind_int64(s, 1, v[i].term);
			sqlite3_bind_double(s, 2, (double)v[i].weight);
			sqlite3_bind_int64(s, 3, id);
		}
		rc = sq_exec(st, c, s);
	}
	return rc;
}

/* --- lists ------------------------------------------------------------------- */

struct list {
	struct relvec_cand e[RELATED_KEEP];
	size_t n;
};

static enum err list_get(struct store *st, struct conn *c, int64_t id, struct list *l)
{
	l->n = 0;
	sqlite3_stmt *s = stmt(st, c, S_REL_SCORES);
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
	return r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : sq_err(st, c, r);
}

/* Store id's list when it differs from what is stored (ids in order, or
 * scores), logging a "related" change when the ids differ. */
static enum err list_put(struct store *st, struct conn *c, int64_t id, const struct list *l)
{
	struct list old;
	enum err rc = list_get(st, c, id, &old);
	if (rc != ERR_OK)
		return rc;
	bool same_ids = old.n == l->n, same = same_ids;
	for (size_t i = 0; same_ids && i < l->n; i++) {
		same_ids = old.e[i].id == l->e[i].id;
		same = same_ids && fabs(old.e[i].score - l->e[i].score) < 1e-9;
	}
	if (same)
		return ERR_OK;
	rc = sq_run(st, c, S_REL_CLEAR, SQ_ARGS(SQ_I(id)));
	for (size_t i = 0; rc == ERR_OK && i < l->n; i++) {
		sqlite3_stmt *s = stmt(st, c, S_REL_PUT);
		if (s) {
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int64(s, 2, (int64_t)i);
			sqlite3_bind_int64(s, 3, l->e[i].id);
			sqlite3_bind_double(s, 4, l->e[i].score);
		}
		rc = sq_exec(st, c, s);
	}
	if (rc == ERR_OK && !same_ids)
		rc = sq_change(st, c, "related", id, "");
	return rc;
}

/* --- candidates ---------------------------------------------------------------- */

/* The articles sharing terms with vector v of article id, best first by
 * score (by dot product alone when scored is false: id is gone). */
static enum err candidates(struct store *st, struct conn *c, int64_t id,
			   const struct relvec_entry *v, size_t nv, bool scored,
			   struct relvec_cand *out, size_t *n)
{
	*n = 0;
	struct relvec_acc acc;
	relvec_acc_init(&acc);
	enum err rc = ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < nv; i++) {
		sqlite3_stmt *s = stmt(st, c, S_REL_POSTINGS);
		if (!s) {
			rc = ERR_DB;
			break;
		}
		sqlite3_bind_int64(s, 1, v[i].term);
		sqlite3_bind_int(s, 2, POSTINGS);
		int r;
		while ((r = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t other = sqlite3_column_int64(s, 0);
			if (other != id)
				relvec_acc_add(&acc, other, (double)v[i].weight *
								sqlite3_column_double(s, 1));
		}
		if (r != SQLITE_DONE)
			rc = sq_err(st, c, r);
		sqlite3_reset(s);
	}
	if (rc == ERR_OK && acc.oom)
		rc = ERR_NOMEM;
	size_t k = rc == ERR_OK ? relvec_acc_top(&acc, out, CANDIDATES) : 0;
	relvec_acc_free(&acc);
	for (size_t i = 0; rc == ERR_OK && i < k; i++) {
		out[i].score = out[i].dot;
		if (!scored)
			continue;
		sqlite3_stmt *s = stmt(st, c, S_REL_FACETS);
		if (!s) {
			rc = ERR_DB;
			break;
		}
		sqlite3_bind_int64(s, 1, out[i].id);
		sqlite3_bind_int64(s, 2, id);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW)
			out[i].score = relvec_score(out[i].dot, sqlite3_column_int(s, 0) != 0,
						    sqlite3_column_int(s, 2),
						    sqlite3_column_double(s, 1));
		else if (r != SQLITE_DONE)
			rc = sq_err(st, c, r);
		sqlite3_reset(s);
	}
	if (rc == ERR_OK) {
		relvec_sort(out, k);
		*n = k;
	}
	return rc;
}

/* Recompute id's list from its stored vector. */
static enum err relate_one(struct store *st, struct conn *c, int64_t id)
{
	struct doc d;
	enum err rc = doc_load(st, c, id, &d);
	free(d.terms);
	struct relvec_cand cs[CANDIDATES];
	size_t n = 0;
	if (rc == ERR_OK && d.nvec)
		rc = candidates(st, c, id, d.vec, d.nvec, true, cs, &n);
	if (rc != ERR_OK)
		return rc;
	struct list l = {.n = n < RELATED_KEEP ? n : RELATED_KEEP};
	memcpy(l.e, cs, l.n * sizeof *l.e);
	return list_put(st, c, id, &l);
}

/* Article y's list, offered x with the score they have together. */
static enum err offer(struct store *st, struct conn *c, int64_t y, int64_t x, double score)
{
	struct list l;
	enum err rc = list_get(st, c, y, &l);
	if (rc != ERR_OK)
		return rc;
	size_t at = 0;
	while (at < l.n && l.e[at].id != x)
		at++;
	if (at < l.n) {
		if (score < l.e[at].score - 1e-9 && l.n == RELATED_KEEP)
			return relate_one(st, c, y); /* x may have to make room */
		l.e[at].score = score;
	} else if (l.n < RELATED_KEEP) {
		l.e[l.n++] = (struct relvec_cand){x, 0, score};
	} else if (score > l.e[l.n - 1].score) {
		l.e[l.n - 1] = (struct relvec_cand){x, 0, score};
	} else {
		return ERR_OK;
	}
	relvec_sort(l.e, l.n);
	return list_put(st, c, y, &l);
}

/* --- publishing and removing ------------------------------------------------- */

/* Frequencies: -1 for the terms only in old, +1 for those only in new (both
 * sorted), and the article count. */
static enum err df_diff(struct store *st, struct conn *c, const struct doc *old,
			const struct relvec_words *w, bool pub)
{
	const uint32_t *a = old->terms, *b = pub ? w->term : NULL;
	size_t na = old->nterms, nb = pub ? w->n : 0, i = 0, k = 0;
	enum err rc = ERR_OK;
	if (old->exists != pub)
		rc = df_add(st, c, 0, pub ? 1 : -1);
	while (rc == ERR_OK && (i < na || k < nb)) {
		if (k == nb || (i < na && a[i] < b[k]))
			rc = df_add(st, c, a[i++], -1);
		else if (i == na || b[k] < a[i])
			rc = df_add(st, c, b[k++], 1);
		else
			i++, k++;
	}
	return rc;
}

static bool listed(const struct relvec_cand *cs, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (cs[i].id == id)
			return true;
	return false;
}

/* id left the public articles (or was deleted): its vector goes, and the
 * lists that had it, or had room for it, are recomputed. */
static enum err relate_gone(struct store *st, struct conn *c, int64_t id, struct doc *old,
			    const int64_t *was, size_t nwas)
{
	struct relvec_cand cs[CANDIDATES];
	size_t n = 0;
	struct relvec_words none;
	relvec_words_init(&none);
	enum err rc = ERR_OK;
	if (old->exists) {
		/* a deleted article's rows in others' lists went with it (ON
		 * DELETE CASCADE): its old candidates are where they were */
		rc = candidates(st, c, id, old->vec, old->nvec, false, cs, &n);
		if (rc == ERR_OK)
			rc = postings(st, c, id, old->vec, old->nvec, false);
		if (rc == ERR_OK)
			rc = df_diff(st, c, old, &none, false);
		if (rc == ERR_OK)
			rc = sq_run(st, c, S_REL_DOC_DEL, SQ_ARGS(SQ_I(id)));
	}
	struct list empty = {.n = 0};
	if (rc == ERR_OK)
		rc = list_put(st, c, id, &empty);
	for (size_t i = 0; rc == ERR_OK && i < nwas; i++)
		rc = relate_one(st, c, was[i]);
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		bool done = false;
		for (size_t k = 0; k < nwas && !done; k++)
			done = was[k] == cs[i].id;
		struct list l;
		if (!done && (rc = list_get(st, c, cs[i].id, &l)) == ERR_OK && l.n < RELATED_KEEP)
			rc = relate_one(st, c, cs[i].id);
	}
	return rc;
}

/* id is public: steps 1-4 of the header, old its stored state, w its
 * words, was the articles listing it before. */
static enum err relate_public(struct store *st, struct conn *c, int64_t id,
			      const struct doc *old, const struct relvec_words *w,
			      const int64_t *was, size_t nwas)
{
	/* 1. frequencies, vector, postings */
	int64_t ndocs = 0, *df = malloc((w->n ? w->n : 1) * sizeof *df);
	enum err rc = df ? df_diff(st, c, old, w, true) : ERR_NOMEM;
	if (rc == ERR_OK)
		rc = df_get(st, c, 0, &ndocs);
	for (size_t i = 0; rc == ERR_OK && i < w->n; i++)
		rc = df_get(st, c, w->term[i], &df[i]);
	struct relvec_entry vec[RELVEC_KEEP];
	size_t nvec = rc == ERR_OK ? relvec_build(w->term, w->tf, df, w->n, ndocs, vec) : 0;
	free(df);
	if (rc == ERR_OK && !relvec_vector_equal(old->vec, old->nvec, vec, nvec)) {
		rc = postings(st, c, id, old->vec, old->nvec, false);
		if (rc == ERR_OK)
			rc = postings(st, c, id, vec, nvec, true);
	}
	if (rc == ERR_OK)
		rc = doc_put(st, c, id, w->term, w->n, vec, nvec);

	/* 2, 3. its list, and its candidates' */
	struct relvec_cand cs[CANDIDATES];
	size_t n = 0;
	if (rc == ERR_OK)
		rc = candidates(st, c, id, vec, nvec, true, cs, &n);
	struct list mine = {.n = n < RELATED_KEEP ? n : RELATED_KEEP};
	memcpy(mine.e, cs, mine.n * sizeof *mine.e);
	if (rc == ERR_OK)
		rc = list_put(st, c, id, &mine);
	for (size_t i = 0; rc == ERR_OK && i < n; i++)
		rc = offer(st, c, cs[i].id, id, cs[i].score);

	/* 4. lists that had it and may no longer */
	for (size_t i = 0; rc == ERR_OK && i < nwas; i++)
		if (!listed(cs, n, was[i]))
			rc = relate_one(st, c, was[i]);
	return rc;
}

enum err sq_relate(struct store *st, struct conn *c, int64_t id)
{
	struct arena a;
	arena_init(&a, 0);
	struct doc old = {0};
	struct relvec_words w;
	relvec_words_init(&w);
	struct words_tok t;
	int64_t *was = NULL;
	size_t nwas = 0;
	bool pub = false;
	enum err rc = tok_open(st, c, &t);
	if (rc == ERR_OK)
		rc = sq_ids(st, c, &a, S_REL_LISTED_BY, id, &was, &nwas);
	if (rc == ERR_OK)
		rc = doc_load(st, c, id, &old);
	if (rc == ERR_OK)
		rc = words_of(st, c, &t, id, &w, &pub);
	tok_close(&t);
	if (rc == ERR_OK)
		rc = pub ? relate_public(st, c, id, &old, &w, was, nwas)
			 : relate_gone(st, c, id, &old, was, nwas);
	free(old.terms);
	relvec_words_free(&w);
	arena_free(&a);
	return rc;
}

/* --- reading -------------------------------------------------------------------- */

enum err sqr_related(struct store *st, struct arena *a, int64_t id, int64_t now,
		     struct post **out, size_t *n)
{
	return sq_all(st, a, S_REL_LIST, SQ_ARGS(SQ_I(id), SQ_I(now)), row_post, sizeof **out,
		      (void **)out, n);
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

/* --- rebuilding everything ---------------------------------------------------------
 *
 * Three passes over the articles, each in transactions of REBUILD_BATCH:
 * count the document frequencies (in memory: one counter per distinct
 * term of the site, whatever the number of articles), then the vectors,
 * then the lists. Lists are compared with the stored ones, so only those
 * that change are logged (and purged). */

struct rebuild {
	struct store *st;
	struct conn *c;
	struct words_tok t;
	struct relvec_words df; /* term -> articles having it */
	int64_t ndocs;
	int pass;
	void (*progress)(int64_t done, int64_t total);
};

static enum err rebuild_one(struct rebuild *r, int64_t id)
{
	struct relvec_words w;
	relvec_words_init(&w);
	bool pub = false;
	enum err rc = ERR_OK;
	if (r->pass < 2)
		rc = words_of(r->st, r->c, &r->t, id, &w, &pub);
	if (rc == ERR_OK && r->pass == 0 && pub) {
		for (size_t i = 0; i < w.n; i++)
			relvec_words_put(&r->df, w.term[i], 1);
		r->ndocs++;
		if (r->df.oom)
			rc = ERR_NOMEM;
	} else if (rc == ERR_OK && r->pass == 1 && pub) {
		int64_t *df = malloc((w.n ? w.n : 1) * sizeof *df);
		struct relvec_entry vec[RELVEC_KEEP];
		size_t nvec = 0;
		if (!df) {
			rc = ERR_NOMEM;
		} else {
			for (size_t i = 0; i < w.n; i++)
				df[i] = relvec_words_get(&r->df, w.term[i]);
			nvec = relvec_build(w.term, w.tf, df, w.n, r->ndocs, vec);
			free(df);
			rc = postings(r->st, r->c, id, vec, nvec, true);
		}
		if (rc == ERR_OK)
			rc = doc_put(r->st, r->c, id, w.term, w.n, vec, nvec);
	} else if (rc == ERR_OK && r->pass == 2) {
		rc = relate_one(r->st, r->c, id);
	}
	relvec_words_free(&w);
	return rc;
}

static enum err rebuild_df(struct rebuild *r)
{
	relvec_words_finish(&r->df);
	if (r->df.oom)
		return ERR_NOMEM;
	enum err rc = sq_run(r->st, r->c, S_REL_DF_ADD, SQ_ARGS(SQ_I(0), SQ_I(r->ndocs)));
	for (size_t i = 0; rc == ERR_OK && i < r->df.n; i++)
		rc = sq_run(r->st, r->c, S_REL_DF_ADD,
			    SQ_ARGS(SQ_I(r->df.term[i]), SQ_I(r->df.tf[i])));
	return rc;
}

enum err sqr_relate_all(struct store *st, void (*progress)(int64_t done, int64_t total))
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	struct rebuild r = {.st = st, .c = c, .progress = progress};
	relvec_words_init(&r.df);
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL;
	size_t n = 0;
	enum err rc = sq_ids(st, c, &a, S_ARTICLE_IDS, 0, &ids, &n);
	if (rc == ERR_OK)
		rc = tok_open(st, c, &r.t);
	/* the postings are written and read all over: a bigger page cache for
	 * this connection while it rebuilds (bounded; back to the default
	 * after) */
	sqlite3_exec(c->db, "PRAGMA cache_size = -131072", NULL, NULL, NULL);
	if (rc == ERR_OK && (rc = sq_begin(st, c)) == ERR_OK) {
		char *e = NULL;
		if (sqlite3_exec(c->db,
				 "DELETE FROM related_docs; DELETE FROM related_postings; "
				 "DELETE FROM related_df;",
				 NULL, NULL, &e) != SQLITE_OK) {
			log_error("related: clearing: %s", e ? e : "?");
			rc = ERR_DB;
		}
		sqlite3_free(e);
		rc = sq_end(st, c, rc);
	}
	int64_t total = 3 * (int64_t)n;
	for (r.pass = 0; rc == ERR_OK && r.pass < 3; r.pass++) {
		for (size_t i = 0; rc == ERR_OK && (i < n || (i == 0 && r.pass == 1));
		     i += REBUILD_BATCH) {
			size_t end = i + REBUILD_BATCH < n ? i + REBUILD_BATCH : n;
			rc = sq_begin(st, c);
			if (rc == ERR_OK && r.pass == 1 && i == 0)
				rc = rebuild_df(&r);
			for (size_t k = i; rc == ERR_OK && k < end; k++)
				rc = rebuild_one(&r, ids[k]);
			rc = sq_end(st, c, rc);
			if (rc == ERR_OK && progress && n)
				progress((int64_t)r.pass * (int64_t)n + (int64_t)end, total);
			if (end == n)
				break;
		}
	}
	sqlite3_exec(c->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	tok_close(&r.t);
	relvec_words_free(&r.df);
	arena_free(&a);
	conn_put(st, c);
	return rc;
}
