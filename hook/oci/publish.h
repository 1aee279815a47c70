/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Node mode's --publish docker://HOST/REPO (the admin's flag, never an annotation): each
 * profile the tracer wrote is pushed as REPO:NAMESPACE.WORKLOAD.CONTAINER (the profile's path
 * below --profile-dir, '/' made '.', without its extension), after it is written. A failed push
 * never costs the file; `status` shows the digest or why.
 */
#ifndef PUBLISH_H
#define PUBLISH_H

#include "base/error.h"
#include "oci/registry.h"
#include "profile/profile_target.h"

#define PUBLISH_TIMEOUT_MS 60000

struct publish_request {
	const char *repo; /* docker://HOST/REPO; NULL: nothing is published */
	struct registry_options registry;
};

/*
 * The hook's option @name ("publish": docker://HOST/REPO without a tag or digest,
 * "tls-verify": true or false, "publish-timeout": seconds) set from @arg.
 */
int publish_option(struct publish_request *r, const char *name, const char *arg, struct error *err);

/* One profile to push: the request, the profile, and its tag or why it has none. */
struct publish_job {
	const struct publish_request *request; /* NULL: nothing to push */
	const struct profile_target *target;
	char *tag;
	char *tag_error;
};

/*
 * The tag of the profile @output below @profile_dir, its extension @ext dropped; NULL in @tag
 * and the reason in @err when the names make no valid tag (the profile is still recorded).
 */
int publish_tag(const char *profile_dir, const char *output, const char *ext, char **tag,
		struct error *err);

/* @job for the profile @t below @profile_dir (prestart: a name that makes no tag is kept). */
int publish_job_prepare(struct publish_job *job, const struct publish_request *r,
			const char *profile_dir, const struct profile_target *t, struct error *err);
void publish_job_release(struct publish_job *job);

/*
 * Push @job's profile, written, and say how it went in the history @history_fd under @id.
 * Called by the tracer once the profile is written and the runtime told: the container does
 * not wait for it.
 */
void publish_profile(const struct publish_job *job, const char *id, int history_fd);

#endif /* PUBLISH_H */
