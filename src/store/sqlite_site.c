/* sqlite_site.c - settings, users, redirects and the change log in the
 * SQLite backend. */
#include "core/time.h"
#include "store/sqlite_int.h"

/* --- settings ------------------------------------------------------------ */

struct kv {
	const char *key, *value;
};

static void row_value(struct arena *a, sqlite3_stmt *s, void *out)
{
	*(const char **)out = col_text(a, s, 0);
}

static void row_kv(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct kv *kv = out;
	kv->key = col_text(a, s, 0);
	kv->value = col_text(a, s, 1);
}

enum err sqs_setting_get(struct store *st, struct arena *a, const char *key, const char **out)
{
	return sq_one(st, a, S_SETTING_GET, SQ_ARGS(SQ_T(key)), row_value, out);
}

enum err sqs_setting_set(struct store *st, const char *key, const char *value)
{
	return sq_write(st, S_SETTING_SET, SQ_ARGS(SQ_T(key), SQ_T(value)), 0, "setting", 0, key,
			NULL);
}

enum err sqs_setting_list(struct store *st, struct arena *a, const char ***keys,
			  const char ***values, size_t *n)
{
	struct kv *kvs;
	*keys = *values = NULL;
	enum err rc = sq_all(st, a, S_SETTING_LIST, NULL, 0, row_kv, sizeof *kvs, (void **)&kvs, n);
	if (rc != ERR_OK)
		return rc;
	*keys = ARENA_ARRAY(a, const char *, *n + 1);
	*values = ARENA_ARRAY(a, const char *, *n + 1);
	if (!*keys || !*values)
		return ERR_NOMEM;
	for (size_t i = 0; i < *n; i++) {
		(*keys)[i] = kvs[i].key;
		(*values)[i] = kvs[i].value;
	}
	return ERR_OK;
}

/* --- users --------------------------------------------------------------- */

void row_user(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct user *u = out;
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

static const char *or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

enum err sqs_user_add(struct store *st, const struct user *u, int64_t *id)
{
	return sq_write(st, S_USER_ADD,
			SQ_ARGS(SQ_T(u->login), SQ_T(or(u->email, "")),
				SQ_T(or(u->display_name, u->login)), SQ_T(or(u->bio, "")),
				SQ_T(or(u->pwhash, "")), SQ_T(user_role_name(u->role)),
				SQ_I(u->created_at ? u->created_at : clock_now())),
			SQ_LOG_ROWID, "user", 0, "", id);
}

enum err sqs_user_get(struct store *st, struct arena *a, int64_t id, struct user *out)
{
	return sq_one(st, a, S_USER_GET, SQ_ARGS(SQ_I(id)), row_user, out);
}

enum err sqs_user_by_login(struct store *st, struct arena *a, const char *login,
			   struct user *out)
{
	return sq_one(st, a, S_USER_BY_LOGIN, SQ_ARGS(SQ_T(login)), row_user, out);
}

enum err sqs_user_list(struct store *st, struct arena *a, struct user **out, size_t *n)
{
	return sq_all(st, a, S_USER_LIST, NULL, 0, row_user, sizeof **out, (void **)out, n);
}

enum err sqs_user_update(struct store *st, const struct user *u)
{
	/* the author's name is in their posts' search text */
	return sq_write_reindex(st, S_USER_UPDATE,
				SQ_ARGS(SQ_I(u->id), SQ_T(or(u->email, "")),
					SQ_T(or(u->display_name, u->login)), SQ_T(or(u->bio, "")),
					SQ_T(or(u->pwhash, "")), SQ_T(user_role_name(u->role))),
				S_FTS_BY_AUTHOR, u->id, "user", u->id, "", true);
}

/* --- redirects ----------------------------------------------------------- */

static void row_redirect(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct redirect *r = out;
	r->from_path = col_text(a, s, 0);
	r->to_path = col_text(a, s, 1);
	r->status = sqlite3_column_int(s, 2);
}

enum err sqs_redirect_get(struct store *st, struct arena *a, const char *from,
			  struct redirect *out)
{
	return sq_one(st, a, S_REDIRECT_GET, SQ_ARGS(SQ_T(from)), row_redirect, out);
}

enum err sqs_redirect_list(struct store *st, struct arena *a, struct redirect **out, size_t *n)
{
	return sq_all(st, a, S_REDIRECT_LIST, NULL, 0, row_redirect, sizeof **out, (void **)out, n);
}

enum err sqs_redirect_set(struct store *st, const struct redirect *r)
{
	return sq_write(st, S_REDIRECT_SET,
			SQ_ARGS(SQ_T(r->from_path), SQ_T(r->to_path),
				SQ_I(r->status == 302 ? 302 : 301)),
			0, "redirect", 0, r->from_path, NULL);
}

/* --- change log ---------------------------------------------------------- */

static void row_change(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct change *ch = out;
	ch->id = sqlite3_column_int64(s, 0);
	ch->at = sqlite3_column_int64(s, 1);
	ch->kind = col_text(a, s, 2);
	ch->object_id = sqlite3_column_int64(s, 3);
	ch->detail = col_text(a, s, 4);
}

enum err sqs_changes_since(struct store *st, struct arena *a, int64_t after,
			   struct change **out, size_t *n)
{
	return sq_all(st, a, S_CHANGES_SINCE, SQ_ARGS(SQ_I(after)), row_change, sizeof **out,
		      (void **)out, n);
}

static void row_id_at(struct arena *a, sqlite3_stmt *s, void *out)
{
	(void)a;
	int64_t *v = out;
	v[0] = sqlite3_column_int64(s, 0);
	v[1] = sqlite3_column_int64(s, 1);
}

/* Every page asks (view/snap.c); a page transaction kept from the last
 * page (sqlite.c) has the answer already. */
enum err sqs_change_last(struct store *st, int64_t *id, int64_t *at)
{
	struct conn *page = conn_page(st);
	int64_t v[2] = {0, 0};
	enum err rc = ERR_OK;
	if (page && page->newest_known) {
		v[0] = page->newest_id;
		v[1] = page->newest_at;
	} else {
		struct arena a; /* the row has no text: never allocates */
		arena_init(&a, 256);
		rc = sq_one(st, &a, S_CHANGE_NEWEST, NULL, 0, row_id_at, v);
		arena_free(&a);
		if (rc == ERR_NOTFOUND)
			rc = ERR_OK;
		if (page && rc == ERR_OK) {
			page->newest_known = true;
			page->newest_id = v[0];
			page->newest_at = v[1];
		}
	}
	if (id)
		*id = v[0];
	if (at)
		*at = v[1];
	return rc;
}
