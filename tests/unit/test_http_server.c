/* test_http_server.c - the real server on a loopback port, spoken to over
 * raw sockets: keep-alive, HEAD, 304s, routing statuses, hostile input
 * (bad encodings, long URLs, huge headers, big bodies, odd methods),
 * X-Forwarded-For trust, and the whole-request deadline.
 *
 * Every wait polls with a generous deadline; nothing asserts on speed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "http/access.h"
#include "http/app.h"
#include "http/http.h"
#include "http/router.h"
#include "http/server.h"

#define WAIT_MS 15000 /* upper bound for any single wait; never expected */

/* ---- handlers --------------------------------------------------------- */

static enum err h_home(struct req *r, struct resp *rs)
{
	(void)r;
	buf_puts(&rs->body, "home");
	return ERR_OK;
}

static enum err h_hello(struct req *r, struct resp *rs)
{
	(void)r;
	buf_puts(&rs->body, "<p>hello world</p>");
	return ERR_OK;
}

static enum err h_dated(struct req *r, struct resp *rs)
{
	(void)r;
	rs->last_modified = 1700000000; /* Tue, 14 Nov 2023 22:13:20 GMT */
	buf_puts(&rs->body, "dated");
	return ERR_OK;
}

static enum err h_tagged(struct req *r, struct resp *rs)
{
	(void)r;
	rs->etag = "v1";
	buf_puts(&rs->body, "tagged");
	return ERR_OK;
}

static enum err h_form(struct req *r, struct resp *rs)
{
	const char *a = req_form(r, "a"), *q = req_query(r, "q");
	buf_printf(&rs->body, "a=%s q=%s n=%zu", a ? a : "-", q ? q : "-", r->nform);
	for (size_t i = 0; i < r->nuploads; i++)
		buf_printf(&rs->body, " u=%s:%s:%s:%zu", r->uploads[i].field, r->uploads[i].filename,
			   r->uploads[i].content_type, r->uploads[i].len);
	rs->content_type = "text/plain; charset=utf-8";
	return ERR_OK;
}

static enum err h_ip(struct req *r, struct resp *rs)
{
	buf_printf(&rs->body, "%s %s", r->client_ip, r->https ? "https" : "http");
	rs->content_type = "text/plain";
	return ERR_OK;
}

static enum err h_echo(struct req *r, struct resp *rs)
{
	const char *t = req_header(r, "x-test"), *c = req_cookie(r, "sid");
	buf_printf(&rs->body, "t=%s c=%s o=%s", t ? t : "-", c ? c : "-", req_origin(r));
	rs->content_type = "text/plain";
	resp_header(rs, "X-Handler", "echo");
	resp_header(rs, "X-Bad", "a\r\nInjected: yes");
	return ERR_OK;
}

static enum err h_list(struct req *r, struct resp *rs)
{
	buf_printf(&rs->body, "page %lld", (long long)r->page);
	return ERR_OK;
}

static enum err h_post(struct req *r, struct resp *rs)
{
	buf_printf(&rs->body, "post %s", r->params[0]);
	return ERR_OK;
}

static enum err h_missing(struct req *r, struct resp *rs)
{
	(void)r;
	buf_puts(&rs->body, "partial output that must not be sent");
	return ERR_NOTFOUND;
}

static enum err h_only_post(struct req *r, struct resp *rs)
{
	(void)r;
	buf_puts(&rs->body, "posted");
	return ERR_OK;
}

static enum err h_big(struct req *r, struct resp *rs)
{
	(void)r;
	for (int i = 0; i < 100000; i++)
		buf_putc(&rs->body, (char)('a' + i % 26));
	rs->content_type = "text/plain";
	return ERR_OK;
}

static const struct route routes[] = {
	{HTTP_READ, "/", h_home, 0, {P_ANY}},
	{HTTP_M(HTTP_GET), "/hello/", h_hello, 0, {P_ANY}},
	{HTTP_M(HTTP_GET), "/dated", h_dated, 0, {P_ANY}},
	{HTTP_M(HTTP_GET), "/tagged", h_tagged, 0, {P_ANY}},
	{HTTP_M(HTTP_GET) | HTTP_M(HTTP_POST), "/form", h_form, 0, {P_ANY}},
	{HTTP_M(HTTP_GET), "/ip", h_ip, 0, {P_ANY}},
	{HTTP_M(HTTP_GET), "/echo", h_echo, 0, {P_ANY}},
	{HTTP_M(HTTP_GET), "/list/", h_list, ROUTE_PAGED, {P_ANY}},
	{HTTP_M(HTTP_GET), "/post/:id/", h_post, 0, {P_INT}},
	{HTTP_M(HTTP_GET), "/missing", h_missing, 0, {P_ANY}},
	{HTTP_M(HTTP_POST), "/only-post", h_only_post, 0, {P_ANY}},
	{HTTP_M(HTTP_GET), "/big", h_big, 0, {P_ANY}},
};

static void error_page(struct req *r, struct resp *rs, int status)
{
	(void)r;
	buf_printf(&rs->body, "<p>custom error %d</p>", status);
}

/* ---- servers ---------------------------------------------------------- */

static struct config cfg, dcfg;
static struct app app, dapp;
static struct server *srv, *dsrv;
static int port, dport;

static int bound_port(const char *bound)
{
	const char *c = strrchr(bound, ':');
	int64_t v = 0;
	return c && str_to_i64(c + 1, 0, 65535, &v) ? (int)v : 0;
}

