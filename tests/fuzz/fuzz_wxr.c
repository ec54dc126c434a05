/* fuzz_wxr.c - libFuzzer harness for the WordPress importer's parsers: the
 * WXR streaming reader (import/wxr.c over libxml2's xmlTextReader), the
 * content conversion (block comments, shortcodes, autop) and the allow-list
 * HTML sanitizer, and the plain text and summaries made from its output.
 *
 * Invariants: every string the reader hands over is non-NULL and every
 * record has a line; an error has a line and a message; sanitized HTML
 * (post and comment modes) holds no <script, <iframe, <style, event
 * handler attribute or javascript:/data: URL; comment HTML also no <img;
 * a summary stays within its byte budget plus the "…".
 *
 * Input: the first byte chooses the summary budget; the rest is used both
 * as a whole WXR file (written to a file under /dev/shm, as the reader
 * takes a path) and as an item's content. */
#include "fuzz.h"

#include <ctype.h>
#include <stdbool.h>
#include <unistd.h>

#include "core/arena.h"
#include "import/convert.h"
#include "import/sanitize.h"
#include "import/wxr.h"

/* An attribute named on... in any tag (quoted values skipped properly). */
static bool has_handler(const char *html)
{
	for (const char *p = html; (p = strchr(p, '<')) != NULL;) {
		p++;
		while (*p && (isalnum((unsigned char)*p) || *p == '/' || *p == '!' || *p == '-'))
			p++; /* the tag name */
		while (*p && *p != '>') {
			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '/')
				p++;
			const char *name = p;
			while (*p && *p != '=' && *p != '>' && *p != ' ' && *p != '\t' && *p != '\n' &&
			       *p != '\r' && *p != '/')
				p++;
			if (p - name > 2 && tolower((unsigned char)name[0]) == 'o' &&
			    tolower((unsigned char)name[1]) == 'n')
				return true;
			if (*p == '=') {
				p++;
				char q = *p;
				if (q == '"' || q == '\'') {
					const char *end = strchr(p + 1, q);
					p = end ? end + 1 : p + strlen(p);
				} else {
					while (*p && *p != ' ' && *p != '>')
						p++;
				}
			} else if (p == name && *p && *p != '>') {
				p++; /* a stray character: move on */
			}
		}
	}
	return false;
}

static void check_html(const char *html, bool comment)
{
	static const char *const banned[] = {"<script", "<iframe", "<style", "<object", "<embed",
					     "<form", "<svg", "href=\"javascript:", "src=\"javascript:",
					     "href=\"data:", "src=\"data:", NULL};
	for (size_t i = 0; banned[i]; i++)
		FUZZ_CHECK(!fuzz_has_ci(html, banned[i]), "%s in sanitized HTML: %s", banned[i], html);
	FUZZ_CHECK(!has_handler(html), "event handler in sanitized HTML: %s", html);
	if (comment)
		FUZZ_CHECK(!fuzz_has_ci(html, "<img"), "image in comment HTML: %s", html);
}

static enum err on_channel(void *ud, const struct wxr_channel *ch)
{
	(void)ud;
	FUZZ_CHECK(ch->title && ch->link && ch->base_site_url, "NULL channel field");
	return ERR_OK;
}

static enum err on_author(void *ud, const struct wxr_author *au)
{
	(void)ud;
	FUZZ_CHECK(au->login && au->email && au->display_name && au->line > 0, "author");
	return ERR_OK;
}

static enum err on_term(void *ud, const struct wxr_term *t)
{
	(void)ud;
	FUZZ_CHECK(t->slug && t->name && t->parent && t->line > 0, "term");
	return ERR_OK;
}

static enum err on_item(void *ud, const struct wxr_item *it)
{
	(void)ud;
	FUZZ_CHECK(it->title && it->content && it->post_id && it->post_type && it->line > 0,
		   "item");
	for (size_t i = 0; i < it->nterms; i++)
		FUZZ_CHECK(it->terms[i].domain && it->terms[i].nicename && it->terms[i].name,
			   "item term");
	for (size_t i = 0; i < it->ncomments; i++)
		FUZZ_CHECK(it->comments[i].content && it->comments[i].line > 0, "comment");
	return ERR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t budget = (size_t)data[0] + 1;
	char *text = fuzz_cstr(data + 1, size - 1);
	struct arena a;
	arena_init(&a, 0);

	/* the reader, on the bytes as a file */
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/gazette-fuzz-wxr-%d.xml", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(data + 1, 1, size - 1, f);
		fclose(f);
		struct wxr_handler h = {.channel = on_channel, .author = on_author,
					.term = on_term, .item = on_item};
		char msg[256] = "";
		int line = 0;
		enum err rc = wxr_read(path, &h, msg, sizeof msg, &line);
		if (rc != ERR_OK)
			FUZZ_CHECK(*msg, "an error without a message");
		unlink(path);
	}

	/* the content path of one item */
	char *converted = NULL, *post = NULL, *comment = NULL;
	struct convert_report rep;
	memset(&rep, 0, sizeof rep);
	if (convert_content(&a, text, &converted, &rep) == ERR_OK) {
		if (sanitize_html(&a, converted, SANITIZE_POST, &post, NULL) == ERR_OK)
			check_html(post, false);
		if (sanitize_html(&a, converted, SANITIZE_COMMENT, &comment, NULL) == ERR_OK)
			check_html(comment, true);
		if (post) {
			char *plain = convert_html_text(&a, post);
			char *sum = plain ? convert_summary(&a, plain, budget) : NULL;
			if (sum)
				FUZZ_CHECK(strlen(sum) <= budget + 3, "summary of %zu bytes for %zu",
					   strlen(sum), budget);
		}
	}
	arena_free(&a);
	free(text);
	return 0;
}
