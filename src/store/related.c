/* related.c - "You may also like": each public article's related articles,
 * stored, and kept up to date by the same writes that keep the search index
 * (so they are current however an article is published). Shared by both
 * backends; each gives its storage steps as a struct rel_ops (related.h).
 *
 * Why in the store and not in search/: the lists must change in the
 * transaction that publishes, edits or removes an article, and only the
 * store is there. What "related" means - the vectors and the score - is
 * search/relvec.c.
 *
 * Per public article: its distinct terms, its TF-IDF vector of RELVEC_KEEP
 * terms, the vector's postings (term -> article, heaviest first) and the
 * document frequencies. Publishing article X:
 *   1. X's terms and vector replace the old ones; the frequencies change
 *      by the difference between the old and the new terms;
 *   2. candidates are the articles sharing X's terms, found through the
 *      postings (the RELATED_POSTINGS heaviest per term) and scored;
 *   3. X's list is the best RELATED_KEEP of them, and each candidate is
 *      offered X: the score is symmetric, so an older article takes X into
 *      its list when X beats its weakest entry - no recomputation;
 *   4. articles that listed X but are no longer its candidates are
 *      recomputed (X may have to leave their lists).
 * A page shows the first ones still public. Each changed list logs a
 * "related" change so the servers purge the page showing it. The cost
 * depends on the vector and the postings' cap, not on the size of the
 * site (bench/search.py measures it at 100,000 articles). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/related.h"

#define CANDIDATES 40   /* scored per article */
#define REBUILD_BATCH 500

struct rel {
	const struct rel_ops *ops;
	void *ud;
};

/* --- stored state ---------------------------------------------------------- */

enum err rel_doc_read(struct rel_doc *d, const void *terms, size_t tl, const void *vec,
		      size_t vl)
{
	d->exists = true;
	if (!relvec_terms_read(terms, tl, &d->terms, &d->nterms) ||
	    !relvec_vector_read(vec, vl, d->vec, &d->nvec))
		return ERR_DB; /* not what this file writes */
	return ERR_OK;
}

void rel_doc_free(struct rel_doc *d)
{
	free(d->terms);
	d->terms = NULL;
	d->nterms = 0;
}

static enum err doc_put(struct rel *r, int64_t id, const uint32_t *terms, size_t nterms,
			const struct relvec_entry *vec, size_t nvec)
{
	size_t tl = 0, vl = 0;
	void *tb = relvec_terms_blob(terms, nterms, &tl);
	void *vb = relvec_vector_blob(vec, nvec, &vl);
	enum err rc = tb && vb ? r->ops->doc_put(r->ud, id, tb, tl, vb, vl) : ERR_NOMEM;
	free(tb);
	free(vb);
	return rc;
}

/* --- lists ------------------------------------------------------------------- */

/* Store id's list when it differs from what is stored (ids in order, or
 * scores), logging a "related" change when the ids differ. */
static enum err list_put(struct rel *r, int64_t id, const struct rel_list *l)
{
	struct rel_list old;
	enum err rc = r->ops->list_get(r->ud, id, &old);
	if (rc != ERR_OK)
		return rc;
	bool same_ids = old.n == l->n, same = same_ids;
	for (size_t i = 0; same_ids && i < l->n; i++) {
		same_ids = old.e[i].id == l->e[i].id;
		same = same_ids && fabs(old.e[i].score - l->e[i].score) < 1e-9;
	}
	if (same)
		return ERR_OK;
	rc = r->ops->list_set(r->ud, id, l);
	if (rc == ERR_OK && !same_ids)
		rc = r->ops->changed(r->ud, id);
	return rc;
}

/* --- candidates ---------------------------------------------------------------- */

struct acc_call {
	struct relvec_acc *acc;
	const struct relvec_entry *v;
	int64_t self;
};

static void on_posting(void *arg, size_t i, int64_t other, double weight)
{
	struct acc_call *a = arg;
	if (other != a->self)
		relvec_acc_add(a->acc, other, (double)a->v[i].weight * weight);
}

/* The articles sharing terms with vector v of article id, best first by
 * score (by dot product alone when scored is false: id is gone). */
