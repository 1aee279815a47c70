/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Edits of an OCI runtime spec (a bundle's config.json) for the runtime wrapper: hooks.d hooks
 * and an annotation added, everything else kept.
 */
#ifndef SPEC_HOOKS_H
#define SPEC_HOOKS_H

#include <stdbool.h>
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

/* Whether @spec already has a prestart hook that runs @program: a create run again. */
bool spec_has_prestart_hook(const struct json *spec, const char *program);

/*
 * @spec with the annotation @key=@value (replacing one of that key); every other member is
 * kept, in its order. *@out is a new tree.
 */
int spec_with_annotation(const struct json *spec, const char *key, const char *value,
			 struct json **out, struct error *err);

#endif /* SPEC_HOOKS_H */
