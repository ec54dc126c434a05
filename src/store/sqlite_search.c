/* sqlite_search.c - the FTS5 index of public articles, and search.
 *
 * posts_fts holds, per public article (rowid = post id), its title,
 * excerpt, body as plain text, tag names, category name and author name.
 * Every write that can change one of those calls sq_index_post (or
 * sq_reindex_by) inside its own transaction, so the index is never out of
 * step with what the site shows.
 *
 * Ranking: the auxiliary function gz_matched counts how many of the query's
 * positive phrases a row contains, so an article with every word comes
 * before one with most of them (queries are OR-ed: never an empty page
 * because one word is missing); within that, BM25 with the title weighted
 * highest. */
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "render/markdown.h"
#include "store/sqlite_int.h"

/* --- the auxiliary ranking function ----------------------------------- */

/* From the row's instance list, which bm25() has already read for the
 * same row (FTS5 keeps it until the cursor moves): put bm25 first in the
 * statement. */
static void matched_fn(const Fts5ExtensionApi *x, Fts5Context *ctx, sqlite3_context *out,
		       int nval, sqlite3_value **val)
{
	(void)nval;
	(void)val;
	int n = x->xPhraseCount(ctx), inst = 0, count = 0;
	unsigned char seen[256] = {0};
	if (n > (int)sizeof seen || x->xInstCount(ctx, &inst) != SQLITE_OK) {
		sqlite3_result_int(out, 0);
		return;
	}
	for (int i = 0; i < inst && count < n; i++) {
		int phrase = -1, col = -1, off = -1;
		if (x->xInst(ctx, i, &phrase, &col, &off) == SQLITE_OK && phrase >= 0 &&
		    phrase < n && !seen[phrase]) {
			seen[phrase] = 1;
			count++;
		}
	}
	sqlite3_result_int(out, count);
}

fts5_api *sq_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	return api;
}

int sq_register_search(sqlite3 *db)
{
	fts5_api *api = sq_fts5_api(db);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	int rc = api->xCreateFunction(api, "gz_matched", NULL, matched_fn, NULL);
	return rc == SQLITE_OK ? sq_register_stemmer(db, api) : rc;
}

/* --- keeping the index in step ------------------------------------------ */

/* Keep the spelling index (migration 9) in step with posts_fts row id. */
static enum err spell(struct store *st, struct conn *c, enum stmt which, int64_t id)
{
	sqlite3_stmt *s = stmt(st, c, which);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	return sq_exec(st, c, s);
}

enum err sq_index_post(struct store *st, struct conn *c, int64_t id)
{
	sqlite3_stmt *s = stmt(st, c, S_FTS_SOURCE);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	enum err rc = ERR_OK;
	if (r == SQLITE_ROW) {
		struct arena a;
		arena_init(&a, 0);
		char *body = NULL;
		rc = markdown_plaintext(&a, (const char *)sqlite3_column_text(s, 2), &body);
		if (rc == ERR_OK)
			rc = spell(st, c, S_SPELL_FORGET, id);
		if (rc == ERR_OK) {
			sqlite3_stmt *ins = stmt(st, c, S_FTS_PUT);
			if (ins) {
				sqlite3_bind_int64(ins, 1, id);
				for (int i = 0; i < 6; i++) {
					const char *v = i == 2 ? body
							       : (const char *)sqlite3_column_text(s, i);
					sqlite3_bind_text(ins, i + 2, v ? v : "", -1, SQLITE_TRANSIENT);
				}
			}
			sqlite3_reset(s); /* before the write: the row's text was copied */
			rc = sq_exec(st, c, ins);
			if (rc == ERR_OK)
				rc = spell(st, c, S_SPELL_ADD, id);
		}
		arena_free(&a);
	} else if (r == SQLITE_DONE) {
		/* not a public article (any more): out of the index */
		sqlite3_reset(s);
		rc = spell(st, c, S_SPELL_FORGET, id);
		sqlite3_stmt *del = rc == ERR_OK ? stmt(st, c, S_FTS_DELETE) : NULL;
		if (del)
			sqlite3_bind_int64(del, 1, id);
		if (rc == ERR_OK)
			rc = sq_exec(st, c, del);
	} else {
		rc = sq_err(st, c, r);
	}
	sqlite3_reset(s);
	return rc;
}

