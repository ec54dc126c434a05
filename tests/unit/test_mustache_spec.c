/* test_mustache_spec.c - run the official mustache spec against our engine.
 *
 * Every JSON file of ../shared/testdata/mustache-spec except ~lambdas.json
 * (we do not support lambdas) becomes one cmocka test, so CI lists each
 * spec case by name. The folder is $GAZETTE_TESTDATA/mustache-spec, else
 * ../shared/testdata/mustache-spec, else /work/shared/testdata/mustache-spec;
 * a missing folder or core spec file fails the run rather than passing an
 * empty one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/mustache.h"
#include "render/value.h"

#define MAIN_NAME "(spec template)"

/* The modules every conforming engine passes; their absence means the test
 * data is broken, not that there is nothing to test. */
static const char *const required[] = {
	"comments.json", "delimiters.json", "interpolation.json",
	"inverted.json", "partials.json",   "sections.json",
};

struct spec_case {
	json_t *test; /* borrowed from its file's document */
	char *name;   /* "file: test name" */
};

static int passed;

/* The shortest %g form that reads back as the same double: 1.21 -> "1.21",
 * as the spec's expectations print decimals. */
static void real_str(char *buf, size_t size, double d)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static struct tval *to_tval(struct arena *a, json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;
	struct tval *t;
	char num[32];
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		t = tval_map(a);
		json_object_foreach(j, key, v) tval_set(a, t, arena_strdup(a, key), to_tval(a, v));
		return t;
	case JSON_ARRAY:
		t = tval_list(a);
		json_array_foreach(j, i, v) tval_push(a, t, to_tval(a, v));
		return t;
	case JSON_STRING:
		return tval_strn(a, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return tval_int(a, (int64_t)json_integer_value(j));
	case JSON_REAL:
		real_str(num, sizeof num, json_real_value(j));
		return tval_str(a, num);
	case JSON_TRUE:
		return tval_bool(a, true);
	case JSON_FALSE:
		return tval_bool(a, false);
	default:
		return tval_null(a);
	}
}

/* s with control characters made visible, for failure reports. */
static void show(struct buf *b, const char *label, const char *s, size_t n)
{
	buf_printf(b, "  %-9s \"", label);
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		default: buf_putc(b, s[i]); break;
		}
	}
	buf_puts(b, "\"\n");
}

