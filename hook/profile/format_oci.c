// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The seccomp profile artifact (KEP-6061): the runtime's profile JSON as the one layer of an
 * OCI image manifest, kept in an OCI image layout under a tag. One row of the format table.
 */
#include <stdio.h>
#include "profile/oci_layout.h"
#include "profile/profile_format.h"

static int artifact_serialize(const struct profile *p, const struct profile_format_row *f,
			      const char *name, char **out, size_t *len, struct error *err)
{
	(void)f;
	(void)name;
	return profile_serialize(p, out, len, err);
}

static int artifact_save(const char *path, const char *tag, enum fs_links links, const char *text,
			 size_t len, mode_t mode, struct profile_saved *saved, struct error *err)
{
	char digest[SHA256_DIGEST_SIZE];

	if (oci_layout_write(path, tag ? tag : OCI_DEFAULT_TAG, links, text, len, mode, digest,
			     err) < 0)
		return error_prefix(err, "OCI artifact `%s:%s`: ", path,
				    tag ? tag : OCI_DEFAULT_TAG);
	if (saved)
		snprintf(saved->digest, sizeof(saved->digest), "%s", digest);
	return 0;
}

static int artifact_read(const char *path, const char *tag, enum fs_links links, char **text,
			 size_t *len, struct error *err)
{
	char digest[SHA256_DIGEST_SIZE];

	return oci_layout_read(path, tag, links, PROFILE_RUNTIME_MAX_BYTES, text, len, digest, err);
}

const struct profile_format_row profile_format_oci_artifact_row = {
	.fmt = PROFILE_FORMAT_OCI_ARTIFACT,
	.name = "oci-artifact",
	.extension = ".oci",
	.kind = "OCI artifact",
	.directory = true,
	.serialize = artifact_serialize,
	.save = artifact_save,
	.read = artifact_read,
};
