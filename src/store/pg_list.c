/* pg_list.c - post listings in the PostgreSQL backend.
 *
 * As in sqlite_list.c, each combination of filters (a "shape") gets its own
 * statement composed from fixed SQL fragments and prepared once per
 * connection; values are always bound. PostgreSQL needs every declared
 * parameter used, so parameters are numbered per shape here, in the order
 * the fragments appear (fill() binds them in the same order).
 *
 * Sticky-first listings run as two index-ordered queries (sticky posts,
 * then the rest), in one snapshot with the counts. */
#include <string.h>

#include "core/buf.h"
#include "store/pg_int.h"

enum shape {
	L_PUBLIC = 1 << 0,
	L_STATUS = 1 << 1,
	L_CAT = 1 << 2,
	L_SUBTREE = 1 << 3,
	L_TAG = 1 << 4,
	L_AUTHOR = 1 << 5,
	L_RANGE = 1 << 6,
	L_STICKY = 1 << 7,    /* sticky */
	L_NONSTICKY = 1 << 8, /* not sticky */
	L_COUNT = 1 << 9,
	L_ASC = 1 << 10,  /* oldest first */
	L_TOP = 1 << 11,  /* parent_id = 0 */
	L_TEXT = 1 << 12, /* title contains */
};

/* Each fragment's "%s" markers are replaced by the next parameter numbers. */
static const struct {
	unsigned bit;
	const char *sql;
	int nparams;
} fragments[] = {
	{L_PUBLIC, " AND p.status IN ('published','scheduled') AND p.published_at <= $%d", 1},
	{L_STATUS, " AND p.status = $%d", 1},
	{L_CAT, " AND p.category_id = $%d", 1},
	{L_SUBTREE, " AND p.category_id IN (WITH RECURSIVE sub(id, depth) AS ("
		    "SELECT $%d::bigint, 0 UNION ALL SELECT c2.id, sub.depth + 1 FROM categories c2 "
		    "JOIN sub ON c2.parent_id = sub.id WHERE sub.depth < 32) SELECT id FROM sub)", 1},
	{L_TAG, " AND p.id IN (SELECT post_id FROM post_tags WHERE tag_id = $%d)", 1},
	{L_AUTHOR, " AND p.author_id = $%d", 1},
	{L_RANGE, " AND p.published_at >= $%d AND p.published_at < $%d", 2},
	{L_STICKY, " AND p.sticky", 0},
	{L_NONSTICKY, " AND NOT p.sticky", 0},
	{L_TOP, " AND p.parent_id = 0", 0},
	/* SQLite's LIKE ignores ASCII case; ILIKE ignores case */
	{L_TEXT, " AND p.title ILIKE $%d ESCAPE '\\'", 1},
};

