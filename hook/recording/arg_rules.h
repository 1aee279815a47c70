/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kept argument values become rules: one SCMP_CMP_EQ (or MASKED_EQ) rule per value. */
#ifndef ARG_RULES_H
#define ARG_RULES_H

#include <stddef.h>
#include "base/error.h"
#include "profile/profile.h"
#include "profile/syscall_set.h"

/*
 * Whether recorded call @name can be allowed for the argument values @set kept: no when
 * the recording kept none, when an ABI it was seen on has no spec for it, when it saw more
 * values than are kept (logged), or when the values cover every possibility of the mask.
 */
bool arg_rules_apply(const struct syscall_set *set, const char *name);

/*
 * Append to @p one rule per kept value of @name (arg_rules_apply said yes). Returns the
 * number of rules added, -1 on error.
 */
int arg_rules_add(struct profile *p, const struct syscall_set *set, const char *name,
		  struct error *err);

/*
 * The runtime installs the filter before its execve and its Go scheduler may make, in that
 * window, calls it did not make this time (implicit_calls.c adds their names): add the
 * argument values those calls use (clone without namespace flags, mmap without PROT_EXEC).
 */
void arg_rules_add_runtime_values(struct syscall_set *set);

#endif /* ARG_RULES_H */
