/* sqlite_int.h - private to the SQLite backend (sqlite*.c).
 *
 * A pool of connections, each with its own lazily prepared copy of every
 * statement in the table (sqlite_stmt.c). Callers take a connection with
 * conn_get(), use stmt(), and give it back with conn_put(). */
#ifndef GAZETTE_STORE_SQLITE_INT_H
#define GAZETTE_STORE_SQLITE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "store/facets.h"
#include "store/store.h"

enum stmt {
	S_BEGIN, S_BEGIN_READ, S_COMMIT, S_ROLLBACK,
	S_CHANGE_ADD,
	S_SETTING_GET, S_SETTING_SET, S_SETTING_LIST,
	S_USER_ADD, S_USER_GET, S_USER_BY_LOGIN, S_USER_LIST, S_USER_UPDATE,
	S_CAT_ADD, S_CAT_GET, S_CAT_BY_PATH, S_CAT_BY_SLUG, S_CAT_LIST, S_CAT_LIST_BARE, S_CAT_UPDATE,
	S_CAT_DELETE, S_CAT_REPARENT_CHILDREN, S_CAT_MOVE_POSTS, S_CAT_ALL_IDS, S_CAT_SET_PATH,
	S_TAG_BY_SLUG, S_TAG_BY_NAME, S_TAG_ADD, S_TAG_LIST, S_TAG_UPDATE, S_TAG_DELETE,
	S_POST_TAGS, S_POST_TAGS_CLEAR, S_POST_TAG_LINK,
	S_POST_INSERT, S_POST_UPDATE, S_BODY_SAVE, S_POST_FACETS, S_POST_TAG_IDS, S_POST_GET, S_POST_BY_SLUG, S_POST_BY_SLUG_HTML, S_POST_SET_STATUS, S_POST_DELETE, S_POST_DUE, S_POST_PUBLISH,
	S_ARCHIVE_MONTHS,
	S_REDIRECT_GET, S_REDIRECT_SET, S_REDIRECT_LIST,
	S_CHANGES_SINCE, S_CHANGE_NEWEST,
	S_FTS_SOURCE, S_FTS_PUT, S_FTS_DELETE, S_FTS_CLEAR, S_SEARCH, S_SEARCH_COUNT,
	S_SEARCH_ALL, S_SEARCH_ALL_COUNT, S_SEARCH_FUTURE, S_SEARCH_SNIPPET,
	S_FTS_BY_TAG, S_FTS_BY_CATEGORY, S_FTS_BY_AUTHOR,
	S_REL_TEXT, S_REL_CLEAR, S_REL_PUT, S_REL_LISTED_BY, S_REL_OF, S_REL_SCORES, S_ARTICLE_IDS,
	S_REL_LIST, S_REL_FTS5, S_REL_DOC_GET, S_REL_DOC_PUT, S_REL_DOC_DEL, S_REL_DF_GET,
	S_REL_DF_ADD, S_REL_DF_PRUNE, S_REL_POSTING_ADD, S_REL_POSTING_DEL, S_REL_POSTINGS,
	S_REL_FACETS,
	S_CM_POST_OK, S_CM_PARENT_OK, S_CM_INSERT, S_CM_GET, S_CM_LIST, S_CM_COUNT, S_CM_THREAD,
	S_CM_BY_EMAIL, S_CM_BY_IP, S_CM_BY_NET, S_CM_DUP, S_CM_STATE, S_CM_SET_STATUS,
	S_CM_REPARENT, S_CM_DELETE,
	S_SPAM_GET, S_SPAM_ADD, S_SPAM_CLEAR, S_SPAM_FORGET,
	S_USER_BY_EMAIL, S_SESSION_ADD, S_SESSION_PRUNE, S_SESSION_GET, S_SESSION_TOUCH,
	S_SESSION_DELETE, S_SESSION_DELETE_USER, S_SIGNIN_FAIL, S_SIGNIN_COUNT, S_SIGNIN_CLEAR,
	S_SIGNIN_PRUNE,
	S_REV_ADD, S_REV_OF_POST, S_REV_LIST, S_REV_GET, S_REDIRECT_RETARGET, S_REDIRECT_DELETE,
	S_TAG_RELINK, S_REV_RECENT,
	S_SPELL_FORGET, S_SPELL_ADD, S_SPELL_CLEAR, S_SPELL_HAS, S_SPELL_NEAR,
	S_MAP_GET, S_MAP_FIND, S_MAP_SET, S_CM_IMPORT_INSERT, S_CM_IMPORT_UPDATE, S_POST_EXISTS,
	S_SITEMAP_EACH, S_SITEMAP_CHUNKS, S_TERM_CATEGORIES, S_TERM_TAGS, S_TERM_AUTHORS,
	S_MEDIA_ADD, S_MEDIA_VARIANT_ADD, S_MEDIA_GET, S_MEDIA_LIST, S_MEDIA_COUNT, S_MEDIA_VARIANTS,
	S_MEDIA_FILE, S_MEDIA_SET_ALT, S_MEDIA_DELETE_VARIANTS, S_MEDIA_DELETE, S_MEDIA_USAGE,
	S_MENU_GET, S_MENU_CLEAR, S_MENU_ADD,
	S__MAX
};

