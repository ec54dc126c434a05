/* server.h - the HTTP server (libmicrohttpd, internal epoll thread pool).
 *
 * server_start binds config->listen (port 0 picks a free port), starts the
 * worker threads, and writes the bound address to *bound ("127.0.0.1:43121").
 * It enforces: connection limits (total and per IP), the idle timeout, a
 * whole-request deadline, the per-connection memory limit, header and URL
 * size limits (431/414), body limits (413), and the request arena cap. Every
 * request gets one access-log line on stderr.
 * server_stop stops accepting, finishes in-flight requests and frees all. */
#ifndef GAZETTE_HTTP_SERVER_H
#define GAZETTE_HTTP_SERVER_H

#include <stddef.h>

#include "core/err.h"
#include "http/app.h"

struct server;

enum err server_start(struct server **out, const struct app *app, char *bound, size_t boundlen,
		      char *errmsg, size_t errlen);
void server_stop(struct server *s);
/* Frees one of the ready responses server.c keeps in page-cache entries
 * (pass it to cache_new). */
void server_free_native(void *native);

#endif
