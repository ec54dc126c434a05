/* sqlite_list.c - post listings in the SQLite backend.
 *
 * A listing's WHERE clause depends on which filters are set. Rather than one
 * statement full of "(?N = 0 OR ...)" escapes, which the query planner cannot
 * index, each combination of filters (a "shape") gets its own statement,
 * composed here from fixed SQL fragments and prepared once per connection.
 * Values are always bound, never spliced: the SQL text depends only on the
 * shape bits.
 *
 * Sticky-first listings run as two index-ordered queries (sticky posts,
 * then the rest) instead of sorting every matching row on each request. */
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "store/sqlite_int.h"

enum shape {
	L_PUBLIC = 1 << 0,
	L_STATUS = 1 << 1,
	L_CAT = 1 << 2,
	L_SUBTREE = 1 << 3,
	L_TAG = 1 << 4,
	L_AUTHOR = 1 << 5,
	L_RANGE = 1 << 6,
	L_STICKY = 1 << 7,    /* sticky = 1 */
	L_NONSTICKY = 1 << 8, /* sticky = 0 */
	L_COUNT = 1 << 9,
	L_ASC = 1 << 10, /* oldest first */
	L_TOP = 1 << 11, /* parent_id = 0 */
	L_TEXT = 1 << 12, /* title contains */
};

/* Parameter numbers, fixed for every shape. */
enum { P_TYPE = 1, P_NOW, P_STATUS, P_CAT, P_TAG, P_AUTHOR, P_FROM, P_TO, P_LIMIT, P_OFFSET,
       P_TEXT };

static const struct {
	unsigned bit;
	const char *sql;
} fragments[] = {
	{L_PUBLIC, " AND p.status IN ('published','scheduled') AND p.published_at <= ?2"},
	{L_STATUS, " AND p.status = ?3"},
	{L_CAT, " AND p.category_id = ?4"},
	{L_SUBTREE, " AND p.category_id IN (WITH RECURSIVE sub(id, depth) AS ("
		    "SELECT ?4, 0 UNION ALL SELECT c2.id, sub.depth + 1 FROM categories c2 "
		    "JOIN sub ON c2.parent_id = sub.id WHERE sub.depth < 32) SELECT id FROM sub)"},
	/* L_TAG is a join: see shape_stmt */
	{L_AUTHOR, " AND p.author_id = ?6"},
	{L_RANGE, " AND p.published_at >= ?7 AND p.published_at < ?8"},
	{L_STICKY, " AND p.sticky = 1"},
	{L_NONSTICKY, " AND p.sticky = 0"},
	{L_TOP, " AND p.parent_id = 0"},
	{L_TEXT, " AND p.title LIKE ?11 ESCAPE '\\'"},
};

static const char list_cols[] = POST_LIST_COLS;

