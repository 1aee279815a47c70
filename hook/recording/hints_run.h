/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hints_collect (hints/hints.h) in the analyze helper, not in this process. */
#ifndef HINTS_RUN_H
#define HINTS_RUN_H

#include "hints/hints.h"

/* hints_collect(@root_fd, @exes, @n_exes, @out, @err), run by oci-seccomp-recorder-analyze. */
int hints_run(int root_fd, const char *const *exes, size_t n_exes, struct hints *out,
	      struct error *err);

#endif /* HINTS_RUN_H */
