/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running a helper program (skopeo) to its end or its deadline, its output kept. */
#ifndef PROCESS_RUN_H
#define PROCESS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"

/* The last line of a helper's stderr kept for a message. */
#define PROCESS_ERR_LINE_MAX 512

struct process_result {
	char *out; /* stdout, NUL-terminated (at most the @max_out asked for) */
	size_t out_len;
	char err_line[PROCESS_ERR_LINE_MAX]; /* its last non-empty stderr line */
	int status;			     /* exit status, or 128 + signal */
	bool timed_out;			     /* killed at the deadline */
};

/*
 * Run @argv (argv[0] a path) with stdin /dev/null and no other descriptor of ours, until it ends
 * or @timeout_ms passes (then SIGKILL). Returns 0 when it ran (whatever its status says), -1
 * when it could not be started or its stdout passed @max_out.
 */
int process_run(char *const argv[], int timeout_ms, size_t max_out, struct process_result *r,
		struct error *err);
/* The same with @in_fd (not closed) as its stdin. */
int process_run_input(char *const argv[], int in_fd, int timeout_ms, size_t max_out,
		      struct process_result *r, struct error *err);
void process_result_release(struct process_result *r);

/*
 * The helper program @name installed beside this one (the directory of /proc/self/exe), or the
 * path in the environment variable @env when set (test programs). malloc'ed; NULL: none.
 */
char *process_helper_path(const char *name, const char *env);
#define cleanup_process_result __attribute__((cleanup(process_result_release)))

#endif /* PROCESS_RUN_H */
