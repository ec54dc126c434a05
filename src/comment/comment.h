/* comment.h - reader comments: the form token, taking a new comment (checks,
 * spam defence, the moderation policy) and moderators' actions. Used by the
 * public site (site/comment.c), the CLI (cmd/comment.c) and, later, the back
 * office; none of them decides anything about comments on its own.
 *
 * Policy for a new comment, in order:
 *  refused, with a message and nothing stored (clear abuse or a bad form):
 *    honeypot filled; forged, foreign or expired form token; comments
 *    closed; a field missing or invalid; a parent that is not an approved
 *    comment of the same post; too many comments from the address or its
 *    subnet in the rate window; the same text again;
 *  otherwise stored as
 *    spam      when the classifier is sure enough (comments_spam_threshold);
 *    pending   on any soft signal: moderation of all comments is on, more
 *              links than comments_max_links, sent sooner than
 *              comments_min_seconds after the form was rendered, no earlier
 *              approved comment from the email, or a classifier that has
 *              learned too little to judge;
 *    approved  else. */
#ifndef GAZETTE_COMMENT_COMMENT_H
#define GAZETTE_COMMENT_COMMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/secret.h"
#include "core/arena.h"
#include "store/store.h"

/* ---- form token: "POST.TIME.MAC", HMAC-signed, no server state, so a
 * cached page carries a valid one. */
#define COMMENT_TOKEN_MAX 96
void comment_token_make(const unsigned char key[SECRET_BYTES], int64_t post_id, int64_t now,
			char out[COMMENT_TOKEN_MAX]);
enum token_check { TOKEN_OK, TOKEN_FORGED, TOKEN_EXPIRED };
/* Checks the MAC and the post; *age gets seconds since it was made. */
enum token_check comment_token_check(const unsigned char key[SECRET_BYTES], const char *token,
				     int64_t post_id, int64_t now, int64_t max_age,
				     int64_t *age);
/* A short MAC over a comment id, so that its author (and only they) can see
 * it while it waits for moderation: "ID-MAC" in ?held=. */
void comment_held_ref(const unsigned char key[SECRET_BYTES], int64_t id, char out[48]);
/* The comment id of a valid held reference, else 0. */
int64_t comment_held_id(const unsigned char key[SECRET_BYTES], const char *ref);

/* ---- taking a comment */
enum comment_field { CF_NAME, CF_EMAIL, CF_URL, CF_BODY, CF__MAX };
extern const char *const comment_field_names[CF__MAX]; /* "name", "email", "url", "comment" */

struct comment_form {
	const char *name, *email, *url, *body; /* as typed (may be NULL) */
	const char *parent;                    /* "" or a comment id */
	const char *token, *honeypot;
};

struct comment_env {
	struct store *st;
	struct arena *a;
	const unsigned char *key; /* SECRET_BYTES */
	int64_t now;
	const char *ip, *user_agent;
};

struct comment_outcome {
	int status;                      /* 0 = taken; else the HTTP status of the refusal */
	const char *message;             /* why refused (for the top of the form) */
	const char *errors[CF__MAX];     /* per field; NULL = fine */
	int64_t id;                      /* taken: the new comment */
	enum comment_status stored;      /* taken: approved, pending or spam */
};

/* The form's fields alone: trimmed copies into c (author_name,
 * author_email, author_url - "https://" added when no scheme was typed -
 * and body_md), and per-field errors in out (status 400, or 413 for a body
 * over max_chars bytes). No store, no policy. */
void comment_check_fields(struct arena *a, const struct comment_form *f, int64_t max_chars,
			  struct comment *c, struct comment_outcome *out);

/* Whether a post takes comments now (site setting, the post's own switch,
 * comments_close_days), from settings already read for the request. */
struct settings_snapshot;
bool comment_open(const struct settings_snapshot *set, const struct post *p, int64_t now);

/* Check and store a comment on post p (a public article). Returns ERR_OK
 * with out filled for taken and refused comments alike; other errors are
 * the store's. */
enum err comment_submit(const struct comment_env *env, const struct post *p,
			const struct comment_form *f, struct comment_outcome *out);

/* ---- moderation */
enum comment_action {
	CA_APPROVE,
	CA_UNAPPROVE, /* back to pending */
	CA_SPAM,
	CA_TRASH,
	CA_RESTORE,   /* out of spam or trash, to what it was before */
	CA_DELETE,    /* for good */
	CA__MAX
};
bool comment_action_parse(const char *s, enum comment_action *out);
/* Apply an action; the spam model learns from approve and spam. */
enum err comment_moderate(struct store *st, struct arena *a, int64_t id, enum comment_action act);
/* Forget the spam model and learn it again from every approved (ham) and
 * spam comment; *ham and *spam get the counts. */
enum err comment_train(struct store *st, int64_t *ham, int64_t *spam);

#endif
