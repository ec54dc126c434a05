#include "http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define NBUCKETS 4096 /* power of two */

struct cache {
	pthread_mutex_t mu;
	uint64_t seed; /* random per process: bucket positions cannot be precomputed */
	struct cache_entry *buckets[NBUCKETS];
	struct cache_entry *lru_head, *lru_tail; /* head = most recent */
	size_t bytes, max_bytes, entries;
	_Atomic uint64_t epoch;
	struct cache_stats st;
	void (*free_native)(void *native);
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Bucket of a key: a seeded hash with a final mix, so a client cannot
 * choose keys that all land in one chain. */
static size_t bucket(const struct cache *c, const char *key)
{
	uint64_t h = c->seed;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 0x100000001B3ull;
		h ^= h >> 29;
	}
	h ^= c->seed >> 7;
	h *= 0xBF58476D1CE4E5B9ull;
	h ^= h >> 31;
	return (size_t)(h & (NBUCKETS - 1));
}

uint64_t cache_dep(const char *fmt, ...)
{
	char name[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	return hash_str(name);
}

struct cache *cache_new(size_t max_bytes, void (*free_native)(void *native))
{
	struct cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	pthread_mutex_init(&c->mu, NULL);
	if (getrandom(&c->seed, sizeof c->seed, 0) != (ssize_t)sizeof c->seed)
		c->seed = (uint64_t)(uintptr_t)c ^ (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull;
	c->max_bytes = max_bytes;
	c->free_native = free_native;
	return c;
}

static void entry_free(struct cache *c, struct cache_entry *e)
{
	for (int i = 0; i < ENC__MAX; i++) {
		if (e->native[i] && c && c->free_native)
			c->free_native(e->native[i]);
		free(e->body[i]);
	}
	free(e->key);
	free(e->etag);
	free(e->deps);
	free(e);
}

struct cache_entry *cache_entry_new(const char *key)
{
	struct cache_entry *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->key = strdup(key);
	if (!e->key) {
		free(e);
		return NULL;
	}
	return e;
}

/* --- with the lock held ---------------------------------------------------- */

static struct cache_entry **slot(struct cache *c, const char *key)
{
	struct cache_entry **p = &c->buckets[bucket(c, key)];
	while (*p && strcmp((*p)->key, key) != 0)
		p = &(*p)->hnext;
	return p;
}

static void lru_unlink(struct cache *c, struct cache_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(struct cache *c, struct cache_entry *e)
{
	e->prev = NULL;
	e->next = c->lru_head;
	if (c->lru_head)
		c->lru_head->prev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
}

/* Take e out of the table and the LRU list. When nobody holds it, it goes
 * on *dead (through hnext) to be freed once the lock is dropped - freeing
 * thousands of entries under the lock would stall every hit; otherwise the
 * last cache_release frees it. */
static void unlink_entry(struct cache *c, struct cache_entry *e, struct cache_entry **dead)
{
	struct cache_entry **p = slot(c, e->key);
	if (*p == e)
		*p = e->hnext;
	lru_unlink(c, e);
	e->linked = false;
	c->bytes -= e->bytes;
	c->entries--;
	e->hnext = NULL;
	if (e->refs == 0) {
		e->hnext = *dead;
		*dead = e;
	}
}

static void free_dead(struct cache *c, struct cache_entry *dead)
{
	while (dead) {
		struct cache_entry *next = dead->hnext;
		entry_free(c, dead);
		dead = next;
	}
}

/* --------------------------------------------------------------------------- */

void cache_free(struct cache *c)
{
	if (!c)
		return;
	struct cache_entry *dead = NULL;
	while (c->lru_head)
		unlink_entry(c, c->lru_head, &dead);
	free_dead(c, dead);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

uint64_t cache_epoch(struct cache *c)
{
	return atomic_load(&c->epoch);
}

static int64_t mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t cache_deadline(int64_t ttl)
{
	return ttl > 0 ? mono_seconds() + ttl : 0;
}

struct cache_entry *cache_get(struct cache *c, const char *key)
{
	struct cache_entry *dead = NULL;
	pthread_mutex_lock(&c->mu);
	struct cache_entry *e = *slot(c, key);
	if (e && e->expires && mono_seconds() >= e->expires) {
		unlink_entry(c, e, &dead); /* out of date: render it again */
		c->st.expired++;
		e = NULL;
	}
	if (e) {
		e->refs++;
		lru_unlink(c, e);
		lru_push(c, e);
		c->st.hits++;
	} else {
		c->st.misses++;
	}
	pthread_mutex_unlock(&c->mu);
	free_dead(c, dead);
	return e;
}

void cache_release(struct cache *c, struct cache_entry *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&c->mu);
	bool gone = --e->refs == 0 && !e->linked;
	pthread_mutex_unlock(&c->mu);
	if (gone)
		entry_free(c, e);
}

/* What an entry really costs: its bodies, and for each ready response the
 * server keeps, MHD's own structures and header copies (measured: about
 * 1.5 KB with our dozen headers), plus allocator overhead. */
#define NATIVE_OVERHEAD 2048

bool cache_insert(struct cache *c, struct cache_entry *e, uint64_t epoch)
{
	e->bytes = sizeof *e + strlen(e->key) + e->ndeps * sizeof *e->deps + 64;
	for (int i = 0; i < ENC__MAX; i++)
		e->bytes += e->len[i] + (e->native[i] ? NATIVE_OVERHEAD : 0);
	struct cache_entry *dead = NULL;
	pthread_mutex_lock(&c->mu);
	if (atomic_load(&c->epoch) != epoch || e->bytes > c->max_bytes / 4) {
		c->st.refused++;
		pthread_mutex_unlock(&c->mu);
		entry_free(c, e);
		return false;
	}
	struct cache_entry *old = *slot(c, e->key);
	if (old)
		unlink_entry(c, old, &dead);
	while (c->lru_tail && c->bytes + e->bytes > c->max_bytes) {
		unlink_entry(c, c->lru_tail, &dead);
		c->st.evicted++;
	}
	struct cache_entry **p = slot(c, e->key);
	e->hnext = *p;
	*p = e;
	lru_push(c, e);
	e->linked = true;
	e->refs = 0;
	c->bytes += e->bytes;
	c->entries++;
	c->st.inserts++;
	pthread_mutex_unlock(&c->mu);
	free_dead(c, dead);
	return true;
}

size_t cache_purge(struct cache *c, const uint64_t *deps, size_t n)
{
	size_t purged = 0;
	struct cache_entry *dead = NULL;
	pthread_mutex_lock(&c->mu);
	atomic_fetch_add(&c->epoch, 1);
	/* A scan: purges are rare next to reads, and entries are thousands. */
	struct cache_entry *e = c->lru_head, *next;
	for (; e; e = next) {
		next = e->next;
		bool hit = false;
		for (size_t i = 0; i < e->ndeps && !hit; i++)
			for (size_t k = 0; k < n && !hit; k++)
				hit = e->deps[i] == deps[k];
		if (hit) {
			unlink_entry(c, e, &dead);
			purged++;
		}
	}
	c->st.purged += purged;
	pthread_mutex_unlock(&c->mu);
	free_dead(c, dead);
	return purged;
}

size_t cache_purge_all(struct cache *c)
{
	pthread_mutex_lock(&c->mu);
	atomic_fetch_add(&c->epoch, 1);
	size_t n = c->entries;
	struct cache_entry *dead = NULL;
	while (c->lru_head)
		unlink_entry(c, c->lru_head, &dead);
	c->st.purged += n;
	pthread_mutex_unlock(&c->mu);
	free_dead(c, dead);
	return n;
}

struct cache_stats cache_stats(struct cache *c)
{
	pthread_mutex_lock(&c->mu);
	struct cache_stats s = c->st;
	s.entries = c->entries;
	s.bytes = c->bytes;
	s.max_bytes = c->max_bytes;
	pthread_mutex_unlock(&c->mu);
	return s;
}
