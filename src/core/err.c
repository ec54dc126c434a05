#include "core/err.h"

static const char *const names[ERR__MAX] = {
	[ERR_OK] = "ok",
	[ERR_NOMEM] = "out of memory",
	[ERR_IO] = "input/output error",
	[ERR_DB] = "database error",
	[ERR_NOTFOUND] = "not found",
	[ERR_CONFLICT] = "already exists",
	[ERR_INVALID] = "invalid input",
	[ERR_DENIED] = "permission denied",
	[ERR_LIMIT] = "limit exceeded",
};

const char *err_str(enum err e)
{
	if ((unsigned)e >= ERR__MAX || !names[e])
		return "unknown error";
	return names[e];
}
