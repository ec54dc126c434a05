/* relvec.c - "You may also like", the arithmetic (see relvec.h). */
#include <libstemmer.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/relvec.h"

/* English words too common to tell articles apart, sorted for bsearch.
 * The document frequencies would weigh them down anyway on a big site;
 * on a site of ten articles they would not. */
static const char *const stop[] = {
	"about",   "above",  "after",   "again",   "against", "all",     "also",    "although",
	"among",   "and",    "another", "any",     "are",     "around",  "because", "been",
	"before",  "being",  "below",   "between", "both",    "but",     "can",     "could",
	"did",     "does",   "doing",   "down",    "during",  "each",    "either",  "even",
	"ever",    "every",  "few",     "for",     "from",    "further", "get",     "gets",
	"had",     "has",    "have",    "having",  "her",     "here",    "hers",    "herself",
	"him",     "himself", "his",    "how",     "however", "into",    "its",     "itself",
	"just",    "last",   "less",    "like",    "made",    "make",    "many",    "may",
	"might",   "more",   "most",    "much",    "must",    "near",    "need",    "never",
	"new",     "next",   "nor",     "not",     "now",     "off",     "often",   "once",
	"one",     "only",   "onto",    "other",   "others",  "our",     "ours",    "out",
	"over",    "own",    "per",     "perhaps", "put",     "rather",  "really",  "said",
	"same",    "say",    "says",    "see",     "seen",    "several", "shall",   "she",
	"should",  "since",  "some",    "still",   "such",    "than",    "that",    "the",
	"their",   "theirs", "them",    "then",    "there",   "these",   "they",    "this",
	"those",   "though", "three",   "through", "thus",    "till",    "too",     "two",
	"under",   "until",  "upon",    "very",    "was",     "way",     "were",    "what",
	"whatever", "when",  "where",   "whether", "which",   "while",   "who",     "whom",
	"whose",   "why",    "will",    "with",    "within",  "without", "would",   "year",
	"years",   "yet",    "you",     "your",    "yours",
};

static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool stopword(const char *w, size_t len)
{
	char buf[16];
	if (len >= sizeof buf)
		return false;
	memcpy(buf, w, len);
	buf[len] = '\0';
	return bsearch(buf, stop, sizeof stop / sizeof stop[0], sizeof stop[0], cmp_word) != NULL;
}

uint32_t relvec_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

/* --- counting words ------------------------------------------------------ */

void relvec_words_init(struct relvec_words *w)
{
	memset(w, 0, sizeof *w);
}

void relvec_words_free(struct relvec_words *w)
{
	free(w->term);
	free(w->tf);
	relvec_words_init(w);
}

/* Open addressing on term (0 = empty) until finish compacts and sorts. */
static bool grow(struct relvec_words *w)
{
	size_t cap = w->cap ? w->cap * 2 : 512;
	uint32_t *t = calloc(cap, sizeof *t), *f = calloc(cap, sizeof *f);
	if (!t || !f) {
		free(t);
		free(f);
		return false;
	}
	for (size_t i = 0; i < w->cap; i++) {
		if (!w->term[i])
			continue;
		size_t k = w->term[i] & (cap - 1);
		while (t[k])
			k = (k + 1) & (cap - 1);
		t[k] = w->term[i];
		f[k] = w->tf[i];
	}
	free(w->term);
	free(w->tf);
	w->term = t;
	w->tf = f;
	w->cap = cap;
	return true;
}

void relvec_words_put(struct relvec_words *w, uint32_t term, unsigned weight)
{
	if (w->oom || w->sorted || !term)
		return;
	if ((w->n + 1) * 2 > w->cap && !grow(w)) {
		w->oom = true;
		return;
	}
	size_t k = term & (w->cap - 1);
	while (w->term[k] && w->term[k] != term)
		k = (k + 1) & (w->cap - 1);
	if (!w->term[k]) {
		w->term[k] = term;
		w->n++;
	}
	w->tf[k] += weight;
}

