// SPDX-License-Identifier: GPL-2.0-or-later
/* A profile as an OCI seccomp JSON file or as a Security Profiles Operator SeccompProfile. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/cleanup.h"
#include "base/log.h"
#include "profile/profile_format.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	enum profile_format fmt;
} formats[] = {
	{ "oci", PROFILE_FORMAT_OCI },
	{ "spo", PROFILE_FORMAT_SPO },
	{ "spo-v1beta1", PROFILE_FORMAT_SPO_V1BETA1 },
};

int profile_format_parse(const char *name, enum profile_format *out)
{
	for (size_t i = 0; i < N_ELEMS(formats); i++) {
		if (strcmp(formats[i].name, name) == 0) {
			*out = formats[i].fmt;
			return 0;
		}
	}
	return -1;
}

const char *profile_format_name(enum profile_format fmt)
{
	for (size_t i = 0; i < N_ELEMS(formats); i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "oci";
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

enum profile_format profile_format_for_path(const char *path)
{
	if (has_suffix(path, ".yaml") || has_suffix(path, ".yml"))
		return PROFILE_FORMAT_SPO;
	return PROFILE_FORMAT_OCI;
}

const char *profile_format_extension(enum profile_format fmt)
{
	return profile_format_is_spo(fmt) ? ".yaml" : ".json";
}

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
static int spo_check(const struct profile *p, enum profile_format fmt, struct error *err)
{
	if (p->has_default_errno_ret && p->default_errno_ret != PROFILE_DEFAULT_ERRNO &&
	    action_takes_errno(p->default_action))
		return error_set(err, 0,
				 "a SeccompProfile has no defaultErrnoRet, and this profile's "
				 "default errno is %" PRIu32 ", not EPERM: write it with "
				 "--format oci",
				 p->default_errno_ret);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (r->has_errno_ret && r->errno_ret == 0 && action_takes_errno(r->action))
			return error_set(err, 0,
					 "rule %zu has errnoRet 0, which a SeccompProfile reads as "
					 "unset (EPERM): write it with --format oci",
					 i + 1);
		for (size_t j = 0; fmt == PROFILE_FORMAT_SPO && j < r->n_args; j++)
			if (r->args[j].value > INT64_MAX || r->args[j].value_two > INT64_MAX)
				return error_set(err, 0,
						 "rule %zu has an argument value above "
						 "2^63-1, which a v1 SeccompProfile cannot "
						 "hold: write it with --format oci or "
						 "spo-v1beta1",
						 i + 1);
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

int profile_serialize_as(const struct profile *p, enum profile_format fmt, const char *name,
			 char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = NULL;

	if (fmt == PROFILE_FORMAT_OCI)
		return profile_serialize(p, out, len, err);
	if (!name || !profile_spo_name_valid(name))
		return error_set(err, 0, "a SeccompProfile needs a valid name");
	if (spo_check(p, fmt, err) < 0)
		return -1;
	w = json_writer_new();
	if (!w)
		return error_set(err, ENOMEM, "generate SeccompProfile");
	json_w_object_begin(w);
	json_w_key(w, "apiVersion");
	json_w_string(w, fmt == PROFILE_FORMAT_SPO ? PROFILE_SPO_API_VERSION :
						     PROFILE_SPO_API_VERSION_V1BETA1);
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

int profile_render_as(const struct profile *p, const char *path, enum profile_format fmt,
		      const char *name, char **text, size_t *len, struct error *err)
{
	cleanup_free char *derived = NULL;

	if (profile_check_compiles(p, path, err) < 0)
		return -1;
	if (fmt == PROFILE_FORMAT_OCI)
		return profile_serialize(p, text, len, err);
	if (profile_spo_name_for(name, path, &derived, err) < 0)
		return -1;
	if (profile_serialize_as(p, fmt, derived, text, len, err) < 0)
		return error_prefix(err, "SeccompProfile for `%s`: ", path);
	return 0;
}

int profile_save_as(const struct profile *p, const char *path, enum fs_links links,
		    enum profile_format fmt, const char *name, mode_t mode, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	if (profile_render_as(p, path, fmt, name, &text, &len, err) < 0)
		return -1;
	return profile_write_text(path, links, text, len, mode, err);
}

static bool starts_like_json(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')
			continue;
		return text[i] == '{' || text[i] == '[';
	}
	return false;
}

int profile_parse_any(const char *text, size_t len, const char *what, struct profile **out,
		      enum profile_format *fmt, struct error *err)
{
	cleanup_json_writer struct json_writer *w = NULL;
	cleanup_json struct json *doc = NULL;
	cleanup_free char *spec_text = NULL;
	const struct json *kind, *spec;
	const char *api, *base;
	size_t spec_len;

	if (len > PROFILE_MAX_BYTES)
		return error_set(err, 0, "%s is larger than %d bytes", what, PROFILE_MAX_BYTES);
	if (json_parse(text, len, what, &doc, err) < 0) {
		if (!starts_like_json(text, len))
			return error_set(err, 0,
					 "%s is not JSON (a SeccompProfile in YAML is read in its "
					 "JSON form only: `kubectl get seccompprofile NAME -o "
					 "json`)",
					 what);
		return -1;
	}
	kind = json_type(doc) == JSON_OBJECT ? json_get(doc, "kind") : NULL;
	if (!kind) {
		if (fmt)
			*fmt = PROFILE_FORMAT_OCI;
		return profile_parse(text, len, what, out, err);
	}
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
	if (fmt)
		*fmt = strcmp(api, PROFILE_SPO_API_VERSION) == 0 ? PROFILE_FORMAT_SPO :
								   PROFILE_FORMAT_SPO_V1BETA1;
	return 0;
}

int profile_read_any(const char *path, enum fs_links links, struct profile **out,
		     enum profile_format *fmt, struct error *err)
{
	cleanup_profile_text struct profile_text t = { 0 };

	/* Either format: what profile_read_file does for the OCI one. */
	if (profile_read_text(path, links, &t, err) < 0)
		return -1;
	return profile_parse_any(t.text, t.len, t.what, out, fmt, err);
}
