/* err.h - the one error enum every layer returns.
 *
 * Lower layers return these silently; only http/ maps them to a status
 * (http/status.c) and only cmd/ turns them into exit codes. */
#ifndef GAZETTE_CORE_ERR_H
#define GAZETTE_CORE_ERR_H

enum err {
	ERR_OK = 0,
	ERR_NOMEM,    /* allocation or arena cap */
	ERR_IO,       /* file or socket */
	ERR_DB,       /* storage failure (not "not found") */
	ERR_NOTFOUND, /* the thing asked for does not exist */
	ERR_CONFLICT, /* unique slug/login taken, site already exists */
	ERR_INVALID,  /* bad input from a user */
	ERR_DENIED,   /* not allowed */
	ERR_LIMIT,    /* a size or rate limit */
	ERR__MAX
};

/* Static, lower-case description ("not found"). Never NULL. */
const char *err_str(enum err e);

#endif
