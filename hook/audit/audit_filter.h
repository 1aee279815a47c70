/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The filter `run` loads: the profile's own BPF program, as libseccomp compiles it, with its
 * verdicts turned into user notifications; and the profile's verdict for one call, found by
 * running that same program in user space.
 */
#ifndef AUDIT_FILTER_H
#define AUDIT_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include "base/error.h"
#include "profile/profile.h"
#include "profile/profile_bpf.h"

enum audit_mode {
	AUDIT_MODE_AUDIT,   /* every call the profile does not allow is notified, then allowed */
	AUDIT_MODE_ENFORCE, /* notified and answered as the profile says; kill and trap stay */
};

struct audit_filter {
	struct bpf_prog profile; /* the profile as libseccomp compiles it: the verdicts */
	struct bpf_prog load;	 /* what the child loads */
	enum audit_mode mode;	 /* what `load` was rewritten for */
	size_t unknown_names;	 /* names of the profile libseccomp does not know (skipped) */
};

/* The call the child's handshake is: its execve, told apart by the pathname pointer. */
struct exec_gate {
	uint32_t arch;
	uint32_t nr;
	uint64_t path; /* the address the child passes as execve's first argument */
};

/*
 * A copy of @prog for @mode: each return of an action other than SECCOMP_RET_ALLOW becomes
 * SECCOMP_RET_USER_NOTIF (in enforce mode, kill and trap returns are kept: a supervisor cannot
 * mimic them). Calls the program allows are allowed, except the @gate call, which is notified
 * too: the supervisor answers it as the profile says, and the child cannot get past its execve
 * before the supervisor holds the listener. (A workload call that looks the same is only
 * notified and answered as the profile says: nothing changes for it.)
 */
int audit_filter_rewrite(const struct bpf_prog *prog, enum audit_mode mode,
			 const struct exec_gate *gate, struct bpf_prog *out, struct error *err);

/*
 * Compile @p with libseccomp (profile_bpf_compile) and rewrite it for @mode, gating the
 * native execve with pathname pointer 0 until audit_filter_gate_exec says which.
 */
int audit_filter_build(const struct profile *p, enum audit_mode mode, struct audit_filter *out,
		       struct error *err);

/* Set the pathname pointer of the gated execve in the program to load. */
void audit_filter_gate_exec(struct audit_filter *f, uint64_t path);

/* The profile's verdict on @data (a SECCOMP_RET_* value with its data). */
uint32_t audit_filter_verdict(const struct audit_filter *f, const struct seccomp_data *data);

void audit_filter_release(struct audit_filter *f);

static inline void cleanup_audit_filterp(struct audit_filter *f)
{
	audit_filter_release(f);
}
#define cleanup_audit_filter __attribute__((cleanup(cleanup_audit_filterp)))

#endif /* AUDIT_FILTER_H */