enum err sq_ids(struct store *st, struct conn *c, struct arena *a, enum stmt which, int64_t key,
		int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *s = stmt(st, c, which);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, key);
	size_t cap = 0;
	enum err rc = ERR_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			int64_t *g = arena_realloc(a, *ids, cap * sizeof *g, nc * sizeof *g);
			if (!g) {
				rc = ERR_NOMEM;
				break;
			}
			*ids = g;
			cap = nc;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc == ERR_OK && r != SQLITE_DONE)
		rc = sq_err(st, c, r);
	sqlite3_reset(s);
	return rc;
}

enum err sq_index_ids(struct store *st, struct conn *c, const int64_t *ids, size_t n)
{
	enum err rc = ERR_OK;
	for (size_t i = 0; i < n && rc == ERR_OK; i++)
		rc = sq_index_post(st, c, ids[i]);
	return rc;
}

static enum err clear_index(struct store *st, struct conn *c)
{
	enum err rc = sq_exec(st, c, stmt(st, c, S_SPELL_CLEAR));
	return rc == ERR_OK ? sq_exec(st, c, stmt(st, c, S_FTS_CLEAR)) : rc;
}

static enum err log_reindex(struct store *st, struct conn *c)
{
	return sq_change(st, c, "search", 0, "reindex");
}

/* Cleared in the first batch, logged in the last (servers then purge the
 * cached search results). */
enum err sqx_reindex(struct store *st, void (*progress)(int64_t done, int64_t total))
{
	return sq_each_article(st, 500, sq_index_post, clear_index, log_reindex, progress);
}

/* --- search ------------------------------------------------------------- */

/* Work budget of one search, in SQLite VM steps (checked every 1,000):
 * about a tenth of a second here. A query over it answers ERR_LIMIT
 * rather than holding a worker and a connection for seconds. */
#define SEARCH_BUDGET 20000

static int over_budget(void *arg)
{
	int *ticks = arg;
	return ++*ticks > SEARCH_BUDGET;
}

/* The match, the time and the filters (parameters 1, 2 and 5-9). */
static void bind_search(sqlite3_stmt *s, const struct search_request *q)
{
	sqlite3_bind_text(s, 1, q->match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, q->now);
	sqlite3_bind_int64(s, 5, q->category_id);
	sqlite3_bind_int64(s, 6, q->tag_id);
	sqlite3_bind_int64(s, 7, q->author_id);
	sqlite3_bind_int64(s, 8, q->from);
	sqlite3_bind_int64(s, 9, q->to);
}

/* A query the index refuses is the reader's, not ours; one over budget is
 * too broad. */
static enum err search_err(struct store *st, struct conn *c, int r)
{
	if (r == SQLITE_INTERRUPT)
		return ERR_LIMIT;
	if ((r & 0xff) == SQLITE_ERROR)
		return ERR_INVALID;
	return sq_err(st, c, r);
}

static bool filtered(const struct search_request *q)
{
	return q->category_id || q->tag_id || q->author_id || q->from || q->to;
}

/* The one-number statements: the total, or the articles dated in the
 * future. */
static enum err search_count(struct store *st, struct conn *c, const struct search_request *q,
			     enum stmt which, int64_t *out)
{
	sqlite3_stmt *s = stmt(st, c, which);
	if (!s)
		return ERR_DB;
	if (which == S_SEARCH_FUTURE) {
		sqlite3_bind_int64(s, 1, q->now);
	} else if (which == S_SEARCH_ALL_COUNT) {
		sqlite3_bind_text(s, 1, q->match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, q->now);
	} else {
		bind_search(s, q);
	}
	int r = sqlite3_step(s);
	enum err rc = ERR_OK;
	if (r == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		rc = search_err(st, c, r);
	sqlite3_reset(s);
	return rc;
}

/* The snippet of one hit (the page's rows only). */
static enum err search_snippet(struct store *st, struct conn *c, struct arena *a,
			       const char *match, struct search_hit *h)
{
	sqlite3_stmt *s = stmt(st, c, S_SEARCH_SNIPPET);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, h->post.id);
	int r = sqlite3_step(s);
	enum err rc = ERR_OK;
	h->snippet = "";
	if (r == SQLITE_ROW)
		h->snippet = col_text(a, s, 0);
	else if (r != SQLITE_DONE)
		rc = search_err(st, c, r);
	sqlite3_reset(s);
	return rc;
}

/* One page of hits for match, the ranked rows without snippets. For
 * match_all, every row has all `positive` items (not counted again). */
