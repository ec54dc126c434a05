/* sqlite_tax.c - categories (a tree with materialised paths) and tags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "store/sqlite_int.h"

static void row_cat(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct category *c = out;
	c->id = sqlite3_column_int64(s, 0);
	c->parent_id = sqlite3_column_int64(s, 1);
	c->slug = col_text(a, s, 2);
	c->name = col_text(a, s, 3);
	c->description = col_text(a, s, 4);
	c->path = col_text(a, s, 5);
	c->post_count = sqlite3_column_int64(s, 6);
}

static void row_tag(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct tag *t = out;
	t->id = sqlite3_column_int64(s, 0);
	t->slug = col_text(a, s, 1);
	t->name = col_text(a, s, 2);
	t->post_count = sqlite3_column_int64(s, 3);
}

/* Recompute every category's path from the tree. A category not reachable
 * from a root (a cycle) makes the whole change invalid. */
static enum err rewrite_paths(struct store *st, struct conn *c)
{
	struct arena a;
	arena_init(&a, 0);
	enum err rc = ERR_OK;
	int64_t total = 0, seen = 0;
	sqlite3_stmt *cnt = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM categories", -1, &cnt, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(cnt) == SQLITE_ROW)
		total = sqlite3_column_int64(cnt, 0);
	sqlite3_finalize(cnt);
	sqlite3_stmt *s = stmt(st, c, S_CAT_ALL_IDS);
	if (!s)
		return ERR_DB;
	struct {
		int64_t id;
		const char *path;
	} *rows = NULL;
	size_t n = 0, cap = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			rows = arena_realloc(&a, rows, cap * sizeof *rows, nc * sizeof *rows);
			if (!rows) {
				rc = ERR_NOMEM;
				break;
			}
			cap = nc;
		}
		rows[n].id = sqlite3_column_int64(s, 0);
		rows[n].path = col_text(&a, s, 1);
		n++;
	}
	sqlite3_reset(s);
	seen = (int64_t)n;
	if (rc == ERR_OK && seen != total)
		rc = ERR_INVALID; /* a cycle or a dangling parent */
	/* Two passes avoid transient UNIQUE(path) clashes: park, then set. */
	for (int pass = 0; pass < 2 && rc == ERR_OK; pass++) {
		for (size_t i = 0; i < n && rc == ERR_OK; i++) {
			sqlite3_stmt *u = stmt(st, c, S_CAT_SET_PATH);
			if (!u) {
				rc = ERR_DB;
				break;
			}
			sqlite3_bind_int64(u, 1, rows[i].id);
			char park[32];
			if (pass == 0) {
				snprintf(park, sizeof park, "\x01%lld", (long long)rows[i].id);
				sqlite3_bind_text(u, 2, park, -1, SQLITE_TRANSIENT);
			} else {
				sqlite3_bind_text(u, 2, rows[i].path, -1, SQLITE_STATIC);
			}
			rc = sq_exec(st, c, u);
		}
	}
	arena_free(&a);
	return rc;
}

enum err sqt_category_add(struct store *st, const struct category *cat, int64_t *id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK) {
		sqlite3_stmt *s = stmt(st, c, S_CAT_ADD);
		if (s) {
			sqlite3_bind_int64(s, 1, cat->parent_id);
			sqlite3_bind_text(s, 2, cat->slug, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 3, cat->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, cat->description ? cat->description : "", -1,
					  SQLITE_STATIC);
		}
		rc = sq_exec(st, c, s);
		int64_t nid = sqlite3_last_insert_rowid(c->db);
		if (rc == ERR_OK)
			rc = rewrite_paths(st, c);
		if (rc == ERR_OK)
			rc = sq_change(st, c, "category", nid, "");
		rc = sq_end(st, c, rc);
		if (rc == ERR_OK && id)
			*id = nid;
	}
	conn_put(st, c);
	return rc;
}

enum err sqt_category_get(struct store *st, struct arena *a, int64_t id, struct category *out)
{
	return sq_one(st, a, S_CAT_GET, SQ_ARGS(SQ_I(id)), row_cat, out);
}

enum err sqt_category_by_path(struct store *st, struct arena *a, const char *path,
			      struct category *out)
{
	return sq_one(st, a, S_CAT_BY_PATH, SQ_ARGS(SQ_T(path)), row_cat, out);
}

enum err sqt_category_by_slug(struct store *st, struct arena *a, const char *slug,
			      struct category *out)
{
	return sq_one(st, a, S_CAT_BY_SLUG, SQ_ARGS(SQ_T(slug)), row_cat, out);
}

/* Tree order: by path, with '/' before every other byte (a parent, then
 * its children, then the next sibling) - what ORDER BY replace(path, '/',
 * char(1)) gave, without SQLite's sorter on every page. */
static int cmp_path(const void *x, const void *y)
{
	const unsigned char *p = (const unsigned char *)((const struct category *)x)->path;
	const unsigned char *q = (const unsigned char *)((const struct category *)y)->path;
	if (!p || !q)
		return !p - !q;
	for (;; p++, q++) {
		unsigned c = *p == '/' ? 1 : *p, d = *q == '/' ? 1 : *q;
		if (c != d || !c)
			return (int)c - (int)d;
	}
}

