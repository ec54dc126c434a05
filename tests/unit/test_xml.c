/* test_xml.c - unit tests for render/xml.c (escaping that never emits what
 * XML 1.0 forbids), render/feed.c (RSS and Atom documents) and the sitemap
 * paging arithmetic (site/sitemap.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/time.h"
#include "render/feed.h"
#include "render/xml.h"
#include "site/site.h"

static char *esc(struct buf *b, const char *s, size_t n, bool attr)
{
	buf_reset(b);
	assert_int_equal(xml_escape(b, s, n, attr), ERR_OK);
	return b->data ? b->data : "";
}

static void test_markup(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(esc(&b, "a & b < c > d", 13, false), "a &amp; b &lt; c &gt; d");
	assert_string_equal(esc(&b, "x ]]> y", 7, false), "x ]]&gt; y");
	assert_string_equal(esc(&b, "\"q\" 'a'", 7, true), "&quot;q&quot; &apos;a&apos;");
	assert_string_equal(esc(&b, "", 0, false), "");
	buf_free(&b);
}

static void test_whitespace(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	/* CR would become LF in any parser: always a reference */
	assert_string_equal(esc(&b, "a\r\nb\tc", 6, false), "a&#13;\nb\tc");
	/* in attributes TAB and LF would become spaces */
	assert_string_equal(esc(&b, "a\r\nb\tc", 6, true), "a&#13;&#10;b&#9;c");
	buf_free(&b);
}

static void test_unicode_kept(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	/* emoji (4 bytes), Hebrew (RTL), CJK, U+FFFD, the last code point, C1 */
	const char *s = "\xF0\x9F\x98\x80 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE4\xB8\xAD\xE6\x96\x87 "
			"\xEF\xBF\xBD \xF4\x8F\xBF\xBD \xC2\x85";
	assert_string_equal(esc(&b, s, strlen(s), false), s);
	buf_free(&b);
}

static void test_forbidden_dropped(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	/* C0 controls other than TAB LF CR, and NUL inside the length */
	assert_string_equal(esc(&b, "a\x01" "b\x0B" "c\x1F" "d\0e", 9, false), "abcde");
	/* U+FFFE, U+FFFF */
	assert_string_equal(esc(&b, "a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c", 9, false), "abc");
	/* surrogates encoded as UTF-8 (CESU) */
	assert_string_equal(esc(&b, "a\xED\xA0\x80" "b", 5, false), "ab");
	/* overlong forms: "<" as C0 BC, "/" as E0 80 AF */
	assert_string_equal(esc(&b, "a\xC0\xBC" "b\xE0\x80\xAF" "c", 8, false), "abc");
	/* lone continuation bytes, invalid leads, truncated sequences */
	assert_string_equal(esc(&b, "a\x80" "b\xFF" "c\xF5\x80\x80\x80" "d", 10, false), "abcd");
	assert_string_equal(esc(&b, "a\xE4\xB8", 3, false), "a");
	assert_string_equal(esc(&b, "a\xE4\xB8" "b", 4, false), "ab");
	/* beyond U+10FFFF */
	assert_string_equal(esc(&b, "a\xF4\x90\x80\x80" "b", 6, false), "ab");
	/* markup next to a dropped byte is still escaped */
	assert_string_equal(esc(&b, "\x01<\x02&", 4, false), "&lt;&amp;");
	buf_free(&b);
}

static void test_char_len(void **state)
{
	(void)state;
	assert_int_equal(xml_char_len((const unsigned char *)"a", 1), 1);
	assert_int_equal(xml_char_len((const unsigned char *)"\x09", 1), 1);
	assert_int_equal(xml_char_len((const unsigned char *)"\x08", 1), 0);
	assert_int_equal(xml_char_len((const unsigned char *)"\xC3\xA9", 2), 2);
	assert_int_equal(xml_char_len((const unsigned char *)"\xED\x9F\xBF", 3), 3); /* U+D7FF */
	assert_int_equal(xml_char_len((const unsigned char *)"\xEE\x80\x80", 3), 3); /* U+E000 */
	assert_int_equal(xml_char_len((const unsigned char *)"\xF0\x90\x80\x80", 4), 4);
	assert_int_equal(xml_char_len((const unsigned char *)"\xF0\x8F\xBF\xBF", 4), 0); /* overlong */
}

static void test_elements(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	xml_elem(&b, "title", "A & B");
	xml_elem(&b, "empty", "");
	buf_puts(&b, "<x");
	xml_attr(&b, "href", "/a?b=1&c=\"2\"");
	buf_puts(&b, "/>");
	assert_string_equal(b.data, "<title>A &amp; B</title>\n<empty/>\n"
				    "<x href=\"/a?b=1&amp;c=&quot;2&quot;\"/>");
	buf_free(&b);
}