/* Listing statements are composed from fixed fragments by shape
 * (sqlite_list.c) and cached per connection, one slot per shape. */
#define LIST_SHAPES 8192

/* The bytes of the WAL index header a reused read transaction compares. */
#define WAL_HDR_BYTES 48

struct conn {
	sqlite3 *db;
	sqlite3_stmt *st[S__MAX];
	sqlite3_stmt *list[LIST_SHAPES];
	struct conn *next;
	/* A read transaction left open after a page (sqlite.c: read_end), the
	 * WAL index header as it was when it began, and where the header is
	 * (SQLite's own map of the -shm file; NULL until known, and for good
	 * when the file is not in WAL mode). */
	bool parked, walhdr_tried;
	const volatile unsigned char *walhdr;
	unsigned char began[WAL_HDR_BYTES];
	/* The change log's newest entry as this page transaction sees it
	 * (sqlite_site.c: sqs_change_last), which a kept one cannot change. */
	bool newest_known;
	int64_t newest_id, newest_at;
};

struct sq {
	char path[1100];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn *idle;
	int nconn, maxconn;
	/* Dedicated connection for PRAGMA data_version (writes by any other
	 * connection - ours or another process's - bump it). */
	struct conn *watch;
	pthread_mutex_t watch_mu;
	int64_t data_version;
	/* A copy being written into this store (sqlite_copy.c): its
	 * connection, in the copy's transaction, and an INSERT per table. */
	struct conn *copying;
	sqlite3_stmt *copy_insert[COPY_TABLE__MAX];
};

extern const char *const sqlite_stmt_sql[S__MAX];

struct conn *conn_get(struct store *st);
/* The connection of the calling thread's page (read_begin), or NULL. */
struct conn *conn_page(struct store *st);
void conn_put(struct store *st, struct conn *c);
/* The prepared, reset, unbound statement; NULL on a prepare error (logged). */
sqlite3_stmt *stmt(struct store *st, struct conn *c, enum stmt s);
/* Map a SQLite result to enum err (CONSTRAINT_UNIQUE -> ERR_CONFLICT, ...),
 * logging unexpected errors once. */
enum err sq_err(struct store *st, struct conn *c, int rc);
/* Run a statement with no result rows; returns ERR_OK on SQLITE_DONE. */
enum err sq_exec(struct store *st, struct conn *c, sqlite3_stmt *s);
enum err sq_begin(struct store *st, struct conn *c);
/* Bind args to `which` and run it (no result rows), on c in its transaction. */
struct sq_arg;
enum err sq_run(struct store *st, struct conn *c, enum stmt which, const struct sq_arg *args,
	       int n);
enum err sq_end(struct store *st, struct conn *c, enum err rc); /* commit or rollback */
enum err sq_redirect_steps(struct store *st, struct conn *c, const char *from_path,
			   const char *to_path);
enum err sq_revision_of_post(struct store *st, struct conn *c, int64_t post_id, int64_t user_id,
			     int64_t at);
enum err sq_change(struct store *st, struct conn *c, const char *kind, int64_t id,
		   const char *detail);
