// SPDX-License-Identifier: GPL-2.0-or-later
/* A profile read: the JSON document validated into the model, the limits checked. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/strv.h"
#include "profile/profile.h"
#include "profile/syscalls.h"

/* A syscall name as libseccomp spells them: lower-case letters, digits and '_'. */
static bool valid_name_token(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > PROFILE_MAX_NAME_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

static int parse_errno(const struct json *v, const char *what, const char *field, uint32_t *out,
		       struct error *err)
{
	uint64_t n;

	if (!json_uint64(v, &n) || n > 4095)
		return error_set(err, 0, "%s: `%s` must be an errno number from 0 to 4095", what,
				 field);
	*out = (uint32_t)n;
	return 0;
}

static int parse_action(const struct json *v, const char *what, const char *field, char **out,
			struct error *err)
{
	const char *name = json_string(v);

	if (!name)
		return error_set(err, 0, "%s: `%s` must be a string, not %s", what, field,
				 v ? json_type_name(v) : "missing");
	if (!profile_action_known(name))
		return error_set(err, 0, "%s: `%s` is not a seccomp action libseccomp knows", what,
				 field);
	*out = strdup(name);
	return *out ? 0 : error_set(err, ENOMEM, "%s", what);
}

static int parse_arg(const struct json *v, const char *what, struct profile_arg *arg,
		     struct error *err)
{
	const struct json *index = json_get(v, "index"), *value = json_get(v, "value");
	const struct json *value_two = json_get(v, "valueTwo"), *op = json_get(v, "op");
	uint64_t n;

	if (json_type(v) != JSON_OBJECT)
		return error_set(err, 0, "%s: an entry of `args` is not an object", what);
	if (!index || !json_uint64(index, &n) || n >= PROFILE_MAX_ARGS)
		return error_set(err, 0, "%s: an argument `index` must be 0 to 5", what);
	arg->index = (uint32_t)n;
	if (!value || !json_uint64(value, &arg->value))
		return error_set(err, 0, "%s: an argument `value` must be an unsigned integer",
				 what);
	arg->value_two = 0;
	if (value_two && !json_uint64(value_two, &arg->value_two))
		return error_set(err, 0, "%s: an argument `valueTwo` must be an unsigned integer",
				 what);
	if (!op || !json_string(op))
		return error_set(err, 0, "%s: an argument `op` must be a string", what);
	if (!profile_operator_from_name(json_string(op), &arg->op))
		return error_set(err, 0, "%s: argument `op` is not a SCMP_CMP_* operator", what);
	return 0;
}

static int parse_names(const struct json *rule, const char *what, struct profile_rule *r,
		       struct error *err)
{
	const struct json *names = json_get(rule, "names"), *name = json_get(rule, "name");
	cleanup_strv struct strv v = { 0 };

	if (names && json_type(names) != JSON_ARRAY)
		return error_set(err, 0, "%s: `names` of a rule must be an array, not %s", what,
				 json_type_name(names));
	if (name && !json_string(name))
		return error_set(err, 0, "%s: `name` of a rule must be a string", what);
	if (names && json_len(names) > PROFILE_MAX_NAMES)
		return error_set(err, 0, "%s: a rule has more than %d names", what,
				 PROFILE_MAX_NAMES);
	for (size_t i = 0; names && i < json_len(names); i++) {
		const char *s = json_string(json_at(names, i));

		if (!s)
			return error_set(err, 0, "%s: `names` must hold strings only", what);
		if (!valid_name_token(s))
			return error_set(err, 0,
					 "%s: `names` holds a value that is not a syscall name",
					 what);
		if (strv_append(&v, s) < 0)
			return error_set(err, ENOMEM, "%s", what);
	}
	if (name) {
		if (!valid_name_token(json_string(name)))
			return error_set(err, 0, "%s: `name` is not a syscall name", what);
		if (strv_append(&v, json_string(name)) < 0)
			return error_set(err, ENOMEM, "%s", what);
	}
	r->n_names = v.n;
	r->names = strv_steal(&v);
	return 0;
}

static int parse_rule(const struct json *rule, const char *what, struct profile_rule *r,
		      struct error *err)
{
	const struct json *args = json_get(rule, "args"), *errno_ret = json_get(rule, "errnoRet");

	if (json_type(rule) != JSON_OBJECT)
		return error_set(err, 0, "%s: an entry of `syscalls` is not an object", what);
	r->source = rule;
	if (parse_names(rule, what, r, err) < 0)
		return -1;
	if (parse_action(json_get(rule, "action"), what, "action", &r->action, err) < 0)
		return -1;
	if (errno_ret) {
		if (parse_errno(errno_ret, what, "errnoRet", &r->errno_ret, err) < 0)
			return -1;
		r->has_errno_ret = true;
	}
	if (!args || json_type(args) == JSON_NULL)
		return 0;
	if (json_type(args) != JSON_ARRAY)
		return error_set(err, 0, "%s: `args` of a rule must be an array", what);
	if (json_len(args) > PROFILE_MAX_ARGS)
		return error_set(err, 0, "%s: a rule has more than %d argument conditions", what,
				 PROFILE_MAX_ARGS);
	r->args = calloc(json_len(args) + 1, sizeof(*r->args));
	if (!r->args)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < json_len(args); i++) {
		if (parse_arg(json_at(args, i), what, &r->args[i], err) < 0)
			return -1;
		r->n_args++;
	}
	return 0;
}

