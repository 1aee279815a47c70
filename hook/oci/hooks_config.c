// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hooks 1.0.0 schema as podman and CRI-O apply it:
 *   {"version": "1.0.0", "hook": {"path": ..., "args": [...], "env": [...], "timeout": N},
 *    "when": {"always": B, "annotations": {KEY_RE: VALUE_RE}, "commands": [RE],
 *             "hasBindMounts": B},
 *    "stages": ["prestart", ...]}
 * A hook applies when any one condition of "when" holds. Files are taken in name order; a
 * file in a later directory replaces the file of the same name in an earlier one.
 * Differences from podman, which the man page names: the regexes are POSIX extended ones, not
 * Go's RE2 (a `(?i)` or `\d` pattern is left out or reads differently), and hasBindMounts
 * looks at the spec's mounts, where an engine's own binds (/etc/hosts) count too.
 */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "oci/hooks_config.h"
#include "base/log.h"

static const char *const stage_names[HOOK_STAGES] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

const char *hook_stage_name(enum hook_stage stage)
{
	return stage_names[stage];
}

static bool regex_matches(const char *pattern, const char *text)
{
	regex_t re;
	bool match;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	match = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return match;
}

static int check_regex(const char *pattern, const char *where, struct error *err)
{
	regex_t re;
	int ret = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);

	if (ret != 0)
		return error_set(err, 0, "%s: `%.64s` is not a regular expression", where, pattern);
	regfree(&re);
	return 0;
}

static int check_when(const struct json *when, struct error *err)
{
	const struct json *v;
	bool any = false;

	if (!when || json_type(when) != JSON_OBJECT)
		return error_set(err, 0, "`when` must be an object");
	if ((v = json_get(when, "always"))) {
		if (json_type(v) != JSON_BOOL)
			return error_set(err, 0, "`when.always` must be true or false");
		any = true;
	}
	if ((v = json_get(when, "hasBindMounts"))) {
		if (json_type(v) != JSON_BOOL)
			return error_set(err, 0, "`when.hasBindMounts` must be true or false");
		any = true;
	}
	if ((v = json_get(when, "annotations"))) {
		if (json_type(v) != JSON_OBJECT)
			return error_set(err, 0, "`when.annotations` must be an object");
		for (size_t i = 0; i < json_len(v); i++) {
			const char *value = json_string(json_at(v, i));

			if (!value)
				return error_set(err, 0,
						 "`when.annotations` values must be strings");
			if (check_regex(json_key_at(v, i), "when.annotations", err) < 0 ||
			    check_regex(value, "when.annotations", err) < 0)
				return -1;
		}
		any = true;
	}
	if ((v = json_get(when, "commands"))) {
		if (json_type(v) != JSON_ARRAY)
			return error_set(err, 0, "`when.commands` must be an array");
		for (size_t i = 0; i < json_len(v); i++) {
			const char *re = json_string(json_at(v, i));

			if (!re)
				return error_set(err, 0, "`when.commands` must hold strings");
			if (check_regex(re, "when.commands", err) < 0)
				return -1;
		}
		any = true;
	}
	if (!any)
		return error_set(err, 0, "`when` has no condition");
	return 0;
}

/* @v, when present, is an array of strings (what runc takes for a hook's args and env). */
static int check_strings(const struct json *v, const char *what, struct error *err)
{
	if (!v)
		return 0;
	if (json_type(v) != JSON_ARRAY)
		return error_set(err, 0, "`%s` must be an array of strings", what);
	for (size_t i = 0; i < json_len(v); i++)
		if (!json_string(json_at(v, i)))
			return error_set(err, 0, "`%s` must be an array of strings", what);
	return 0;
}

/* Check @doc against the schema and fill @h from it. */
static int parse_hook(struct json *doc, struct hook_config *h, struct error *err)
{
	const struct json *version = json_get(doc, "version"), *hook = json_get(doc, "hook");
	const struct json *stages = json_get(doc, "stages"), *path;
	int64_t timeout;

	if (json_type(doc) != JSON_OBJECT)
		return error_set(err, 0, "not a JSON object");
	if (!json_string(version) || strcmp(json_string(version), "1.0.0") != 0)
		return error_set(err, 0, "`version` is not \"1.0.0\"");
	if (!hook || json_type(hook) != JSON_OBJECT)
		return error_set(err, 0, "`hook` must be an object");
	path = json_get(hook, "path");
	if (!json_string(path) || json_string(path)[0] != '/')
		return error_set(err, 0, "`hook.path` must be an absolute path");
	/* As podman: a hook whose program is not there is left out, not run to fail. */
	if (access(json_string(path), X_OK) < 0)
		return error_set(err, errno, "`hook.path` `%.200s`", json_string(path));
	if (check_strings(json_get(hook, "args"), "hook.args", err) < 0 ||
	    check_strings(json_get(hook, "env"), "hook.env", err) < 0)
		return -1;
	if (json_get(hook, "timeout") &&
	    !(json_int64(json_get(hook, "timeout"), &timeout) && timeout > 0))
		return error_set(err, 0, "`hook.timeout` must be a positive integer");
	if (check_when(json_get(doc, "when"), err) < 0)
		return -1;
	if (!stages || json_type(stages) != JSON_ARRAY || json_len(stages) == 0)
		return error_set(err, 0, "`stages` must be a non-empty array");
	for (size_t i = 0; i < json_len(stages); i++) {
		const char *name = json_string(json_at(stages, i));
		int found = -1;

		for (int s = 0; name && s < HOOK_STAGES; s++)
			if (strcmp(name, stage_names[s]) == 0)
				found = s;
		if (found < 0)
			return error_set(err, 0, "unknown stage `%.32s`",
					 name ? name : "(not a string)");
		h->stages[found] = true;
	}
	h->hook = hook;
	return 0;
}