static enum err candidates(struct rel *r, int64_t id, const struct relvec_entry *v, size_t nv,
			   bool scored, struct relvec_cand *out, size_t *n)
{
	*n = 0;
	struct relvec_acc acc;
	relvec_acc_init(&acc);
	struct acc_call call = {&acc, v, id};
	enum err rc = nv ? r->ops->postings(r->ud, v, nv, RELATED_POSTINGS, on_posting, &call)
			 : ERR_OK;
	if (rc == ERR_OK && acc.oom)
		rc = ERR_NOMEM;
	size_t k = rc == ERR_OK ? relvec_acc_top(&acc, out, CANDIDATES) : 0;
	relvec_acc_free(&acc);
	for (size_t i = 0; i < k; i++)
		out[i].score = out[i].dot;
	if (rc == ERR_OK && scored && k) {
		int64_t ids[CANDIDATES];
		struct rel_facet f[CANDIDATES];
		for (size_t i = 0; i < k; i++)
			ids[i] = out[i].id;
		memset(f, 0, sizeof f);
		rc = r->ops->facets(r->ud, id, ids, k, f);
		for (size_t i = 0; rc == ERR_OK && i < k; i++)
			if (f[i].found)
				out[i].score = relvec_score(out[i].dot, f[i].same_category,
							    f[i].shared_tags, f[i].seconds_apart);
	}
	if (rc == ERR_OK) {
		relvec_sort(out, k);
		*n = k;
	}
	return rc;
}

/* Recompute id's list from its stored vector. */
static enum err relate_one(struct rel *r, int64_t id)
{
	struct rel_doc d;
	memset(&d, 0, sizeof d);
	enum err rc = r->ops->doc_get(r->ud, id, &d);
	rel_doc_free(&d);
	struct relvec_cand cs[CANDIDATES];
	size_t n = 0;
	if (rc == ERR_OK && d.nvec)
		rc = candidates(r, id, d.vec, d.nvec, true, cs, &n);
	if (rc != ERR_OK)
		return rc;
	struct rel_list l = {.n = n < RELATED_KEEP ? n : RELATED_KEEP};
	memcpy(l.e, cs, l.n * sizeof *l.e);
	return list_put(r, id, &l);
}

/* Article y's list, offered x with the score they have together. */
static enum err offer(struct rel *r, int64_t y, int64_t x, double score)
{
	struct rel_list l;
	enum err rc = r->ops->list_get(r->ud, y, &l);
	if (rc != ERR_OK)
		return rc;
	size_t at = 0;
	while (at < l.n && l.e[at].id != x)
		at++;
	if (at < l.n) {
		if (score < l.e[at].score - 1e-9 && l.n == RELATED_KEEP)
			return relate_one(r, y); /* x may have to make room */
		l.e[at].score = score;
	} else if (l.n < RELATED_KEEP) {
		l.e[l.n++] = (struct relvec_cand){x, 0, score};
	} else if (score > l.e[l.n - 1].score) {
		l.e[l.n - 1] = (struct relvec_cand){x, 0, score};
	} else {
		return ERR_OK;
	}
	relvec_sort(l.e, l.n);
	return list_put(r, y, &l);
}

/* --- publishing and removing ------------------------------------------------- */

/* Frequencies: the article count, then -1 for the terms only in old, +1
 * for those only in new (both sorted), in term order. */
