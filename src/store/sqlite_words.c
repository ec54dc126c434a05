/* sqlite_words.c - the words of related articles (related.h's rel_tok):
 * FTS5's unicode61 tokenizer with remove_diacritics 2 (Unicode case
 * folding, diacritics removed, Unicode word boundaries) and the English
 * Snowball stemmer. Both backends use it, so the same text gives the same
 * terms whichever database holds the site: the SQLite backend borrows FTS5
 * from its own connection, the PostgreSQL one from an in-memory SQLite
 * connection of its own (rel_tok_new), opened once per pooled connection.
 *
 * Not thread-safe: one rel_tok per thread (per store connection). */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "store/related.h"
#include "store/sqlite_int.h"

#define WEIGHT_TITLE 3 /* title and tag words count three times */

struct rel_tok {
	sqlite3 *own; /* rel_tok_new's in-memory connection, else NULL */
	fts5_tokenizer tk;
	Fts5Tokenizer *tok;
	struct sb_stemmer *sb;
};

struct rel_tok *sq_rel_tok(fts5_api *api)
{
	struct rel_tok *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	void *ud = NULL;
	const char *args[] = {"remove_diacritics", "2"};
	if (!api || api->xFindTokenizer(api, "unicode61", &ud, &t->tk) != SQLITE_OK ||
	    t->tk.xCreate(ud, args, 2, &t->tok) != SQLITE_OK) {
		free(t);
		return NULL;
	}
	t->sb = sb_stemmer_new("english", NULL);
	if (!t->sb) {
		t->tk.xDelete(t->tok);
		free(t);
		return NULL;
	}
	return t;
}

struct rel_tok *rel_tok_new(void)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	struct rel_tok *t = sq_rel_tok(sq_fts5_api(db));
	if (!t) {
		sqlite3_close(db);
		return NULL;
	}
	t->own = db;
	return t;
}

void rel_tok_free(struct rel_tok *t)
{
	if (!t)
		return;
	if (t->tok)
		t->tk.xDelete(t->tok);
	if (t->sb)
		sb_stemmer_delete(t->sb);
	if (t->own)
		sqlite3_close(t->own);
	free(t);
}

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

static void tokenize(struct rel_tok *t, struct relvec_words *w, const char *text, size_t len,
		     unsigned weight)
{
	struct words_call call = {w, t->sb, weight};
	if (text && len > 0 && len < (size_t)INT32_MAX)
		t->tk.xTokenize(t->tok, &call, FTS5_TOKENIZE_DOCUMENT, text, (int)len, on_token);
}

bool rel_tok_article(struct rel_tok *t, struct relvec_words *w, const char *title, size_t tl,
		     const char *body, size_t bl, const char *tags, size_t tgl)
{
	tokenize(t, w, title, tl, WEIGHT_TITLE);
	tokenize(t, w, tags, tgl, WEIGHT_TITLE);
	tokenize(t, w, body, bl, 1);
	relvec_words_finish(w);
	return !w->oom;
}
