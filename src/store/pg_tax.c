/* pg_tax.c - categories (a tree with materialised paths) and tags in the
 * PostgreSQL backend. Every change to the tree rewrites the paths that
 * changed with one UPDATE in the same transaction (pg_stmt.c). */
#include <string.h>

#include "core/str.h"
#include "store/pg_int.h"

static void row_cat(struct arena *a, const PGresult *r, int row, void *out)
{
	struct category *c = out;
	c->id = pg_int(r, row, 0);
	c->parent_id = pg_int(r, row, 1);
	c->slug = pg_text(a, r, row, 2);
	c->name = pg_text(a, r, row, 3);
	c->description = pg_text(a, r, row, 4);
	c->path = pg_text(a, r, row, 5);
	c->post_count = pg_int(r, row, 6);
}

static void row_tag(struct arena *a, const PGresult *r, int row, void *out)
{
	struct tag *t = out;
	t->id = pg_int(r, row, 0);
	t->slug = pg_text(a, r, row, 1);
	t->name = pg_text(a, r, row, 2);
	t->post_count = pg_int(r, row, 3);
}

/* Recompute the paths from the tree; a category no longer reachable from
 * the top (a cycle) makes the whole change invalid. */
static enum err rewrite_paths(struct store *st, struct pconn *c)
{
	enum err rc;
	PGresult *r = pg_run(st, c, G_CAT_UNREACHABLE, NULL, 0, &rc);
	if (r && PQntuples(r) == 1 && pg_int(r, 0, 0) != 0)
		rc = ERR_INVALID;
	PQclear(r);
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_CAT_SET_PATHS, NULL, 0);
	return rc;
}

/* Re-index the articles `which` selects with key (after a name changed). */
static enum err reindex_by(struct store *st, struct pconn *c, enum pgs which, int64_t key)
{
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids;
	size_t n;
	enum err rc = pg_ids(st, c, &a, which, key, &ids, &n);
	if (rc == ERR_OK)
		rc = pg_index_ids(st, c, ids, n);
	arena_free(&a);
	return rc;
}

enum err pgt_category_add(struct store *st, const struct category *cat, int64_t *id)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	int64_t nid = 0;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK) {
		rc = pg_exec(st, c, G_CAT_ADD,
			     PG_ARGS(PG_I(cat->parent_id), PG_T(cat->slug), PG_T(cat->name),
				     PG_T(cat->description ? cat->description : "")));
		nid = c->last_id;
	}
	if (rc == ERR_OK)
		rc = rewrite_paths(st, c);
	if (rc == ERR_OK)
		rc = pg_change(st, c, "category", nid, "");
	rc = pg_end(st, c, rc);
	if (rc == ERR_OK && id)
		*id = nid;
	pg_conn_put(st, c);
	return rc;
}

enum err pgt_category_get(struct store *st, struct arena *a, int64_t id, struct category *out)
{
	return pg_one(st, a, G_CAT_GET, PG_ARGS(PG_I(id)), row_cat, out);
}

enum err pgt_category_by_path(struct store *st, struct arena *a, const char *path,
			      struct category *out)
{
	return pg_one(st, a, G_CAT_BY_PATH, PG_ARGS(PG_T(path)), row_cat, out);
}

enum err pgt_category_by_slug(struct store *st, struct arena *a, const char *slug,
			      struct category *out)
{
	return pg_one(st, a, G_CAT_BY_SLUG, PG_ARGS(PG_T(slug)), row_cat, out);
}

enum err pgt_category_list(struct store *st, struct arena *a, int64_t now,
			   struct category **out, size_t *n)
{
	if (now > 0)
		return pg_all(st, a, G_CAT_LIST, PG_ARGS(PG_I(now)), row_cat, sizeof **out,
			      (void **)out, n);
	return pg_all(st, a, G_CAT_LIST_BARE, NULL, 0, row_cat, sizeof **out, (void **)out, n);
}