static sqlite3_stmt *shape_stmt(struct store *st, struct conn *c, unsigned shape, bool asc)
{
	if (asc)
		shape |= L_ASC;
	unsigned slot = shape;
	if (c->list[slot]) {
		sqlite3_reset(c->list[slot]);
		sqlite3_clear_bindings(c->list[slot]);
		return c->list[slot];
	}
	/* The planner has no statistics, so two shapes name their way in:
	 * a tag's posts start from the tag's links (a few hundred) rather
	 * than every public post; the few sticky posts come from their
	 * partial index, not a walk of the date index for the ORDER BY that
	 * reads every post's row to find them. */
	const char *from = shape & L_TAG ? "post_tags pt CROSS JOIN posts p ON p.id = pt.post_id "
					   "AND pt.tag_id = ?5"
			   : shape & L_STICKY ? "posts p INDEXED BY posts_sticky"
					      : "posts p";
	struct buf b = BUF_INIT;
	if (shape & L_COUNT)
		buf_printf(&b, "SELECT count(*) FROM %s WHERE p.type = ?1", from);
	else
		buf_printf(&b,
			   "SELECT %s FROM %s LEFT JOIN users u ON u.id = p.author_id "
			   "LEFT JOIN categories c ON c.id = p.category_id WHERE p.type = ?1",
			   list_cols, from);
	for (size_t i = 0; i < sizeof fragments / sizeof fragments[0]; i++)
		if (shape & fragments[i].bit)
			buf_puts(&b, fragments[i].sql);
	if (!(shape & L_COUNT))
		buf_puts(&b, asc ? " ORDER BY p.published_at ASC, p.id ASC LIMIT ?9 OFFSET ?10"
				 : " ORDER BY p.published_at DESC, p.id DESC LIMIT ?9 OFFSET ?10");
	sqlite3_stmt *s = NULL;
	if (!b.oom && sqlite3_prepare_v3(c->db, b.data, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
			      SQLITE_OK) {
		log_error("store: listing shape %#x: %s", shape, sqlite3_errmsg(c->db));
		s = NULL;
	}
	(void)st;
	buf_free(&b);
	c->list[slot] = s;
	return s;
}

static unsigned shape_of(const struct post_query *q)
{
	unsigned sh = 0;
	if (q->public_only)
		sh |= L_PUBLIC;
	if (q->by_status)
		sh |= L_STATUS;
	if (q->category_id)
		sh |= q->include_children ? L_SUBTREE : L_CAT;
	if (q->tag_id)
		sh |= L_TAG;
	if (q->author_id)
		sh |= L_AUTHOR;
	if (q->to > 0)
		sh |= L_RANGE;
	if (q->top_level)
		sh |= L_TOP;
	if (q->title_has && *q->title_has)
		sh |= L_TEXT;
	return sh;
}

/* "%text%" with LIKE's own characters escaped, for L_TEXT. */
struct like {
	char pat[2 * 300 + 4];
};

static void like_of(const struct post_query *q, struct like *l)
{
	size_t n = 0;
	l->pat[n++] = '%';
	for (const char *p = q->title_has ? q->title_has : ""; *p && n + 4 < sizeof l->pat; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			l->pat[n++] = '\\';
		l->pat[n++] = *p;
	}
	l->pat[n++] = '%';
	l->pat[n] = '\0';
}

static void bind(sqlite3_stmt *s, const struct post_query *q, int64_t limit, int64_t offset)
{
	struct like like;
	int n = sqlite3_bind_parameter_count(s);
	sqlite3_bind_text(s, P_TYPE, post_type_name(q->type), -1, SQLITE_STATIC);
	if (n >= P_NOW)
		sqlite3_bind_int64(s, P_NOW, q->now);
	if (n >= P_STATUS)
		sqlite3_bind_text(s, P_STATUS, post_status_name(q->status), -1, SQLITE_STATIC);
	if (n >= P_CAT)
		sqlite3_bind_int64(s, P_CAT, q->category_id);
	if (n >= P_TAG)
		sqlite3_bind_int64(s, P_TAG, q->tag_id);
	if (n >= P_AUTHOR)
		sqlite3_bind_int64(s, P_AUTHOR, q->author_id);
	if (n >= P_FROM)
		sqlite3_bind_int64(s, P_FROM, q->from);
	if (n >= P_TO)
		sqlite3_bind_int64(s, P_TO, q->to);
	if (n >= P_OFFSET) {
		sqlite3_bind_int64(s, P_LIMIT, limit);
		sqlite3_bind_int64(s, P_OFFSET, offset);
	}
	if (n >= P_TEXT) {
		like_of(q, &like);
		sqlite3_bind_text(s, P_TEXT, like.pat, -1, SQLITE_TRANSIENT);
	}
}

static enum err count(struct store *st, struct conn *c, const struct post_query *q,
		      unsigned shape, int64_t *out)
{
	sqlite3_stmt *s = shape_stmt(st, c, shape | L_COUNT, false);
	if (!s)
		return ERR_DB;
	bind(s, q, 0, 0);
	int r = sqlite3_step(s);
	enum err rc = r == SQLITE_ROW ? ERR_OK : sq_err(st, c, r);
	*out = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc;
}

/* Append up to `limit` rows (-1: all) of one shape to *out. */
static enum err rows(struct store *st, struct conn *c, struct arena *a,
		     const struct post_query *q, unsigned shape, int64_t limit, int64_t offset,
		     struct post **out, size_t *n, size_t *cap)
{
	sqlite3_stmt *s = shape_stmt(st, c, shape, q->oldest_first);
	if (!s)
		return ERR_DB;
	bind(s, q, limit, offset);
	enum err rc = ERR_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 16;
			struct post *np = arena_realloc(a, *out, *cap * sizeof *np, nc * sizeof *np);
			if (!np) {
				rc = ERR_NOMEM;
				break;
			}
			*out = np;
			*cap = nc;
		}
		row_post(a, s, &(*out)[(*n)++]);
	}
	if (rc == ERR_OK && r != SQLITE_ROW && r != SQLITE_DONE)
		rc = sq_err(st, c, r);
	if (a->failed)
		rc = ERR_NOMEM;
	sqlite3_reset(s);
	return rc;
}

enum err sqp_post_list(struct store *st, struct arena *a, const struct post_query *q,
		       struct post **out, size_t *n, int64_t *total)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	unsigned shape = shape_of(q);
	int64_t limit = q->limit > 0 ? q->limit : -1;
	int64_t offset = q->offset > 0 ? q->offset : 0;
	size_t cap = 0;
	enum err rc = ERR_OK;
	*out = NULL;
	*n = 0;
	/* One read transaction, so the counts and the rows agree (unless the
	 * caller already holds one: see read_begin). */
	bool own = sqlite3_get_autocommit(c->db);
	if (own)
		sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
	if (total)
		rc = count(st, c, q, shape, total);
	if (rc == ERR_OK && !q->sticky_first) {
		rc = rows(st, c, a, q, shape, limit, offset, out, n, &cap);
	} else if (rc == ERR_OK) {
		int64_t nsticky = 0;
		rc = count(st, c, q, shape | L_STICKY, &nsticky);
		if (rc == ERR_OK && offset < nsticky)
			rc = rows(st, c, a, q, shape | L_STICKY, limit, offset, out, n, &cap);
		int64_t left = limit < 0 ? -1 : limit - (int64_t)*n;
		int64_t off2 = offset > nsticky ? offset - nsticky : 0;
		if (rc == ERR_OK && left != 0)
			rc = rows(st, c, a, q, shape | L_NONSTICKY, left, off2, out, n, &cap);
	}
	if (own)
		sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	conn_put(st, c);
	return rc;
}
