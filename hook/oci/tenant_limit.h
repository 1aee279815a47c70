/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The node's recording slots are shared by every tenant (MAX_RECORDINGS): one Kubernetes
 * namespace may hold at most a few of them at once, and the last TENANT_NODE_RESERVE only as
 * the first recording a namespace runs, so that a few namespaces at their limit cannot fill the
 * node. A running recording holds one byte lock of DIR/tenant-NAMESPACE.lock; the kernel drops
 * it when its tracer ends, however it ends. The node's count is taken under DIR/tenants.lock.
 */
#ifndef TENANT_LIMIT_H
#define TENANT_LIMIT_H

#include "base/error.h"

#define TENANT_LIMIT_DEFAULT 32
/* Slots kept for a namespace that runs no recording yet (8 at the default limit fill the rest). */
#define TENANT_NODE_RESERVE 32

/*
 * Take one of @limit recording places of @tenant (a checked path component) in @state_dir.
 * Returns the descriptor that holds it (keep it open while recording), or -1 when all are
 * held, or when the node's free slots are its reserve and @tenant runs one already, with a
 * message that names the tenant and the limit.
 */
int tenant_limit_take(const char *state_dir, const char *tenant, int limit, struct error *err);

#endif /* TENANT_LIMIT_H */
