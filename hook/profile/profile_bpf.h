/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The profile as the classic BPF program libseccomp compiles it, and running that program in
 * user space on a seccomp_data as the kernel would: what the filter says, never a guess.
 */
#ifndef PROFILE_BPF_H
#define PROFILE_BPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include "base/error.h"
#include "profile/profile.h"

/* The kernel's limit on a classic BPF program. */
#define PROFILE_BPF_MAX_INSNS 4096

struct bpf_prog {
	struct sock_filter *insns;
	size_t len;
};

/* The BPF program libseccomp generates for @ctx. */
int profile_bpf_export(scmp_filter_ctx ctx, struct bpf_prog *out, struct error *err);

/*
 * @p compiled by libseccomp (profile_build_filter: bounded, limits checked) and exported;
 * @unknown_names (may be NULL) gets the number of names libseccomp does not know (skipped).
 */
int profile_bpf_compile(const struct profile *p, struct bpf_prog *out, size_t *unknown_names,
			struct error *err);

/*
 * Run @prog on @data as the kernel does; *@ret is the SECCOMP_RET_* value returned. Fails
 * (-1) only on a program the kernel would not have accepted.
 */
int profile_bpf_run(const struct bpf_prog *prog, const struct seccomp_data *data, uint32_t *ret);

/* Free the instructions; @prog is empty after. */
void profile_bpf_release(struct bpf_prog *prog);

#endif /* PROFILE_BPF_H */
