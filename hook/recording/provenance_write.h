/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A recording's why file: each allowed call's first caller (profile/provenance.h reads it). */
#ifndef PROVENANCE_WRITE_H
#define PROVENANCE_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "base/fs.h"
#include "profile/provenance.h"
#include "profile/syscall_set.h"

/*
 * Write @profile_path's why file from @set (collected with callers) and @seen, the calls the
 * recording saw before implicit and --base calls were added to @set, and @enosys, the calls
 * the profile answers ENOSYS. A new why file gets @mode, as its profile does.
 */
int provenance_write(const char *profile_path, enum fs_links links, mode_t mode,
		     const struct syscall_set *set, const uint64_t seen[ABI_COUNT][SYSCALL_WORDS],
		     const char *const *enosys, size_t n_enosys, struct error *err);

/* The executable's path of @c, the file's own name last ("/usr/bin/redis-server"). */
void provenance_caller_exe(const struct first_caller *c, char *out, size_t size);

#endif /* PROVENANCE_WRITE_H */
