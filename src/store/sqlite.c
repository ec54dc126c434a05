/* sqlite.c - the SQLite backend: connection pool, migrations, settings,
 * users, redirects, the change log and backups. Posts and taxonomy are in
 * sqlite_posts.c and sqlite_tax.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "render/markdown.h"
#include "store/sqlite_int.h"
#include "store/sqlite_schema.h"

#define SQ(st) ((struct sq *)(st)->impl)

/* Before SQLite starts: no global memory statistics, which take a mutex
 * on every allocation (and pages allocate on every query). */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static enum err open_conn(const char *path, sqlite3 **out, char *errmsg, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_once);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(errmsg, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return ERR_DB;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	const char *pragmas = "PRAGMA journal_mode = WAL;"
			      "PRAGMA synchronous = NORMAL;"
			      "PRAGMA foreign_keys = ON;"
			      "PRAGMA temp_store = MEMORY;";
	char *e = NULL;
	if (sqlite3_exec(db, pragmas, NULL, NULL, &e) != SQLITE_OK) {
		snprintf(errmsg, errlen, "%s: %s", path, e ? e : "pragma failed");
		sqlite3_free(e);
		sqlite3_close(db);
		return ERR_DB;
	}
	if (sq_register_search(db) != SQLITE_OK) {
		snprintf(errmsg, errlen, "%s: SQLite without FTS5", path);
		sqlite3_close(db);
		return ERR_DB;
	}
	*out = db;
	return ERR_OK;
}

static void free_conn(struct conn *c)
{
	if (!c)
		return;
	if (c->parked)
		sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	for (int i = 0; i < S__MAX; i++)
		sqlite3_finalize(c->st[i]);
	for (int i = 0; i < LIST_SHAPES; i++)
		sqlite3_finalize(c->list[i]);
	sqlite3_close(c->db);
	free(c);
}

/* A thread inside read_begin/read_end keeps one connection and one read
 * transaction for all its reads: one snapshot for the whole page, and one
 * set of file locks instead of one per statement. */
static _Thread_local struct conn *pinned;
static _Thread_local struct store *pinned_store;
static _Thread_local int pin_depth;

static struct conn *pool_take(struct store *st);
static struct conn *pool_get(struct store *st);
static void pool_put(struct store *st, struct conn *c);

struct conn *conn_get(struct store *st)
{
	if (pinned && pinned_store == st)
		return pinned;
	return pool_get(st);
}

struct conn *conn_page(struct store *st)
{
	return pinned && pinned_store == st ? pinned : NULL;
}

void conn_put(struct store *st, struct conn *c)
{
	if (c && c == pinned && pinned_store == st)
		return; /* released by read_end */
	pool_put(st, c);
}

/* BEGIN and COMMIT from the prepared statements, not parsed per page. */
static bool step_once(struct store *st, struct conn *c, enum stmt which)
{
	sqlite3_stmt *s = stmt(st, c, which);
	if (!s)
		return false;
	int r = sqlite3_step(s);
	sqlite3_reset(s);
	return r == SQLITE_DONE;
}

/* --- read transactions kept between pages --------------------------------
 *
 * Starting and ending a read transaction (WAL read lock, file size, COMMIT)
 * was an eighth of an uncached page. So read_end leaves a page's read
 * transaction open on its pooled connection ("parked"), and the next
 * read_begin reuses it if nobody has committed since. SQLite's WAL index
 * header (https://sqlite.org/walformat.html) tells: every commit, from any
 * connection or process, rewrites it, second copy first and this first copy
 * last, before the commit returns. Its bytes are taken before BEGIN, so a
 * commit racing with BEGIN makes the next page start afresh, never keeps a
 * stale snapshot. Any other use of the connection (writes, back office)
 * ends a parked transaction first (pool_get), and the change watcher ends
 * idle ones after a commit (sweep_parked) so that checkpoints can go on. */

/* SQLite's own mapping of the -shm file's first region, found once per
 * connection after its first read (the WAL is open by then). */
