/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The node's recording slots are shared by every tenant (MAX_RECORDINGS): one Kubernetes
 * namespace may hold at most a few of them at once. A running recording holds one byte lock of
 * DIR/tenant-NAMESPACE.lock; the kernel drops it when its tracer ends, however it ends.
 */
#ifndef TENANT_LIMIT_H
#define TENANT_LIMIT_H

#include "base/error.h"

#define TENANT_LIMIT_DEFAULT 32

/*
 * Take one of @limit recording places of @tenant (a checked path component) in @state_dir.
 * Returns the descriptor that holds it (keep it open while recording), or -1 when all are
 * held, with a message that names the tenant and the limit.
 */
int tenant_limit_take(const char *state_dir, const char *tenant, int limit, struct error *err);

#endif /* TENANT_LIMIT_H */
