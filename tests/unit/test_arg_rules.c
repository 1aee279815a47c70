// SPDX-License-Identifier: GPL-2.0-or-later
/* arg_specs and arg_rules: kept values, their bounds, and the rules they become. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "recording/arg_rules.h"
#include "profile/arg_specs.h"
#include "base/cleanup.h"
#include "profile/syscalls.h"
#include "tap.h"

static struct syscall_set *new_set(void)
{
	struct syscall_set *set = calloc(1, sizeof(*set));

	set->args_kept = true;
	set->started_by = STARTED_BY_EXEC;
	return set;
}

static void seen(struct syscall_set *set, enum recorder_abi abi, const char *name,
		 const uint64_t *values, size_t n)
{
	const struct arg_spec_def *def = arg_spec_find(abi, name);

	syscall_set_add(set, abi, syscalls_number(abi, name));
	for (size_t i = 0; def && i < n; i++)
		arg_set_add(&set->args.sets[abi][def->id], values[i]);
}

static void test_specs(void)
{
	ok(arg_spec_find(ABI_NATIVE, "socket") && arg_spec_find(ABI_NATIVE, "socket")->index == 0,
	   "socket keeps argument 0");
	ok(arg_spec_find(ABI_NATIVE, "ioctl")->index == 1, "ioctl keeps argument 1 (the request)");
	ok(arg_spec_find(ABI_NATIVE, "mmap")->mask == PROT_EXEC, "mmap keeps PROT_EXEC only");
	ok(arg_spec_find(ABI_COMPAT, "mmap") == NULL, "i386's old mmap (a pointer) keeps nothing");
	ok(arg_spec_find(ABI_COMPAT, "mmap2") != NULL, "i386's mmap2 keeps PROT_EXEC");
	ok(arg_spec_find(ABI_NATIVE, "clone3") == NULL, "clone3 keeps nothing (flags in memory)");
	ok(arg_spec_find(ABI_NATIVE, "getcpu") == NULL, "getcpu keeps nothing");
}

static void test_values(void)
{
	struct arg_set set = { 0 };
	uint64_t out[MAX_ARG_VALUES];

	arg_set_add(&set, 10);
	arg_set_add(&set, 2);
	arg_set_add(&set, 10);
	is_int((int)arg_set_values(&set, out), 2, "a value added twice is kept once");
	ok(out[0] == 2 && out[1] == 10, "values come out sorted");
	/* A race in the BPF program: two entries of one value, one not written yet. */
	set.values[2] = 2;
	set.values[3] = 99;
	set.n = 4;
	set.written |= 1ULL << 2;
	is_int((int)arg_set_values(&set, out), 2, "a duplicate and an unwritten entry are dropped");
	for (uint64_t v = 0; v < MAX_ARG_VALUES + 1; v++)
		arg_set_add(&set, 100 + v);
	ok(arg_set_overflowed(&set), "one value more than are kept: overflowed");
}

static void test_rules(void)
{
	cleanup_free struct syscall_set *set = new_set();
	uint64_t families[] = { 2, 1 }, query[] = { 0xffffffff }, rw[] = { 0 }, rwx[] = { 0, 4 };
	uint64_t many[MAX_ARG_VALUES + 1];
	struct profile *p = profile_new();
	struct error err = { 0 };

	seen(set, ABI_NATIVE, "socket", families, 2);
	seen(set, ABI_NATIVE, "personality", query, 1);
	seen(set, ABI_NATIVE, "mmap", rw, 1);
	seen(set, ABI_NATIVE, "mprotect", rwx, 2);
	seen(set, ABI_NATIVE, "getcpu", NULL, 0);
	seen(set, ABI_NATIVE, "prctl", NULL, 0); /* added unseen: no value */
	ok(arg_rules_apply(set, "socket"), "socket with two families: by value");
	ok(arg_rules_apply(set, "mmap"), "mmap without PROT_EXEC: by value");
	ok(!arg_rules_apply(set, "mprotect"), "mprotect with and without PROT_EXEC: by name");
	ok(!arg_rules_apply(set, "getcpu"), "getcpu: by name");
	ok(!arg_rules_apply(set, "prctl"), "a call with no kept value: by name");
	is_int(arg_rules_add(p, set, "socket", &err), 2, "two socket rules");
	is_int((int)p->n_rules, 2, "the profile has them");
	ok(p->rules[0].n_args == 1 && p->rules[0].args[0].value == 1 &&
		   p->rules[0].args[0].op == SCMP_CMP_EQ && p->rules[1].args[0].value == 2,
	   "socket arg0 == 1, then arg0 == 2");
	is_int(arg_rules_add(p, set, "mmap", &err), 1, "one mmap rule");
	ok(p->rules[2].args[0].index == 2 && p->rules[2].args[0].op == SCMP_CMP_MASKED_EQ &&
		   p->rules[2].args[0].value == PROT_EXEC && p->rules[2].args[0].value_two == 0,
	   "mmap arg2 & PROT_EXEC == 0");
	ok(profile_check_compiles(p, "test", &err) == 0, "libseccomp compiles the rules: %s",
	   err.msg);

	for (size_t i = 0; i < MAX_ARG_VALUES + 1; i++)
		many[i] = 1000 + i;
	seen(set, ABI_NATIVE, "ioctl", many, MAX_ARG_VALUES + 1);
	ok(!arg_rules_apply(set, "ioctl"), "ioctl with one request more than are kept: by name");
	set->args_kept = false;
	ok(!arg_rules_apply(set, "socket"), "a recording that kept no values: by name");
	set->args_kept = true;
	set->started_by = STARTED_BY_FILTER;
	arg_rules_add_runtime_values(set);
	seen(set, ABI_NATIVE, "clone", NULL, 0);
	ok(arg_rules_apply(set, "clone"),
	   "clone added for the runtime's scheduler gets its value (no namespace flags)");
	profile_free(p);
}

int main(void)
{
	test_specs();
	test_values();
	test_rules();
	return done_testing();
}
