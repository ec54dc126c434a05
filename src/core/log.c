#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int quiet_info;

void log_quiet(int quiet)
{
	quiet_info = quiet;
}

static void write_all(const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(STDERR_FILENO, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* stderr gone: nothing better to do */
		p += w;
		len -= (size_t)w;
	}
}

size_t log_prefix(char *out, const char *level)
{
	static _Thread_local time_t last;
	static _Thread_local char stamp[24];
	static _Thread_local size_t stamp_len;
	time_t t = time(NULL);
	if (t != last || !stamp_len) {
		struct tm tm;
		gmtime_r(&t, &tm);
		stamp_len = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = t;
	}
	size_t ll = strlen(level);
	if (ll > LOG_PREFIX_MAX - sizeof stamp - 3)
		ll = LOG_PREFIX_MAX - sizeof stamp - 3;
	memcpy(out, stamp, stamp_len);
	out[stamp_len] = ' ';
	memcpy(out + stamp_len + 1, level, ll);
	out[stamp_len + 1 + ll] = ' ';
	out[stamp_len + 2 + ll] = '\0';
	return stamp_len + 2 + ll;
}

/* ---- per-thread buffers (see log.h) ---------------------------------- */

#define TBUF_SIZE ((size_t)32 << 10)
#define LINE_MAX_BUFFERED (TBUF_SIZE / 4)

struct tbuf {
	pthread_mutex_t mu; /* the owning thread and the flusher */
	size_t len;
	struct tbuf *next;
	char data[TBUF_SIZE];
};

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER; /* guards everything below */
static pthread_cond_t reg_cv;
static struct tbuf *reg;
static bool running, stopping;
static unsigned users; /* log_buffer_start calls not yet stopped */
static unsigned interval;
static pthread_t flusher;
/* Bumped by each start and stop: a thread's buffer from an earlier run is
 * gone (freed by log_buffer_stop). */
static _Atomic unsigned generation;
static atomic_bool buffering;

static _Thread_local struct tbuf *mine;
static _Thread_local unsigned mine_gen;

static void flush_locked(struct tbuf *b)
{
	write_all(b->data, b->len);
	b->len = 0;
}

/* This thread's buffer, registered on first use; NULL when not buffering
 * (or out of memory: the caller writes at once). */
static struct tbuf *my_buffer(void)
{
	if (!atomic_load(&buffering))
		return NULL;
	unsigned g = atomic_load(&generation);
	if (mine && mine_gen == g)
		return mine;
	struct tbuf *b = malloc(sizeof *b);
	if (!b)
		return NULL;
	pthread_mutex_init(&b->mu, NULL);
	b->len = 0;
	pthread_mutex_lock(&reg_mu);
	if (!running || atomic_load(&generation) != g) {
		pthread_mutex_unlock(&reg_mu);
		pthread_mutex_destroy(&b->mu);
		free(b);
		return NULL;
	}
	b->next = reg;
	reg = b;
	pthread_mutex_unlock(&reg_mu);
	mine = b;
	mine_gen = g;
	return b;
}

/* Before an unbuffered line: this thread's earlier lines go first. */
static void flush_mine(void)
{
	if (!mine || mine_gen != atomic_load(&generation) || !atomic_load(&buffering))
		return;
	pthread_mutex_lock(&mine->mu);
	if (mine->len)
		flush_locked(mine);
	pthread_mutex_unlock(&mine->mu);
}

void log_buffered(const char *line, size_t len)
{
	if (quiet_info)
		return;
	if (len > LINE_MAX_BUFFERED)
		len = LINE_MAX_BUFFERED;
	struct tbuf *b = my_buffer();
	if (!b) {
		struct iovec iov[2] = {{(void *)line, len}, {(void *)"\n", 1}};
		ssize_t w = writev(STDERR_FILENO, iov, 2);
		if (w >= 0 && (size_t)w < len + 1) { /* short write: the rest in order */
			size_t done = (size_t)w;
			if (done < len)
				write_all(line + done, len - done);
			write_all("\n", 1);
		}
		return;
	}
	pthread_mutex_lock(&b->mu);
	if (b->len + len + 1 > TBUF_SIZE)
		flush_locked(b);
	memcpy(b->data + b->len, line, len);
	b->data[b->len + len] = '\n';
	b->len += len + 1;
	pthread_mutex_unlock(&b->mu);
}

static void flush_all_locked(void)
{
	for (struct tbuf *b = reg; b; b = b->next) {
		pthread_mutex_lock(&b->mu);
		if (b->len)
			flush_locked(b);
		pthread_mutex_unlock(&b->mu);
	}
}

void log_flush(void)
{
	pthread_mutex_lock(&reg_mu);
	flush_all_locked();
	pthread_mutex_unlock(&reg_mu);
}

static void *flush_loop(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&reg_mu);
	while (!stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += interval / 1000;
		ts.tv_nsec += (long)(interval % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&reg_cv, &reg_mu, &ts);
		flush_all_locked();
	}
	pthread_mutex_unlock(&reg_mu);
	return NULL;
}

bool log_buffer_start(unsigned interval_ms)
{
	pthread_mutex_lock(&reg_mu);
	if (running) {
		users++;
		pthread_mutex_unlock(&reg_mu);
		return true;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&reg_cv, &ca);
	pthread_condattr_destroy(&ca);
	interval = interval_ms ? interval_ms : 1000;
	stopping = false;
	if (pthread_create(&flusher, NULL, flush_loop, NULL) != 0) {
		pthread_cond_destroy(&reg_cv);
		pthread_mutex_unlock(&reg_mu);
		return false;
	}
	running = true;
	users = 1;
	atomic_fetch_add(&generation, 1);
	atomic_store(&buffering, true);
	pthread_mutex_unlock(&reg_mu);
	return true;
}

void log_buffer_stop(void)
{
	pthread_mutex_lock(&reg_mu);
	if (!running) {
		pthread_mutex_unlock(&reg_mu);
		return;
	}
	if (--users > 0) { /* another user's threads still write */
		flush_all_locked();
		pthread_mutex_unlock(&reg_mu);
		return;
	}
	stopping = true;
	pthread_cond_signal(&reg_cv);
	pthread_mutex_unlock(&reg_mu);
	pthread_join(flusher, NULL);
	pthread_mutex_lock(&reg_mu);
	atomic_store(&buffering, false);
	atomic_fetch_add(&generation, 1);
	running = false;
	flush_all_locked();
	struct tbuf *b = reg, *next;
	reg = NULL;
	for (; b; b = next) {
		next = b->next;
		pthread_mutex_destroy(&b->mu);
		free(b);
	}
	pthread_cond_destroy(&reg_cv);
	pthread_mutex_unlock(&reg_mu);
}

/* ---- unbuffered lines ------------------------------------------------ */

static void emit(const char *level, const char *fmt, va_list ap)
{
	char line[2200];
	size_t n = log_prefix(line, level);
	int m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	if (m < 0)
		return;
	size_t len = n + ((size_t)m < sizeof line - n - 1 ? (size_t)m : sizeof line - n - 2);
	line[len++] = '\n';
	flush_mine();
	write_all(line, len);
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
