/* session.c - back-office sessions (session.h), over the store. */
#include "auth/session.h"

#include <sodium.h>
#include <string.h>

#include "auth/secret.h"

static bool token_ok(const char *t)
{
	if (!t || strlen(t) != SESSION_TOKEN_HEX)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static void hash_token(const char *token, char out[SESSION_TOKEN_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, SESSION_TOKEN_HEX + 1, h, sizeof h);
}

static void random_hex(char out[SESSION_TOKEN_HEX + 1])
{
	unsigned char b[SESSION_TOKEN_HEX / 2];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, SESSION_TOKEN_HEX + 1, b, sizeof b);
}

enum err session_start(struct store *st, int64_t user_id, const char *ip, int64_t now,
		       const struct session_limits *lim, char token[SESSION_TOKEN_HEX + 1],
		       char csrf[SESSION_TOKEN_HEX + 1])
{
	if (sodium_init() < 0)
		return ERR_IO;
	char hash[SESSION_TOKEN_HEX + 1];
	random_hex(token);
	random_hex(csrf);
	hash_token(token, hash);
	struct session s = {.token_hash = hash, .user_id = user_id, .csrf = csrf,
			    .created_at = now, .seen_at = now, .ip = ip ? ip : ""};
	return STORE_CALL(st, session_add, &s, now - lim->max_age);
}

enum err session_check(struct store *st, struct arena *a, const char *token, int64_t now,
		       const struct session_limits *lim, struct session *out, struct user *user)
{
	if (!token_ok(token))
		return ERR_DENIED;
	char hash[SESSION_TOKEN_HEX + 1];
	hash_token(token, hash);
	enum err rc = STORE_CALL(st, session_get, a, hash, out);
	if (rc == ERR_NOTFOUND)
		return ERR_DENIED;
	if (rc != ERR_OK)
		return rc;
	if (now - out->seen_at > lim->idle || now - out->created_at > lim->max_age) {
		STORE_CALL(st, session_delete, hash);
		return ERR_DENIED;
	}
	rc = STORE_CALL(st, user_get, a, out->user_id, user);
	if (rc == ERR_NOTFOUND || (rc == ERR_OK && !*user->pwhash))
		return ERR_DENIED; /* gone, or its password was removed */
	if (rc != ERR_OK)
		return rc;
	if (now - out->seen_at >= 60)
		STORE_CALL(st, session_touch, hash, now);
	return ERR_OK;
}

enum err session_end(struct store *st, const char *token)
{
	if (!token_ok(token))
		return ERR_OK;
	char hash[SESSION_TOKEN_HEX + 1];
	hash_token(token, hash);
	return STORE_CALL(st, session_delete, hash);
}

bool session_csrf_ok(const struct session *s, const char *submitted)
{
	return s && s->csrf && submitted && secret_equal(s->csrf, submitted);
}
