/* pg.c - the PostgreSQL backend: opening (with migrations), the connection
 * pool, read snapshots, the change-log watcher and the ops table. The ops
 * themselves are in pg_site.c, pg_tax.c, pg_posts.c, pg_list.c,
 * pg_comments.c, pg_session.c and pg_misc.c (see pg_int.h). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "store/pg.h"
#include "store/pg_int.h"

/* Connections per node. Requests hold one for a page (read_begin) or an
 * op; the HTTP worker pool is one thread per core, plus the watcher and the
 * odd CLI call, so this leaves room while keeping several nodes well under
 * PostgreSQL's default max_connections (100). */
#define POOL_MAX 16

/* The advisory lock key under which migrations run ("gzmg"). */
#define MIGRATE_LOCK "1736076647"

/* --- the pool ------------------------------------------------------------ */

/* A thread inside read_begin/read_end keeps one connection and one
 * REPEATABLE READ transaction: one snapshot for the whole page. */
static _Thread_local struct pconn *pinned;
static _Thread_local struct store *pinned_store;
static _Thread_local int pin_depth;

static struct pconn *pool_get(struct store *st)
{
	struct pg *q = PG(st);
	pthread_mutex_lock(&q->mu);
	while (!q->idle && q->nconn >= q->maxconn)
		pthread_cond_wait(&q->cv, &q->mu);
	struct pconn *c = q->idle;
	if (c) {
		q->idle = c->next;
		pthread_mutex_unlock(&q->mu);
		c->next = NULL;
		if (pg_conn_usable(c))
			return c;
		log_error("store: PostgreSQL: cannot reconnect: %s", PQerrorMessage(c->db));
		pthread_mutex_lock(&q->mu);
		c->next = q->idle;
		q->idle = c;
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&q->mu);
		return NULL;
	}
	q->nconn++;
	pthread_mutex_unlock(&q->mu);
	c = calloc(1, sizeof *c);
	char msg[512] = "out of memory";
	if (c)
		c->db = pg_connect(q->conninfo, msg, sizeof msg);
	if (!c || !c->db) {
		log_error("store: cannot open a connection: %s", msg);
		free(c);
		pthread_mutex_lock(&q->mu);
		q->nconn--;
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&q->mu);
		return NULL;
	}
	return c;
}

static void pool_put(struct store *st, struct pconn *c)
{
	if (!c)
		return;
	struct pg *q = PG(st);
	/* a caller bug: never hand on an open transaction */
	if (c->in_tx || (PQstatus(c->db) == CONNECTION_OK &&
			 PQtransactionStatus(c->db) != PQTRANS_IDLE)) {
		PQclear(PQexec(c->db, "ROLLBACK"));
		c->in_tx = false;
	}
	pthread_mutex_lock(&q->mu);
	c->next = q->idle;
	q->idle = c;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

struct pconn *pg_conn_get(struct store *st)
{
	if (pinned && pinned_store == st)
		return pinned;
	return pool_get(st);
}

void pg_conn_put(struct store *st, struct pconn *c)
{
	if (c && c == pinned && pinned_store == st)
		return; /* released by read_end */
	pool_put(st, c);
}

static enum err read_begin(struct store *st)
{
	if (pin_depth++ > 0)
		return ERR_OK;
	struct pconn *c = pool_get(st);
	enum err rc = c ? pg_begin_read(st, c) : ERR_DB;
	if (rc != ERR_OK) {
		pool_put(st, c);
		pin_depth = 0;
		return rc;
	}
	pinned = c;
	pinned_store = st;
	return ERR_OK;
}

static void read_end(struct store *st)
{
	if (pin_depth == 0 || --pin_depth > 0 || pinned_store != st)
		return;
	struct pconn *c = pinned;
	pinned = NULL;
	pinned_store = NULL;
	pg_end(st, c, ERR_OK);
	pool_put(st, c);
}

/* --- the change-log watcher ---------------------------------------------- */

static bool listen_on(PGconn *db)
{
	PGresult *r = PQexec(db, "LISTEN " PG_CHANNEL);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

/* The newest committed change-log id, on the watcher's connection. */
static bool newest_change(PGconn *db, int64_t *out)
{
	PGresult *r = PQexec(db, "SELECT coalesce(max(id), 0) FROM changes");
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (ok)
		*out = pg_int(r, 0, 0);
	PQclear(r);
	return ok;
}

/* The watcher's connection, LISTENing: true when it is (with watch_mu
 * held). A connection that broke (the server restarted or went away) is
 * reset and LISTENs again; while the server stays away that is tried at
 * most once a second unless `now` asks for it (changed()), so a follower
 * waiting on it does not hammer the server. Logged once when the
 * connection is lost and once when it is back. */
static bool watch_ready(struct pg *q, bool now)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (PQstatus(q->watch) == CONNECTION_OK && PQconsumeInput(q->watch)) {
			if (q->listening || (q->listening = listen_on(q->watch)))
				break;
			if (PQstatus(q->watch) == CONNECTION_OK)
				return false; /* LISTEN refused: not a broken connection */
		}
		/* broken (now or meanwhile): reconnect */
		if (!q->watch_lost) {
			q->watch_lost = true;
			log_warn("store: change watcher: lost the PostgreSQL connection; "
				 "reconnecting");
		}
		q->listening = false;
		int64_t t = clock_mono_ms();
		if (!now && t < q->watch_retry_at)
			return false;
		q->watch_retry_at = t + 1000;
		PQreset(q->watch);
		if (PQstatus(q->watch) != CONNECTION_OK)
			return false;
		PQsetClientEncoding(q->watch, "UTF8");
	}
	if (!q->listening)
		return false;
	if (q->watch_lost) {
		q->watch_lost = false;
		log_warn("store: change watcher: reconnected to PostgreSQL, listening again");
	}
	return true;
}

