/* diff.c - line diff by longest common subsequence (diff.h). The common
 * prefix and suffix are taken off first, so the usual edit (a few lines
 * changed in a long text) fills a small table. */
#include "core/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct lines {
	const char **v;
	size_t n;
};

static enum err split(struct arena *a, const char *s, struct lines *out)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == '\n';
	if (n > DIFF_MAX_LINES)
		return ERR_LIMIT;
	out->v = ARENA_ARRAY(a, const char *, n);
	if (!out->v)
		return ERR_NOMEM;
	out->n = 0;
	for (const char *p = s;;) {
		size_t len = strcspn(p, "\n");
		size_t keep = len && p[len - 1] == '\r' ? len - 1 : len;
		out->v[out->n++] = arena_strndup(a, p, keep);
		if (!p[len])
			break;
		p += len + 1;
	}
	if (out->n > 1 && !*out->v[out->n - 1])
		out->n--; /* a final newline ends the last line, it adds none */
	return a->failed ? ERR_NOMEM : ERR_OK;
}

static bool push(struct arena *a, struct diff_line **v, size_t *n, size_t *cap,
		 enum diff_kind k, const char *text)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 32;
		struct diff_line *g = arena_realloc(a, *v, *cap * sizeof **v, nc * sizeof **v);
		if (!g)
			return false;
		*v = g;
		*cap = nc;
	}
	(*v)[(*n)++] = (struct diff_line){k, text};
	return true;
}

enum err diff_lines(struct arena *a, const char *from, const char *to, struct diff_line **out,
		    size_t *n)
{
	*out = NULL;
	*n = 0;
	struct lines x, y;
	enum err rc = split(a, from ? from : "", &x);
	if (rc == ERR_OK)
		rc = split(a, to ? to : "", &y);
	if (rc != ERR_OK)
		return rc;
	size_t pre = 0, suf = 0;
	while (pre < x.n && pre < y.n && strcmp(x.v[pre], y.v[pre]) == 0)
		pre++;
	while (suf < x.n - pre && suf < y.n - pre &&
	       strcmp(x.v[x.n - 1 - suf], y.v[y.n - 1 - suf]) == 0)
		suf++;
	size_t m = x.n - pre - suf, k = y.n - pre - suf;
	if ((m + 1) * (k + 1) > DIFF_MAX_CELLS)
		return ERR_LIMIT;
	/* lcs[i][j]: length of the LCS of x[pre+i..] and y[pre+j..] */
	uint32_t *lcs = calloc((m + 1) * (k + 1), sizeof *lcs);
	if (!lcs)
		return ERR_NOMEM;
#define L(i, j) lcs[(size_t)(i) * (k + 1) + (j)]
	for (size_t i = m; i-- > 0;)
		for (size_t j = k; j-- > 0;)
			L(i, j) = strcmp(x.v[pre + i], y.v[pre + j]) == 0
					  ? L(i + 1, j + 1) + 1
					  : (L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
	size_t cap = 0;
	bool ok = true;
	for (size_t i = 0; ok && i < pre; i++)
		ok = push(a, out, n, &cap, DIFF_SAME, x.v[i]);
	size_t i = 0, j = 0;
	while (ok && (i < m || j < k)) {
		if (i < m && j < k && strcmp(x.v[pre + i], y.v[pre + j]) == 0) {
			ok = push(a, out, n, &cap, DIFF_SAME, x.v[pre + i]);
			i++, j++;
		} else if (i < m && (j == k || L(i + 1, j) >= L(i, j + 1))) {
			ok = push(a, out, n, &cap, DIFF_DEL, x.v[pre + i]); /* deletions first */
			i++;
		} else {
			ok = push(a, out, n, &cap, DIFF_ADD, y.v[pre + j]);
			j++;
		}
	}
#undef L
	free(lcs);
	for (size_t t = 0; ok && t < suf; t++)
		ok = push(a, out, n, &cap, DIFF_SAME, x.v[x.n - suf + t]);
	return ok ? ERR_OK : ERR_NOMEM;
}