/* Column text copied into the arena ("" for NULL). */
const char *col_text(struct arena *a, sqlite3_stmt *s, int i);

/* A value to bind, in parameter order ?1, ?2, ... */
struct sq_arg {
	enum { SQ_ARG_NULL, SQ_ARG_INT, SQ_ARG_TEXT } kind;
	const char *text;
	int64_t num;
};
#define SQ_I(x) ((struct sq_arg){SQ_ARG_INT, NULL, (int64_t)(x)})
#define SQ_T(x) ((struct sq_arg){SQ_ARG_TEXT, (x), 0}) /* x must not be NULL */
#define SQ_NULL ((struct sq_arg){SQ_ARG_NULL, NULL, 0})
/* `args, count` for the helpers below from a list of SQ_I/SQ_T values. */
#define SQ_ARGS(...)                                                                       \
	(const struct sq_arg[]){__VA_ARGS__},                                              \
		(int)(sizeof((struct sq_arg[]){__VA_ARGS__}) / sizeof(struct sq_arg))

/* Reads the current row of s into *out (a struct of the caller's type). */
typedef void (*sq_row_fn)(struct arena *a, sqlite3_stmt *s, void *out);

void sq_bind(sqlite3_stmt *s, const struct sq_arg *args, int n);
/* Run `which` and read its first row; ERR_NOTFOUND when there is none. */
enum err sq_one(struct store *st, struct arena *a, enum stmt which, const struct sq_arg *args,
		int n, sq_row_fn read, void *out);
/* Run `which`, handing each row to `row`, which returns false to stop
 * early (and keeps its own errors in ud); the connection, the binding, the
 * steps, SQLite's errors and the reset are here. */
typedef bool (*sq_each_fn)(void *ud, sqlite3_stmt *s);
enum err sq_each(struct store *st, enum stmt which, const struct sq_arg *args, int n,
		 sq_each_fn row, void *ud);
/* Run `which` and read every row into an arena array of elem-byte items. */
enum err sq_all(struct store *st, struct arena *a, enum stmt which, const struct sq_arg *args,
		int n, sq_row_fn read, size_t elem, void **out, size_t *count);

enum sq_flags {
	SQ_MUST_CHANGE = 1 << 0, /* no row changed -> ERR_NOTFOUND */
	SQ_LOG_ROWID = 1 << 1,   /* log the inserted row's id instead of `id` */
};
/* Run one writing statement in its own transaction together with its
 * change-log row (kind, id, detail). *rowid (may be NULL) gets the last
 * inserted row id. */
enum err sq_write(struct store *st, enum stmt which, const struct sq_arg *args, int n,
		  unsigned flags, const char *kind, int64_t id, const char *detail,
		  int64_t *rowid);

/* The columns of a post in a listing (row_post's order, bodies left out);
 * FROM must alias posts p, users u and categories c. */
#define POST_LIST_COLS                                                                     \
	"p.id, p.type, p.status, p.slug, p.title, p.excerpt, '', '', "                      \
	"p.author_id, p.category_id, p.parent_id, p.sticky, p.comments_open, "              \
	"p.published_at, p.created_at, p.updated_at, "                                      \
	"(SELECT count(*) FROM comments cm WHERE cm.post_id = p.id AND cm.status = 'approved'), " \
	"u.login, u.display_name, c.slug, c.name, c.path, p.summary, p.featured_media_id "

/* A user row (sqlite_site.c): id, login, email, display_name, bio, pwhash,
 * role, created_at. */
void row_user(struct arena *a, sqlite3_stmt *s, void *out);

/* A post row in the column order of POST_COLS (sqlite_stmt.c). */
void row_post(struct arena *a, sqlite3_stmt *s, void *out);
/* Its first five columns (id, type, status, slug, title), the rest zeroed:
 * shared with the related cards (sqlite_related.c). */
void row_post_head(struct arena *a, sqlite3_stmt *s, struct post *p);

/* What a post touches (sqlite_facets.c, store/facets.h): read before a
 * write, then sq_post_changed() writes the change-log row with the union. */
