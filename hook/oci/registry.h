/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A registry, reached through skopeo (the project has no registry client of its own):
 * `docker://HOST/REPO[:TAG|@sha256:...]` references, a raw manifest, a copy between a registry
 * and an OCI image layout.
 */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"
#include "base/sha256.h"

#define REGISTRY_TRANSPORT "docker://"
/* How long one skopeo call may take. */
#define REGISTRY_TIMEOUT_MS 60000

struct registry_ref {
	char *name;   /* HOST/REPO */
	char *tag;    /* NULL when none (or pinned by digest) */
	char *digest; /* "sha256:..." when pinned, else NULL */
};

struct registry_options {
	bool tls_verify; /* false: --tls-verify=false (plain HTTP, or an unverified cert) */
	int timeout_ms;
};

/* Parse `docker://HOST/REPO[:TAG|@sha256:HEX]`; @what names it in the error. */
int registry_ref_parse(const char *text, const char *what, struct registry_ref *out,
		       struct error *err);
void registry_ref_release(struct registry_ref *r);
#define cleanup_registry_ref __attribute__((cleanup(registry_ref_release)))

/* The manifest @ref names, as the registry serves it (skopeo inspect --raw). */
int registry_manifest(const struct registry_ref *ref, const struct registry_options *o, char **text,
		      size_t *len, struct error *err);

/* Copy the manifest @digest of @ref's repository into the OCI image layout @dir as @tag. */
int registry_fetch(const struct registry_ref *ref, const char *digest, const char *dir,
		   const char *tag, const struct registry_options *o, struct error *err);

/*
 * Push the layout @dir's @tag to @dest (its tag, `latest` when none), digests kept; @digest
 * gets the manifest digest the registry has.
 */
int registry_push(const char *dir, const char *tag, const struct registry_ref *dest,
		  const struct registry_options *o, char digest[SHA256_DIGEST_SIZE],
		  struct error *err);

/* A temporary directory for a layout (under $TMPDIR or /tmp), and its removal. */
char *registry_temp_dir(struct error *err);
void registry_remove_tree(const char *dir);

#endif /* REGISTRY_H */
