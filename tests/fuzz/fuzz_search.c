/* fuzz_search.c - libFuzzer harness for the search query parser
 * (search/query.c) and the snippet builder (search/snippet.c).
 *
 * The parser promises that nothing a reader types is FTS5 syntax: every
 * MATCH expression it makes is run against an in-memory FTS5 table defined
 * like the store's posts_fts (same tokenizer and prefix indexes), and any
 * SQLite error is a finding. The snippet is trusted HTML, so the only tags
 * in it are balanced <mark> and </mark>.
 *
 * Input: the query text; the same bytes (with \x01 / \x02 as match markers)
 * are the raw snippet. */
#include "fuzz.h"

#include <sqlite3.h>
#include <stdbool.h>

#include "core/arena.h"
#include "search/query.h"
#include "search/snippet.h"

static sqlite3 *db;
static sqlite3_stmt *stmt;

static void open_db(void)
{
	static const char schema[] =
		"CREATE VIRTUAL TABLE posts_fts USING fts5(title, excerpt, body, tags, category, "
		"author, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3 4');"
		"INSERT INTO posts_fts VALUES('Harbour bridge opens', 'The new bridge', "
		"'Crowds gathered at the harbour as the bridge opened. Caf\xc3\xa9 owners cheered.', "
		"'bridge,harbour', 'City', 'ada');"
		"INSERT INTO posts_fts VALUES('Council budget', 'Money', 'The council voted on "
		"the budget for schools and roads.', 'council', 'Politics', 'bob');";
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT rowid, bm25(posts_fts, 10.0, 3.0, 1.0, 2.0, 1.0, 1.0) "
			       "FROM posts_fts WHERE posts_fts MATCH ?1 ORDER BY 2",
			       -1, &stmt, NULL) != SQLITE_OK) {
		fprintf(stderr, "fuzz_search: cannot set up FTS5: %s\n", sqlite3_errmsg(db));
		abort();
	}
}

static void check_match(const char *match)
{
	sqlite3_reset(stmt);
	sqlite3_bind_text(stmt, 1, match, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	FUZZ_CHECK(rc == SQLITE_DONE, "FTS5 refused MATCH %s: %s", match, sqlite3_errmsg(db));
}

static void check_snippet(const char *html)
{
	int open = 0;
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		if (strncmp(p, "<mark>", 6) == 0) {
			FUZZ_CHECK(open == 0, "nested <mark> in %s", html);
			open = 1;
		} else if (strncmp(p, "</mark>", 7) == 0) {
			FUZZ_CHECK(open == 1, "</mark> without <mark> in %s", html);
			open = 0;
		} else {
			FUZZ_CHECK(0, "a tag other than <mark> in %s", html);
		}
	}
	FUZZ_CHECK(open == 0, "unclosed <mark> in %s", html);
	for (const char *p = html; *p; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20, "control byte 0x%02x in snippet",
			   (unsigned char)*p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		open_db();
	char *q = fuzz_cstr(data, size);
	struct arena a;
	arena_init(&a, (size_t)1 << 20);
	struct search_query sq;
	enum err e = search_parse(&a, q, &sq);
	FUZZ_CHECK(e == ERR_OK, "search_parse: %d", (int)e);
	FUZZ_CHECK(sq.understood == (sq.match != NULL), "understood without a match");
	if (sq.match) {
		FUZZ_CHECK(sq.npositive >= 1 && sq.npositive <= SEARCH_MAX_ITEMS, "npositive %zu",
			   sq.npositive);
		check_match(sq.match);
	}
	char *html = search_snippet_html(&a, q);
	FUZZ_CHECK(html != NULL, "snippet failed");
	check_snippet(html);
	arena_free(&a);
	free(q);
	return 0;
}
