/* test_import.c - unit tests for the WordPress import's content path:
 * import/sanitize.c (the allow-list HTML sanitizer, fed hostile input) and
 * import/convert.c (block comments, shortcodes, autop, plain text). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "import/convert.h"
#include "import/sanitize.h"

static struct arena A;

static const char *san(const char *in, enum sanitize_mode mode)
{
	char *out = NULL;
	assert_int_equal(sanitize_html(&A, in, mode, &out, NULL), ERR_OK);
	return out;
}

static const char *conv(const char *in, struct convert_report *rep)
{
	char *out = NULL;
	struct convert_report local = {0};
	assert_int_equal(convert_content(&A, in, &out, rep ? rep : &local), ERR_OK);
	return out;
}

static void test_sanitize_keeps_content(void **state)
{
	(void)state;
	assert_string_equal(san("<p>Hello <strong>world</strong> &amp; more</p>", SANITIZE_POST),
			    "<p>Hello <strong>world</strong> &amp; more</p>");
	assert_string_equal(san("<h2>T</h2><ul><li>a</li></ul>", SANITIZE_POST),
			    "<h2>T</h2><ul><li>a</li></ul>");
	assert_string_equal(san("<a href=\"https://x.org/?a=1&amp;b=2\" title=\"t\">x</a>",
				SANITIZE_POST),
			    "<a href=\"https://x.org/?a=1&amp;b=2\" title=\"t\">x</a>");
	assert_string_equal(san("<img src=\"/a.jpg\" alt=\"A\" width=\"300\">", SANITIZE_POST),
			    "<img src=\"/a.jpg\" alt=\"A\" width=\"300\">");
	assert_string_equal(san("<figure><img src=\"a.jpg\"><figcaption>C</figcaption></figure>",
				SANITIZE_POST),
			    "<figure><img src=\"a.jpg\"><figcaption>C</figcaption></figure>");
	assert_string_equal(san("plain text, no tags", SANITIZE_POST), "plain text, no tags");
	assert_string_equal(san("caf\xC3\xA9 &nbsp;", SANITIZE_POST), "caf\xC3\xA9 \xC2\xA0");
	assert_string_equal(san("<table><tr><td colspan=\"2\">x</td></tr></table>", SANITIZE_POST),
			    "<table><tr><td colspan=\"2\">x</td></tr></table>");
}

static void test_sanitize_removes_scripts(void **state)
{
	(void)state;
	struct sanitize_report rep = {0};
	char *out;
	assert_int_equal(sanitize_html(&A, "a<script>alert(1)</script>b", SANITIZE_POST, &out, &rep),
			 ERR_OK);
	assert_string_equal(out, "ab");
	assert_int_equal(rep.dropped_elements, 1);
	assert_string_equal(san("<style>p{}</style><p>x</p>", SANITIZE_POST), "<p>x</p>");
	assert_string_equal(san("<iframe src=\"https://evil\"></iframe>ok", SANITIZE_POST), "ok");
	assert_string_equal(san("<object data=x><embed src=y></object>z", SANITIZE_POST), "z");
	assert_string_equal(san("<svg><script>alert(1)</script></svg>s", SANITIZE_POST), "s");
	assert_string_equal(san("<form action=/x><input name=a><button>b</button></form>f",
				SANITIZE_POST),
			    "f");
	assert_string_equal(san("<SCRIPT SRC=//evil/x.js></SCRIPT>up", SANITIZE_POST), "up");
	assert_string_equal(san("<!-- <script>x</script> -->c", SANITIZE_POST), "c");
	/* unclosed script swallows the rest rather than leaking it */
	const char *s = san("<p>a</p><script>alert(1)", SANITIZE_POST);
	assert_null(strstr(s, "alert"));
}

static void test_sanitize_attributes(void **state)
{
	(void)state;
	assert_string_equal(san("<p onclick=\"x()\" style=\"color:red\" class=\"c\" id=\"i\">t</p>",
				SANITIZE_POST),
			    "<p>t</p>");
	assert_string_equal(san("<img src=x onerror=alert(1)>", SANITIZE_POST), "<img src=\"x\">");
	assert_string_equal(san("<a href=\"javascript:alert(1)\">j</a>", SANITIZE_POST), "<a>j</a>");
	assert_string_equal(san("<a href=\" JaVaScRiPt:alert(1)\">j</a>", SANITIZE_POST), "<a>j</a>");
	assert_string_equal(san("<a href=\"java&#x09;script:alert(1)\">j</a>", SANITIZE_POST),
			    "<a>j</a>");
	assert_string_equal(san("<a href=\"vbscript:x\">v</a>", SANITIZE_POST), "<a>v</a>");
	assert_string_equal(san("<img src=\"data:text/html;base64,PHNjcmlwdD4=\">", SANITIZE_POST),
			    "<img>");
	assert_string_equal(san("<a href=\"mailto:a@b.c\">m</a>", SANITIZE_POST),
			    "<a href=\"mailto:a@b.c\">m</a>");
	assert_string_equal(san("<img src=\"mailto:a@b.c\">", SANITIZE_POST), "<img>");
	assert_string_equal(san("<img src=x width=\"100%\" height=\"1e9\">", SANITIZE_POST),
			    "<img src=\"x\">");
	/* quotes in values cannot break out of the attribute */
	assert_string_equal(san("<a title='a\"onmouseover=\"x'>q</a>", SANITIZE_POST),
			    "<a title=\"a&quot;onmouseover=&quot;x\">q</a>");
	assert_true(sanitize_url_ok("/2024/01/x/", true));
	assert_true(sanitize_url_ok("page.html?a=b:c", true));
	assert_true(sanitize_url_ok("//cdn.example.org/a.png", false));
	assert_false(sanitize_url_ok("javascript:x", true));
	assert_false(sanitize_url_ok("\x01javascript:x", true));
}