static struct feed sample(struct feed_entry *e, const char *const *cats)
{
	memset(e, 0, sizeof *e);
	e->id = "tag:example.org,2026-01-02:post-7";
	e->title = "Fish & <chips> ]]> \xF0\x9F\x90\x9F\x01";
	e->url = "https://example.org/2026/01/fish/";
	e->published = 1767312000; /* 2026-01-02T00:00:00Z */
	e->updated = 1767315600;
	e->author_name = "Ann";
	e->author_url = "https://example.org/author/ann/";
	e->categories = cats;
	e->ncategories = 2;
	e->summary = "Sum & more";
	e->content_html = "<p>Body &amp; <b>bold</b></p>";
	e->image_url = "https://example.org/media/a.png";
	e->image_type = "image/png";
	struct feed f = {.title = "Site", .subtitle = "", .lang = "en",
			 .self_url = "https://example.org/feed/atom/",
			 .home_url = "https://example.org/", .id = "https://example.org/feed/atom/",
			 .updated = 1767315600, .entries = e, .n = 1};
	return f;
}

static void test_feed_rss(void **state)
{
	(void)state;
	time_set_zone("UTC");
	struct arena a;
	arena_init(&a, 1 << 20);
	struct buf b = BUF_INIT;
	struct feed_entry e;
	const char *cats[] = {"News", "A&B"};
	struct feed f = sample(&e, cats);
	assert_int_equal(feed_write(&b, &a, FEED_RSS, &f), ERR_OK);
	assert_non_null(strstr(b.data, "<rss version=\"2.0\""));
	assert_non_null(strstr(b.data, "<title>Fish &amp; &lt;chips&gt; ]]&gt; \xF0\x9F\x90\x9F</title>"));
	assert_non_null(strstr(b.data, "<pubDate>Fri, 02 Jan 2026 00:00:00 +0000</pubDate>"));
	assert_non_null(strstr(b.data, "<guid isPermaLink=\"false\">tag:example.org,2026-01-02:post-7</guid>"));
	assert_non_null(strstr(b.data, "<category>A&amp;B</category>"));
	assert_non_null(strstr(b.data, "<content:encoded>&lt;p&gt;Body &amp;amp; &lt;b&gt;"));
	assert_non_null(strstr(b.data, "<enclosure url=\"https://example.org/media/a.png\" length=\"0\" type=\"image/png\"/>"));
	assert_null(strchr(b.data, '\x01'));
	/* excerpt-only entries carry no content */
	buf_reset(&b);
	e.content_html = NULL;
	assert_int_equal(feed_write(&b, &a, FEED_RSS, &f), ERR_OK);
	assert_null(strstr(b.data, "content:encoded>"));
	buf_free(&b);
	arena_free(&a);
}

static void test_feed_atom(void **state)
{
	(void)state;
	time_set_zone("America/New_York");
	struct arena a;
	arena_init(&a, 1 << 20);
	struct buf b = BUF_INIT;
	struct feed_entry e;
	const char *cats[] = {"News", "A&B"};
	struct feed f = sample(&e, cats);
	assert_int_equal(feed_write(&b, &a, FEED_ATOM, &f), ERR_OK);
	assert_non_null(strstr(b.data, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
	assert_non_null(strstr(b.data, "<published>2026-01-01T19:00:00-05:00</published>"));
	assert_non_null(strstr(b.data, "<updated>2026-01-01T20:00:00-05:00</updated>"));
	assert_non_null(strstr(b.data, "<category term=\"A&amp;B\"/>"));
	assert_non_null(strstr(b.data, "<content type=\"html\">&lt;p&gt;Body &amp;amp;"));
	assert_non_null(strstr(b.data, "<link rel=\"enclosure\" type=\"image/png\""));
	buf_reset(&b);
	/* RSS dates carry the zone's offset too */
	assert_int_equal(feed_write(&b, &a, FEED_RSS, &f), ERR_OK);
	assert_non_null(strstr(b.data, "<pubDate>Thu, 01 Jan 2026 19:00:00 -0500</pubDate>"));
	time_set_zone("UTC");
	buf_free(&b);
	arena_free(&a);
}

static void test_sitemap_count(void **state)
{
	(void)state;
	assert_int_equal(sitemap_count(0, 50000), 0);
	assert_int_equal(sitemap_count(1, 50000), 1);
	assert_int_equal(sitemap_count(50000, 50000), 1);
	assert_int_equal(sitemap_count(50001, 50000), 2);
	assert_int_equal(sitemap_count(100000, 50000), 2);
	assert_int_equal(sitemap_count(100001, 50000), 3);
	assert_int_equal(sitemap_count(41, 7), 6);
	assert_int_equal(sitemap_count(42, 7), 6);
	assert_int_equal(sitemap_count(5, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup),          cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_unicode_kept),    cmocka_unit_test(test_forbidden_dropped),
		cmocka_unit_test(test_char_len),        cmocka_unit_test(test_elements),
		cmocka_unit_test(test_feed_rss),        cmocka_unit_test(test_feed_atom),
		cmocka_unit_test(test_sitemap_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
