/* fuzz_comment.c - libFuzzer harness for what a reader's comment goes
 * through before it is stored: the comment Markdown subset, the spam
 * features, the signed form token and held-comment reference, and the line
 * diff of the back office.
 *
 * Invariants: comment HTML never holds <script, an image, a heading, a
 * table or a javascript: link, and every link carries rel="nofollow ugc";
 * the spam tokens are non-empty, distinct and at most SPAM_MAX_TOKENS; a
 * token made for a post and time verifies, and nothing else the input
 * offers verifies for another post; the diff's kept+deleted lines are the
 * old text and kept+added lines the new one.
 *
 * The form's field checks (comment_check_fields): an accepted form has a
 * name of 1-100 bytes without control characters, an email with an @, a
 * website that is "" or an http(s) URL with nothing that could leave an
 * attribute (quotes, angle brackets, spaces, backticks), and a body within
 * the limit; a refused one has a 400 or 413 and a message.
 *
 * Input: fields separated by 0x1f: name, email, website, body, token.
 * Run with -max_len=4096 (cmark-gfm, see FUZZING.md). */
#include "fuzz.h"

#include <ctype.h>
#include <strings.h>
#include <stdbool.h>

#include "comment/comment.h"
#include "comment/spam.h"
#include "core/arena.h"
#include "core/diff.h"
#include "render/markdown.h"

static const unsigned char KEY[SECRET_BYTES] = "fuzz-key-fuzz-key-fuzz-key-fuzz";

static void check_html(const char *html)
{
	static const char *const banned[] = {"<script", "<img", "<h1", "<h2", "<h3", "<table",
					     "<iframe", "href=\"javascript:", "href=\"data:",
					     "<div", "<style", NULL};
	for (size_t i = 0; banned[i]; i++)
		FUZZ_CHECK(!fuzz_has_ci(html, banned[i]), "%s in comment HTML: %s", banned[i], html);
	for (const char *p = html; (p = strstr(p, "<a ")) != NULL; p++) {
		const char *end = strchr(p, '>');
		FUZZ_CHECK(end, "unterminated <a in %s", html);
		/* the whole tag (an href can be long): rel comes after it */
		const char *rel = strstr(p, "\" rel=\"nofollow ugc\">");
		FUZZ_CHECK(rel && rel + strlen("\" rel=\"nofollow ugc\"") == end,
			   "link without rel: %.200s", p);
	}
}

/* Rebuild one side of a diff from its lines. */
static char *side(const struct diff_line *ls, size_t n, enum diff_kind skip)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(ls[i].text) + 1;
	char *out = malloc(len), *w = out;
	if (!out)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (ls[i].kind == skip)
			continue;
		size_t k = strlen(ls[i].text);
		memcpy(w, ls[i].text, k);
		w += k;
		*w++ = '\n';
	}
	*w = '\0';
	return out;
}

