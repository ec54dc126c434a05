/* relvec.h - "You may also like", the arithmetic: an article's words as a
 * short TF-IDF vector, and the score that compares two articles.
 *
 * Backend-neutral. The store (sqlite_related.c) tokenizes the text, keeps
 * each article's distinct terms, its vector, the vectors' postings by term
 * and the document frequencies, and finds candidates through the postings;
 * everything that decides what "related" means is here.
 *
 * A term is a 32-bit FNV-1a hash of a stemmed word (never 0: the store
 * keeps the number of articles under term 0). Two words sharing a hash
 * share a document frequency; at a few hundred thousand distinct words
 * that happens to a handful of rare words and changes nothing visible.
 * Blobs are little-endian, so a database file moves between machines.
 *
 * Similarity is symmetric - the cosine of two vectors, a shared category,
 * shared tags, nearness in time - so when a new article scores well
 * against an old one, the old one's list can take it without recomputing.
 *
 * Ownership: relvec_words and relvec_acc own their arrays (free them);
 * blobs returned are malloc'd and belong to the caller. */
#ifndef GAZETTE_SEARCH_RELVEC_H
#define GAZETTE_SEARCH_RELVEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RELVEC_KEEP 24 /* terms kept in a vector */

struct sb_stemmer;

/* Weighted counts of the distinct terms of one text. */
struct relvec_words {
	uint32_t *term, *tf;
	size_t n, cap;
	bool oom, sorted;
};

void relvec_words_init(struct relvec_words *w);
void relvec_words_free(struct relvec_words *w);
/* One word as the tokenizer gave it (lower-cased, diacritics removed).
 * Words under 3 bytes, numbers and English stop words are skipped; the
 * rest are stemmed with sb (when not NULL), hashed and counted weight
 * times. */
void relvec_words_add(struct relvec_words *w, struct sb_stemmer *sb, const char *word,
		      size_t len, unsigned weight);
/* Count a term (already hashed) weight times: the rebuild counts
 * document frequencies this way. */
void relvec_words_put(struct relvec_words *w, uint32_t term, unsigned weight);
/* Sort the terms ascending, for the blob and for diffing; call once, after
 * the last add. */
void relvec_words_finish(struct relvec_words *w);
/* A finished count's value for term (0 when absent). */
uint32_t relvec_words_get(const struct relvec_words *w, uint32_t term);

uint32_t relvec_hash(const char *s, size_t len);

/* Sorted term lists as blobs (4 bytes per term). */
void *relvec_terms_blob(const uint32_t *terms, size_t n, size_t *len);
/* *out (malloc'd, sorted as stored) and its length; false on a bad blob or
 * no memory. */
bool relvec_terms_read(const void *blob, size_t len, uint32_t **out, size_t *n);

struct relvec_entry {
	uint32_t term;
	float weight;
};

/* The vector of a text with terms[i] counted tf[i] times, df[i] the number
 * of the ndocs articles having the term: (1 + ln tf) x idf per term, the
 * RELVEC_KEEP heaviest, scaled to length 1. On sites of 50 articles or
 * more, terms in over a tenth of them carry no weight: they say little,
 * and their postings would be long. Returns the number of entries. */
size_t relvec_build(const uint32_t *terms, const uint32_t *tf, const int64_t *df, size_t n,
		    int64_t ndocs, struct relvec_entry out[RELVEC_KEEP]);

/* Vectors as blobs (8 bytes per entry: term, float weight). */
void *relvec_vector_blob(const struct relvec_entry *v, size_t n, size_t *len);
/* Up to RELVEC_KEEP entries into out; false on a bad blob. */
bool relvec_vector_read(const void *blob, size_t len, struct relvec_entry out[RELVEC_KEEP],
			size_t *n);
bool relvec_vector_equal(const struct relvec_entry *a, size_t na, const struct relvec_entry *b,
			 size_t nb);

/* The combined score of two articles: their vectors' cosine, plus a shared
 * category, up to three shared tags, and a mild preference for articles
 * close in time. Content dominates: a shared tag alone never beats a
 * clearly on-topic article. */
double relvec_score(double cosine, bool same_category, int shared_tags, double seconds_apart);

/* Candidates: article id -> sum of weight products (the cosine so far). */
struct relvec_acc {
	int64_t *id;
	double *dot;
	size_t n, cap;
	bool oom;
};

struct relvec_cand {
	int64_t id;
	double dot, score;
};

void relvec_acc_init(struct relvec_acc *c);
void relvec_acc_free(struct relvec_acc *c);
void relvec_acc_add(struct relvec_acc *c, int64_t id, double v);
/* The max best candidates by dot product into out, best first. */
size_t relvec_acc_top(const struct relvec_acc *c, struct relvec_cand *out, size_t max);
/* Sort candidates by score, best first (ties: lower id first). */
void relvec_sort(struct relvec_cand *c, size_t n);

#endif
