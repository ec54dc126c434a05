/* pg_search.c - the search index of public articles in the PostgreSQL
 * backend, and search, "did you mean" words, the index's language and
 * rebuilding it.
 *
 * posts_search holds, per public article, its title, excerpt, body as plain
 * text, tag names, category name and author name, and a tsvector weighted
 * A (title), B (excerpt, tags), C (category, author), D (body) in the site
 * language's configuration. Every write that can change one of those calls
 * pg_index_post (or pg_index_ids) inside its own transaction, so the index
 * is never out of step with what the site shows. spell_words counts, per
 * word as written, the articles containing it.
 *
 * Queries: search/query.c writes an FTS5 expression ("a" OR "b c" OR "d" *,
 * optionally (...) NOT (...)); parse_match() takes its items back out (only
 * quoted word characters, so nothing a reader typed is syntax here either)
 * and pg_stmt.c turns each into a tsquery with PostgreSQL's own functions.
 * Ranking as SQLite's: articles matching more of the items first, then
 * ts_rank with the title weighted highest, then the newest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "render/markdown.h"
#include "store/pg_int.h"

/* A search's time budget: a query over it answers ERR_LIMIT rather than
 * holding a worker and a connection. */
#define SEARCH_TIMEOUT "1s"

/* --- keeping the index in step ------------------------------------------- */

/* spell: keep the spelling vocabulary in step too (a bulk build fills it
 * once at the end instead: one upsert per word per article, in one
 * transaction, updates the same rows thousands of times). */
static enum err index_post(struct store *st, struct pconn *c, int64_t id, bool spell)
{
	enum err rc;
	PGresult *r = pg_run(st, c, G_FTS_SOURCE, PG_ARGS(PG_I(id)), &rc);
	if (!r)
		return rc;
	/* what it had counts no more in the vocabulary (in again below) */
	if (spell)
		rc = pg_exec(st, c, G_SPELL_FORGET, PG_ARGS(PG_I(id)));
	if (rc == ERR_OK && PQntuples(r) == 0) { /* not a public article (any more) */
		rc = pg_exec(st, c, G_FTS_DELETE, PG_ARGS(PG_I(id)));
	} else if (rc == ERR_OK) {
		struct arena a;
		arena_init(&a, 0);
		char *body = NULL;
		rc = markdown_plaintext(&a, PQgetvalue(r, 0, 2), &body);
		if (rc == ERR_OK)
			rc = pg_exec(st, c, G_FTS_PUT,
				     PG_ARGS(PG_I(id), PG_T(PQgetvalue(r, 0, 0)),
					     PG_T(PQgetvalue(r, 0, 1)), PG_T(body ? body : ""),
					     PG_T(PQgetvalue(r, 0, 3)), PG_T(PQgetvalue(r, 0, 4)),
					     PG_T(PQgetvalue(r, 0, 5))));
		if (rc == ERR_OK && spell)
			rc = pg_exec(st, c, G_SPELL_ADD, PG_ARGS(PG_I(id)));
		arena_free(&a);
	}
	PQclear(r);
	return rc;
}

enum err pg_index_post(struct store *st, struct pconn *c, int64_t id)
{
	return index_post(st, c, id, true);
}

enum err pg_index_text(struct store *st, struct pconn *c, int64_t id)
{
	return index_post(st, c, id, false);
}

enum err pg_ids(struct store *st, struct pconn *c, struct arena *a, enum pgs which, int64_t key,
		int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	enum err rc;
	PGresult *r = pg_run(st, c, which, PG_ARGS(PG_I(key)), &rc);
	if (!r)
		return rc;
	size_t rows = (size_t)PQntuples(r);
	if (rows) {
		*ids = ARENA_ARRAY(a, int64_t, rows);
		if (!*ids)
			rc = ERR_NOMEM;
		for (size_t i = 0; rc == ERR_OK && i < rows; i++)
			(*ids)[i] = pg_int(r, (int)i, 0);
		if (rc == ERR_OK)
			*n = rows;
	}
	PQclear(r);
	return rc;
}

