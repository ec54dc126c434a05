/* spam.h - the local spam classifier: naive Bayes over a comment's tokens.
 *
 * spam_tokens turns a comment into a set of features: its words (CJK as
 * character pairs), the domains it links to, how many links it has, the
 * shape of odd words (no vowels, digits inside letters), which script it
 * is written in, its length, and features of the name, email and website.
 * The store keeps per-token counts of the ham and spam comments that had
 * each token (store_ops.spam_counts), learned from moderators' decisions;
 * spam_probability combines them. Pure functions: the caller reads and
 * writes the counts. */
#ifndef GAZETTE_COMMENT_SPAM_H
#define GAZETTE_COMMENT_SPAM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "store/store.h"

#define SPAM_MAX_TOKENS 400

/* The distinct tokens of c (body_md, author name, email, website), in the
 * arena. */
enum err spam_tokens(struct arena *a, const struct comment *c, const char ***out, size_t *n);

/* P(spam | tokens) from the counts, between 0 and 1. */
double spam_probability(const struct spam_counts *k, size_t n);

enum spam_verdict {
	SPAM_UNSURE, /* too little history to judge */
	SPAM_HAM,
	SPAM_SPAM,
};

/* Tokenize, read the counts and judge: SPAM_UNSURE while fewer than
 * min_docs ham or spam comments were learned; SPAM_SPAM at or above
 * threshold percent. *percent gets the probability (-1 when unsure). */
enum err spam_judge(struct store *st, struct arena *a, const struct comment *c, int64_t min_docs,
		    int threshold, enum spam_verdict *out, int *percent);

#endif
