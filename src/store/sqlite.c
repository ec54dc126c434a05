/* sqlite.c - the SQLite backend: connection pool, migrations, settings,
 * users, redirects, the change log and backups. Posts and taxonomy are in
 * sqlite_posts.c and sqlite_tax.c. */
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

static enum err open_conn(const char *path, sqlite3 **out, char *errmsg, size_t errlen)
{
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
	*out = db;
	return ERR_OK;
}

static void free_conn(struct conn *c)
{
	if (!c)
		return;
	for (int i = 0; i < S__MAX; i++)
		sqlite3_finalize(c->st[i]);
	for (int i = 0; i < LIST_SHAPES; i++)
		sqlite3_finalize(c->list[i]);
	sqlite3_close(c->db);
	free(c);
}

struct conn *conn_get(struct store *st)
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

void conn_put(struct store *st, struct conn *c)
{
	if (!c)
		return;
	struct sq *q = SQ(st);
	if (!sqlite3_get_autocommit(c->db)) /* a caller bug: never leak a transaction */
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_lock(&q->mu);
	c->next = q->idle;
	q->idle = c;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

sqlite3_stmt *stmt(struct store *st, struct conn *c, enum stmt s)
{
	if (!c->st[s]) {
		int rc = sqlite3_prepare_v3(c->db, sqlite_stmt_sql[s], -1, SQLITE_PREPARE_PERSISTENT,
					    &c->st[s], NULL);
		if (rc != SQLITE_OK) {
			log_error("store: prepare %d: %s", (int)s, sqlite3_errmsg(c->db));
			str_copy(st->errmsg, sqlite3_errmsg(c->db), sizeof st->errmsg);
			return NULL;
		}
	} else {
		sqlite3_reset(c->st[s]);
		sqlite3_clear_bindings(c->st[s]);
	}
	return c->st[s];
}

enum err sq_err(struct store *st, struct conn *c, int rc)
{
	switch (rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return ERR_OK;
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return ERR_CONFLICT;
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return ERR_INVALID;
	case SQLITE_NOMEM:
		return ERR_NOMEM;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		str_copy(st->errmsg, sqlite3_errmsg(c->db), sizeof st->errmsg);
		log_error("store: %s", sqlite3_errmsg(c->db));
		return ERR_IO;
	default:
		str_copy(st->errmsg, sqlite3_errmsg(c->db), sizeof st->errmsg);
		log_error("store: %s (%d)", sqlite3_errmsg(c->db), rc);
		return ERR_DB;
	}
}

enum err sq_exec(struct store *st, struct conn *c, sqlite3_stmt *s)
{
	if (!s)
		return ERR_DB;
	int rc = sqlite3_step(s);
	enum err e = rc == SQLITE_DONE ? ERR_OK : sq_err(st, c, rc);
	sqlite3_reset(s);
	return e;
}

enum err sq_begin(struct store *st, struct conn *c)
{
	return sq_exec(st, c, stmt(st, c, S_BEGIN));
}

enum err sq_end(struct store *st, struct conn *c, enum err rc)
{
	if (rc == ERR_OK) {
		rc = sq_exec(st, c, stmt(st, c, S_COMMIT));
		if (rc == ERR_OK)
			return ERR_OK;
	}
	if (!sqlite3_get_autocommit(c->db))
		sq_exec(st, c, stmt(st, c, S_ROLLBACK));
	return rc;
}

enum err sq_change(struct store *st, struct conn *c, const char *kind, int64_t id,
		   const char *detail)
{
	sqlite3_stmt *s = stmt(st, c, S_CHANGE_ADD);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, clock_now());
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, id);
	sqlite3_bind_text(s, 4, detail ? detail : "", -1, SQLITE_STATIC);
	return sq_exec(st, c, s);
}

const char *col_text(struct arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	int n = sqlite3_column_bytes(s, i);
	return arena_strndup(a, t ? (const char *)t : "", t ? (size_t)n : 0);
}

/* --- settings ------------------------------------------------------------ */

static enum err setting_get(struct store *st, struct arena *a, const char *key, const char **out)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = ERR_DB;
	sqlite3_stmt *s = stmt(st, c, S_SETTING_GET);
	if (s) {
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			*out = col_text(a, s, 0);
			rc = *out ? ERR_OK : ERR_NOMEM;
		} else {
			rc = r == SQLITE_DONE ? ERR_NOTFOUND : sq_err(st, c, r);
		}
		sqlite3_reset(s);
	}
	conn_put(st, c);
	return rc;
}

static enum err setting_set(struct store *st, const char *key, const char *value)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK) {
		sqlite3_stmt *s = stmt(st, c, S_SETTING_SET);
		if (s) {
			sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
		}
		rc = sq_exec(st, c, s);
		if (rc == ERR_OK)
			rc = sq_change(st, c, "setting", 0, key);
		rc = sq_end(st, c, rc);
	}
	conn_put(st, c);
	return rc;
}

