/* json.h - JSON building through jansson (render/json.c is its only user).
 *
 * Handles are jansson objects owned by whoever made them until attached to a
 * parent (json_set/json_push take the child's reference) or passed to
 * json_script, which frees the tree. */
#ifndef GAZETTE_RENDER_JSON_H
#define GAZETTE_RENDER_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"

struct json;

struct json *json_obj(void);
struct json *json_arr(void);
struct json *json_str(const char *s); /* NULL s -> "" */
struct json *json_int(int64_t i);
struct json *json_num(double d);
struct json *json_flag(bool b);
/* Attach child to obj[key] / the end of arr; NULL child is ignored. */
void json_set(struct json *obj, const char *key, struct json *child);
void json_set_str(struct json *obj, const char *key, const char *s);
void json_push(struct json *arr, struct json *child);
/* Serialise compactly, safe inside <script type="application/ld+json">
 * (<, >, & and U+2028/2029 escaped), into the arena; frees j. */
char *json_script(struct arena *a, struct json *j);
void json_free(struct json *j);
/* Serialise compactly as a JSON document (for application/json bodies). */
char *json_text(struct arena *a, struct json *j);

#endif
