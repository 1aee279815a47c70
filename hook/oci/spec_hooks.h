/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Add hooks.d hooks to an OCI runtime spec (a bundle's config.json), everything else kept. */
#ifndef SPEC_HOOKS_H
#define SPEC_HOOKS_H

#include <stddef.h>
#include "base/error.h"
#include "oci/hooks_config.h"
#include "base/json.h"

/*
 * The spec @spec with, for every hook of @hooks that matches it, the hook appended to the
 * arrays of its stages (after the hooks the spec has). *@added is the number of hooks that
 * matched; when 0, *@out is NULL: the spec needs no change.
 */
int spec_add_hooks(const struct json *spec, const struct hooks_config *hooks, char **out,
		   size_t *len, size_t *added, struct error *err);

#endif /* SPEC_HOOKS_H */