static enum err df_diff(struct rel *r, const struct rel_doc *old, const struct relvec_words *w,
			bool pub)
{
	const uint32_t *a = old->terms, *b = pub ? w->term : NULL;
	size_t na = old->nterms, nb = pub ? w->n : 0, i = 0, k = 0, n = 0;
	uint32_t *term = malloc((na + nb + 1) * sizeof *term);
	int64_t *delta = malloc((na + nb + 1) * sizeof *delta);
	enum err rc = term && delta ? ERR_OK : ERR_NOMEM;
	if (rc == ERR_OK && old->exists != pub) {
		term[n] = 0;
		delta[n++] = pub ? 1 : -1;
	}
	while (rc == ERR_OK && (i < na || k < nb)) {
		if (k == nb || (i < na && a[i] < b[k])) {
			term[n] = a[i++];
			delta[n++] = -1;
		} else if (i == na || b[k] < a[i]) {
			term[n] = b[k++];
			delta[n++] = 1;
		} else {
			i++, k++;
		}
	}
	if (rc == ERR_OK && n)
		rc = r->ops->df_add(r->ud, term, delta, n);
	free(term);
	free(delta);
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
static enum err relate_gone(struct rel *r, int64_t id, const struct rel_doc *old,
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
		rc = candidates(r, id, old->vec, old->nvec, false, cs, &n);
		if (rc == ERR_OK)
			rc = r->ops->postings_put(r->ud, id, old->vec, old->nvec, false);
		if (rc == ERR_OK)
			rc = df_diff(r, old, &none, false);
		if (rc == ERR_OK)
			rc = r->ops->doc_del(r->ud, id);
	}
	struct rel_list empty = {.n = 0};
	if (rc == ERR_OK)
		rc = list_put(r, id, &empty);
	for (size_t i = 0; rc == ERR_OK && i < nwas; i++)
		rc = relate_one(r, was[i]);
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		bool done = false;
		for (size_t k = 0; k < nwas && !done; k++)
			done = was[k] == cs[i].id;
		struct rel_list l;
		if (!done && (rc = r->ops->list_get(r->ud, cs[i].id, &l)) == ERR_OK &&
		    l.n < RELATED_KEEP)
			rc = relate_one(r, cs[i].id);
	}
	return rc;
}

/* id is public: steps 1-4 of the header, old its stored state, w its
 * words, was the articles listing it before. */
static enum err relate_public(struct rel *r, int64_t id, const struct rel_doc *old,
			      const struct relvec_words *w, const int64_t *was, size_t nwas)
{
	/* 1. frequencies, vector, postings */
	int64_t ndocs = 0, *df = malloc((w->n ? w->n : 1) * sizeof *df);
	uint32_t zero = 0;
	enum err rc = df ? df_diff(r, old, w, true) : ERR_NOMEM;
	if (rc == ERR_OK)
		rc = r->ops->df_get(r->ud, &zero, 1, &ndocs);
	if (rc == ERR_OK && w->n)
		rc = r->ops->df_get(r->ud, w->term, w->n, df);
	struct relvec_entry vec[RELVEC_KEEP];
	size_t nvec = rc == ERR_OK ? relvec_build(w->term, w->tf, df, w->n, ndocs, vec) : 0;
	free(df);
	if (rc == ERR_OK && !relvec_vector_equal(old->vec, old->nvec, vec, nvec)) {
		rc = r->ops->postings_put(r->ud, id, old->vec, old->nvec, false);
		if (rc == ERR_OK)
			rc = r->ops->postings_put(r->ud, id, vec, nvec, true);
	}
	if (rc == ERR_OK)
		rc = doc_put(r, id, w->term, w->n, vec, nvec);

	/* 2, 3. its list, and its candidates' */
	struct relvec_cand cs[CANDIDATES];
	size_t n = 0;
	if (rc == ERR_OK)
		rc = candidates(r, id, vec, nvec, true, cs, &n);
	struct rel_list mine = {.n = n < RELATED_KEEP ? n : RELATED_KEEP};
	memcpy(mine.e, cs, mine.n * sizeof *mine.e);
	if (rc == ERR_OK)
		rc = list_put(r, id, &mine);
	for (size_t i = 0; rc == ERR_OK && i < n; i++)
		rc = offer(r, cs[i].id, id, cs[i].score);

	/* 4. lists that had it and may no longer */
	for (size_t i = 0; rc == ERR_OK && i < nwas; i++)
		if (!listed(cs, n, was[i]))
			rc = relate_one(r, was[i]);
	return rc;
}

enum err rel_relate(const struct rel_ops *ops, void *ud, int64_t id)
{
	struct rel r = {ops, ud};
	struct arena a;
	arena_init(&a, 0);
	struct rel_doc old;
	memset(&old, 0, sizeof old);
	struct relvec_words w;
	relvec_words_init(&w);
	int64_t *was = NULL;
	size_t nwas = 0;
	bool pub = false;
	enum err rc = ops->listed_by(ud, &a, id, &was, &nwas);
	if (rc == ERR_OK)
		rc = ops->doc_get(ud, id, &old);
	if (rc == ERR_OK)
		rc = ops->words(ud, id, &w, &pub);
	if (rc == ERR_OK)
		rc = pub ? relate_public(&r, id, &old, &w, was, nwas)
			 : relate_gone(&r, id, &old, was, nwas);
	rel_doc_free(&old);
	relvec_words_free(&w);
	arena_free(&a);
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
	struct rel r;
	struct relvec_words df; /* term -> articles having it */
	int64_t ndocs;
	int pass;
};

