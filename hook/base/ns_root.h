/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The root directory of a mount namespace, opened from a descriptor of it. */
#ifndef NS_ROOT_H
#define NS_ROOT_H

#include "base/error.h"

/*
 * An O_PATH descriptor of the root of the mount namespace @mnt_ns_fd (a container's rootfs
 * after its pivot_root), opened by a child that joined it and passed back. Reads relative to
 * it with RESOLVE_IN_ROOT stay inside, also after the container's last task is gone.
 */
int ns_open_root(int mnt_ns_fd, struct error *err);

#endif /* NS_ROOT_H */
