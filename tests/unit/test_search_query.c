/* test_search_query.c - what readers type becomes a safe FTS5 query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "search/query.h"
#include "search/snippet.h"
#include "search/suggest.h"

static const char *parse(struct arena *a, const char *q, size_t *npos, bool *understood)
{
	struct search_query sq;
	assert_int_equal(search_parse(a, q, &sq), ERR_OK);
	if (npos)
		*npos = sq.npositive;
	if (understood)
		*understood = sq.understood;
	return sq.match;
}

static void test_words_phrases_exclusion_prefix(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	size_t n;
	assert_string_equal(parse(&a, "Tram Line", &n, NULL), "\"tram\" OR \"line\"");
	assert_int_equal(n, 2);
	assert_string_equal(parse(&a, "\"swing bridge\" repairs", &n, NULL),
			    "\"swing bridge\" OR \"repairs\"");
	assert_string_equal(parse(&a, "budget -libraries", NULL, NULL),
			    "(\"budget\") NOT (\"libraries\")");
	/* the same items AND-ed, for the articles that have them all */
	struct search_query all;
	assert_int_equal(search_parse(&a, "swing bridge* -tolls", &all), ERR_OK);
	assert_string_equal(all.match_all, "(\"swing\" AND \"bridge\" *) NOT (\"tolls\")");
	assert_int_equal(search_parse(&a, "bridge -tolls", &all), ERR_OK);
	assert_null(all.match_all);
	assert_string_equal(parse(&a, "mudfl*", NULL, NULL), "\"mudfl\" *");
	/* stop words go unless nothing else is left */
	assert_string_equal(parse(&a, "the herons of the estuary", &n, NULL),
			    "\"herons\" OR \"estuary\"");
	assert_int_equal(n, 2);
	assert_string_equal(parse(&a, "the", &n, NULL), "\"the\"");
	arena_free(&a);
}

static void test_nothing_searchable(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	bool u = true;
	const char *odd[] = {"", "   ", "\"", "\"\"\"", "***", "-", "- - -", "(((", "\x01\x02",
			     "-onlynegative", NULL};
	for (size_t i = 0; odd[i]; i++) {
		assert_null(parse(&a, odd[i], NULL, &u));
		assert_false(u);
	}
	arena_free(&a);
}

static void test_syntax_is_never_passed_through(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	/* FTS5 operators and column filters become plain words */
	assert_string_equal(parse(&a, "NEAR(a b)", NULL, NULL), "\"near\" OR \"b\"");
	assert_string_equal(parse(&a, "title:heron", NULL, NULL), "\"title\" OR \"heron\"");
	assert_string_equal(parse(&a, "^heron", NULL, NULL), "\"heron\"");
	const char *m = parse(&a, "\"unbalanced heron", NULL, NULL);
	assert_string_equal(m, "\"unbalanced heron\"");
	/* a huge query keeps a bounded number of items */
	char big[20000];
	memset(big, 0, sizeof big);
	for (size_t i = 0; i + 7 < sizeof big; i += 7)
		memcpy(big + i, "heron ", 6), big[i + 6] = 'x';
	size_t n;
	assert_non_null(parse(&a, big, &n, NULL));
	assert_true(n <= SEARCH_MAX_ITEMS);
	/* broken UTF-8 is a separator, never copied */
	m = parse(&a, "caf\xc3 h\xe9ron", NULL, NULL);
	assert_non_null(m);
	for (const char *p = m; *p; p++)
		assert_true((unsigned char)*p != 0xe9 || (p[1] & 0xC0) == 0x80);
	arena_free(&a);
}

static void test_snippet_escapes_and_marks(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(search_snippet_html(&a, "a \x01<b>\x02 & c"),
			    "a <mark>&lt;b&gt;</mark> &amp; c");
	assert_string_equal(search_snippet_html(&a, "\x01open"), "<mark>open</mark>");
	assert_string_equal(search_snippet_html(&a, "x\x02y\x03z"), "xyz");
	arena_free(&a);
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(search_edit_distance("heron", "heron", 2), 0);
	assert_int_equal(search_edit_distance("herron", "heron", 2), 1);
	assert_int_equal(search_edit_distance("hreon", "heron", 2), 1); /* a swap */
	assert_int_equal(search_edit_distance("kitten", "sitting", 3), 3);
	assert_int_equal(search_edit_distance("kitten", "sitting", 2), 3); /* max + 1 */
	assert_int_equal(search_edit_distance("", "abc", 5), 3);
	assert_int_equal(search_edit_distance("abcdef", "a", 2), 3);
	/* a swap two rows on must not be cut off early */
	assert_int_equal(search_edit_distance("ab", "ba", 1), 1);
	assert_int_equal(search_edit_distance("xaby", "xbay", 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_phrases_exclusion_prefix),
		cmocka_unit_test(test_nothing_searchable),
		cmocka_unit_test(test_syntax_is_never_passed_through),
		cmocka_unit_test(test_snippet_escapes_and_marks),
		cmocka_unit_test(test_edit_distance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
