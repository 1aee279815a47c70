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

static int check_repo(const char *repo, struct error *err)
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

int publish_option(struct publish_request *r, const char *name, const char *arg, struct error *err)
{
	char *end;
	double s;

	if (strcmp(name, "publish") == 0) {
		if (check_repo(arg, err) < 0)
			return -1;
		r->repo = arg;
		return 0;
	}
	if (strcmp(name, "tls-verify") == 0) {
		if (strcmp(arg, "true") != 0 && strcmp(arg, "false") != 0)
			return error_set(err, 0, "--tls-verify takes true or false, not `%s`", arg);
		r->registry.tls_verify = strcmp(arg, "true") == 0;
		return 0;
	}
	s = strtod(arg, &end);
	if (*end != '\0' || !(s > 0) || s > 3600)
		return error_set(err, 0, "--%s takes seconds from 0 to 3600, not `%s`", name, arg);
	r->registry.timeout_ms = (int)(s * 1000);
	return 0;
}

int publish_job_prepare(struct publish_job *job, const struct publish_request *r,
			const char *profile_dir, const struct profile_target *t, struct error *err)
{
	struct error tag_err = { 0 };

	job->request = r;
	job->target = t;
	if (publish_tag(profile_dir, t->path, profile_format_extension(t->format), &job->tag,
			&tag_err) < 0 &&
	    !(job->tag_error = strdup(tag_err.msg)))
		return error_set(err, ENOMEM, "publish `%s`", t->path);
	return 0;
}

void publish_job_release(struct publish_job *job)
{
	free(job->tag);
	free(job->tag_error);
	memset(job, 0, sizeof(*job));
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

void publish_profile(const struct publish_job *job, const char *id, int history_fd)
{
	const struct publish_request *r = job->request;
	const struct profile_target *t = job->target;
	const char *tag = job->tag, *tag_error = job->tag_error;
	cleanup_free char *dest = NULL, *src = NULL, *pinned = NULL;
	struct error err = { 0 };

	if (!r || !r->repo)
		return;
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