static void test_config(struct config *c)
{
	config_defaults(c, "/tmp");
	str_copy(c->listen, "127.0.0.1:0", sizeof c->listen);
	str_copy(c->trusted_proxies, "127.0.0.2, 10.0.0.0/8", sizeof c->trusted_proxies);
	c->threads = 2;
	c->max_connections = 64;
	c->per_ip_connections = 32;
	c->idle_timeout_s = 30;
	c->request_deadline_s = 60;
	c->max_body = 8192;
	c->max_upload = 65536;
	c->max_header = 8192;
	c->max_url = 2048;
}

static void test_app(struct app *a, const struct config *c)
{
	memset(a, 0, sizeof *a);
	a->config = c;
	a->store = NULL;
	a->theme = NULL;
	a->routes = routes;
	a->nroutes = sizeof routes / sizeof routes[0];
	a->error_page = error_page;
}

static int start_servers(void **state)
{
	(void)state;
	char bound[128], err[256];
	test_config(&cfg);
	test_app(&app, &cfg);
	if (server_start(&srv, &app, bound, sizeof bound, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "server_start: %s\n", err);
		return -1;
	}
	port = bound_port(bound);
	/* A second server with a short whole-request deadline. */
	test_config(&dcfg);
	dcfg.threads = 1;
	dcfg.request_deadline_s = 1;
	test_app(&dapp, &dcfg);
	if (server_start(&dsrv, &dapp, bound, sizeof bound, err, sizeof err) != ERR_OK) {
		fprintf(stderr, "server_start: %s\n", err);
		return -1;
	}
	dport = bound_port(bound);
	return 0;
}

static int stop_servers(void **state)
{
	(void)state;
	server_stop(srv);
	server_stop(dsrv);
	return 0;
}

/* ---- a tiny HTTP client ----------------------------------------------- */

static int dial_from(int p, const char *src)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	if (src) {
		inet_pton(AF_INET, src, &sa.sin_addr);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	}
	sa.sin_port = htons((uint16_t)p);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

static int dial(int p)
{
	return dial_from(p, NULL);
}

/* Send everything; false if the peer closed on us (allowed for hostile
 * requests: the answer may already be waiting). */
static bool send_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

struct hresp {
	int status;
	char head[16384];
	char *body;
	size_t blen;
};

/* Read more bytes with a deadline: >0 bytes, 0 on EOF, -1 error/timeout. */
static ssize_t recv_wait(int fd, char *buf, size_t n, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - clock_mono_ms();
		if (left <= 0)
			return -1;
		struct pollfd pfd = {fd, POLLIN, 0};
		int pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return -1;
		ssize_t k = recv(fd, buf, n, 0);
		if (k < 0 && errno == EINTR)
			continue;
		return k < 0 ? -1 : k;
	}
}

