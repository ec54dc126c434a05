#include "site/purge.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"

#define MAX_KEYS 256

struct keys {
	uint64_t k[MAX_KEYS];
	size_t n;
	bool overflow;
};

static void add(struct keys *ks, uint64_t k)
{
	if (ks->n < MAX_KEYS)
		ks->k[ks->n++] = k;
	else
		ks->overflow = true;
}

/* A category's listing and those of its ancestors (their archives include
 * sub-categories). When the tree cannot be read, everything must go. */
static void add_category_lists(struct store *st, struct arena *a, struct keys *ks, int64_t id)
{
	for (int depth = 0; id && depth < 32; depth++) {
		add(ks, cache_dep("list:cat:%lld", (long long)id));
		struct category c;
		enum err rc = STORE_CALL(st, category_get, a, id, &c);
		if (rc != ERR_OK) {
			if (rc != ERR_NOTFOUND) /* gone: its page is gone too */
				ks->overflow = true;
			break;
		}
		id = c.parent_id;
	}
}

static size_t purge_post(struct store *st, struct cache *c, const struct change *ch)
{
	struct keys ks = {.n = 0};
	add(&ks, cache_dep("post:%lld", (long long)ch->object_id));
	bool pub = false;
	const char *d = ch->detail ? ch->detail : "";
	/* First pass: flags. */
	for (const char *p = d; *p;) {
		size_t n = strcspn(p, " ");
		if ((n == 3 && strncmp(p, "nav", 3) == 0) || (n == 3 && strncmp(p, "all", 3) == 0))
			return cache_purge_all(c); /* the menu is on every page */
		if (n == 3 && strncmp(p, "pub", 3) == 0)
			pub = true;
		p += n;
		p += strspn(p, " ");
	}
	if (pub) {
		struct arena a;
		arena_init(&a, 1 << 20);
		add(&ks, cache_dep("list:home"));
		add(&ks, cache_dep("list:search"));
		for (const char *p = d; *p;) {
			size_t n = strcspn(p, " ");
			char tok[32];
			int64_t v;
			if (n > 1 && n < sizeof tok) {
				memcpy(tok, p + 1, n - 1);
				tok[n - 1] = '\0';
				if (str_to_i64(tok, 0, INT64_MAX, &v)) {
					struct date_parts dp;
					switch (p[0]) {
					case 'c': add_category_lists(st, &a, &ks, v); break;
					case 't': add(&ks, cache_dep("list:tag:%lld", (long long)v)); break;
					case 'a':
						add(&ks, cache_dep("list:author:%lld", (long long)v));
						break;
					case 'd':
						time_local(v, &dp);
						add(&ks, cache_dep("list:year:%04d", dp.year));
						add(&ks, cache_dep("list:month:%04d-%02d", dp.year, dp.month));
						break;
					}
				}
			}
			p += n;
			p += strspn(p, " ");
		}
		arena_free(&a);
	}
	if (ks.overflow)
		return cache_purge_all(c);
	return cache_purge(c, ks.k, ks.n);
}

size_t site_purge(struct store *st, struct cache *c, const struct change *ch)
{
	if (!c)
		return 0;
	const char *kind = ch->kind ? ch->kind : "";
	if (strcmp(kind, "post") == 0)
		return purge_post(st, c, ch);
	/* tag and author names are searched, so results may change too */
	if (strcmp(kind, "tag") == 0) { /* list:tags: the tags sitemap shows slugs */
		uint64_t k[3] = {cache_dep("tag:%lld", (long long)ch->object_id),
				 cache_dep("list:search"), cache_dep("list:tags")};
		return cache_purge(c, k, 3);
	}
	if (strcmp(kind, "user") == 0) {
		uint64_t k[2] = {cache_dep("user:%lld", (long long)ch->object_id),
				 cache_dep("list:search")};
		return cache_purge(c, k, 2);
	}
	if (strcmp(kind, "related") == 0) {
		uint64_t k = cache_dep("related:%lld", (long long)ch->object_id);
		return cache_purge(c, &k, 1);
	}
	if (strcmp(kind, "comment") == 0) {
		/* "post:ID pub": an approved comment came or went, so the article
		 * and every listing showing its count change; else (held, spam)
		 * no public page shows it. */
		const char *d = ch->detail ? ch->detail : "";
		int64_t post = 0;
		char num[24];
		size_t n = strncmp(d, "post:", 5) == 0 ? strcspn(d + 5, " ") : 0;
		if (!n || n >= sizeof num)
			return cache_purge_all(c); /* not understood: be safe */
		memcpy(num, d + 5, n);
		num[n] = '\0';
		if (!str_to_i64(num, 1, INT64_MAX, &post))
			return cache_purge_all(c);
		if (strcmp(d + 5 + n, " pub") != 0)
			return 0;
		uint64_t k[2] = {cache_dep("post:%lld", (long long)post), cache_dep("comments:all")};
		return cache_purge(c, k, 2);
	}
	if (strcmp(kind, "media") == 0 && str_eq(ch->detail, "add"))
		return 0; /* a new upload: no page shows it yet */
	if (strcmp(kind, "revision") == 0)
		return 0; /* history: no public page shows it */
	if (strcmp(kind, "redirect") == 0)
		return 0; /* redirects answer only where no page is; 404s are not cached */
	/* settings, categories (the menu, breadcrumbs, archive titles) and
	 * anything this version does not know: everything may show it. */
	return cache_purge_all(c);
}
