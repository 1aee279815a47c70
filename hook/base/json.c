// SPDX-License-Identifier: GPL-2.0-or-later
/* The yajl module: tree parsing with limits, accessors, and a pretty generator. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
#include "base/cleanup.h"
#include "base/json.h"

struct json_writer {
	yajl_gen gen;
	yajl_gen_status status;
};

static const struct json *as_json(yajl_val v)
{
	return (const struct json *)v;
}

static yajl_val as_yajl(const struct json *v)
{
	return (yajl_val)v;
}

/*
 * Nesting depth of the text, strings skipped; computed before yajl builds (and frees) a tree.
 * Sets @escaped_nul when a string holds \u0000, which would cut a C string short unseen, and
 * @comment when a `/` stands outside a string: yajl_tree_parse accepts comments, which JSON
 * (and runc, which reads the same profiles) does not, and a comment holding a quote would hide
 * the nesting after it from this count.
 */
static size_t text_depth(const char *text, size_t len, bool *escaped_nul, bool *comment)
{
	size_t depth = 0, max = 0;
	bool in_string = false;

	*escaped_nul = false;
	*comment = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\') {
				if (len - i >= 6 && memcmp(text + i + 1, "u0000", 5) == 0)
					*escaped_nul = true;
				i++;
			} else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '/') {
			*comment = true;
			return max;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				max = depth;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return max;
}

int json_parse(const char *text, size_t len, const char *what, struct json **out, struct error *err)
{
	char yajl_msg[256] = "";
	cleanup_free char *copy = NULL;
	bool escaped_nul, comment;
	yajl_val tree;

	if (memchr(text, '\0', len))
		return error_set(err, 0, "%s is not JSON: it contains a NUL byte", what);
	if (text_depth(text, len, &escaped_nul, &comment) > JSON_MAX_DEPTH)
		return error_set(err, 0, "%s nests deeper than %d levels", what, JSON_MAX_DEPTH);
	if (comment)
		return error_set(err, 0, "%s is not valid JSON: it holds a comment or a stray `/`",
				 what);
	if (escaped_nul)
		return error_set(err, 0, "%s holds a string with a NUL character (\\u0000)", what);
	/* yajl_tree_parse reads up to a NUL: give it a copy that ends at @len. */
	copy = malloc(len + 1);
	if (!copy)
		return error_set(err, ENOMEM, "%s", what);
	memcpy(copy, text, len);
	copy[len] = '\0';
	tree = yajl_tree_parse(copy, yajl_msg, sizeof(yajl_msg));
	if (!tree) {
		/* yajl quotes the input around the error: keep only its first line. */
		char *nl = strchr(yajl_msg, '\n');

		if (nl)
			*nl = '\0';
		return error_set(err, 0, "%s is not valid JSON (%s)", what,
				 yajl_msg[0] ? yajl_msg : "parse error");
	}
	*out = (struct json *)tree;
	return 0;
}

void json_free(struct json *v)
{
	if (v)
		yajl_tree_free(as_yajl(v));
}

enum json_type json_type(const struct json *v)
{
	yajl_val y = as_yajl(v);

	if (YAJL_IS_STRING(y))
		return JSON_STRING;
	if (YAJL_IS_NUMBER(y))
		return JSON_NUMBER;
	if (YAJL_IS_OBJECT(y))
		return JSON_OBJECT;
	if (YAJL_IS_ARRAY(y))
		return JSON_ARRAY;
	if (YAJL_IS_TRUE(y) || YAJL_IS_FALSE(y))
		return JSON_BOOL;
	return JSON_NULL;
}

bool json_is_true(const struct json *v)
{
	return v && YAJL_IS_TRUE(as_yajl(v));
}

const char *json_type_name(const struct json *v)
{
	static const char *const names[] = { "null",	 "a boolean", "a number",
					     "a string", "an array",  "an object" };

	return names[json_type(v)];
}

const char *json_string(const struct json *v)
{
	return YAJL_IS_STRING(as_yajl(v)) ? YAJL_GET_STRING(as_yajl(v)) : NULL;
}

bool json_int64(const struct json *v, int64_t *out)
{
	yajl_val y = as_yajl(v);

	const char *text;
	char *end;

	if (YAJL_IS_INTEGER(y)) {
		*out = YAJL_GET_INTEGER(y);
		return true;
	}
	/* yajl flags INT64_MIN as out of range (it negates after reading the digits). */
	if (!YAJL_IS_NUMBER(y) || !(text = YAJL_GET_NUMBER(y)) || text[0] != '-')
		return false;
	errno = 0;
	*out = strtoll(text, &end, 10);
	return errno == 0 && end != text + 1 && *end == '\0';
}

