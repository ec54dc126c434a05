#include "render/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "render/jsonw.h"

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

/* ---- json_script: our own compact writer over jansson's tree ----------
 * Byte for byte what json_dumps(JSON_COMPACT | JSON_ESCAPE_SLASH) writes,
 * with <, >, & and U+2028/2029 escaped as well, in one pass straight into
 * the arena (jansson's dumper plus a second escaping pass cost a fifth of
 * an uncached article page). Strings in a jansson tree are valid UTF-8. */

static bool put_value(struct buf *b, json_t *v, int depth)
{
	if (depth > 64)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *child;
		bool first = true;
		buf_putc(b, '{');
		json_object_foreach(v, key, child) {
			if (!first)
				buf_putc(b, ',');
			first = false;
			jsonw_put_string(b, key, strlen(key));
			buf_putc(b, ':');
			if (!put_value(b, child, depth + 1))
				return false;
		}
		buf_putc(b, '}');
		return true;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *child;
		buf_putc(b, '[');
		json_array_foreach(v, i, child) {
			if (i)
				buf_putc(b, ',');
			if (!put_value(b, child, depth + 1))
				return false;
		}
		buf_putc(b, ']');
		return true;
	}
	case JSON_STRING: jsonw_put_string(b, json_string_value(v), json_string_length(v)); return true;
	case JSON_INTEGER: jsonw_put_int(b, json_integer_value(v)); return true;
	case JSON_TRUE: buf_puts(b, "true"); return true;
	case JSON_FALSE: buf_puts(b, "false"); return true;
	case JSON_NULL: buf_puts(b, "null"); return true;
	case JSON_REAL: { /* jansson's own number format */
		char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!t)
			return false;
		buf_puts(b, t);
		free(t);
		return true;
	}
	}
	return false;
}

char *json_script(struct arena *a, struct json *j)
{
	if (!j)
		return NULL;
	struct buf b = BUF_INIT;
	buf_reserve(&b, 1024);
	bool ok = put_value(&b, J(j), 0);
	json_decref(J(j));
	char *r = ok && !b.oom ? arena_strndup(a, b.data ? b.data : "", b.len) : NULL;
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
