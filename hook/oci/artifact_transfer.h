/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A profile to a registry and back as a seccomp profile artifact (KEP-6061): `push` and `pull`,
 * and node mode's --publish. Every artifact is checked as runtimes check it before it is sent
 * or written.
 */
#ifndef ARTIFACT_TRANSFER_H
#define ARTIFACT_TRANSFER_H

#include "base/error.h"
#include "base/fs.h"
#include "oci/registry.h"

/*
 * Push @src (a profile file, JSON or SeccompProfile, or an OCI image layout DIR[:TAG] holding
 * the artifact) to @dest (docker://HOST/REPO[:TAG], `latest` by default). @pinned gets
 * `HOST/REPO@sha256:...`, the reference a pod or CRI-O annotation names.
 */
int artifact_push(const char *src, const char *dest, const struct registry_options *o,
		  char **pinned, struct error *err);

/*
 * Fetch @ref (docker://HOST/REPO:TAG or @sha256:...), check it (digest, media types, exactly
 * one layer, a profile runtimes take) and replace @file atomically with the profile's bytes.
 * On a refusal nothing is written. @pinned gets `HOST/REPO@sha256:...`.
 */
int artifact_pull(const char *ref, const char *file, enum fs_links links,
		  const struct registry_options *o, char **pinned, struct error *err);

#endif /* ARTIFACT_TRANSFER_H */
