// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Security Profiles Operator's SeccompProfile, at v1 and v1beta1: its metadata.name, what
 * its spec can say, writing one and reading its JSON form. Two rows of the format table.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/log.h"
#include "profile/profile_format.h"

static bool lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool profile_spo_name_valid(const char *name)
{
	size_t len = strlen(name);
	bool label_start = true;

	if (len == 0 || len > PROFILE_SPO_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (c == '.') {
			/* No empty label, and a label ends with a letter or digit. */
			if (label_start || !lower_alnum(name[i - 1]))
				return false;
			label_start = true;
		} else if (lower_alnum(c)) {
			label_start = false;
		} else if (c == '-') {
			if (label_start)
				return false;
		} else {
			return false;
		}
	}
	return lower_alnum(name[len - 1]);
}

char *profile_spo_name_sanitize(const char *text)
{
	char *out, *o;
	bool label_start = true, dash = false;

	if (profile_spo_name_valid(text))
		return strdup(text);
	out = malloc(strlen(text) + 1);
	if (!out)
		return NULL;
	o = out;
	for (const char *s = text; *s; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (lower_alnum(c)) {
			/* A run of other characters is one '-', only between letters or digits. */
			if (dash && !label_start)
				*o++ = '-';
			*o++ = c;
			label_start = false;
			dash = false;
		} else if (c == '.') {
			if (!label_start)
				*o++ = '.';
			label_start = true;
			dash = false;
		} else {
			dash = true;
		}
	}
	if (o > out && o[-1] == '.')
		o--;
	if (o - out > PROFILE_SPO_NAME_MAX) {
		o = out + PROFILE_SPO_NAME_MAX;
		while (o > out && !lower_alnum(o[-1]))
			o--;
	}
	*o = '\0';
	if (o == out) {
		free(out);
		errno = EINVAL;
		return NULL;
	}
	return out;
}

int profile_spo_name_for(const char *explicit_name, const char *path, char **out, struct error *err)
{
	cleanup_free char *base = NULL;
	const char *slash;
	char *dot;

	if (explicit_name) {
		if (!profile_spo_name_valid(explicit_name))
			return error_set(err, 0,
					 "the SeccompProfile name `%s` is not a DNS-1123 "
					 "subdomain (lower-case letters, digits, '-' and '.', at "
					 "most %d characters, a letter or digit at both ends of "
					 "each label)",
					 explicit_name, PROFILE_SPO_NAME_MAX);
		*out = strdup(explicit_name);
		return *out ? 0 : error_set(err, ENOMEM, "SeccompProfile name");
	}
	slash = strrchr(path, '/');
	base = strdup(slash ? slash + 1 : path);
	if (!base)
		return error_set(err, ENOMEM, "SeccompProfile name");
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	*out = profile_spo_name_sanitize(base);
	if (!*out)
		return error_set(err, errno == ENOMEM ? ENOMEM : 0,
				 "no SeccompProfile name can be made of the file name `%s`: "
				 "give one with --name",
				 path);
	return 0;
}

static bool action_takes_errno(const char *action)
{
	return strcmp(action, "SCMP_ACT_ERRNO") == 0 || strcmp(action, "SCMP_ACT_TRACE") == 0;
}

/* Refuse what a SeccompProfile cannot say, rather than write a different filter. */
static int spo_check(const struct profile *p, const struct profile_format_row *f, struct error *err)
{
	enum profile_format fmt = f->fmt;

	if (p->has_default_errno_ret && p->default_errno_ret != PROFILE_DEFAULT_ERRNO &&
	    action_takes_errno(p->default_action))
		return error_set(err, 0,
				 "a SeccompProfile has no defaultErrnoRet, and this profile's "
				 "default errno is %" PRIu32 ", not EPERM: write it with "
				 "--format %s",
				 p->default_errno_ret, profile_format_json_row.name);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (r->has_errno_ret && r->errno_ret == 0 && action_takes_errno(r->action))
			return error_set(err, 0,
					 "rule %zu has errnoRet 0, which a SeccompProfile reads as "
					 "unset (EPERM): write it with --format %s",
					 i + 1, profile_format_json_row.name);
		for (size_t j = 0; fmt == PROFILE_FORMAT_SPO && j < r->n_args; j++)
			if (r->args[j].value > INT64_MAX || r->args[j].value_two > INT64_MAX)
				return error_set(err, 0,
						 "rule %zu has an argument value above "
						 "2^63-1, which a v1 SeccompProfile cannot "
						 "hold: write it with --format %s or %s",
						 i + 1, profile_format_json_row.name,
						 profile_format_spo_v1beta1_row.name);
	}
	return 0;
}

/* A field of the profile read that the SeccompProfile spec has too, when of the right type. */
static void copy_field(struct json_writer *w, const struct profile *p, const char *key,
		       enum json_type type)
{
	const struct json *v = json_get(p->tree, key);

	if (!v || json_type(v) != type)
		return;
	if (type == JSON_ARRAY)
		for (size_t i = 0; i < json_len(v); i++)
			if (!json_string(json_at(v, i)))
				return;
	json_w_key(w, key);
	json_w_value(w, v);
}

