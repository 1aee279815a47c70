// SPDX-License-Identifier: GPL-2.0-or-later
/* Node mode's retention: expire recorded profiles, and keep a namespace below its cap. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/log.h"
#include "oci/profile_retention.h"

#define WHY_SUFFIX ".why.json"
#define SECONDS_PER_DAY (24 * 60 * 60)
#define MAX_PODS 4096

struct recorded {
	int dirfd;	 /* the folder it is in (borrowed from struct walk) */
	const char *pod; /* that folder's name in the tenant's, NULL outside Kubernetes */
	char name[NAME_MAX + 1];
	time_t mtime;
};

struct walk {
	struct recorded *v;
	size_t n, cap;
	int dirs[MAX_PODS]; /* POD folders opened (a namespace with more is walked in part) */
	char (*pods)[NAME_MAX + 1]; /* their names */
	size_t n_dirs;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A file the hook may have recorded: `NAME.json` or `NAME.yaml`, not a why file. */
static bool is_recording(const char *name)
{
	return name[0] != '.' && (ends_with(name, ".json") || ends_with(name, ".yaml")) &&
	       !ends_with(name, WHY_SUFFIX);
}

static bool same_file(int dirfd, const char *name, const struct stat *keep)
{
	struct stat st;

	return keep->st_ino && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       st.st_ino == keep->st_ino && st.st_dev == keep->st_dev;
}

/* A stream of the entries of the folder open at @dirfd, on a descriptor of its own. */
static DIR *dir_stream(int dirfd)
{
	int fd = dup(dirfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d && fd >= 0)
		close(fd);
	return d;
}

/* The recordings directly in the folder open at @dirfd (@pod), but @keep. */
static int collect(struct walk *w, int dirfd, const char *pod, const struct stat *keep)
{
	DIR *d = dir_stream(dirfd);
	struct dirent *de;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		struct stat st;

		if (!is_recording(de->d_name) ||
		    fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || same_file(dirfd, de->d_name, keep))
			continue;
		if (w->n == w->cap) {
			size_t cap = w->cap ? 2 * w->cap : 64;
			struct recorded *bigger = realloc(w->v, cap * sizeof(*bigger));

			if (!bigger) {
				closedir(d);
				return -1;
			}
			w->v = bigger;
			w->cap = cap;
		}
		w->v[w->n].dirfd = dirfd;
		w->v[w->n].pod = pod;
		snprintf(w->v[w->n].name, sizeof(w->v[w->n].name), "%s", de->d_name);
		w->v[w->n].mtime = st.st_mtime;
		w->n++;
	}
	closedir(d);
	return 0;
}

/* A recording and its why file go together. */
static void remove_recording(const struct recorded *r)
{
	char why[NAME_MAX + 16];
	size_t len = strlen(r->name);

	if (unlinkat(r->dirfd, r->name, 0) == 0)
		log_info("retention: removed `%s`", r->name);
	if (ends_with(r->name, ".json") && snprintf(why, sizeof(why), "%.*s" WHY_SUFFIX,
						    (int)(len - 5), r->name) < (int)sizeof(why))
		unlinkat(r->dirfd, why, 0);
}

static int by_age(const void *a, const void *b)
{
	const struct recorded *x = a, *y = b;

	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/* The POD folders of a tenant's folder, each walked. */
static int collect_pods(struct walk *w, int folder, const struct stat *keep)
{
	DIR *d = dir_stream(folder);
	struct dirent *de;

	if (!d)
		return -1;
	while ((de = readdir(d)) && w->n_dirs < MAX_PODS) {
		struct stat st;
		int pod;

		if (de->d_name[0] == '.' ||
		    fstatat(folder, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		pod = openat(folder, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (pod < 0)
			continue;
		snprintf(w->pods[w->n_dirs], NAME_MAX + 1, "%s", de->d_name);
		w->dirs[w->n_dirs++] = pod;
		if (collect(w, pod, w->pods[w->n_dirs - 1], keep) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

/* @keep's POD folder's name (the component before its file), or "" outside Kubernetes. */
static void keep_pod(const char *folder, const char *keep, char *out, size_t size)
{
	size_t len = strlen(folder);
	const char *rest = strncmp(keep, folder, len) == 0 && keep[len] == '/' ? keep + len + 1 :
										 "";
	const char *slash = strchr(rest, '/');

	snprintf(out, size, "%.*s", slash ? (int)(slash - rest) : 0, rest);
}

int profile_retention_apply(const char *folder, bool pods, const char *keep,
			    const struct profile_retention *r, struct error *err)
{
	cleanup_close int dirfd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct walk w = { 0 };
	struct stat keep_st = { 0 };
	time_t cutoff = r->days ? time(NULL) - (time_t)r->days * SECONDS_PER_DAY : 0;
	char own_pod[NAME_MAX + 1];
	size_t kept;
	int ret = 0;

	if (dirfd < 0)
		return errno == ENOENT ? 0 : error_set(err, errno, "open `%s`", folder);
	if (stat(keep, &keep_st) < 0)
		memset(&keep_st, 0, sizeof(keep_st));
	keep_pod(folder, keep, own_pod, sizeof(own_pod));
	w.pods = pods ? calloc(MAX_PODS, sizeof(*w.pods)) : NULL;
	if (pods && !w.pods)
		return error_set(err, ENOMEM, "retention of `%s`", folder);
	if ((pods ? collect_pods(&w, dirfd, &keep_st) : collect(&w, dirfd, NULL, &keep_st)) < 0) {
		ret = error_set(err, errno, "read `%s` for its retention", folder);
		goto out;
	}
	qsort(w.v, w.n, sizeof(*w.v), by_age);
	/* The oldest first: the expired ones, then as many as the cap needs. */
	kept = w.n;
	for (size_t i = 0; i < w.n; i++) {
		bool expired = cutoff && w.v[i].mtime <= cutoff;

		if (!expired && kept + 1 <= (size_t)r->max_profiles)
			break;
		remove_recording(&w.v[i]);
		kept--;
		/* Its POD folder goes when it is empty now (rmdir refuses one that is not). */
		if (w.v[i].pod && strcmp(w.v[i].pod, own_pod) != 0)
			unlinkat(dirfd, w.v[i].pod, AT_REMOVEDIR);
	}
out:
	for (size_t i = 0; i < w.n_dirs; i++)
		close(w.dirs[i]);
	free(w.pods);
	free(w.v);
	return ret;
}