static void find_walhdr(struct conn *c)
{
	c->walhdr_tried = true;
	sqlite3_stmt *s = NULL;
	bool wal = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
		   sqlite3_step(s) == SQLITE_ROW &&
		   strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
	sqlite3_finalize(s);
	sqlite3_file *f = NULL;
	if (!wal || sqlite3_file_control(c->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK ||
	    !f || !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
		return;
	void volatile *p = NULL;
	if (f->pMethods->xShmMap(f, 0, 32768, 0, &p) == SQLITE_OK && p)
		c->walhdr = p;
}

static void walhdr_read(const struct conn *c, unsigned char out[WAL_HDR_BYTES])
{
	atomic_thread_fence(memory_order_acquire);
	memcpy(out, (const unsigned char *)c->walhdr, WAL_HDR_BYTES);
}

static bool parked_current(const struct conn *c)
{
	unsigned char now[WAL_HDR_BYTES];
	walhdr_read(c, now);
	return memcmp(now, c->began, WAL_HDR_BYTES) == 0;
}

static void unpark(struct store *st, struct conn *c)
{
	if (!c->parked)
		return;
	c->parked = false;
	if (!sqlite3_get_autocommit(c->db))
		step_once(st, c, S_COMMIT);
}

static enum err read_begin(struct store *st)
{
	if (pin_depth++ > 0)
		return ERR_OK;
	struct conn *c = pool_take(st);
	if (!c) {
		pin_depth = 0;
		return ERR_DB;
	}
	if (c->parked && !sqlite3_get_autocommit(c->db) && parked_current(c)) {
		c->parked = false;
	} else {
		unpark(st, c);
		c->newest_known = false;
		if (c->walhdr)
			walhdr_read(c, c->began);
		if (!step_once(st, c, S_BEGIN_READ)) {
			pool_put(st, c);
			pin_depth = 0;
			return ERR_DB;
		}
	}
	pinned = c;
	pinned_store = st;
	return ERR_OK;
}

static void read_end(struct store *st)
{
	if (pin_depth == 0 || --pin_depth > 0 || pinned_store != st)
		return;
	struct conn *c = pinned;
	pinned = NULL;
	pinned_store = NULL;
	if (!sqlite3_get_autocommit(c->db)) {
		/* only a transaction that read and wrote nothing stays open */
		if (c->walhdr && sqlite3_txn_state(c->db, "main") == SQLITE_TXN_READ)
			c->parked = true;
		else
			step_once(st, c, S_COMMIT);
	}
	if (!c->walhdr_tried && !c->parked)
		find_walhdr(c);
	pool_put(st, c);
}

/* A connection for anything but a page's reads: in no transaction. */
static struct conn *pool_get(struct store *st)
{
	struct conn *c = pool_take(st);
	if (c)
		unpark(st, c);
	return c;
}

/* From the change watcher, after a commit: end the parked transactions
 * (each holds back checkpoints at its snapshot, and is stale anyway). */
static void sweep_parked(struct store *st)
{
	struct sq *q = SQ(st);
	pthread_mutex_lock(&q->mu);
	for (struct conn *c = q->idle; c; c = c->next)
		if (c->parked && !parked_current(c))
			unpark(st, c);
	pthread_mutex_unlock(&q->mu);
}

/* Any pooled connection, or a new one; it may hold a parked transaction. */
static struct conn *pool_take(struct store *st)
{
	struct sq *q = SQ(st);
	pthread_mutex_lock(&q->mu);
	while (!q->idle && q->nconn >= q->maxconn)
		pthread_cond_wait(&q->cv, &q->mu);
	struct conn *c = q->idle;
	if (c) {
		q->idle = c->next;
		pthread_mutex_unlock(&q->mu);
		return c;
	}
	q->nconn++;
	pthread_mutex_unlock(&q->mu);
	c = calloc(1, sizeof *c);
	char msg[512];
	if (!c || open_conn(q->path, &c->db, msg, sizeof msg) != ERR_OK) {
		log_error("store: cannot open connection: %s", c ? msg : "out of memory");
		free(c);
		pthread_mutex_lock(&q->mu);
		q->nconn--;
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&q->mu);
		return NULL;
	}
	return c;
}

static void pool_put(struct store *st, struct conn *c)
{
	if (!c)
		return;
	struct sq *q = SQ(st);
	if (!c->parked && !sqlite3_get_autocommit(c->db)) /* a caller bug: never leak one */
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_lock(&q->mu);
	c->next = q->idle;
	q->idle = c;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* Cheap "did anyone write?" check: PRAGMA data_version on a connection
 * nobody writes through changes when any other connection commits. */
static enum err changed(struct store *st, bool *yes)
{
	struct sq *q = SQ(st);
	pthread_mutex_lock(&q->watch_mu);
	sqlite3_stmt *s = NULL;
	enum err rc = ERR_DB;
	*yes = false;
	if (sqlite3_prepare_v2(q->watch->db, "PRAGMA data_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(s, 0);
		*yes = v != q->data_version;
		q->data_version = v;
		rc = ERR_OK;
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&q->watch_mu);
	if (*yes)
		sweep_parked(st);
	return rc;
}

/* --- maintenance --------------------------------------------------------- */

/* Online backup: copies pages in steps so writers are not blocked for long;
 * the result is one consistent snapshot (the backup restarts if the source
 * changes through another connection). Written to a temporary name, then
 * renamed, so a failed backup never leaves a half file under dest. */
static enum err backup(struct store *st, const char *dest)
{
	char tmp[1200];
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dest, (long)getpid());
	/* Made here, exclusively: never write through a planted file or link. */
	int fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(st->errmsg, sizeof st->errmsg, "%.200s: %s", tmp, strerror(errno));
		return ERR_IO;
	}
	close(fd);
	struct conn *c = conn_get(st);
	if (!c) {
		unlink(tmp);
		return ERR_DB;
	}
	sqlite3 *out = NULL;
	enum err rc = ERR_IO;
	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) ==
	    SQLITE_OK) {
		sqlite3_backup *b = sqlite3_backup_init(out, "main", c->db, "main");
		if (b) {
			int r;
			do {
				r = sqlite3_backup_step(b, 256);
				if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
					sqlite3_sleep(20);
			} while (r == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED);
			if (sqlite3_backup_finish(b) == SQLITE_OK && r == SQLITE_DONE)
				rc = ERR_OK;
		}
		if (rc != ERR_OK)
			str_copy(st->errmsg, sqlite3_errmsg(out), sizeof st->errmsg);
	}
	if (sqlite3_close(out) != SQLITE_OK)
		rc = ERR_IO;
	conn_put(st, c);
	if (rc == ERR_OK && rename(tmp, dest) != 0)
		rc = ERR_IO;
	if (rc != ERR_OK)
		unlink(tmp);
	return rc;
}