enum err sq_post_facets(struct store *st, struct conn *c, int64_t id, struct post_facets *f);
enum err sq_post_changed(struct store *st, struct conn *c, int64_t id,
			 const struct post_facets *before);

/* sq_write for a write to a name that articles' search text includes (a
 * tag's, a category's, an author's): the posts `affected` selects with
 * `key` (before the write) are re-indexed after it, in the same
 * transaction. */
enum err sq_write_reindex(struct store *st, enum stmt which, const struct sq_arg *args, int n,
			  enum stmt affected, int64_t key, const char *kind, int64_t id,
			  const char *detail, bool must_change);

/* Run each() on every article id in transactions of `batch` ids (writers
 * wait at most one batch); first() opens the first batch, last() closes the
 * last (both may be NULL); progress (may be NULL) after every batch. */
typedef enum err (*sq_id_fn)(struct store *st, struct conn *c, int64_t id);
typedef enum err (*sq_conn_fn)(struct store *st, struct conn *c);
enum err sq_each_article(struct store *st, size_t batch, sq_id_fn each, sq_conn_fn first,
			 sq_conn_fn last, void (*progress)(int64_t done, int64_t total));

/* The search index (sqlite_search.c). */
int sq_register_search(sqlite3 *db);
/* The FTS5 API of connection db (NULL when it has none). */
fts5_api *sq_fts5_api(sqlite3 *db);
/* Put post id into the index, or take it out when it is not a public
 * article; inside the caller's transaction. */
enum err sq_index_post(struct store *st, struct conn *c, int64_t id);
/* The ids `which` (one int parameter) returns, into the arena. */
enum err sq_ids(struct store *st, struct conn *c, struct arena *a, enum stmt which, int64_t key,
		int64_t **ids, size_t *n);
enum err sq_index_ids(struct store *st, struct conn *c, const int64_t *ids, size_t n);
/* Related articles (sqlite_related.c): recompute id's list and its
 * neighbours' inside the caller's transaction. */
enum err sq_relate(struct store *st, struct conn *c, int64_t id);
/* sqlite_words.c: related.h's tokenizer on FTS5 api (NULL when it fails). */
struct rel_tok *sq_rel_tok(fts5_api *api);
enum err sqr_related(struct store *st, struct arena *a, int64_t id, int64_t now, size_t max,
		     struct post **out, size_t *n, int64_t **ids, size_t *nids);
enum err sqr_related_ids(struct store *st, struct arena *a, int64_t id, int64_t **ids, size_t *n);
enum err sqr_relate_all(struct store *st, void (*progress)(int64_t done, int64_t total));
enum err sqx_search(struct store *st, struct arena *a, const struct search_request *q,
		    struct search_hit **out, size_t *n, int64_t *total);
enum err sqx_spell_words(struct store *st, struct arena *a, const char *word,
			 struct spell_word **out, size_t *n);
/* sqlite_stem.c: the gz_stem tokenizer, and the index's language */
int sq_register_stemmer(sqlite3 *db, fts5_api *api);
/* Make the index's tables (empty) for lang inside c's transaction, unless
 * they are already made for it (*remade says which); the caller refills
 * them. */
enum err sq_search_tables(struct store *st, struct conn *c, const char *lang, bool *remade);
enum err sqx_search_language(struct store *st, const char *lang,
			     void (*progress)(int64_t done, int64_t total));
enum err sqx_reindex(struct store *st, void (*progress)(int64_t done, int64_t total));

/* The ops, by file: sqlite_site.c (sqs_), sqlite_tax.c (sqt_),
 * sqlite_posts.c and sqlite_list.c (sqp_); sqlite.c fills the table. */
enum err sqs_setting_get(struct store *st, struct arena *a, const char *key, const char **out);
enum err sqs_setting_set(struct store *st, const char *key, const char *value);
enum err sqs_setting_list(struct store *st, struct arena *a, const char ***keys,
			  const char ***values, size_t *n);
enum err sqs_user_add(struct store *st, const struct user *u, int64_t *id);
enum err sqs_user_get(struct store *st, struct arena *a, int64_t id, struct user *out);
enum err sqs_user_by_login(struct store *st, struct arena *a, const char *login,
			   struct user *out);
