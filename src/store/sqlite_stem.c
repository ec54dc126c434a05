/* sqlite_stem.c - the search index's language: an FTS5 tokenizer "gz_stem"
 * (unicode61 with diacritics removed, then Debian's libstemmer for one
 * Snowball language), and rebuilding the index when the site's language
 * setting changes.
 *
 * English keeps FTS5's own porter tokenizer (the index the site started
 * with); languages Snowball knows get gz_stem; others are indexed without
 * stemming. The tokenizer is registered on every connection
 * (sq_register_stemmer), so any connection can read and write the index.
 * Prefix queries (term*) are not stemmed: a stem is not always a prefix of
 * the word. */
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/sqlite_int.h"

struct stem_tok {
	fts5_tokenizer parent;
	Fts5Tokenizer *inner;
	struct sb_stemmer *sb;
};

struct stem_call {
	struct stem_tok *t;
	void *ctx;
	int (*token)(void *ctx, int flags, const char *tok, int n, int start, int end);
	bool prefix;
};

static int stem_token(void *arg, int flags, const char *tok, int n, int start, int end)
{
	struct stem_call *c = arg;
	if (c->prefix || n <= 2)
		return c->token(c->ctx, flags, tok, n, start, end);
	const sb_symbol *s = sb_stemmer_stem(c->t->sb, (const sb_symbol *)tok, n);
	if (!s)
		return SQLITE_NOMEM;
	return c->token(c->ctx, flags, (const char *)s, sb_stemmer_length(c->t->sb), start, end);
}

static int stem_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int n,
			 int (*token)(void *, int, const char *, int, int, int))
{
	struct stem_tok *t = (struct stem_tok *)tok;
	struct stem_call c = {t, ctx, token, (flags & FTS5_TOKENIZE_PREFIX) != 0};
	return t->parent.xTokenize(t->inner, &c, flags, text, n, stem_token);
}

static void stem_delete(Fts5Tokenizer *tok)
{
	struct stem_tok *t = (struct stem_tok *)tok;
	if (!t)
		return;
	if (t->inner)
		t->parent.xDelete(t->inner);
	if (t->sb)
		sb_stemmer_delete(t->sb);
	free(t);
}