static void run_case(void **state)
{
	const struct spec_case *c = *state;
	json_t *tpl = json_object_get(c->test, "template");
	json_t *want = json_object_get(c->test, "expected");
	json_t *partials = json_object_get(c->test, "partials");
	struct arena a;
	struct buf out = BUF_INIT, report = BUF_INIT;
	char err[256] = "";
	enum err e = ERR_OK;
	const char *key;
	json_t *v;

	arena_init(&a, 0);
	struct tmpl_set *ts = tmpl_set_new();
	assert_non_null(ts);
	assert_true(json_is_string(tpl) && json_is_string(want));
	struct tval *ctx = to_tval(&a, json_object_get(c->test, "data"));
	json_object_foreach(partials, key, v) {
		if (e == ERR_OK)
			e = tmpl_set_add(ts, key, json_string_value(v), json_string_length(v), err,
					 sizeof err);
	}
	if (e == ERR_OK)
		e = tmpl_set_add(ts, MAIN_NAME, json_string_value(tpl), json_string_length(tpl), err,
				 sizeof err);
	if (e == ERR_OK)
		e = tmpl_render(ts, MAIN_NAME, ctx, &out);

	const char *got = out.data ? out.data : "";
	bool ok = e == ERR_OK && out.len == json_string_length(want) &&
		  memcmp(got, json_string_value(want), out.len) == 0;
	if (!ok) {
		buf_printf(&report, "%s: %s\n", c->name,
			   json_string_value(json_object_get(c->test, "desc")));
		show(&report, "template", json_string_value(tpl), json_string_length(tpl));
		json_object_foreach(partials, key, v) show(&report, key, json_string_value(v),
							   json_string_length(v));
		show(&report, "expected", json_string_value(want), json_string_length(want));
		if (e == ERR_OK)
			show(&report, "got", got, out.len);
		else
			buf_printf(&report, "  error     %s %s\n", err_str(e), err);
		print_error("%s", report.data ? report.data : "");
	}
	buf_free(&report);
	buf_free(&out);
	tmpl_set_free(ts);
	arena_free(&a);
	if (!ok)
		fail_msg("spec case failed: %s", c->name);
	passed++;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool find_spec_dir(char *buf, size_t size)
{
	const char *env = getenv("GAZETTE_TESTDATA");
	if (env && *env) {
		snprintf(buf, size, "%s/mustache-spec", env);
		if (is_dir(buf))
			return true;
	}
	static const char *const fallback[] = {"../shared/testdata/mustache-spec",
					       "/work/shared/testdata/mustache-spec"};
	for (size_t i = 0; i < sizeof fallback / sizeof *fallback; i++) {
		if (is_dir(fallback[i])) {
			snprintf(buf, size, "%s", fallback[i]);
			return true;
		}
	}
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The spec's *.json file names, sorted, lambdas left out. */
static char **list_specs(const char *dir, size_t *n, bool *skipped_lambdas)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t cap = 0;
	struct dirent *de;
	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (strcmp(de->d_name, "~lambdas.json") == 0) {
			*skipped_lambdas = true;
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char **p = realloc(names, cap * sizeof *p);
			if (!p)
				abort();
			names = p;
		}
		names[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof *names, cmp_str);
	return names;
}

int main(void)
{
	char dir[4096], path[4200];
	size_t nfiles = 0, ncases = 0, cap = 0, ndocs = 0;
	bool skipped = false;
	int status = 1;
	struct spec_case *cases = NULL;
	json_t **docs = NULL;
	struct CMUnitTest *tests = NULL;

	if (!find_spec_dir(dir, sizeof dir)) {
		fprintf(stderr, "mustache spec: FAILED: spec folder not found; looked in "
				"$GAZETTE_TESTDATA/mustache-spec, ../shared/testdata/mustache-spec and "
				"/work/shared/testdata/mustache-spec\n");
		return 1;
	}
	char **files = list_specs(dir, &nfiles, &skipped);
	for (size_t r = 0; r < sizeof required / sizeof *required; r++) {
		bool found = false;
		for (size_t i = 0; i < nfiles && !found; i++)
			found = strcmp(files[i], required[r]) == 0;
		if (!found) {
			fprintf(stderr, "mustache spec: FAILED: %s/%s is missing\n", dir, required[r]);
			goto out;
		}
	}

	docs = calloc(nfiles, sizeof *docs);
	if (!docs)
		goto out;
	for (size_t f = 0; f < nfiles; f++) {
		json_error_t jerr;
		snprintf(path, sizeof path, "%s/%s", dir, files[f]);
		json_t *doc = json_load_file(path, 0, &jerr);
		json_t *list = json_object_get(doc, "tests");
		if (!json_is_array(list)) {
			fprintf(stderr, "mustache spec: FAILED: %s: %s\n", path,
				doc ? "no \"tests\" array" : jerr.text);
			json_decref(doc);
			goto out;
		}
		docs[ndocs++] = doc;
		size_t i;
		json_t *test;
		json_array_foreach(list, i, test) {
			if (ncases == cap) {
				cap = cap ? cap * 2 : 256;
				struct spec_case *p = realloc(cases, cap * sizeof *p);
				if (!p)
					goto out;
				cases = p;
			}
			const char *tname = json_string_value(json_object_get(test, "name"));
			size_t stem = strlen(files[f]) - 5; /* without ".json" */
			size_t len = stem + 2 + strlen(tname ? tname : "?") + 1;
			char *name = malloc(len);
			if (!name)
				goto out;
			snprintf(name, len, "%.*s: %s", (int)stem, files[f], tname ? tname : "?");
			cases[ncases].test = test;
			cases[ncases].name = name;
			ncases++;
		}
	}

	tests = calloc(ncases ? ncases : 1, sizeof *tests);
	if (!tests)
		goto out;
	for (size_t i = 0; i < ncases; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].initial_state = &cases[i];
	}
	int failed = _cmocka_run_group_tests("mustache spec", tests, ncases, NULL, NULL);
	printf("mustache spec: %d/%zu passed%s\n", passed, ncases,
	       skipped ? " (lambdas module skipped)" : "");
	status = failed == 0 && ncases > 0 && (size_t)passed == ncases ? 0 : 1;
out:
	free(tests);
	for (size_t i = 0; i < ncases; i++)
		free(cases[i].name);
	free(cases);
	for (size_t i = 0; i < ndocs; i++)
		json_decref(docs[i]);
	free(docs);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return status;
}
