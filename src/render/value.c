#include "render/value.h"

#include <stdint.h>
#include <string.h>

/* Zeroed by the assignment, not by a memset call. */
static struct tval *mk(struct arena *a, enum tval_kind k)
{
	struct tval *v = arena_alloc(a, sizeof *v);
	if (v)
		*v = (struct tval){.kind = k};
	return v;
}

struct tval *tval_null(struct arena *a)
{
	return mk(a, TV_NULL);
}

struct tval *tval_bool(struct arena *a, bool b)
{
	struct tval *v = mk(a, TV_BOOL);
	if (v)
		v->u.b = b;
	return v;
}

struct tval *tval_int(struct arena *a, int64_t i)
{
	struct tval *v = mk(a, TV_INT);
	if (v)
		v->u.i = i;
	return v;
}

/* A copy goes in the same allocation, just after the node (whose size keeps
 * any alignment); an empty one needs none. */
static struct tval *text(struct arena *a, enum tval_kind k, const char *s, size_t n, bool copy)
{
	if (!s || n == 0) {
		s = "";
		n = 0;
		copy = false;
	}
	if (copy && n > SIZE_MAX / 2)
		return NULL;
	struct tval *v = arena_alloc(a, sizeof *v + (copy ? n + 1 : 0));
	if (!v)
		return NULL;
	*v = (struct tval){.kind = k};
	if (copy) {
		char *p = (char *)(v + 1);
		memcpy(p, s, n);
		p[n] = '\0';
		s = p;
	}
	v->u.s.p = s;
	v->u.s.len = n;
	return v;
}

struct tval *tval_str(struct arena *a, const char *s)
{
	return text(a, TV_STR, s, s ? strlen(s) : 0, true);
}

struct tval *tval_strn(struct arena *a, const char *s, size_t n)
{
	return text(a, TV_STR, s, n, true);
}

struct tval *tval_str_ref(struct arena *a, const char *s)
{
	return text(a, TV_STR, s, s ? strlen(s) : 0, false);
}

struct tval *tval_html(struct arena *a, const char *html)
{
	return text(a, TV_HTML, html, html ? strlen(html) : 0, true);
}

struct tval *tval_html_ref(struct arena *a, const char *html)
{
	return text(a, TV_HTML, html, html ? strlen(html) : 0, false);
}

struct tval *tval_list(struct arena *a)
{
	return mk(a, TV_LIST);
}

struct tval *tval_map(struct arena *a)
{
	return mk(a, TV_MAP);
}

bool tval_push(struct arena *a, struct tval *list, struct tval *v)
{
	if (!list || !v || list->kind != TV_LIST)
		return false;
	if (list->u.list.n == list->u.list.cap) {
		size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 8;
		struct tval **p = arena_realloc(a, list->u.list.items,
						list->u.list.cap * sizeof *p, cap * sizeof *p);
		if (!p)
			return false;
		list->u.list.items = p;
		list->u.list.cap = cap;
	}
	list->u.list.items[list->u.list.n++] = v;
	return true;
}

/* Out of line: tval_put then needs no saved registers. */
static __attribute__((noinline)) bool grow(struct arena *a, struct tval *map)
{
	if (map->u.map.cap > UINT32_MAX / 2)
		return false;
	uint32_t cap = map->u.map.cap ? map->u.map.cap * 2 : 8;
	struct tval_kv *p = arena_realloc(a, map->u.map.kv, map->u.map.cap * sizeof *p,
					  cap * sizeof *p);
	if (!p)
		return false;
	map->u.map.kv = p;
	map->u.map.cap = cap;
	return true;
}

bool tval_put(struct arena *a, struct tval *map, const char *key, uint64_t head,
	      struct tval *v)
{
	if (!map || !key || !v || map->kind != TV_MAP)
		return false;
	/* no search for an older entry of the key: readers look newest first */
	if (map->u.map.n == map->u.map.cap && !grow(a, map))
		return false;
	map->u.map.kv[map->u.map.n++] = (struct tval_kv){key, v, head};
	map->u.map.bloom |= tval_key_bit(head);
	return true;
}

const struct tval *tval_get(const struct tval *map, const char *key, size_t keylen)
{
	if (!map || map->kind != TV_MAP)
		return NULL;
	uint64_t head = tval_key_head(key, keylen);
	if (!(map->u.map.bloom & tval_key_bit(head)))
		return NULL;
	for (size_t i = map->u.map.n; i-- > 0;) {
		const struct tval_kv *kv = &map->u.map.kv[i];
		if (tval_key_eq(kv->key, kv->head, key, keylen, head))
			return kv->val;
	}
	return NULL;
}
