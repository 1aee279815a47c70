/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Can this process load the recorder here? BTF, capabilities, user namespace, lockdown. */
#ifndef BPF_ENV_H
#define BPF_ENV_H

#include "base/error.h"

/*
 * Check, before anything is forked or loaded, what makes loading the BPF program fail for
 * certain, so that the message says which: no BTF, a user namespace other than the host's
 * (rootless podman), missing capabilities, a locked-down kernel.
 */
int bpf_env_check(struct error *err);

#endif /* BPF_ENV_H */