static void write_spec(struct json_writer *w, const struct profile *p)
{
	size_t n_rules = 0;

	json_w_object_begin(w);
	copy_field(w, p, "disabled", JSON_BOOL);
	copy_field(w, p, "baseProfileName", JSON_STRING);
	json_w_key(w, "defaultAction");
	json_w_string(w, p->default_action);
	/* archMap has no counterpart: its architectures and subArchitectures are listed. */
	if (p->n_arches) {
		json_w_key(w, "architectures");
		json_w_array_begin(w);
		for (size_t i = 0; i < p->n_arches; i++)
			json_w_string(w, p->arches[i]);
		json_w_array_end(w);
	}
	copy_field(w, p, "listenerPath", JSON_STRING);
	copy_field(w, p, "listenerMetadata", JSON_STRING);
	for (size_t i = 0; i < p->n_rules; i++)
		n_rules += p->rules[i].n_names > 0;
	/* The CRD wants at least one name per rule; a rule without names matches nothing. */
	if (n_rules) {
		json_w_key(w, "syscalls");
		json_w_array_begin(w);
		for (size_t i = 0; i < p->n_rules; i++)
			if (p->rules[i].n_names)
				profile_write_rule(w, &p->rules[i],
						   p->rules[i].has_errno_ret &&
							   action_takes_errno(p->rules[i].action));
		json_w_array_end(w);
	}
	copy_field(w, p, "flags", JSON_ARRAY);
	json_w_object_end(w);
}

static int spo_serialize(const struct profile *p, const struct profile_format_row *f,
			 const char *name, char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = NULL;

	if (!name || !profile_spo_name_valid(name))
		return error_set(err, 0, "a SeccompProfile needs a valid name");
	w = json_writer_new();
	if (!w)
		return error_set(err, ENOMEM, "generate SeccompProfile");
	json_w_object_begin(w);
	json_w_key(w, "apiVersion");
	json_w_string(w, f->api_version);
	json_w_key(w, "kind");
	json_w_string(w, PROFILE_SPO_KIND);
	json_w_key(w, "metadata");
	json_w_object_begin(w);
	json_w_key(w, "name");
	json_w_string(w, name);
	json_w_object_end(w);
	json_w_key(w, "spec");
	write_spec(w, p);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}

/* A document with a `kind` is a SeccompProfile, or nothing this program reads. */
static int spo_parse(const struct json *doc, const char *text, size_t len, const char *what,
		     struct profile **out, enum profile_format *fmt, struct error *err)
{
	cleanup_json_writer struct json_writer *w = NULL;
	cleanup_free char *spec_text = NULL;
	const struct json *kind, *spec;
	const char *api, *base;
	size_t spec_len;

	(void)text;
	(void)len;
	kind = json_type(doc) == JSON_OBJECT ? json_get(doc, "kind") : NULL;
	if (!kind)
		return 1;
	if (!json_string(kind) || strcmp(json_string(kind), PROFILE_SPO_KIND) != 0)
		return error_set(err, 0,
				 "%s has a `kind` that is not SeccompProfile: neither a seccomp "
				 "profile nor a SeccompProfile",
				 what);
	api = json_string(json_get(doc, "apiVersion"));
	if (!api || strncmp(api, PROFILE_SPO_GROUP "/", strlen(PROFILE_SPO_GROUP "/")) != 0)
		return error_set(err, 0, "%s: a SeccompProfile whose apiVersion is not %s/...",
				 what, PROFILE_SPO_GROUP);
	spec = json_get(doc, "spec");
	if (json_type(spec) != JSON_OBJECT)
		return error_set(err, 0, "%s: a SeccompProfile without a `spec` object", what);
	/* The spec is an OCI profile (plus the operator's own fields, kept like unknown ones). */
	w = json_writer_new();
	if (!w)
		return error_set(err, ENOMEM, "%s", what);
	json_w_value(w, spec);
	if (json_writer_finish(w, &spec_text, &spec_len, err) < 0)
		return error_prefix(err, "%s: ", what);
	if (profile_parse(spec_text, spec_len, what, out, err) < 0)
		return -1;
	base = json_string(json_get(spec, "baseProfileName"));
	if (base && *base)
		log_warning("%s names a base profile (baseProfileName), which the operator unites "
			    "with it: the base's calls are not read here",
			    what);
	*fmt = strcmp(api, PROFILE_SPO_API_VERSION) == 0 ? PROFILE_FORMAT_SPO :
							   PROFILE_FORMAT_SPO_V1BETA1;
	return 0;
}

const struct profile_format_row profile_format_spo_row = {
	.fmt = PROFILE_FORMAT_SPO,
	.name = "spo",
	.extension = ".yaml",
	.kind = "SeccompProfile",
	.api_version = PROFILE_SPO_API_VERSION,
	.named = true,
	.check = spo_check,
	.serialize = spo_serialize,
	.parse = spo_parse,
};

/* Read by the v1 row's parse, which tells the versions apart. */
const struct profile_format_row profile_format_spo_v1beta1_row = {
	.fmt = PROFILE_FORMAT_SPO_V1BETA1,
	.name = "spo-v1beta1",
	.extension = ".yaml",
	.kind = "SeccompProfile",
	.api_version = PROFILE_SPO_API_VERSION_V1BETA1,
	.named = true,
	.check = spo_check,
	.serialize = spo_serialize,
};
