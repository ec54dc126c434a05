/* sqlite_sitemap.c - the reads sitemaps need: public posts streamed row by
 * row (no arena, so 50,000 rows cost a few hundred bytes), their chunks'
 * newest changes, and the newest change per category, tag and author. */
#include <string.h>

#include "store/sqlite_int.h"

enum err sqm_post_each_public(struct store *st, enum post_type type, int64_t now,
			      int64_t offset, int64_t limit, post_each_fn each, void *ud)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, S_SITEMAP_EACH);
	if (!s) {
		conn_put(st, c);
		return ERR_DB;
	}
	sq_bind(s, SQ_ARGS(SQ_T(post_type_name(type)), SQ_I(now), SQ_I(limit > 0 ? limit : -1),
			   SQ_I(offset > 0 ? offset : 0)));
	enum err rc = ERR_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct post p = {0};
		p.id = sqlite3_column_int64(s, 0);
		p.type = type;
		p.status = POST_PUBLISHED;
		p.slug = (const char *)sqlite3_column_text(s, 1);
		p.published_at = sqlite3_column_int64(s, 2);
		p.updated_at = sqlite3_column_int64(s, 3);
		p.parent_id = sqlite3_column_int64(s, 4);
		p.category_path = (const char *)sqlite3_column_text(s, 5);
		if (!p.slug) {
			rc = ERR_NOMEM;
			break;
		}
		each(ud, &p);
	}
	if (rc == ERR_OK && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = sq_err(st, c, r);
	sqlite3_reset(s);
	conn_put(st, c);
	return rc;
}

enum err sqm_post_chunks(struct store *st, struct arena *a, enum post_type type, int64_t now,
			 int64_t size, int64_t lead, int64_t **lastmod, size_t *n)
{
	*lastmod = NULL;
	*n = 0;
	if (size < 1 || lead < 0)
		return ERR_INVALID;
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, S_SITEMAP_CHUNKS);
	if (!s) {
		conn_put(st, c);
		return ERR_DB;
	}
	sq_bind(s, SQ_ARGS(SQ_T(post_type_name(type)), SQ_I(now)));
	/* Row k (from 0) is URL lead + k, in chunk (lead + k) / size; chunks
	 * before the first row's hold only the lead URLs (0 here). */
	int64_t *out = NULL;
	size_t cap = 0, total = 0;
	int64_t k = 0;
	enum err rc = ERR_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		size_t at = (size_t)((lead + k++) / size);
		if (at >= cap) {
			size_t nc = cap ? cap * 2 : 16;
			while (nc <= at)
				nc *= 2;
			int64_t *g = arena_realloc(a, out, cap * sizeof *out, nc * sizeof *out);
			if (!g) {
				rc = ERR_NOMEM;
				break;
			}
			memset(g + cap, 0, (nc - cap) * sizeof *g);
			out = g;
			cap = nc;
		}
		int64_t m = sqlite3_column_int64(s, 0);
		if (m > out[at])
			out[at] = m;
		total = at + 1;
	}
	if (rc == ERR_OK && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = sq_err(st, c, r);
	sqlite3_reset(s);
	conn_put(st, c);
	if (rc != ERR_OK)
		return rc;
	*lastmod = total ? out : NULL;
	*n = total;
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