static enum err schema_version(struct store *st, int *version)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = NULL;
	enum err rc = ERR_DB;
	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		*version = sqlite3_column_int(s, 0);
		rc = ERR_OK;
	}
	sqlite3_finalize(s);
	conn_put(st, c);
	return rc;
}

static void sq_close(struct store *st)
{
	struct sq *q = SQ(st);
	if (q->copying)
		sqy_copy_end(st, false);
	struct conn *c = q->idle, *next;
	for (; c; c = next) {
		next = c->next;
		free_conn(c);
	}
	free_conn(q->watch);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->watch_mu);
	free(q);
	free(st);
}

static const struct store_ops sqlite_ops = {
	.close = sq_close,
	.setting_get = sqs_setting_get,
	.setting_set = sqs_setting_set,
	.setting_list = sqs_setting_list,
	.user_add = sqs_user_add,
	.user_get = sqs_user_get,
	.user_by_login = sqs_user_by_login,
	.user_list = sqs_user_list,
	.user_update = sqs_user_update,
	.category_add = sqt_category_add,
	.category_get = sqt_category_get,
	.category_by_path = sqt_category_by_path,
	.category_by_slug = sqt_category_by_slug,
	.category_list = sqt_category_list,
	.category_update = sqt_category_update,
	.category_delete = sqt_category_delete,
	.tag_by_slug = sqt_tag_by_slug,
	.tag_list = sqt_tag_list,
	.tag_update = sqt_tag_update,
	.tag_delete = sqt_tag_delete,
	.tag_merge = sqt_tag_merge,
	.category_merge = sqt_category_merge,
	.post_tags = sqt_post_tags,
	.post_save = sqp_post_save,
	.post_get = sqp_post_get,
	.post_by_slug = sqp_post_by_slug,
	.post_by_slug_html = sqp_post_by_slug_html,
	.post_list = sqp_post_list,
	.post_set_status = sqp_post_set_status,
	.post_delete = sqp_post_delete,
	.post_publish_due = sqp_post_publish_due,
	.archive_months = sqp_archive_months,
	.comment_add = sqc_comment_add,
	.comment_get = sqc_comment_get,
	.comment_list = sqc_comment_list,
	.comment_thread = sqc_comment_thread,
	.comment_signals = sqc_comment_signals,
	.comment_set_status = sqc_comment_set_status,
	.comment_delete = sqc_comment_delete,
	.spam_counts = sqc_spam_counts,
	.spam_clear = sqc_spam_clear,
	.post_each_public = sqm_post_each_public,
	.post_chunks = sqm_post_chunks,
	.term_lastmods = sqm_term_lastmods,
	.revision_add = sqv_revision_add,
	.revision_list = sqv_revision_list,
	.revision_get = sqv_revision_get,
	.revision_recent = sqv_revision_recent,
	.redirect_move = sqv_redirect_move,
	.media_add = sqd_media_add,
	.media_get = sqd_media_get,
	.media_list = sqd_media_list,
	.media_file = sqd_media_file,
	.media_set_alt = sqd_media_set_alt,
	.media_delete = sqd_media_delete,
	.media_usage = sqd_media_usage,
	.user_by_email = sqa_user_by_email,
	.session_add = sqa_session_add,
	.session_get = sqa_session_get,
	.session_touch = sqa_session_touch,
	.session_delete = sqa_session_delete,
	.session_delete_user = sqa_session_delete_user,
	.signin_failed = sqa_signin_failed,
	.signin_failures = sqa_signin_failures,
	.signin_clear = sqa_signin_clear,
	.redirect_get = sqs_redirect_get,
	.redirect_set = sqs_redirect_set,
	.redirect_list = sqs_redirect_list,
	.import_map_get = sqi_import_map_get,
	.import_map_find = sqi_import_map_find,
	.import_map_set = sqi_import_map_set,
	.tag_add = sqi_tag_add,
	.comment_put = sqi_comment_put,
	.menu_get = sqm_menu_get,
	.menu_set = sqm_menu_set,
	.changed = changed,
	.changes_since = sqs_changes_since,
	.change_last = sqs_change_last,
	.search = sqx_search,
	.spell_words = sqx_spell_words,
	.search_language = sqx_search_language,
	.related = sqr_related,
	.related_ids = sqr_related_ids,
	.relate_all = sqr_relate_all,
	.reindex = sqx_reindex,
	.read_begin = read_begin,
	.read_end = read_end,
	.copy_read = sqy_copy_read,
	.copy_count = sqy_copy_count,
	.copy_begin = sqy_copy_begin,
	.copy_put = sqy_copy_put,
	.copy_finish = sqy_copy_finish,
	.copy_end = sqy_copy_end,
	.backup = backup,
	.schema_version = schema_version,
};

