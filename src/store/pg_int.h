/* pg_int.h - private to the PostgreSQL backend (src/store/pg*.c).
 *
 * Who owns what:
 *  - pg.c: opening, the connection pool, read snapshots, the change-log
 *    watcher (LISTEN), the ops table;
 *  - pg_run.c: running statements (prepare once per connection, bind,
 *    reconnect and retry, error mapping), transactions and their change-log
 *    row, and the read-one / read-all / write-logged shapes;
 *  - pg_stmt.c: every SQL statement, in one table indexed by enum pgs;
 *  - pg_schema.c: the versioned migrations;
 *  - pg_site.c (settings, users, redirects, change log), pg_tax.c
 *    (categories, tags), pg_posts.c and pg_list.c (posts), pg_comments.c,
 *    pg_session.c, pg_misc.c (revisions, media, imports, sitemaps): the ops;
 *  - pg_copy.c: a whole site's rows out and in (store/copy.h, migrate-db).
 *
 * A connection (struct pconn) is taken from the pool by pg_conn_get() for
 * one operation and given back with pg_conn_put(); inside read_begin /
 * read_end the thread keeps one. Results (PGresult) are freed by the
 * function that ran the statement; strings handed to callers are copied
 * into their arena.
 *
 * Writes: every writing operation runs in a transaction (pg_begin, which
 * also takes the site's write lock, then pg_end) and records its change-log
 * row there. Taking one advisory lock per write transaction serialises
 * writers the way SQLite's single writer does (read-then-write steps need no
 * further locking) and makes change-log ids appear in commit order, which
 * store_changes_since(after_id) relies on. */
#ifndef GAZETTE_STORE_PG_INT_H
#define GAZETTE_STORE_PG_INT_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/facets.h"
#include "store/related.h"
#include "store/store.h"

enum pgs {
	G_CHANGE_ADD,
	G_SETTING_GET, G_SETTING_SET, G_SETTING_LIST,
	G_USER_ADD, G_USER_GET, G_USER_BY_LOGIN, G_USER_LIST, G_USER_UPDATE, G_USER_BY_EMAIL,
	G_CAT_ADD, G_CAT_GET, G_CAT_BY_PATH, G_CAT_BY_SLUG, G_CAT_LIST, G_CAT_LIST_BARE,
	G_CAT_UPDATE, G_CAT_DELETE, G_CAT_REPARENT_CHILDREN, G_CAT_MOVE_POSTS, G_CAT_UNREACHABLE,
	G_CAT_SET_PATHS,
	G_TAG_BY_SLUG, G_TAG_ID_BY_SLUG, G_TAG_ADD, G_TAG_LIST, G_TAG_UPDATE, G_TAG_DELETE,
	G_TAG_RELINK, G_POST_TAGS, G_POST_TAGS_CLEAR, G_POST_TAG_LINK,
	G_POST_INSERT, G_POST_UPDATE, G_BODY_SAVE, G_POST_FACETS, G_POST_TAG_IDS, G_POST_GET,
	G_POST_BY_SLUG, G_POST_BY_SLUG_HTML, G_POST_SET_STATUS, G_POST_DELETE, G_POST_DUE, G_POST_PUBLISH,
	G_ARCHIVE_MONTHS,
	G_REDIRECT_GET, G_REDIRECT_SET, G_REDIRECT_LIST, G_REDIRECT_RETARGET, G_REDIRECT_DELETE,
	G_CHANGES_SINCE, G_CHANGE_NEWEST,
	G_CM_POST_OK, G_CM_PARENT_OK, G_CM_INSERT, G_CM_GET, G_CM_LIST, G_CM_COUNT, G_CM_THREAD,
	G_CM_BY_EMAIL, G_CM_BY_IP, G_CM_BY_NET, G_CM_DUP, G_CM_STATE, G_CM_SET_STATUS,
	G_CM_REPARENT, G_CM_DELETE,
	G_SPAM_GET, G_SPAM_LEARN, G_SPAM_CLEAR, G_SPAM_FORGET,
	G_SESSION_ADD, G_SESSION_PRUNE, G_SESSION_GET, G_SESSION_TOUCH, G_SESSION_DELETE,
	G_SESSION_DELETE_USER, G_SIGNIN_FAIL, G_SIGNIN_COUNT, G_SIGNIN_CLEAR, G_SIGNIN_PRUNE,
	G_REV_ADD, G_REV_OF_POST, G_REV_LIST, G_REV_GET, G_REV_RECENT,
	G_MAP_GET, G_MAP_FIND, G_MAP_SET, G_CM_IMPORT_INSERT, G_CM_IMPORT_UPDATE, G_POST_EXISTS,
	G_SITEMAP_EACH, G_SITEMAP_CHUNKS, G_TERM_CATEGORIES, G_TERM_TAGS, G_TERM_AUTHORS,
	G_MEDIA_ADD, G_MEDIA_VARIANT_ADD, G_MEDIA_GET, G_MEDIA_LIST, G_MEDIA_COUNT,
	G_MEDIA_VARIANTS, G_MEDIA_FILE, G_MEDIA_SET_ALT, G_MEDIA_DELETE, G_MEDIA_USAGE,
	G_FTS_SOURCE, G_FTS_PUT, G_FTS_DELETE, G_FTS_CLEAR, G_FTS_BY_TAG, G_FTS_BY_CATEGORY,
	G_FTS_BY_AUTHOR, G_ARTICLE_IDS, G_SPELL_FORGET, G_SPELL_ADD, G_SPELL_CLEAR, G_SPELL_HAS,
	G_SPELL_NEAR, G_SPELL_FILL, G_SEARCH, G_SEARCH_COUNT, G_SEARCH_TIMEOUT, G_SEARCH_CFG, G_SEARCH_CFG_SET,
	G_TS_CONFIG_EXISTS,
	G_REL_TEXT, G_REL_DOC_GET, G_REL_DOC_PUT, G_REL_DOC_DEL, G_REL_DF_ADD, G_REL_DF_PRUNE,
	G_REL_DF_GET, G_REL_POSTING_ADD, G_REL_POSTING_DEL, G_REL_POSTINGS, G_REL_FACETS,
	G_REL_SCORES, G_REL_CLEAR, G_REL_PUT, G_REL_LISTED_BY, G_REL_OF, G_REL_LIST,
	G_REL_CLEAR_DOCS, G_REL_CLEAR_POSTINGS, G_REL_CLEAR_DF,
	G_MENU_GET, G_MENU_CLEAR, G_MENU_ADD,
	G__MAX
};

