// SPDX-License-Identifier: GPL-2.0-or-later
/* The BPF map arg_specs: which argument of which call the program keeps (profile/arg_specs.c). */
#include <errno.h>
#include <bpf/bpf.h>
#include "profile/arg_specs.h"
#include "profile/syscalls.h"
#include "trace/arg_table.h"

int arg_table_fill(int fd, struct error *err)
{
	size_t n;
	const struct arg_spec_def *defs = arg_spec_defs(&n);

	for (int abi = 0; abi < ABI_COUNT; abi++) {
		if (!syscalls_abi_arch(abi))
			continue;
		for (size_t i = 0; i < n; i++) {
			struct arg_spec spec = { .id_plus_one = defs[i].id + 1,
						 .index = defs[i].index,
						 .mask = defs[i].mask };
			int nr = syscalls_number(abi, defs[i].name);
			__u32 key;

			if (nr < 0 || nr >= MAX_SYSCALL_NR || !arg_spec_find(abi, defs[i].name))
				continue;
			key = (__u32)(abi * MAX_SYSCALL_NR + nr);
			if (bpf_map_update_elem(fd, &key, &spec, BPF_ANY) < 0)
				return error_set(err, errno, "fill the argument table (%s)",
						 defs[i].name);
		}
	}
	return 0;
}
