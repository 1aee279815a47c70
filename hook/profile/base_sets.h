/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --base SET: calls a profile must allow because of the runtime that will apply it, not the
 * workload. A named set built in, or a profile file whose unconditional allows are taken.
 */
#ifndef BASE_SETS_H
#define BASE_SETS_H

#include <stddef.h>
#include "base/error.h"
#include "base/strv.h"

/* The built-in sets, for --help: "runc, crun, execve". */
const char *base_sets_known(void);

/* The names of the built-in set @name ("runc", "crun", "execve"), *@n of them; NULL if none. */
const char *const *base_sets_names(const char *name, size_t *n);

/* Add the names of @spec (a built-in set's name, or a path holding '/') to @names, once each. */
int base_sets_add(struct strv *names, const char *spec, struct error *err);

#endif /* BASE_SETS_H */