extern const char *const pg_stmt_sql[G__MAX];

/* Listing statements (pg_list.c) are composed by shape, like SQLite's. */
#define PG_LIST_SHAPES 8192

struct pconn {
	PGconn *db;
	unsigned char prepared[G__MAX];
	unsigned char listed[PG_LIST_SHAPES / 8]; /* shapes prepared on this connection */
	bool in_tx;         /* inside BEGIN ... COMMIT (no silent retry then) */
	struct rel_tok *tok; /* related articles' words (pg_related.c), made on first use */
	int64_t changes;    /* rows the last statement touched */
	int64_t last_id;    /* first column of its first row (INSERT ... RETURNING id) */
	struct pconn *next;
};

struct pg {
	char *conninfo;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pconn *idle;
	int nconn, maxconn;
	/* The change-log watcher: a connection that LISTENs (store_changed),
	 * and the newest committed change-log id it has reported. */
	PGconn *watch;
	pthread_mutex_t watch_mu;
	int64_t last_change;
	bool listening; /* LISTEN from the first changed() on (not in CLI runs) */
	bool watch_lost;       /* the connection broke; not yet re-established */
	int64_t watch_retry_at; /* clock_mono_ms() before which wait_change does not retry */
	struct pg_copy *copy; /* a copy being written into this store (pg_copy.c) */
};

#define PG(st) ((struct pg *)(st)->impl)

/* The channel every change-log row is announced on (NOTIFY, payload = id). */
#define PG_CHANNEL "gazette_changes"
/* The advisory lock key every write transaction holds ("gaze"). */
#define PG_WRITE_LOCK 1734441573

/* Open a connection with this backend's session settings; NULL and errmsg
 * on failure. */
PGconn *pg_connect(const char *conninfo, char *errmsg, size_t errlen);

struct pconn *pg_conn_get(struct store *st);
/* False when c's server is gone and reconnecting failed (pg_run.c). */
bool pg_conn_usable(struct pconn *c);
void pg_conn_put(struct store *st, struct pconn *c);

