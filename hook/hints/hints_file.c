// SPDX-License-Identifier: GPL-2.0-or-later
/* PROFILE.hints.json: the calls the binaries of a recording can make and its profile does not
 * allow. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/escape.h"
#include "base/json.h"
#include "hints/hints.h"

char *hints_path(const char *profile_path)
{
	char *path = NULL;

	if (asprintf(&path, "%s%s", profile_path, HINTS_SUFFIX) < 0)
		return NULL;
	return path;
}

int hints_write(const char *profile_path, enum fs_links links, mode_t mode, const struct hints *h,
		struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	cleanup_free char *path = hints_path(profile_path);
	cleanup_free char *text = NULL;
	size_t len;

	if (!w || !path)
		return error_set(err, ENOMEM, "the hints file of `%s`", profile_path);
	json_w_object_begin(w);
	json_w_key(w, "calls");
	json_w_array_begin(w);
	for (size_t i = 0; i < h->n; i++) {
		json_w_object_begin(w);
		json_w_kv_string(w, "name", h->v[i].name);
		json_w_kv_string(w, "arch", h->v[i].arch);
		json_w_key(w, "from");
		json_w_strings(w, h->v[i].from.v, h->v[i].from.n);
		json_w_kv_bool(w, "direct", h->v[i].direct);
		json_w_kv_uint(w, "reasons", h->v[i].sources);
		if (h->v[i].weaker)
			json_w_kv_bool(w, "weaker", true);
		json_w_object_end(w);
	}
	json_w_array_end(w);
	json_w_object_end(w);
	if (json_writer_finish(w, &text, &len, err) < 0)
		return -1;
	return fs_write_atomic(path, links, text, len, mode, err);
}

static int read_call(const struct json *v, struct hint_call *c, const char *what, size_t i,
		     struct error *err)
{
	const struct json *from = json_get(v, "from");
	const char *name = json_string(json_get(v, "name"));
	const char *arch = json_string(json_get(v, "arch"));
	uint64_t reasons;

	if (json_type(v) != JSON_OBJECT || !name || !arch || json_type(from) != JSON_ARRAY)
		return error_set(err, 0,
				 "%s: call %zu needs a string `name`, a string `arch` and an "
				 "array `from`",
				 what, i);
	/* All three optional: a hints file of an earlier version has neither. */
	c->direct = json_is_true(json_get(v, "direct"));
	c->weaker = json_is_true(json_get(v, "weaker"));
	/* Ranking counts every reason found, @from keeps the first few (the analyze helper's
	 * hints come back through this file, and are ranked after). */
	if (json_uint64(json_get(v, "reasons"), &reasons))
		c->sources = (size_t)reasons;
	else
		c->sources = json_len(from);
	c->name = strdup(name);
	c->arch = strdup(arch);
	if (!c->name || !c->arch)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t k = 0; k < json_len(from); k++) {
		const char *s = json_string(json_at(from, k));

		if (!s)
			return error_set(err, 0, "%s: call %zu: `from` holds a %s, not a string",
					 what, i, json_type_name(json_at(from, k)));
		if (strv_append(&c->from, s) < 0)
			return error_set(err, ENOMEM, "%s", what);
	}
	return 0;
}

int hints_read(const char *profile_path, enum fs_links links, struct hints *out, struct error *err)
{
	cleanup_free char *path = hints_path(profile_path);
	cleanup_free char *text = NULL;
	cleanup_json struct json *doc = NULL;
	const struct json *calls;
	char what[4200];
	size_t len;

	memset(out, 0, sizeof(*out));
	if (!path)
		return error_set(err, ENOMEM, "the hints file of `%s`", profile_path);
	if (fs_read_file(path, links, HINTS_MAX_BYTES, &text, &len, err) < 0)
		return err->errnum == ENOENT ? 1 : -1;
	snprintf(what, sizeof(what), "hints file `%s`", path);
	if (json_parse(text, len, what, &doc, err) < 0)
		return -1;
	calls = json_get(doc, "calls");
	if (json_type(doc) != JSON_OBJECT || json_type(calls) != JSON_ARRAY)
		return error_set(err, 0, "%s: needs an object with an array `calls`", what);
	out->v = calloc(json_len(calls) + 1, sizeof(*out->v));
	if (!out->v)
		return error_set(err, ENOMEM, "%s", what);
	out->cap = json_len(calls) + 1;
	for (size_t i = 0; i < json_len(calls); i++) {
		int ret = read_call(json_at(calls, i), &out->v[out->n], what, i, err);

		out->n++;
		if (ret < 0) {
			hints_release(out);
			return -1;
		}
	}
	return 0;
}

char *hints_describe(const struct hint_call *c)
{
	const char *from = c->from.n ? c->from.v[0] : NULL;
	const char *colon = from ? strstr(from, ": ") : NULL;
	char *text = NULL, *escaped;
	int ret;

	if (!colon) {
		ret = asprintf(&text, "%s", "a binary of the recording can make it");
	} else {
		const char *what = colon + 2;
		const char *at = strchr(what, '@');
		int bin_len = (int)(colon - from);
		const char *slash = memrchr(from, '/', (size_t)bin_len);
		const char *bin = slash ? slash + 1 : from;

		bin_len -= (int)(bin - from);
		if (at && strncmp(what, "syscall instruction", 19) != 0)
			ret = asprintf(&text, "%.*s imports %.*s", bin_len, bin, (int)(at - what),
				       what);
		else
			ret = asprintf(&text, "%.*s has a %s", bin_len, bin, what);
	}
	if (ret < 0)
		return NULL;
	/* From a file that may be older or edited: never as a terminal would obey it. */
	escaped = escape_dup(text, ESCAPE_KEEP_BACKSLASH);
	free(text);
	return escaped;
}

char *hints_line(const struct hint_call *c)
{
	cleanup_free char *why = hints_describe(c);
	cleanup_free char *name = escape_dup(c->name, ESCAPE_KEEP_BACKSLASH);
	char *line;

	if (!why || !name ||
	    asprintf(&line, "? %s  may be needed%s: %s", name,
		     c->weaker ? " (weaker, not logged by hints:log)" : "", why) < 0)
		return NULL;
	return line;
}
