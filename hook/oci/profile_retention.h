/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Node mode's retention: recorded profiles expire, and a namespace holds a bounded number of
 * them, so that pods with ever new names cannot fill the node's disk or its directory.
 */
#ifndef PROFILE_RETENTION_H
#define PROFILE_RETENTION_H

#include <stdbool.h>
#include "base/error.h"

#define RETENTION_DEFAULT_DAYS 30
#define RETENTION_DEFAULT_MAX_PROFILES 1024

struct profile_retention {
	int days;	  /* a profile untouched this long is removed; 0: never */
	int max_profiles; /* per namespace (or for DIR outside Kubernetes), the new one included */
};

/*
 * In @folder (a tenant's DIR/NAMESPACE with @pods, its recordings in POD/ folders; or DIR
 * outside Kubernetes, its recordings in it), remove the recordings (`*.json`, `*.yaml` and
 * their `.why.json`) older than @r->days, then the oldest until one more fits within
 * @r->max_profiles, and each POD folder (but @keep's) that this leaves empty. @keep (the
 * profile about to be written) is never removed; nor are hidden files (a running recording's
 * reserved room), files at the top of a tenant's folder (the admin's bases, if:NAME) or
 * anything but a regular file and a directory. Nothing is followed through a symlink.
 */
int profile_retention_apply(const char *folder, bool pods, const char *keep,
			    const struct profile_retention *r, struct error *err);

#endif /* PROFILE_RETENTION_H */