static const char *hget(const struct hresp *r, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = strstr(r->head, "\r\n");
	while (p && p[2]) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			v += strspn(v, " ");
			size_t vl = strcspn(v, "\r");
			if (vl >= n)
				vl = n - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return out;
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

static bool has_hdr(const struct hresp *r, const char *name)
{
	char tmp[8];
	return hget(r, name, tmp, sizeof tmp) != NULL;
}

/* Read one response, byte-exact (so keep-alive leftovers would show up in
 * the next one). Returns false on EOF/timeout before a complete response. */
static bool read_resp(int fd, bool head_only, struct hresp *r)
{
	int64_t deadline = clock_mono_ms() + WAIT_MS;
	memset(r, 0, sizeof r->head);
	r->status = 0;
	r->body = NULL;
	r->blen = 0;
	size_t hl = 0;
	while (hl < 4 || memcmp(r->head + hl - 4, "\r\n\r\n", 4) != 0) {
		if (hl + 1 >= sizeof r->head)
			return false;
		if (recv_wait(fd, r->head + hl, 1, deadline) != 1)
			return false;
		hl++;
	}
	r->head[hl] = '\0';
	if (sscanf(r->head, "HTTP/1.%*d %d", &r->status) != 1)
		return false;
	char cl[32];
	bool nobody = head_only || r->status == 304 || r->status == 204 || r->status < 200;
	int64_t len = -1;
	if (hget(r, "Content-Length", cl, sizeof cl) && !str_to_i64(cl, 0, INT64_MAX, &len))
		return false;
	if (nobody)
		return true;
	if (len < 0) { /* until EOF */
		size_t cap = 1 << 16;
		r->body = malloc(cap);
		for (;;) {
			if (r->blen == cap)
				r->body = realloc(r->body, cap *= 2);
			ssize_t k = recv_wait(fd, r->body + r->blen, cap - r->blen, deadline);
			if (k <= 0)
				break;
			r->blen += (size_t)k;
		}
	} else {
		r->body = malloc((size_t)len + 1);
		while (r->blen < (size_t)len) {
			ssize_t k = recv_wait(fd, r->body + r->blen, (size_t)len - r->blen, deadline);
			if (k <= 0)
				return false;
			r->blen += (size_t)k;
		}
	}
	r->body = realloc(r->body, r->blen + 1);
	r->body[r->blen] = '\0';
	return true;
}

static void hresp_free(struct hresp *r)
{
	free(r->body);
	r->body = NULL;
}

/* True once the server has closed the connection (EOF or reset). */
static bool wait_closed(int fd)
{
	char buf[4096];
	int64_t deadline = clock_mono_ms() + WAIT_MS;
	for (;;) {
		ssize_t k = recv_wait(fd, buf, sizeof buf, deadline);
		if (k == 0)
			return true;
		if (k < 0)
			return errno == ECONNRESET || errno == EPIPE;
	}
}

/* One request on a fresh connection; returns the status. */
static int request_on(int p, const char *src, const char *raw, size_t rawlen, bool head,
		      struct hresp *r)
{
	int fd = dial_from(p, src);
	send_all(fd, raw, rawlen); /* the server may answer and close early */
	bool ok = read_resp(fd, head, r);
	close(fd);
	return ok ? r->status : -1;
}

static int request(const char *raw, struct hresp *r)
{
	return request_on(port, NULL, raw, strlen(raw), false, r);
}

/* The server still answers a normal request. */
static void assert_healthy(int p)
{
	struct hresp r;
	const char *raw = "GET /hello/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
	assert_int_equal(request_on(p, NULL, raw, strlen(raw), false, &r), 200);
	assert_string_equal(r.body, "<p>hello world</p>");
	hresp_free(&r);
}

static void expect_status(const char *raw, int status)
{
	struct hresp r;
	int got = request(raw, &r);
	if (got != status)
		fprintf(stderr, "request %.80s: got %d, want %d\n", raw, got, status);
	assert_int_equal(got, status);
	hresp_free(&r);
	assert_healthy(port);
}

/* ---- tests ------------------------------------------------------------ */

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Start, serve, stop with a keep-alive connection still open: no fd or
 * memory left behind (LeakSanitizer checks the memory). */
static void test_lifecycle(void **state)
{
	(void)state;
	struct config c;
	struct app a;
	struct server *s;
	char bound[128], err[256];
	test_config(&c);
	test_app(&a, &c);
	int before = count_fds();
	assert_int_equal(server_start(&s, &a, bound, sizeof bound, err, sizeof err), ERR_OK);
	assert_true(str_starts(bound, "127.0.0.1:"));
	int p = bound_port(bound);
	assert_true(p > 0);
	int fd = dial(p);
	const char *raw = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_true(send_all(fd, raw, strlen(raw)));
	struct hresp r;
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 200);
	hresp_free(&r);
	/* A port in use is an error, not a second server. */
	struct config c2;
	struct app a2;
	struct server *s2 = NULL;
	test_config(&c2);
	test_app(&a2, &c2);
	str_copy(c2.listen, bound, sizeof c2.listen);
	assert_int_equal(server_start(&s2, &a2, bound, sizeof bound, err, sizeof err), ERR_IO);
	assert_null(s2);
	assert_non_null(strstr(err, "cannot listen"));
	assert_non_null(strstr(err, "in use"));
	/* A second client mid-request. */
	int fd2 = dial(p);
	assert_true(send_all(fd2, "GET / HTTP/1.1\r\n", 16));
	server_stop(s);
	close(fd);
	close(fd2);
	assert_int_equal(count_fds(), before);

	/* IPv6, when the machine has it. */
	test_config(&c);
	str_copy(c.listen, "[::1]:0", sizeof c.listen);
	if (server_start(&s, &a, bound, sizeof bound, err, sizeof err) == ERR_OK) {
		assert_true(str_starts(bound, "[::1]:"));
		int fd6 = socket(AF_INET6, SOCK_STREAM, 0);
		struct sockaddr_in6 sa6;
		memset(&sa6, 0, sizeof sa6);
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)bound_port(bound));
		inet_pton(AF_INET6, "::1", &sa6.sin6_addr);
		assert_int_equal(connect(fd6, (struct sockaddr *)&sa6, sizeof sa6), 0);
		raw = "GET /ip HTTP/1.1\r\nHost: [::1]\r\n\r\n";
		assert_true(send_all(fd6, raw, strlen(raw)));
		assert_true(read_resp(fd6, false, &r));
		assert_int_equal(r.status, 200);
		assert_string_equal(r.body, "::1 http");
		hresp_free(&r);
		close(fd6);
		server_stop(s);
	}

	/* Bad settings are reported, not crashed on. */
	str_copy(c.listen, "127.0.0.1:notaport", sizeof c.listen);
	assert_int_equal(server_start(&s, &a, bound, sizeof bound, err, sizeof err), ERR_INVALID);
	assert_non_null(strstr(err, "port"));
	test_config(&c);
	str_copy(c.trusted_proxies, "127.0.0.1, nonsense", sizeof c.trusted_proxies);
	assert_int_equal(server_start(&s, &a, bound, sizeof bound, err, sizeof err), ERR_INVALID);
	assert_non_null(strstr(err, "nonsense"));
}

/* One access-log line per request on stderr. */
static void test_access_log(void **state)
{
	(void)state;
	struct config c;
	struct app a;
	struct server *s;
	char bound[128], err[256];
	test_config(&c);
	test_app(&a, &c);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	int saved = dup(2);
	dup2(fileno(tmp), 2);
	log_quiet(0);
	assert_int_equal(server_start(&s, &a, bound, sizeof bound, err, sizeof err), ERR_OK);
	int p = bound_port(bound);
	struct hresp r;
	const char *raw = "GET /hello/?q=\"x\" HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(request_on(p, NULL, raw, strlen(raw), false, &r), 200);
	hresp_free(&r);
	raw = "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(request_on(p, NULL, raw, strlen(raw), false, &r), 404);
	hresp_free(&r);
	server_stop(s); /* every completion has been logged once this returns */
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (!getenv("GAZETTE_TEST_VERBOSE"))
		log_quiet(1);
	char log[8192];
	rewind(tmp);
	size_t n = fread(log, 1, sizeof log - 1, tmp);
	log[n] = '\0';
	fclose(tmp);
	assert_non_null(strstr(log, "access 127.0.0.1 \"GET /hello/?q=\\x22x\\x22\" 200 18 "));
	assert_non_null(strstr(log, "access 127.0.0.1 \"GET /nope\" 404 23 "));
	assert_non_null(strstr(log, "us\n"));
}

