// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A call is allowed by value only when every ABI it was seen on kept its values; the values of
 * all those ABIs make one set (a profile names a call once for every architecture it lists).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "recording/arg_rules.h"
#include "profile/arg_specs.h"
#include "base/log.h"
#include "profile/syscalls.h"

/* The union of @name's kept values over the ABIs it was seen on; false: it goes by name. */
static bool collect_values(const struct syscall_set *set, const char *name,
			   const struct arg_spec_def **def, uint64_t *values, size_t *n)
{
	bool seen = false;

	*n = 0;
	*def = NULL;
	if (!set->args_kept)
		return false;
	for (int abi = 0; abi < ABI_COUNT; abi++) {
		const struct arg_spec_def *d;
		const struct arg_set *kept;
		uint64_t abi_values[MAX_ARG_VALUES];
		size_t m;
		int nr;

		if (!syscalls_abi_arch(abi))
			continue;
		nr = syscalls_number(abi, name);
		if (nr < 0 || !syscall_set_has(set, abi, nr))
			continue;
		seen = true;
		d = arg_spec_find(abi, name);
		if (!d)
			return false;
		*def = d;
		kept = &set->args.sets[abi][d->id];
		if (kept->by_name)
			return false;
		if (arg_set_overflowed(kept)) {
			log_info("%s saw more than %d distinct %s values: it is allowed by name",
				 name, MAX_ARG_VALUES, d->what);
			return false;
		}
		m = arg_set_values(kept, abi_values);
		if (m == 0)
			return false; /* added without being seen: no value is known */
		for (size_t i = 0; i < m; i++) {
			bool dup = false;

			for (size_t j = 0; j < *n && !dup; j++)
				dup = values[j] == abi_values[i];
			if (dup)
				continue;
			if (*n == MAX_ARG_VALUES) {
				log_info("%s saw more than %d distinct %s values: it is allowed by "
					 "name",
					 name, MAX_ARG_VALUES, d->what);
				return false;
			}
			values[(*n)++] = abi_values[i];
		}
	}
	if (!seen || !*def)
		return false;
	/* Both states of a one-bit mask (PROT_EXEC with and without): nothing to restrict. */
	if (arg_spec_is_masked(*def) && __builtin_popcountll((*def)->mask) == 1 && *n == 2)
		return false;
	return true;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

bool arg_rules_apply(const struct syscall_set *set, const char *name)
{
	const struct arg_spec_def *def;
	uint64_t values[MAX_ARG_VALUES];
	size_t n;

	return collect_values(set, name, &def, values, &n);
}

int arg_rules_add(struct profile *p, const struct syscall_set *set, const char *name,
		  struct error *err)
{
	const struct arg_spec_def *def;
	uint64_t values[MAX_ARG_VALUES];
	size_t n;

	if (!collect_values(set, name, &def, values, &n))
		return error_set(err, 0, "%s has no kept argument values", name);
	qsort(values, n, sizeof(*values), compare_u64);
	for (size_t i = 0; i < n; i++) {
		struct profile_arg arg = { .index = def->index };

		if (arg_spec_is_masked(def)) {
			arg.op = SCMP_CMP_MASKED_EQ;
			arg.value = def->mask;
			arg.value_two = values[i];
		} else {
			arg.op = SCMP_CMP_EQ;
			arg.value = values[i];
		}
		if (profile_add_arg_rule(p, "SCMP_ACT_ALLOW", name, &arg, 1, err) < 0)
			return -1;
	}
	return (int)n;
}

void arg_rules_add_runtime_values(struct syscall_set *set)
{
	if (!set->args_kept)
		return;
	for (int abi = 0; abi < ABI_COUNT; abi++) {
		if (!syscall_set_abi_used(set, abi))
			continue;
		arg_set_add(&set->args.sets[abi][ARG_CLONE], 0);
		arg_set_add(&set->args.sets[abi][ARG_MMAP], 0);
	}
}
