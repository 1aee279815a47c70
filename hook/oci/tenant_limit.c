// SPDX-License-Identifier: GPL-2.0-or-later
/* A per-tenant count of running recordings, kept as OFD byte locks that die with their holder. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "oci/tenant_limit.h"

int tenant_limit_take(const char *state_dir, const char *tenant, int limit, struct error *err)
{
	cleanup_close int fd = -1;
	char path[PATH_MAX];

	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return error_set(err, errno, "create `%s`", state_dir);
	if (snprintf(path, sizeof(path), "%s/tenant-%s.lock", state_dir, tenant) >=
	    (int)sizeof(path))
		return error_set(err, ENAMETOOLONG, "the lock file of namespace `%s`", tenant);
	fd = fs_open_own_file(path, O_RDWR, err);
	if (fd < 0)
		return -1;
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
