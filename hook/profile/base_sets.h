/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --base SET: calls a profile must allow because of the runtime that will apply it, not the
 * workload. A named set built in, or a profile file whose unconditional allows are taken.
 */
#ifndef BASE_SETS_H
#define BASE_SETS_H

#include <stddef.h>
#include "base/error.h"

struct base_names {
	char **v;
	size_t n, cap;
};

/* The built-in sets, for --help: "runc, crun, execve". */
const char *base_sets_known(void);

/* Add the names of @spec (a built-in set's name, or a path holding '/') to @names. */
int base_sets_add(struct base_names *names, const char *spec, struct error *err);
void base_names_release(struct base_names *names);

static inline void cleanup_base_namesp(struct base_names *names)
{
	base_names_release(names);
}
#define cleanup_base_names __attribute__((cleanup(cleanup_base_namesp)))

#endif /* BASE_SETS_H */
