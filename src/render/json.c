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

/* ---- json_script: our own compact writer over jansson's tree ----------
 * Byte for byte what json_dumps(JSON_COMPACT | JSON_ESCAPE_SLASH) writes,
 * with <, >, & and U+2028/2029 escaped as well, in one pass straight into
 * the arena (jansson's dumper plus a second escaping pass cost a fifth of
 * an uncached article page). Strings in a jansson tree are valid UTF-8. */

static void put_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_reserve(b, n + 2);
	buf_putc(b, '"');
	size_t run = 0; /* bytes copied as they are, pending */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '/': esc = "\\/"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '<': esc = "\\u003c"; break;
		case '>': esc = "\\u003e"; break;
		case '&': esc = "\\u0026"; break;
		case 0xE2: /* U+2028 and U+2029 end a line in JavaScript */
			if (i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
				esc = (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
			break;
		default:
			if (c < 0x20) {
				memcpy(u, "\\u00", 4);
				u[4] = hex[c >> 4];
				u[5] = hex[c & 15];
				u[6] = '\0';
				esc = u;
			}
		}
		if (!esc) {
			run++;
			continue;
		}
		buf_append(b, s + i - run, run);
		run = 0;
		buf_puts(b, esc);
		if (c == 0xE2)
			i += 2;
	}
	buf_append(b, s + n - run, run);
	buf_putc(b, '"');
}

static void put_int(struct buf *b, json_int_t v)
{
	char d[24];
	size_t i = sizeof d;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--i] = '-';
	buf_append(b, d + i, sizeof d - i);
}

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
			put_string(b, key, strlen(key));
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
	case JSON_STRING: put_string(b, json_string_value(v), json_string_length(v)); return true;
	case JSON_INTEGER: put_int(b, json_integer_value(v)); return true;
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
