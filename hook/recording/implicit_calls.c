// SPDX-License-Identifier: GPL-2.0-or-later
/* The calls added to every recording, and why each of them is there. */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include "profile/arg_specs.h"
#include "profile/base_sets.h"
#include "recording/implicit_calls.h"
#include "profile/syscalls.h"

/*
 * Calls made by the kernel's signal delivery, not by the program: a handler returns through
 * rt_sigreturn (sigreturn on i386), an interrupted sleep resumes through restart_syscall.
 * Whether a signal arrives during the recorded run is timing (Go's runtime preempts its
 * threads with SIGURG), and denying these turns a delivered signal into a crash.
 */
static const char *const signal_return_calls[] = {
	"restart_syscall",
	"rt_sigreturn",
	"sigreturn",
};

/*
 * When the runtime installs the filter before it execs the workload (runc does, with podman's
 * default no_new_privileges=false), the runtime's own code runs under the profile until that
 * execve, and runc's Go scheduler does not do the same twice: over 20 identical runs of runc
 * 1.1 it called tgkill in 7, sched_yield in 3, and started a thread (clone3, gettid,
 * sigaltstack, rt_sigprocmask, mmap) in 1. These are the Go runtime's scheduler, thread and
 * memory calls; without them the container starts only when the scheduler repeats itself.
 */
static const char *const runc_scheduler_calls[] = {
	"clone", "clone3", "exit",	"futex",	  "getpid",	 "gettid",	"madvise",
	"mmap",	 "munmap", "nanosleep", "rt_sigprocmask", "sched_yield", "sigaltstack", "tgkill",
};

/*
 * crun installs the filter at the same point and is C: its container init made the same 11
 * calls under the filter in 20 of 20 runs of crun 1.8.1 (capset, close, execve, prctl,
 * pselect6, read, rt_sigaction, rt_sigprocmask, setresgid, setresuid, write), so a recording
 * already holds them. What it misses is `crun exec`: a `podman exec` session's process gets
 * the container's filter and then runs crun's code until its execve, from which on it is
 * recorded. These are the calls of that stretch (strace of 20 sessions, the same each time);
 * fchown, ioctl (TCGETS), openat (/proc/self/setgroups), setgroups, statx and umask are not
 * made by the init, and without them the exec fails with EPERM.
 */
static const char *const crun_exec_calls[] = {
	"capset", "close",     "execve",    "fchown",	 "ioctl", "openat", "prctl",
	"read",	  "setgroups", "setresgid", "setresuid", "statx", "umask",  "write",
};

/* The argument values crun's exec stretch uses, for a recording that keeps values (args:on). */
static const struct runtime_value {
	enum arg_spec_id id;
	uint64_t value;
} crun_exec_values[] = {
	{ ARG_IOCTL, TCGETS },		/* isatty() of fds 0-2 before it chowns them */
	{ ARG_PRCTL, PR_CAPBSET_DROP }, /* the capabilities: as its init does */
	{ ARG_PRCTL, PR_SET_KEEPCAPS },
	{ ARG_PRCTL, PR_CAP_AMBIENT },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A container whose spec has no linux.seccomp (Kubernetes' Unconfined, podman's
 * `--security-opt seccomp=unconfined`, a bare bundle) gets no filter, so its recording starts
 * at the workload's execve and sees none of the runtime's own calls. Enforced, the profile is
 * installed where the runtime installs a filter, and the runtime's calls from there to the
 * execve run under it: the runtime's base set (base_sets.c, where each was measured, with
 * tests/bench/runtime-calls.sh) is added to such a recording, allowed whatever its arguments.
 * An unrecognised runtime's calls are not known: nothing is added for it.
 */
#define UNCONFINED_REASON(rt)                                                                  \
	"the spec had no seccomp filter, so the recording began at the workload's execve; " rt \
	" runs it under the profile between installing the filter and that execve (measured: " \
	"tests/bench/runtime-calls.sh)"

/* What each runtime may do under the filter that one run does not show, and why. */
static const struct {
	const char *name;
	const char *const *calls;
	size_t n_calls;
	const struct runtime_value *values;
	size_t n_values;
	const char *reason;
	const char *unconfined_set; /* base_sets.c's set for a recording without a filter */
	const char *unconfined_reason;
} runtimes[] = {
	[RUNTIME_UNKNOWN] = { "unknown", runc_scheduler_calls, ARRAY_SIZE(runc_scheduler_calls),
			      NULL, 0,
			      "the runtime was not recognised, and a Go runtime like runc's may "
			      "make it under the filter, before the workload's execve",
			      NULL, NULL },
	[RUNTIME_RUNC] = { "runc", runc_scheduler_calls, ARRAY_SIZE(runc_scheduler_calls), NULL, 0,
			   "runc's Go scheduler may make it under the filter, before the "
			   "workload's execve",
			   "runc", UNCONFINED_REASON("runc") },
	[RUNTIME_CRUN] = { "crun", crun_exec_calls, ARRAY_SIZE(crun_exec_calls), crun_exec_values,
			   ARRAY_SIZE(crun_exec_values),
			   "crun makes it under the filter before the execve of a `podman exec` "
			   "session, which is recorded from that execve on",
			   "crun", UNCONFINED_REASON("crun") },
};