enum err sqs_user_list(struct store *st, struct arena *a, struct user **out, size_t *n);
enum err sqs_user_update(struct store *st, const struct user *u);
enum err sqs_redirect_get(struct store *st, struct arena *a, const char *from,
			  struct redirect *out);
enum err sqs_redirect_set(struct store *st, const struct redirect *r);
enum err sqs_redirect_list(struct store *st, struct arena *a, struct redirect **out, size_t *n);
enum err sqs_changes_since(struct store *st, struct arena *a, int64_t after,
			   struct change **out, size_t *n);
enum err sqs_change_last(struct store *st, int64_t *id, int64_t *at);
enum err sqp_post_save(struct store *st, const struct post_input *in, int64_t *id);
enum err sqp_post_get(struct store *st, struct arena *a, int64_t id, struct post *out);
enum err sqp_post_by_slug(struct store *st, struct arena *a, enum post_type type,
			  const char *slug, struct post *out);
enum err sqp_post_by_slug_html(struct store *st, struct arena *a, enum post_type type,
			       const char *slug, struct post *out);
enum err sqp_post_list(struct store *st, struct arena *a, const struct post_query *q,
		       struct post **out, size_t *n, int64_t *total);
enum err sqp_post_set_status(struct store *st, int64_t id, enum post_status status,
			     int64_t published_at);
enum err sqp_post_delete(struct store *st, int64_t id);
enum err sqp_post_publish_due(struct store *st, int64_t now, size_t *n);
enum err sqp_archive_months(struct store *st, struct arena *a, int64_t now,
			    struct archive_month **out, size_t *n);
/* sqlite_comments.c */
enum err sqc_comment_add(struct store *st, const struct comment *c, int64_t *id);
enum err sqc_comment_get(struct store *st, struct arena *a, int64_t id, struct comment *out);
enum err sqc_comment_list(struct store *st, struct arena *a, const struct comment_query *q,
			  struct comment **out, size_t *n, int64_t *total);
enum err sqc_comment_thread(struct store *st, struct arena *a, int64_t post_id,
			    struct comment **out, size_t *n);
enum err sqc_comment_signals(struct store *st, const struct comment *c, int64_t since,
			     struct comment_signals *out);
enum err sqc_comment_set_status(struct store *st, int64_t id, enum comment_status status,
				const char *const *tokens, size_t ntokens);
enum err sqc_comment_delete(struct store *st, int64_t id);
enum err sqc_spam_counts(struct store *st, struct arena *a, const char *const *tokens, size_t n,
			 struct spam_counts *out);
enum err sqc_spam_clear(struct store *st);
/* sqlite_revisions.c */
enum err sqv_revision_add(struct store *st, const struct revision *r, int64_t *id);
enum err sqv_revision_list(struct store *st, struct arena *a, int64_t post_id,
			   struct revision **out, size_t *n);
enum err sqv_revision_recent(struct store *st, struct arena *a, int64_t user_id, int64_t limit,
			     struct revision **out, size_t *n);
enum err sqv_revision_get(struct store *st, struct arena *a, int64_t id, struct revision *out);
enum err sqv_redirect_move(struct store *st, const char *from_path, const char *to_path);
/* sqlite_session.c */
enum err sqa_user_by_email(struct store *st, struct arena *a, const char *email,
			   struct user *out);
enum err sqa_session_add(struct store *st, const struct session *s, int64_t prune_before);
enum err sqa_session_get(struct store *st, struct arena *a, const char *token_hash,
			 struct session *out);
enum err sqa_session_touch(struct store *st, const char *token_hash, int64_t at);
enum err sqa_session_delete(struct store *st, const char *token_hash);
enum err sqa_session_delete_user(struct store *st, int64_t user_id);
enum err sqa_signin_failed(struct store *st, const char *key, int64_t at, int64_t prune_before);
enum err sqa_signin_failures(struct store *st, const char *key, int64_t since, int64_t *n);
enum err sqa_signin_clear(struct store *st, const char *key);
enum err sqt_category_add(struct store *st, const struct category *c, int64_t *id);
enum err sqt_category_get(struct store *st, struct arena *a, int64_t id, struct category *out);
enum err sqt_category_by_path(struct store *st, struct arena *a, const char *path,
			      struct category *out);