enum err pgt_category_update(struct store *st, const struct category *cat)
{
	if (cat->parent_id == cat->id)
		return ERR_INVALID;
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	/* A move under its own subtree leaves it unreachable: rewrite_paths
	 * refuses that, and the transaction rolls back. */
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK) {
		rc = pg_exec(st, c, G_CAT_UPDATE,
			     PG_ARGS(PG_I(cat->id), PG_I(cat->parent_id), PG_T(cat->slug),
				     PG_T(cat->name),
				     PG_T(cat->description ? cat->description : "")));
		if (rc == ERR_OK && c->changes == 0)
			rc = ERR_NOTFOUND;
	}
	if (rc == ERR_OK)
		rc = rewrite_paths(st, c);
	if (rc == ERR_OK) /* the category's name is in its articles' search text */
		rc = reindex_by(st, c, G_FTS_BY_CATEGORY, cat->id);
	if (rc == ERR_OK)
		rc = pg_change(st, c, "category", cat->id, "");
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}

/* Remove category id; its posts and sub-categories go to its parent (on
 * delete) or to `into` (on merge; not into itself or its own subtree). */
static enum err remove_category(struct store *st, int64_t id, bool merge, int64_t into)
{
	struct arena a;
	arena_init(&a, 0);
	struct category cat;
	enum err rc = pgt_category_get(st, &a, id, &cat);
	if (rc == ERR_OK && merge) {
		struct category tgt;
		rc = pgt_category_get(st, &a, into, &tgt);
		size_t n = strlen(cat.path);
		bool inside = rc == ERR_OK && strncmp(tgt.path, cat.path, n) == 0 &&
			      (tgt.path[n] == '/' || tgt.path[n] == '\0');
		if (rc == ERR_OK && (into == id || inside))
			rc = ERR_INVALID;
	}
	int64_t target = merge ? into : cat.parent_id;
	arena_free(&a);
	if (rc != ERR_OK)
		return rc;
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	const struct pg_step steps[] = {
		{G_CAT_REPARENT_CHILDREN, {PG_I(id), PG_I(target)}, 2},
		{G_CAT_MOVE_POSTS, {PG_I(id), PG_I(target)}, 2},
		{G_CAT_DELETE, {PG_I(id)}, 1},
	};
	int64_t *ids = NULL;
	size_t nids = 0;
	arena_init(&a, 0);
	rc = pg_begin(st, c);
	if (rc == ERR_OK) /* its articles move: new search text */
		rc = pg_ids(st, c, &a, G_FTS_BY_CATEGORY, id, &ids, &nids);
	if (rc == ERR_OK)
		rc = pg_steps(st, c, steps, sizeof steps / sizeof steps[0]);
	if (rc == ERR_OK && c->changes == 0)
		rc = ERR_NOTFOUND; /* deleted meanwhile */
	if (rc == ERR_OK)
		rc = rewrite_paths(st, c);
	if (rc == ERR_OK)
		rc = pg_index_ids(st, c, ids, nids);
	if (rc == ERR_OK)
		rc = pg_change(st, c, "category", id, merge ? "merged" : "deleted");
	rc = pg_end(st, c, rc);
	arena_free(&a);
	pg_conn_put(st, c);
	return rc;
}

enum err pgt_category_delete(struct store *st, int64_t id)
{
	return remove_category(st, id, false, 0);
}

enum err pgt_category_merge(struct store *st, int64_t from, int64_t into)
{
	return remove_category(st, from, true, into);
}

/* --- tags ---------------------------------------------------------------- */

enum err pgt_tag_by_slug(struct store *st, struct arena *a, const char *slug, struct tag *out)
{
	return pg_one(st, a, G_TAG_BY_SLUG, PG_ARGS(PG_T(slug), PG_I(INT64_MAX)), row_tag, out);
}

enum err pgt_tag_list(struct store *st, struct arena *a, int64_t now, struct tag **out,
		      size_t *n)
{
	return pg_all(st, a, G_TAG_LIST, PG_ARGS(PG_I(now)), row_tag, sizeof **out, (void **)out,
		      n);
}

