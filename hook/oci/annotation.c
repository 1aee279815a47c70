// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The annotation grammar, compatible with oci-seccomp-bpf-hook:
 *   value := entry (';' entry)*
 *   entry := "of:" path | "on" | "if:" (path | name) | "workload:" component | "fmt:" format
 *          | switch
 *   switch := ("args" | "explain" | "fallbacks") ":" ("on" | "off")
 *   format := a row of the format table: "oci" | "spo" | "spo-v1beta1" | "oci-artifact"
 *             (without fmt: of:'s extension decides)
 * Either `of` or `on` is required, each key at most once, in any order; paths are absolute. A
 * name (profile_dir_valid_name: `base.json`, `pod/container.json`) is a profile in the folder of
 * a node's --profile-dir; the hook refuses it elsewhere, as it does `workload:`, whose component
 * (profile_dir_valid_component) names the folder of a workload's union in the pod's namespace
 * folder and goes with `on` only. Unknown keys are refused, so that keys
 * added later cannot be misread by an older hook. `of` and `if` are oci-seccomp-bpf-hook's;
 * `on`, `workload`, `fmt`, `args`, `explain` and `fallbacks` are ours.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "oci/annotation.h"
#include "base/cleanup.h"
#include "oci/oci_state.h"
#include "oci/profile_dir.h"
#include "profile/profile_format.h"

#define ANNOTATION_PATH_MAX 4095

static int check_characters(const char *value, struct error *err)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return error_set(err, 0,
					 "annotation " TRACE_ANNOTATION
					 " holds a control character "
					 "(0x%02x) at offset %zu",
					 *p, (size_t)(p - (const unsigned char *)value));
	return 0;
}

static int set_path(char **slot, const char *key, const char *path, struct error *err)
{
	if (*slot)
		return error_set(err, 0, "annotation " TRACE_ANNOTATION ": `%s:` is given twice",
				 key);
	if (path[0] == '\0')
		return error_set(err, 0, "annotation " TRACE_ANNOTATION ": `%s:` has an empty path",
				 key);
	if (path[0] != '/')
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION ": `%s:` path `%s` is not absolute",
				 key, path);
	if (strlen(path) > ANNOTATION_PATH_MAX)
		return error_set(err, 0, "annotation " TRACE_ANNOTATION ": `%s:` path is too long",
				 key);
	*slot = strdup(path);
	return *slot ? 0 : error_set(err, ENOMEM, "annotation");
}

/* if: an absolute path, or the name of a profile in the node's profile folder. */
static int set_input(struct trace_request *req, const char *value, struct error *err)
{
	if (req->input || value[0] == '/' || value[0] == '\0')
		return set_path(&req->input, "if", value, err);
	if (!profile_dir_valid_name(value))
		return error_set(
			err, 0,
			"annotation " TRACE_ANNOTATION ": `if:` takes an absolute path, or the "
			"name of a profile in the node's profile folder (up to %d components of "
			"[A-Za-z0-9_.-], each beginning with a letter or digit), not `%.64s`",
			PROFILE_DIR_NAME_DEPTH, value);
	req->input = strdup(value);
	req->input_is_name = true;
	return req->input ? 0 : error_set(err, ENOMEM, "annotation");
}

/* workload: one path component, the name of the workload's folder in the namespace's. */
static int set_workload(struct trace_request *req, const char *value, struct error *err)
{
	if (req->workload)
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION ": `workload:` is given twice");
	if (!profile_dir_valid_component(value))
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION
				 ": `workload:` takes one name (1 to "
				 "%d of [A-Za-z0-9_.-], beginning with a letter or digit), not "
				 "`%.64s`",
				 PROFILE_DIR_COMPONENT_MAX, value);
	req->workload = strdup(value);
	return req->workload ? 0 : error_set(err, ENOMEM, "annotation");
}

static int set_format(char **slot, const char *value, struct error *err)
{
	if (*slot)
		return error_set(err, 0, "annotation " TRACE_ANNOTATION ": `fmt:` is given twice");
	enum profile_format fmt;

	if (profile_format_parse(value, &fmt) < 0)
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION
				 ": unknown format `%.32s` (known: %s)",
				 value, profile_format_names());
	*slot = strdup(value);
	return *slot ? 0 : error_set(err, ENOMEM, "annotation");
}

/* A switch `KEY:on` or `KEY:off`, at most once. */
static int set_switch(bool *flag, bool *seen, const char *key, const char *value, struct error *err)
{
	if (*seen)
		return error_set(err, 0, "annotation " TRACE_ANNOTATION ": `%s:` is given twice",
				 key);
	*seen = true;
	if (strcmp(value, "on") == 0)
		*flag = true;
	else if (strcmp(value, "off") == 0)
		*flag = false;
	else
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION ": `%s:%.32s` is neither `%s:on` "
				 "nor `%s:off`",
				 key, value, key, key);
	return 0;
}

