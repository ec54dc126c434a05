/* test_auth.c - argon2id password hashing (auth/crypto.c) and the
 * comment status names the moderation code will use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/password.h"
#include "store/store.h"

static void test_hash_and_verify(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("correct horse battery", h), ERR_OK);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_true(password_verify(h, "correct horse battery"));
	assert_false(password_verify(h, "correct horse batterz"));
	assert_false(password_verify("", "anything"));
	assert_false(password_verify("not-a-hash", "anything"));
	char h2[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash("correct horse battery", h2), ERR_OK);
	assert_string_not_equal(h, h2); /* salted */
	assert_int_equal(password_hash("short", h), ERR_INVALID);
}

static void test_comment_status_names(void **state)
{
	(void)state;
	enum comment_status s;
	for (int i = 0; i < COMMENT_STATUS__MAX; i++) {
		assert_true(comment_status_parse(comment_status_name((enum comment_status)i), &s));
		assert_int_equal(s, i);
	}
	assert_false(comment_status_parse("approve", &s));
	assert_false(comment_status_parse(NULL, &s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_and_verify),
		cmocka_unit_test(test_comment_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
