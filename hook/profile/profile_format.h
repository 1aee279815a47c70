/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file formats of a profile: the OCI/Docker seccomp JSON, and the Security Profiles
 * Operator's SeccompProfile (a Kubernetes object, written and read as JSON, which is YAML too).
 */
#ifndef PROFILE_FORMAT_H
#define PROFILE_FORMAT_H

#include "base/error.h"
#include "base/fs.h"
#include "profile/profile.h"

enum profile_format {
	PROFILE_FORMAT_OCI,	    /* the runtime's profile: what runc, crun, podman read */
	PROFILE_FORMAT_SPO,	    /* SeccompProfile, security-profiles-operator.x-k8s.io/v1 */
	PROFILE_FORMAT_SPO_V1BETA1, /* the same at v1beta1, for operators before SPO 1.0 */
};

/* SPO 1.0.0 graduated SeccompProfile to v1; SPO 1.1.0 no longer serves v1beta1. */
#define PROFILE_SPO_GROUP "security-profiles-operator.x-k8s.io"
#define PROFILE_SPO_API_VERSION PROFILE_SPO_GROUP "/v1"
#define PROFILE_SPO_API_VERSION_V1BETA1 PROFILE_SPO_GROUP "/v1beta1"
#define PROFILE_SPO_KIND "SeccompProfile"
/* metadata.name is a DNS-1123 subdomain. */
#define PROFILE_SPO_NAME_MAX 253

/* "oci", "spo" or "spo-v1beta1"; -1 for anything else. */
int profile_format_parse(const char *name, enum profile_format *out);
const char *profile_format_name(enum profile_format fmt);
/* PROFILE_FORMAT_SPO for a path ending in .yaml or .yml (any case), else PROFILE_FORMAT_OCI. */
enum profile_format profile_format_for_path(const char *path);
static inline bool profile_format_is_spo(enum profile_format fmt)
{
	return fmt != PROFILE_FORMAT_OCI;
}
/* The extension of a new file in format @fmt: ".json", or ".yaml" for a SeccompProfile. */
const char *profile_format_extension(enum profile_format fmt);

/* Whether @name is a valid metadata.name: a DNS-1123 subdomain of at most 253 characters. */
bool profile_spo_name_valid(const char *name);
/*
 * A metadata.name made of @text: lower case; anything but [a-z0-9.-] becomes '-'; every
 * dot-separated label starts and ends with a letter or digit; empty labels are dropped; at most
 * 253 characters. NULL when nothing is left (or out of memory: errno says which).
 */
char *profile_spo_name_sanitize(const char *text);
/*
 * The metadata.name to write: @explicit_name when given (refused unless valid), else the base
 * name of @path without its extension, sanitized.
 */
int profile_spo_name_for(const char *explicit_name, const char *path, char **out,
			 struct error *err);

/*
 * The document in format @fmt. @name is the SeccompProfile's metadata.name (required for the
 * SPO formats, ignored for OCI). The SPO spec carries the fields its CRD defines: a profile
 * that needs a field or value it cannot express (defaultErrnoRet other than EPERM, errnoRet 0,
 * an argument above 2^63-1 at v1) is refused rather than written as a different filter.
 */
int profile_serialize_as(const struct profile *p, enum profile_format fmt, const char *name,
			 char **out, size_t *len, struct error *err);

/* The room a recording takes for its profile at prestart, plus twice its base's size. */
#define PROFILE_RESERVE_BYTES (64 * 1024)

/*
 * The text of @p as @fmt would write it to @path (a SeccompProfile named @name, or after
 * @path), compiled with libseccomp first: what profile_save_as writes.
 */
int profile_render_as(const struct profile *p, const char *path, enum profile_format fmt,
		      const char *name, char **text, size_t *len, struct error *err);
/*
 * Compile @p with libseccomp, serialize it in format @fmt, and replace @path atomically (a new
 * file gets @mode). @name: the SeccompProfile's name, NULL to derive it from @path
 * (profile_spo_name_for).
 */
int profile_save_as(const struct profile *p, const char *path, enum fs_links links,
		    enum profile_format fmt, const char *name, mode_t mode, struct error *err);

/*
 * Parse an OCI profile or the JSON form of a SeccompProfile (top-level kind "SeccompProfile";
 * its spec is the profile). @fmt (may be NULL) receives the format found.
 */
int profile_parse_any(const char *text, size_t len, const char *what, struct profile **out,
		      enum profile_format *fmt, struct error *err);
int profile_read_any(const char *path, enum fs_links links, struct profile **out,
		     enum profile_format *fmt, struct error *err);

#endif /* PROFILE_FORMAT_H */
