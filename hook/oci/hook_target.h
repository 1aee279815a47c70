/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where a container's profile goes, in which format, and which base it extends: the annotation
 * held to the hook's policy. A node with --profile-dir builds the path itself from the
 * runtime's names (profile_dir.h); otherwise the annotation names absolute paths, held to
 * --allowed-dir. A Kubernetes pod's annotation is written by its author, who must not choose
 * where root writes: without either option it is refused.
 */
#ifndef HOOK_TARGET_H
#define HOOK_TARGET_H

#include <stdbool.h>
#include <sys/types.h>
#include "base/error.h"
#include "oci/annotation.h"
#include "oci/oci_state.h"
#include "oci/path_policy.h"
#include "oci/profile_dir.h"
#include "profile/profile_target.h"

/* What the hook's own options (never the annotation) say. */
struct hook_target_policy {
	const char *profile_dir; /* --profile-dir, resolved; NULL: the annotation names paths */
	bool nerdctl_names;	 /* --nerdctl-names */
	const struct path_policy *allowed; /* --allowed-dir */
	mode_t file_mode;		   /* --file-mode */
};

/*
 * Resolve @target (and, with `workload:NAME`, @workload: the union of the workload's
 * recordings) for @state's container from @req; @place keeps the node's paths. @req's `if:`
 * becomes the base's path.
 */
int hook_target_choose(const struct hook_target_policy *o, const struct oci_state *state,
		       struct trace_request *req, struct profile_place *place,
		       struct profile_target *target, struct profile_target *workload,
		       struct error *err);

/* The profile a refused start was meant for, once known (NULL before that). */
const char *hook_target_refused_path(const struct trace_request *req,
				     const struct profile_place *place,
				     const struct profile_target *target);

#endif /* HOOK_TARGET_H */