enum err pgt_post_tags(struct store *st, struct arena *a, int64_t post_id, struct tag **out,
		       size_t *n)
{
	return pg_all(st, a, G_POST_TAGS, PG_ARGS(PG_I(post_id)), row_tag, sizeof **out,
		      (void **)out, n);
}

enum err pgt_tag_add(struct store *st, const char *slug, const char *name, int64_t *id)
{
	return pg_write(st, G_TAG_ADD, PG_ARGS(PG_T(slug), PG_T(name)), PG_LOG_ROWID, "tag", 0, "",
			id);
}

/* A tag's name is in its articles' search text. */
enum err pgt_tag_update(struct store *st, int64_t id, const char *name, const char *slug)
{
	return pg_write_reindex(st, G_TAG_UPDATE, PG_ARGS(PG_I(id), PG_T(name), PG_T(slug)),
				G_FTS_BY_TAG, id, "tag", id, "", true);
}

enum err pgt_tag_delete(struct store *st, int64_t id)
{
	return pg_write_reindex(st, G_TAG_DELETE, PG_ARGS(PG_I(id)), G_FTS_BY_TAG, id, "tag", id,
				"deleted", true);
}

enum err pgt_tag_merge(struct store *st, int64_t from, int64_t into)
{
	if (from == into)
		return ERR_INVALID;
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	struct arena a;
	arena_init(&a, 0);
	int64_t *ids = NULL;
	size_t nids = 0;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
		rc = pg_ids(st, c, &a, G_FTS_BY_TAG, from, &ids, &nids);
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_TAG_RELINK, PG_ARGS(PG_I(from), PG_I(into)));
	if (rc == ERR_OK)
		rc = pg_exec(st, c, G_TAG_DELETE, PG_ARGS(PG_I(from)));
	if (rc == ERR_OK && c->changes == 0)
		rc = ERR_NOTFOUND;
	if (rc == ERR_OK)
		rc = pg_index_ids(st, c, ids, nids);
	if (rc == ERR_OK)
		rc = pg_change(st, c, "tag", from, "merged");
	if (rc == ERR_OK)
		rc = pg_change(st, c, "tag", into, "");
	rc = pg_end(st, c, rc);
	arena_free(&a);
	pg_conn_put(st, c);
	return rc;
}

enum err pgt_link_tags(struct store *st, struct pconn *c, int64_t post_id,
		       const char *const *names, size_t n)
{
	struct arena a;
	arena_init(&a, 0);
	enum err rc = ERR_OK;
	for (size_t i = 0; i < n && rc == ERR_OK; i++) {
		const char *slug = str_slugify(&a, names[i]);
		if (!slug) {
			rc = ERR_NOMEM;
			break;
		}
		if (!*slug)
			continue; /* a tag of punctuation only: nothing to link */
		PGresult *r = pg_run(st, c, G_TAG_ID_BY_SLUG, PG_ARGS(PG_T(slug)), &rc);
		int64_t tid = r && PQntuples(r) > 0 ? pg_int(r, 0, 0) : 0;
		PQclear(r);
		if (rc == ERR_OK && !tid) {
			rc = pg_exec(st, c, G_TAG_ADD, PG_ARGS(PG_T(slug), PG_T(names[i])));
			tid = c->last_id;
			if (rc == ERR_OK)
				rc = pg_change(st, c, "tag", tid, "");
		}
		if (rc == ERR_OK)
			rc = pg_exec(st, c, G_POST_TAG_LINK, PG_ARGS(PG_I(post_id), PG_I(tid)));
	}
	arena_free(&a);
	return rc;
}

enum err pgt_link_tag_ids(struct store *st, struct pconn *c, int64_t post_id,
			  const int64_t *ids, size_t n)
{
	enum err rc = ERR_OK;
	for (size_t i = 0; i < n && rc == ERR_OK; i++)
		rc = pg_exec(st, c, G_POST_TAG_LINK, PG_ARGS(PG_I(post_id), PG_I(ids[i])));
	return rc;
}