/* Did any node (or process) commit a change-log row since the last call?
 *
 * The answer is the newest committed id in the log (one index probe on the
 * watcher's own connection): ids become visible in commit order (see
 * pg_int.h), so a new one means new rows, and a write that has returned
 * is seen by the very next call, as with SQLite's data_version. Each row is
 * also announced by NOTIFY at commit; the watcher LISTENs from its first
 * call on (a CLI run that never asks does not LISTEN, so nothing piles up
 * unread), notifications are drained here, and a follower may wait on the
 * watcher's socket to react before its next poll. After the connection
 * broke (the server restarted) it is reset and LISTENs again; the id
 * comparison still tells whether anything was missed meanwhile. */
static enum err changed(struct store *st, bool *yes)
{
	struct pg *q = PG(st);
	*yes = false;
	pthread_mutex_lock(&q->watch_mu);
	enum err rc = ERR_DB;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!watch_ready(q, true))
			break;
		PGnotify *n;
		while ((n = PQnotifies(q->watch)))
			PQfreemem(n);
		int64_t last = 0;
		if (newest_change(q->watch, &last)) {
			*yes = last != q->last_change;
			q->last_change = last;
			rc = ERR_OK;
			break;
		}
		/* a server that restarted shows only now: reconnect once */
		if (PQstatus(q->watch) == CONNECTION_OK)
			break;
	}
	pthread_mutex_unlock(&q->watch_mu);
	return rc;
}

/* Wait on the watcher's socket (LISTENing since the first changed()) for up
 * to ms: a notification, or anything else arriving, ends the wait; the
 * caller's changed() then tells whether the log moved. When the connection
 * broke (the server restarted), it is re-opened here (at most once a
 * second), without waiting for the caller's next poll: once it LISTENs
 * again the wait ends as if announced, since changes may have been missed
 * meanwhile. Until then a plain sleep. */
static enum err wait_change(struct store *st, unsigned ms, bool *announced)
{
	struct pg *q = PG(st);
	*announced = false;
	pthread_mutex_lock(&q->watch_mu);
	int fd = -1;
	bool pending = false, lost = q->watch_lost || !q->listening;
	if (watch_ready(q, false)) {
		PGnotify *n = PQnotifies(q->watch);
		pending = n != NULL || lost; /* changed() drains the rest */
		PQfreemem(n);
		fd = PQsocket(q->watch);
	}
	pthread_mutex_unlock(&q->watch_mu);
	if (pending) {
		*announced = true;
		return ERR_OK;
	}
	if (fd >= 0) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		*announced = poll(&p, 1, (int)ms) > 0;
	} else {
		struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	return ERR_OK;
}

/* --- maintenance --------------------------------------------------------- */

static enum err backup(struct store *st, const char *dest)
{
	(void)dest;
	snprintf(st->errmsg, sizeof st->errmsg,
		 "a PostgreSQL site is backed up with pg_dump (or the service's own backups)");
	return ERR_INVALID;
}

static enum err schema_version(struct store *st, int *version)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	PGresult *r = PQexec(c->db, "SELECT version FROM gazette_schema");
	enum err rc = ERR_DB;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		*version = (int)pg_int(r, 0, 0);
		rc = ERR_OK;
	}
	PQclear(r);
	pg_conn_put(st, c);
	return rc;
}