static int set_hints(enum hints_mode *mode, bool *seen, const char *value, struct error *err)
{
	if (*seen)
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION ": `hints:` is given twice");
	*seen = true;
	if (!hints_mode_parse(value, mode))
		return error_set(
			err, 0,
			"annotation " TRACE_ANNOTATION
			": `hints:%.32s` is neither `hints:on`, `hints:log` nor `hints:off`",
			value);
	return 0;
}

int annotation_parse(const char *value, struct trace_request *req, struct error *err)
{
	bool args_seen = false, explain_seen = false, fallbacks_seen = false, hints_seen = false;

	cleanup_free char *copy = NULL;
	char *entry, *save = NULL;

	memset(req, 0, sizeof(*req));
	req->fallbacks = true;
	if (!value || value[0] == '\0')
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION
				 " is empty: it needs `of:PATH` or `on`");
	if (strlen(value) > ANNOTATION_MAX_LEN)
		return error_set(err, 0, "annotation " TRACE_ANNOTATION " is longer than %d bytes",
				 ANNOTATION_MAX_LEN);
	if (check_characters(value, err) < 0)
		return -1;
	copy = strdup(value);
	if (!copy)
		return error_set(err, ENOMEM, "annotation");
	/* strtok_r would skip empty entries silently: split by hand. */
	for (entry = copy; entry; entry = save) {
		char *colon, *key;

		save = strchr(entry, ';');
		if (save)
			*save++ = '\0';
		if (entry[0] == '\0') {
			error_set(err, 0, "annotation " TRACE_ANNOTATION " has an empty entry");
			goto fail;
		}
		if (strcmp(entry, "on") == 0) {
			if (req->node) {
				error_set(err, 0,
					  "annotation " TRACE_ANNOTATION ": `on` is given twice");
				goto fail;
			}
			req->node = true;
			continue;
		}
		colon = strchr(entry, ':');
		if (!colon) {
			error_set(err, 0,
				  "annotation " TRACE_ANNOTATION
				  ": entry `%.64s` is neither `on` nor KEY:VALUE",
				  entry);
			goto fail;
		}
		*colon = '\0';
		key = entry;
		if (strcmp(key, "of") == 0) {
			if (set_path(&req->output, key, colon + 1, err) < 0)
				goto fail;
		} else if (strcmp(key, "if") == 0) {
			if (set_input(req, colon + 1, err) < 0)
				goto fail;
		} else if (strcmp(key, "workload") == 0) {
			if (set_workload(req, colon + 1, err) < 0)
				goto fail;
		} else if (strcmp(key, "fmt") == 0) {
			if (set_format(&req->format, colon + 1, err) < 0)
				goto fail;
		} else if (strcmp(key, "args") == 0) {
			if (set_switch(&req->args, &args_seen, key, colon + 1, err) < 0)
				goto fail;
		} else if (strcmp(key, "explain") == 0) {
			if (set_switch(&req->explain, &explain_seen, key, colon + 1, err) < 0)
				goto fail;
		} else if (strcmp(key, "hints") == 0) {
			if (set_hints(&req->hints, &hints_seen, colon + 1, err) < 0)
				goto fail;
		} else if (strcmp(key, "fallbacks") == 0) {
			if (set_switch(&req->fallbacks, &fallbacks_seen, key, colon + 1, err) < 0)
				goto fail;
		} else {
			error_set(err, 0,
				  "annotation " TRACE_ANNOTATION
				  ": unknown key `%.32s` (known: of, if, "
				  "workload, fmt, args, explain, fallbacks, hints, on)",
				  key);
			goto fail;
		}
	}
	if (!req->output && !req->node) {
		error_set(err, 0,
			  "annotation " TRACE_ANNOTATION " has no `of:PATH` for the profile "
			  "(or `on`, where the node decides where profiles go)");
		goto fail;
	}
	if (req->output && req->node) {
		error_set(err, 0,
			  "annotation " TRACE_ANNOTATION ": `on` records into the node's "
			  "profile folder and takes no `of:`");
		goto fail;
	}
	if (req->workload && !req->node) {
		error_set(err, 0,
			  "annotation " TRACE_ANNOTATION ": `workload:` adds to a workload's "
			  "profile in the node's profile folder: it goes with `on`, not `of:`");
		goto fail;
	}
	return 0;
fail:
	annotation_release(req);
	return -1;
}

void annotation_release(struct trace_request *req)
{
	free(req->output);
	free(req->input);
	free(req->format);
	free(req->workload);
	memset(req, 0, sizeof(*req));
}