void relvec_words_add(struct relvec_words *w, struct sb_stemmer *sb, const char *word,
		      size_t len, unsigned weight)
{
	if (len < 3 || stopword(word, len))
		return;
	size_t digits = 0;
	while (digits < len && word[digits] >= '0' && word[digits] <= '9')
		digits++;
	if (digits == len)
		return;
	if (sb) {
		const sb_symbol *s = sb_stemmer_stem(sb, (const sb_symbol *)word, (int)len);
		if (s) {
			relvec_words_put(w, relvec_hash((const char *)s, (size_t)sb_stemmer_length(sb)), weight);
			return;
		}
	}
	relvec_words_put(w, relvec_hash(word, len), weight);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

void relvec_words_finish(struct relvec_words *w)
{
	if (w->sorted)
		return;
	w->sorted = true;
	/* compact, then sort (term, tf) together as 64-bit pairs */
	size_t n = 0;
	for (size_t i = 0; i < w->cap; i++)
		if (w->term[i]) {
			w->term[n] = w->term[i];
			w->tf[n] = w->tf[i];
			n++;
		}
	w->n = n;
	uint64_t *pair = n ? malloc(n * sizeof *pair) : NULL;
	if (n && !pair) {
		w->oom = true;
		w->n = 0;
		return;
	}
	for (size_t i = 0; i < n; i++)
		pair[i] = (uint64_t)w->term[i] << 32 | w->tf[i];
	if (n > 1)
		qsort(pair, n, sizeof *pair, cmp_u64);
	for (size_t i = 0; i < n; i++) {
		w->term[i] = (uint32_t)(pair[i] >> 32);
		w->tf[i] = (uint32_t)pair[i];
	}
	free(pair);
}

uint32_t relvec_words_get(const struct relvec_words *w, uint32_t term)
{
	size_t lo = 0, hi = w->sorted ? w->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->term[mid] == term)
			return w->tf[mid];
		if (w->term[mid] < term)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* --- blobs ------------------------------------------------------------------ */

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void *relvec_terms_blob(const uint32_t *terms, size_t n, size_t *len)
{
	unsigned char *b = malloc(n ? n * 4 : 1);
	if (!b)
		return NULL;
	for (size_t i = 0; i < n; i++)
		put32(b + 4 * i, terms[i]);
	*len = n * 4;
	return b;
}

bool relvec_terms_read(const void *blob, size_t len, uint32_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (len % 4)
		return false;
	uint32_t *t = malloc(len ? len : 1);
	if (!t)
		return false;
	for (size_t i = 0; i < len / 4; i++)
		t[i] = get32((const unsigned char *)blob + 4 * i);
	*out = t;
	*n = len / 4;
	return true;
}

void *relvec_vector_blob(const struct relvec_entry *v, size_t n, size_t *len)
{
	unsigned char *b = malloc(n ? n * 8 : 1);
	if (!b)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint32_t bits;
		memcpy(&bits, &v[i].weight, 4);
		put32(b + 8 * i, v[i].term);
		put32(b + 8 * i + 4, bits);
	}
	*len = n * 8;
	return b;
}

bool relvec_vector_read(const void *blob, size_t len, struct relvec_entry out[RELVEC_KEEP],
			size_t *n)
{
	*n = 0;
	if (len % 8 || len / 8 > RELVEC_KEEP)
		return false;
	for (size_t i = 0; i < len / 8; i++) {
		const unsigned char *p = (const unsigned char *)blob + 8 * i;
		uint32_t bits = get32(p + 4);
		out[i].term = get32(p);
		memcpy(&out[i].weight, &bits, 4);
		if (!(out[i].weight > 0 && out[i].weight <= 1.0f))
			return false;
	}
	*n = len / 8;
	return true;
}

bool relvec_vector_equal(const struct relvec_entry *a, size_t na, const struct relvec_entry *b,
			 size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].term != b[i].term || a[i].weight != b[i].weight)
			return false;
	return true;
}

/* --- the vector and the score ------------------------------------------------ */

static int by_weight(const void *a, const void *b)
{
	const struct relvec_entry *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight < y->weight ? 1 : -1;
	return (x->term > y->term) - (x->term < y->term);
}

