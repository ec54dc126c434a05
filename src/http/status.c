/* status.c - enum err -> HTTP status, and reason phrases. */
#include "http/http.h"

#include <stddef.h>

/* The one place an error becomes a status. Lower layers never pick one. */
static const int status_for[ERR__MAX] = {
	[ERR_OK] = 200,
	[ERR_NOMEM] = 500,
	[ERR_IO] = 500,
	[ERR_DB] = 503,       /* busy/locked/unreachable database: retry later */
	[ERR_NOTFOUND] = 404,
	[ERR_CONFLICT] = 409,
	[ERR_INVALID] = 400,
	[ERR_DENIED] = 403,
	[ERR_LIMIT] = 429,    /* rate limits; the server itself answers 413/414/431 */
};

int http_status_for(enum err e)
{
	if ((unsigned)e >= ERR__MAX || status_for[e] == 0)
		return 500;
	return status_for[e];
}

struct reason {
	int status;
	const char *text;
};

/* Sorted by status. */
static const struct reason reasons[] = {
	{100, "Continue"},
	{101, "Switching Protocols"},
	{200, "OK"},
	{201, "Created"},
	{202, "Accepted"},
	{204, "No Content"},
	{206, "Partial Content"},
	{301, "Moved Permanently"},
	{302, "Found"},
	{303, "See Other"},
	{304, "Not Modified"},
	{307, "Temporary Redirect"},
	{308, "Permanent Redirect"},
	{400, "Bad Request"},
	{401, "Unauthorized"},
	{403, "Forbidden"},
	{404, "Not Found"},
	{405, "Method Not Allowed"},
	{406, "Not Acceptable"},
	{408, "Request Timeout"},
	{409, "Conflict"},
	{410, "Gone"},
	{411, "Length Required"},
	{412, "Precondition Failed"},
	{413, "Content Too Large"},
	{414, "URI Too Long"},
	{415, "Unsupported Media Type"},
	{416, "Range Not Satisfiable"},
	{417, "Expectation Failed"},
	{422, "Unprocessable Content"},
	{425, "Too Early"},
	{426, "Upgrade Required"},
	{428, "Precondition Required"},
	{429, "Too Many Requests"},
	{431, "Request Header Fields Too Large"},
	{451, "Unavailable For Legal Reasons"},
	{500, "Internal Server Error"},
	{501, "Not Implemented"},
	{502, "Bad Gateway"},
	{503, "Service Unavailable"},
	{504, "Gateway Timeout"},
	{505, "HTTP Version Not Supported"},
};

const char *http_reason(int status)
{
	size_t lo = 0, hi = sizeof reasons / sizeof reasons[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (reasons[mid].status == status)
			return reasons[mid].text;
		if (reasons[mid].status < status)
			lo = mid + 1;
		else
			hi = mid;
	}
	switch (status / 100) {
	case 1: return "Informational";
	case 2: return "Success";
	case 3: return "Redirection";
	case 4: return "Client Error";
	case 5: return "Server Error";
	default: return "Unknown";
	}
}