/* A value to bind, in parameter order $1, $2, ... */
struct pg_arg {
	enum { PG_ARG_NULL, PG_ARG_INT, PG_ARG_TEXT, PG_ARG_BOOL } kind;
	const char *text;
	int64_t num;
};
#define PG_I(x) ((struct pg_arg){PG_ARG_INT, NULL, (int64_t)(x)})
#define PG_T(x) ((struct pg_arg){PG_ARG_TEXT, (x), 0}) /* x must not be NULL */
#define PG_B(x) ((struct pg_arg){PG_ARG_BOOL, NULL, (x) ? 1 : 0})
#define PG_NULL ((struct pg_arg){PG_ARG_NULL, NULL, 0})
/* A text value, or NULL when x is NULL (for "unchanged" on updates). */
#define PG_TN(x) ((x) ? PG_T(x) : PG_NULL)
/* `args, count` from a list of PG_I/PG_T/... values. */
#define PG_ARGS(...)                                                                       \
	(const struct pg_arg[]){__VA_ARGS__},                                              \
		(int)(sizeof((struct pg_arg[]){__VA_ARGS__}) / sizeof(struct pg_arg))

/* Run `which` on c. Returns the result (rows or command done; the caller
 * PQclear()s it) or NULL with *rc set, the error logged once. Outside a
 * transaction a statement that failed because the connection broke (the
 * server restarted) is run again once on a reset connection: every
 * statement this backend runs outside a transaction is a read or an
 * idempotent single-row write. Sets c->changes and c->last_id. */
PGresult *pg_run(struct store *st, struct pconn *c, enum pgs which, const struct pg_arg *args,
		 int n, enum err *rc);
/* pg_run for statements without rows worth reading. */
enum err pg_exec(struct store *st, struct pconn *c, enum pgs which, const struct pg_arg *args,
		 int n);
/* Run SQL text composed by the caller from fixed fragments (listing shapes),
 * prepared once per connection under name "l<slot>". */
PGresult *pg_run_shape(struct store *st, struct pconn *c, unsigned slot, const char *sql,
		       const struct pg_arg *args, int n, enum err *rc);

/* Begin a write transaction (with the write lock; reconnecting first when
 * the connection broke), or a read-only snapshot (REPEATABLE READ). */
enum err pg_begin(struct store *st, struct pconn *c);
enum err pg_begin_read(struct store *st, struct pconn *c);
/* Commit when rc is ERR_OK, else roll back; returns the final result. */
enum err pg_end(struct store *st, struct pconn *c, enum err rc);
/* The change-log row, inside the caller's transaction (announced by NOTIFY
 * at commit). */
enum err pg_change(struct store *st, struct pconn *c, const char *kind, int64_t id,
		   const char *detail);

/* The text form of a text[] parameter ({"a","b\"c"}) of items[0..n) and,
 * when `last` is not NULL, one more item; into b (false when out of memory). */
bool pg_text_array(struct buf *b, const char *const *items, size_t n, const char *last);

/* Reading result columns (text format). */
int64_t pg_int(const PGresult *r, int row, int col);
bool pg_bool(const PGresult *r, int row, int col);
bool pg_null(const PGresult *r, int row, int col);
/* Copied into the arena ("" for NULL). */
const char *pg_text(struct arena *a, const PGresult *r, int row, int col);

typedef void (*pg_row_fn)(struct arena *a, const PGresult *r, int row, void *out);
/* Run `which` and read its first row; ERR_NOTFOUND when there is none. */
enum err pg_one(struct store *st, struct arena *a, enum pgs which, const struct pg_arg *args,
		int n, pg_row_fn read, void *out);
/* Run `which` and read every row into an arena array of elem-byte items. */
enum err pg_all(struct store *st, struct arena *a, enum pgs which, const struct pg_arg *args,
		int n, pg_row_fn read, size_t elem, void **out, size_t *count);
/* Read every row of r into an arena array (for callers running on their own c). */
enum err pg_rows(struct arena *a, const PGresult *r, pg_row_fn read, size_t elem, void **out,
		 size_t *count);
/* One integer from the first row (0 when there is none). */
enum err pg_one_int(struct store *st, enum pgs which, const struct pg_arg *args, int n,
		    int64_t *out);

enum pg_flags {
	PG_MUST_CHANGE = 1 << 0, /* no row changed -> ERR_NOTFOUND */
	PG_LOG_ROWID = 1 << 1,   /* log the returned id instead of `id` */
};
/* Run one writing statement in its own transaction with its change-log row;
 * *rowid (may be NULL) gets the id it returned. */
enum err pg_write(struct store *st, enum pgs which, const struct pg_arg *args, int n,
		  unsigned flags, const char *kind, int64_t id, const char *detail,
		  int64_t *rowid);