enum err pg_index_ids(struct store *st, struct pconn *c, const int64_t *ids, size_t n)
{
	enum err rc = ERR_OK;
	for (size_t i = 0; i < n && rc == ERR_OK; i++)
		rc = pg_index_post(st, c, ids[i]);
	return rc;
}

/* Index every article in transactions of `batch` (writers wait at most one
 * batch): cleared in the first; in the last, the spelling vocabulary is
 * counted again from the whole index in one statement (upserting each
 * article's words made this minutes instead of seconds) and the change is
 * logged (servers then purge cached search results). */
static enum err rebuild(struct store *st, size_t batch,
			void (*progress)(int64_t done, int64_t total))
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL;
	size_t n = 0;
	enum err rc = pg_ids(st, c, &a, G_ARTICLE_IDS, 0, &ids, &n);
	for (size_t i = 0; rc == ERR_OK && (i < n || i == 0); i += batch) {
		size_t end = i + batch < n ? i + batch : n;
		rc = pg_begin(st, c);
		if (rc == ERR_OK && i == 0)
			rc = pg_exec(st, c, G_FTS_CLEAR, NULL, 0);
		for (size_t k = i; rc == ERR_OK && k < end; k++)
			rc = pg_index_text(st, c, ids[k]);
		if (rc == ERR_OK && end == n)
			rc = pg_exec(st, c, G_SPELL_CLEAR, NULL, 0);
		if (rc == ERR_OK && end == n)
			rc = pg_exec(st, c, G_SPELL_FILL, NULL, 0);
		if (rc == ERR_OK && end == n)
			rc = pg_change(st, c, "search", 0, "reindex");
		rc = pg_end(st, c, rc);
		if (rc == ERR_OK && progress && n)
			progress((int64_t)end, (int64_t)n);
		if (end == n)
			break;
	}
	arena_free(&a);
	pg_conn_put(st, c);
	return rc;
}

enum err pgx_reindex(struct store *st, void (*progress)(int64_t done, int64_t total))
{
	return rebuild(st, 500, progress);
}

/* --- the index's language ------------------------------------------------ */

/* BCP 47 primary subtags and PostgreSQL's text search configurations of the
 * same Snowball stemmers sqlite_stem.c uses. */
static const struct {
	const char *lang, *config;
} configs[] = {
	{"ar", "arabic"},     {"ca", "catalan"},    {"da", "danish"},   {"de", "german"},
	{"el", "greek"},      {"en", "english"},    {"es", "spanish"},  {"eu", "basque"},
	{"fi", "finnish"},    {"fr", "french"},     {"ga", "irish"},    {"hi", "hindi"},
	{"hu", "hungarian"},  {"hy", "armenian"},   {"id", "indonesian"}, {"it", "italian"},
	{"lt", "lithuanian"}, {"nb", "norwegian"},  {"ne", "nepali"},   {"nl", "dutch"},
	{"nn", "norwegian"},  {"no", "norwegian"},  {"pt", "portuguese"}, {"ro", "romanian"},
	{"ru", "russian"},    {"sr", "serbian"},    {"sv", "swedish"},  {"ta", "tamil"},
	{"tr", "turkish"},    {"yi", "yiddish"},
};

static const char *config_for(const char *lang)
{
	char primary[8];
	size_t n = strcspn(lang ? lang : "", "-_");
	if (n == 0 || n >= sizeof primary)
		return "english"; /* unset: as SQLite, English */
	for (size_t i = 0; i < n; i++)
		primary[i] = (char)((lang[i] >= 'A' && lang[i] <= 'Z') ? lang[i] - 'A' + 'a' : lang[i]);
	primary[n] = '\0';
	for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++)
		if (strcmp(configs[i].lang, primary) == 0)
			return configs[i].config;
	return "simple"; /* no stemming */
}

