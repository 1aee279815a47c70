// SPDX-License-Identifier: GPL-2.0-or-later
/* Where a container's profile goes: the annotation held to the hook's policy (hook_target.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "oci/hook_target.h"
#include "profile/profile_format.h"

/* fmt:, else the extension of the profile's path decides. */
static int annotation_format(const struct trace_request *req, struct profile_target_options *t,
			     struct error *err)
{
	if (!req->format)
		return 0;
	if (profile_format_parse(req->format, &t->format) < 0)
		return error_set(err, 0, "annotation " TRACE_ANNOTATION ": unknown format `%s`",
				 req->format);
	t->format_given = true;
	return 0;
}

/* --profile-dir: the place this node gives the container, in the format fmt: says. */
static int node_place(const struct hook_target_policy *o, const struct oci_state *state,
		      struct trace_request *req, struct profile_target_options *t,
		      struct profile_place *place, struct error *err)
{
	if (profile_dir_check_request(o->profile_dir, req, err) < 0 ||
	    annotation_format(req, t, err) < 0)
		return -1;
	if (profile_dir_place(o->profile_dir, state, o->nerdctl_names,
			      profile_format_extension(t->format),
			      req->input_is_name ? req->input : NULL, place, err) < 0 ||
	    (req->workload &&
	     profile_dir_workload(o->profile_dir, state, profile_format_extension(t->format),
				  req->workload, place, err) < 0))
		return error_prefix(err, "container %s: ", state->id);
	t->path = place->output;
	free(req->input);
	req->input = place->input ? strdup(place->input) : NULL;
	req->input_is_name = false;
	if (place->input && !req->input)
		return error_set(err, ENOMEM, "profile path");
	return 0;
}

/*
 * Where this container's profile goes, in which format, and which base it extends. A node with
 * --profile-dir builds the path itself from the runtime's names; otherwise the annotation names
 * absolute paths, held to --allowed-dir. A Kubernetes pod's annotation is written by its
 * author, who must not choose where root writes: without either option it is refused.
 * `workload:NAME` also gives @workload, the union of the workload's recordings.
 */
int hook_target_choose(const struct hook_target_policy *o, const struct oci_state *state,
		       struct trace_request *req, struct profile_place *place,
		       struct profile_target *target, struct profile_target *workload,
		       struct error *err)
{
	struct profile_target_options t = { .path = req->output,
					    .links = FS_LINKS_NONE,
					    .mode = o->file_mode,
					    .mode_given = true };

	memset(place, 0, sizeof(*place));
	if (state->owner.kubernetes && !o->profile_dir && !o->allowed->n_dirs)
		return error_set(
			err, 0,
			"container %s belongs to a Kubernetes pod, whose author wrote the "
			"annotation " TRACE_ANNOTATION ", and this hook has neither "
			"--profile-dir nor --allowed-dir: refusing to let it choose where root "
			"writes",
			state->id);
	if (!o->profile_dir) {
		if (req->node)
			return error_set(
				err, 0,
				"annotation " TRACE_ANNOTATION ": `on` needs a hook configured "
				"with --profile-dir (where the node keeps profiles); name the "
				"profile with `of:PATH`");
		if (req->input_is_name)
			return error_set(err, 0,
					 "annotation " TRACE_ANNOTATION
					 ": `if:%s` names no absolute path, "
					 "and this hook has no --profile-dir to look it up in",
					 req->input);
		if (path_policy_check(o->allowed, "of:", req->output, err) < 0 ||
		    (req->input && path_policy_check(o->allowed, "if:", req->input, err) < 0))
			return error_prefix(err, "annotation " TRACE_ANNOTATION ": ");
		if (annotation_format(req, &t, err) < 0)
			return -1;
	} else if (node_place(o, state, req, &t, place, err) < 0) {
		return -1;
	}
	if (profile_target_resolve(&t, target, err) < 0)
		return error_prefix(err, "annotation " TRACE_ANNOTATION ": fmt:%s: ",
				    profile_format_name(target->format));
	if (!place->workload)
		return 0;
	/* The workload's union: the same format and mode, its own SeccompProfile name. */
	t.path = place->workload;
	t.format = target->format;
	t.format_given = true;
	return profile_target_resolve(&t, workload, err);
}

/*
 * The profile a refused start was meant for, once it is known: the one the hook resolved, else
 * the node's place for the container, else the path the annotation named. `status --wait` on
 * it then says this start failed, not how the previous one ended.
 */
const char *hook_target_refused_path(const struct trace_request *req,
				     const struct profile_place *place,
				     const struct profile_target *target)
{
	if (target->path)
		return target->path;
	if (place->output)
		return place->output;
	return req->output;
}
