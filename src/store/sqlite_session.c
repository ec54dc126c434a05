/* sqlite_session.c - back-office sessions and failed sign-ins for the SQLite
 * backend. These are not content, so they write no change-log rows (no
 * cached page shows them). Each write is one statement, atomic on its own. */
#include <string.h>

#include "store/sqlite_int.h"

/* Run writing statements in order on one connection, in one transaction. */
static enum err run(struct store *st, const enum stmt *which, const struct sq_arg *const *args,
		    const int *nargs, size_t n)
{
	struct conn *c = conn_get(st);
	if (!c)
		return ERR_DB;
	enum err rc = n > 1 ? sq_begin(st, c) : ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		sqlite3_stmt *s = stmt(st, c, which[i]);
		if (!s) {
			rc = ERR_DB;
			break;
		}
		sq_bind(s, args[i], nargs[i]);
		rc = sq_exec(st, c, s);
	}
	if (n > 1)
		rc = sq_end(st, c, rc);
	conn_put(st, c);
	return rc;
}

#define RUN1(st, which, ...)                                                               \
	run((st), (const enum stmt[]){which},                                              \
	    (const struct sq_arg *const[]){(const struct sq_arg[]){__VA_ARGS__}},          \
	    (const int[]){(int)(sizeof((struct sq_arg[]){__VA_ARGS__}) / sizeof(struct sq_arg))}, 1)

enum err sqa_user_by_email(struct store *st, struct arena *a, const char *email,
			   struct user *out)
{
	struct user *us = NULL;
	size_t n = 0;
	enum err rc = sq_all(st, a, S_USER_BY_EMAIL, SQ_ARGS(SQ_T(email)), row_user, sizeof *us,
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

static void row_session(struct arena *a, sqlite3_stmt *s, void *out)
{
	struct session *se = out;
	se->token_hash = col_text(a, s, 0);
	se->user_id = sqlite3_column_int64(s, 1);
	se->csrf = col_text(a, s, 2);
	se->created_at = sqlite3_column_int64(s, 3);
	se->seen_at = sqlite3_column_int64(s, 4);
	se->ip = col_text(a, s, 5);
}

enum err sqa_session_add(struct store *st, const struct session *s, int64_t prune_before)
{
	const struct sq_arg add[] = {SQ_T(s->token_hash), SQ_I(s->user_id), SQ_T(s->csrf),
				     SQ_I(s->created_at), SQ_T(s->ip ? s->ip : "")};
	const struct sq_arg prune[] = {SQ_I(prune_before)};
	return run(st, (const enum stmt[]){S_SESSION_PRUNE, S_SESSION_ADD},
		   (const struct sq_arg *const[]){prune, add}, (const int[]){1, 5}, 2);
}

enum err sqa_session_get(struct store *st, struct arena *a, const char *token_hash,
			 struct session *out)
{
	memset(out, 0, sizeof *out);
	return sq_one(st, a, S_SESSION_GET, SQ_ARGS(SQ_T(token_hash)), row_session, out);
}

enum err sqa_session_touch(struct store *st, const char *token_hash, int64_t at)
{
	return RUN1(st, S_SESSION_TOUCH, SQ_T(token_hash), SQ_I(at));
}

enum err sqa_session_delete(struct store *st, const char *token_hash)
{
	return RUN1(st, S_SESSION_DELETE, SQ_T(token_hash));
}

enum err sqa_session_delete_user(struct store *st, int64_t user_id)
{
	return RUN1(st, S_SESSION_DELETE_USER, SQ_I(user_id));
}

enum err sqa_signin_failed(struct store *st, const char *key, int64_t at, int64_t prune_before)
{
	const struct sq_arg prune[] = {SQ_T(key), SQ_I(prune_before)};
	const struct sq_arg add[] = {SQ_T(key), SQ_I(at)};
	return run(st, (const enum stmt[]){S_SIGNIN_PRUNE, S_SIGNIN_FAIL},
		   (const struct sq_arg *const[]){prune, add}, (const int[]){2, 2}, 2);
}

static void row_count(struct arena *a, sqlite3_stmt *s, void *out)
{
	(void)a;
	*(int64_t *)out = sqlite3_column_int64(s, 0);
}

enum err sqa_signin_failures(struct store *st, const char *key, int64_t since, int64_t *n)
{
	struct arena a;
	arena_init(&a, 256);
	*n = 0;
	enum err rc = sq_one(st, &a, S_SIGNIN_COUNT, SQ_ARGS(SQ_T(key), SQ_I(since)), row_count, n);
	arena_free(&a);
	return rc;
}

enum err sqa_signin_clear(struct store *st, const char *key)
{
	return RUN1(st, S_SIGNIN_CLEAR, SQ_T(key));
}
