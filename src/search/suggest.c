/* suggest.c - "did you mean" (suggest.h). */
#include "search/suggest.h"

#include <stdbool.h>
#include <string.h>

#include "core/buf.h"
#include "search/query.h"

#define SUGGEST_MAX_WORDS 10

int search_edit_distance(const char *x, const char *y, int max)
{
	size_t m = strlen(x), n = strlen(y);
	if (m > SEARCH_MAX_WORD || n > SEARCH_MAX_WORD)
		return max + 1;
	if ((m > n ? m - n : n - m) > (size_t)max)
		return max + 1;
	/* three rows of the table: two back (for swaps), one back, this one */
	int rows[3][SEARCH_MAX_WORD + 1];
	int *pp = rows[0], *p = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= n; j++)
		p[j] = (int)j;
	int prev_best = 0; /* a swap reaches two rows back: stop only when both exceed */
	for (size_t i = 1; i <= m; i++) {
		cur[0] = (int)i;
		int best = cur[0];
		for (size_t j = 1; j <= n; j++) {
			int cost = x[i - 1] == y[j - 1] ? 0 : 1;
			int v = p[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max && prev_best > max)
			return max + 1;
		prev_best = best;
		int *t = pp;
		pp = p;
		p = cur;
		cur = t;
	}
	return p[n] > max ? max + 1 : p[n];
}

static bool is_word_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch >= 0x80;
}

/* The closest known word to w (ASCII, lower case), or NULL. */
static enum err closest(struct store *st, struct arena *a, const char *w, const char **out)
{
	*out = NULL;
	struct spell_word *ws;
	size_t n;
	enum err rc = STORE_CALL(st, spell_words, a, w, &ws, &n);
	if (rc != ERR_OK)
		return rc;
	if (n == 1 && strcmp(ws[0].word, w) == 0)
		return ERR_OK; /* a word the articles use */
	int max = strlen(w) <= 4 ? 1 : 2, best = max + 1;
	int64_t best_docs = 0;
	for (size_t i = 0; i < n; i++) {
		int d = search_edit_distance(w, ws[i].word, max);
		if (d < best || (d == best && d <= max && ws[i].docs > best_docs)) {
			best = d;
			best_docs = ws[i].docs;
			*out = ws[i].word;
		}
	}
	if (best > max)
		*out = NULL;
	return ERR_OK;
}

enum err search_suggest(struct store *st, struct arena *a, const char *query, const char **out)
{
	*out = NULL;
	if (!query)
		return ERR_OK;
	struct buf b = BUF_INIT;
	bool changed = false, quoted = false;
	int words = 0;
	enum err rc = ERR_OK;
	for (const char *p = query; *p && rc == ERR_OK;) {
		if (!is_word_byte((unsigned char)*p)) {
			if (*p == '"')
				quoted = !quoted;
			buf_append(&b, p, 1);
			p++;
			continue;
		}
		size_t len = 0;
		bool ascii = true;
		while (is_word_byte((unsigned char)p[len])) {
			ascii &= (unsigned char)p[len] < 0x80;
			len++;
		}
		bool excluded = p > query && p[-1] == '-';
		bool prefix = p[len] == '*';
		const char *fix = NULL;
		if (ascii && !quoted && !excluded && !prefix && len >= 3 && len <= SEARCH_MAX_WORD &&
		    words++ < SUGGEST_MAX_WORDS) {
			char w[SEARCH_MAX_WORD + 1];
			for (size_t i = 0; i < len; i++)
				w[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] - 'A' + 'a') : p[i];
			w[len] = '\0';
			rc = closest(st, a, w, &fix);
		}
		if (fix) {
			buf_puts(&b, fix);
			changed = true;
		} else {
			buf_append(&b, p, len);
		}
		p += len;
	}
	if (rc == ERR_OK && changed && !b.oom)
		*out = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	if (rc == ERR_OK && changed && !*out)
		rc = ERR_NOMEM;
	return rc;
}