enum err sqt_category_list(struct store *st, struct arena *a, int64_t now,
			   struct category **out, size_t *n)
{
	enum err rc = now > 0 ? sq_all(st, a, S_CAT_LIST, SQ_ARGS(SQ_I(now)), row_cat,
				       sizeof **out, (void **)out, n)
			      : sq_all(st, a, S_CAT_LIST_BARE, NULL, 0, row_cat, sizeof **out,
				       (void **)out, n);
	if (rc == ERR_OK && *n > 1)
		qsort(*out, *n, sizeof **out, cmp_path);
	return rc;
}

enum err sqt_category_update(struct store *st, const struct category *cat)
{
	if (cat->parent_id == cat->id)
		return ERR_INVALID;
	/* not under itself: walk up from the new parent */
	struct arena wa;
	arena_init(&wa, 0);
	int64_t up = cat->parent_id;
	for (int depth = 0; up && depth < 64; depth++) {
		struct category pc;
		enum err prc = sqt_category_get(st, &wa, up, &pc);
		if (prc != ERR_OK || pc.parent_id == cat->id) {
			arena_free(&wa);
			return prc == ERR_OK ? ERR_INVALID : prc;
		}
		up = pc.parent_id;
	}
	arena_free(&wa);
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK) {
		sqlite3_stmt *s = stmt(st, c, S_CAT_UPDATE);
		if (s) {
			sqlite3_bind_int64(s, 1, cat->id);
			sqlite3_bind_int64(s, 2, cat->parent_id);
			sqlite3_bind_text(s, 3, cat->slug, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, cat->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, cat->description ? cat->description : "", -1,
					  SQLITE_STATIC);
		}
		rc = sq_exec(st, c, s);
		if (rc == ERR_OK && sqlite3_changes(c->db) == 0)
			rc = ERR_NOTFOUND;
		if (rc == ERR_OK)
			rc = rewrite_paths(st, c);
		if (rc == ERR_OK) { /* the category's name is in its posts' search text */
			struct arena a;
			arena_init(&a, 0);
			int64_t *ids;
			size_t n;
			rc = sq_ids(st, c, &a, S_FTS_BY_CATEGORY, cat->id, &ids, &n);
			if (rc == ERR_OK)
				rc = sq_index_ids(st, c, ids, n);
			arena_free(&a);
		}
		if (rc == ERR_OK)
			rc = sq_change(st, c, "category", cat->id, "");
		rc = sq_end(st, c, rc);
	}
	conn_put(st, c);
	return rc;
}

/* Remove category id; its posts and sub-categories go to `target` (its
 * parent on delete, another category on merge; 0 = none / top level). */
static enum err remove_category(struct store *st, int64_t id, bool merge, int64_t into)
{
	struct arena a;
	arena_init(&a, 0);
	struct category cat;
	enum err rc = sqt_category_get(st, &a, id, &cat);
	if (rc == ERR_OK && merge) { /* not into itself or its own subtree */
		struct category tgt;
		rc = sqt_category_get(st, &a, into, &tgt);
		size_t n = strlen(cat.path);
		bool inside = rc == ERR_OK && strncmp(tgt.path, cat.path, n) == 0 &&
			      (tgt.path[n] == '/' || tgt.path[n] == '\0');
		if (rc == ERR_OK && (into == id || inside))
			rc = ERR_INVALID;
	}
	arena_free(&a);
	if (rc != ERR_OK)
		return rc;
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	int64_t *ids = NULL;
	size_t nids = 0;
	arena_init(&a, 0);
	rc = sq_begin(st, c);
	if (rc == ERR_OK) /* its posts move to the parent: new search text */
		rc = sq_ids(st, c, &a, S_FTS_BY_CATEGORY, id, &ids, &nids);
	if (rc == ERR_OK) {
		enum stmt steps[] = {S_CAT_REPARENT_CHILDREN, S_CAT_MOVE_POSTS};
		for (size_t i = 0; i < 2 && rc == ERR_OK; i++) {
			sqlite3_stmt *s = stmt(st, c, steps[i]);
			if (s) {
				sqlite3_bind_int64(s, 1, id);
				sqlite3_bind_int64(s, 2, merge ? into : cat.parent_id);
			}
			rc = sq_exec(st, c, s);
		}
		if (rc == ERR_OK) {
			sqlite3_stmt *s = stmt(st, c, S_CAT_DELETE);
			if (s)
				sqlite3_bind_int64(s, 1, id);
			rc = sq_exec(st, c, s);
		}
		if (rc == ERR_OK)
			rc = rewrite_paths(st, c);
		if (rc == ERR_OK)
			rc = sq_index_ids(st, c, ids, nids);
		if (rc == ERR_OK)
			rc = sq_change(st, c, "category", id, merge ? "merged" : "deleted");
	}
	rc = sq_end(st, c, rc);
	arena_free(&a);
	conn_put(st, c);
	return rc;
}