static void compose(struct buf *b, unsigned shape)
{
	int param = 1;
	if (shape & L_COUNT)
		buf_printf(b, "SELECT count(*) FROM posts p WHERE p.type = $%d", param++);
	else
		buf_printf(b,
			   "SELECT " PG_POST_LIST_COLS "FROM posts p "
			   "LEFT JOIN users u ON u.id = p.author_id "
			   "LEFT JOIN categories c ON c.id = p.category_id WHERE p.type = $%d",
			   param++);
	for (size_t i = 0; i < sizeof fragments / sizeof fragments[0]; i++) {
		if (!(shape & fragments[i].bit))
			continue;
		if (fragments[i].nparams == 2) {
			buf_printf(b, fragments[i].sql, param, param + 1);
			param += 2;
		} else if (fragments[i].nparams == 1) {
			buf_printf(b, fragments[i].sql, param++);
		} else {
			buf_puts(b, fragments[i].sql);
		}
	}
	if (!(shape & L_COUNT))
		buf_printf(b, (shape & L_ASC) ? " ORDER BY p.published_at ASC, p.id ASC LIMIT $%d OFFSET $%d"
					      : " ORDER BY p.published_at DESC, p.id DESC LIMIT $%d OFFSET $%d",
			   param, param + 1);
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

/* The values of a shape's parameters, in compose()'s order. */
static int fill(struct pg_arg *args, unsigned shape, const struct post_query *q,
		const struct like *like, int64_t limit, int64_t offset)
{
	int n = 0;
	args[n++] = PG_T(post_type_name(q->type));
	if (shape & L_PUBLIC)
		args[n++] = PG_I(q->now);
	if (shape & L_STATUS)
		args[n++] = PG_T(post_status_name(q->status));
	if (shape & (L_CAT | L_SUBTREE))
		args[n++] = PG_I(q->category_id);
	if (shape & L_TAG)
		args[n++] = PG_I(q->tag_id);
	if (shape & L_AUTHOR)
		args[n++] = PG_I(q->author_id);
	if (shape & L_RANGE) {
		args[n++] = PG_I(q->from);
		args[n++] = PG_I(q->to);
	}
	if (shape & L_TEXT)
		args[n++] = PG_T(like->pat);
	if (!(shape & L_COUNT)) {
		args[n++] = limit < 0 ? PG_NULL : PG_I(limit); /* NULL: no limit */
		args[n++] = PG_I(offset);
	}
	return n;
}

static PGresult *run(struct store *st, struct pconn *c, unsigned shape,
		     const struct post_query *q, int64_t limit, int64_t offset, enum err *rc)
{
	struct buf b = BUF_INIT;
	compose(&b, shape);
	if (b.oom) {
		buf_free(&b);
		*rc = ERR_NOMEM;
		return NULL;
	}
	struct like like;
	like_of(q, &like);
	struct pg_arg args[16];
	int n = fill(args, shape, q, &like, limit, offset);
	PGresult *r = pg_run_shape(st, c, shape, b.data, args, n, rc);
	buf_free(&b);
	return r;
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

static enum err count(struct store *st, struct pconn *c, const struct post_query *q,
		      unsigned shape, int64_t *out)
{
	enum err rc;
	PGresult *r = run(st, c, shape | L_COUNT, q, 0, 0, &rc);
	*out = r && PQntuples(r) > 0 ? pg_int(r, 0, 0) : 0;
	PQclear(r);
	return rc;
}

/* Append up to `limit` rows (-1: all) of one shape to *out. */
static enum err rows(struct store *st, struct pconn *c, struct arena *a,
		     const struct post_query *q, unsigned shape, int64_t limit, int64_t offset,
		     struct post **out, size_t *n)
{
	enum err rc;
	PGresult *r = run(st, c, shape | (q->oldest_first ? L_ASC : 0), q, limit, offset, &rc);
	if (!r)
		return rc;
	size_t more = (size_t)PQntuples(r);
	if (more) {
		struct post *np = arena_realloc(a, *out, *n * sizeof *np, (*n + more) * sizeof *np);
		if (!np) {
			PQclear(r);
			return ERR_NOMEM;
		}
		*out = np;
		for (size_t i = 0; i < more; i++)
			pg_row_post(a, r, (int)i, &np[(*n)++]);
	}
	PQclear(r);
	return a->failed ? ERR_NOMEM : ERR_OK;
}

enum err pgp_post_list(struct store *st, struct arena *a, const struct post_query *q,
		       struct post **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	unsigned shape = shape_of(q);
	int64_t limit = q->limit > 0 ? q->limit : -1;
	int64_t offset = q->offset > 0 ? q->offset : 0;
	/* One snapshot, so that the counts and the rows agree (unless the
	 * caller already holds one: read_begin). */
	bool own = !c->in_tx;
	enum err rc = own ? pg_begin_read(st, c) : ERR_OK;
	if (rc == ERR_OK && total)
		rc = count(st, c, q, shape, total);
	if (rc == ERR_OK && !q->sticky_first) {
		rc = rows(st, c, a, q, shape, limit, offset, out, n);
	} else if (rc == ERR_OK) {
		int64_t nsticky = 0;
		rc = count(st, c, q, shape | L_STICKY, &nsticky);
		if (rc == ERR_OK && offset < nsticky)
			rc = rows(st, c, a, q, shape | L_STICKY, limit, offset, out, n);
		int64_t left = limit < 0 ? -1 : limit - (int64_t)*n;
		int64_t off2 = offset > nsticky ? offset - nsticky : 0;
		if (rc == ERR_OK && left != 0)
			rc = rows(st, c, a, q, shape | L_NONSTICKY, left, off2, out, n);
	}
	if (own)
		rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}
