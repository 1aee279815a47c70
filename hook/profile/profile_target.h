/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where and how a profile is written (its path, format, SeccompProfile name, a new file's mode),
 * decided once from what a command line or an annotation says and the path, then passed on as a
 * value to whatever writes it.
 */
#ifndef PROFILE_TARGET_H
#define PROFILE_TARGET_H

#include <stdbool.h>
#include <sys/types.h>
#include "base/error.h"
#include "base/fs.h"
#include "profile/profile.h"
#include "profile/profile_format.h"

/* What was asked for; anything left unset is decided from the path. */
struct profile_target_options {
	const char *path;	    /* -o, of:; NULL: ./STEM.seccomp.json (or .yaml); DIR[:TAG] */
	const char *default_stem;   /* the STEM of the path when none is given */
	enum profile_format format; /* --format, fmt: when format_given ... */
	bool format_given;	    /* ... else .yaml/.yml chooses a SeccompProfile */
	const char *name;	    /* --name: a SeccompProfile's metadata.name; NULL: the path's */
	mode_t mode;		    /* --file-mode when mode_given, else PROFILE_FILE_MODE */
	bool mode_given;
	enum fs_links links; /* how the path may be opened */
	bool log_variant;    /* also write the SCMP_ACT_LOG variant (profile_variant.h) */
};

struct profile_target {
	char *path; /* a file, or an OCI image layout's directory */
	char *tag;  /* a directory format's tag (OCI_DEFAULT_TAG when none); NULL for a file */
	enum fs_links links;
	enum profile_format format;
	char *spo_name; /* a SeccompProfile's metadata.name; NULL for the OCI format */
	mode_t mode;	/* permission bits of a new file: an existing one keeps its own */
	bool log_variant;
};

/*
 * Decide @t from @o: the path (or its default), the format, and a SeccompProfile's name, which
 * must be valid (a --name without a SeccompProfile format is refused). Messages name the option.
 */
int profile_target_resolve(const struct profile_target_options *o, struct profile_target *t,
			   struct error *err);
void profile_target_release(struct profile_target *t);

static inline bool profile_target_is_spo(const struct profile_target *t)
{
	return profile_format_is_spo(t->format);
}

/* "SeccompProfile", "OCI artifact" or "profile": what the target is, for a message. */
const char *profile_target_kind(const struct profile_target *t);

/*
 * Whether @base can be written as @t says, checked before anything is recorded: a SeccompProfile
 * cannot express every profile (profile_serialize_as). With @text, the document is returned
 * (in any format); without it, an OCI target needs no check.
 */
int profile_target_check(const struct profile_target *t, const struct profile *base, char **text,
			 size_t *len, struct error *err);

/*
 * Compile @p with libseccomp, serialize it as @t says and replace @t->path atomically (into the
 * room @reserved at prestart, when not NULL), with its log variant when @t asks for it.
 */
int profile_target_save(const struct profile_target *t, const struct profile *p,
			struct fs_reservation *reserved, struct error *err);
/* The same, with what the save made (an artifact's digest) in @saved. */
int profile_target_save_saved(const struct profile_target *t, const struct profile *p,
			      struct fs_reservation *reserved, struct profile_saved *saved,
			      struct error *err);

/*
 * Whether @t can be written, checked before anything is recorded: a file's directory exists and
 * nothing but a file is at its name; an OCI image layout is made now when missing.
 */
int profile_target_check_writable(const struct profile_target *t, struct error *err);

/* Whether @t is written as a directory (an OCI image layout), not one file. */
static inline bool profile_target_is_directory(const struct profile_target *t)
{
	return profile_format_row(t->format)->directory;
}

static inline void cleanup_profile_targetp(struct profile_target *t)
{
	profile_target_release(t);
}
#define cleanup_profile_target __attribute__((cleanup(cleanup_profile_targetp)))

#endif /* PROFILE_TARGET_H */
