/* fuzz_mustache.c - libFuzzer harness for our mustache engine: compile
 * arbitrary template text (tmpl_set_add: tokenizer, delimiter changes,
 * section matching, standalone lines, indentation, inheritance) and render
 * it (tmpl_render) against a small fixed context.
 *
 * Input: the template "main", optionally followed by a NUL byte and the
 * template "a" (a partial, parent or dynamic name for main to use). Two
 * templates at most: with more, a template that includes the next one
 * hundreds of times at every level makes output exponential in the input,
 * which templates (trusted, from the theme) may legitimately do. Lists in
 * the context hold one item at most for the same reason. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/buf.h"
#include "render/mustache.h"
#include "render/value.h"

static struct tval *context(struct arena *a)
{
	struct tval *m = tval_map(a), *items = tval_list(a), *item = tval_map(a);
	struct tval *obj = tval_map(a), *inner = tval_map(a);
	tval_set_str(a, m, "title", "Fish & <chips> \"quoted\" 'single'");
	tval_set_html(a, m, "html", "<p>trusted <em>markup</em></p>");
	tval_set_int(a, m, "n", 42);
	tval_set_int(a, m, "zero", 0);
	tval_set_bool(a, m, "yes", true);
	tval_set_bool(a, m, "no", false);
	tval_set_str(a, m, "empty", "");
	tval_set(a, m, "none", tval_null(a));
	tval_set_str(a, m, "tpl", "a");
	tval_set_str(a, item, "name", "item one");
	tval_set_int(a, item, "id", 7);
	tval_push(a, items, item);
	tval_set(a, m, "items", items);
	tval_set(a, m, "emptylist", tval_list(a));
	tval_set_str(a, inner, "b", "deep");
	tval_set(a, obj, "a", inner);
	tval_set(a, m, "obj", obj);
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	static struct tval *ctx;
	if (!ctx) {
		arena_init(&a, 0);
		ctx = context(&a);
		if (!ctx || a.failed)
			abort();
	}
	const char *s = (const char *)data, *end = s + size;
	const uint8_t *nul = memchr(data, 0, size);
	size_t mlen = nul ? (size_t)(nul - data) : size;
	struct tmpl_set *ts = tmpl_set_new();
	if (!ts)
		abort();
	char err[256];
	err[0] = '\0';
	enum err e = tmpl_set_add(ts, "main", s, mlen, err, sizeof err);
	if (e != ERR_OK) {
		FUZZ_CHECK(e == ERR_INVALID || e == ERR_LIMIT || e == ERR_NOMEM, "add: %d", (int)e);
		FUZZ_CHECK(e != ERR_INVALID || strncmp(err, "main:", 5) == 0, "errmsg '%s'", err);
	}
	if (nul) {
		const char *p = (const char *)nul + 1;
		tmpl_set_add(ts, "a", p, (size_t)(end - p), err, sizeof err);
	}
	if (e == ERR_OK) {
		struct buf out = BUF_INIT;
		enum err r = tmpl_render(ts, "main", ctx, &out);
		FUZZ_CHECK(r == ERR_OK || r == ERR_LIMIT || r == ERR_NOMEM, "render: %d", (int)r);
		FUZZ_CHECK(!out.data || out.data[out.len] == '\0', "output not terminated");
		buf_free(&out);
	}
	tmpl_set_free(ts);
	return 0;
}
