#include "search/query.h"

#include <string.h>

#include "core/buf.h"

/* Common English words that carry no meaning on their own. */
static const char *const stop_words[] = {
	"a",     "about", "after", "all",   "also",  "an",    "and",   "any",   "are",  "as",
	"at",    "be",    "been",  "but",   "by",    "can",   "could", "did",   "do",   "does",
	"for",   "from",  "had",   "has",   "have",  "he",    "her",   "his",   "how",  "i",
	"if",    "in",    "into",  "is",    "it",    "its",   "me",    "my",    "no",   "not",
	"of",    "on",    "or",    "our",   "she",   "so",    "some",  "than",  "that", "the",
	"their", "them",  "then",  "there", "these", "they",  "this",  "to",    "was",  "we",
	"were",  "what",  "when",  "where", "which", "who",   "why",   "will",  "with", "would",
	"you",   "your",  NULL,
};

static bool is_stop(const char *w)
{
	for (size_t i = 0; stop_words[i]; i++)
		if (strcmp(stop_words[i], w) == 0)
			return true;
	return false;
}

/* Letters and digits, and any multi-byte UTF-8 character (the FTS5
 * tokenizer decides what those are). */
static bool word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

struct item {
	char text[SEARCH_MAX_WORD * 4 + 8]; /* words joined by spaces */
	bool negative, prefix, phrase, stop;
};

/* Read one word at *p into out (lower-cased, at most SEARCH_MAX_WORD bytes,
 * cut on a UTF-8 boundary); returns its length, 0 at none. */
static size_t read_word(const unsigned char **p, char *out)
{
	const unsigned char *s = *p;
	size_t n = 0;
	while (word_byte(*s)) {
		unsigned char c = *s;
		size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		bool whole = true;
		for (size_t k = 1; k < len; k++)
			whole = whole && (s[k] & 0xC0) == 0x80;
		if (!whole) { /* broken UTF-8 ends the word */
			s++;
			break;
		}
		if (n + len <= SEARCH_MAX_WORD)
			for (size_t k = 0; k < len; k++)
				out[n++] = (char)(c >= 'A' && c <= 'Z' && k == 0 ? c + 32 : s[k]);
		s += len;
	}
	out[n] = '\0';
	*p = s;
	return n;
}

enum err search_parse(struct arena *a, const char *q, struct search_query *out)
{
	memset(out, 0, sizeof *out);
	struct item *items = ARENA_ARRAY(a, struct item, SEARCH_MAX_ITEMS);
	if (!items)
		return ERR_NOMEM;
	size_t n = 0, prefixes = 0;
	const unsigned char *p = (const unsigned char *)(q ? q : "");
	while (*p && n < SEARCH_MAX_ITEMS) {
		struct item *it = &items[n];
		memset(it, 0, sizeof *it);
		if (*p == '-' && word_byte(p[1])) {
			it->negative = true;
			p++;
		}
		if (*p == '"') { /* a phrase, to the next quote or the end */
			p++;
			size_t len = 0, words = 0;
			while (*p && *p != '"') {
				char w[SEARCH_MAX_WORD + 1];
				if (word_byte(*p)) {
					size_t wl = read_word(&p, w);
					if (wl && words < 8 && len + wl + 1 < sizeof it->text) {
						if (len)
							it->text[len++] = ' ';
						memcpy(it->text + len, w, wl);
						len += wl;
						it->text[len] = '\0';
						words++;
					}
				} else {
					p++;
				}
			}
			if (*p == '"')
				p++;
			if (!len)
				continue;
			it->phrase = words > 1;
			it->stop = words == 1 && is_stop(it->text);
			n++;
			continue;
		}
		if (word_byte(*p)) {
			if (!read_word(&p, it->text))
				continue;
			if (*p == '*') {
				it->prefix = strlen(it->text) >= SEARCH_MIN_PREFIX &&
					     prefixes < SEARCH_MAX_PREFIXES;
				prefixes += it->prefix;
				p++;
			}
			it->stop = !it->prefix && is_stop(it->text);
			n++;
			continue;
		}
		p++; /* anything else separates */
	}

	/* Stop words count only when there is nothing else to look for. */
	size_t meaningful = 0;
	for (size_t i = 0; i < n; i++)
		meaningful += !items[i].negative && !items[i].stop;
	struct buf pos = BUF_INIT, all = BUF_INIT, neg = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct item *it = &items[i];
		if (!it->negative && it->stop && meaningful)
			continue;
		struct buf *b = it->negative ? &neg : &pos;
		if (b->len)
			buf_puts(b, " OR ");
		if (!it->negative && all.len)
			buf_puts(&all, " AND ");
		/* Only word characters reach here, so the quotes cannot be closed
		 * early by the reader's text. */
		buf_printf(b, "\"%s\"%s", it->text, it->prefix ? " *" : "");
		if (!it->negative) {
			buf_printf(&all, "\"%s\"%s", it->text, it->prefix ? " *" : "");
			out->npositive++;
		}
	}
	enum err rc = ERR_OK;
	if (pos.oom || neg.oom || all.oom) {
		rc = ERR_NOMEM;
	} else if (pos.len) {
		out->understood = true;
		out->match = neg.len ? arena_printf(a, "(%s) NOT (%s)", pos.data, neg.data)
				     : arena_printf(a, "%s", pos.data);
		if (out->npositive > 1)
			out->match_all = neg.len ? arena_printf(a, "(%s) NOT (%s)", all.data,
								 neg.data)
						 : arena_printf(a, "%s", all.data);
		if (!out->match || (out->npositive > 1 && !out->match_all))
			rc = ERR_NOMEM;
	}
	buf_free(&pos);
	buf_free(&all);
	buf_free(&neg);
	return rc;
}
