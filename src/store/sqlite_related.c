/* sqlite_related.c - "You may also like": each public article's related
 * articles, stored, and kept up to date by the same writes that keep the
 * search index (so they are current however an article is published).
 *
 * Why here and not in search/: the lists must change in the transaction
 * that publishes, edits or removes an article, and only the store is there.
 *
 * Related means related in content. An article's most telling words
 * (title and tags count triple) are OR-ed into a full-text query over the
 * other public articles; the BM25 scores, scaled to the best one, are
 * combined with a shared category (+0.25), shared tags (+0.1 each, up to
 * three) and nearness in time (up to +0.1). The best RELATED_KEEP are
 * stored; pages show the first ones still public. When an article's list
 * changes, so may its neighbours': the articles it lists and those that
 * list it are recomputed too, and each recomputed list logs a change. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "store/sqlite_int.h"

#define RELATED_KEEP 8
#define RELATED_TERMS 16
#define CANDIDATES 40

static const char *const stop[] = {
	"about", "after", "also", "been", "could", "from", "have", "into", "more", "most",
	"only", "other", "over", "said", "some", "than", "that", "their", "them", "then",
	"there", "these", "they", "this", "were", "what", "when", "where", "which", "while",
	"will", "with", "would", "your", "year", "years", "says", NULL,
};

struct term {
	char w[48];
	int weight;
};

static bool stopword(const char *w)
{
	for (size_t i = 0; stop[i]; i++)
		if (strcmp(stop[i], w) == 0)
			return true;
	return false;
}

/* Count the words of text (lower-cased ASCII letters, or any UTF-8
 * sequence, 4..47 bytes) into terms with the given weight. */
static void count_words(const char *text, int weight, struct term *t, size_t *n, size_t max)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	while (*p) {
		char w[48];
		size_t len = 0;
		while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p >= 0x80)) {
			if (len < sizeof w - 1)
				w[len++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			p++;
		}
		if (!len) {
			p++;
			continue;
		}
		while (len && ((unsigned char)w[len - 1] & 0xC0) == 0x80 && len == sizeof w - 1)
			len--; /* a word cut at the buffer: drop the split character */
		w[len] = '\0';
		if (len < 4 || stopword(w))
			continue;
		size_t i = 0;
		while (i < *n && strcmp(t[i].w, w) != 0)
			i++;
		if (i == *n) {
			if (*n == max)
				continue;
			memcpy(t[i].w, w, len + 1);
			t[i].weight = 0;
			(*n)++;
		}
		t[i].weight += weight;
	}
}

static int by_weight(const void *a, const void *b)
{
	const struct term *x = a, *y = b;
	return y->weight - x->weight;
}

/* The query of an article's telling words, or NULL when it has none (or is
 * not in the index, i.e. not public). */
static char *terms_of(struct store *st, struct conn *c, int64_t id)
{
	sqlite3_stmt *s = stmt(st, c, S_REL_TEXT);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	char *out = NULL;
	if (sqlite3_step(s) == SQLITE_ROW) {
		size_t max = 2000, n = 0;
		struct term *t = malloc(max * sizeof *t);
		if (t) {
			count_words((const char *)sqlite3_column_text(s, 0), 3, t, &n, max);
			count_words((const char *)sqlite3_column_text(s, 2), 3, t, &n, max);
			count_words((const char *)sqlite3_column_text(s, 1), 1, t, &n, max);
			qsort(t, n, sizeof *t, by_weight);
			struct buf b = BUF_INIT;
			for (size_t i = 0; i < n && i < RELATED_TERMS; i++)
				buf_printf(&b, "%s\"%s\"", i ? " OR " : "", t[i].w);
			out = b.oom || !b.len ? NULL : buf_detach(&b, NULL);
			buf_free(&b);
			free(t);
		}
	}
	sqlite3_reset(s);
	return out;
}

struct cand {
	int64_t id;
	double text, extra, score;
};

static int by_score(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	return (y->score > x->score) - (y->score < x->score);
}

/* Recompute and store one article's list. When it differs from the stored
 * one, log a "related" change so the servers purge the page that shows it
 * (an unchanged list purges nothing). */
