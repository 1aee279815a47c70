/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The calls whose flag-like argument an argument-aware recording keeps (`args:on`,
 * `record --args`), which argument, and how a kept value becomes a rule condition.
 */
#ifndef ARG_SPECS_H
#define ARG_SPECS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "recorder.h"
#include "base/error.h"
#include "profile/syscall_set.h"

struct arg_spec_def {
	const char *name;    /* the call */
	enum arg_spec_id id; /* its value sets in the BPF maps */
	uint32_t index;	     /* the argument */
	uint64_t mask;	     /* ~0: the whole value (SCMP_CMP_EQ); else SCMP_CMP_MASKED_EQ */
	const char *what;    /* the argument's name in messages: "domain", "request" */
};

/* The spec of @name on @abi, NULL when no argument of it is kept there. */
const struct arg_spec_def *arg_spec_find(enum recorder_abi abi, const char *name);

/* A digest of the table: tracers share a program only when their tables agree. */
unsigned long long arg_specs_digest(void);

/* Ask for @name by name whatever values @set kept (a call a --base set adds). */
void arg_specs_by_name(struct syscall_set *set, const char *name);

/* Every spec, @n of them (trace/arg_table.c puts them in the BPF map). */
const struct arg_spec_def *arg_spec_defs(size_t *n);

/* Whether a spec keeps the whole argument (EQ) or some of its bits (MASKED_EQ). */
static inline bool arg_spec_is_masked(const struct arg_spec_def *d)
{
	return d->mask != ~0ULL;
}

/* The distinct values an arg_set holds (duplicates of a race dropped), sorted, into @out. */
size_t arg_set_values(const struct arg_set *set, uint64_t out[MAX_ARG_VALUES]);

/* Whether @set saw more distinct values than it keeps. */
static inline bool arg_set_overflowed(const struct arg_set *set)
{
	return set->n > MAX_ARG_VALUES;
}

/* Add @value to @set as the BPF program would (user space adds the runtime's known values). */
void arg_set_add(struct arg_set *set, uint64_t value);

#endif /* ARG_SPECS_H */