static enum err setting_list(struct store *st, struct arena *a, const char ***keys,
			     const char ***values, size_t *n)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, S_SETTING_LIST);
	enum err rc = s ? ERR_OK : ERR_DB;
	size_t cap = 0;
	*n = 0;
	*keys = *values = NULL;
	int r;
	while (rc == ERR_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			*keys = arena_realloc(a, *keys, cap * sizeof **keys, nc * sizeof **keys);
			*values = arena_realloc(a, *values, cap * sizeof **values, nc * sizeof **values);
			if (!*keys || !*values) {
				rc = ERR_NOMEM;
				break;
			}
			cap = nc;
		}
		(*keys)[*n] = col_text(a, s, 0);
		(*values)[*n] = col_text(a, s, 1);
		(*n)++;
	}
	if (s)
		sqlite3_reset(s);
	conn_put(st, c);
	return rc;
}

/* --- users --------------------------------------------------------------- */

static void row_user(struct arena *a, sqlite3_stmt *s, struct user *u)
{
	u->id = sqlite3_column_int64(s, 0);
	u->login = col_text(a, s, 1);
	u->email = col_text(a, s, 2);
	u->display_name = col_text(a, s, 3);
	u->bio = col_text(a, s, 4);
	u->pwhash = col_text(a, s, 5);
	if (!user_role_parse((const char *)sqlite3_column_text(s, 6), &u->role))
		u->role = ROLE_CONTRIBUTOR;
	u->created_at = sqlite3_column_int64(s, 7);
}

static enum err user_add(struct store *st, const struct user *u, int64_t *id)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK) {
		sqlite3_stmt *s = stmt(st, c, S_USER_ADD);
		if (s) {
			sqlite3_bind_text(s, 1, u->login, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, u->email ? u->email : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 3, u->display_name ? u->display_name : u->login, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(s, 4, u->bio ? u->bio : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, u->pwhash ? u->pwhash : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 6, user_role_name(u->role), -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 7, u->created_at ? u->created_at : clock_now());
		}
		rc = sq_exec(st, c, s);
		int64_t newid = sqlite3_last_insert_rowid(c->db);
		if (rc == ERR_OK)
			rc = sq_change(st, c, "user", newid, "");
		rc = sq_end(st, c, rc);
		if (rc == ERR_OK && id)
			*id = newid;
	}
	conn_put(st, c);
	return rc;
}

static enum err user_one(struct store *st, struct arena *a, enum stmt which, int64_t id,
			 const char *login, struct user *out)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, which);
	enum err rc = ERR_DB;
	if (s) {
		if (login)
			sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(s, 1, id);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			row_user(a, s, out);
			rc = a->failed ? ERR_NOMEM : ERR_OK;
		} else {
			rc = r == SQLITE_DONE ? ERR_NOTFOUND : sq_err(st, c, r);
		}
		sqlite3_reset(s);
	}
	conn_put(st, c);
	return rc;
}

static enum err user_get(struct store *st, struct arena *a, int64_t id, struct user *out)
{
	return user_one(st, a, S_USER_GET, id, NULL, out);
}

static enum err user_by_login(struct store *st, struct arena *a, const char *login,
			      struct user *out)
{
	return user_one(st, a, S_USER_BY_LOGIN, 0, login, out);
}

static enum err user_list(struct store *st, struct arena *a, struct user **out, size_t *n)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, S_USER_LIST);
	enum err rc = s ? ERR_OK : ERR_DB;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	while (rc == ERR_OK && sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			*out = arena_realloc(a, *out, cap * sizeof **out, nc * sizeof **out);
			if (!*out) {
				rc = ERR_NOMEM;
				break;
			}
			cap = nc;
		}
		row_user(a, s, &(*out)[(*n)++]);
	}
	if (s)
		sqlite3_reset(s);
	conn_put(st, c);
	return rc;
}

static enum err user_update(struct store *st, const struct user *u)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK) {
		sqlite3_stmt *s = stmt(st, c, S_USER_UPDATE);
		if (s) {
			sqlite3_bind_int64(s, 1, u->id);
			sqlite3_bind_text(s, 2, u->email, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 3, u->display_name, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, u->bio ? u->bio : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, u->pwhash ? u->pwhash : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 6, user_role_name(u->role), -1, SQLITE_STATIC);
		}
		rc = sq_exec(st, c, s);
		if (rc == ERR_OK && sqlite3_changes(c->db) == 0)
			rc = ERR_NOTFOUND;
		if (rc == ERR_OK)
			rc = sq_change(st, c, "user", u->id, "");
		rc = sq_end(st, c, rc);
	}
	conn_put(st, c);
	return rc;
}

/* --- redirects ----------------------------------------------------------- */

static enum err redirect_get(struct store *st, struct arena *a, const char *from,
			     struct redirect *out)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, S_REDIRECT_GET);
	enum err rc = ERR_DB;
	if (s) {
		sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			out->from_path = col_text(a, s, 0);
			out->to_path = col_text(a, s, 1);
			out->status = sqlite3_column_int(s, 2);
			rc = a->failed ? ERR_NOMEM : ERR_OK;
		} else {
			rc = r == SQLITE_DONE ? ERR_NOTFOUND : sq_err(st, c, r);
		}
		sqlite3_reset(s);
	}
	conn_put(st, c);
	return rc;
}

