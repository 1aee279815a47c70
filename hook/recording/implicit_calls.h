/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Calls a profile must allow although a single recorded run may not show them. */
#ifndef IMPLICIT_CALLS_H
#define IMPLICIT_CALLS_H

#include <stddef.h>
#include "profile/syscall_set.h"

/*
 * The OCI runtime that ran a recorded container: which of its own calls, made under the
 * container's filter before a workload's execve, a recording may miss (syscall_set.runtime).
 */
enum runtime_kind {
	RUNTIME_UNKNOWN = 0, /* not recognised, or no runtime at all (`record`) */
	RUNTIME_RUNC = 1,
	RUNTIME_CRUN = 2,
};

/*
 * The runtime whose container init has this comm at prestart: runc renames its init
 * "runc:[2:INIT]", crun keeps its own name. RUNTIME_UNKNOWN for anything else.
 */
enum runtime_kind implicit_calls_runtime(const char *comm);

/* "runc", "crun", or "unknown". */
const char *implicit_calls_runtime_name(enum runtime_kind runtime);

/*
 * Add to @set, on every ABI it used, the calls the kernel makes on a program's behalf
 * (signal return, restart after a signal) and, when the recording started at the runtime's
 * seccomp filter, what @set->runtime may do under that filter that this run did not show:
 * runc's Go scheduler calls, crun's calls before the execve of a `podman exec` session (an
 * unrecognised runtime gets runc's). A recording of runc or crun that started at the workload's
 * execve (its spec had no filter) gets what that runtime runs between installing a filter and
 * the execve, allowed by name (base_sets.c's set of the runtime). Returns how many (ABI, number)
 * pairs were added that the recording had not seen.
 */
size_t implicit_calls_add(struct syscall_set *set);

/* Add @names on every ABI @set used; returns how many pairs were new. */
size_t implicit_calls_add_names(struct syscall_set *set, const char *const *names, size_t n);

/*
 * Why implicit_calls_add adds @name (one line) to a recording like @set (its start and its
 * runtime); NULL when it does not.
 */
const char *implicit_calls_reason(const char *name, const struct syscall_set *set);

#endif /* IMPLICIT_CALLS_H */