/* access_format's escaping against the byte-at-a-time rule access.h
 * states: \xHH for bytes outside printable ASCII, '"' and '\\', and "..."
 * where the next byte would leave less than 8 bytes of the field's room. */
static void ref_escaped(char **o, char *end, const char *s, size_t max)
{
	char *stop = *o + max < end ? *o + max : end;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (*o + 8 >= stop) {
			size_t n = end - *o < 3 ? (size_t)(end - *o) : 3;
			memcpy(*o, "...", n);
			*o += n;
			return;
		}
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			*o += snprintf(*o, 5, "\\x%02x", c);
		else
			*(*o)++ = (char)c;
	}
}

static void test_access_format_escapes(void **state)
{
	(void)state;
	unsigned seed = 7;
	char target[1200], method[60];
	for (int round = 0; round < 3000; round++) {
		size_t n = round < 600 ? (size_t)round : (size_t)(seed % 1100);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			/* mostly a path, now and then a byte to escape */
			target[i] = r % 9 ? "/abc-def_0123?x=y"[r % 17] : (char)(1 + (r >> 4) % 255);
		}
		target[n] = '\0';
		seed = seed * 1103515245u + 12345u;
		size_t mn = (seed >> 16) % 50;
		for (size_t i = 0; i < mn; i++)
			method[i] = i % 7 == 6 ? '"' : 'G';
		method[mn] = '\0';
		struct access_rec rec = {.ip = "127.0.0.1", .method = method, .target = target,
					 .status = 200, .bytes = 5, .us = 7, .why = ""};
		char got[ACCESS_LINE_MAX], want[ACCESS_LINE_MAX * 4];
		size_t len = access_format(got, &rec);
		assert_true(len < ACCESS_LINE_MAX);
		const char *g = strstr(got, "access ");
		assert_non_null(g);
		/* the fields share the line's room as access_format's do */
		char *end = want + (ACCESS_LINE_MAX - 1 - (size_t)(g - got));
		char *o = want + snprintf(want, 8, "access ");
		ref_escaped(&o, end, rec.ip, 64);
		o += snprintf(o, 3, " \"");
		ref_escaped(&o, end, method, 40);
		*o++ = ' ';
		ref_escaped(&o, end, target, 520);
		snprintf(o, 16, "\" 200 5 7us");
		assert_string_equal(g, want);
	}
}