/* The text as diff_lines sees it: lines without \r, each ending in \n. */
static char *normal(const char *s)
{
	char *out = malloc(strlen(s) + 2), *w = out;
	if (!out)
		abort();
	for (const char *p = s; *p;) {
		size_t len = strcspn(p, "\n");
		size_t keep = len && p[len - 1] == '\r' ? len - 1 : len;
		memcpy(w, p, keep);
		w += keep;
		*w++ = '\n';
		p += len;
		if (*p == '\n')
			p++;
	}
	if (w == out)
		*w++ = '\n'; /* "" is one empty line */
	*w = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *all = fuzz_cstr(data, size);
	const char *p = all, *end = all + strlen(all);
	size_t len[5];
	const char *f[5];
	char *field[5];
	for (int i = 0; i < 5; i++) {
		f[i] = fuzz_field(&p, end, 0x1f, &len[i]);
		field[i] = fuzz_cstr((const uint8_t *)f[i], len[i]);
	}
	struct arena a;
	arena_init(&a, 0);

	char *html = NULL;
	int links = -1;
	FUZZ_CHECK(markdown_comment(&a, field[3], &html, &links) == ERR_OK, "markdown_comment");
	FUZZ_CHECK(links >= 0, "link count");
	check_html(html);

	struct comment c = {.author_name = field[0], .author_email = field[1],
			    .author_url = field[2], .body_md = field[3]};
	const char **toks;
	size_t n;
	FUZZ_CHECK(spam_tokens(&a, &c, &toks, &n) == ERR_OK, "spam_tokens");
	FUZZ_CHECK(n <= SPAM_MAX_TOKENS, "%zu tokens", n);
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(toks[i] && *toks[i], "empty token %zu", i);
		for (size_t k = i + 1; k < n; k++)
			FUZZ_CHECK(strcmp(toks[i], toks[k]) != 0, "duplicate token %s", toks[i]);
	}

	struct comment_form form = {.name = field[0], .email = field[1], .url = field[2],
				    .body = field[3], .parent = "", .token = field[4]};
	struct comment fc;
	memset(&fc, 0, sizeof fc);
	struct comment_outcome out;
	memset(&out, 0, sizeof out);
	comment_check_fields(&a, &form, 2000, &fc, &out);
	if (out.status == 0) {
		size_t nl = strlen(fc.author_name);
		FUZZ_CHECK(nl >= 1 && nl <= 100, "name of %zu bytes accepted", nl);
		for (const char *q = fc.author_name; *q; q++)
			FUZZ_CHECK((unsigned char)*q >= 0x20 && *q != 0x7f, "control in name");
		FUZZ_CHECK(strchr(fc.author_email, '@'), "email without @: %s", fc.author_email);
		const char *u = fc.author_url;
		FUZZ_CHECK(!*u || !strncmp(u, "http://", 7) || !strncmp(u, "https://", 8) ||
				   !strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8),
			   "website not http(s): %s", u);
		FUZZ_CHECK(!strpbrk(u, "\"'<> `\\"), "website could leave an attribute: %s", u);
		size_t nb = strlen(fc.body_md);
		FUZZ_CHECK(nb >= 1 && nb <= 2000, "body of %zu bytes accepted", nb);
	} else {
		FUZZ_CHECK((out.status == 400 || out.status == 413) && out.message,
			   "refused with %d and no message", out.status);
	}

	int64_t age;
	enum token_check tc = comment_token_check(KEY, field[4], 7, 1800000000, 86400, &age);
	(void)tc;
	FUZZ_CHECK(comment_token_check(KEY, field[4], 8, 1800000000, 86400, &age) != TOKEN_OK ||
			   strncmp(field[4], "8.", 2) == 0,
		   "a token for post 8 verified without naming it: %s", field[4]);
	char tok[COMMENT_TOKEN_MAX];
	comment_token_make(KEY, 7, 1800000000 - (int64_t)(size % 1000), tok);
	FUZZ_CHECK(comment_token_check(KEY, tok, 7, 1800000000, 86400, &age) == TOKEN_OK,
		   "own token refused: %s", tok);
	(void)comment_held_id(KEY, field[4]);

	struct diff_line *ls;
	size_t nl;
	enum err rc = diff_lines(&a, field[0], field[3], &ls, &nl);
	FUZZ_CHECK(rc == ERR_OK || rc == ERR_LIMIT, "diff_lines: %d", (int)rc);
	if (rc == ERR_OK) {
		char *from = side(ls, nl, DIFF_ADD), *to = side(ls, nl, DIFF_DEL);
		char *want_from = normal(field[0]), *want_to = normal(field[3]);
		/* a final newline ends the last line: compare without it */
		FUZZ_CHECK(strcmp(from, want_from) == 0 ||
				   (strlen(want_from) == strlen(from) + 1 && !strncmp(from, want_from, strlen(from))),
			   "old side differs");
		FUZZ_CHECK(strcmp(to, want_to) == 0 ||
				   (strlen(want_to) == strlen(to) + 1 && !strncmp(to, want_to, strlen(to))),
			   "new side differs");
		free(from);
		free(to);
		free(want_from);
		free(want_to);
	}
	arena_free(&a);
	for (int i = 0; i < 5; i++)
		free(field[i]);
	free(all);
	return 0;
}
