/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The registry of recorded namespaces: which recording a pid or mount namespace belongs to. */
#ifndef NS_REGISTRY_H
#define NS_REGISTRY_H

#include <stdint.h>
#include "base/error.h"
#include "recorder.h"

/*
 * Under the setup lock: register namespace @inum of @kind (NS_KIND_PID, NS_KIND_MNT) for @tag's
 * recording, in a cell that is empty or stale (@recordings_fd tells which are) of its bucket,
 * else of the first bucket past it that has one (its home's probe raised first). Written twice,
 * the number last, so that the program never reads a cell half written. Fails with errnum 0
 * when a live recording has the namespace already.
 */
int ns_registry_add(int namespaces_fd, int recordings_fd, uint32_t kind, uint32_t inum,
		    const struct task_tag *tag, uint32_t *where, struct error *err);

/*
 * Under the setup lock, once @tag's recording ended (its generation changed and the program
 * runs in flight were waited out): empty the cell @where (set by ns_registry_add; 0: none) if
 * it still holds @tag, so that a later registration finds it empty and need not wait; a cell
 * past its home bucket lowers the home's probe to the farthest live cell left.
 */
void ns_registry_forget(int namespaces_fd, int recordings_fd, uint32_t where,
			const struct task_tag *tag);

#endif /* NS_REGISTRY_H */
