/* fuzz_request.c - libFuzzer harness for what a client controls in a request
 * head: the request target (http_parse_target: percent-decoding, query pairs,
 * dot segments), routing of the decoded path against the real site route
 * table (router_match, including its redirect Locations), cookies
 * (req_cookie), the Host check, X-Forwarded-For against trusted proxies, and
 * a urlencoded form body.
 *
 * Input: fields separated by '\n': TARGET, COOKIE, HOST, X-FORWARDED-FOR,
 * then the rest is the form body (newlines included). */
#include "fuzz.h"

#include <stdbool.h>

#include "core/arena.h"
#include "core/str.h"
#include "http/http.h"
#include "http/ipnet.h"
#include "http/router.h"
#include "http/target.h"
#include "site/site.h"

static bool header_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
	return true;
}

static void check_path(const char *path)
{
	FUZZ_CHECK(path && path[0] == '/', "path %s", path ? path : "(null)");
	FUZZ_CHECK(str_utf8_valid(path, strlen(path)), "path is not UTF-8");
	for (const char *seg = path; seg; seg = strchr(seg + 1, '/')) {
		size_t n = strcspn(seg + 1, "/");
		FUZZ_CHECK(!(n == 2 && seg[1] == '.' && seg[2] == '.'), "'..' segment in %s", path);
	}
	FUZZ_CHECK(!strchr(path, '\\'), "backslash in %s", path);
}

static void route_it(struct req *r)
{
	const struct route *rt = NULL;
	const char *allow = NULL, *loc = NULL;
	switch (router_match(site_routes, site_nroutes, r, &rt, &allow, &loc)) {
	case ROUTE_MATCH:
		FUZZ_CHECK(rt != NULL, "match without a route");
		FUZZ_CHECK(r->nparams <= REQ_MAX_PARAMS, "%zu params", r->nparams);
		for (size_t i = 0; i < r->nparams; i++) {
			FUZZ_CHECK(r->params[i] && *r->params[i], "empty param %zu", i);
			FUZZ_CHECK(!strstr(r->params[i], "//"), "param with '//': %s", r->params[i]);
		}
		FUZZ_CHECK(r->page >= 1, "page %lld", (long long)r->page);
		break;
	case ROUTE_REDIRECT:
		FUZZ_CHECK(loc && loc[0] == '/', "Location %s", loc ? loc : "(null)");
		FUZZ_CHECK(loc[1] != '/', "protocol-relative Location %s", loc);
		FUZZ_CHECK(header_safe(loc), "Location not header-safe: %s", loc);
		break;
	case ROUTE_BADMETHOD:
		FUZZ_CHECK(allow && *allow, "405 without Allow");
		break;
	case ROUTE_NOMATCH:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipnet_list proxies;
	static bool init;
	if (!init) {
		char err[128];
		if (!ipnet_list_parse(&proxies, "127.0.0.1, 10.0.0.0/8, ::1, fd00::/8", err,
				      sizeof err))
			abort();
		init = true;
	}
	char *in = fuzz_cstr(data, size);
	const char *p = in, *end = in + size;
	size_t tl, cl, hl, xl;
	const char *t = fuzz_field(&p, end, '\n', &tl);
	const char *ck = fuzz_field(&p, end, '\n', &cl);
	const char *host = fuzz_field(&p, end, '\n', &hl);
	const char *xff = fuzz_field(&p, end, '\n', &xl);
	const char *form = p;
	size_t fl = (size_t)(end - p);

	struct arena a;
	arena_init(&a, (size_t)1 << 20);
	char *target = arena_strndup(&a, t, tl); /* a C string, as MHD hands it over */
	char *cookie = arena_strndup(&a, ck, cl);
	char *hostv = arena_strndup(&a, host, hl);
	char *xffv = arena_strndup(&a, xff, xl);
	if (!target || !cookie || !hostv || !xffv)
		abort();

	struct req r;
	memset(&r, 0, sizeof r);
	r.arena = &a;
	r.target = target;
	r.page = 1;
	int st = http_parse_target(&a, target, &r.path, &r.query, &r.nquery);
	FUZZ_CHECK(st == 0 || st == 400 || st == 500, "status %d", st);
	if (st == 0) {
		check_path(r.path);
		for (size_t i = 0; i < r.nquery; i++) {
			FUZZ_CHECK(r.query[i].key && *r.query[i].key, "empty query key");
			FUZZ_CHECK(r.query[i].val, "NULL query value");
		}
		struct http_param hdrs[] = {{"Host", hostv}, {"Cookie", cookie}, {NULL, NULL}};
		r.impl = hdrs;
		for (unsigned m = 0; m <= HTTP_METHOD__MAX; m++) {
			r.method = (enum http_method)m;
			route_it(&r);
		}
		req_query(&r, "q");
		req_query(&r, "page");
		const char *sess = req_cookie(&r, "gazette_session");
		if (sess)
			FUZZ_CHECK(!strchr(sess, ';'), "cookie value with ';': %s", sess);
		req_cookie(&r, "a");
		r.impl = NULL;
	}

	if (http_host_valid(hostv))
		FUZZ_CHECK(strlen(hostv) <= 255 && !strchr(hostv, '/'), "Host %s", hostv);

	char ip[64];
	if (ipnet_forwarded_client(&proxies, xffv, ip, sizeof ip)) {
		struct ipnet parsed;
		FUZZ_CHECK(ip_parse(ip, strlen(ip), &parsed), "client %s does not parse", ip);
	}

	struct http_param *pairs;
	size_t np;
	st = http_parse_pairs(&a, form, fl, 2048, &pairs, &np);
	FUZZ_CHECK(st == 0 || st == 400 || st == 500, "pairs status %d", st);
	for (size_t i = 0; st == 0 && i < np; i++)
		FUZZ_CHECK(str_utf8_valid(pairs[i].key, strlen(pairs[i].key)), "form key");

	arena_free(&a);
	free(in);
	return 0;
}
