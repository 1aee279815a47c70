/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the hook may read base profiles and write profiles: the --allowed-dir policy. */
#ifndef PATH_POLICY_H
#define PATH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"

#define PATH_POLICY_MAX_DIRS 32

struct path_policy {
	char *dirs[PATH_POLICY_MAX_DIRS]; /* normalized, absolute */
	size_t n_dirs;			  /* 0: no policy, any absolute path */
};

/*
 * Normalize absolute @path in place without touching the file system: `//` and `/./` collapse,
 * `..` removes the component before it (at the root it stays at the root), no trailing `/`.
 * The hook follows no symlink in a user's path, so the result is where the path really leads.
 * Returns -1 when @path is not absolute.
 */
int path_normalize(char *path);

/* Add an allowed directory (absolute; normalized here). */
int path_policy_add(struct path_policy *p, const char *dir, struct error *err);

/*
 * Check @path (absolute) against the policy and normalize it in place. With no directory
 * configured every path passes; otherwise @path must lie strictly below one of them.
 * @what names the path in the message ("of:").
 */
int path_policy_check(const struct path_policy *p, const char *what, char *path, struct error *err);

void path_policy_release(struct path_policy *p);

#endif /* PATH_POLICY_H */
