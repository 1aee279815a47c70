// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table of profile formats and what every format does through its row: name, extension,
 * check, serialize, parse, save, read. A format is a row and its own file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "profile/profile_format.h"

/* Indexed by enum profile_format. */
static const struct profile_format_row *const rows[PROFILE_FORMAT_COUNT] = {
	[PROFILE_FORMAT_OCI] = &profile_format_json_row,
	[PROFILE_FORMAT_SPO] = &profile_format_spo_row,
	[PROFILE_FORMAT_SPO_V1BETA1] = &profile_format_spo_v1beta1_row,
	[PROFILE_FORMAT_OCI_ARTIFACT] = &profile_format_oci_artifact_row,
};

const struct profile_format_row *profile_format_row(enum profile_format fmt)
{
	return (unsigned)fmt < PROFILE_FORMAT_COUNT ? rows[fmt] : rows[PROFILE_FORMAT_OCI];
}

int profile_format_parse(const char *name, enum profile_format *out)
{
	for (size_t i = 0; i < PROFILE_FORMAT_COUNT; i++) {
		if (strcmp(rows[i]->name, name) == 0) {
			*out = rows[i]->fmt;
			return 0;
		}
	}
	return -1;
}

const char *profile_format_name(enum profile_format fmt)
{
	return profile_format_row(fmt)->name;
}

const char *profile_format_names(void)
{
	static char names[256];

	if (!names[0]) {
		size_t used = 0;

		for (size_t i = 0; i < PROFILE_FORMAT_COUNT && used < sizeof(names); i++)
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
						 i ? ", " : "", rows[i]->name);
	}
	return names;
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
	return profile_format_row(fmt)->extension;
}

int profile_serialize_as(const struct profile *p, enum profile_format fmt, const char *name,
			 char **out, size_t *len, struct error *err)
{
	const struct profile_format_row *f = profile_format_row(fmt);

	if (f->check && f->check(p, f, err) < 0)
		return -1;
	return f->serialize(p, f, name, out, len, err);
}

int profile_render_as(const struct profile *p, const char *path, enum profile_format fmt,
		      const char *name, char **text, size_t *len, struct error *err)
{
	const struct profile_format_row *f = profile_format_row(fmt);
	cleanup_free char *derived = NULL, *what = NULL;

	if (profile_check_compiles(p, path, err) < 0)
		return -1;
	if (asprintf(&what, "the %s for `%s`", f->kind, path) < 0)
		return error_set(err, ENOMEM, "%s", path);
	if (profile_check_runtime(p, 0, what, err) < 0)
		return -1;
	if (!f->named) {
		if (profile_serialize_as(p, fmt, NULL, text, len, err) < 0)
			return -1;
	} else {
		if (profile_spo_name_for(name, path, &derived, err) < 0)
			return -1;
		if (profile_serialize_as(p, fmt, derived, text, len, err) < 0)
			return error_prefix(err, "SeccompProfile for `%s`: ", path);
	}
	if (profile_check_runtime(p, *len, what, err) < 0) {
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

int profile_save_tagged(const struct profile *p, const char *path, const char *tag,
			enum fs_links links, enum profile_format fmt, const char *name, mode_t mode,
			struct profile_saved *saved, struct error *err)
{
	const struct profile_format_row *f = profile_format_row(fmt);
	cleanup_free char *text = NULL;
	size_t len;

	if (saved)
		saved->digest[0] = '\0';
	if (profile_render_as(p, path, fmt, name, &text, &len, err) < 0)
		return -1;
	if (f->save)
		return f->save(path, tag, links, text, len, mode, saved, err);
	return profile_write_text(path, links, text, len, mode, err);
}

int profile_save_as(const struct profile *p, const char *path, enum fs_links links,
		    enum profile_format fmt, const char *name, mode_t mode, struct error *err)
{
	return profile_save_tagged(p, path, NULL, links, fmt, name, mode, NULL, err);
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
	cleanup_json struct json *doc = NULL;
	enum profile_format found = PROFILE_FORMAT_OCI;

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
	for (size_t i = 0; i < PROFILE_FORMAT_COUNT; i++) {
		int ret = rows[i]->parse ? rows[i]->parse(doc, text, len, what, out, &found, err) :
					   1;

		if (ret == 1)
			continue;
		if (ret == 0 && fmt)
			*fmt = found;
		return ret;
	}
	return error_set(err, 0, "%s is in no format this program reads", what);
}

/* A directory, or DIR:TAG of one: the row that reads directories. */
static const struct profile_format_row *directory_row(const char *path, char **dir, char **tag)
{
	struct stat st;
	const char *colon = strrchr(path, ':');

	*dir = *tag = NULL;
	for (size_t i = 0; i < PROFILE_FORMAT_COUNT; i++) {
		if (!rows[i]->read)
			continue;
		if (stat(path, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				return NULL;
			*dir = strdup(path);
			return *dir ? rows[i] : NULL;
		}
		if (!colon || !(*dir = strndup(path, (size_t)(colon - path))))
			return NULL;
		if (stat(*dir, &st) == 0 && S_ISDIR(st.st_mode) && (*tag = strdup(colon + 1)))
			return rows[i];
		free(*dir);
		*dir = NULL;
		return NULL;
	}
	return NULL;
}

int profile_read_any(const char *path, enum fs_links links, struct profile **out,
		     enum profile_format *fmt, struct error *err)
{
	cleanup_profile_text struct profile_text t = { 0 };
	cleanup_free char *dir = NULL, *tag = NULL;
	const struct profile_format_row *f = directory_row(path, &dir, &tag);

	if (f) {
		snprintf(t.what, sizeof(t.what), "the profile of %s `%s`", f->kind, path);
		if (f->read(dir, tag, links, &t.text, &t.len, err) < 0)
			return -1;
		if (fmt)
			*fmt = f->fmt;
		return profile_parse(t.text, t.len, t.what, out, err);
	}
	/* Either format: what profile_read_file does for the OCI one. */
	if (profile_read_text(path, links, &t, err) < 0)
		return -1;
	return profile_parse_any(t.text, t.len, t.what, out, fmt, err);
}