/* Data steps that SQL alone cannot do, run after migration `version`
 * inside its transaction. 3: derive the summaries of existing posts. */
static int after_migration(sqlite3 *db, size_t version)
{
	if (version != 3)
		return SQLITE_OK;
	sqlite3_stmt *sel = NULL, *upd = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT p.id, b.body_md FROM posts p JOIN post_bodies b "
				    "ON b.post_id = p.id WHERE p.summary = '' AND b.body_md != ''",
				    -1, &sel, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "UPDATE posts SET summary = ?2 WHERE id = ?1", -1, &upd,
					NULL);
	int step = SQLITE_DONE;
	while (rc == SQLITE_OK && (step = sqlite3_step(sel)) == SQLITE_ROW) {
		struct arena a;
		arena_init(&a, 0);
		char *text = NULL;
		if (markdown_excerpt(&a, (const char *)sqlite3_column_text(sel, 1), 300, &text) ==
		    ERR_OK) {
			sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
			sqlite3_bind_text(upd, 2, text, -1, SQLITE_STATIC);
			if (sqlite3_step(upd) != SQLITE_DONE)
				rc = SQLITE_ERROR;
			sqlite3_reset(upd);
		}
		arena_free(&a);
	}
	if (rc == SQLITE_OK && step != SQLITE_DONE)
		rc = step; /* the scan failed part way: do not commit half of it */
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