enum err sqt_category_by_slug(struct store *st, struct arena *a, const char *slug,
			      struct category *out);
enum err sqt_category_list(struct store *st, struct arena *a, int64_t now,
			   struct category **out, size_t *n);
enum err sqt_category_update(struct store *st, const struct category *c);
enum err sqt_category_delete(struct store *st, int64_t id);
enum err sqt_tag_by_slug(struct store *st, struct arena *a, const char *slug, struct tag *out);
enum err sqt_tag_list(struct store *st, struct arena *a, int64_t now, struct tag **out,
		      size_t *n);
enum err sqt_tag_update(struct store *st, int64_t id, const char *name, const char *slug);
enum err sqt_tag_delete(struct store *st, int64_t id);
enum err sqt_tag_merge(struct store *st, int64_t from, int64_t into);
enum err sqt_category_merge(struct store *st, int64_t from, int64_t into);
enum err sqt_post_tags(struct store *st, struct arena *a, int64_t post_id, struct tag **out,
		       size_t *n);
/* sqlite_import.c */
enum err sqi_import_map_get(struct store *st, const char *source, const char *kind,
			    const char *wp_id, int64_t *id);
enum err sqi_import_map_find(struct store *st, const char *kind, const char *wp_id, int64_t *id);
enum err sqi_import_map_set(struct store *st, const char *source, const char *kind,
			    const char *wp_id, int64_t id);
enum err sqi_tag_add(struct store *st, const char *slug, const char *name, int64_t *id);
enum err sqi_comment_put(struct store *st, const struct comment *c, int64_t *id);
/* sqlite_menu.c */
enum err sqm_menu_get(struct store *st, struct arena *a, struct menu_item **out, size_t *n);
enum err sqm_menu_set(struct store *st, const struct menu_item *items, size_t n);
/* Link tags by id inside the caller's transaction. */
enum err sqt_link_tag_ids(struct store *st, struct conn *c, int64_t post_id, const int64_t *ids,
			  size_t n);
/* sqlite_sitemap.c */
enum err sqm_post_each_public(struct store *st, enum post_type type, int64_t now,
			      int64_t offset, int64_t limit, post_each_fn each, void *ud);
enum err sqm_post_chunks(struct store *st, struct arena *a, enum post_type type, int64_t now,
			 int64_t size, int64_t lead, int64_t **lastmod, size_t *n);
enum err sqm_term_lastmods(struct store *st, struct arena *a, enum term_kind kind, int64_t now,
			   struct term_mod **out, size_t *n);
/* sqlite_media.c */
enum err sqd_media_add(struct store *st, const struct media *m, int64_t *id);
enum err sqd_media_get(struct store *st, struct arena *a, int64_t id, struct media *out);
enum err sqd_media_list(struct store *st, struct arena *a, int64_t offset, int64_t limit,
			struct media **out, size_t *n, int64_t *total);
enum err sqd_media_file(struct store *st, struct arena *a, const char *path, const char **mime);
enum err sqd_media_set_alt(struct store *st, int64_t id, const char *alt);
enum err sqd_media_delete(struct store *st, int64_t id);
enum err sqd_media_usage(struct store *st, struct arena *a, int64_t id, const char *needle,
			 struct post **out, size_t *n);
/* sqlite_copy.c: a whole site's rows out and in (store/copy.h) */
enum err sqy_copy_read(struct store *st, enum copy_table t, copy_row_fn each, void *ud);
enum err sqy_copy_count(struct store *st, enum copy_table t, int64_t *n);
enum err sqy_copy_begin(struct store *st);
enum err sqy_copy_put(struct store *st, enum copy_table t, const struct copy_value *row);
enum err sqy_copy_finish(struct store *st, const char *lang,
			 void (*progress)(int64_t done, int64_t total));
enum err sqy_copy_end(struct store *st, bool commit);
/* Link tags by name (creating missing ones) inside the caller's transaction. */
enum err sqt_link_tags(struct store *st, struct conn *c, int64_t post_id,
		       const char *const *names, size_t n);

#endif
