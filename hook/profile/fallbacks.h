/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Newer calls whose callers fall back to an older one on ENOSYS (glibc's clone3 in
 * pthread_create, faccessat2, statx, ...). A profile that denies such a call with EPERM breaks
 * its caller the day a libc upgrade starts to try it: so a recording answers ENOSYS for each
 * that it did not see, when it saw the call the caller falls back to.
 */
#ifndef FALLBACKS_H
#define FALLBACKS_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"
#include "profile/profile.h"
#include "profile/syscall_set.h"

#define FALLBACK_ERRNO 38 /* ENOSYS */

/* Why @name is answered ENOSYS (one line), or NULL when it is no call of the table. */
const char *fallbacks_reason(const char *name);

/*
 * Append to @profile one SCMP_ACT_ERRNO rule (errnoRet ENOSYS) naming, sorted, every call of
 * the table that @set did not see on an ABI where it saw a call it falls back to, and that
 * @profile neither allows nor mentions (blocked in the base stays as the base says).
 * *@added gets their number; @names (may be NULL) receives them (free each, then the array).
 */
int fallbacks_add(struct profile *profile, const struct syscall_set *set, size_t *added,
		  char ***names, struct error *err);

/*
 * Append one such rule naming those of @names (sorted, once each) that @profile neither
 * allows nor mentions; *@added gets their number (0: no rule).
 */
int fallbacks_add_rule(struct profile *profile, char *const *names, size_t n, size_t *added,
		       struct error *err);

/*
 * Whether @r is such a rule: SCMP_ACT_ERRNO with errnoRet ENOSYS, no argument condition, and
 * only calls of the table. An ENOSYS rule for any other call is a block like any other.
 */
bool fallbacks_is_rule(const struct profile_rule *r);

#endif /* FALLBACKS_H */
