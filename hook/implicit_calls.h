/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Calls a profile must allow although a single recorded run may not show them. */
#ifndef IMPLICIT_CALLS_H
#define IMPLICIT_CALLS_H

#include <stddef.h>
#include "syscall_set.h"

/*
 * Add to @set, on every ABI it used, the calls the kernel makes on a program's behalf
 * (signal return, restart after a signal) and, when the recording started at the runtime's
 * seccomp filter, the Go runtime scheduler calls runc makes between that filter and its
 * execve. Returns how many (ABI, number) pairs were added that the recording had not seen.
 */
size_t implicit_calls_add(struct syscall_set *set);

/* Add @names on every ABI @set used; returns how many pairs were new. */
size_t implicit_calls_add_names(struct syscall_set *set, const char *const *names, size_t n);

/*
 * Why implicit_calls_add adds @name (one line), for a recording started by @started_by;
 * NULL when it does not.
 */
const char *implicit_calls_reason(const char *name, uint32_t started_by);

#endif /* IMPLICIT_CALLS_H */