/* archMap: the entry of the host's architecture and its subArchitectures, into @v. */
static int parse_arch_map(const struct json *arch_map, size_t n_arches, const char *what,
			  struct strv *v, struct error *err)
{
	if (json_type(arch_map) != JSON_ARRAY)
		return error_set(err, 0, "%s: `archMap` must be an array", what);
	if (n_arches > 0 && json_len(arch_map) > 0)
		return error_set(err, 0, "%s: use either `architectures` or `archMap`, not both",
				 what);
	for (size_t i = 0; i < json_len(arch_map); i++) {
		const struct json *entry = json_at(arch_map, i);
		const struct json *subs = json_get(entry, "subArchitectures");
		const char *a = json_string(json_get(entry, "architecture"));

		if (!a || !syscalls_arch_from_name(a))
			return error_set(err, 0,
					 "%s: an `archMap` entry has an unknown architecture",
					 what);
		if (subs && json_type(subs) != JSON_ARRAY && json_type(subs) != JSON_NULL)
			return error_set(err, 0, "%s: `subArchitectures` must be an array", what);
		/*
		 * As runc and podman read it: the entry of the host's architecture names what the
		 * filter is built for; the others are for other hosts (MIPS cannot be added here).
		 */
		if (syscalls_arch_from_name(a) != syscalls_native_arch())
			continue;
		if (strv_add_unique(v, a) < 0)
			return error_set(err, ENOMEM, "%s", what);
		for (size_t j = 0; subs && j < json_len(subs); j++) {
			const char *s = json_string(json_at(subs, j));

			if (!s || !syscalls_arch_from_name(s))
				return error_set(
					err, 0,
					"%s: `subArchitectures` holds an unknown architecture",
					what);
			if (strv_add_unique(v, s) < 0)
				return error_set(err, ENOMEM, "%s", what);
		}
	}
	return 0;
}

static int parse_arches(const struct json *doc, const char *what, struct profile *p,
			struct error *err)
{
	const struct json *arches = json_get(doc, "architectures");
	const struct json *arch_map = json_get(doc, "archMap");
	cleanup_strv struct strv v = { 0 };

	if (arches && json_type(arches) != JSON_ARRAY && json_type(arches) != JSON_NULL)
		return error_set(err, 0, "%s: `architectures` must be an array", what);
	for (size_t i = 0; arches && i < json_len(arches); i++) {
		const char *a = json_string(json_at(arches, i));

		if (!a || !syscalls_arch_from_name(a))
			return error_set(err, 0,
					 "%s: `architectures` holds an unknown architecture", what);
		if (strv_append(&v, a) < 0)
			return error_set(err, ENOMEM, "%s", what);
	}
	if (arch_map && json_type(arch_map) != JSON_NULL &&
	    parse_arch_map(arch_map, json_len(arches), what, &v, err) < 0)
		return -1;
	p->has_arch_map = json_type(arch_map) == JSON_ARRAY && json_len(arch_map) > 0;
	p->n_arches = v.n;
	p->arches = strv_steal(&v);
	return 0;
}

static int parse_document(const struct json *doc, const char *what, struct profile *p,
			  struct error *err)
{
	const struct json *rules = json_get(doc, "syscalls");
	const struct json *errno_ret = json_get(doc, "defaultErrnoRet");

	if (json_type(doc) != JSON_OBJECT)
		return error_set(err, 0,
				 "%s is not a seccomp profile: the document is %s, not an object",
				 what, json_type_name(doc));
	if (parse_action(json_get(doc, "defaultAction"), what, "defaultAction", &p->default_action,
			 err) < 0)
		return -1;
	if (errno_ret) {
		if (parse_errno(errno_ret, what, "defaultErrnoRet", &p->default_errno_ret, err) < 0)
			return -1;
		p->has_default_errno_ret = true;
	}
	if (parse_arches(doc, what, p, err) < 0)
		return -1;
	if (!rules || json_type(rules) == JSON_NULL)
		return 0;
	if (json_type(rules) != JSON_ARRAY)
		return error_set(err, 0, "%s: `syscalls` must be an array, not %s", what,
				 json_type_name(rules));
	if (json_len(rules) > PROFILE_MAX_RULES)
		return error_set(err, 0, "%s: more than %d rules", what, PROFILE_MAX_RULES);
	p->rules = calloc(json_len(rules) + 1, sizeof(*p->rules));
	if (!p->rules)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < json_len(rules); i++) {
		p->n_rules++;
		if (parse_rule(json_at(rules, i), what, &p->rules[i], err) < 0)
			return -1;
	}
	return 0;
}

int profile_parse(const char *text, size_t len, const char *what, struct profile **out,
		  struct error *err)
{
	cleanup_profile struct profile *p = calloc(1, sizeof(*p));

	if (!p)
		return error_set(err, ENOMEM, "%s", what);
	if (len > PROFILE_MAX_BYTES)
		return error_set(err, 0, "%s is larger than %d bytes", what, PROFILE_MAX_BYTES);
	if (json_parse(text, len, what, &p->tree, err) < 0)
		return -1;
	if (parse_document(p->tree, what, p, err) < 0 || profile_check_limits(p, what, err) < 0)
		return -1;
	*out = TAKE_PTR(p);
	return 0;
}

int profile_read_text(const char *path, enum fs_links links, struct profile_text *out,
		      struct error *err)
{
	out->text = NULL;
	snprintf(out->what, sizeof(out->what), "profile `%s`", path);
	return fs_read_file(path, links, PROFILE_MAX_BYTES, &out->text, &out->len, err);
}

int profile_read_file(const char *path, enum fs_links links, struct profile **out,
		      struct error *err)
{
	cleanup_profile_text struct profile_text t = { 0 };

	if (profile_read_text(path, links, &t, err) < 0)
		return -1;
	return profile_parse(t.text, t.len, t.what, out, err);
}
