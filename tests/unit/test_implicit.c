// SPDX-License-Identifier: GPL-2.0-or-later
/* implicit_calls_add: which calls a recording gets without having seen them, and on which ABI. */
#include <stdlib.h>
#include <string.h>
#include "../../hook/cleanup.h"
#include "../../hook/implicit_calls.h"
#include "../../hook/syscalls.h"
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
	is_int((int)added, 1, "exec start: one call added (restart_syscall; rt_sigreturn was seen)");
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
	static const char *const scheduler[] = { "tgkill", "sched_yield", "futex", "clone3",
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

int main(void)
{
	test_started_by_exec();
	test_started_by_filter();
	test_compat();
	return done_testing();
}