size_t relvec_build(const uint32_t *terms, const uint32_t *tf, const int64_t *df, size_t n,
		    int64_t ndocs, struct relvec_entry out[RELVEC_KEEP])
{
	/* the heaviest RELVEC_KEEP so far, lightest last (insertion: n is a
	 * few hundred) */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t d = df[i] < 1 ? 1 : df[i];
		int64_t docs = ndocs < d ? d : ndocs;
		if (docs >= 50 && d * 10 > docs)
			continue;
		/* BM25's idf, positive even for a term in every article */
		double idf = log(1.0 + ((double)(docs - d) + 0.5) / ((double)d + 0.5));
		double w = (1.0 + log((double)(tf[i] ? tf[i] : 1))) * idf;
		if (!(w > 0))
			continue;
		if (k == RELVEC_KEEP && w <= out[k - 1].weight)
			continue;
		size_t at = k < RELVEC_KEEP ? k++ : k - 1;
		while (at > 0 && out[at - 1].weight < w) {
			out[at] = out[at - 1];
			at--;
		}
		out[at].term = terms[i];
		out[at].weight = (float)w;
	}
	double norm = 0;
	for (size_t i = 0; i < k; i++)
		norm += (double)out[i].weight * out[i].weight;
	norm = sqrt(norm);
	for (size_t i = 0; i < k; i++) {
		float v = (float)(out[i].weight / norm);
		out[i].weight = v > 0 ? (v > 1.0f ? 1.0f : v) : 1e-6f;
	}
	qsort(out, k, sizeof *out, by_weight);
	return k;
}

double relvec_score(double cosine, bool same_category, int shared_tags, double seconds_apart)
{
	double days = fabs(seconds_apart) / 86400.0;
	int tags = shared_tags < 0 ? 0 : shared_tags > 3 ? 3 : shared_tags;
	return cosine + (same_category ? 0.08 : 0) + 0.04 * tags + 0.04 / (1.0 + days / 180.0);
}

/* --- candidates ----------------------------------------------------------------- */

void relvec_acc_init(struct relvec_acc *c)
{
	memset(c, 0, sizeof *c);
}

void relvec_acc_free(struct relvec_acc *c)
{
	free(c->id);
	free(c->dot);
	relvec_acc_init(c);
}

static size_t slot(int64_t id, size_t cap)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 20) & (cap - 1);
}

void relvec_acc_add(struct relvec_acc *c, int64_t id, double v)
{
	if (c->oom || id <= 0)
		return;
	if ((c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		int64_t *ids = calloc(cap, sizeof *ids);
		double *dot = calloc(cap, sizeof *dot);
		if (!ids || !dot) {
			free(ids);
			free(dot);
			c->oom = true;
			return;
		}
		for (size_t i = 0; i < c->cap; i++) {
			if (!c->id[i])
				continue;
			size_t k = slot(c->id[i], cap);
			while (ids[k])
				k = (k + 1) & (cap - 1);
			ids[k] = c->id[i];
			dot[k] = c->dot[i];
		}
		free(c->id);
		free(c->dot);
		c->id = ids;
		c->dot = dot;
		c->cap = cap;
	}
	size_t k = slot(id, c->cap);
	while (c->id[k] && c->id[k] != id)
		k = (k + 1) & (c->cap - 1);
	if (!c->id[k]) {
		c->id[k] = id;
		c->n++;
	}
	c->dot[k] += v;
}

size_t relvec_acc_top(const struct relvec_acc *c, struct relvec_cand *out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; max && i < c->cap; i++) {
		if (!c->id[i])
			continue;
		double d = c->dot[i];
		if (k == max && (d < out[k - 1].dot || (d == out[k - 1].dot && c->id[i] > out[k - 1].id)))
			continue;
		size_t at = k < max ? k++ : k - 1;
		while (at > 0 && (out[at - 1].dot < d || (out[at - 1].dot == d && out[at - 1].id > c->id[i]))) {
			out[at] = out[at - 1];
			at--;
		}
		out[at] = (struct relvec_cand){c->id[i], d, 0};
	}
	return k;
}

static int by_score(const void *a, const void *b)
{
	const struct relvec_cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
}

void relvec_sort(struct relvec_cand *c, size_t n)
{
	qsort(c, n, sizeof *c, by_score);
}