enum err pg_search_config(struct store *st, struct pconn *c, const char *lang, bool *changed)
{
	*changed = false;
	const char *want = config_for(lang);
	/* a server without that configuration indexes without stemming */
	enum err rc;
	PGresult *r = pg_run(st, c, G_TS_CONFIG_EXISTS, PG_ARGS(PG_T(want)), &rc);
	if (r && PQntuples(r) == 0)
		want = "simple";
	PQclear(r);
	char have[64] = "";
	if (rc == ERR_OK) {
		r = pg_run(st, c, G_SEARCH_CFG, NULL, 0, &rc);
		if (r && PQntuples(r) == 1)
			str_copy(have, PQgetvalue(r, 0, 0), sizeof have);
		PQclear(r);
	}
	if (rc != ERR_OK || strcmp(have, want) == 0)
		return rc;
	rc = pg_exec(st, c, G_SEARCH_CFG_SET, PG_ARGS(PG_T(want)));
	if (rc == ERR_OK) {
		*changed = true;
		log_info("search index: %s (was %s), rebuilding", want, *have ? have : "none");
	}
	return rc;
}

enum err pgx_search_language(struct store *st, const char *lang,
			     void (*progress)(int64_t done, int64_t total))
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	bool changed = false;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
		rc = pg_search_config(st, c, lang, &changed);
	if (rc == ERR_OK && changed)
		rc = pg_change(st, c, "search", 0, "language");
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	if (rc != ERR_OK || !changed)
		return rc;
	return pgx_reindex(st, progress);
}

/* --- search -------------------------------------------------------------- */

/* The items of an FTS5 expression from search/query.c, one per line into
 * pos and neg ("word", "two words", "prefix*"). False when it holds
 * anything else. */
static bool parse_match(const char *m, struct buf *pos, struct buf *neg)
{
	struct buf *into = pos;
	for (const char *p = m; *p;) {
		if (*p == ' ' || *p == '(' || *p == ')') {
			p++;
		} else if (strncmp(p, "OR ", 3) == 0) {
			p += 3;
		} else if (strncmp(p, "NOT ", 4) == 0) {
			into = neg;
			p += 4;
		} else if (*p == '"') {
			const char *end = strchr(p + 1, '"');
			if (!end || end[1] == '"') /* FTS5's "" escape: never written by query.c */
				return false;
			if (into->len)
				buf_putc(into, '\n');
			buf_append(into, p + 1, (size_t)(end - p - 1));
			p = end + 1;
			while (*p == ' ')
				p++;
			if (*p == '*') {
				buf_putc(into, '*');
				p++;
			}
		} else {
			return false;
		}
	}
	return !pos->oom && !neg->oom;
}

enum err pgx_search(struct store *st, struct arena *a, const struct search_request *q,
		    struct search_hit **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (!q->match || !*q->match)
		return ERR_OK;
	struct buf pos = BUF_INIT, neg = BUF_INIT;
	if (!parse_match(q->match, &pos, &neg) || !pos.len) {
		buf_free(&pos);
		buf_free(&neg);
		return ERR_INVALID;
	}
	const char *ptext = pos.data, *ntext = neg.data ? neg.data : "";
	struct pconn *c = pg_conn_get(st);
	if (!c) {
		buf_free(&pos);
		buf_free(&neg);
		return ERR_DB;
	}
	/* Its own snapshot, or a savepoint in the page's: the time budget is
	 * undone with it, and a search cancelled for taking too long leaves the
	 * page's transaction usable. */
	bool own = !c->in_tx;
	enum err rc;
	if (own) {
		rc = pg_begin_read(st, c);
	} else {
		PGresult *r = PQexec(c->db, "SAVEPOINT gz_search");
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? ERR_OK : ERR_DB;
		PQclear(r);
	}
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_SEARCH_TIMEOUT, PG_ARGS(PG_T(SEARCH_TIMEOUT)));
	if (rc == ERR_OK && total) {
		PGresult *r = pg_run(st, c, G_SEARCH_COUNT,
				     PG_ARGS(PG_T(ptext), PG_T(ntext), PG_I(q->now),
					     PG_I(q->category_id), PG_I(q->tag_id), PG_I(q->author_id),
					     PG_I(q->from), PG_I(q->to)),
				     &rc);
		if (r && PQntuples(r) == 1)
			*total = pg_int(r, 0, 0);
		PQclear(r);
	}
	if (rc == ERR_OK) {
		PGresult *r = pg_run(st, c, G_SEARCH,
				     PG_ARGS(PG_T(ptext), PG_T(ntext), PG_I(q->now),
					     PG_I(q->category_id), PG_I(q->tag_id), PG_I(q->author_id),
					     PG_I(q->from), PG_I(q->to),
					     PG_I(q->limit > 0 ? q->limit : 10),
					     PG_I(q->offset > 0 ? q->offset : 0)),
				     &rc);
		int rows = r ? PQntuples(r) : 0;
		if (rows) {
			*out = ARENA_ARRAY(a, struct search_hit, (size_t)rows);
			if (!*out)
				rc = ERR_NOMEM;
		}
		for (int i = 0; rc == ERR_OK && i < rows; i++) {
			struct search_hit *h = &(*out)[(*n)++];
			pg_row_post(a, r, i, &h->post);
			h->matched = (int)pg_int(r, i, 24);
			h->score = h->matched * 1000.0 + strtod(PQgetvalue(r, i, 25), NULL);
			h->snippet = pg_text(a, r, i, 26);
		}
		if (a->failed)
			rc = ERR_NOMEM;
		PQclear(r);
	}
	if (own) {
		rc = pg_end(st, c, rc);
	} else if (PQstatus(c->db) == CONNECTION_OK) { /* back to before the search */
		PQclear(PQexec(c->db, "ROLLBACK TO SAVEPOINT gz_search; RELEASE SAVEPOINT gz_search"));
	}
	pg_conn_put(st, c);
	buf_free(&pos);
	buf_free(&neg);
	return rc;
}

