/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The formats of a profile: the OCI/Docker seccomp JSON, the Security Profiles Operator's
 * SeccompProfile (a Kubernetes object, written and read as JSON, which is YAML too), and the
 * seccomp profile artifact of an OCI image layout. Each is one row of a table.
 */
#ifndef PROFILE_FORMAT_H
#define PROFILE_FORMAT_H

#include "base/error.h"
#include "base/fs.h"
#include "profile/profile.h"

enum profile_format {
	PROFILE_FORMAT_OCI,	     /* the runtime's profile: what runc, crun, podman read */
	PROFILE_FORMAT_SPO,	     /* SeccompProfile, security-profiles-operator.x-k8s.io/v1 */
	PROFILE_FORMAT_SPO_V1BETA1,  /* the same at v1beta1, for operators before SPO 1.0 */
	PROFILE_FORMAT_OCI_ARTIFACT, /* the runtime's profile in an OCI image layout (KEP-6061) */
	PROFILE_FORMAT_COUNT,
};

/* SPO 1.0.0 graduated SeccompProfile to v1; SPO 1.1.0 no longer serves v1beta1. */
#define PROFILE_SPO_GROUP "security-profiles-operator.x-k8s.io"
#define PROFILE_SPO_API_VERSION PROFILE_SPO_GROUP "/v1"
#define PROFILE_SPO_API_VERSION_V1BETA1 PROFILE_SPO_GROUP "/v1beta1"
#define PROFILE_SPO_KIND "SeccompProfile"
/* metadata.name is a DNS-1123 subdomain. */
#define PROFILE_SPO_NAME_MAX 253

/* What saving a profile made that a command prints: an artifact's manifest digest. */
struct profile_saved {
	char digest[72]; /* "sha256:..." for an OCI artifact, "" for a file */
};

/*
 * One format: a row of this table is all that differs between formats (profile_format.c holds
 * the table, one file per family the rows: format_json.c, format_spo.c, format_oci.c).
 */
struct profile_format_row {
	enum profile_format fmt;
	const char *name;	 /* --format, fmt: */
	const char *extension;	 /* of a new file or layout the node names: ".json", ... */
	const char *kind;	 /* what is written, for a message: "profile", "SeccompProfile" */
	const char *api_version; /* a SeccompProfile's apiVersion; NULL for the others */
	bool named;		 /* a SeccompProfile: it has a metadata.name */
	bool directory;		 /* written as a directory, DIR[:TAG] (an OCI image layout) */
	/* Refuse what the format cannot say, rather than write a different filter (NULL: none). */
	int (*check)(const struct profile *p, const struct profile_format_row *f,
		     struct error *err);
	/* The document: @name is a SeccompProfile's metadata.name. */
	int (*serialize)(const struct profile *p, const struct profile_format_row *f,
			 const char *name, char **out, size_t *len, struct error *err);
	/*
	 * Read @doc (parsed from @text) as this family's: 0 with @out and @fmt, 1 when the
	 * document is not of this family, -1 when it is but is wrong. NULL: none to read as text.
	 */
	int (*parse)(const struct json *doc, const char *text, size_t len, const char *what,
		     struct profile **out, enum profile_format *fmt, struct error *err);
	/* Write @text to @path (@tag for a directory format); NULL: one file, atomically. */
	int (*save)(const char *path, const char *tag, enum fs_links links, const char *text,
		    size_t len, mode_t mode, struct profile_saved *saved, struct error *err);
	/* The profile text kept at the directory @path (tag @tag, NULL: the only one). */
	int (*read)(const char *path, const char *tag, enum fs_links links, char **text,
		    size_t *len, struct error *err);
};

extern const struct profile_format_row profile_format_json_row;
extern const struct profile_format_row profile_format_spo_row;
extern const struct profile_format_row profile_format_spo_v1beta1_row;
extern const struct profile_format_row profile_format_oci_artifact_row;

/* The row of @fmt. */
const struct profile_format_row *profile_format_row(enum profile_format fmt);

/* "oci", "spo", "spo-v1beta1" or "oci-artifact"; -1 for anything else. */
int profile_format_parse(const char *name, enum profile_format *out);
const char *profile_format_name(enum profile_format fmt);
/* The names of every format, for a message: "oci, spo, spo-v1beta1, oci-artifact". */
const char *profile_format_names(void);
/* PROFILE_FORMAT_SPO for a path ending in .yaml or .yml (any case), else PROFILE_FORMAT_OCI. */
enum profile_format profile_format_for_path(const char *path);
/* Whether @fmt writes a SeccompProfile (it has a metadata.name). */
static inline bool profile_format_is_spo(enum profile_format fmt)
{
	return profile_format_row(fmt)->named;
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
/* The same for a directory format's @tag, with what the save made in @saved (may be NULL). */
int profile_save_tagged(const struct profile *p, const char *path, const char *tag,
			enum fs_links links, enum profile_format fmt, const char *name, mode_t mode,
			struct profile_saved *saved, struct error *err);

/*
 * Parse an OCI profile or the JSON form of a SeccompProfile (top-level kind "SeccompProfile";
 * its spec is the profile). @fmt (may be NULL) receives the format found.
 */
int profile_parse_any(const char *text, size_t len, const char *what, struct profile **out,
		      enum profile_format *fmt, struct error *err);
/* A file in either form, or an OCI image layout (DIR or DIR:TAG) holding a profile artifact. */
int profile_read_any(const char *path, enum fs_links links, struct profile **out,
		     enum profile_format *fmt, struct error *err);

#endif /* PROFILE_FORMAT_H */
