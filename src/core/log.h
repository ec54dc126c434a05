/* log.h - one line per event on stderr, prefixed with a UTC timestamp and
 * level. Thread-safe (a single fprintf per line). */
#ifndef GAZETTE_CORE_LOG_H
#define GAZETTE_CORE_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Suppress info lines (tests, CLI commands). */
void log_quiet(int quiet);

#endif
