// SPDX-License-Identifier: GPL-2.0-or-later
/* The tracer's last step in node mode: the written profile to the registry, said in history. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/log.h"
#include "oci/artifact_transfer.h"
#include "oci/history.h"
#include "oci/publish.h"
#include "profile/oci_layout.h"

int publish_check_repo(const char *repo, struct error *err)
{
	cleanup_registry_ref struct registry_ref ref = { 0 };

	if (registry_ref_parse(repo, "--publish", &ref, err) < 0)
		return -1;
	if (ref.tag || ref.digest)
		return error_set(err, 0,
				 "--publish `%s` names a tag or digest: give docker://HOST/REPO, "
				 "each profile gets its own tag",
				 repo);
	return 0;
}

int publish_tag(const char *profile_dir, const char *output, const char *ext, char **tag,
		struct error *err)
{
	size_t dir_len = strlen(profile_dir), len;
	char *t;

	*tag = NULL;
	if (strncmp(output, profile_dir, dir_len) != 0 || output[dir_len] != '/')
		return error_set(err, 0, "`%s` is not below --profile-dir `%s`", output,
				 profile_dir);
	t = strdup(output + dir_len + 1);
	if (!t)
		return error_set(err, ENOMEM, "publish tag");
	len = strlen(t);
	if (len >= strlen(ext) && strcmp(t + len - strlen(ext), ext) == 0)
		t[len - strlen(ext)] = '\0';
	for (char *s = t; *s; s++)
		if (*s == '/')
			*s = '.';
	if (!oci_tag_valid(t)) {
		error_set(
			err, 0,
			"the names make the tag `%.140s`, which is not [A-Za-z0-9_][A-Za-z0-9_.-] "
			"of at most %d",
			t, OCI_TAG_MAX);
		free(t);
		return -1;
	}
	*tag = t;
	return 0;
}

void publish_profile(const struct publish_request *r, const struct profile_target *t,
		     const char *tag, const char *tag_error, const char *id, int history_fd)
{
	cleanup_free char *dest = NULL, *src = NULL, *pinned = NULL;
	struct error err = { 0 };

	if (!tag) {
		log_error("not pushed to `%s`: %s", r->repo, tag_error);
		history_append(history_fd, id, HISTORY_PUSH_FAILED, t->path, tag_error);
		return;
	}
	if (asprintf(&dest, "%s:%s", r->repo, tag) < 0 ||
	    (t->tag ? asprintf(&src, "%s:%s", t->path, t->tag) : asprintf(&src, "%s", t->path)) <
		    0) {
		history_append(history_fd, id, HISTORY_PUSH_FAILED, t->path, "out of memory");
		return;
	}
	history_append(history_fd, id, HISTORY_PUBLISHING, t->path, dest);
	if (artifact_push(src, dest, &r->registry, &pinned, &err) < 0) {
		log_error("`%s` was written but not pushed: %s", t->path, err.msg);
		history_append(history_fd, id, HISTORY_PUSH_FAILED, t->path, err.msg);
		return;
	}
	log_info("pushed `%s` as %s", t->path, pinned);
	history_append(history_fd, id, HISTORY_PUSHED, t->path, pinned);
}
