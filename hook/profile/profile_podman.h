/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A profile as podman hands it to the runtime: a rule with `includes`/`excludes` kept or
 * dropped for a container with podman's default capabilities on this host, an archMap reduced
 * to this host's entry (containers/common's setupSeccomp).
 */
#ifndef PROFILE_PODMAN_H
#define PROFILE_PODMAN_H

#include "base/error.h"
#include "profile/profile.h"

/*
 * Fill @view with @p as podman applies it (@what names @p in messages). The view borrows
 * @p's rules and strings, which must outlive it, and has no document; release it with
 * profile_podman_release, never profile_free.
 */
int profile_podman_apply(const struct profile *p, const char *what, struct profile *view,
			 struct error *err);
void profile_podman_release(struct profile *view);

#endif /* PROFILE_PODMAN_H */
