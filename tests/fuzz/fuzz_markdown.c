/* fuzz_markdown.c - libFuzzer harness for the Markdown wrapper
 * (render/markdown.c over cmark-gfm): HTML, plain text and excerpts.
 *
 * Besides crashes it checks what the rest of Gazette relies on: the HTML is
 * trusted for {{{ }}}, so it never holds a raw <script> tag or a
 * javascript: link, whatever the source; an excerpt stays within its byte
 * budget (plus the 3-byte "…") and, for valid UTF-8 source (posts are
 * checked on the way in), is valid UTF-8: cutting never splits a character.
 * cmark-gfm passes invalid UTF-8 through as it is (see FUZZING.md).
 *
 * Input: the first byte picks the excerpt budget (1..256 bytes), the rest
 * is the Markdown source (a C string: it ends at the first NUL, as text
 * from the database does). Run with -max_len=4096: Debian's cmark-gfm
 * 0.29.0.gfm.6 is quadratic on some inputs (see FUZZING.md). */
#include "fuzz.h"

#include <ctype.h>
#include <stdbool.h>

#include "core/arena.h"
#include "core/str.h"
#include "render/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t budget = (size_t)data[0] + 1;
	char *md = fuzz_cstr(data + 1, size - 1);
	struct arena a;
	arena_init(&a, 0);

	char *html = NULL, *text = NULL, *ex = NULL;
	FUZZ_CHECK(markdown_to_html(&a, md, &html) == ERR_OK, "to_html failed");
	FUZZ_CHECK(!fuzz_has_ci(html, "<script"), "raw <script> in HTML: %s", html);
	FUZZ_CHECK(!fuzz_has_ci(html, "href=\"javascript:"), "javascript: link in HTML: %s", html);
	FUZZ_CHECK(!fuzz_has_ci(html, "src=\"javascript:"), "javascript: src in HTML: %s", html);

	FUZZ_CHECK(markdown_plaintext(&a, md, &text) == ERR_OK, "plaintext failed");

	FUZZ_CHECK(markdown_excerpt(&a, md, budget, &ex) == ERR_OK, "excerpt failed");
	size_t n = strlen(ex);
	FUZZ_CHECK(n <= budget + 3, "excerpt of %zu bytes for a budget of %zu", n, budget);
	if (str_utf8_valid(md, strlen(md)))
		FUZZ_CHECK(str_utf8_valid(ex, n), "excerpt is not valid UTF-8 (budget %zu)", budget);

	arena_free(&a);
	free(md);
	return 0;
}