/* pg_write for a write to a name that articles' search text includes (a
 * tag's, a category's, an author's): the posts `affected` (one bigint
 * parameter, `key`) selects before the write are re-indexed after it, in
 * the same transaction. */
enum err pg_write_reindex(struct store *st, enum pgs which, const struct pg_arg *args, int n,
			  enum pgs affected, int64_t key, const char *kind, int64_t id,
			  const char *detail, bool must_change);
/* Run statements with no rows to read in order on c, stopping at the first
 * error (inside the caller's transaction, or each on its own). */
struct pg_step {
	enum pgs which;
	struct pg_arg args[6];
	int n;
};
enum err pg_redirect_steps(struct store *st, struct pconn *c, const char *from_path,
			   const char *to_path);
enum err pg_revision_of_post(struct store *st, struct pconn *c, int64_t post_id,
			     int64_t user_id, int64_t at);
/* The error message of r (or of the connection when r has none), without
 * its trailing newline: n bytes at the pointer returned. */
const char *pg_error_text(const struct pconn *c, const PGresult *r, size_t *n);
enum err pg_steps(struct store *st, struct pconn *c, const struct pg_step *steps, size_t n);

/* Rows shared by several files. */
void pg_row_user(struct arena *a, const PGresult *r, int row, void *out);
void pg_row_post(struct arena *a, const PGresult *r, int row, void *out);
/* Its first five columns (id, type, status, slug, title), the rest zeroed:
 * shared with the related cards (pg_related.c). */
void pg_row_post_head(struct arena *a, const PGresult *r, int row, struct post *p);

/* The columns of a post in a listing (pg_row_post's order, bodies left out);
 * FROM must alias posts p, users u and categories c. */
#define PG_POST_LIST_COLS                                                                  \
	"p.id, p.type, p.status, p.slug, p.title, p.excerpt, '', '', "                      \
	"p.author_id, p.category_id, p.parent_id, p.sticky, p.comments_open, "              \
	"p.published_at, p.created_at, p.updated_at, "                                      \
	"(SELECT count(*) FROM comments cm WHERE cm.post_id = p.id AND cm.status = 'approved'), " \
	"u.login, u.display_name, c.slug, c.name, c.path, p.summary, p.featured_media_id "

/* What a post write touches, for its change-log row (pg_posts.c; the same
 * detail tokens as sqlite_facets.c documents). */
enum err pg_post_facets(struct store *st, struct pconn *c, int64_t id, struct post_facets *f);
enum err pg_post_changed(struct store *st, struct pconn *c, int64_t id,
			 const struct post_facets *before);

/* The search index (pg_search.c), inside the caller's transaction: put
 * post id in (or take it out when it is not a public article); the ids
 * `which` (one bigint parameter) returns; several posts at once. */
enum err pg_index_post(struct store *st, struct pconn *c, int64_t id);
enum err pg_ids(struct store *st, struct pconn *c, struct arena *a, enum pgs which, int64_t key,
		int64_t **ids, size_t *n);
enum err pg_index_ids(struct store *st, struct pconn *c, const int64_t *ids, size_t n);
/* pg_index_post without the spelling vocabulary, for building a whole
 * index at once: G_SPELL_FILL fills the (cleared) vocabulary after. */
enum err pg_index_text(struct store *st, struct pconn *c, int64_t id);
enum err pgx_search(struct store *st, struct arena *a, const struct search_request *q,
		    struct search_hit **out, size_t *n, int64_t *total);
enum err pgx_spell_words(struct store *st, struct arena *a, const char *word,
			 struct spell_word **out, size_t *n);
/* Set the index's text search configuration for lang in c's transaction;
 * *changed when it was another (the caller then rebuilds the index). */
enum err pg_search_config(struct store *st, struct pconn *c, const char *lang, bool *changed);
enum err pgx_search_language(struct store *st, const char *lang,
			     void (*progress)(int64_t done, int64_t total));
enum err pgx_reindex(struct store *st, void (*progress)(int64_t done, int64_t total));

/* Related articles (pg_related.c): after a write to post id, in c's
 * transaction (related.h). */
enum err pg_relate(struct store *st, struct pconn *c, int64_t id);
enum err pgr_related(struct store *st, struct arena *a, int64_t id, int64_t now, size_t max,
		     struct post **out, size_t *n, int64_t **ids, size_t *nids);
enum err pgr_related_ids(struct store *st, struct arena *a, int64_t id, int64_t **ids,
			 size_t *n);