static void test_sanitize_unknown_and_comment_mode(void **state)
{
	(void)state;
	assert_string_equal(san("<div class=\"wp-block\"><blink>hi</blink></div>", SANITIZE_POST),
			    "hi");
	assert_string_equal(san("<p>a<b>b</p>c", SANITIZE_POST), "<p>a<b>b</b></p>c");
	assert_string_equal(san("<a href=\"https://x.org\">x</a>", SANITIZE_COMMENT),
			    "<a href=\"https://x.org\" rel=\"nofollow ugc\">x</a>");
	assert_string_equal(san("<h1>big</h1><img src=\"a.png\">", SANITIZE_COMMENT), "big");
	/* deep nesting neither exhausts the stack nor leaks markup (libxml2
	 * stops at its depth limit; the text past it is lost, never unsafe) */
	char deep[40000];
	size_t k = 0;
	for (int i = 0; i < 5000; i++) {
		memcpy(deep + k, "<em>", 4);
		k += 4;
	}
	deep[k++] = 'x';
	deep[k] = '\0';
	const char *d = san(deep, SANITIZE_POST);
	assert_null(strchr(d, '"'));
	memcpy(deep + 200 * 4, "y", 2); /* 200 levels: kept whole */
	assert_non_null(strstr(san(deep, SANITIZE_POST), "y</em>"));
}

static void test_autop(void **state)
{
	(void)state;
	char *out;
	assert_int_equal(convert_autop(&A, "One\ntwo\n\nThree", &out), ERR_OK);
	assert_string_equal(out, "<p>One<br />\ntwo</p>\n<p>Three</p>\n");
	assert_int_equal(convert_autop(&A, "a\r\n\r\n<ul>\n<li>x</li>\n</ul>\n\nb", &out), ERR_OK);
	assert_string_equal(out, "<p>a</p>\n<ul>\n<li>x</li>\n</ul>\n<p>b</p>\n");
	assert_int_equal(convert_autop(&A, "x\n<pre>l1\n\nl2</pre>\ny", &out), ERR_OK);
	assert_string_equal(out, "<p>x</p>\n<pre>l1\n\nl2</pre>\n<p>y</p>\n");
	assert_int_equal(convert_autop(&A, "<h2>H</h2>\n\n\n\n  text  ", &out), ERR_OK);
	assert_string_equal(out, "<h2>H</h2>\n<p>text</p>\n");
}

static void test_blocks_and_shortcodes(void **state)
{
	(void)state;
	assert_string_equal(conv("<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->", NULL),
			    "<p>Hi</p>\n");
	assert_string_equal(
		conv("[caption id=\"a1\" align=\"alignright\" width=\"300\"]<img src=\"x.jpg\" "
		     "/> The caption[/caption]",
		     NULL),
		"<figure><img src=\"x.jpg\" /><figcaption>The caption</figcaption></figure>\n");
	assert_string_equal(conv("[caption caption=\"Old &amp; style\"]<a href=\"b\"><img "
				 "src=\"y\"></a>[/caption]",
				 NULL),
			    "<figure><a href=\"b\"><img src=\"y\"></a><figcaption>Old &amp;amp; "
			    "style</figcaption></figure>\n");
	struct convert_report rep = {0};
	const char *s = conv("See [gallery ids=\"1,2\"] and [myplugin x=1]in[/myplugin] and "
			     "[gallery] and [[literal]] and [1] and [embed]https://v.example/x[/embed]",
			     &rep);
	assert_non_null(strstr(s, "[gallery ids=\"1,2\"]"));
	assert_non_null(strstr(s, "[myplugin x=1]in[/myplugin]"));
	assert_non_null(strstr(s, " [literal] "));
	assert_non_null(strstr(s, "<a href=\"https://v.example/x\">https://v.example/x</a>"));
	assert_int_equal(rep.nunknown, 2);
	assert_string_equal(rep.unknown[0].name, "gallery");
	assert_int_equal(rep.unknown[0].count, 2);
	assert_string_equal(rep.unknown[1].name, "myplugin");
	assert_int_equal(rep.converted, 1);
	/* the whole path: converted then sanitized */
	char *out;
	assert_int_equal(sanitize_html(&A, conv("Hi <script>x</script>\n\nthere", NULL),
				       SANITIZE_POST, &out, NULL),
			 ERR_OK);
	assert_string_equal(out, "<p>Hi </p>\n<p>there</p>\n");
}

static void test_text_and_summary(void **state)
{
	(void)state;
	assert_string_equal(convert_html_text(&A, "<p>A &amp; B</p>\n<p>C<br>D</p><ul><li>x</li></ul>"),
			    "A & B\n\nC\nD\n\nx");
	assert_string_equal(convert_summary(&A, "short\n\ntext", 100), "short text");
	const char *s = convert_summary(&A, "one two three four five six", 12);
	assert_string_equal(s, "one two\xE2\x80\xA6");
	s = convert_summary(&A, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3);
	assert_string_equal(s, "\xC3\xA9\xE2\x80\xA6");
}

static int setup(void **state)
{
	(void)state;
	arena_init(&A, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&A);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_keeps_content),
		cmocka_unit_test(test_sanitize_removes_scripts),
		cmocka_unit_test(test_sanitize_attributes),
		cmocka_unit_test(test_sanitize_unknown_and_comment_mode),
		cmocka_unit_test(test_autop),
		cmocka_unit_test(test_blocks_and_shortcodes),
		cmocka_unit_test(test_text_and_summary),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