static void hook_release(struct hook_config *h)
{
	free(h->file);
	json_free(h->doc);
	memset(h, 0, sizeof(*h));
}

void hooks_config_release(struct hooks_config *hc)
{
	for (size_t i = 0; i < hc->n; i++)
		hook_release(&hc->v[i]);
	free(hc->v);
	memset(hc, 0, sizeof(*hc));
}

static bool is_json_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".json") == 0;
}

/* Read @dir/@name into @h; false when it is left out (said on stderr). */
static bool load_file(const char *dir, const char *name, struct hook_config *h)
{
	cleanup_free char *path = NULL, *text = NULL, *resolved = NULL;
	struct error err = { 0 };
	struct json *doc = NULL;
	size_t len;

	memset(h, 0, sizeof(*h));
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return false;
	/* hooks.d is root's: a file there may be a link (packages install them so), followed. */
	resolved = realpath(path, NULL);
	if (!resolved) {
		log_warning("hooks.d file `%s` is left out: %s", path, strerror(errno));
		return false;
	}
	if (fs_read_file(resolved, FS_LINKS_FOLLOW_DIRS, HOOKS_MAX_FILE_BYTES, &text, &len, &err) <
		    0 ||
	    json_parse(text, len, path, &doc, &err) < 0 || parse_hook(doc, h, &err) < 0) {
		log_warning("hooks.d file `%s` is left out: %s", path, err.msg);
		json_free(doc);
		memset(h, 0, sizeof(*h));
		return false;
	}
	h->doc = doc;
	h->file = strdup(name);
	if (!h->file) {
		hook_release(h);
		return false;
	}
	return true;
}

static int compare_hooks(const void *a, const void *b)
{
	return strcmp(((const struct hook_config *)a)->file, ((const struct hook_config *)b)->file);
}

int hooks_config_load(const char *const *dirs, size_t n, struct hooks_config *out,
		      struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->v = calloc(HOOKS_MAX_FILES, sizeof(*out->v));
	if (!out->v)
		return error_set(err, ENOMEM, "hooks");
	for (size_t d = 0; d < n; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *e;

		if (!dir) {
			if (errno == ENOENT)
				continue;
			hooks_config_release(out);
			return error_set(err, errno, "open hooks directory `%s`", dirs[d]);
		}
		while ((e = readdir(dir))) {
			struct hook_config h;
			size_t slot = out->n;

			if (!is_json_name(e->d_name))
				continue;
			for (size_t i = 0; i < out->n; i++)
				if (strcmp(out->v[i].file, e->d_name) == 0)
					slot = i;
			if (slot == out->n && out->n == HOOKS_MAX_FILES) {
				log_warning("more than %d hooks.d files: `%s/%s` is left out",
					    HOOKS_MAX_FILES, dirs[d], e->d_name);
				continue;
			}
			if (!load_file(dirs[d], e->d_name, &h))
				continue;
			if (slot < out->n)
				hook_release(&out->v[slot]);
			else
				out->n++;
			out->v[slot] = h;
		}
		closedir(dir);
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), compare_hooks);
	return 0;
}

static bool matches_annotations(const struct json *patterns, const struct json *annotations)
{
	if (!patterns || !annotations || json_type(annotations) != JSON_OBJECT)
		return false;
	for (size_t p = 0; p < json_len(patterns); p++) {
		const char *key_re = json_key_at(patterns, p);
		const char *value_re = json_string(json_at(patterns, p));

		for (size_t a = 0; a < json_len(annotations); a++) {
			const char *value = json_string(json_at(annotations, a));

			if (value && regex_matches(key_re, json_key_at(annotations, a)) &&
			    regex_matches(value_re, value))
				return true;
		}
	}
	return false;
}

static bool matches_command(const struct json *patterns, const struct json *spec)
{
	const struct json *process = json_get(spec, "process");
	const struct json *args = process ? json_get(process, "args") : NULL;
	const char *command = args && json_len(args) ? json_string(json_at(args, 0)) : NULL;

	if (!patterns || !command)
		return false;
	for (size_t i = 0; i < json_len(patterns); i++)
		if (regex_matches(json_string(json_at(patterns, i)), command))
			return true;
	return false;
}

static bool has_bind_mounts(const struct json *spec)
{
	const struct json *mounts = json_get(spec, "mounts");

	for (size_t i = 0; mounts && json_type(mounts) == JSON_ARRAY && i < json_len(mounts); i++) {
		const struct json *m = json_at(mounts, i);
		const struct json *options = json_get(m, "options");
		const char *type = json_string(json_get(m, "type"));

		if (type && strcmp(type, "bind") == 0)
			return true;
		for (size_t j = 0; options && j < json_len(options); j++) {
			const char *o = json_string(json_at(options, j));

			if (o && (strcmp(o, "bind") == 0 || strcmp(o, "rbind") == 0))
				return true;
		}
	}
	return false;
}

bool hook_config_matches(const struct hook_config *hook, const struct json *spec)
{
	const struct json *when = json_get(hook->doc, "when");

	if (json_is_true(json_get(when, "always")))
		return true;
	if (json_is_true(json_get(when, "hasBindMounts")) && has_bind_mounts(spec))
		return true;
	if (matches_annotations(json_get(when, "annotations"), json_get(spec, "annotations")))
		return true;
	return matches_command(json_get(when, "commands"), spec);
}
