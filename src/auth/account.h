/* account.h - what a valid account looks like, for every place that makes
 * or changes one (the CLI, the back office, the importer). */
#ifndef GAZETTE_AUTH_ACCOUNT_H
#define GAZETTE_AUTH_ACCOUNT_H

#include <stdbool.h>

/* 1-60 of a-z 0-9 . _ - */
bool account_login_ok(const char *s);
/* local@domain.tld, at most 254 bytes, no spaces, quotes or angle brackets */
bool account_email_ok(const char *s);

#endif
