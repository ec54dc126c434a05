/* token.c - the comment form's signed token and held-comment references. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "comment/comment.h"
#include "core/str.h"

#define MAC_HEX 32 /* 128 bits of the HMAC are plenty for a form */

static void mac(const unsigned char key[SECRET_BYTES], const char *msg, char out[MAC_HEX + 1])
{
	char full[65];
	secret_sign(key, msg, strlen(msg), full);
	memcpy(out, full, MAC_HEX);
	out[MAC_HEX] = '\0';
}

/* The last token this thread made: every page of an article read within
 * the same second carries the same one, and a busy article is read many
 * times a second. */
static _Thread_local struct {
	bool set;
	unsigned char key[SECRET_BYTES];
	int64_t post_id, now;
	char token[COMMENT_TOKEN_MAX];
} last;

void comment_token_make(const unsigned char key[SECRET_BYTES], int64_t post_id, int64_t now,
			char out[COMMENT_TOKEN_MAX])
{
	if (last.set && last.post_id == post_id && last.now == now &&
	    memcmp(last.key, key, SECRET_BYTES) == 0) {
		memcpy(out, last.token, strlen(last.token) + 1);
		return;
	}
	char msg[64], m[MAC_HEX + 1];
	snprintf(msg, sizeof msg, "comment-form|%" PRId64 "|%" PRId64, post_id, now);
	mac(key, msg, m);
	snprintf(out, COMMENT_TOKEN_MAX, "%" PRId64 ".%" PRId64 ".%s", post_id, now, m);
	memcpy(last.key, key, SECRET_BYTES);
	last.post_id = post_id;
	last.now = now;
	memcpy(last.token, out, strlen(out) + 1);
	last.set = true;
}

enum token_check comment_token_check(const unsigned char key[SECRET_BYTES], const char *token,
				     int64_t post_id, int64_t now, int64_t max_age, int64_t *age)
{
	*age = 0;
	if (!token || strlen(token) >= COMMENT_TOKEN_MAX)
		return TOKEN_FORGED;
	char buf[COMMENT_TOKEN_MAX];
	str_copy(buf, token, sizeof buf);
	char *d1 = strchr(buf, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (!d2)
		return TOKEN_FORGED;
	*d1 = *d2 = '\0';
	int64_t pid, at;
	if (!str_to_i64(buf, 1, INT64_MAX, &pid) || !str_to_i64(d1 + 1, 0, INT64_MAX, &at))
		return TOKEN_FORGED;
	char want[COMMENT_TOKEN_MAX];
	comment_token_make(key, pid, at, want);
	if (!secret_equal(want, token) || pid != post_id)
		return TOKEN_FORGED;
	/* a little slack for clocks of several nodes */
	if (at > now + 60)
		return TOKEN_FORGED;
	*age = now - at;
	return *age > max_age ? TOKEN_EXPIRED : TOKEN_OK;
}

void comment_held_ref(const unsigned char key[SECRET_BYTES], int64_t id, char out[48])
{
	char msg[48], m[MAC_HEX + 1];
	snprintf(msg, sizeof msg, "held|%" PRId64, id);
	mac(key, msg, m);
	snprintf(out, 48, "%" PRId64 "-%.16s", id, m);
}

int64_t comment_held_id(const unsigned char key[SECRET_BYTES], const char *ref)
{
	if (!ref || strlen(ref) >= 48)
		return 0;
	const char *dash = strchr(ref, '-');
	char num[24];
	if (!dash || (size_t)(dash - ref) >= sizeof num)
		return 0;
	memcpy(num, ref, (size_t)(dash - ref));
	num[dash - ref] = '\0';
	int64_t id;
	if (!str_to_i64(num, 1, INT64_MAX, &id))
		return 0;
	char want[48];
	comment_held_ref(key, id, want);
	return secret_equal(want, ref) ? id : 0;
}
