// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * implicit_calls_add: which calls a recording gets without having seen them, on which ABI, and
 * for which runtime; the runtime told by its init's comm; the reason explain prints.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "profile/arg_specs.h"
#include "base/cleanup.h"
#include "recording/implicit_calls.h"
#include "profile/syscalls.h"
#include "tap.h"

static bool has(const struct syscall_set *set, enum recorder_abi abi, const char *name)
{
	int nr = syscalls_number(abi, name);

	return nr >= 0 && syscall_set_has(set, abi, nr);
}

static size_t count(const struct syscall_set *set, enum recorder_abi abi)
{
	size_t n = 0;

	for (int nr = 0; nr < MAX_SYSCALL_NR; nr++)
		n += syscall_set_has(set, abi, nr);
	return n;
}

static void test_started_by_exec(void)
{
	cleanup_free struct syscall_set *set = calloc(1, sizeof(*set));
	size_t added;

	syscall_set_add(set, ABI_NATIVE, syscalls_number(ABI_NATIVE, "getcpu"));
	syscall_set_add(set, ABI_NATIVE, syscalls_number(ABI_NATIVE, "rt_sigreturn"));
	set->started_by = STARTED_BY_EXEC;
	added = implicit_calls_add(set);
	is_int((int)added, 1,
	       "exec start: one call added (restart_syscall; rt_sigreturn was seen)");
	ok(has(set, ABI_NATIVE, "restart_syscall"), "restart_syscall is added on the native ABI");
	ok(has(set, ABI_NATIVE, "getcpu"), "the recorded call is kept");
	ok(!has(set, ABI_NATIVE, "tgkill"), "exec start: no runtime scheduler call is added");
	is_int((int)count(set, ABI_NATIVE), 3, "the native ABI holds exactly three calls");
	ok(!syscall_set_abi_used(set, ABI_COMPAT) && !syscall_set_abi_used(set, ABI_X32),
	   "ABIs the recording did not use stay unused");
}

static void test_started_by_filter(void)
{
	cleanup_free struct syscall_set *set = calloc(1, sizeof(*set));
	static const char *const scheduler[] = { "tgkill", "sched_yield", "futex",	   "clone3",
						 "gettid", "sigaltstack", "rt_sigprocmask" };

	syscall_set_add(set, ABI_NATIVE, syscalls_number(ABI_NATIVE, "getcpu"));
	set->started_by = STARTED_BY_FILTER;
	implicit_calls_add(set);
	for (size_t i = 0; i < sizeof(scheduler) / sizeof(scheduler[0]); i++)
		ok(has(set, ABI_NATIVE, scheduler[i]),
		   "filter start: the Go scheduler call %s is added", scheduler[i]);
	ok(!has(set, ABI_NATIVE, "mount") && !has(set, ABI_NATIVE, "execve"),
	   "filter start: nothing else (mount, execve) is added");
	is_int((int)implicit_calls_add(set), 0, "adding twice adds nothing more");
}

static void test_compat(void)
{
	cleanup_free struct syscall_set *set = calloc(1, sizeof(*set));
	cleanup_free struct syscall_set *empty = calloc(1, sizeof(*empty));

	if (syscalls_abi_arch(ABI_COMPAT) == 0) {
		skip("this host has no 32-bit compat ABI");
		return;
	}
	syscall_set_add(set, ABI_COMPAT, syscalls_number(ABI_COMPAT, "getcpu"));
	set->started_by = STARTED_BY_EXEC;
	implicit_calls_add(set);
	ok(has(set, ABI_COMPAT, "sigreturn") && has(set, ABI_COMPAT, "rt_sigreturn"),
	   "a 32-bit recording gets sigreturn and rt_sigreturn on the compat ABI");
	ok(!syscall_set_abi_used(set, ABI_NATIVE), "the native ABI is left unused");
	is_int((int)implicit_calls_add(empty), 0, "an empty recording gets nothing");
}

static void test_runtime_of_comm(void)
{
	is_int(implicit_calls_runtime("runc:[2:INIT]"), RUNTIME_RUNC, "runc's init is runc");
	is_int(implicit_calls_runtime("runc"), RUNTIME_RUNC, "runc itself is runc");
	is_int(implicit_calls_runtime("crun"), RUNTIME_CRUN, "crun's init is crun");
	is_int(implicit_calls_runtime("crunch"), RUNTIME_UNKNOWN, "a longer name is not crun");
	is_int(implicit_calls_runtime("runc:"), RUNTIME_UNKNOWN, "runc: alone is no runc init");
	is_int(implicit_calls_runtime(""), RUNTIME_UNKNOWN, "an empty comm is unknown");
	is_str(implicit_calls_runtime_name(RUNTIME_CRUN), "crun", "crun's name");
	is_str(implicit_calls_runtime_name(RUNTIME_RUNC), "runc", "runc's name");
	is_str(implicit_calls_runtime_name((enum runtime_kind)99), "unknown",
	       "a number beyond the table is unknown");
}

