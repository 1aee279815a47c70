/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A seccomp profile as an OCI artifact (KEP-6061, CRI-O, SPO's `spoc push`): an image manifest
 * with exactly one layer, the profile JSON itself, whose config descriptor and artifactType are
 * OCI_ARTIFACT_TYPE, without a platform; kept in an OCI image layout (oci-layout, index.json,
 * blobs/sha256/) under a tag.
 */
#ifndef OCI_LAYOUT_H
#define OCI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "base/error.h"
#include "base/fs.h"
#include "base/sha256.h"

#define OCI_ARTIFACT_TYPE "application/vnd.cncf.seccomp-profile.config.v1+json"
#define OCI_MANIFEST_TYPE "application/vnd.oci.image.manifest.v1+json"
#define OCI_INDEX_TYPE "application/vnd.oci.image.index.v1+json"
#define OCI_EMPTY_TYPE "application/vnd.oci.empty.v1+json"
/* The layer is raw JSON, not a tar (runtimes must not require a layer type, KEP-6061). */
#define OCI_LAYER_TYPE "application/json"
#define OCI_LAYER_TITLE "seccomp.json"
#define OCI_REF_NAME "org.opencontainers.image.ref.name"
#define OCI_DEFAULT_TAG "latest"
/* A tag as the distribution spec allows it. */
#define OCI_TAG_MAX 128
/* A manifest read from a registry or a layout: far more than one of ours needs. */
#define OCI_MANIFEST_MAX_BYTES (64 * 1024)

/* [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
bool oci_tag_valid(const char *tag);

/*
 * Split `DIR[:TAG]` (a colon after the last '/' followed by a valid tag) into @dir and @tag
 * (OCI_DEFAULT_TAG when none). A colon followed by no valid tag is left in @dir.
 */
int oci_layout_ref_split(const char *ref, char **dir, char **tag, struct error *err);

/*
 * The one layer of the artifact manifest @text, checked: an image manifest (not an index, not
 * a Docker image), config media type or artifactType OCI_ARTIFACT_TYPE, exactly one layer of at
 * most @max_layer bytes. @what names the manifest in the error.
 */
struct oci_descriptor {
	char digest[SHA256_DIGEST_SIZE];
	size_t size;
};
int oci_artifact_check_manifest(const char *text, size_t len, const char *what, size_t max_layer,
				struct oci_descriptor *layer, struct error *err);

/*
 * Write @layer (the profile) as the artifact tagged @tag in the layout @dir, made when missing
 * (its parent must exist): the blobs first, index.json last and atomically, so a reader sees
 * the old tag or the complete new one; other tags are kept. @digest gets the manifest's.
 */
int oci_layout_write(const char *dir, const char *tag, enum fs_links links, const char *layer,
		     size_t len, mode_t mode, char digest[SHA256_DIGEST_SIZE], struct error *err);

/*
 * Make @dir an OCI image layout now, if it is not one yet (prestart: a directory that cannot be
 * made or written is known before the container runs). A directory that holds other files and
 * no oci-layout is refused.
 */
int oci_layout_prepare(const char *dir, enum fs_links links, struct error *err);

/*
 * The profile of the artifact tagged @tag in the layout @dir (NULL: `latest`, else the only
 * one), every digest and size checked: @layer gets its bytes, @digest the manifest's.
 */
int oci_layout_read(const char *dir, const char *tag, enum fs_links links, size_t max_layer,
		    char **layer, size_t *len, char digest[SHA256_DIGEST_SIZE], struct error *err);

/* Whether @path is a directory holding an `oci-layout` file. */
bool oci_layout_is(const char *path);

#endif /* OCI_LAYOUT_H */