static enum err search_page(struct store *st, struct conn *c, struct arena *a,
			    const struct search_request *q, bool match_all, int64_t future,
			    struct search_hit **out, size_t *n)
{
	bool all = !filtered(q);
	int64_t limit = q->limit > 0 ? q->limit : 10, offset = q->offset > 0 ? q->offset : 0;
	const char *match = match_all ? q->match_all : q->match;
	int64_t positive = match_all ? 1 : (int64_t)q->positive;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = stmt(st, c, all ? S_SEARCH_ALL : S_SEARCH);
	if (!s)
		return ERR_DB;
	if (all) {
		sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, q->now);
		sqlite3_bind_int64(s, 5, offset + limit + future);
		sqlite3_bind_int64(s, 6, positive);
	} else {
		bind_search(s, q);
		sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 10, positive);
	}
	sqlite3_bind_int64(s, 3, limit);
	sqlite3_bind_int64(s, 4, offset);
	enum err rc = ERR_OK;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct search_hit *g = arena_realloc(a, *out, cap * sizeof *g, nc * sizeof *g);
			if (!g) {
				rc = ERR_NOMEM;
				break;
			}
			*out = g;
			cap = nc;
		}
		struct search_hit *h = &(*out)[(*n)++];
		row_post(a, s, &h->post);
		h->matched = match_all ? (int)q->positive : sqlite3_column_int(s, 24);
		/* bm25 is negative, smaller is better: flip it, and put the
		 * number of matched items first. */
		h->score = h->matched * 1000.0 - sqlite3_column_double(s, 25);
	}
	if (rc == ERR_OK && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = search_err(st, c, r);
	sqlite3_reset(s);
	return rc;
}

enum err sqx_search(struct store *st, struct arena *a, const struct search_request *q,
		    struct search_hit **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (!q->match || !*q->match)
		return ERR_OK;
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	int ticks = 0;
	sqlite3_progress_handler(c->db, 1000, over_budget, &ticks);
	bool all = !filtered(q);
	int64_t future = 0;
	enum err rc = ERR_OK;
	if (total)
		rc = search_count(st, c, q, all ? S_SEARCH_ALL_COUNT : S_SEARCH_COUNT, total);
	if (rc == ERR_OK && all)
		rc = search_count(st, c, q, S_SEARCH_FUTURE, &future);
	/* Articles with every item come first, and their bm25 is the same
	 * under either query: when they fill the page, it is the page. */
	if (rc == ERR_OK && q->match_all && q->positive > 1) {
		rc = search_page(st, c, a, q, true, future, out, n);
		if (rc == ERR_OK && (int64_t)*n < (q->limit > 0 ? q->limit : 10)) {
			*n = 0; /* not enough: rank every match */
			*out = NULL;
		}
	}
	if (rc == ERR_OK && !*n)
		rc = search_page(st, c, a, q, false, future, out, n);
	for (size_t i = 0; rc == ERR_OK && i < *n; i++)
		rc = search_snippet(st, c, a, q->match, &(*out)[i]);
	if (a->failed)
		rc = ERR_NOMEM;
	sqlite3_progress_handler(c->db, 0, NULL, NULL);
	conn_put(st, c);
	return rc;
}

static void row_spell(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct spell_word *w = out;
	w->word = col_text(a, s, 0);
	w->docs = sqlite3_column_int64(s, 1);
}

enum err sqx_spell_words(struct store *st, struct arena *a, const char *word,
			 struct spell_word **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t len = strlen(word);
	if (len == 0)
		return ERR_OK;
	enum err rc = sq_all(st, a, S_SPELL_HAS, SQ_ARGS(SQ_T(word)), row_spell, sizeof **out,
			     (void **)out, n);
	if (rc != ERR_OK || *n)
		return rc;
	/* the same first character (a whole UTF-8 sequence): [first, next) */
	size_t k = 1;
	while (k < len && ((unsigned char)word[k] & 0xC0) == 0x80)
		k++;
	char lo[8], hi[8];
	memcpy(lo, word, k);
	lo[k] = '\0';
	memcpy(hi, word, k);
	hi[k] = '\0';
	hi[k - 1]++; /* the next string after every word starting with lo */
	int64_t chars = (int64_t)str_utf8_len(word);
	return sq_all(st, a, S_SPELL_NEAR,
		      SQ_ARGS(SQ_T(lo), SQ_T(hi), SQ_I(chars > 2 ? chars - 2 : 1), SQ_I(chars + 2)),
		      row_spell, sizeof **out, (void **)out, n);
}
