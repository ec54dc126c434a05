/* pg_site.c - settings, users, redirects and the change log in the
 * PostgreSQL backend. */
#include "core/time.h"
#include "store/pg_int.h"

/* --- settings ------------------------------------------------------------ */

struct kv {
	const char *key, *value;
};

static void row_value(struct arena *a, const PGresult *r, int row, void *out)
{
	*(const char **)out = pg_text(a, r, row, 0);
}

static void row_kv(struct arena *a, const PGresult *r, int row, void *out)
{
	struct kv *kv = out;
	kv->key = pg_text(a, r, row, 0);
	kv->value = pg_text(a, r, row, 1);
}

enum err pgs_setting_get(struct store *st, struct arena *a, const char *key, const char **out)
{
	return pg_one(st, a, G_SETTING_GET, PG_ARGS(PG_T(key)), row_value, out);
}

enum err pgs_setting_set(struct store *st, const char *key, const char *value)
{
	return pg_write(st, G_SETTING_SET, PG_ARGS(PG_T(key), PG_T(value)), 0, "setting", 0, key,
			NULL);
}

enum err pgs_setting_list(struct store *st, struct arena *a, const char ***keys,
			  const char ***values, size_t *n)
{
	struct kv *kvs;
	*keys = *values = NULL;
	enum err rc = pg_all(st, a, G_SETTING_LIST, NULL, 0, row_kv, sizeof *kvs, (void **)&kvs, n);
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

void pg_row_user(struct arena *a, const PGresult *r, int row, void *out)
{
	struct user *u = out;
	u->id = pg_int(r, row, 0);
	u->login = pg_text(a, r, row, 1);
	u->email = pg_text(a, r, row, 2);
	u->display_name = pg_text(a, r, row, 3);
	u->bio = pg_text(a, r, row, 4);
	u->pwhash = pg_text(a, r, row, 5);
	if (!user_role_parse(PQgetvalue(r, row, 6), &u->role))
		u->role = ROLE_CONTRIBUTOR;
	u->created_at = pg_int(r, row, 7);
}

static const char *or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

enum err pgs_user_add(struct store *st, const struct user *u, int64_t *id)
{
	return pg_write(st, G_USER_ADD,
			PG_ARGS(PG_T(u->login), PG_T(or(u->email, "")),
				PG_T(or(u->display_name, u->login)), PG_T(or(u->bio, "")),
				PG_T(or(u->pwhash, "")), PG_T(user_role_name(u->role)),
				PG_I(u->created_at ? u->created_at : clock_now())),
			PG_LOG_ROWID, "user", 0, "", id);
}

enum err pgs_user_get(struct store *st, struct arena *a, int64_t id, struct user *out)
{
	return pg_one(st, a, G_USER_GET, PG_ARGS(PG_I(id)), pg_row_user, out);
}

enum err pgs_user_by_login(struct store *st, struct arena *a, const char *login,
			   struct user *out)
{
	return pg_one(st, a, G_USER_BY_LOGIN, PG_ARGS(PG_T(login)), pg_row_user, out);
}

enum err pgs_user_list(struct store *st, struct arena *a, struct user **out, size_t *n)
{
	return pg_all(st, a, G_USER_LIST, NULL, 0, pg_row_user, sizeof **out, (void **)out, n);
}

enum err pgs_user_update(struct store *st, const struct user *u)
{
	/* the author's name is in their articles' search text */
	return pg_write_reindex(st, G_USER_UPDATE,
				PG_ARGS(PG_I(u->id), PG_T(or(u->email, "")),
					PG_T(or(u->display_name, u->login)), PG_T(or(u->bio, "")),
					PG_T(or(u->pwhash, "")), PG_T(user_role_name(u->role))),
				G_FTS_BY_AUTHOR, u->id, "user", u->id, "", true);
}

/* --- redirects ----------------------------------------------------------- */

static void row_redirect(struct arena *a, const PGresult *r, int row, void *out)
{
	struct redirect *rd = out;
	rd->from_path = pg_text(a, r, row, 0);
	rd->to_path = pg_text(a, r, row, 1);
	rd->status = (int)pg_int(r, row, 2);
}

enum err pgs_redirect_get(struct store *st, struct arena *a, const char *from,
			  struct redirect *out)
{
	return pg_one(st, a, G_REDIRECT_GET, PG_ARGS(PG_T(from)), row_redirect, out);
}

enum err pgs_redirect_list(struct store *st, struct arena *a, struct redirect **out, size_t *n)
{
	return pg_all(st, a, G_REDIRECT_LIST, NULL, 0, row_redirect, sizeof **out, (void **)out, n);
}

enum err pgs_redirect_set(struct store *st, const struct redirect *r)
{
	return pg_write(st, G_REDIRECT_SET,
			PG_ARGS(PG_T(r->from_path), PG_T(r->to_path),
				PG_I(r->status == 302 ? 302 : 301)),
			0, "redirect", 0, r->from_path, NULL);
}

/* Inside the caller's transaction: from_path now leads to to_path (and
 * whatever led to from_path too), with its change-log row. */
enum err pg_redirect_steps(struct store *st, struct pconn *c, const char *from_path,
			   const char *to_path)
{
	const struct pg_step steps[] = {
		{G_REDIRECT_DELETE, {PG_T(to_path)}, 1},
		{G_REDIRECT_RETARGET, {PG_T(from_path), PG_T(to_path)}, 2},
		{G_REDIRECT_SET, {PG_T(from_path), PG_T(to_path), PG_I(301)}, 3},
	};
	enum err rc = pg_steps(st, c, steps, sizeof steps / sizeof steps[0]);
	if (rc == ERR_OK)
		rc = pg_change(st, c, "redirect", 0, from_path);
	return rc;
}

enum err pgs_redirect_move(struct store *st, const char *from_path, const char *to_path)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = pg_begin(st, c);
	if (rc == ERR_OK)
		rc = pg_redirect_steps(st, c, from_path, to_path);
	rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}

/* --- change log ---------------------------------------------------------- */

static void row_change(struct arena *a, const PGresult *r, int row, void *out)
{
	struct change *ch = out;
	ch->id = pg_int(r, row, 0);
	ch->at = pg_int(r, row, 1);
	ch->kind = pg_text(a, r, row, 2);
	ch->object_id = pg_int(r, row, 3);
	ch->detail = pg_text(a, r, row, 4);
}

enum err pgs_changes_since(struct store *st, struct arena *a, int64_t after,
			   struct change **out, size_t *n)
{
	return pg_all(st, a, G_CHANGES_SINCE, PG_ARGS(PG_I(after)), row_change, sizeof **out,
		      (void **)out, n);
}

static void row_id_at(struct arena *a, const PGresult *r, int row, void *out)
{
	(void)a;
	int64_t *v = out;
	v[0] = pg_int(r, row, 0);
	v[1] = pg_int(r, row, 1);
}

enum err pgs_change_last(struct store *st, int64_t *id, int64_t *at)
{
	struct arena a;
	arena_init(&a, 256);
	int64_t v[2] = {0, 0};
	enum err rc = pg_one(st, &a, G_CHANGE_NEWEST, NULL, 0, row_id_at, v);
	arena_free(&a);
	if (rc == ERR_NOTFOUND)
		rc = ERR_OK;
	if (id)
		*id = v[0];
	if (at)
		*at = v[1];
	return rc;
}
