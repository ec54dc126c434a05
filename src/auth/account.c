/* account.c - account field checks (account.h). */
#include "auth/account.h"

#include <string.h>

bool account_login_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 60)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_' || *p == '.'))
			return false;
	return true;
}

bool account_email_ok(const char *s)
{
	if (!s)
		return false;
	const char *at = strchr(s, '@');
	size_t n = strlen(s);
	return at && at != s && strchr(at + 1, '.') && !strchr(at + 1, '@') && n <= 254 &&
	       !strpbrk(s, " \t\r\n<>\"'") && s[n - 1] != '.';
}
