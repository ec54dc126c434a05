#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int quiet_info;

void log_quiet(int quiet)
{
	quiet_info = quiet;
}

static void emit(const char *level, const char *fmt, va_list ap)
{
	char msg[2048], stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(msg, sizeof msg, fmt, ap);
	fprintf(stderr, "%s %s %s\n", stamp, level, msg);
}

void log_info(const char *fmt, ...)
{
	if (quiet_info)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit("info", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("warn", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("error", fmt, ap);
	va_end(ap);
}
