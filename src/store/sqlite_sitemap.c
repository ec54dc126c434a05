/* sqlite_sitemap.c - the reads sitemaps need: public posts streamed row by
 * row (no arena, so 50,000 rows cost a few hundred bytes), their chunks'
 * newest changes, and the newest change per category, tag and author. */
#include <string.h>

#include "store/sqlite_int.h"

struct each_public {
	enum post_type type;
	post_each_fn each;
	void *ud;
	bool nomem;
};

static bool each_public_row(void *ud, sqlite3_stmt *s)
{
	struct each_public *x = ud;
	struct post p = {0};
	p.id = sqlite3_column_int64(s, 0);
	p.type = x->type;
	p.status = POST_PUBLISHED;
	p.slug = (const char *)sqlite3_column_text(s, 1);
	p.published_at = sqlite3_column_int64(s, 2);
	p.updated_at = sqlite3_column_int64(s, 3);
	p.parent_id = sqlite3_column_int64(s, 4);
	p.category_path = (const char *)sqlite3_column_text(s, 5);
	if (!p.slug) {
		x->nomem = true;
		return false;
	}
	x->each(x->ud, &p);
	return true;
}

enum err sqm_post_each_public(struct store *st, enum post_type type, int64_t now,
			      int64_t offset, int64_t limit, post_each_fn each, void *ud)
{
	struct each_public x = {type, each, ud, false};
	enum err rc = sq_each(st, S_SITEMAP_EACH,
			      SQ_ARGS(SQ_T(post_type_name(type)), SQ_I(now),
				      SQ_I(limit > 0 ? limit : -1), SQ_I(offset > 0 ? offset : 0)),
			      each_public_row, &x);
	return rc == ERR_OK && x.nomem ? ERR_NOMEM : rc;
}

/* Row k (from 0) is URL lead + k, in chunk (lead + k) / size; each chunk
 * keeps its newest change, and chunks before the first row's hold only
 * the lead URLs (0 here). */
struct chunks {
	struct arena *a;
	int64_t size, lead, k;
	int64_t *out;
	size_t cap, total;
	bool nomem;
};

static bool chunk_row(void *ud, sqlite3_stmt *s)
{
	struct chunks *x = ud;
	size_t at = (size_t)((x->lead + x->k++) / x->size);
	if (at >= x->cap) {
		size_t nc = x->cap ? x->cap * 2 : 16;
		while (nc <= at)
			nc *= 2;
		int64_t *g = arena_realloc(x->a, x->out, x->cap * sizeof *g, nc * sizeof *g);
		if (!g) {
			x->nomem = true;
			return false;
		}
		memset(g + x->cap, 0, (nc - x->cap) * sizeof *g);
		x->out = g;
		x->cap = nc;
	}
	int64_t m = sqlite3_column_int64(s, 0);
	if (m > x->out[at])
		x->out[at] = m;
	x->total = at + 1;
	return true;
}

enum err sqm_post_chunks(struct store *st, struct arena *a, enum post_type type, int64_t now,
			 int64_t size, int64_t lead, int64_t **lastmod, size_t *n)
{
	*lastmod = NULL;
	*n = 0;
	if (size < 1 || lead < 0)
		return ERR_INVALID;
	struct chunks x = {.a = a, .size = size, .lead = lead};
	enum err rc = sq_each(st, S_SITEMAP_CHUNKS, SQ_ARGS(SQ_T(post_type_name(type)), SQ_I(now)),
			      chunk_row, &x);
	if (rc == ERR_OK && x.nomem)
		rc = ERR_NOMEM;
	if (rc != ERR_OK)
		return rc;
	*lastmod = x.total ? x.out : NULL;
	*n = x.total;
	return ERR_OK;
}

static void row_term(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct term_mod *t = out;
	t->id = sqlite3_column_int64(s, 0);
	t->parent_id = sqlite3_column_int64(s, 1);
	t->key = col_text(a, s, 2);
	t->lastmod = sqlite3_column_int64(s, 3);
}

enum err sqm_term_lastmods(struct store *st, struct arena *a, enum term_kind kind, int64_t now,
			   struct term_mod **out, size_t *n)
{
	static const enum stmt which[TERM_KIND__MAX] = {
		[TERM_CATEGORY] = S_TERM_CATEGORIES,
		[TERM_TAG] = S_TERM_TAGS,
		[TERM_AUTHOR] = S_TERM_AUTHORS,
	};
	if ((unsigned)kind >= TERM_KIND__MAX)
		return ERR_INVALID;
	return sq_all(st, a, which[kind], SQ_ARGS(SQ_I(now)), row_term, sizeof **out,
		      (void **)out, n);
}
