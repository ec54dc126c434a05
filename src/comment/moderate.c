/* moderate.c - moderators' actions on comments, and re-learning the spam
 * model from history. The store makes each action and what the model
 * learns from it one transaction. */
#include <string.h>

#include "comment/comment.h"
#include "comment/spam.h"

static const char *const action_names[CA__MAX] = {
	[CA_APPROVE] = "approve", [CA_UNAPPROVE] = "unapprove", [CA_SPAM] = "spam",
	[CA_TRASH] = "trash",     [CA_RESTORE] = "restore",     [CA_DELETE] = "delete",
};

bool comment_action_parse(const char *s, enum comment_action *out)
{
	for (int i = 0; i < CA__MAX; i++)
		if (s && strcmp(s, action_names[i]) == 0) {
			*out = (enum comment_action)i;
			return true;
		}
	return false;
}

static enum err set_status(struct store *st, struct arena *a, const struct comment *c,
			   enum comment_status to)
{
	const char **toks = NULL;
	size_t n = 0;
	enum err rc = spam_tokens(a, c, &toks, &n);
	if (rc != ERR_OK)
		return rc;
	return STORE_CALL(st, comment_set_status, c->id, to, toks, n);
}

enum err comment_moderate(struct store *st, struct arena *a, int64_t id, enum comment_action act)
{
	if (act == CA_DELETE)
		return STORE_CALL(st, comment_delete, id);
	struct comment c;
	enum err rc = STORE_CALL(st, comment_get, a, id, &c);
	if (rc != ERR_OK)
		return rc;
	enum comment_status to = COMMENT_PENDING;
	switch (act) {
	case CA_APPROVE: to = COMMENT_APPROVED; break;
	case CA_UNAPPROVE: to = COMMENT_PENDING; break;
	case CA_SPAM: to = COMMENT_SPAM; break;
	case CA_TRASH: to = COMMENT_TRASH; break;
	case CA_RESTORE:
		if (c.status != COMMENT_SPAM && c.status != COMMENT_TRASH)
			return ERR_OK; /* nothing to restore */
		to = c.prev_status == COMMENT_APPROVED ? COMMENT_APPROVED : COMMENT_PENDING;
		break;
	default: return ERR_INVALID;
	}
	return set_status(st, a, &c, to);
}

/* Every comment with the status, a page at a time (newest first). */
static enum err relearn(struct store *st, enum comment_status status, int64_t *count)
{
	*count = 0;
	struct comment_query q = {.by_status = true, .status = status, .limit = 200};
	for (;;) {
		struct arena a;
		arena_init(&a, 0);
		struct comment *cs = NULL;
		size_t n = 0;
		enum err rc = STORE_CALL(st, comment_list, &a, &q, &cs, &n, NULL);
		for (size_t i = 0; rc == ERR_OK && i < n; i++)
			rc = set_status(st, &a, &cs[i], status);
		arena_free(&a);
		if (rc != ERR_OK)
			return rc;
		*count += (int64_t)n;
		if (n < (size_t)q.limit)
			return ERR_OK;
		q.offset += q.limit;
	}
}

enum err comment_train(struct store *st, int64_t *ham, int64_t *spam)
{
	enum err rc = st->ops->spam_clear(st);
	if (rc == ERR_OK)
		rc = relearn(st, COMMENT_APPROVED, ham);
	if (rc == ERR_OK)
		rc = relearn(st, COMMENT_SPAM, spam);
	return rc;
}
