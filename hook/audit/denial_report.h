/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The calls a profile denied during `run`: which, on which ABI, how often, by whom; printed. */
#ifndef DENIAL_REPORT_H
#define DENIAL_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "profile/arg_specs.h"
#include "base/error.h"

/* Bounds: a workload that loops on a denied call, or on random numbers, stays small. */
#define DENIAL_MAX_PIDS 16	/* per call */
#define DENIAL_MAX_COMMS 8	/* per call */
#define DENIAL_MAX_ENTRIES 4096 /* distinct (ABI, number) pairs */
#define DENIAL_COMM_LEN 16	/* the kernel's TASK_COMM_LEN */
#define DENIAL_MAX_ARG_VALUES 8 /* per call, of the argument arg_specs.h names */

struct denial {
	uint32_t arch;	 /* libseccomp's token of the ABI (SCMP_ARCH_X32 for an x32 call) */
	int nr;		 /* the number as the kernel reported it */
	char *name;	 /* NULL when libseccomp does not know the call */
	uint32_t action; /* the profile's verdict (SECCOMP_RET_*) on the first such call */
	uint64_t count;
	pid_t pids[DENIAL_MAX_PIDS];
	size_t n_pids;
	bool pids_truncated;
	char comms[DENIAL_MAX_COMMS][DENIAL_COMM_LEN];
	size_t n_comms;
	bool comms_truncated;
	const struct arg_spec_def *arg; /* the call's flag-like argument, NULL when none */
	uint64_t arg_values[DENIAL_MAX_ARG_VALUES]; /* its distinct values (masked), in order */
	size_t n_arg_values;
	bool arg_values_truncated;
};

struct denial_report {
	struct denial *v;
	size_t n, cap;
	uint64_t calls;	    /* every denied call, tracked or not */
	uint64_t untracked; /* calls of pairs beyond DENIAL_MAX_ENTRIES */
};

/* What the JSON document says beside the calls. */
struct denial_report_info {
	const char *profile; /* the path given */
	bool enforce;
	int exit_status;
};

/*
 * The ABI and name of call @nr as the kernel reports it (seccomp_data.arch and .nr): x32
 * calls come as x86_64 with X32_SYSCALL_BIT set. *@name is NULL when libseccomp does not
 * know the call; -1 only when out of memory.
 */
int denial_resolve(uint32_t arch, int nr, uint32_t *abi, char **name);

/* Whether a call by @pid needs its comm read: @pid is new for it, and comms are not full. */
bool denial_report_wants_comm(const struct denial_report *r, uint32_t arch, int nr, pid_t pid);

/*
 * Count one call; @comm (NULL when unknown) is kept as given, shown escaped (escape.h). @args (the
 * six arguments, NULL when unknown) give the value of the argument an argument-aware profile
 * restricts, kept for calls that have one (arg_specs.h).
 */
int denial_report_add(struct denial_report *r, uint32_t arch, int nr, uint32_t action, pid_t pid,
		      const char *comm, const uint64_t *args, struct error *err);

/* By ABI name, then call name (unknown calls last, by number). */
void denial_report_sort(struct denial_report *r);

/* "SCMP_ACT_ERRNO", ... for a SECCOMP_RET_* value; NULL for a value the kernel has not. */
const char *denial_action_name(uint32_t action);

/* The summary for a person: a header, then one line per call. */
void denial_report_print(const struct denial_report *r, bool enforce, FILE *out);

/* The JSON document (a trailing newline included). */
int denial_report_json(const struct denial_report *r, const struct denial_report_info *info,
		       char **out, size_t *len, struct error *err);

void denial_report_release(struct denial_report *r);

static inline void cleanup_denial_reportp(struct denial_report *r)
{
	denial_report_release(r);
}
#define cleanup_denial_report __attribute__((cleanup(cleanup_denial_reportp)))

#endif /* DENIAL_REPORT_H */