int pg_schema_latest(void)
{
	return (int)pg_nmigrations;
}

/* Apply the migrations the database lacks, each in its own transaction
 * with the version bump, holding an advisory lock so that nodes starting
 * at once apply each exactly once. A newer schema is refused. */
static enum err migrate(PGconn *db, int *was, char *errmsg, size_t errlen)
{
	static const char *const prologue =
		"BEGIN; SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ");"
		"CREATE TABLE IF NOT EXISTS gazette_schema("
		"  id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);"
		"INSERT INTO gazette_schema(id, version) VALUES (1, 0) ON CONFLICT DO NOTHING;"
		"SELECT version FROM gazette_schema";
	for (;;) {
		PGresult *r = PQexec(db, prologue);
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
			snprintf(errmsg, errlen, "schema migration: %s", PQerrorMessage(db));
			PQclear(r);
			PQclear(PQexec(db, "ROLLBACK"));
			return ERR_DB;
		}
		int v = (int)pg_int(r, 0, 0);
		PQclear(r);
		if (*was < 0)
			*was = v;
		if (v >= (int)pg_nmigrations) {
			PQclear(PQexec(db, "COMMIT"));
			if (v > (int)pg_nmigrations) {
				snprintf(errmsg, errlen,
					 "database schema version %d is newer than this gazette (%zu)",
					 v, pg_nmigrations);
				return ERR_INVALID;
			}
			return ERR_OK;
		}
		char next[16];
		snprintf(next, sizeof next, "%d", v + 1);
		const char *vals[1] = {next};
		bool ok = true;
		for (const char *const *part = pg_migrations[v]; ok && *part; part++) {
			r = PQexec(db, *part);
			ok = PQresultStatus(r) == PGRES_COMMAND_OK;
			PQclear(r);
		}
		if (ok) {
			r = PQexecParams(db, "UPDATE gazette_schema SET version = $1::int", 1, NULL,
					 vals, NULL, NULL, 0);
			ok = PQresultStatus(r) == PGRES_COMMAND_OK;
			PQclear(r);
		}
		if (ok) {
			r = PQexec(db, "COMMIT");
			ok = PQresultStatus(r) == PGRES_COMMAND_OK &&
			     strcmp(PQcmdStatus(r), "COMMIT") == 0;
			PQclear(r);
		}
		if (!ok) {
			snprintf(errmsg, errlen, "schema migration %d failed: %s", v + 1,
				 PQerrorMessage(db));
			PQclear(PQexec(db, "ROLLBACK"));
			return ERR_DB;
		}
	}
}

const bool pg_store_complete = true;

/* --- opening and closing ------------------------------------------------- */

static void pg_close(struct store *st)
{
	struct pg *q = PG(st);
	if (q->copy)
		pgy_copy_end(st, false);
	struct pconn *c = q->idle, *next;
	for (; c; c = next) {
		next = c->next;
		PQfinish(c->db);
		rel_tok_free(c->tok);
		free(c);
	}
	if (q->watch)
		PQfinish(q->watch);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->watch_mu);
	free(q->conninfo);
	free(q);
	free(st);
}

