/* log.h - one line per event on stderr, prefixed with a UTC timestamp and
 * level.
 *
 * log_info/warn/error write their line at once (one write(2) per line, so
 * lines of different threads never interleave).
 *
 * log_buffered is for the access log, a line per request: the line is
 * copied into the calling thread's buffer (log.c owns the buffers; each
 * thread gets its own, so writers never wait on each other), which goes out
 * in one write(2) when it is nearly full, when that thread logs something
 * unbuffered, and at least every interval_ms from a flusher thread that
 * log_buffer_start starts. log_buffer_stop writes what is left and stops
 * the thread: call it once the writing threads are done (after the HTTP
 * server stopped), and no line is lost on a clean stop. Without
 * log_buffer_start, log_buffered writes at once. Starts and stops nest
 * (several servers in one process): each stop writes every buffer out, the
 * last one also stops the thread. Thread-safe. */
#ifndef GAZETTE_CORE_LOG_H
#define GAZETTE_CORE_LOG_H

#include <stdbool.h>
#include <stddef.h>

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Suppress info lines (tests, CLI commands). */
void log_quiet(int quiet);

/* "2026-11-26T18:41:07Z info " for the current second into out (at least
 * LOG_PREFIX_MAX bytes), formatted once a second per thread; returns its
 * length. */
#define LOG_PREFIX_MAX 40
size_t log_prefix(char *out, const char *level);
/* Queue one line (without its newline; one is added). Dropped when info
 * lines are quiet. */
void log_buffered(const char *line, size_t len);
bool log_buffer_start(unsigned interval_ms);
void log_buffer_stop(void);
/* Write every thread's buffered lines now. */
void log_flush(void);

#endif
