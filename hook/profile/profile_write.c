// SPDX-License-Identifier: GPL-2.0-or-later
/* A profile written: the JSON document (fields read are kept in their order), and the file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/profile.h"

void profile_write_args(struct json_writer *w, const struct profile_arg *args, size_t n)
{
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		json_w_object_begin(w);
		json_w_kv_uint(w, "index", args[i].index);
		json_w_kv_uint(w, "value", args[i].value);
		json_w_kv_uint(w, "valueTwo", args[i].value_two);
		json_w_kv_string(w, "op", profile_operator_name(args[i].op));
		json_w_object_end(w);
	}
	json_w_array_end(w);
}

void profile_write_rule(struct json_writer *w, const struct profile_rule *r, bool errno_ret)
{
	json_w_object_begin(w);
	json_w_key(w, "names");
	json_w_strings(w, r->names, r->n_names);
	json_w_kv_string(w, "action", r->action);
	if (errno_ret)
		json_w_kv_uint(w, "errnoRet", r->errno_ret);
	if (r->n_args) {
		json_w_key(w, "args");
		profile_write_args(w, r->args, r->n_args);
	}
	json_w_object_end(w);
}

/* A rule read from a file: every field as it was, but `names` from the model. */
static void write_kept_rule(struct json_writer *w, const struct profile_rule *r)
{
	const struct json *src = r->source;

	json_w_object_begin(w);
	for (size_t i = 0; i < json_len(src); i++) {
		const char *key = json_key_at(src, i);

		json_w_key(w, key);
		if (strcmp(key, "names") == 0)
			json_w_strings(w, r->names, r->n_names - (json_get(src, "name") ? 1 : 0));
		else
			json_w_value(w, json_at(src, i));
	}
	json_w_object_end(w);
}

static void write_rules(struct json_writer *w, const struct profile *p)
{
	json_w_array_begin(w);
	for (size_t i = 0; i < p->n_rules; i++) {
		if (p->rules[i].source)
			write_kept_rule(w, &p->rules[i]);
		else
			profile_write_rule(w, &p->rules[i], p->rules[i].has_errno_ret);
	}
	json_w_array_end(w);
}

int profile_serialize(const struct profile *p, char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	const struct json *doc = p->tree;
	bool wrote_arches = false, wrote_rules = false, wrote_errno = false;

	if (!w)
		return error_set(err, ENOMEM, "generate profile");
	json_w_object_begin(w);
	if (!doc) {
		json_w_key(w, "defaultAction");
		json_w_string(w, p->default_action);
	}
	for (size_t i = 0; i < json_len(doc); i++) {
		const char *key = json_key_at(doc, i);

		/* Dropped on purpose (a log variant): only an ERRNO default takes it. */
		if (strcmp(key, "defaultErrnoRet") == 0 && !p->has_default_errno_ret)
			continue;
		json_w_key(w, key);
		if (strcmp(key, "architectures") == 0 && !p->has_arch_map) {
			json_w_strings(w, p->arches, p->n_arches);
			wrote_arches = true;
		} else if (strcmp(key, "syscalls") == 0) {
			write_rules(w, p);
			wrote_rules = true;
		} else if (strcmp(key, "defaultAction") == 0) {
			json_w_string(w, p->default_action);
		} else if (strcmp(key, "defaultErrnoRet") == 0) {
			json_w_uint(w, p->default_errno_ret);
			wrote_errno = true;
		} else {
			json_w_value(w, json_at(doc, i));
		}
	}
	if (!doc && p->has_default_errno_ret && !wrote_errno) {
		json_w_key(w, "defaultErrnoRet");
		json_w_uint(w, p->default_errno_ret);
	}
	if (!wrote_arches && !p->has_arch_map && p->n_arches) {
		json_w_key(w, "architectures");
		json_w_strings(w, p->arches, p->n_arches);
	}
	if (!wrote_rules && p->n_rules) {
		json_w_key(w, "syscalls");
		write_rules(w, p);
	}
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}

int profile_write_text(const char *path, enum fs_links links, const char *text, size_t len,
		       mode_t mode, struct error *err)
{
	/* What is written must read back: the reader takes at most PROFILE_MAX_BYTES. */
	if (len > PROFILE_MAX_BYTES)
		return error_set(err, 0,
				 "the profile for `%s` would be %zu bytes, more than the %d "
				 "a profile may have",
				 path, len, PROFILE_MAX_BYTES);
	return fs_write_atomic(path, links, text, len, mode, err);
}

int profile_commit_text(struct fs_reservation *r, const char *path, enum fs_links links,
			const char *text, size_t len, mode_t mode, struct error *err)
{
	if (len > PROFILE_MAX_BYTES)
		return error_set(err, 0,
				 "the profile for `%s` would be %zu bytes, more than the %d "
				 "a profile may have",
				 path, len, PROFILE_MAX_BYTES);
	return fs_commit(r, path, links, text, len, mode, err);
}

int profile_save(const struct profile *p, const char *path, enum fs_links links, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	/* A profile libseccomp cannot compile is an error, never a file. */
	if (profile_check_compiles(p, path, err) < 0 || profile_serialize(p, &text, &len, err) < 0)
		return -1;
	return profile_write_text(path, links, text, len, PROFILE_FILE_MODE, err);
}
