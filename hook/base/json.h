/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON reading and writing. Every yajl call of the project lives behind this header. */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

/* Deeper input is refused before it is parsed (every reader here needs depth 4 at most). */
#define JSON_MAX_DEPTH 64

struct json; /* a parsed value */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

/* Parse @len bytes of @text; @what names the input in messages ("base profile `/x`"). */
int json_parse(const char *text, size_t len, const char *what, struct json **out,
	       struct error *err);
void json_free(struct json *v);

enum json_type json_type(const struct json *v);
const char *json_type_name(const struct json *v);
const char *json_string(const struct json *v);	       /* NULL unless a string */
bool json_is_true(const struct json *v);	       /* the literal true (NULL: false) */
bool json_int64(const struct json *v, int64_t *out);   /* false unless an integer that fits */
bool json_uint64(const struct json *v, uint64_t *out); /* false unless a non-negative integer */
size_t json_len(const struct json *v); /* elements of an array or members of an object */
const struct json *json_at(const struct json *v, size_t i); /* array element or member value */
const char *json_key_at(const struct json *v, size_t i);    /* member name of an object */
const struct json *json_get(const struct json *obj, const char *key); /* NULL when absent */

/* A pretty-printing writer; any failure sticks and is reported by json_writer_finish. */
struct json_writer;

struct json_writer *json_writer_new(void);
void json_writer_free(struct json_writer *w);
void json_w_object_begin(struct json_writer *w);
void json_w_object_end(struct json_writer *w);
void json_w_array_begin(struct json_writer *w);
void json_w_array_end(struct json_writer *w);
void json_w_key(struct json_writer *w, const char *key);
void json_w_string(struct json_writer *w, const char *s);
void json_w_int(struct json_writer *w, int64_t n);
void json_w_uint(struct json_writer *w, uint64_t n);
void json_w_bool(struct json_writer *w, bool b);
void json_w_value(struct json_writer *w, const struct json *v); /* copy a parsed value */
/* A member of an object, key and value in one call. */
void json_w_kv_string(struct json_writer *w, const char *key, const char *s);
void json_w_kv_int(struct json_writer *w, const char *key, int64_t n);
void json_w_kv_uint(struct json_writer *w, const char *key, uint64_t n);
void json_w_kv_bool(struct json_writer *w, const char *key, bool b);
/* An array of the @n strings of @v. */
void json_w_strings(struct json_writer *w, char *const *v, size_t n);
/* "@key": [ ... ], @each writing each of the @n items of @size bytes at @items. */
void json_w_list(struct json_writer *w, const char *key, const void *items, size_t n, size_t size,
		 void (*each)(struct json_writer *w, const void *item));
/* The document with a trailing newline (malloc'ed), or an error. */
int json_writer_finish(struct json_writer *w, char **out, size_t *len, struct error *err);

static inline void cleanup_jsonp(struct json **v)
{
	json_free(*v);
}
static inline void cleanup_json_writerp(struct json_writer **w)
{
	json_writer_free(*w);
}
#define cleanup_json __attribute__((cleanup(cleanup_jsonp)))
#define cleanup_json_writer __attribute__((cleanup(cleanup_json_writerp)))

#endif /* JSON_H */
