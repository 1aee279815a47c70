/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run a command under a seccomp filter whose user notifications come here, and answer them. */
#ifndef NOTIFY_SUPERVISOR_H
#define NOTIFY_SUPERVISOR_H

#include <stdbool.h>
#include "audit/audit_filter.h"
#include "audit/denial_report.h"
#include "base/error.h"

/* How long a child may take from fork to its loaded filter before `run` gives up. */
#define SUPERVISOR_LISTENER_TIMEOUT_MS 10000

struct supervisor_result {
	int exit_status;       /* CMD's, 128+N when signal N killed it; 127/126 when not run */
	int exec_errno;	       /* why CMD could not be started, 0 when it was */
	bool killed_by_sigsys; /* as the kernel kills on SCMP_ACT_KILL* and unhandled TRAP */
	bool tree_left;	       /* interrupted while processes CMD started still ran */
};

/*
 * Fork; in the child, load @f's filter (its execve gate set to the child's pathname) right
 * before it execs @argv (found in PATH as execvp does, without its /bin/sh fallback). Answer
 * every notification until CMD and whatever it left running have ended (or, once CMD has
 * ended, INT, TERM or HUP comes), and count the calls the profile denies in @report.
 * Returns -1 when `run` itself failed; CMD not found or not executable is a result
 * (exec_errno), not a failure.
 */
int supervisor_run(struct audit_filter *f, char **argv, struct denial_report *report,
		   struct supervisor_result *res, struct error *err);

#endif /* NOTIFY_SUPERVISOR_H */
