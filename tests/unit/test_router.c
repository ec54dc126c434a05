/* test_router.c - router_match: literal, ":param" and "*rest" patterns,
 * validators, the "page/N/" suffix, 405 + Allow, the trailing-slash 301,
 * no match. Also the small helpers next to it (status.c, req.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "http/http.h"
#include "http/router.h"

static enum err h_home(struct req *r, struct resp *rs) { (void)r; (void)rs; return ERR_OK; }
static enum err h_page(struct req *r, struct resp *rs) { (void)r; (void)rs; return ERR_OK; }
static enum err h_get(struct req *r, struct resp *rs) { (void)r; (void)rs; return ERR_OK; }
static enum err h_post(struct req *r, struct resp *rs) { (void)r; (void)rs; return ERR_OK; }

#define GET HTTP_M(HTTP_GET)
#define POST HTTP_M(HTTP_POST)

static const struct route table[] = {
	{GET, "/", h_home, ROUTE_PAGED, {P_ANY}},
	{GET, "/healthz", h_get, 0, {P_ANY}},
	{GET, "/login/", h_get, 0, {P_ANY}},
	{POST, "/login/", h_post, 0, {P_ANY}},
	{POST, "/comments/new/", h_post, 0, {P_ANY}},
	{GET, "/feed/", h_get, 0, {P_ANY}},
	{GET, "/tag/:slug/", h_get, ROUTE_PAGED, {P_SLUG}},
	{GET, "/category/*path/", h_get, ROUTE_PAGED, {P_PATH}},
	{GET, "/author/:login/", h_get, 0, {P_ANY}},
	{GET, "/:year/", h_get, ROUTE_PAGED, {P_YEAR}},
	{GET, "/:year/:month/", h_get, ROUTE_PAGED, {P_YEAR, P_MONTH}},
	{GET, "/:year/:month/:day/", h_get, 0, {P_YEAR, P_MONTH, P_DAY}},
	{GET, "/:year/:month/:slug/", h_get, 0, {P_YEAR, P_MONTH, P_SLUG}},
	{GET, "/p/:id", h_get, 0, {P_INT}},
	{GET, "/assets/*file", h_get, 0, {P_FILE}},
	{GET | POST, "/files/*rest", h_get, 0, {P_ANY}},
	{GET, "/:slug/", h_page, 0, {P_SLUG}},
};
#define NT (sizeof table / sizeof table[0])

struct result {
	enum route_result rr;
	const struct route *rt;
	const char *allow, *loc;
	struct req r;
};

static struct arena arena;

static int setup(void **state)
{
	(void)state;
	arena_init(&arena, 1 << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

static struct result run_on(const struct route *t, size_t n, enum http_method m,
			    const char *path, const char *target)
{
	struct result x;
	memset(&x, 0, sizeof x);
	x.r.arena = &arena;
	x.r.method = m;
	x.r.path = path;
	x.r.target = target ? target : path;
	x.r.page = 1;
	x.rr = router_match(t, n, &x.r, &x.rt, &x.allow, &x.loc);
	return x;
}

static struct result run(enum http_method m, const char *path)
{
	return run_on(table, NT, m, path, NULL);
}

static void assert_match(const char *path, http_handler h, size_t nparams, int64_t page)
{
	struct result x = run(HTTP_GET, path);
	if (x.rr != ROUTE_MATCH)
		fprintf(stderr, "%s: expected a match, got %d\n", path, x.rr);
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_ptr_equal(x.rt->handler, h);
	assert_int_equal(x.r.nparams, nparams);
	assert_int_equal(x.r.page, page);
}

static void assert_nomatch(const char *path)
{
	struct result x = run(HTTP_GET, path);
	if (x.rr != ROUTE_NOMATCH)
		fprintf(stderr, "%s: expected no match, got %d\n", path, x.rr);
	assert_int_equal(x.rr, ROUTE_NOMATCH);
	assert_int_equal(x.r.nparams, 0);
}

/* Matches something, but not route rt. */
static void assert_not_route(const char *path, const struct route *rt)
{
	struct result x = run(HTTP_GET, path);
	assert_true(x.rr != ROUTE_MATCH || x.rt != rt);
}