enum err sqt_category_delete(struct store *st, int64_t id)
{
	return remove_category(st, id, false, 0);
}

enum err sqt_category_merge(struct store *st, int64_t from, int64_t into)
{
	return remove_category(st, from, true, into);
}

enum err sqt_tag_merge(struct store *st, int64_t from, int64_t into)
{
	if (from == into)
		return ERR_INVALID;
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL;
	size_t nids = 0;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK)
		rc = sq_ids(st, c, &a, S_FTS_BY_TAG, from, &ids, &nids);
	const enum stmt steps[] = {S_TAG_RELINK, S_TAG_DELETE};
	for (size_t i = 0; rc == ERR_OK && i < 2; i++) {
		sqlite3_stmt *s = stmt(st, c, steps[i]);
		if (s) {
			sqlite3_bind_int64(s, 1, from);
			if (i == 0)
				sqlite3_bind_int64(s, 2, into);
		}
		rc = sq_exec(st, c, s);
		if (rc == ERR_OK && i == 1 && sqlite3_changes(c->db) == 0)
			rc = ERR_NOTFOUND;
	}
	if (rc == ERR_OK)
		rc = sq_index_ids(st, c, ids, nids);
	if (rc == ERR_OK)
		rc = sq_change(st, c, "tag", from, "merged");
	if (rc == ERR_OK)
		rc = sq_change(st, c, "tag", into, "");
	rc = sq_end(st, c, rc);
	arena_free(&a);
	conn_put(st, c);
	return rc;
}

enum err sqt_tag_by_slug(struct store *st, struct arena *a, const char *slug, struct tag *out)
{
	return sq_one(st, a, S_TAG_BY_SLUG, SQ_ARGS(SQ_T(slug), SQ_I(INT64_MAX)), row_tag, out);
}

enum err sqt_tag_list(struct store *st, struct arena *a, int64_t now, struct tag **out,
		      size_t *n)
{
	return sq_all(st, a, S_TAG_LIST, SQ_ARGS(SQ_I(now)), row_tag, sizeof **out, (void **)out,
		      n);
}

/* By name as ORDER BY would (bytewise, which is BINARY collation), then id. */
static int tag_by_name(const void *x, const void *y)
{
	const struct tag *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->id > b->id) - (a->id < b->id);
}

enum err sqt_post_tags(struct store *st, struct arena *a, int64_t post_id, struct tag **out,
		       size_t *n)
{
	enum err rc = sq_all(st, a, S_POST_TAGS, SQ_ARGS(SQ_I(post_id)), row_tag, sizeof **out,
			     (void **)out, n);
	if (rc == ERR_OK && *n > 1)
		qsort(*out, *n, sizeof **out, tag_by_name);
	return rc;
}

enum err sqt_tag_update(struct store *st, int64_t id, const char *name, const char *slug)
{
	return sq_write_reindex(st, S_TAG_UPDATE, SQ_ARGS(SQ_I(id), SQ_T(name), SQ_T(slug)),
			   S_FTS_BY_TAG, id, "tag", id, "", true);
}

enum err sqt_tag_delete(struct store *st, int64_t id)
{
	return sq_write_reindex(st, S_TAG_DELETE, SQ_ARGS(SQ_I(id)), S_FTS_BY_TAG, id, "tag", id,
			   "deleted", true);
}

enum err sqt_link_tags(struct store *st, struct conn *c, int64_t post_id,
		       const char *const *names, size_t n)
{
	struct arena a;
	arena_init(&a, 1 << 20);
	enum err rc = ERR_OK;
	for (size_t i = 0; i < n && rc == ERR_OK; i++) {
		const char *slug = str_slugify(&a, names[i]);
		if (!slug) {
			rc = ERR_NOMEM;
			break;
		}
		if (!*slug)
			continue; /* a tag of punctuation only: nothing to link */
		int64_t tid = 0;
		sqlite3_stmt *s = stmt(st, c, S_TAG_BY_NAME);
		if (!s) {
			rc = ERR_DB;
			break;
		}
		sqlite3_bind_text(s, 1, slug, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			tid = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (!tid) {
			s = stmt(st, c, S_TAG_ADD);
			if (s) {
				sqlite3_bind_text(s, 1, slug, -1, SQLITE_STATIC);
				sqlite3_bind_text(s, 2, names[i], -1, SQLITE_STATIC);
			}
			rc = sq_exec(st, c, s);
			tid = sqlite3_last_insert_rowid(c->db);
			if (rc == ERR_OK)
				rc = sq_change(st, c, "tag", tid, "");
		}
		if (rc != ERR_OK)
			break;
		s = stmt(st, c, S_POST_TAG_LINK);
		if (s) {
			sqlite3_bind_int64(s, 1, post_id);
			sqlite3_bind_int64(s, 2, tid);
		}
		rc = sq_exec(st, c, s);
	}
	arena_free(&a);
	return rc;
}
