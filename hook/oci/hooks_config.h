/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hooks.d directories (the hooks 1.0.0 schema of podman and CRI-O): read, and match a spec. */
#ifndef HOOKS_CONFIG_H
#define HOOKS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"
#include "base/json.h"

#define HOOKS_MAX_FILES 256
#define HOOKS_MAX_FILE_BYTES (64 * 1024)

/* The OCI hook stages a hooks.d file may name. */
enum hook_stage {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_STAGES,
};

struct hook_config {
	char *file;		 /* the file's name; a later directory's file of one name wins */
	struct json *doc;	 /* the whole file */
	const struct json *hook; /* its "hook": path, args, env, timeout, as the spec takes them */
	bool stages[HOOK_STAGES];
};

struct hooks_config {
	struct hook_config *v; /* sorted by file name, as podman orders them */
	size_t n;
};

/* The spec field of a stage: "prestart", "createRuntime", ... */
const char *hook_stage_name(enum hook_stage stage);

/*
 * Read every *.json of @dirs (@n of them; a missing directory is skipped). A file that is not
 * a valid 1.0.0 hook is reported on stderr and left out, as podman leaves out what it cannot
 * read, so that one bad file does not stop every container.
 */
int hooks_config_load(const char *const *dirs, size_t n, struct hooks_config *out,
		      struct error *err);
void hooks_config_release(struct hooks_config *h);

/*
 * Whether @hook applies to the OCI runtime spec @spec: `always`, an annotation whose key and
 * value match a pair of `annotations`, process.args[0] matching one of `commands`, or a bind
 * mount with `hasBindMounts` (any one of them; unanchored POSIX extended regexes).
 */
bool hook_config_matches(const struct hook_config *hook, const struct json *spec);

#endif /* HOOKS_CONFIG_H */
