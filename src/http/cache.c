#include "http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/str.h"

#define NBUCKETS 4096 /* power of two */
#define DEP_BUCKETS_MIN 1024 /* power of two; the index doubles as keys grow */

/* The dependency index: a node per distinct key, listing (doubly linked)
 * one link per entry that depends on it. A node goes when its last link
 * does. */
struct dep_node {
	uint64_t dep;
	struct cache_link *head;
	struct dep_node *hnext;
};

struct cache_link {
	struct cache_entry *e;
	struct dep_node *node;
	struct cache_link *prev, *next;
};

struct cache {
	pthread_mutex_t mu;
	uint64_t seed; /* random per process: bucket positions cannot be precomputed */
	struct cache_entry *buckets[NBUCKETS];
	struct cache_entry *lru_head, *lru_tail; /* head = most recent */
	struct dep_node **dep_buckets;
	size_t ndep_buckets, ndep_nodes;
	size_t bytes, max_bytes, entries;
	_Atomic uint64_t epoch;
	struct cache_stats st;
	void (*free_native)(void *native);
};

#define FNV_BASIS 1469598103934665603ull

/* FNV-1a, continued from h: a name hashed in pieces hashes the same as
 * the whole name. */
static uint64_t hash_more(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static uint64_t hash_str(const char *s)
{
	return hash_more(FNV_BASIS, s);
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

uint64_t cache_dep_id(const char *kind, int64_t id)
{
	char d[STR_I64_MAX];
	d[str_from_i64(d, id, 0)] = '\0';
	return hash_more(hash_more(hash_more(FNV_BASIS, kind), ":"), d);
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
	c->ndep_buckets = DEP_BUCKETS_MIN;
	c->dep_buckets = calloc(c->ndep_buckets, sizeof *c->dep_buckets);
	if (!c->dep_buckets) {
		pthread_mutex_destroy(&c->mu);
		free(c);
		return NULL;
	}
	return c;
}

static void entry_free(struct cache *c, struct cache_entry *e)
{
	for (int i = 0; i < ENC__MAX; i++)
		if (e->native[i] && c && c->free_native)
			c->free_native(e->native[i]);
	free(e->key);
	free(e->etag);
	free(e->deps);
	free(e->links);
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

static size_t dep_bucket(const struct cache *c, uint64_t dep)
{
	uint64_t h = dep ^ c->seed;
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	return (size_t)(h & (c->ndep_buckets - 1));
}

static struct dep_node **dep_slot(struct cache *c, uint64_t dep)
{
	struct dep_node **p = &c->dep_buckets[dep_bucket(c, dep)];
	while (*p && (*p)->dep != dep)
		p = &(*p)->hnext;
	return p;
}

/* Twice the buckets when keys outnumber them; on failure the chains just
 * get longer. */
static void dep_grow(struct cache *c)
{
	size_t n = c->ndep_buckets * 2;
	struct dep_node **nb = calloc(n, sizeof *nb);
	if (!nb)
		return;
	struct dep_node **old = c->dep_buckets;
	size_t oldn = c->ndep_buckets;
	c->dep_buckets = nb;
	c->ndep_buckets = n;
	for (size_t i = 0; i < oldn; i++) {
		struct dep_node *d = old[i], *next;
		for (; d; d = next) {
			next = d->hnext;
			size_t b = dep_bucket(c, d->dep);
			d->hnext = nb[b];
			nb[b] = d;
		}
	}
	free(old);
}

static void unindex_entry(struct cache *c, struct cache_entry *e);

/* Put e's distinct deps in the index; false (nothing indexed) when out of
 * memory. */
static bool index_entry(struct cache *c, struct cache_entry *e)
{
	for (size_t i = 0; i < e->nlinks; i++) {
		struct cache_link *l = &e->links[i];
		struct dep_node **p = dep_slot(c, e->deps[i]);
		if (!*p) {
			struct dep_node *d = calloc(1, sizeof *d);
			if (!d) {
				unindex_entry(c, e); /* the links made so far */
				return false;
			}
			d->dep = e->deps[i];
			*p = d;
			c->ndep_nodes++;
		}
		l->e = e;
		l->node = *p;
		l->prev = NULL;
		l->next = (*p)->head;
		if (l->next)
			l->next->prev = l;
		(*p)->head = l;
	}
	if (c->ndep_nodes > c->ndep_buckets)
		dep_grow(c);
	return true;
}

static void unindex_entry(struct cache *c, struct cache_entry *e)
{
	for (size_t i = 0; i < e->nlinks; i++) {
		struct cache_link *l = &e->links[i];
		if (!l->node)
			continue;
		if (l->prev)
			l->prev->next = l->next;
		else
			l->node->head = l->next;
		if (l->next)
			l->next->prev = l->prev;
		if (!l->node->head) {
			struct dep_node **p = dep_slot(c, l->node->dep);
			if (*p == l->node)
				*p = l->node->hnext;
			free(l->node);
			c->ndep_nodes--;
		}
		l->node = NULL;
		l->prev = l->next = NULL;
	}
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
	unindex_entry(c, e);
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
	free(c->dep_buckets);
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

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

bool cache_insert(struct cache *c, struct cache_entry *e, uint64_t epoch)
{
	/* distinct deps, each with its link (made outside the lock) */
	if (!e->deps)
		e->ndeps = 0;
	if (e->ndeps) {
		qsort(e->deps, e->ndeps, sizeof *e->deps, cmp_u64);
		size_t n = 1;
		for (size_t i = 1; i < e->ndeps; i++)
			if (e->deps[i] != e->deps[n - 1])
				e->deps[n++] = e->deps[i];
		e->ndeps = n;
		e->links = calloc(n, sizeof *e->links);
		if (!e->links) {
			pthread_mutex_lock(&c->mu);
			c->st.refused++;
			pthread_mutex_unlock(&c->mu);
			entry_free(c, e);
			return false;
		}
		e->nlinks = n;
	}
	e->bytes = sizeof *e + strlen(e->key) + e->ndeps * (sizeof *e->deps + sizeof *e->links) +
		   64;
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
	if (!index_entry(c, e)) {
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

bool cache_attach(struct cache *c, struct cache_entry *e, enum encoding enc, void *native,
		  size_t len)
{
	struct cache_entry *dead = NULL;
	bool kept = false;
	pthread_mutex_lock(&c->mu);
	if (!atomic_load(&e->native[enc])) {
		size_t add = len + NATIVE_OVERHEAD;
		e->len[enc] = len;
		atomic_store(&e->native[enc], native); /* after len: readers test it first */
		e->bytes += add;
		/* (a purged entry is only the caller's now: nothing to count) */
		if (e->linked) {
			c->bytes += add;
			while (c->lru_tail && c->lru_tail != e && c->bytes > c->max_bytes) {
				unlink_entry(c, c->lru_tail, &dead);
				c->st.evicted++;
			}
		}
		kept = true;
	}
	pthread_mutex_unlock(&c->mu);
	free_dead(c, dead);
	return kept;
}

size_t cache_purge(struct cache *c, const uint64_t *deps, size_t n)
{
	size_t purged = 0;
	struct cache_entry *dead = NULL;
	pthread_mutex_lock(&c->mu);
	atomic_fetch_add(&c->epoch, 1);
	/* Through the index: each step removes an entry, which takes its
	 * links (and the node, with its last one) out. */
	for (size_t k = 0; k < n; k++) {
		struct dep_node *d;
		while ((d = *dep_slot(c, deps[k])) != NULL) {
			c->st.purge_steps++;
			unlink_entry(c, d->head->e, &dead);
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
	s.dep_keys = c->ndep_nodes;
	pthread_mutex_unlock(&c->mu);
	return s;
}