/* A recording of `probe getcpu` under crun, started by its filter: crun's own calls seen. */
static struct syscall_set *crun_recording(void)
{
	static const char *const seen[] = { "getcpu", "execve", "capset",    "prctl",	 "read",
					    "write",  "close",	"setresuid", "setresgid" };
	struct syscall_set *set = calloc(1, sizeof(*set));

	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		syscall_set_add(set, ABI_NATIVE, syscalls_number(ABI_NATIVE, seen[i]));
	set->started_by = STARTED_BY_FILTER;
	set->runtime = RUNTIME_CRUN;
	return set;
}

static void test_crun(void)
{
	cleanup_free struct syscall_set *set = crun_recording();
	static const char *const exec_calls[] = { "fchown",    "ioctl", "openat",
						  "setgroups", "statx", "umask" };
	static const char *const go_calls[] = { "tgkill", "sched_yield", "clone3", "sigaltstack",
						"futex",  "madvise",	 "gettid" };
	size_t added = implicit_calls_add(set);

	for (size_t i = 0; i < sizeof(exec_calls) / sizeof(exec_calls[0]); i++)
		ok(has(set, ABI_NATIVE, exec_calls[i]),
		   "crun: %s, which crun exec makes under the filter, is added", exec_calls[i]);
	for (size_t i = 0; i < sizeof(go_calls) / sizeof(go_calls[0]); i++)
		ok(!has(set, ABI_NATIVE, go_calls[i]),
		   "crun: runc's Go scheduler call %s is not added", go_calls[i]);
	/* 6 exec calls, and restart_syscall and rt_sigreturn: 8 (sigreturn is i386's only). */
	is_int((int)added, 8, "crun: eight calls added");
	is_str(implicit_calls_reason("setgroups", set),
	       "crun makes it under the filter before the execve of a `podman exec` session, "
	       "which is recorded from that execve on",
	       "crun: explain says why setgroups is there");
	ok(implicit_calls_reason("tgkill", set) == NULL, "crun: tgkill has no reason: not added");
	set->started_by = STARTED_BY_EXEC;
	like(implicit_calls_reason("setgroups", set), "the spec had no seccomp filter",
	     "crun, exec start (no filter in the spec): setgroups is there for the unconfined "
	     "start");
}

/* No filter in the spec: the recording starts at the execve and gets the runtime's set. */
static void test_unconfined(void)
{
	static const char *const runc_calls[] = { "fstatfs",   "fcntl",	 "getdents64",
						  "capget",    "capset", "setgroups",
						  "setuid",    "setgid", "futex",
						  "nanosleep", "openat", "epoll_pwait" };
	static const char *const crun_calls[] = { "capset", "setresuid",    "setresgid", "pselect6",
						  "read",   "rt_sigaction", "setgroups", "prctl" };
	cleanup_free struct syscall_set *runc = calloc(1, sizeof(*runc));
	cleanup_free struct syscall_set *crun = calloc(1, sizeof(*crun));
	cleanup_free struct syscall_set *unknown = calloc(1, sizeof(*unknown));
	cleanup_free struct syscall_set *filtered = calloc(1, sizeof(*filtered));

	syscall_set_add(runc, ABI_NATIVE, syscalls_number(ABI_NATIVE, "getcpu"));
	runc->started_by = STARTED_BY_EXEC;
	runc->runtime = RUNTIME_RUNC;
	*crun = *runc;
	crun->runtime = RUNTIME_CRUN;
	*unknown = *runc;
	unknown->runtime = RUNTIME_UNKNOWN;
	*filtered = *runc;
	filtered->started_by = STARTED_BY_FILTER;
	implicit_calls_add(runc);
	implicit_calls_add(crun);
	implicit_calls_add(unknown);
	implicit_calls_add(filtered);
	for (size_t i = 0; i < sizeof(runc_calls) / sizeof(runc_calls[0]); i++)
		ok(has(runc, ABI_NATIVE, runc_calls[i]),
		   "runc without a filter in the spec: %s, which runc makes after the filter, is "
		   "added",
		   runc_calls[i]);
	for (size_t i = 0; i < sizeof(crun_calls) / sizeof(crun_calls[0]); i++)
		ok(has(crun, ABI_NATIVE, crun_calls[i]),
		   "crun without a filter in the spec: %s is added", crun_calls[i]);
	ok(!has(crun, ABI_NATIVE, "fstatfs"), "crun without a filter: runc's fstatfs is not added");
	is_int((int)count(unknown, ABI_NATIVE), 3,
	       "an unrecognised runtime without a filter: only the signal returns are added");
	ok(!has(filtered, ABI_NATIVE, "setgroups"),
	   "runc with a filter in the spec: its setgroups was seen or not, never added");
	like(implicit_calls_reason("fstatfs", runc),
	     "the spec had no seccomp filter, so the recording began at the workload's execve; "
	     "runc runs it",
	     "runc without a filter: explain says why fstatfs is there");
	ok(implicit_calls_reason("fstatfs", filtered) == NULL,
	   "runc with a filter: fstatfs has no reason (not added)");
	ok(!has(runc, ABI_COMPAT, "fstatfs"), "an ABI the recording did not use gets nothing");
}

