/* cache.h - rendered responses kept in memory, purged by what they show.
 *
 * An entry is a complete response (identity body plus gzip and brotli
 * bodies compressed once, validators, headers) stored under the request
 * path. It is stored with its identity body and the coding the request
 * that rendered it takes, if any; the other compressed body is made the
 * first time a client takes it and attached to the entry (cache_attach),
 * so a coding no client asks for is never made. It lists the dependency keys it was
 * built from (cache_dep("post:%d", id), "list:home", "settings", ...); a
 * change purges every entry that depends on any key it touches.
 * site/deps.h says which keys pages declare and site/purge.c which keys
 * each kind of change touches.
 *
 * An index from each dependency key to the entries that list it makes a
 * purge cost what it removes: a lookup per key, then one step per purged
 * entry (and per key of it, to take it out of the index); entries that do
 * not depend on the keys are never visited.
 *
 * Size is capped in bytes, least recently used out first. A request notes
 * cache_epoch() when it starts; an entry rendered by a request that began
 * before some purge is refused (it may hold what the purge removed).
 *
 * `native` slots belong to the server (http/server.c keeps a ready-made
 * libmicrohttpd response per encoding there); the cache calls free_native
 * on each when the last reference to a removed entry goes.
 * Thread-safe; one lock, held only for lookups and list updates. */
#ifndef GAZETTE_HTTP_CACHE_H
#define GAZETTE_HTTP_CACHE_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/compress.h"

struct cache;
struct cache_link;

struct cache_entry {
	char *key;
	size_t len[ENC__MAX]; /* of each coding's body; set before its native */
	/* the identity body the compressed ones are made from: the server's
	 * identity response owns it, so it lives as long as native[ENC_IDENTITY]
	 * (and as long as a connection still sends it) */
	const char *plain;
	/* the server's ready response per coding; a compressed one is NULL
	 * until made (cache_attach), read by other threads meanwhile */
	void *_Atomic native[ENC__MAX];
	_Atomic unsigned unwanted; /* 1 << coding: tried, not smaller (or no memory) */
	char *etag;           /* quoted strong validator of the identity body */
	int64_t last_modified;
	int64_t expires;      /* cache_deadline() after which it is dropped; 0 = never */
	uint64_t *deps;
	size_t ndeps;
	/* private to cache.c */
	struct cache_link *links; /* one per distinct dep, in the index */
	size_t nlinks;
	size_t bytes;
	unsigned refs;
	bool linked;
	struct cache_entry *hnext, *prev, *next;
};

struct cache_stats {
	uint64_t hits, misses, inserts, refused, purged, evicted, expired;
	uint64_t purge_steps; /* index links followed by cache_purge, in all */
	size_t entries, bytes, max_bytes;
	size_t dep_keys;      /* distinct dependency keys in the index */
};

struct cache *cache_new(size_t max_bytes, void (*free_native)(void *native));
void cache_free(struct cache *c);

/* Hash of a formatted dependency name ("post:12"). */
uint64_t cache_dep(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same hash for "kind:id", without formatting. */
uint64_t cache_dep_id(const char *kind, int64_t id);

uint64_t cache_epoch(struct cache *c);
/* The expires value for an entry that may be served for ttl seconds (0:
 * until purged). */
int64_t cache_deadline(int64_t ttl);
/* The entry for key with a reference taken, or NULL (counted as a miss). */
struct cache_entry *cache_get(struct cache *c, const char *key);
void cache_release(struct cache *c, struct cache_entry *e);

/* A new empty entry owning a copy of key; the caller fills it. */
struct cache_entry *cache_entry_new(const char *key);
/* Attach a compressed coding's ready response (len body bytes) to e, which
 * the caller holds: true when it is kept, false when e has one already (a
 * request made it first: the caller frees its own). Counted in the size
 * cap, evicting other entries as cache_insert does. */
bool cache_attach(struct cache *c, struct cache_entry *e, enum encoding enc, void *native,
		  size_t len);

/* Store e (the cache takes it over): false and e freed when a purge
 * happened since `epoch`, or e alone exceeds the cap. Replaces an entry with
 * the same key. */
bool cache_insert(struct cache *c, struct cache_entry *e, uint64_t epoch);

/* Drop every entry depending on any of deps (through the index: entries
 * depending on none of them are not looked at); returns how many. */
size_t cache_purge(struct cache *c, const uint64_t *deps, size_t n);
size_t cache_purge_all(struct cache *c);
struct cache_stats cache_stats(struct cache *c);

#endif