static enum err relate_one(struct store *st, struct conn *c, int64_t id)
{
	struct arena a;
	arena_init(&a, 4096);
	int64_t *old = NULL;
	size_t nold = 0;
	enum err orc = sq_ids(st, c, &a, S_REL_OF, id, &old, &nold);
	if (orc != ERR_OK) {
		arena_free(&a);
		return orc;
	}
	int64_t before[RELATED_KEEP];
	size_t nbefore = nold < RELATED_KEEP ? nold : RELATED_KEEP;
	if (nbefore)
		memcpy(before, old, nbefore * sizeof *before);
	arena_free(&a);
	sqlite3_stmt *del = stmt(st, c, S_REL_CLEAR);
	if (del)
		sqlite3_bind_int64(del, 1, id);
	enum err rc = sq_exec(st, c, del);
	char *match = rc == ERR_OK ? terms_of(st, c, id) : NULL;
	if (rc != ERR_OK)
		return rc;
	struct cand cs[CANDIDATES];
	size_t n = 0;
	double best = 0;
	sqlite3_stmt *s = match ? stmt(st, c, S_REL_CANDIDATES) : NULL;
	if (s) {
		sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, id);
		int r;
		while (n < CANDIDATES && (r = sqlite3_step(s)) == SQLITE_ROW) {
			struct cand *k = &cs[n++];
			k->id = sqlite3_column_int64(s, 0);
			k->text = -sqlite3_column_double(s, 1); /* bm25: smaller is better */
			if (k->text > best)
				best = k->text;
			int shared = sqlite3_column_int(s, 3);
			double days = fabs(sqlite3_column_double(s, 4)) / 86400.0;
			k->extra = (sqlite3_column_int(s, 2) ? 0.25 : 0) +
				   0.1 * (shared < 3 ? shared : 3) + 0.1 / (1.0 + days / 180.0);
		}
		if (r != SQLITE_DONE && r != SQLITE_ROW)
			rc = sq_err(st, c, r);
		sqlite3_reset(s);
	}
	free(match);
	for (size_t i = 0; i < n; i++)
		cs[i].score = (best > 0 ? cs[i].text / best : 0) + cs[i].extra;
	qsort(cs, n, sizeof *cs, by_score);
	size_t keep = n < RELATED_KEEP ? n : RELATED_KEEP;
	bool same = keep == nbefore;
	for (size_t i = 0; same && i < keep; i++)
		same = cs[i].id == before[i];
	for (size_t i = 0; rc == ERR_OK && i < keep; i++) {
		sqlite3_stmt *ins = stmt(st, c, S_REL_PUT);
		if (ins) {
			sqlite3_bind_int64(ins, 1, id);
			sqlite3_bind_int64(ins, 2, (int64_t)i);
			sqlite3_bind_int64(ins, 3, cs[i].id);
			sqlite3_bind_double(ins, 4, cs[i].score);
		}
		rc = sq_exec(st, c, ins);
	}
	if (rc == ERR_OK && !same)
		rc = sq_change(st, c, "related", id, "");
	return rc;
}

enum err sq_relate(struct store *st, struct conn *c, int64_t id)
{
	/* the article itself, then the articles it now lists and those that
	 * listed it (it may enter or leave their lists) */
	struct arena a;
	arena_init(&a, 0);
	int64_t *was = NULL, *now = NULL;
	size_t nwas = 0, nnow = 0;
	enum err rc = sq_ids(st, c, &a, S_REL_LISTED_BY, id, &was, &nwas);
	if (rc == ERR_OK)
		rc = relate_one(st, c, id);
	if (rc == ERR_OK)
		rc = sq_ids(st, c, &a, S_REL_OF, id, &now, &nnow);
	for (size_t i = 0; rc == ERR_OK && i < nnow; i++)
		rc = relate_one(st, c, now[i]);
	for (size_t i = 0; rc == ERR_OK && i < nwas; i++) {
		bool done = false;
		for (size_t k = 0; k < nnow && !done; k++)
			done = now[k] == was[i];
		if (!done)
			rc = relate_one(st, c, was[i]);
	}
	arena_free(&a);
	return rc;
}

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

enum err sqr_relate_all(struct store *st, void (*progress)(int64_t done, int64_t total))
{
	return sq_each_article(st, 200, relate_one, NULL, NULL, progress);
}
