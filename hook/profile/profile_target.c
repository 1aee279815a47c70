// SPDX-License-Identifier: GPL-2.0-or-later
/* The output target of record, merge and the hook: resolved once, written as it says. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/profile_target.h"
#include "profile/profile_variant.h"

static char *default_path(const char *stem, enum profile_format fmt)
{
	cleanup_free char *copy = strdup(stem);
	char *path = NULL;

	if (!copy || asprintf(&path, "./%s.seccomp.%s", basename(copy),
			      profile_format_is_spo(fmt) ? "yaml" : "json") < 0)
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
		return error_set(err, 0, "--name names a SeccompProfile: it needs --format spo");
	}
	if (profile_target_is_spo(t) &&
	    profile_spo_name_for(o->name, t->path, &t->spo_name, err) < 0) {
		profile_target_release(t);
		return -1;
	}
	return 0;
}

void profile_target_release(struct profile_target *t)
{
	free(t->path);
	free(t->spo_name);
	t->path = t->spo_name = NULL;
}

const char *profile_target_kind(const struct profile_target *t)
{
	return profile_target_is_spo(t) ? "SeccompProfile" : "profile";
}

int profile_target_check(const struct profile_target *t, const struct profile *base, char **text,
			 size_t *len, struct error *err)
{
	cleanup_free char *own = NULL;
	size_t own_len;

	/* An OCI profile says whatever a profile says. */
	if (!text && !profile_target_is_spo(t))
		return 0;
	return profile_serialize_as(base, t->format, t->spo_name, text ? text : &own,
				    len ? len : &own_len, err);
}

int profile_target_save(const struct profile_target *t, const struct profile *p,
			struct fs_reservation *reserved, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;
	int ret;

	if (profile_render_as(p, t->path, t->format, t->spo_name, &text, &len, err) < 0)
		return -1;
	ret = reserved ? profile_commit_text(reserved, t->path, t->links, text, len, t->mode, err) :
			 profile_write_text(t->path, t->links, text, len, t->mode, err);
	if (ret < 0)
		return -1;
	if (t->log_variant &&
	    profile_save_log_variant(p, t->path, t->links, t->format, t->mode, err) < 0)
		return -1;
	return 0;
}