enum err pgr_relate_all(struct store *st, void (*progress)(int64_t done, int64_t total));
/* The navigation menu (pg_menu.c). */
enum err pgn_menu_get(struct store *st, struct arena *a, struct menu_item **out, size_t *n);
enum err pgn_menu_set(struct store *st, const struct menu_item *items, size_t n);

/* pg_copy.c: a whole site's rows out and in (store/copy.h) */
enum err pgy_copy_read(struct store *st, enum copy_table t, copy_row_fn each, void *ud);
enum err pgy_copy_count(struct store *st, enum copy_table t, int64_t *n);
enum err pgy_copy_begin(struct store *st);
enum err pgy_copy_put(struct store *st, enum copy_table t, const struct copy_value *row);
enum err pgy_copy_finish(struct store *st, const char *lang,
			 void (*progress)(int64_t done, int64_t total));
enum err pgy_copy_end(struct store *st, bool commit);

/* Migrations (pg_schema.c): each a NULL-terminated list of SQL scripts,
 * run in order in one transaction. */
extern const char *const *const pg_migrations[];
extern const size_t pg_nmigrations;

/* The ops, by file. */
/* pg_site.c */
enum err pgs_setting_get(struct store *st, struct arena *a, const char *key, const char **out);
enum err pgs_setting_set(struct store *st, const char *key, const char *value);
enum err pgs_setting_list(struct store *st, struct arena *a, const char ***keys,
			  const char ***values, size_t *n);
enum err pgs_user_add(struct store *st, const struct user *u, int64_t *id);
enum err pgs_user_get(struct store *st, struct arena *a, int64_t id, struct user *out);
enum err pgs_user_by_login(struct store *st, struct arena *a, const char *login,
			   struct user *out);
enum err pgs_user_list(struct store *st, struct arena *a, struct user **out, size_t *n);
enum err pgs_user_update(struct store *st, const struct user *u);
enum err pgs_redirect_get(struct store *st, struct arena *a, const char *from,
			  struct redirect *out);
enum err pgs_redirect_set(struct store *st, const struct redirect *r);
enum err pgs_redirect_list(struct store *st, struct arena *a, struct redirect **out, size_t *n);
enum err pgs_redirect_move(struct store *st, const char *from_path, const char *to_path);
enum err pgs_changes_since(struct store *st, struct arena *a, int64_t after,
			   struct change **out, size_t *n);
enum err pgs_change_last(struct store *st, int64_t *id, int64_t *at);
/* pg_tax.c */
enum err pgt_category_add(struct store *st, const struct category *c, int64_t *id);
enum err pgt_category_get(struct store *st, struct arena *a, int64_t id, struct category *out);
enum err pgt_category_by_path(struct store *st, struct arena *a, const char *path,
			      struct category *out);
enum err pgt_category_by_slug(struct store *st, struct arena *a, const char *slug,
			      struct category *out);
enum err pgt_category_list(struct store *st, struct arena *a, int64_t now,
			   struct category **out, size_t *n);
enum err pgt_category_update(struct store *st, const struct category *c);
enum err pgt_category_delete(struct store *st, int64_t id);
enum err pgt_category_merge(struct store *st, int64_t from, int64_t into);
enum err pgt_tag_by_slug(struct store *st, struct arena *a, const char *slug, struct tag *out);
enum err pgt_tag_list(struct store *st, struct arena *a, int64_t now, struct tag **out,
		      size_t *n);
enum err pgt_tag_update(struct store *st, int64_t id, const char *name, const char *slug);
enum err pgt_tag_delete(struct store *st, int64_t id);
enum err pgt_tag_merge(struct store *st, int64_t from, int64_t into);
enum err pgt_tag_add(struct store *st, const char *slug, const char *name, int64_t *id);
enum err pgt_post_tags(struct store *st, struct arena *a, int64_t post_id, struct tag **out,
		       size_t *n);
/* Link tags by name (creating missing ones) or by id, in c's transaction. */
enum err pgt_link_tags(struct store *st, struct pconn *c, int64_t post_id,
		       const char *const *names, size_t n);
enum err pgt_link_tag_ids(struct store *st, struct pconn *c, int64_t post_id,
			  const int64_t *ids, size_t n);
/* pg_posts.c, pg_list.c */
enum err pgp_post_save(struct store *st, const struct post_input *in, int64_t *id);
enum err pgp_post_get(struct store *st, struct arena *a, int64_t id, struct post *out);
enum err pgp_post_by_slug(struct store *st, struct arena *a, enum post_type type,
			  const char *slug, struct post *out);
