// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * push: the profile checked, put in a temporary layout (or a layout as it is), skopeo copies
 * it. pull: the manifest read and checked first (an image is never downloaded), then the
 * artifact fetched by that digest into a temporary layout, every blob checked, the profile
 * checked, the file replaced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/cleanup.h"
#include "base/log.h"
#include "oci/artifact_transfer.h"
#include "profile/oci_layout.h"
#include "profile/profile_format.h"

#define PULLED_TAG "pulled"

/* The checks runtimes make of an artifact's profile (KEP-6061's pull validation). */
static int check_profile(const char *text, size_t len, const char *what, struct error *err)
{
	cleanup_profile struct profile *p = NULL;

	if (profile_parse(text, len, what, &p, err) < 0 ||
	    profile_check_runtime(p, len, what, err) < 0 ||
	    profile_check_compiles(p, what, err) < 0)
		return -1;
	return 0;
}

/* The layer to push for the profile file @src: its own bytes when it is the runtime's JSON. */
static int layer_of_file(const char *src, char **text, size_t *len, struct error *err)
{
	cleanup_profile_text struct profile_text t = { 0 };
	cleanup_profile struct profile *p = NULL;
	enum profile_format fmt;

	if (profile_read_text(src, FS_LINKS_FOLLOW_DIRS, &t, err) < 0 ||
	    profile_parse_any(t.text, t.len, t.what, &p, &fmt, err) < 0)
		return -1;
	if (fmt == PROFILE_FORMAT_OCI) {
		*len = t.len;
		*text = TAKE_PTR(t.text);
		return 0;
	}
	/* A SeccompProfile's spec is the profile: the artifact holds the runtime's form. */
	return profile_serialize(p, text, len, err);
}

/* @src as an OCI image layout: DIR (tag latest) or DIR:TAG; @dir NULL when it is a file. */
static int layout_of(const char *src, char **dir, char **tag, struct error *err)
{
	*dir = *tag = NULL;
	if (oci_layout_is(src)) {
		*dir = strdup(src);
		*tag = strdup(OCI_DEFAULT_TAG);
		return *dir && *tag ? 0 : error_set(err, ENOMEM, "push");
	}
	if (access(src, F_OK) == 0)
		return 0;
	if (oci_layout_ref_split(src, dir, tag, err) < 0)
		return -1;
	if (!oci_layout_is(*dir)) {
		free(*dir);
		free(*tag);
		*dir = *tag = NULL;
	}
	return 0;
}

static char *pinned_ref(const char *name, const char *digest)
{
	char *s = NULL;

	return asprintf(&s, "%s@%s", name, digest) < 0 ? NULL : s;
}

int artifact_push(const char *src, const char *dest, const struct registry_options *o,
		  char **pinned, struct error *err)
{
	cleanup_registry_ref struct registry_ref ref = { 0 };
	cleanup_free char *layer = NULL, *dir = NULL, *tag = NULL, *tmp = NULL;
	char digest[SHA256_DIGEST_SIZE], pushed[SHA256_DIGEST_SIZE];
	size_t len;
	int ret = -1;

	if (registry_ref_parse(dest, "the destination", &ref, err) < 0)
		return -1;
	if (ref.digest)
		return error_set(err, 0,
				 "the destination `%s` is pinned by a digest: push names a tag "
				 "(docker://HOST/REPO:TAG)",
				 dest);
	if (layout_of(src, &dir, &tag, err) < 0)
		return -1;
	if (dir) {
		/* A layout is pushed as it is, once it holds what a runtime would take. */
		if (oci_layout_read(dir, tag, FS_LINKS_FOLLOW_DIRS, PROFILE_RUNTIME_MAX_BYTES,
				    &layer, &len, digest, err) < 0 ||
		    check_profile(layer, len, src, err) < 0 ||
		    registry_push(dir, tag, &ref, o, pushed, err) < 0)
			return -1;
	} else {
		if (layer_of_file(src, &layer, &len, err) < 0 ||
		    check_profile(layer, len, src, err) < 0)
			return -1;
		tmp = registry_temp_dir(err);
		if (!tmp)
			return -1;
		if (oci_layout_write(tmp, OCI_DEFAULT_TAG, FS_LINKS_FOLLOW_DIRS, layer, len, 0644,
				     digest, err) < 0 ||
		    registry_push(tmp, OCI_DEFAULT_TAG, &ref, o, pushed, err) < 0)
			goto out;
	}
	if (strcmp(digest, pushed) != 0) {
		error_set(err, 0, "`%s` was pushed as %s, not as the %s it was written with", dest,
			  pushed, digest);
		goto out;
	}
	*pinned = pinned_ref(ref.name, digest);
	ret = *pinned ? 0 : error_set(err, ENOMEM, "push");
out:
	registry_remove_tree(tmp);
	return ret;
}

int artifact_pull(const char *ref_text, const char *file, enum fs_links links,
		  const struct registry_options *o, char **pinned, struct error *err)
{
	cleanup_registry_ref struct registry_ref ref = { 0 };
	cleanup_free char *manifest = NULL, *layer = NULL, *tmp = NULL, *what = NULL;
	char digest[SHA256_DIGEST_SIZE], fetched[SHA256_DIGEST_SIZE];
	struct oci_descriptor want;
	size_t manifest_len, len;
	int ret = -1;

	if (registry_ref_parse(ref_text, "the reference", &ref, err) < 0)
		return -1;
	if (asprintf(&what, "`%s`", ref_text) < 0)
		return error_set(err, ENOMEM, "pull");
	if (registry_manifest(&ref, o, &manifest, &manifest_len, err) < 0 ||
	    sha256_digest(manifest, manifest_len, digest, err) < 0)
		return -1;
	if (ref.digest && strcmp(ref.digest, digest) != 0)
		return error_set(err, 0,
				 "%s: the registry's manifest has digest %s, not the one the "
				 "reference pins",
				 what, digest);
	if (oci_artifact_check_manifest(manifest, manifest_len, what, PROFILE_RUNTIME_MAX_BYTES,
					&want, err) < 0)
		return -1;
	tmp = registry_temp_dir(err);
	if (!tmp)
		return -1;
	if (registry_fetch(&ref, digest, tmp, PULLED_TAG, o, err) < 0 ||
	    oci_layout_read(tmp, PULLED_TAG, FS_LINKS_FOLLOW_DIRS, PROFILE_RUNTIME_MAX_BYTES,
			    &layer, &len, fetched, err) < 0)
		goto out;
	if (strcmp(fetched, digest) != 0 || len != want.size) {
		error_set(err, 0, "%s: what was fetched (%s) is not the manifest read (%s)", what,
			  fetched, digest);
		goto out;
	}
	if (check_profile(layer, len, what, err) < 0)
		goto out;
	if (fs_write_atomic(file, links, layer, len, PROFILE_FILE_MODE, err) < 0)
		goto out;
	*pinned = pinned_ref(ref.name, digest);
	ret = *pinned ? 0 : error_set(err, ENOMEM, "pull");
out:
	registry_remove_tree(tmp);
	return ret;
}
