/* test_relvec.c - the arithmetic of "You may also like": words, vectors,
 * blobs, candidates and the score. The store's use of it (publishing,
 * neighbours, rebuild) is tested in test_store.c and over HTTP in
 * tests/e2e/test_related.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libstemmer.h>

#include "search/relvec.h"

static void add_text(struct relvec_words *w, struct sb_stemmer *sb, const char *text,
		     unsigned weight)
{
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *s = p;
		while (*p && *p != ' ')
			p++;
		if (p > s)
			relvec_words_add(w, sb, s, (size_t)(p - s), weight);
	}
}

static uint32_t stem_hash(struct sb_stemmer *sb, const char *word)
{
	const sb_symbol *s = sb_stemmer_stem(sb, (const sb_symbol *)word, (int)strlen(word));
	return relvec_hash((const char *)s, (size_t)sb_stemmer_length(sb));
}

static void test_words(void **state)
{
	(void)state;
	struct sb_stemmer *sb = sb_stemmer_new("english", NULL);
	assert_non_null(sb);
	struct relvec_words w;
	relvec_words_init(&w);
	/* stop words, short words and numbers are skipped; inflections meet */
	add_text(&w, sb, "the trams and a tram of 2026 were at the depot depots", 1);
	add_text(&w, sb, "tram", 3);
	relvec_words_finish(&w);
	assert_false(w.oom);
	assert_int_equal(w.n, 2); /* tram, depot */
	assert_true(w.term[0] < w.term[1]);
	assert_int_equal(relvec_words_get(&w, stem_hash(sb, "tram")), 5);
	assert_int_equal(relvec_words_get(&w, stem_hash(sb, "depot")), 2);
	assert_int_equal(relvec_words_get(&w, relvec_hash("the", 3)), 0);

	/* a few thousand distinct terms: the table grows and stays exact */
	struct relvec_words big;
	relvec_words_init(&big);
	for (uint32_t i = 1; i <= 5000; i++)
		relvec_words_put(&big, i * 2654435761u | 1, i % 7 + 1);
	relvec_words_finish(&big);
	assert_int_equal(big.n, 5000);
	for (uint32_t i = 1; i <= 5000; i += 499)
		assert_int_equal(relvec_words_get(&big, i * 2654435761u | 1), i % 7 + 1);
	relvec_words_free(&big);
	relvec_words_free(&w);
	sb_stemmer_delete(sb);
	assert_int_not_equal(relvec_hash("", 0), 0);
}

static void test_blobs(void **state)
{
	(void)state;
	uint32_t terms[] = {1, 77, 0xFFFFFFFFu};
	size_t len = 0, n = 0;
	void *b = relvec_terms_blob(terms, 3, &len);
	assert_int_equal(len, 12);
	uint32_t *back = NULL;
	assert_true(relvec_terms_read(b, len, &back, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(back, terms, sizeof terms);
	free(back);
	assert_false(relvec_terms_read(b, 5, &back, &n)); /* not a multiple of 4 */
	assert_null(back);
	free(b);

	struct relvec_entry v[2] = {{9, 0.8f}, {3, 0.6f}}, r[RELVEC_KEEP];
	b = relvec_vector_blob(v, 2, &len);
	assert_int_equal(len, 16);
	assert_true(relvec_vector_read(b, len, r, &n));
	assert_true(relvec_vector_equal(v, 2, r, n));
	/* a weight out of range is a bad blob, not a vector */
	((unsigned char *)b)[7] = 0x7F;
	assert_false(relvec_vector_read(b, len, r, &n));
	free(b);
}

static void test_vector(void **state)
{
	(void)state;
	/* a term in every article weighs less than a rare one */
	uint32_t terms[] = {10, 20, 30};
	uint32_t tf[] = {5, 1, 1};
	int64_t df[] = {10, 1, 2};
	struct relvec_entry v[RELVEC_KEEP];
	size_t n = relvec_build(terms, tf, df, 3, 10, v);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].term, 20);
	assert_int_equal(v[2].term, 10);
	double norm = 0;
	for (size_t i = 0; i < n; i++)
		norm += (double)v[i].weight * v[i].weight;
	assert_true(norm > 0.999 && norm < 1.001);

	/* on a site of 50 or more, a term in over a tenth of it is dropped */
	int64_t df2[] = {30, 1, 2};
	n = relvec_build(terms, tf, df2, 3, 200, v);
	assert_int_equal(n, 2);
	assert_int_not_equal(v[0].term, 10);
	assert_int_not_equal(v[1].term, 10);

	/* only the RELVEC_KEEP heaviest stay */
	uint32_t many[100], mtf[100];
	int64_t mdf[100];
	for (int i = 0; i < 100; i++) {
		many[i] = (uint32_t)i + 1;
		mtf[i] = 1;
		mdf[i] = i + 1; /* term 1 is the rarest */
	}
	n = relvec_build(many, mtf, mdf, 100, 2000, v);
	assert_int_equal(n, RELVEC_KEEP);
	assert_int_equal(v[0].term, 1);
	for (size_t i = 0; i < n; i++)
		assert_true(v[i].term <= RELVEC_KEEP);

	/* nothing to say: an empty vector */
	assert_int_equal(relvec_build(terms, tf, df, 0, 10, v), 0);
}

static void test_candidates_and_score(void **state)
{
	(void)state;
	struct relvec_acc acc;
	relvec_acc_init(&acc);
	for (int64_t id = 1; id <= 3000; id++)
		relvec_acc_add(&acc, id, 0.001 * (double)(id % 100));
	relvec_acc_add(&acc, 42, 5.0);
	relvec_acc_add(&acc, 7, 1.0);
	relvec_acc_add(&acc, 7, 1.0);
	assert_false(acc.oom);
	assert_int_equal(acc.n, 3000);
	struct relvec_cand top[3];
	assert_int_equal(relvec_acc_top(&acc, top, 3), 3);
	assert_int_equal(top[0].id, 42);
	assert_int_equal(top[1].id, 7);
	assert_true(top[1].dot > 2.0 && top[1].dot < 2.01);
	assert_int_equal(top[2].id, 99); /* 0.099, the lowest id of the ties */
	assert_int_equal(relvec_acc_top(&acc, top, 0), 0);
	relvec_acc_free(&acc);

	/* content first: an on-topic article beats one sharing tag and
	 * category but little text; among equals, the nearer in time wins */
	double on_topic = relvec_score(0.35, false, 0, 400 * 86400.0);
	double tagged = relvec_score(0.05, true, 3, 0);
	assert_true(on_topic > tagged);
	assert_true(relvec_score(0.2, false, 0, 86400) > relvec_score(0.2, false, 0, 900 * 86400.0));
	assert_true(relvec_score(0.2, true, 1, 0) > relvec_score(0.2, false, 1, 0));
	/* symmetric in time */
	assert_true(relvec_score(0.2, false, 0, -86400) == relvec_score(0.2, false, 0, 86400));

	struct relvec_cand c[3] = {{1, 0, 0.1}, {2, 0, 0.3}, {3, 0, 0.3}};
	relvec_sort(c, 3);
	assert_int_equal(c[0].id, 2);
	assert_int_equal(c[1].id, 3);
	assert_int_equal(c[2].id, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_blobs),
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_candidates_and_score),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