/* --- "did you mean" ------------------------------------------------------ */

static void row_spell(struct arena *a, const PGresult *r, int row, void *out)
{
	struct spell_word *w = out;
	w->word = pg_text(a, r, row, 0);
	w->docs = pg_int(r, row, 1);
}

/* The UTF-8 of a code point (no surrogates), into out[5]. */
static void put_utf8(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xC0 | cp >> 6);
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xE0 | cp >> 12);
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | cp >> 18);
		*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*o = '\0';
}

/* lo = the first character of word, hi = the character after it (byte
 * order is code point order in UTF-8): words in [lo, hi) start with it.
 * False for a word that does not start with valid UTF-8. */
static bool first_char_range(const char *word, char lo[8], char hi[8])
{
	const unsigned char *w = (const unsigned char *)word;
	uint32_t cp;
	size_t k;
	if (w[0] < 0x80) {
		cp = w[0];
		k = 1;
	} else if ((w[0] & 0xE0) == 0xC0) {
		cp = w[0] & 0x1F;
		k = 2;
	} else if ((w[0] & 0xF0) == 0xE0) {
		cp = w[0] & 0x0F;
		k = 3;
	} else if ((w[0] & 0xF8) == 0xF0) {
		cp = w[0] & 0x07;
		k = 4;
	} else {
		return false;
	}
	for (size_t i = 1; i < k; i++) {
		if ((w[i] & 0xC0) != 0x80)
			return false;
		cp = cp << 6 | (w[i] & 0x3F);
	}
	if (cp >= 0x10FFFF)
		return false;
	memcpy(lo, word, k);
	lo[k] = '\0';
	cp++;
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = 0xE000;
	put_utf8(cp, hi);
	return true;
}

enum err pgx_spell_words(struct store *st, struct arena *a, const char *word,
			 struct spell_word **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t len = strlen(word);
	if (len == 0)
		return ERR_OK;
	enum err rc = pg_all(st, a, G_SPELL_HAS, PG_ARGS(PG_T(word)), row_spell, sizeof **out,
			     (void **)out, n);
	if (rc != ERR_OK || *n)
		return rc;
	/* the same first character: [it, the next code point) */
	char lo[8], hi[8];
	if (!first_char_range(word, lo, hi))
		return ERR_OK;
	int64_t chars = (int64_t)str_utf8_len(word);
	return pg_all(st, a, G_SPELL_NEAR,
		      PG_ARGS(PG_T(lo), PG_T(hi), PG_I(chars > 2 ? chars - 2 : 1), PG_I(chars + 2)),
		      row_spell, sizeof **out, (void **)out, n);
}