enum err pgp_post_by_slug_html(struct store *st, struct arena *a, enum post_type type,
			       const char *slug, struct post *out);
enum err pgp_post_list(struct store *st, struct arena *a, const struct post_query *q,
		       struct post **out, size_t *n, int64_t *total);
enum err pgp_post_set_status(struct store *st, int64_t id, enum post_status status,
			     int64_t published_at);
enum err pgp_post_delete(struct store *st, int64_t id);
enum err pgp_post_publish_due(struct store *st, int64_t now, size_t *n);
enum err pgp_archive_months(struct store *st, struct arena *a, int64_t now,
			    struct archive_month **out, size_t *n);
/* pg_comments.c */
enum err pgc_comment_add(struct store *st, const struct comment *c, int64_t *id);
enum err pgc_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out);
enum err pgc_comment_list(struct store *st, struct arena *a, const struct comment_query *q,
			  struct comment **out, size_t *n, int64_t *total);
enum err pgc_comment_thread(struct store *st, struct arena *a, int64_t post_id,
			    struct comment **out, size_t *n);
enum err pgc_comment_signals(struct store *st, const struct comment *c, int64_t since,
			     struct comment_signals *out);
enum err pgc_comment_set_status(struct store *st, int64_t id, enum comment_status status,
				const char *const *tokens, size_t ntokens);
enum err pgc_comment_delete(struct store *st, int64_t id);
enum err pgc_comment_put(struct store *st, const struct comment *c, int64_t *id);
enum err pgc_spam_counts(struct store *st, struct arena *a, const char *const *tokens, size_t n,
			 struct spam_counts *out);
enum err pgc_spam_clear(struct store *st);
/* pg_session.c */
enum err pga_user_by_email(struct store *st, struct arena *a, const char *email,
			   struct user *out);
enum err pga_session_add(struct store *st, const struct session *s, int64_t prune_before);
enum err pga_session_get(struct store *st, struct arena *a, const char *token_hash,
			 struct session *out);
enum err pga_session_touch(struct store *st, const char *token_hash, int64_t at);
enum err pga_session_delete(struct store *st, const char *token_hash);
enum err pga_session_delete_user(struct store *st, int64_t user_id);
enum err pga_signin_failed(struct store *st, const char *key, int64_t at, int64_t prune_before);
enum err pga_signin_failures(struct store *st, const char *key, int64_t since, int64_t *n);
enum err pga_signin_clear(struct store *st, const char *key);
/* pg_misc.c: revisions, media, imports, sitemaps */
enum err pgm_revision_add(struct store *st, const struct revision *r, int64_t *id);
enum err pgm_revision_list(struct store *st, struct arena *a, int64_t post_id,
			   struct revision **out, size_t *n);
enum err pgm_revision_get(struct store *st, struct arena *a, int64_t id, struct revision *out);
enum err pgm_revision_recent(struct store *st, struct arena *a, int64_t author_id,
			     int64_t limit, struct revision **out, size_t *n);
enum err pgm_media_add(struct store *st, const struct media *m, int64_t *id);
enum err pgm_media_get(struct store *st, struct arena *a, int64_t id, struct media *out);
enum err pgm_media_list(struct store *st, struct arena *a, int64_t offset, int64_t limit,
			struct media **out, size_t *n, int64_t *total);
enum err pgm_media_file(struct store *st, struct arena *a, const char *path, const char **mime);
enum err pgm_media_set_alt(struct store *st, int64_t id, const char *alt);
enum err pgm_media_delete(struct store *st, int64_t id);
enum err pgm_media_usage(struct store *st, struct arena *a, int64_t id, const char *needle,
			 struct post **out, size_t *n);
enum err pgm_import_map_get(struct store *st, const char *source, const char *kind,
			    const char *wp_id, int64_t *id);
enum err pgm_import_map_find(struct store *st, const char *kind, const char *wp_id,
			     int64_t *id);
enum err pgm_import_map_set(struct store *st, const char *source, const char *kind,
			    const char *wp_id, int64_t id);
enum err pgm_post_each_public(struct store *st, enum post_type type, int64_t now,
			      int64_t offset, int64_t limit, post_each_fn each, void *ud);
enum err pgm_post_chunks(struct store *st, struct arena *a, enum post_type type, int64_t now,
			 int64_t size, int64_t lead, int64_t **lastmod, size_t *n);
enum err pgm_term_lastmods(struct store *st, struct arena *a, enum term_kind kind, int64_t now,
			   struct term_mod **out, size_t *n);

#endif
