// SPDX-License-Identifier: GPL-2.0-or-later
/* The union of a workload's recordings and its counts, updated by one tracer at a time. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "oci/workload.h"
#include "profile/profile_format.h"
#include "profile/profile_merge.h"
#include "profile/profile_runs.h"

#define RUNS_SUFFIX ".runs.json"

int workload_runs_path(const char *path, char **out, struct error *err)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t stem = dot && (!slash || dot > slash + 1) ? (size_t)(dot - path) : strlen(path);

	if (asprintf(out, "%.*s" RUNS_SUFFIX, (int)stem, path) < 0) {
		*out = NULL;
		return error_set(err, ENOMEM, "the counts of `%s`", path);
	}
	return 0;
}

/* DIR/.NAME.lock beside @path, held exclusively until the returned descriptor is closed. */
static int lock_beside(const char *path, struct error *err)
{
	const char *slash = strrchr(path, '/');
	cleanup_free char *lock = NULL;
	int fd;

	if (!slash || asprintf(&lock, "%.*s/.%s.lock", (int)(slash - path), path, slash + 1) < 0) {
		lock = NULL;
		return error_set(err, slash ? ENOMEM : 0, "the lock of `%s`", path);
	}
	fd = fs_open_own_file(lock, O_RDWR, err);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			error_set(err, errno, "lock `%s`", lock);
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* The counts so far; none when the file is missing. */
static int read_runs(const char *path, struct profile_runs *runs, struct error *err)
{
	cleanup_free char *text = NULL;
	cleanup_free char *what = NULL;
	size_t len;

	memset(runs, 0, sizeof(*runs));
	if (fs_read_file(path, FS_LINKS_NONE, PROFILE_RUNS_MAX_BYTES, &text, &len, err) < 0)
		return err->errnum == ENOENT ? 0 : -1;
	if (asprintf(&what, "the counts `%s`", path) < 0) {
		what = NULL;
		return error_set(err, ENOMEM, "read `%s`", path);
	}
	return profile_runs_parse(text, len, what, runs, err);
}

/* The union so far, or NULL when there is none yet. */
static int read_union(const char *path, struct profile **out, struct error *err)
{
	*out = NULL;
	if (profile_read_any(path, FS_LINKS_NONE, out, NULL, err) < 0)
		return err->errnum == ENOENT ? 0 : -1;
	return 0;
}

static int add_locked(const struct profile_target *t, const struct profile *run,
		      const char *runs_path, struct error *err)
{
	cleanup_profile_runs struct profile_runs runs = { 0 };
	cleanup_profile struct profile *old = NULL;
	cleanup_free char *text = NULL;
	struct profile_merge_summary summary;
	size_t len;

	if (read_union(t->path, &old, err) < 0 || read_runs(runs_path, &runs, err) < 0)
		return -1;
	if (old && !runs.runs && profile_runs_add(&runs, old, err) < 0)
		return -1;
	if (profile_runs_add(&runs, run, err) < 0)
		return -1;
	if (old) {
		/* The merge changes only its first input: the union read here. */
		struct profile *in[2] = { old, (struct profile *)run };
		const char *what[2] = { "the workload's profile", "this recording" };

		if (profile_merge(in, what, 2, &summary, err) < 0 ||
		    profile_target_save(t, old, NULL, err) < 0)
			return -1;
	} else if (profile_target_save(t, run, NULL, err) < 0) {
		return -1;
	}
	if (profile_runs_json(&runs, &text, &len, err) < 0)
		return -1;
	return fs_write_atomic(runs_path, FS_LINKS_NONE, text, len, t->mode, err);
}

int workload_add(const struct profile_target *t, const struct profile *run, struct error *err)
{
	cleanup_free char *runs_path = NULL;
	cleanup_close int lock = -1;

	if (workload_runs_path(t->path, &runs_path, err) < 0)
		return -1;
	lock = lock_beside(t->path, err);
	if (lock < 0)
		return -1;
	if (add_locked(t, run, runs_path, err) < 0)
		return error_prefix(err, "the workload profile `%s`: ", t->path);
	return 0;
}
