// SPDX-License-Identifier: GPL-2.0-or-later
/* The calls added to every recording, and why each of them is there. */
#include <string.h>
#include "implicit_calls.h"
#include "syscalls.h"

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
static const char *const runtime_scheduler_calls[] = {
	"clone",	  "clone3", "exit",	 "futex",	 "getpid",
	"gettid",	  "madvise", "mmap",	 "munmap",	 "nanosleep",
	"rt_sigprocmask", "sched_yield", "sigaltstack", "tgkill",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static size_t add_on_abi(struct syscall_set *set, enum recorder_abi abi,
			 const char *const *names, size_t n_names)
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
	bool used[ABI_COUNT];
	size_t added = 0;

	/* Decide first: adding to one ABI must not make another look used. */
	for (int abi = 0; abi < ABI_COUNT; abi++)
		used[abi] = syscall_set_abi_used(set, abi);
	for (int abi = 0; abi < ABI_COUNT; abi++) {
		if (!used[abi])
			continue;
		added += add_on_abi(set, abi, signal_return_calls, ARRAY_SIZE(signal_return_calls));
		if (set->started_by == STARTED_BY_FILTER)
			added += add_on_abi(set, abi, runtime_scheduler_calls,
					    ARRAY_SIZE(runtime_scheduler_calls));
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

const char *implicit_calls_reason(const char *name, uint32_t started_by)
{
	if (listed(name, signal_return_calls, ARRAY_SIZE(signal_return_calls)))
		return "the kernel's signal return: a handler returns, an interrupted sleep "
		       "resumes through it";
	if (started_by == STARTED_BY_FILTER &&
	    listed(name, runtime_scheduler_calls, ARRAY_SIZE(runtime_scheduler_calls)))
		return "the runtime's Go scheduler may make it under the filter, before the "
		       "workload's execve";
	return NULL;
}
