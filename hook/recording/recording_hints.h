/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The end of a recording with hints: the calls its binaries can make that the profile lacks. */
#ifndef RECORDING_HINTS_H
#define RECORDING_HINTS_H

#include "base/error.h"
#include "hints/hints.h"
#include "profile/profile.h"
#include "profile/syscall_set.h"

/*
 * Read the executables of @set's first callers (inside @root_fd) and their libraries, and
 * keep in @out the calls they can make that @profile does not mention. With HINTS_LOG they are
 * also added to @profile, as one SCMP_ACT_LOG rule. Returns -1 only when out of memory.
 */
int recording_hints(struct profile *profile, const struct syscall_set *set, int root_fd,
		    enum hints_mode mode, struct hints *out, size_t *logged, struct error *err);

#endif /* RECORDING_HINTS_H */
