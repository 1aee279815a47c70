// SPDX-License-Identifier: GPL-2.0-or-later
/* NAME.log.json: a profile that logs what it would deny, for a first production rollout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/profile_variant.h"

char *profile_log_variant_path(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;
	char *out = NULL;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	/* A leading dot (".p") is part of the name, not an extension. */
	if (!dot || dot == base) {
		if (asprintf(&out, "%s.log", path) < 0)
			return NULL;
		return out;
	}
	if (asprintf(&out, "%.*s.log%s", (int)(dot - path), path, dot) < 0)
		return NULL;
	return out;
}

int profile_save_log_variant(const struct profile *p, const char *path, enum fs_links links,
			     enum profile_format fmt, mode_t mode, struct error *err)
{
	cleanup_free char *variant_path = profile_log_variant_path(path);
	cleanup_free char *action = strdup("SCMP_ACT_LOG");
	struct profile variant = *p;

	if (!variant_path || !action)
		return error_set(err, ENOMEM, "log variant of `%s`", path);
	variant.default_action = action;
	variant.has_default_errno_ret = false;
	if (profile_save_as(&variant, variant_path, links, fmt, NULL, mode, err) < 0)
		return error_prefix(err, "log variant: ");
	return 0;
}
