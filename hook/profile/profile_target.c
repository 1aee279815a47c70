// SPDX-License-Identifier: GPL-2.0-or-later
/* The output target of record, merge and the hook: resolved once, written as it says. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/oci_layout.h"
#include "profile/profile_target.h"
#include "profile/profile_variant.h"

static char *default_path(const char *stem, enum profile_format fmt)
{
	cleanup_free char *copy = strdup(stem);
	char *path = NULL;

	if (!copy ||
	    asprintf(&path, "./%s.seccomp%s", basename(copy), profile_format_extension(fmt)) < 0)
		return NULL;
	return path;
}

int profile_target_resolve(const struct profile_target_options *o, struct profile_target *t,
			   struct error *err)
{
	memset(t, 0, sizeof(*t));
	t->links = o->links;
	t->mode = o->mode_given ? o->mode : PROFILE_FILE_MODE;
	t->log_variant = o->log_variant;
	t->format = o->format_given ? o->format : PROFILE_FORMAT_OCI;
	if (!o->path && !o->default_stem)
		return error_set(err, 0, "no profile path given");
	t->path = o->path ? strdup(o->path) : default_path(o->default_stem, t->format);
	if (!t->path)
		return error_set(err, ENOMEM, "profile path");
	if (!o->format_given)
		t->format = profile_format_for_path(t->path);
	if (o->name && !profile_target_is_spo(t)) {
		profile_target_release(t);
		return error_set(err, 0, "--name names a SeccompProfile: it needs --format %s",
				 profile_format_spo_row.name);
	}
	if (profile_target_is_directory(t)) {
		char *dir, *tag;

		if (oci_layout_ref_split(t->path, &dir, &tag, err) < 0) {
			profile_target_release(t);
			return -1;
		}
		free(t->path);
		t->path = dir;
		t->tag = tag;
	}
	if (profile_target_is_spo(t) &&
	    profile_spo_name_for(o->name, t->path, &t->spo_name, err) < 0) {
		profile_target_release(t);
		return -1;
	}
	return 0;
}

int profile_target_check_writable(const struct profile_target *t, struct error *err)
{
	if (profile_target_is_directory(t))
		return oci_layout_prepare(t->path, t->links, err);
	return fs_check_writable(t->path, t->links, err);
}

void profile_target_release(struct profile_target *t)
{
	free(t->path);
	free(t->tag);
	free(t->spo_name);
	t->path = t->tag = t->spo_name = NULL;
}

const char *profile_target_kind(const struct profile_target *t)
{
	return profile_format_row(t->format)->kind;
}

int profile_target_check(const struct profile_target *t, const struct profile *base, char **text,
			 size_t *len, struct error *err)
{
	cleanup_free char *own = NULL;
	size_t own_len;

	/* What no format may hold, runtimes would refuse: a base that has it is refused now. */
	if (profile_check_runtime(base, 0, "the base profile", err) < 0)
		return -1;
	/* An OCI profile says whatever a profile says. */
	if (!text && !profile_target_is_spo(t))
		return 0;
	return profile_serialize_as(base, t->format, t->spo_name, text ? text : &own,
				    len ? len : &own_len, err);
}

int profile_target_save(const struct profile_target *t, const struct profile *p,
			struct fs_reservation *reserved, struct error *err)
{
	return profile_target_save_saved(t, p, reserved, NULL, err);
}

int profile_target_save_saved(const struct profile_target *t, const struct profile *p,
			      struct fs_reservation *reserved, struct profile_saved *saved,
			      struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;
	int ret;

	if (profile_target_is_directory(t)) {
		/* A layout is written blob by blob: no one file's room was taken for it. */
		if (reserved)
			fs_reservation_release(reserved);
		ret = profile_save_tagged(p, t->path, t->tag, t->links, t->format, NULL, t->mode,
					  saved, err);
		goto variant;
	}
	if (saved)
		saved->digest[0] = '\0';
	if (profile_render_as(p, t->path, t->format, t->spo_name, &text, &len, err) < 0)
		return -1;
	ret = reserved ? profile_commit_text(reserved, t->path, t->links, text, len, t->mode, err) :
			 profile_write_text(t->path, t->links, text, len, t->mode, err);
variant:
	if (ret < 0)
		return -1;
	if (t->log_variant &&
	    profile_save_log_variant(p, t->path, t->links, t->format, t->mode, err) < 0)
		return -1;
	return 0;
}