/* The calls added to a recording of @runtime that started at the workload's execve. */
static const char *const *unconfined_calls(enum runtime_kind runtime, const struct syscall_set *set,
					   size_t *n)
{
	*n = 0;
	if (set->started_by != STARTED_BY_EXEC || !runtimes[runtime].unconfined_set)
		return NULL;
	return base_sets_names(runtimes[runtime].unconfined_set, n);
}

enum runtime_kind implicit_calls_runtime(const char *comm)
{
	if (strncmp(comm, "runc:[", 6) == 0 || strcmp(comm, "runc") == 0)
		return RUNTIME_RUNC;
	if (strcmp(comm, "crun") == 0)
		return RUNTIME_CRUN;
	return RUNTIME_UNKNOWN;
}

static enum runtime_kind known(uint32_t runtime)
{
	return runtime < ARRAY_SIZE(runtimes) ? (enum runtime_kind)runtime : RUNTIME_UNKNOWN;
}

const char *implicit_calls_runtime_name(enum runtime_kind runtime)
{
	return runtimes[known(runtime)].name;
}

static size_t add_on_abi(struct syscall_set *set, enum recorder_abi abi, const char *const *names,
			 size_t n_names)
{
	size_t added = 0;

	for (size_t i = 0; i < n_names; i++) {
		int nr = syscalls_number(abi, names[i]);

		if (nr < 0 || nr >= MAX_SYSCALL_NR || syscall_set_has(set, abi, nr))
			continue;
		syscall_set_add(set, abi, nr);
		added++;
	}
	return added;
}

size_t implicit_calls_add_names(struct syscall_set *set, const char *const *names, size_t n)
{
	bool used[ABI_COUNT];
	size_t added = 0;

	for (int abi = 0; abi < ABI_COUNT; abi++)
		used[abi] = syscall_set_abi_used(set, abi);
	for (int abi = 0; abi < ABI_COUNT; abi++)
		if (used[abi])
			added += add_on_abi(set, abi, names, n);
	return added;
}

size_t implicit_calls_add(struct syscall_set *set)
{
	enum runtime_kind runtime = known(set->runtime);
	const char *const *unconfined;
	bool used[ABI_COUNT];
	size_t added = 0, n_unconfined;

	unconfined = unconfined_calls(runtime, set, &n_unconfined);
	/* Decide first: adding to one ABI must not make another look used. */
	for (int abi = 0; abi < ABI_COUNT; abi++)
		used[abi] = syscall_set_abi_used(set, abi);
	for (size_t i = 0; i < n_unconfined; i++)
		arg_specs_by_name(set, unconfined[i]);
	for (int abi = 0; abi < ABI_COUNT; abi++) {
		if (!used[abi])
			continue;
		added += add_on_abi(set, abi, signal_return_calls, ARRAY_SIZE(signal_return_calls));
		added += add_on_abi(set, abi, unconfined, n_unconfined);
		if (set->started_by != STARTED_BY_FILTER)
			continue;
		added += add_on_abi(set, abi, runtimes[runtime].calls, runtimes[runtime].n_calls);
		/* A call allowed by value must allow the runtime's values too. */
		for (size_t i = 0; set->args_kept && i < runtimes[runtime].n_values; i++)
			arg_set_add(&set->args.sets[abi][runtimes[runtime].values[i].id],
				    runtimes[runtime].values[i].value);
	}
	return added;
}

static bool listed(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

const char *implicit_calls_reason(const char *name, const struct syscall_set *set)
{
	enum runtime_kind runtime = known(set->runtime);
	const char *const *unconfined;
	size_t n_unconfined;

	if (listed(name, signal_return_calls, ARRAY_SIZE(signal_return_calls)))
		return "the kernel's signal return: a handler returns, an interrupted sleep "
		       "resumes through it";
	unconfined = unconfined_calls(runtime, set, &n_unconfined);
	if (unconfined && listed(name, unconfined, n_unconfined))
		return runtimes[runtime].unconfined_reason;
	if (set->started_by == STARTED_BY_FILTER &&
	    listed(name, runtimes[runtime].calls, runtimes[runtime].n_calls))
		return runtimes[runtime].reason;
	return NULL;
}