static enum err redirect_set(struct store *st, const struct redirect *r)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = sq_begin(st, c);
	if (rc == ERR_OK) {
		sqlite3_stmt *s = stmt(st, c, S_REDIRECT_SET);
		if (s) {
			sqlite3_bind_text(s, 1, r->from_path, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, r->to_path, -1, SQLITE_STATIC);
			sqlite3_bind_int(s, 3, r->status == 302 ? 302 : 301);
		}
		rc = sq_exec(st, c, s);
		if (rc == ERR_OK)
			rc = sq_change(st, c, "redirect", 0, r->from_path);
		rc = sq_end(st, c, rc);
	}
	conn_put(st, c);
	return rc;
}

/* --- change log ---------------------------------------------------------- */

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
	return rc;
}

static enum err changes_since(struct store *st, struct arena *a, int64_t after,
			      struct change **out, size_t *n)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, S_CHANGES_SINCE);
	enum err rc = s ? ERR_OK : ERR_DB;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (s)
		sqlite3_bind_int64(s, 1, after);
	while (rc == ERR_OK && sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			*out = arena_realloc(a, *out, cap * sizeof **out, nc * sizeof **out);
			if (!*out) {
				rc = ERR_NOMEM;
				break;
			}
			cap = nc;
		}
		struct change *ch = &(*out)[(*n)++];
		ch->id = sqlite3_column_int64(s, 0);
		ch->at = sqlite3_column_int64(s, 1);
		ch->kind = col_text(a, s, 2);
		ch->object_id = sqlite3_column_int64(s, 3);
		ch->detail = col_text(a, s, 4);
	}
	if (s)
		sqlite3_reset(s);
	conn_put(st, c);
	return rc;
}

/* One integer from a one-column statement; 0 when it returns no row. */
static enum err one_int(struct store *st, enum stmt which, int64_t *out)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3_stmt *s = stmt(st, c, which);
	enum err rc = ERR_DB;
	if (s) {
		int r = sqlite3_step(s);
		*out = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		rc = r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : sq_err(st, c, r);
		sqlite3_reset(s);
	}
	conn_put(st, c);
	return rc;
}

static enum err change_last_id(struct store *st, int64_t *id)
{
	return one_int(st, S_CHANGE_LAST, id);
}

static enum err change_last_at(struct store *st, int64_t *at)
{
	return one_int(st, S_CHANGE_LAST_AT, at);
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
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	sqlite3 *out = NULL;
	enum err rc = ERR_IO;
	if (sqlite3_open(tmp, &out) == SQLITE_OK) {
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
	.setting_get = setting_get,
	.setting_set = setting_set,
	.setting_list = setting_list,
	.user_add = user_add,
	.user_get = user_get,
	.user_by_login = user_by_login,
	.user_list = user_list,
	.user_update = user_update,
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
	.post_tags = sqt_post_tags,
	.post_save = sqp_post_save,
	.post_get = sqp_post_get,
	.post_by_slug = sqp_post_by_slug,
	.post_list = sqp_post_list,
	.post_set_status = sqp_post_set_status,
	.post_delete = sqp_post_delete,
	.post_publish_due = sqp_post_publish_due,
	.archive_months = sqp_archive_months,
	.redirect_get = redirect_get,
	.redirect_set = redirect_set,
	.changed = changed,
	.changes_since = changes_since,
	.change_last_id = change_last_id,
	.change_last_at = change_last_at,
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
	while (rc == SQLITE_OK && sqlite3_step(sel) == SQLITE_ROW) {
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
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

/* Apply the migrations the database has not seen, each in its own
 * transaction together with the new user_version. A database newer than this
 * binary is refused rather than misread. */
static enum err migrate(sqlite3 *db, char *errmsg, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int version = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > (int)sqlite_nmigrations) {
		snprintf(errmsg, errlen,
			 "database schema version %d is newer than this gazette (%zu)", version,
			 sqlite_nmigrations);
		return ERR_INVALID;
	}
	for (size_t v = (size_t)version; v < sqlite_nmigrations; v++) {
		char *e = NULL;
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %zu", v + 1);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &e) != SQLITE_OK ||
		    sqlite3_exec(db, sqlite_migrations[v], NULL, NULL, &e) != SQLITE_OK ||
		    after_migration(db, v + 1) != SQLITE_OK ||
		    sqlite3_exec(db, bump, NULL, NULL, &e) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &e) != SQLITE_OK) {
			snprintf(errmsg, errlen, "schema migration %zu failed: %s", v + 1,
				 e ? e : sqlite3_errmsg(db));
			sqlite3_free(e);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return ERR_DB;
		}
	}
	return ERR_OK;
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
	q->maxconn = 32;
	q->watch = w;
	st->ops = &sqlite_ops;
	st->impl = q;
	enum err rc = open_conn(path, &w->db, errmsg, errlen);
	if (rc == ERR_OK)
		rc = migrate(w->db, errmsg, errlen);
	if (rc != ERR_OK) {
		sq_close(st);
		return rc;
	}
	bool dummy;
	changed(st, &dummy); /* prime data_version */
	*out = st;
	return ERR_OK;
}