static void test_keepalive_and_headers(void **state)
{
	(void)state;
	int fd = dial(port);
	struct hresp r;
	char v[512];
	const char *raw = "GET /hello/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "<p>hello world</p>");
	assert_false(hget(&r, "Connection", v, sizeof v) && strcasecmp(v, "close") == 0);
	assert_string_equal(hget(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
	assert_string_equal(hget(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
	assert_string_equal(hget(&r, "Referrer-Policy", v, sizeof v),
			    "strict-origin-when-cross-origin");
	assert_string_equal(hget(&r, "X-Frame-Options", v, sizeof v), "DENY");
	assert_non_null(hget(&r, "Content-Security-Policy", v, sizeof v));
	assert_non_null(strstr(v, "script-src 'self'"));
	assert_non_null(strstr(v, "frame-ancestors 'none'"));
	assert_null(strstr(v, "unsafe-eval"));
	assert_string_equal(hget(&r, "Cache-Control", v, sizeof v), "no-cache");
	assert_non_null(hget(&r, "ETag", v, sizeof v));
	assert_true(str_starts(v, "W/\""));
	hresp_free(&r);

	/* Second request on the same connection. */
	raw = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "home");
	hresp_free(&r);

	/* Pipelined pair, and a 100 KB body. */
	raw = "GET /big HTTP/1.1\r\nHost: localhost\r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 200);
	assert_int_equal(r.blen, 100000);
	assert_int_equal(r.body[99999], 'a' + 99999 % 26);
	assert_string_equal(hget(&r, "Content-Type", v, sizeof v), "text/plain");
	assert_false(has_hdr(&r, "Content-Security-Policy")); /* HTML only */
	assert_true(has_hdr(&r, "X-Content-Type-Options"));
	hresp_free(&r);
	assert_true(read_resp(fd, false, &r));
	assert_string_equal(r.body, "home");
	hresp_free(&r);
	close(fd);
}

static void test_head(void **state)
{
	(void)state;
	int fd = dial(port);
	struct hresp r;
	char v[64];
	const char *raw = "HEAD /hello/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, true, &r));
	assert_int_equal(r.status, 200);
	assert_string_equal(hget(&r, "Content-Length", v, sizeof v), "18");
	assert_true(has_hdr(&r, "ETag"));
	/* No body bytes followed: the next response parses cleanly. */
	raw = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "home");
	hresp_free(&r);
	close(fd);
}

static void test_conditional(void **state)
{
	(void)state;
	struct hresp r;
	char etag[128], v[128], raw[512];
	assert_int_equal(request("GET /hello/ HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
	assert_non_null(hget(&r, "ETag", etag, sizeof etag));
	hresp_free(&r);

	/* 304 via If-None-Match, on a connection that stays usable. */
	int fd = dial(port);
	snprintf(raw, sizeof raw, "GET /hello/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n\r\n",
		 etag);
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 304);
	assert_string_equal(hget(&r, "ETag", v, sizeof v), etag);
	assert_false(hget(&r, "Content-Length", v, sizeof v) && strcmp(v, "0") != 0);
	const char *next = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_true(send_all(fd, next, strlen(next)));
	assert_true(read_resp(fd, false, &r));
	assert_string_equal(r.body, "home");
	hresp_free(&r);
	close(fd);

	/* HEAD gets the 304 too; lists, weak match, "*", mismatch. */
	snprintf(raw, sizeof raw, "HEAD /hello/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n\r\n",
		 etag);
	assert_int_equal(request_on(port, NULL, raw, strlen(raw), true, &r), 304);
	snprintf(raw, sizeof raw,
		 "GET /hello/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"zzz\", %s\r\n\r\n", etag);
	assert_int_equal(request(raw, &r), 304);
	assert_int_equal(request("GET /hello/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n", &r),
			 304);
	assert_int_equal(
		request("GET /hello/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"nope\"\r\n\r\n", &r),
		200);
	hresp_free(&r);

	/* A handler's own ETag, quoted for it. */
	assert_int_equal(request("GET /tagged HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
	assert_string_equal(hget(&r, "ETag", v, sizeof v), "\"v1\"");
	hresp_free(&r);
	assert_int_equal(
		request("GET /tagged HTTP/1.1\r\nHost: x\r\nIf-None-Match: W/\"v1\"\r\n\r\n", &r),
		304);

	/* If-Modified-Since against Last-Modified. */
	assert_int_equal(request("GET /dated HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
	assert_string_equal(hget(&r, "Last-Modified", v, sizeof v),
			    "Tue, 14 Nov 2023 22:13:20 GMT");
	hresp_free(&r);
	assert_int_equal(request("GET /dated HTTP/1.1\r\nHost: x\r\n"
				 "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n",
				 &r),
			 304);
	assert_int_equal(request("GET /dated HTTP/1.1\r\nHost: x\r\n"
				 "If-Modified-Since: Wed, 15 Nov 2023 08:00:00 GMT\r\n\r\n",
				 &r),
			 304);
	assert_int_equal(request("GET /dated HTTP/1.1\r\nHost: x\r\n"
				 "If-Modified-Since: Tue, 14 Nov 2023 22:13:19 GMT\r\n\r\n",
				 &r),
			 200);
	hresp_free(&r);
	assert_int_equal(
		request("GET /dated HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: yesterday\r\n\r\n", &r),
		200);
	hresp_free(&r);
	/* Without Last-Modified, If-Modified-Since alone never gives a 304. */
	assert_int_equal(request("GET /hello/ HTTP/1.1\r\nHost: x\r\n"
				 "If-Modified-Since: Wed, 15 Nov 2023 08:00:00 GMT\r\n\r\n",
				 &r),
			 200);
	hresp_free(&r);
}

static void test_routing_statuses(void **state)
{
	(void)state;
	struct hresp r;
	char v[256];
	assert_int_equal(request("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", &r), 404);
	assert_string_equal(r.body, "<p>custom error 404</p>");
	assert_string_equal(hget(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
	hresp_free(&r);
	/* A handler's error replaces whatever it had written. */
	assert_int_equal(request("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n", &r), 404);
	assert_string_equal(r.body, "<p>custom error 404</p>");
	hresp_free(&r);

	assert_int_equal(request("POST /hello/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &r),
			 405);
	assert_string_equal(hget(&r, "Allow", v, sizeof v), "GET, HEAD");
	assert_string_equal(r.body, "<p>custom error 405</p>");
	hresp_free(&r);
	assert_int_equal(request("GET /only-post HTTP/1.1\r\nHost: x\r\n\r\n", &r), 405);
	assert_string_equal(hget(&r, "Allow", v, sizeof v), "POST");
	hresp_free(&r);
	assert_int_equal(
		request("POST /only-post HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &r), 200);
	assert_string_equal(r.body, "posted");
	hresp_free(&r);

	assert_int_equal(request("GET /hello?x=1&y=%C3%A9 HTTP/1.1\r\nHost: x\r\n\r\n", &r), 301);
	assert_string_equal(hget(&r, "Location", v, sizeof v), "/hello/?x=1&y=%C3%A9");
	hresp_free(&r);
	assert_int_equal(request("GET /list/page/2 HTTP/1.1\r\nHost: x\r\n\r\n", &r), 301);
	assert_string_equal(hget(&r, "Location", v, sizeof v), "/list/page/2/");
	hresp_free(&r);
	/* No redirect to a slash form that matches nothing. */
	expect_status("GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n", 404);

	assert_int_equal(request("GET /list/ HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
	assert_string_equal(r.body, "page 1");
	hresp_free(&r);
	assert_int_equal(request("GET /list/page/3/ HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
	assert_string_equal(r.body, "page 3");
	hresp_free(&r);
	expect_status("GET /list/page/0/ HTTP/1.1\r\nHost: x\r\n\r\n", 404);
	expect_status("GET /list/page/03/ HTTP/1.1\r\nHost: x\r\n\r\n", 404);
	expect_status("GET /list/page/-1/ HTTP/1.1\r\nHost: x\r\n\r\n", 404);
	expect_status("GET /list/page/99999999999999999999/ HTTP/1.1\r\nHost: x\r\n\r\n", 404);

	assert_int_equal(request("GET /post/42/ HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
	assert_string_equal(r.body, "post 42");
	hresp_free(&r);
	expect_status("GET /post/4x2/ HTTP/1.1\r\nHost: x\r\n\r\n", 404);

	/* Query decoding, '+' as space. */
	assert_int_equal(request("GET /form?q=caf%C3%A9+au+lait HTTP/1.1\r\nHost: x\r\n\r\n", &r),
			 200);
	assert_string_equal(r.body, "a=- q=café au lait n=0");
	hresp_free(&r);

	/* Headers, cookies, origin; an injected header is dropped. */
	assert_int_equal(request("GET /echo HTTP/1.1\r\nHost: example.org:8080\r\n"
				 "X-Test: yes\r\nCookie: a=1; sid=\"abc\"; b=2\r\n\r\n",
				 &r),
			 200);
	assert_string_equal(r.body, "t=yes c=abc o=http://example.org:8080");
	assert_string_equal(hget(&r, "X-Handler", v, sizeof v), "echo");
	assert_false(has_hdr(&r, "X-Bad"));
	assert_false(has_hdr(&r, "Injected"));
	hresp_free(&r);
}

static void test_bad_encoding(void **state)
{
	(void)state;
	expect_status("GET /hello%zz/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /hello%2/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /hello% HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /hello%ff/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /caf%C3/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /%ED%A0%80/ HTTP/1.1\r\nHost: x\r\n\r\n", 400); /* surrogate */
	expect_status("GET /%C0%AF/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);     /* overlong */
	expect_status("GET /a%00b/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /a%0Ab/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /hello/%2e%2e/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /form?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /form?q=%c3%28 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /form?%ff=1 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /form?q=%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /form?q=50% HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	/* Raw invalid UTF-8 and control bytes in the target. */
	expect_status("GET /caf\xc3\x28/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /form?q=\xff HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	/* Not a path at all. */
	expect_status("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	expect_status("GET hello HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	/* Host header checks. */
	expect_status("GET /hello/ HTTP/1.1\r\n\r\n", 400);
	expect_status("GET /hello/ HTTP/1.1\r\nHost: a/b\r\n\r\n", 400);
	expect_status("GET /hello/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
	expect_status("GET /hello/ HTTP/1.1\r\nHost: x:99999\r\n\r\n", 400);
	expect_status("GET /hello/ HTTP/1.0\r\n\r\n", 200);
	expect_status("GET /hello/ HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", 200);
	/* Absolute-form target. */
	expect_status("GET http://x/hello/ HTTP/1.1\r\nHost: x\r\n\r\n", 200);
}

static char *repeat(const char *prefix, char c, size_t n, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *s = malloc(pl + n + sl + 1);
	memcpy(s, prefix, pl);
	memset(s + pl, c, n);
	memcpy(s + pl + n, suffix, sl + 1);
	return s;
}

static void test_long_url(void **state)
{
	(void)state;
	struct hresp r;
	/* Over max_url (2048) but within MHD's pool: our 414. */
	char *raw = repeat("GET /form?q=", 'a', 3000, " HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(request(raw, &r), 414);
	hresp_free(&r);
	free(raw);
	assert_healthy(port);
	/* Far beyond the connection memory limit: MHD's own 414. */
	raw = repeat("GET /", 'a', 200000, " HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(request(raw, &r), 414);
	hresp_free(&r);
	free(raw);
	assert_healthy(port);
	/* Just under the limit is fine. */
	raw = repeat("GET /form?q=", 'b', 2000, " HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(request(raw, &r), 200);
	assert_int_equal(r.blen, strlen("a=- q= n=0") + 2000);
	hresp_free(&r);
	free(raw);
}

static void test_huge_headers(void **state)
{
	(void)state;
	struct hresp r;
	/* Under max_header (8192): served. */
	char *raw = repeat("GET /hello/ HTTP/1.1\r\nHost: x\r\nX-Pad: ", 'p', 7000, "\r\n\r\n");
	assert_int_equal(request(raw, &r), 200);
	hresp_free(&r);
	free(raw);
	/* Over max_header, within MHD's pool: our 431. */
	raw = repeat("GET /hello/ HTTP/1.1\r\nHost: x\r\nX-Pad: ", 'p', 9000, "\r\n\r\n");
	assert_int_equal(request(raw, &r), 431);
	hresp_free(&r);
	free(raw);
	assert_healthy(port);
	/* Many small headers adding up. */
	size_t n = 0;
	raw = malloc(20000);
	n += (size_t)snprintf(raw, 20000, "GET /hello/ HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; n < 10000; i++)
		n += (size_t)snprintf(raw + n, 20000 - n, "X-H%d: v\r\n", i);
	memcpy(raw + n, "\r\n", 3);
	assert_int_equal(request(raw, &r), 431);
	hresp_free(&r);
	free(raw);
	assert_healthy(port);
	/* Beyond the connection memory limit (max_header + max_url + 16 KiB):
	 * MHD answers 431 by itself. */
	raw = repeat("GET /hello/ HTTP/1.1\r\nHost: x\r\nX-Pad: ", 'p', 200000, "\r\n\r\n");
	assert_int_equal(request(raw, &r), 431);
	hresp_free(&r);
	free(raw);
	assert_healthy(port);
}

static void test_bodies(void **state)
{
	(void)state;
	struct hresp r;
	char v[64];
	/* A form within the limit. */
	const char *form = "a=1%202&b=x&&=z&c";
	char post[512];
	snprintf(post, sizeof post,
		 "POST /form?q=1 HTTP/1.1\r\nHost: x\r\n"
		 "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n"
		 "Content-Length: %zu\r\n\r\n%s",
		 strlen(form), form);
	const char *raw = post;
	assert_int_equal(request(raw, &r), 200);
	assert_string_equal(r.body, "a=1 2 q=1 n=3");
	hresp_free(&r);
	/* Keep-alive after a POST. */
	int fd = dial(port);
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 200);
	hresp_free(&r);
	raw = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, false, &r));
	assert_string_equal(r.body, "home");
	hresp_free(&r);
	close(fd);

	/* Content-Length over max_body: 413 before any body is sent. */
	fd = dial(port);
	raw = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
	      "Content-Length: 100000\r\n\r\n";
	assert_true(send_all(fd, raw, strlen(raw)));
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 413);
	hresp_free(&r);
	assert_true(wait_closed(fd));
	close(fd);
	assert_healthy(port);

	/* Same with Expect: 100-continue: no "100 Continue" first. */
	expect_status("POST /form HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
		      "Content-Type: application/x-www-form-urlencoded\r\n"
		      "Content-Length: 9999999999\r\n\r\n",
		      413);

	/* Chunked body that grows past max_body (8192): MHD cannot answer
	 * mid-upload, so the rest is read and dropped and the 413 follows. */
	raw = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
	      "Transfer-Encoding: chunked\r\n\r\n";
	static char chunk[7 + 65536 + 2];
	memset(chunk, 'a', sizeof chunk);
	memcpy(chunk, "10000\r\n", 7);
	memcpy(chunk + 7 + 65536, "\r\n", 2);
	size_t chunklen = 7 + 65536 + 2;
	fd = dial(port);
	assert_true(send_all(fd, raw, strlen(raw)));
	for (int i = 0; i < 32; i++) /* 2 MB */
		assert_true(send_all(fd, chunk, chunklen));
	assert_true(send_all(fd, "0\r\n\r\n", 5));
	assert_true(read_resp(fd, false, &r));
	assert_int_equal(r.status, 413);
	hresp_free(&r);
	close(fd);
	assert_healthy(port);

	/* Any method: a declared body over max_body is refused unread. */
	expect_status("GET /form HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", 413);

	/* A chunked body that never ends is cut off by the deadline. */
	fd = dial(dport);
	assert_true(send_all(fd, raw, strlen(raw)));
	int64_t t0 = clock_mono_ms();
	bool cut = false;
	while (!cut && clock_mono_ms() - t0 < WAIT_MS) {
		cut = !send_all(fd, chunk, chunklen);
		struct pollfd pfd = {fd, POLLIN, 0};
		if (!cut && poll(&pfd, 1, 20) > 0)
			cut = wait_closed(fd);
	}
	assert_true(cut);
	close(fd);
	assert_healthy(dport);
	assert_healthy(port);

	/* Bodies we do not parse, bad encodings in a form. */
	expect_status("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
		      "Content-Length: 3\r\n\r\na=b",
		      415);
	expect_status("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: "
		      "application/x-www-form-urlencoded\r\nContent-Length: 5\r\n\r\na=%zz",
		      400);
	expect_status("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: "
		      "application/x-www-form-urlencoded\r\nContent-Length: 5\r\n\r\na=%ff",
		      400);
	/* multipart/form-data: fields into the form, files into uploads; a
	 * file bigger than max_body but within max_upload is fine. */
	{
		static char big[20000];
		memset(big, 'z', sizeof big);
		struct buf b;
		buf_init(&b);
		buf_printf(&b,
			   "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
			   "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
			   "Content-Type: image/png\r\n\r\n");
		buf_append(&b, big, sizeof big);
		buf_puts(&b, "\r\n--XyZ--\r\n");
		/* the whole body, then one cut before its closing boundary (with
		 * a Content-Length that matches what is sent): 200, then 400 */
		size_t lens[2] = {b.len, b.len - 9};
		int want[2] = {200, 400};
		for (int k = 0; k < 2; k++) {
			char head[256];
			snprintf(head, sizeof head,
				 "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
				 "boundary=XyZ\r\nContent-Length: %zu\r\n\r\n",
				 lens[k]);
			struct buf all;
			buf_init(&all);
			buf_puts(&all, head);
			buf_append(&all, b.data, lens[k]);
			struct hresp r;
			assert_int_equal(request_on(port, NULL, all.data, all.len, false, &r), want[k]);
			if (k == 0)
				assert_string_equal(r.body, "a=1 q=- n=1 u=f:x.bin:image/png:20000");
			hresp_free(&r);
			buf_free(&all);
		}
		buf_free(&b);
	}
	expect_status("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\n"
		      "Content-Length: 3\r\n\r\na=b",
		      400); /* no boundary */
	expect_status("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
		      "boundary=B\r\nContent-Length: 70000\r\n\r\n",
		      413); /* over max_upload */
	expect_status("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
		      "boundary=B\r\nContent-Length: 59\r\n\r\n"
		      "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\r\n--B--\r\n",
		      400); /* a field that is not UTF-8 */
	/* A GET with a body: the body is ignored. */
	assert_int_equal(request("GET /form HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\na=b", &r),
			 200);
	assert_string_equal(r.body, "a=- q=- n=0");
	assert_non_null(hget(&r, "Content-Type", v, sizeof v));
	hresp_free(&r);
}

static void test_methods(void **state)
{
	(void)state;
	struct hresp r;
	char v[64];
	assert_int_equal(request("BREW /hello/ HTTP/1.1\r\nHost: x\r\n\r\n", &r), 405);
	assert_string_equal(hget(&r, "Allow", v, sizeof v), "GET, HEAD");
	hresp_free(&r);
	assert_healthy(port);
	assert_int_equal(request("DELETE /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", &r), 405);
	assert_string_equal(hget(&r, "Allow", v, sizeof v), "GET, HEAD, POST");
	hresp_free(&r);
	assert_healthy(port);
	expect_status("PUT /form HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd", 405);
	expect_status("OPTIONS /hello/ HTTP/1.1\r\nHost: x\r\n\r\n", 405);
	expect_status("get /hello/ HTTP/1.1\r\nHost: x\r\n\r\n", 405);
	/* Junk request lines: some 4xx/5xx or a closed connection, and the
	 * server keeps serving. */
	const char *junk[] = {
		"\x01\x02\x03 / HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET\r\n\r\n",
		"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
		"GET / FOO\r\n\r\n",
		" / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\nHost x\r\n\r\n",
		"POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
		"POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
		"POST /form HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		int st = request(junk[i], &r);
		hresp_free(&r);
		assert_true(st == -1 || st >= 400);
		assert_healthy(port);
	}
}

static void test_forwarded(void **state)
{
	(void)state;
	struct hresp r;
	const char *raw = "GET /ip HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 9.9.9.9\r\n"
			  "X-Forwarded-Proto: https\r\n\r\n";
	/* From an untrusted peer the headers are ignored. */
	assert_int_equal(request_on(port, "127.0.0.1", raw, strlen(raw), false, &r), 200);
	assert_string_equal(r.body, "127.0.0.1 http");
	hresp_free(&r);
	/* From a trusted proxy they are honoured. */
	assert_int_equal(request_on(port, "127.0.0.2", raw, strlen(raw), false, &r), 200);
	assert_string_equal(r.body, "9.9.9.9 https");
	hresp_free(&r);
	/* The last untrusted hop wins, trusted hops are skipped, spoofed
	 * entries to its left are ignored. */
	raw = "GET /ip HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6, 1.2.3.4, 10.1.2.3\r\n\r\n";
	assert_int_equal(request_on(port, "127.0.0.2", raw, strlen(raw), false, &r), 200);
	assert_string_equal(r.body, "1.2.3.4 http");
	hresp_free(&r);
	raw = "GET /ip HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\n"
	      "X-Forwarded-For: 2001:db8::1\r\n\r\n";
	assert_int_equal(request_on(port, "127.0.0.2", raw, strlen(raw), false, &r), 200);
	assert_string_equal(r.body, "2001:db8::1 http");
	hresp_free(&r);
	/* Garbage: fall back to the peer. */
	raw = "GET /ip HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: <script>\r\n\r\n";
	assert_int_equal(request_on(port, "127.0.0.2", raw, strlen(raw), false, &r), 200);
	assert_string_equal(r.body, "127.0.0.2 http");
	hresp_free(&r);
	raw = "GET /ip HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(request_on(port, "127.0.0.2", raw, strlen(raw), false, &r), 200);
	assert_string_equal(r.body, "127.0.0.2 http");
	hresp_free(&r);
}

/* A client trickling its request head a line at a time keeps MHD's idle
 * timer (30 s here) happy, but the 1 s whole-request deadline closes it. */
static void test_deadline(void **state)
{
	(void)state;
	assert_healthy(dport);
	int fd = dial(dport);
	const char *start = "GET /hello/ HTTP/1.1\r\nHost: x\r\n";
	int64_t t0 = clock_mono_ms();
	assert_true(send_all(fd, start, strlen(start)));
	bool closed = false;
	while (!closed && clock_mono_ms() - t0 < WAIT_MS) {
		if (!send_all(fd, "X-Slow: 1\r\n", 11)) {
			closed = true;
			break;
		}
		struct pollfd pfd = {fd, POLLIN, 0};
		if (poll(&pfd, 1, 100) > 0) {
			char b[256];
			ssize_t k = recv(fd, b, sizeof b, 0);
			closed = k <= 0;
			assert_true(k <= 0); /* no response to a half-sent request */
		}
	}
	int64_t took = clock_mono_ms() - t0;
	close(fd);
	assert_true(closed);
	assert_true(took >= 900); /* it was the deadline, not an early reject */
	assert_healthy(dport);
	assert_healthy(port);
}

int main(void)
{
	if (!getenv("GAZETTE_TEST_VERBOSE"))
		log_quiet(1);
	const struct CMUnitTest lifecycle[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_access_log),
		cmocka_unit_test(test_access_format_escapes),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keepalive_and_headers),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_conditional),
		cmocka_unit_test(test_routing_statuses),
		cmocka_unit_test(test_bad_encoding),
		cmocka_unit_test(test_long_url),
		cmocka_unit_test(test_huge_headers),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_forwarded),
		cmocka_unit_test(test_deadline),
	};
	int fails = cmocka_run_group_tests_name("http_server_lifecycle", lifecycle, NULL, NULL);
	fails += cmocka_run_group_tests_name("http_server", tests, start_servers, stop_servers);
	return fails ? 1 : 0;
}