/* Apply the migrations the database has not seen, each in its own
 * transaction together with the new user_version. A database newer than this
 * binary is refused rather than misread. */
static int user_version(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int version = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return version;
}

static enum err migrate(sqlite3 *db, int *was, char *errmsg, size_t errlen)
{
	int version = user_version(db);
	*was = version;
	if (version > (int)sqlite_nmigrations) {
		snprintf(errmsg, errlen,
			 "database schema version %d is newer than this gazette (%zu)", version,
			 sqlite_nmigrations);
		return ERR_INVALID;
	}
	if (version == (int)sqlite_nmigrations)
		return ERR_OK;
	/* Another process may be migrating the same file: wait for it longer
	 * than usual, and re-read the version under the write lock so nothing
	 * is applied twice. */
	sqlite3_busy_timeout(db, 600000);
	enum err rc = ERR_OK;
	for (;;) {
		char *e = NULL;
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &e) != SQLITE_OK) {
			snprintf(errmsg, errlen, "schema migration: %s", e ? e : sqlite3_errmsg(db));
			sqlite3_free(e);
			rc = ERR_DB;
			break;
		}
		int v = user_version(db);
		if (v < 0 || v >= (int)sqlite_nmigrations) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			break;
		}
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(db, sqlite_migrations[v], NULL, NULL, &e) != SQLITE_OK ||
		    after_migration(db, (size_t)v + 1) != SQLITE_OK ||
		    sqlite3_exec(db, bump, NULL, NULL, &e) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &e) != SQLITE_OK) {
			snprintf(errmsg, errlen, "schema migration %d failed: %s", v + 1,
				 e ? e : sqlite3_errmsg(db));
			sqlite3_free(e);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			rc = ERR_DB;
			break;
		}
	}
	sqlite3_busy_timeout(db, 10000);
	return rc;
}

enum err sqlite_store_open(struct store **out, const char *path, char *errmsg, size_t errlen);

enum err sqlite_store_open(struct store **out, const char *path, char *errmsg, size_t errlen)
{
	struct store *st = calloc(1, sizeof *st);
	struct sq *q = calloc(1, sizeof *q);
	struct conn *w = calloc(1, sizeof *w);
	if (!st || !q || !w) {
		free(st);
		free(q);
		free(w);
		snprintf(errmsg, errlen, "out of memory");
		return ERR_NOMEM;
	}
	str_copy(q->path, path, sizeof q->path);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	pthread_mutex_init(&q->watch_mu, NULL);
	/* More than any worker pool uses, so the watcher thread (scheduled
	 * posts, purges) always finds a connection. */
	q->maxconn = 300;
	q->watch = w;
	st->ops = &sqlite_ops;
	st->impl = q;
	int was = 0;
	enum err rc = open_conn(path, &w->db, errmsg, errlen);
	if (rc == ERR_OK)
		rc = migrate(w->db, &was, errmsg, errlen);
	/* A database from before the search index (4) gets its index built. */
	if (rc == ERR_OK && was > 0 && was < 4 && (rc = sqx_reindex(st, NULL)) != ERR_OK)
		snprintf(errmsg, errlen, "building the search index failed: %s", err_str(rc));
	/* ... and one from before related articles were computed from vectors
	 * (12) gets them computed. */
	if (rc == ERR_OK && was > 0 && was < 12 && (rc = sqr_relate_all(st, NULL)) != ERR_OK)
		snprintf(errmsg, errlen, "computing related articles failed: %s", err_str(rc));
	if (rc != ERR_OK) {
		sq_close(st);
		return rc;
	}
	bool dummy;
	changed(st, &dummy); /* prime data_version */
	*out = st;
	return ERR_OK;
}