static void test_unconfined_args(void)
{
	cleanup_free struct syscall_set *set = calloc(1, sizeof(*set));

	syscall_set_add(set, ABI_NATIVE, syscalls_number(ABI_NATIVE, "getcpu"));
	set->started_by = STARTED_BY_EXEC;
	set->runtime = RUNTIME_CRUN;
	set->args_kept = true;
	implicit_calls_add(set);
	ok(set->args.sets[ABI_NATIVE][ARG_PRCTL].by_name,
	   "crun without a filter, args kept: prctl is allowed whatever its option");
	ok(set->args.sets[ABI_NATIVE][ARG_IOCTL].by_name,
	   "crun without a filter, args kept: ioctl is allowed whatever its request");
}

static void test_crun_values(void)
{
	cleanup_free struct syscall_set *set = crun_recording();
	uint64_t values[MAX_ARG_VALUES];
	const struct arg_set *ioctl_values;
	size_t n;

	set->args_kept = true;
	/* The workload's own ioctl: a value crun's TCGETS must join, not replace. */
	syscall_set_add(set, ABI_NATIVE, syscalls_number(ABI_NATIVE, "ioctl"));
	arg_set_add(&set->args.sets[ABI_NATIVE][ARG_IOCTL], 0x541b /* FIONREAD */);
	implicit_calls_add(set);
	ioctl_values = &set->args.sets[ABI_NATIVE][ARG_IOCTL];
	n = arg_set_values(ioctl_values, values);
	is_int((int)n, 2, "crun, args kept: ioctl holds the workload's request and TCGETS");
	ok(n == 2 && values[0] == TCGETS && values[1] == 0x541b,
	   "crun, args kept: the requests are TCGETS (0x%x) and FIONREAD (0x541b)", TCGETS);
	ok(set->args.sets[ABI_NATIVE][ARG_CLONE].n == 0,
	   "crun, args kept: no clone value is added (crun clones nothing under the filter)");
}

static void test_runc_and_unknown(void)
{
	cleanup_free struct syscall_set *runc = calloc(1, sizeof(*runc));
	cleanup_free struct syscall_set *unknown = calloc(1, sizeof(*unknown));

	syscall_set_add(runc, ABI_NATIVE, syscalls_number(ABI_NATIVE, "getcpu"));
	runc->started_by = STARTED_BY_FILTER;
	runc->runtime = RUNTIME_RUNC;
	*unknown = *runc;
	unknown->runtime = RUNTIME_UNKNOWN;
	implicit_calls_add(runc);
	implicit_calls_add(unknown);
	ok(has(runc, ABI_NATIVE, "tgkill") && !has(runc, ABI_NATIVE, "setgroups"),
	   "runc: its Go scheduler's tgkill is added, crun's setgroups is not");
	ok(memcmp(runc->bits, unknown->bits, sizeof(runc->bits)) == 0,
	   "an unrecognised runtime gets what runc gets");
	like(implicit_calls_reason("tgkill", runc), "runc's Go scheduler",
	     "runc: explain names runc's Go scheduler");
	like(implicit_calls_reason("tgkill", unknown), "not recognised",
	     "unknown: explain says the runtime was not recognised");
	like(implicit_calls_reason("rt_sigreturn", runc), "signal return",
	     "the signal return's reason is the same for every runtime");
}

int main(void)
{
	test_started_by_exec();
	test_started_by_filter();
	test_compat();
	test_runtime_of_comm();
	test_crun();
	test_unconfined();
	test_unconfined_args();
	test_crun_values();
	test_runc_and_unknown();
	return done_testing();
}
