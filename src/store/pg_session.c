/* pg_session.c - back-office sessions and failed sign-ins in the PostgreSQL
 * backend. These are not content: no change-log rows (no cached page shows
 * them). Single statements run on their own (each is idempotent, so a
 * reconnect may safely run it again); pairs run in one transaction. Being
 * in the database, they work whichever node a request lands on. */
#include <string.h>

#include "store/pg_int.h"

/* Run steps in one transaction (one step: on its own). */
static enum err run(struct store *st, const struct pg_step *steps, size_t n)
{
	struct pconn *c = pg_conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = n > 1 ? pg_begin(st, c) : ERR_OK;
	if (rc == ERR_OK)
		rc = pg_steps(st, c, steps, n);
	if (n > 1)
		rc = pg_end(st, c, rc);
	pg_conn_put(st, c);
	return rc;
}

#define RUN1(st, which, ...)                                                               \
	run((st), (const struct pg_step[]){{which, {__VA_ARGS__},                          \
					    (int)(sizeof((struct pg_arg[]){__VA_ARGS__}) /   \
						  sizeof(struct pg_arg))}},                  \
	    1)

enum err pga_user_by_email(struct store *st, struct arena *a, const char *email,
			   struct user *out)
{
	struct user *us = NULL;
	size_t n = 0;
	enum err rc = pg_all(st, a, G_USER_BY_EMAIL, PG_ARGS(PG_T(email)), pg_row_user, sizeof *us,
			     (void **)&us, &n);
	if (rc != ERR_OK)
		return rc;
	if (n == 0)
		return ERR_NOTFOUND;
	if (n > 1)
		return ERR_CONFLICT;
	*out = us[0];
	return ERR_OK;
}

static void row_session(struct arena *a, const PGresult *r, int row, void *out)
{
	struct session *se = out;
	se->token_hash = pg_text(a, r, row, 0);
	se->user_id = pg_int(r, row, 1);
	se->csrf = pg_text(a, r, row, 2);
	se->created_at = pg_int(r, row, 3);
	se->seen_at = pg_int(r, row, 4);
	se->ip = pg_text(a, r, row, 5);
}

enum err pga_session_add(struct store *st, const struct session *s, int64_t prune_before)
{
	const struct pg_step steps[] = {
		{G_SESSION_PRUNE, {PG_I(prune_before)}, 1},
		{G_SESSION_ADD, {PG_T(s->token_hash), PG_I(s->user_id), PG_T(s->csrf),
				 PG_I(s->created_at), PG_T(s->ip ? s->ip : "")}, 5},
	};
	return run(st, steps, 2);
}

enum err pga_session_get(struct store *st, struct arena *a, const char *token_hash,
			 struct session *out)
{
	memset(out, 0, sizeof *out);
	return pg_one(st, a, G_SESSION_GET, PG_ARGS(PG_T(token_hash)), row_session, out);
}

enum err pga_session_touch(struct store *st, const char *token_hash, int64_t at)
{
	return RUN1(st, G_SESSION_TOUCH, PG_T(token_hash), PG_I(at));
}

enum err pga_session_delete(struct store *st, const char *token_hash)
{
	return RUN1(st, G_SESSION_DELETE, PG_T(token_hash));
}

enum err pga_session_delete_user(struct store *st, int64_t user_id)
{
	return RUN1(st, G_SESSION_DELETE_USER, PG_I(user_id));
}

enum err pga_signin_failed(struct store *st, const char *key, int64_t at, int64_t prune_before)
{
	const struct pg_step steps[] = {
		{G_SIGNIN_PRUNE, {PG_T(key), PG_I(prune_before)}, 2},
		{G_SIGNIN_FAIL, {PG_T(key), PG_I(at)}, 2},
	};
	return run(st, steps, 2);
}

enum err pga_signin_failures(struct store *st, const char *key, int64_t since, int64_t *n)
{
	return pg_one_int(st, G_SIGNIN_COUNT, PG_ARGS(PG_T(key), PG_I(since)), n);
}

enum err pga_signin_clear(struct store *st, const char *key)
{
	return RUN1(st, G_SIGNIN_CLEAR, PG_T(key));
}
