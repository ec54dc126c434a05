/* related.h - "You may also like" kept current inside the store: what both
 * backends share (related.c), over the few storage steps each backend
 * provides (sqlite_related.c, pg_related.c).
 *
 * What "related" means - the vectors and the score - is search/relvec.c;
 * how the lists are kept current is related.c (see its header); where the
 * rows live is the backend's. A backend calls rel_relate() from the
 * transaction of every post write, and rel_relate_all() to rebuild.
 *
 * Words come from rel_tok (sqlite_words.c): SQLite FTS5's unicode61
 * tokenizer (Unicode case folding, diacritics removed) and the English
 * Snowball stemmer, so both backends compute the same terms and vectors
 * from the same text; the PostgreSQL backend borrows the tokenizer from an
 * in-memory SQLite connection of its own.
 *
 * Ownership: struct rel_doc's terms are malloc'd (rel_doc_free); ids from
 * listed_by and article_ids live in the arena given. */
#ifndef GAZETTE_STORE_RELATED_H
#define GAZETTE_STORE_RELATED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "search/relvec.h"

#define RELATED_KEEP 8  /* stored per article; pages show 4 */
#define RELATED_POSTINGS 120 /* read per term when looking for candidates */

/* --- words ------------------------------------------------------------------ */

struct rel_tok;
/* A tokenizer on its own in-memory SQLite connection (for backends that
 * have none); NULL when out of memory or FTS5 is missing. */
struct rel_tok *rel_tok_new(void);
void rel_tok_free(struct rel_tok *t);
/* An article's counted words (title and tags weighted above the body),
 * finished; false when out of memory. */
bool rel_tok_article(struct rel_tok *t, struct relvec_words *w, const char *title, size_t tl,
		     const char *body, size_t bl, const char *tags, size_t tgl);

/* --- stored state ------------------------------------------------------------- */

struct rel_doc {
	bool exists;
	uint32_t *terms; /* malloc'd */
	size_t nterms;
	struct relvec_entry vec[RELVEC_KEEP];
	size_t nvec;
};

/* Fill d (exists = true) from its two stored blobs; ERR_DB when they are
 * not what related.c writes. */
enum err rel_doc_read(struct rel_doc *d, const void *terms, size_t tl, const void *vec,
		      size_t vl);
void rel_doc_free(struct rel_doc *d);

struct rel_list {
	struct relvec_cand e[RELATED_KEEP];
	size_t n;
};

/* A candidate's facets against the article it may be listed with. */
struct rel_facet {
	bool found, same_category;
	int shared_tags;
	double seconds_apart;
};

typedef void (*rel_posting_fn)(void *arg, size_t term_index, int64_t post_id, double weight);

/* One backend's storage steps, all inside the caller's write transaction
 * (but begin/end). ud is the backend's (its store and connection). */
struct rel_ops {
	/* Article id's counted words (rel_tok_article); *pub false when it is
	 * not a public article. */
	enum err (*words)(void *ud, int64_t id, struct relvec_words *w, bool *pub);
	/* Its stored terms and vector (d->exists false when none). */
	enum err (*doc_get)(void *ud, int64_t id, struct rel_doc *d);
	enum err (*doc_put)(void *ud, int64_t id, const void *terms, size_t tl, const void *vec,
			    size_t vl);
	enum err (*doc_del)(void *ud, int64_t id);
	/* Document frequencies: add delta[i] to term[i]'s, in order, a term
	 * going to 0 or below taken out; read df[i] of term[i] (0 when absent). */
	enum err (*df_add)(void *ud, const uint32_t *term, const int64_t *delta, size_t n);
	enum err (*df_get)(void *ud, const uint32_t *term, size_t n, int64_t *df);
	/* Add or remove the postings of vector v of article id. */
	enum err (*postings_put)(void *ud, int64_t id, const struct relvec_entry *v, size_t n,
				 bool add);
	/* For each entry of v in order, the cap heaviest postings of its term,
	 * heaviest first (ties: higher post id first), to each(). */
	enum err (*postings)(void *ud, const struct relvec_entry *v, size_t n, int cap,
			     rel_posting_fn each, void *arg);
	/* The facets of articles ids[0..n) against article id. */
	enum err (*facets)(void *ud, int64_t id, const int64_t *ids, size_t n,
			   struct rel_facet *out);
	/* Article id's stored list (dot left 0), and replacing it. */
	enum err (*list_get)(void *ud, int64_t id, struct rel_list *l);
	enum err (*list_set)(void *ud, int64_t id, const struct rel_list *l);
	/* Log a "related" change of article id's list. */
	enum err (*changed)(void *ud, int64_t id);
	/* The articles whose lists have id. */
	enum err (*listed_by)(void *ud, struct arena *a, int64_t id, int64_t **ids, size_t *n);
	/* Rebuilding: every article's id (public or not), in order; emptying
	 * the docs, postings and frequencies; transactions. */
	enum err (*article_ids)(void *ud, struct arena *a, int64_t **ids, size_t *n);
	enum err (*clear)(void *ud);
	enum err (*begin)(void *ud);
	enum err (*end)(void *ud, enum err rc);
};

/* After a write to post id, in its transaction: its terms, vector and list,
 * and the lists of the articles it affects (related.c's header). */
enum err rel_relate(const struct rel_ops *ops, void *ud, int64_t id);
/* Recompute everything, in transactions of a few hundred articles. */
enum err rel_relate_all(const struct rel_ops *ops, void *ud,
			void (*progress)(int64_t done, int64_t total));

#endif
