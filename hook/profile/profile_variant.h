/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The staged-rollout variant of a profile: the same rules, SCMP_ACT_LOG by default. */
#ifndef PROFILE_VARIANT_H
#define PROFILE_VARIANT_H

#include "base/error.h"
#include "base/fs.h"
#include "profile/profile.h"
#include "profile/profile_format.h"

/* `p.json` -> `p.log.json`, `dir/p` -> `dir/p.log` (malloc'ed); NULL when out of memory. */
char *profile_log_variant_path(const char *path);

/*
 * Write @p with defaultAction SCMP_ACT_LOG (and no defaultErrnoRet, which only an ERRNO
 * default takes) beside @path, at profile_log_variant_path(@path): a first rollout logs what
 * the profile would deny instead of breaking. Rules that deny stay as they are.
 * A new variant file gets @mode, as its profile does.
 */
int profile_save_log_variant(const struct profile *p, const char *path, enum fs_links links,
			     enum profile_format fmt, mode_t mode, struct error *err);

#endif /* PROFILE_VARIANT_H */