/* tokenize = 'gz_stem ALGORITHM' */
static int stem_create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = api_ptr;
	*out = NULL;
	if (argc != 1)
		return SQLITE_ERROR;
	struct stem_tok *t = calloc(1, sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	void *ud = NULL;
	const char *inner_args[] = {"remove_diacritics", "2"};
	int rc = api->xFindTokenizer(api, "unicode61", &ud, &t->parent);
	if (rc == SQLITE_OK)
		rc = t->parent.xCreate(ud, inner_args, 2, &t->inner);
	if (rc == SQLITE_OK && !(t->sb = sb_stemmer_new(argv[0], "UTF_8")))
		rc = SQLITE_ERROR;
	if (rc != SQLITE_OK) {
		stem_delete((Fts5Tokenizer *)t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

int sq_register_stemmer(sqlite3 *db, fts5_api *api)
{
	(void)db;
	fts5_tokenizer tk = {stem_create, stem_delete, stem_tokenize};
	return api->xCreateTokenizer(api, "gz_stem", api, &tk, NULL);
}

/* ---- the index's language ---------------------------------------------- */

static const struct {
	const char *lang, *algorithm;
} snowball[] = {
	{"ar", "arabic"},     {"ca", "catalan"},    {"da", "danish"},   {"de", "german"},
	{"el", "greek"},      {"es", "spanish"},    {"eu", "basque"},   {"fi", "finnish"},
	{"fr", "french"},     {"ga", "irish"},      {"hi", "hindi"},    {"hu", "hungarian"},
	{"hy", "armenian"},   {"id", "indonesian"}, {"it", "italian"},  {"lt", "lithuanian"},
	{"nb", "norwegian"},  {"ne", "nepali"},     {"nl", "dutch"},    {"nn", "norwegian"},
	{"no", "norwegian"},  {"pt", "portuguese"}, {"ro", "romanian"}, {"ru", "russian"},
	{"sr", "serbian"},    {"sv", "swedish"},    {"ta", "tamil"},    {"tr", "turkish"},
	{"yi", "yiddish"},
};

/* The tokenize clause for a BCP 47 language ("fr-CA" -> french). */
static void tokenize_for(const char *lang, char *out, size_t len)
{
	char primary[8];
	size_t n = strcspn(lang ? lang : "", "-_");
	if (n >= sizeof primary)
		n = 0;
	for (size_t i = 0; i < n; i++)
		primary[i] = (char)((lang[i] >= 'A' && lang[i] <= 'Z') ? lang[i] - 'A' + 'a' : lang[i]);
	primary[n] = '\0';
	if (strcmp(primary, "en") == 0 || n == 0) {
		snprintf(out, len, "porter unicode61 remove_diacritics 2");
		return;
	}
	for (size_t i = 0; i < sizeof snowball / sizeof snowball[0]; i++) {
		if (strcmp(snowball[i].lang, primary) != 0)
			continue;
		const char **known = sb_stemmer_list();
		for (size_t k = 0; known && known[k]; k++)
			if (strcmp(known[k], snowball[i].algorithm) == 0) {
				snprintf(out, len, "gz_stem %s", snowball[i].algorithm);
				return;
			}
	}
	snprintf(out, len, "unicode61 remove_diacritics 2");
}

/* The tables of the search index, for a tokenize clause. */
static const char *const drop_sql = "DROP TABLE IF EXISTS spell_vocab; DROP TABLE IF EXISTS "
				    "spell_fts; DROP TABLE IF EXISTS posts_fts;";

/* The tokenize clause posts_fts was made with, from its schema text ("" when
 * none). */
static void made_with(sqlite3 *db, char *have, size_t len)
{
	have[0] = '\0';
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'posts_fts'", -1,
			       &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(s, 0);
		const char *t = sql ? strstr(sql, "tokenize = '") : NULL;
		if (t) {
			t += strlen("tokenize = '");
			size_t n = strcspn(t, "'");
			if (n < len) {
				memcpy(have, t, n);
				have[n] = '\0';
			}
		}
	}
	sqlite3_finalize(s);
}

enum err sq_search_tables(struct store *st, struct conn *c, const char *lang, bool *remade)
{
	(void)st;
	*remade = false;
	char want[96], have[128];
	tokenize_for(lang, want, sizeof want);
	made_with(c->db, have, sizeof have);
	if (strcmp(have, want) == 0)
		return ERR_OK;
	char *sql = sqlite3_mprintf(
		"%s CREATE VIRTUAL TABLE posts_fts USING fts5(title, excerpt, body, tags, category, "
		"author, tokenize = '%q', prefix = '3 4');"
		"CREATE VIRTUAL TABLE spell_fts USING fts5(title, excerpt, body, tags, category, "
		"author, content = 'posts_fts', tokenize = 'unicode61 remove_diacritics 2', "
		"detail = none);"
		"CREATE VIRTUAL TABLE spell_vocab USING fts5vocab('spell_fts', 'row');",
		drop_sql, want);
	if (!sql)
		return ERR_NOMEM;
	char *msg = NULL;
	enum err rc = ERR_OK;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("store: search index for language %s: %s", lang, msg ? msg : "?");
		rc = ERR_DB;
	}
	sqlite3_free(msg);
	sqlite3_free(sql);
	if (rc == ERR_OK) {
		*remade = true;
		log_info("search index: %s (was %s), rebuilding", want, *have ? have : "none");
	}
	return rc;
}

enum err sqx_search_language(struct store *st, const char *lang,
			     void (*progress)(int64_t done, int64_t total))
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	/* unchanged (the usual case): no write transaction */
	char want[96], have[128];
	tokenize_for(lang, want, sizeof want);
	made_with(c->db, have, sizeof have);
	if (strcmp(have, want) == 0) {
		conn_put(st, c);
		return ERR_OK;
	}
	bool remade = false;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK)
		rc = sq_search_tables(st, c, lang, &remade);
	if (rc == ERR_OK && remade)
		rc = sq_change(st, c, "search", 0, "language");
	rc = sq_end(st, c, rc);
	conn_put(st, c);
	if (rc != ERR_OK || !remade)
		return rc;
	return sqx_reindex(st, progress);
}
