// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A per-tenant count of running recordings, kept as OFD byte locks that die with their holder,
 * and a node-wide share of the slots: counted over every tenant's locks under one lock.
 */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "oci/tenant_limit.h"
#include <linux/types.h>
#include "recorder.h"

#define TENANT_PREFIX "tenant-"
#define TENANT_SUFFIX ".lock"
#define TENANTS_LOCK "tenants.lock"

/* Whether a live recording holds a place in [@from, @from + @len) of the file at @fd. */
static bool any_held(int fd, off_t from, off_t len)
{
	struct flock fl = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = from, .l_len = len
	};

	return fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
}

/*
 * The places in [@from, @from + @len) that live recordings hold: F_OFD_GETLK names one
 * conflicting lock, not the lowest, so the range is halved until each held place is found.
 */
static int count_held_in(int fd, off_t from, off_t len)
{
	if (!any_held(fd, from, len))
		return 0;
	if (len == 1)
		return 1;
	return count_held_in(fd, from, len / 2) + count_held_in(fd, from + len / 2, len - len / 2);
}

static int count_held(int fd)
{
	return count_held_in(fd, 0, MAX_RECORDINGS);
}

/* The recordings every tenant of @state_dir runs now. */
static int count_node(const char *state_dir, struct error *err)
{
	DIR *d = opendir(state_dir);
	struct dirent *de;
	int total = 0;

	if (!d)
		return error_set(err, errno, "read `%s`", state_dir);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		int fd;

		if (strncmp(de->d_name, TENANT_PREFIX, strlen(TENANT_PREFIX)) != 0 ||
		    len < strlen(TENANT_SUFFIX) ||
		    strcmp(de->d_name + len - strlen(TENANT_SUFFIX), TENANT_SUFFIX) != 0)
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		total += count_held(fd);
		close(fd);
	}
	closedir(d);
	return total;
}

int tenant_limit_take(const char *state_dir, const char *tenant, int limit, struct error *err)
{
	cleanup_close int fd = -1, node = -1;
	char path[PATH_MAX], node_path[PATH_MAX];
	int own, total;

	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return error_set(err, errno, "create `%s`", state_dir);
	if (snprintf(path, sizeof(path), "%s/" TENANT_PREFIX "%s" TENANT_SUFFIX, state_dir,
		     tenant) >= (int)sizeof(path))
		return error_set(err, ENAMETOOLONG, "the lock file of namespace `%s`", tenant);
	snprintf(node_path, sizeof(node_path), "%s/" TENANTS_LOCK, state_dir);
	fd = fs_open_own_file(path, O_RDWR, err);
	if (fd < 0)
		return -1;
	/* Counting and taking are one step for the node: no two starts count the same slot. */
	node = fs_open_own_file(node_path, O_RDWR, err);
	if (node < 0)
		return -1;
	while (flock(node, LOCK_EX) < 0)
		if (errno != EINTR)
			return error_set(err, errno, "lock `%s`", node_path);
	own = count_held(fd);
	total = count_node(state_dir, err);
	if (total < 0)
		return -1;
	if (own >= limit)
		return error_set(
			err, 0,
			"namespace `%s` already has %d recordings running on this node, its "
			"limit (--max-per-namespace): try again when one has ended",
			tenant, limit);
	if (total >= MAX_RECORDINGS || (own > 0 && total >= MAX_RECORDINGS - TENANT_NODE_RESERVE))
		return error_set(
			err, 0,
			"namespace `%s` has %d recordings running and the node %d of its %d "
			"slots; the last %d are kept for namespaces that run none: try again "
			"when one has ended",
			tenant, own, total, MAX_RECORDINGS, TENANT_NODE_RESERVE);
	for (int place = 0; place < limit; place++) {
		struct flock fl = {
			.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = place, .l_len = 1
		};

		if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
			return TAKE_FD(fd);
		if (errno != EAGAIN && errno != EACCES)
			return error_set(err, errno, "lock `%s`", path);
	}
	return error_set(err, 0,
			 "namespace `%s` already has %d recordings running on this node, its limit "
			 "(--max-per-namespace): try again when one has ended",
			 tenant, limit);
}