static enum err rebuild_one(struct rebuild *b, int64_t id)
{
	struct rel *r = &b->r;
	struct relvec_words w;
	relvec_words_init(&w);
	bool pub = false;
	enum err rc = ERR_OK;
	if (b->pass < 2)
		rc = r->ops->words(r->ud, id, &w, &pub);
	if (rc == ERR_OK && b->pass == 0 && pub) {
		for (size_t i = 0; i < w.n; i++)
			relvec_words_put(&b->df, w.term[i], 1);
		b->ndocs++;
		if (b->df.oom)
			rc = ERR_NOMEM;
	} else if (rc == ERR_OK && b->pass == 1 && pub) {
		int64_t *df = malloc((w.n ? w.n : 1) * sizeof *df);
		struct relvec_entry vec[RELVEC_KEEP];
		size_t nvec = 0;
		if (!df) {
			rc = ERR_NOMEM;
		} else {
			for (size_t i = 0; i < w.n; i++)
				df[i] = relvec_words_get(&b->df, w.term[i]);
			nvec = relvec_build(w.term, w.tf, df, w.n, b->ndocs, vec);
			free(df);
			rc = r->ops->postings_put(r->ud, id, vec, nvec, true);
		}
		if (rc == ERR_OK)
			rc = doc_put(r, id, w.term, w.n, vec, nvec);
	} else if (rc == ERR_OK && b->pass == 2) {
		rc = relate_one(r, id);
	}
	relvec_words_free(&w);
	return rc;
}

/* The counted frequencies, the article count under term 0 first. */
static enum err rebuild_df(struct rebuild *b)
{
	relvec_words_finish(&b->df);
	if (b->df.oom)
		return ERR_NOMEM;
	size_t n = b->df.n + 1;
	uint32_t *term = malloc(n * sizeof *term);
	int64_t *delta = malloc(n * sizeof *delta);
	enum err rc = term && delta ? ERR_OK : ERR_NOMEM;
	if (rc == ERR_OK) {
		term[0] = 0;
		delta[0] = b->ndocs;
		for (size_t i = 0; i < b->df.n; i++) {
			term[i + 1] = b->df.term[i];
			delta[i + 1] = b->df.tf[i];
		}
		rc = b->r.ops->df_add(b->r.ud, term, delta, n);
	}
	free(term);
	free(delta);
	return rc;
}

enum err rel_relate_all(const struct rel_ops *ops, void *ud,
			void (*progress)(int64_t done, int64_t total))
{
	struct rebuild b = {.r = {ops, ud}};
	relvec_words_init(&b.df);
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL;
	size_t n = 0;
	enum err rc = ops->article_ids(ud, &a, &ids, &n);
	if (rc == ERR_OK && (rc = ops->begin(ud)) == ERR_OK)
		rc = ops->end(ud, ops->clear(ud));
	int64_t total = 3 * (int64_t)n;
	for (b.pass = 0; rc == ERR_OK && b.pass < 3; b.pass++) {
		for (size_t i = 0; rc == ERR_OK && (i < n || (i == 0 && b.pass == 1));
		     i += REBUILD_BATCH) {
			size_t end = i + REBUILD_BATCH < n ? i + REBUILD_BATCH : n;
			rc = ops->begin(ud);
			if (rc == ERR_OK && b.pass == 1 && i == 0)
				rc = rebuild_df(&b);
			for (size_t k = i; rc == ERR_OK && k < end; k++)
				rc = rebuild_one(&b, ids[k]);
			rc = ops->end(ud, rc);
			if (rc == ERR_OK && progress && n)
				progress((int64_t)b.pass * (int64_t)n + (int64_t)end, total);
			if (end == n)
				break;
		}
	}
	relvec_words_free(&b.df);
	arena_free(&a);
	return rc;
}