bool json_uint64(const struct json *v, uint64_t *out)
{
	yajl_val y = as_yajl(v);
	const char *text;
	char *end;

	if (!YAJL_IS_NUMBER(y))
		return false;
	/* yajl keeps the digits: values above INT64_MAX are still read exactly. */
	text = YAJL_GET_NUMBER(y);
	if (!text || text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	*out = strtoull(text, &end, 10);
	return errno == 0 && *end == '\0';
}

size_t json_len(const struct json *v)
{
	yajl_val y = as_yajl(v);

	if (YAJL_IS_ARRAY(y))
		return y->u.array.len;
	if (YAJL_IS_OBJECT(y))
		return y->u.object.len;
	return 0;
}

const struct json *json_at(const struct json *v, size_t i)
{
	yajl_val y = as_yajl(v);

	if (YAJL_IS_ARRAY(y) && i < y->u.array.len)
		return as_json(y->u.array.values[i]);
	if (YAJL_IS_OBJECT(y) && i < y->u.object.len)
		return as_json(y->u.object.values[i]);
	return NULL;
}

const char *json_key_at(const struct json *v, size_t i)
{
	yajl_val y = as_yajl(v);

	return YAJL_IS_OBJECT(y) && i < y->u.object.len ? y->u.object.keys[i] : NULL;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	yajl_val y = as_yajl(obj);

	if (!YAJL_IS_OBJECT(y))
		return NULL;
	for (size_t i = 0; i < y->u.object.len; i++)
		if (strcmp(y->u.object.keys[i], key) == 0)
			return as_json(y->u.object.values[i]);
	return NULL;
}

struct json_writer *json_writer_new(void)
{
	struct json_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->gen = yajl_gen_alloc(NULL);
	if (!w->gen) {
		free(w);
		return NULL;
	}
	yajl_gen_config(w->gen, yajl_gen_beautify, 1);
	yajl_gen_config(w->gen, yajl_gen_indent_string, "  ");
	yajl_gen_config(w->gen, yajl_gen_validate_utf8, 1);
	return w;
}

void json_writer_free(struct json_writer *w)
{
	if (!w)
		return;
	yajl_gen_free(w->gen);
	free(w);
}

/* The first failure sticks; later calls are no-ops. */
#define GEN_OR_FAIL(w, expr)                           \
	do {                                           \
		if ((w)->status == yajl_gen_status_ok) \
			(w)->status = (expr);          \
	} while (0)

void json_w_object_begin(struct json_writer *w)
{
	GEN_OR_FAIL(w, yajl_gen_map_open(w->gen));
}

void json_w_object_end(struct json_writer *w)
{
	GEN_OR_FAIL(w, yajl_gen_map_close(w->gen));
}

void json_w_array_begin(struct json_writer *w)
{
	GEN_OR_FAIL(w, yajl_gen_array_open(w->gen));
}

void json_w_array_end(struct json_writer *w)
{
	GEN_OR_FAIL(w, yajl_gen_array_close(w->gen));
}

void json_w_string(struct json_writer *w, const char *s)
{
	GEN_OR_FAIL(w, yajl_gen_string(w->gen, (const unsigned char *)s, strlen(s)));
}

void json_w_key(struct json_writer *w, const char *key)
{
	json_w_string(w, key);
}

void json_w_int(struct json_writer *w, int64_t n)
{
	GEN_OR_FAIL(w, yajl_gen_integer(w->gen, (long long)n));
}

void json_w_uint(struct json_writer *w, uint64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%" PRIu64, n);

	GEN_OR_FAIL(w, yajl_gen_number(w->gen, digits, (size_t)len));
}

void json_w_bool(struct json_writer *w, bool b)
{
	GEN_OR_FAIL(w, yajl_gen_bool(w->gen, b));
}

void json_w_value(struct json_writer *w, const struct json *v)
{
	yajl_val y = as_yajl(v);

	switch (json_type(v)) {
	case JSON_NULL:
		GEN_OR_FAIL(w, yajl_gen_null(w->gen));
		break;
	case JSON_BOOL:
		json_w_bool(w, YAJL_IS_TRUE(y));
		break;
	case JSON_NUMBER: {
		const char *digits = YAJL_GET_NUMBER(y);

		GEN_OR_FAIL(w, yajl_gen_number(w->gen, digits, strlen(digits)));
		break;
	}
	case JSON_STRING:
		json_w_string(w, YAJL_GET_STRING(y));
		break;
	case JSON_ARRAY:
		json_w_array_begin(w);
		for (size_t i = 0; i < y->u.array.len; i++)
			json_w_value(w, as_json(y->u.array.values[i]));
		json_w_array_end(w);
		break;
	case JSON_OBJECT:
		json_w_object_begin(w);
		for (size_t i = 0; i < y->u.object.len; i++) {
			json_w_key(w, y->u.object.keys[i]);
			json_w_value(w, as_json(y->u.object.values[i]));
		}
		json_w_object_end(w);
		break;
	}
}

void json_w_kv_string(struct json_writer *w, const char *key, const char *s)
{
	json_w_key(w, key);
	json_w_string(w, s);
}

void json_w_kv_int(struct json_writer *w, const char *key, int64_t n)
{
	json_w_key(w, key);
	json_w_int(w, n);
}

void json_w_kv_uint(struct json_writer *w, const char *key, uint64_t n)
{
	json_w_key(w, key);
	json_w_uint(w, n);
}

void json_w_kv_bool(struct json_writer *w, const char *key, bool b)
{
	json_w_key(w, key);
	json_w_bool(w, b);
}

void json_w_strings(struct json_writer *w, char *const *v, size_t n)
{
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++)
		json_w_string(w, v[i]);
	json_w_array_end(w);
}

void json_w_list(struct json_writer *w, const char *key, const void *items, size_t n, size_t size,
		 void (*each)(struct json_writer *w, const void *item))
{
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++)
		each(w, (const char *)items + i * size);
	json_w_array_end(w);
}

int json_writer_finish(struct json_writer *w, char **out, size_t *out_len, struct error *err)
{
	const unsigned char *buf;
	size_t len;
	char *copy;

	if (w->status != yajl_gen_status_ok)
		return error_set(err, 0, "generating JSON failed (yajl status %d)", (int)w->status);
	if (yajl_gen_get_buf(w->gen, &buf, &len) != yajl_gen_status_ok)
		return error_set(err, 0, "generating JSON failed");
	copy = malloc(len + 2);
	if (!copy)
		return error_set(err, errno, "generating JSON");
	memcpy(copy, buf, len);
	/* yajl's beautifier ends the document with a newline already; make sure of one. */
	if (len == 0 || copy[len - 1] != '\n')
		copy[len++] = '\n';
	copy[len] = '\0';
	*out = copy;
	*out_len = len;
	return 0;
}
