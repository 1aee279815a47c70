/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Can this process load the recorder here? BTF, capabilities, user namespace, lockdown. And
 * waiting out the program runs in flight.
 */
#ifndef BPF_ENV_H
#define BPF_ENV_H

#include "base/error.h"

/*
 * Check, before anything is forked or loaded, what makes loading the BPF program fail for
 * certain, so that the message says which: no BTF, a user namespace other than the host's
 * (rootless podman), missing capabilities, a locked-down kernel.
 */
int bpf_env_check(struct error *err);

/*
 * Wait until no program run that began before now is still running (an RCU grace period:
 * tracing programs run under rcu_read_lock), every CPU's earlier stores seen by later runs.
 * After a slot's generation changed, no late write of an earlier recording lands in it then.
 */
void bpf_wait_running_programs(void);

#endif /* BPF_ENV_H */