static void test_literals(void **state)
{
	(void)state;
	assert_match("/", h_home, 0, 1);
	assert_match("/healthz", h_get, 0, 1);
	assert_match("/login/", h_get, 0, 1);
	/* No slash-removing redirect: "/healthz/" is just a page slug here. */
	assert_match("/healthz/", h_page, 1, 1);
	assert_nomatch("/login/x/");
	assert_nomatch("//");
	assert_nomatch("/tag//");
	assert_nomatch("");
	struct result x = run(HTTP_GET, "nothing");
	assert_int_equal(x.rr, ROUTE_NOMATCH);
	x.r.path = NULL;
	assert_int_equal(router_match(table, NT, &x.r, &x.rt, &x.allow, &x.loc), ROUTE_NOMATCH);
	x = run_on(table, 0, HTTP_GET, "/", NULL);
	assert_int_equal(x.rr, ROUTE_NOMATCH);
}

static void test_params(void **state)
{
	(void)state;
	struct result x = run(HTTP_GET, "/tag/world-news/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_int_equal(x.r.nparams, 1);
	assert_string_equal(x.r.params[0], "world-news");

	x = run(HTTP_GET, "/2026/11/hello-world/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_int_equal(x.r.nparams, 3);
	assert_string_equal(x.r.params[0], "2026");
	assert_string_equal(x.r.params[1], "11");
	assert_string_equal(x.r.params[2], "hello-world");

	/* Day beats slug by table order; a day out of range falls to slug. */
	x = run(HTTP_GET, "/2026/11/26/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_ptr_equal(x.rt, &table[11]);
	x = run(HTTP_GET, "/2026/11/32/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_ptr_equal(x.rt, &table[12]);

	/* Rest parameters keep their inner slashes. */
	x = run(HTTP_GET, "/category/news/world/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_string_equal(x.r.params[0], "news/world");
	x = run(HTTP_GET, "/assets/css/site.min.css");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_string_equal(x.r.params[0], "css/site.min.css");
	x = run(HTTP_POST, "/files/a/b c/d");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_string_equal(x.r.params[0], "a/b c/d");

	/* Author logins are P_ANY: anything non-empty in one segment. */
	x = run(HTTP_GET, "/author/Jean Dupont/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_string_equal(x.r.params[0], "Jean Dupont");

	/* A page slug. */
	assert_match("/about-us/", h_page, 1, 1);
}

static void test_validators(void **state)
{
	(void)state;
	/* P_SLUG */
	assert_nomatch("/tag/World/");
	assert_nomatch("/tag/a--b/");
	assert_nomatch("/tag/-a/");
	assert_nomatch("/tag/a-/");
	assert_nomatch("/tag/a_b/");
	assert_nomatch("/tag/caf\xc3\xa9/");
	char longslug[300];
	memset(longslug, 'a', sizeof longslug);
	memcpy(longslug, "/tag/", 5);
	memcpy(longslug + 5 + 201, "/", 2);
	assert_nomatch(longslug); /* 201 bytes */
	memcpy(longslug + 5 + 200, "/", 2);
	assert_match(longslug, h_get, 1, 1); /* 200 bytes */
	/* P_YEAR / P_MONTH / P_DAY */
	assert_match("/1970/", h_get, 1, 1);
	assert_match("/9999/12/", h_get, 2, 1);
	assert_nomatch("/1969/01/x/");
	assert_not_route("/0999/", &table[9]); /* a page slug, not a year */
	assert_not_route("/20261/", &table[9]);
	assert_nomatch("/2026/13/x/");
	assert_nomatch("/2026/00/x/");
	assert_nomatch("/2026/1/x/");
	assert_nomatch("/2026/+1/x/");
	assert_match("/2026/01/31/", h_get, 3, 1);
	/* P_PATH */
	assert_nomatch("/category/News/");
	assert_nomatch("/category/news//world/");
	assert_nomatch("/category/news/../x/");
	assert_not_route("/category/", &table[7]);
	/* P_INT */
	assert_match("/p/12", h_get, 1, 1);
	assert_match("/p/9223372036854775807", h_get, 1, 1);
	assert_nomatch("/p/9223372036854775808");
	assert_nomatch("/p/012");
	assert_nomatch("/p/0");
	assert_nomatch("/p/-1");
	assert_nomatch("/p/+1");
	assert_nomatch("/p/1e3");
	assert_nomatch("/p/x");
	/* P_FILE */
	assert_nomatch("/assets/../secret");
	assert_nomatch("/assets/css/../../x");
	assert_nomatch("/assets/.env");
	assert_nomatch("/assets/a..b");
	assert_nomatch("/assets/a b.css");
	assert_nomatch("/assets/a%2Fb");
	assert_not_route("/assets/", &table[14]);
	/* P_ANY still refuses empty and dot segments. */
	assert_nomatch("/files/a//b");
	assert_nomatch("/files/./b");
	assert_nomatch("/files/..");
}

static void test_pagination(void **state)
{
	(void)state;
	assert_match("/page/2/", h_home, 0, 2);
	struct result one = run(HTTP_GET, "/page/1/");
	assert_int_equal(one.rr, ROUTE_REDIRECT); /* one address per page */
	assert_string_equal(one.loc, "/");
	assert_match("/tag/news/page/3/", h_get, 1, 3);
	assert_match("/category/news/world/page/12/", h_get, 1, 12);
	assert_match("/2026/page/2/", h_get, 1, 2);
	assert_match("/2026/11/page/9223372036854775807/", h_get, 2, INT64_MAX);
	struct result x = run(HTTP_GET, "/category/news/world/page/12/");
	assert_string_equal(x.r.params[0], "news/world");

	/* Bad page numbers: no match at all (404), never "page" as a slug. */
	assert_nomatch("/tag/news/page/0/");
	assert_nomatch("/tag/news/page/00/");
	assert_nomatch("/tag/news/page/02/");
	assert_nomatch("/tag/news/page/-2/");
	assert_nomatch("/tag/news/page/+2/");
	assert_nomatch("/tag/news/page/2x/");
	assert_nomatch("/tag/news/page/x/");
	assert_nomatch("/tag/news/page/ 2/");
	assert_nomatch("/tag/news/page/9223372036854775808/");
	assert_nomatch("/tag/news/page/99999999999999999999999/");
	assert_nomatch("/category/news/page/0/");
	assert_nomatch("/page/0/");
	/* Only ROUTE_PAGED routes take the suffix. */
	assert_nomatch("/login/page/2/");
	assert_nomatch("/2026/11/26/page/2/");
	/* "page" itself, or a page number alone, is just a path. */
	assert_nomatch("/tag/news/page/");
	assert_match("/page/", h_page, 1, 1);

	/* Without the final slash: 301 to the slash form. */
	x = run(HTTP_GET, "/tag/news/page/3");
	assert_int_equal(x.rr, ROUTE_REDIRECT);
	assert_string_equal(x.loc, "/tag/news/page/3/");
	x = run(HTTP_GET, "/tag/news/page/03");
	assert_int_equal(x.rr, ROUTE_NOMATCH);
}

static void test_methods(void **state)
{
	(void)state;
	struct result x = run(HTTP_POST, "/login/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_ptr_equal(x.rt->handler, h_post);
	x = run(HTTP_GET, "/login/");
	assert_ptr_equal(x.rt->handler, h_get);
	/* HEAD wherever GET. */
	x = run(HTTP_HEAD, "/login/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_ptr_equal(x.rt->handler, h_get);
	x = run(HTTP_HEAD, "/tag/news/page/2/");
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_int_equal(x.r.page, 2);

	x = run(HTTP_POST, "/feed/");
	assert_int_equal(x.rr, ROUTE_BADMETHOD);
	assert_string_equal(x.allow, "GET, HEAD");
	assert_int_equal(x.r.nparams, 0);
	x = run(HTTP_GET, "/comments/new/");
	assert_int_equal(x.rr, ROUTE_BADMETHOD);
	assert_string_equal(x.allow, "POST");
	x = run(HTTP_HEAD, "/comments/new/");
	assert_int_equal(x.rr, ROUTE_BADMETHOD);
	assert_string_equal(x.allow, "POST");
	/* A method the server does not know (the server asks this way for
	 * the Allow header of its 405). */
	x = run(HTTP_METHOD__MAX, "/files/x");
	assert_int_equal(x.rr, ROUTE_BADMETHOD);
	assert_string_equal(x.allow, "GET, HEAD, POST");
	x = run(HTTP_METHOD__MAX, "/nowhere/at/all/x");
	assert_int_equal(x.rr, ROUTE_NOMATCH);

	/* Allow unions every route matching the path. */
	static const struct route t2[] = {
		{POST, "/x/", h_post, 0, {P_ANY}},
		{HTTP_M(HTTP_HEAD), "/x/", h_get, 0, {P_ANY}},
		{GET, "/y/:id/", h_get, 0, {P_INT}},
	};
	x = run_on(t2, 3, HTTP_GET, "/x/", NULL);
	assert_int_equal(x.rr, ROUTE_BADMETHOD);
	assert_string_equal(x.allow, "HEAD, POST");
	/* The path must match with its validators before a method counts. */
	x = run_on(t2, 3, HTTP_POST, "/y/abc/", NULL);
	assert_int_equal(x.rr, ROUTE_NOMATCH);
	x = run_on(t2, 3, HTTP_POST, "/y/7/", NULL);
	assert_int_equal(x.rr, ROUTE_BADMETHOD);
	assert_string_equal(x.allow, "GET, HEAD");
}

static void test_slash_redirect(void **state)
{
	(void)state;
	struct result x = run_on(table, NT, HTTP_GET, "/about", "/about?x=1&y=%C3%A9");
	assert_int_equal(x.rr, ROUTE_REDIRECT);
	assert_string_equal(x.loc, "/about/?x=1&y=%C3%A9");
	x = run(HTTP_GET, "/tag/news");
	assert_int_equal(x.rr, ROUTE_REDIRECT);
	assert_string_equal(x.loc, "/tag/news/");
	x = run(HTTP_GET, "/category/a/b");
	assert_int_equal(x.rr, ROUTE_REDIRECT);
	assert_string_equal(x.loc, "/category/a/b/");
	/* The raw (still encoded) path goes into Location. */
	x = run_on(table, NT, HTTP_GET, "/caf\xc3\xa9", "/caf%C3%A9?q");
	assert_int_equal(x.rr, ROUTE_NOMATCH); /* not a slug */
	x = run_on(table, NT, HTTP_GET, "/author/Jean Dupont", "/author/Jean%20Dupont#frag");
	assert_int_equal(x.rr, ROUTE_REDIRECT);
	assert_string_equal(x.loc, "/author/Jean%20Dupont/");
	/* Absolute-form targets redirect to a path, never to their host. */
	x = run_on(table, NT, HTTP_GET, "/feed", "http://evil.example/feed?a=b");
	assert_int_equal(x.rr, ROUTE_REDIRECT);
	assert_string_equal(x.loc, "/feed/?a=b");
	/* POST gets the redirect too (the slash form exists for some method). */
	x = run(HTTP_POST, "/comments/new");
	assert_int_equal(x.rr, ROUTE_REDIRECT);
	assert_string_equal(x.loc, "/comments/new/");
	/* A file name at the root is not a page: no slash redirect. */
	x = run(HTTP_GET, "/favicon.ico");
	assert_int_equal(x.rr, ROUTE_NOMATCH);
	x = run(HTTP_GET, "/author/john.doe");
	assert_int_equal(x.rr, ROUTE_REDIRECT);
	/* Only when the slash form would match. */
	assert_nomatch("/tag/News");
	assert_nomatch("/2026/13");
	assert_nomatch("/p/12/x");
	/* A matching route wins over a redirect. */
	assert_match("/healthz", h_get, 0, 1);
	assert_match("/p/5", h_get, 1, 1);
	/* A method mismatch wins over a redirect too. */
	static const struct route t3[] = {
		{GET, "/a/", h_get, 0, {P_ANY}},
		{POST, "/a", h_post, 0, {P_ANY}},
	};
	x = run_on(t3, 2, HTTP_GET, "/a", NULL);
	assert_int_equal(x.rr, ROUTE_BADMETHOD);
	assert_string_equal(x.allow, "POST");
}

static void test_hostile(void **state)
{
	(void)state;
	/* Deep paths, long segments, odd tables: no crash, no match. */
	char deep[1024];
	size_t dn = 0;
	for (int i = 0; i < 100; i++)
		dn += (size_t)snprintf(deep + dn, sizeof deep - dn, "/a");
	snprintf(deep + dn, sizeof deep - dn, "/");
	assert_nomatch(deep);
	char wide[5000];
	memset(wide, 'a', sizeof wide);
	wide[0] = '/';
	wide[sizeof wide - 2] = '/';
	wide[sizeof wide - 1] = '\0';
	assert_nomatch(wide); /* one 4997-byte segment: too long for a slug */

	static const struct route bad[] = {
		{GET, NULL, h_get, 0, {P_ANY}},
		{GET, "nope", h_get, 0, {P_ANY}},
		{GET, "/*a/b", h_get, 0, {P_ANY}},         /* rest not last */
		{GET, "/:a/:b/:c/:d/:e/:f/:g", h_get, 0, {P_ANY}}, /* too many params */
		{GET, "/:x/", h_get, 0, {(enum param_check)42}},  /* unknown validator */
		{GET, "/ok/", h_page, 0, {P_ANY}},
	};
	struct result x = run_on(bad, 6, HTTP_GET, "/a/b", NULL);
	assert_int_equal(x.rr, ROUTE_NOMATCH);
	x = run_on(bad, 6, HTTP_GET, "/1/2/3/4/5/6/7", NULL);
	assert_int_equal(x.rr, ROUTE_NOMATCH);
	x = run_on(bad, 6, HTTP_GET, "/q/", NULL);
	assert_int_equal(x.rr, ROUTE_NOMATCH);
	x = run_on(bad, 6, HTTP_GET, "/ok/", NULL);
	assert_int_equal(x.rr, ROUTE_MATCH);
	x = run_on(bad, 6, HTTP_GET, "/nope", NULL);
	assert_int_equal(x.rr, ROUTE_NOMATCH);
	/* Six parameters is the most a route may have. */
	static const struct route six[] = {
		{GET, "/:a/:b/:c/:d/:e/:f/", h_get, 0, {P_ANY, P_ANY, P_ANY, P_ANY, P_ANY, P_ANY}},
	};
	x = run_on(six, 1, HTTP_GET, "/1/2/3/4/5/6/", NULL);
	assert_int_equal(x.rr, ROUTE_MATCH);
	assert_int_equal(x.r.nparams, 6);
	assert_string_equal(x.r.params[5], "6");
}

static void test_status_and_reason(void **state)
{
	(void)state;
	assert_int_equal(http_status_for(ERR_OK), 200);
	assert_int_equal(http_status_for(ERR_NOTFOUND), 404);
	assert_int_equal(http_status_for(ERR_INVALID), 400);
	assert_int_equal(http_status_for(ERR_DENIED), 403);
	assert_int_equal(http_status_for(ERR_CONFLICT), 409);
	assert_int_equal(http_status_for(ERR_LIMIT), 429);
	assert_int_equal(http_status_for(ERR_NOMEM), 500);
	assert_int_equal(http_status_for(ERR_IO), 500);
	assert_int_equal(http_status_for(ERR_DB), 503);
	assert_int_equal(http_status_for(ERR__MAX), 500);
	assert_int_equal(http_status_for((enum err)-1), 500);
	assert_string_equal(http_reason(200), "OK");
	assert_string_equal(http_reason(404), "Not Found");
	assert_string_equal(http_reason(431), "Request Header Fields Too Large");
	assert_string_equal(http_reason(505), "HTTP Version Not Supported");
	assert_string_equal(http_reason(499), "Client Error");
	assert_string_equal(http_reason(0), "Unknown");
	assert_string_equal(http_reason(-7), "Unknown");
}

static void test_req_accessors(void **state)
{
	(void)state;
	struct http_param hdrs[] = {
		{"Host", "example.org"},
		{"Cookie", "a=1; sid=\"q w\"; flag; =x; b = 2 "},
		{"cookie", "late=yes"},
		{"X-Empty", ""},
		{NULL, NULL},
	};
	struct http_param q[] = {{"a", "1"}, {"b", ""}, {"a", "2"}};
	struct req r;
	memset(&r, 0, sizeof r);
	r.arena = &arena;
	r.impl = hdrs;
	r.query = q;
	r.nquery = 3;
	r.host = "example.org";
	assert_string_equal(req_header(&r, "HOST"), "example.org");
	assert_string_equal(req_header(&r, "x-empty"), "");
	assert_null(req_header(&r, "Nope"));
	assert_string_equal(req_cookie(&r, "a"), "1");
	assert_string_equal(req_cookie(&r, "sid"), "q w");
	assert_string_equal(req_cookie(&r, "b"), "2");
	assert_string_equal(req_cookie(&r, "late"), "yes");
	assert_null(req_cookie(&r, "flag"));
	assert_null(req_cookie(&r, "sid2"));
	assert_null(req_cookie(&r, ""));
	assert_string_equal(req_query(&r, "a"), "1");
	assert_string_equal(req_query(&r, "b"), "");
	assert_null(req_query(&r, "c"));
	assert_null(req_form(&r, "a"));
	assert_string_equal(req_origin(&r), "http://example.org");
	r.https = true;
	r.host = NULL;
	assert_string_equal(req_origin(&r), "https://localhost");
	r.impl = NULL;
	assert_null(req_header(&r, "Host"));
	assert_null(req_cookie(&r, "a"));

	struct resp rs;
	memset(&rs, 0, sizeof rs);
	resp_redirect(&rs, 303, "/a");
	resp_redirect(&rs, 301, "/b");
	assert_int_equal(rs.status, 301);
	assert_int_equal(rs.nheaders, 1);
	assert_string_equal(rs.headers[0].val, "/b");
	resp_redirect(&rs, 200, "/c");
	assert_int_equal(rs.status, 302);
	for (int i = 0; i < RESP_MAX_HEADERS + 5; i++)
		resp_header(&rs, "X-N", "v");
	assert_int_equal(rs.nheaders, RESP_MAX_HEADERS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_validators),
		cmocka_unit_test(test_pagination),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_slash_redirect),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_status_and_reason),
		cmocka_unit_test(test_req_accessors),
	};
	return cmocka_run_group_tests_name("router", tests, setup, teardown);
}
