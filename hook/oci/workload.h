/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A workload's profile (`on;workload:NAME`): every recording of the workload's container in the
 * namespace is added to one union, DIR/NAMESPACE/NAME/CONTAINER.json, and counted in
 * CONTAINER.runs.json beside it (profile_runs.h), under a lock, so that replicas that end
 * together lose no call.
 */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include "base/error.h"
#include "profile/profile.h"
#include "profile/profile_target.h"

/* The counts file of the workload profile @path: its name up to the extension, ".runs.json". */
int workload_runs_path(const char *path, char **out, struct error *err);

/*
 * Add the profile of one recording, @run (as written to its pod's file), to the workload profile
 * @t: under an exclusive lock on a hidden file beside it, the union read (absent: @run is the
 * first), merged with @run (profile_merge: blocked in either stays blocked) and written as @t
 * says, then the counts, one run more. Each file is replaced atomically. A union without a
 * counts file (written by hand) counts as one run. @run is not changed.
 */
int workload_add(const struct profile_target *t, const struct profile *run, struct error *err);

#endif /* WORKLOAD_H */
