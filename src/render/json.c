#include "render/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define J(x) ((json_t *)(x))

struct json *json_obj(void)
{
	return (struct json *)json_object();
}

struct json *json_arr(void)
{
	return (struct json *)json_array();
}

struct json *json_str(const char *s)
{
	/* jansson refuses invalid UTF-8; our strings are validated on input,
	 * but never let one bad value drop the whole document. */
	json_t *v = json_string(s ? s : "");
	return (struct json *)(v ? v : json_string(""));
}

struct json *json_int(int64_t i)
{
	return (struct json *)json_integer((json_int_t)i);
}

void json_set(struct json *obj, const char *key, struct json *child)
{
	if (obj && child)
		json_object_set_new(J(obj), key, J(child));
}

void json_set_str(struct json *obj, const char *key, const char *s)
{
	json_set(obj, key, json_str(s));
}

void json_push(struct json *arr, struct json *child)
{
	if (arr && child)
		json_array_append_new(J(arr), J(child));
}

void json_free(struct json *j)
{
	json_decref(J(j));
}

char *json_script(struct arena *a, struct json *j)
{
	if (!j)
		return NULL;
	char *s = json_dumps(J(j), JSON_COMPACT | JSON_ESCAPE_SLASH);
	json_decref(J(j));
	if (!s)
		return NULL;
	struct buf b = BUF_INIT;
	for (const char *p = s; *p; p++) {
		if (*p == '<')
			buf_puts(&b, "\\u003c");
		else if (*p == '>')
			buf_puts(&b, "\\u003e");
		else if (*p == '&')
			buf_puts(&b, "\\u0026");
		else if (strncmp(p, "\xE2\x80\xA8", 3) == 0) {
			buf_puts(&b, "\\u2028");
			p += 2;
		} else if (strncmp(p, "\xE2\x80\xA9", 3) == 0) {
			buf_puts(&b, "\\u2029");
			p += 2;
		} else
			buf_putc(&b, *p);
	}
	free(s);
	char *r = b.oom ? NULL : arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

struct json *json_num(double d)
{
	return (struct json *)json_real(d);
}

struct json *json_flag(bool b)
{
	return (struct json *)(b ? json_true() : json_false());
}

char *json_text(struct arena *a, struct json *j)
{
	if (!j)
		return NULL;
	char *s = json_dumps(J(j), JSON_COMPACT);
	json_decref(J(j));
	if (!s)
		return NULL;
	char *r = arena_strdup(a, s);
	free(s);
	return r;
}