static const struct store_ops pg_ops = {
	.close = pg_close,
	.setting_get = pgs_setting_get,
	.setting_set = pgs_setting_set,
	.setting_list = pgs_setting_list,
	.user_add = pgs_user_add,
	.user_get = pgs_user_get,
	.user_by_login = pgs_user_by_login,
	.user_list = pgs_user_list,
	.user_update = pgs_user_update,
	.category_add = pgt_category_add,
	.category_get = pgt_category_get,
	.category_by_path = pgt_category_by_path,
	.category_by_slug = pgt_category_by_slug,
	.category_list = pgt_category_list,
	.category_update = pgt_category_update,
	.category_delete = pgt_category_delete,
	.category_merge = pgt_category_merge,
	.tag_by_slug = pgt_tag_by_slug,
	.tag_list = pgt_tag_list,
	.tag_update = pgt_tag_update,
	.tag_delete = pgt_tag_delete,
	.tag_merge = pgt_tag_merge,
	.post_tags = pgt_post_tags,
	.post_save = pgp_post_save,
	.post_get = pgp_post_get,
	.post_by_slug = pgp_post_by_slug,
	.post_by_slug_html = pgp_post_by_slug_html,
	.post_list = pgp_post_list,
	.post_set_status = pgp_post_set_status,
	.post_delete = pgp_post_delete,
	.post_publish_due = pgp_post_publish_due,
	.archive_months = pgp_archive_months,
	.comment_add = pgc_comment_add,
	.comment_get = pgc_comment_get,
	.comment_list = pgc_comment_list,
	.comment_thread = pgc_comment_thread,
	.comment_signals = pgc_comment_signals,
	.comment_set_status = pgc_comment_set_status,
	.comment_delete = pgc_comment_delete,
	.spam_counts = pgc_spam_counts,
	.spam_clear = pgc_spam_clear,
	.post_each_public = pgm_post_each_public,
	.post_chunks = pgm_post_chunks,
	.term_lastmods = pgm_term_lastmods,
	.revision_add = pgm_revision_add,
	.revision_list = pgm_revision_list,
	.revision_get = pgm_revision_get,
	.revision_recent = pgm_revision_recent,
	.redirect_move = pgs_redirect_move,
	.media_add = pgm_media_add,
	.media_get = pgm_media_get,
	.media_list = pgm_media_list,
	.media_file = pgm_media_file,
	.media_set_alt = pgm_media_set_alt,
	.media_delete = pgm_media_delete,
	.media_usage = pgm_media_usage,
	.user_by_email = pga_user_by_email,
	.session_add = pga_session_add,
	.session_get = pga_session_get,
	.session_touch = pga_session_touch,
	.session_delete = pga_session_delete,
	.session_delete_user = pga_session_delete_user,
	.signin_failed = pga_signin_failed,
	.signin_failures = pga_signin_failures,
	.signin_clear = pga_signin_clear,
	.redirect_get = pgs_redirect_get,
	.redirect_set = pgs_redirect_set,
	.redirect_list = pgs_redirect_list,
	.import_map_get = pgm_import_map_get,
	.import_map_find = pgm_import_map_find,
	.import_map_set = pgm_import_map_set,
	.tag_add = pgt_tag_add,
	.comment_put = pgc_comment_put,
	.menu_get = pgn_menu_get,
	.menu_set = pgn_menu_set,
	.changed = changed,
	.wait_change = wait_change,
	.changes_since = pgs_changes_since,
	.change_last = pgs_change_last,
	.search = pgx_search,
	.spell_words = pgx_spell_words,
	.related = pgr_related,
	.related_ids = pgr_related_ids,
	.relate_all = pgr_relate_all,
	.search_language = pgx_search_language,
	.reindex = pgx_reindex,
	.read_begin = read_begin,
	.read_end = read_end,
	.copy_read = pgy_copy_read,
	.copy_count = pgy_copy_count,
	.copy_begin = pgy_copy_begin,
	.copy_put = pgy_copy_put,
	.copy_finish = pgy_copy_finish,
	.copy_end = pgy_copy_end,
	.backup = backup,
	.schema_version = schema_version,
};

enum err pg_store_open(struct store **out, const char *url, char *errmsg, size_t errlen)
{
	struct store *st = calloc(1, sizeof *st);
	struct pg *q = calloc(1, sizeof *q);
	char *conninfo = strdup(url);
	if (!st || !q || !conninfo) {
		free(st);
		free(q);
		free(conninfo);
		snprintf(errmsg, errlen, "out of memory");
		return ERR_NOMEM;
	}
	q->conninfo = conninfo;
	q->maxconn = POOL_MAX;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	pthread_mutex_init(&q->watch_mu, NULL);
	st->ops = &pg_ops;
	st->impl = q;
	/* The watcher's connection migrates first, then follows the log. */
	q->watch = pg_connect(conninfo, errmsg, errlen);
	int was = -1;
	enum err rc = q->watch ? migrate(q->watch, &was, errmsg, errlen) : ERR_DB;
	/* a database from before the search index (2) gets its index built */
	if (rc == ERR_OK && was >= 1 && was < 2 && (rc = pgx_reindex(st, NULL)) != ERR_OK)
		snprintf(errmsg, errlen, "building the search index failed: %s", err_str(rc));
	/* ... and one from before related articles (3) gets them computed */
	if (rc == ERR_OK && was >= 1 && was < 3 && (rc = pgr_relate_all(st, NULL)) != ERR_OK)
		snprintf(errmsg, errlen, "computing related articles failed: %s", err_str(rc));
	if (rc == ERR_OK && !newest_change(q->watch, &q->last_change)) {
		snprintf(errmsg, errlen, "PostgreSQL: %s", PQerrorMessage(q->watch));
		rc = ERR_DB;
	}
	if (rc != ERR_OK) {
		pg_close(st);
		return rc;
	}
	*out = st;
	return ERR_OK;
}
