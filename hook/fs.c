// SPDX-License-Identifier: GPL-2.0-or-later
/* Safe open and atomic write, relative to a directory descriptor opened without symlinks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "cleanup.h"
#include "fs.h"

static int open_no_symlinks(const char *path, int flags, struct error *err)
{
	struct open_how how = {
		.flags = (unsigned long long)flags | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	if (fd >= 0)
		return fd;
	if (errno == ELOOP)
		return error_set(err, 0, "`%s`: a component of the path is a symlink, which is refused",
				 path);
	if (errno != ENOSYS)
		return error_set(err, errno, "open `%s`", path);

	/* Kernels before 5.6: walk the components with O_NOFOLLOW. */
	cleanup_free char *copy = strdup(path);
	int dirfd = open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *save = NULL, *next;

	if (!copy || dirfd < 0) {
		if (dirfd >= 0)
			close(dirfd);
		return error_set(err, errno, "open `%s`", path);
	}
	for (char *part = strtok_r(copy, "/", &save); part; part = next) {
		int last, fd2;

		next = strtok_r(NULL, "/", &save);
		last = next == NULL;
		fd2 = openat(dirfd, part, last ? flags | O_NOFOLLOW | O_CLOEXEC :
					     O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dirfd);
		if (fd2 < 0)
			return error_set(err, errno == ENOTDIR ? ELOOP : errno, "open `%s`", path);
		dirfd = fd2;
	}
	return dirfd;
}

static int open_path(const char *path, enum fs_links links, int flags, struct error *err)
{
	int fd;

	if (links == FS_LINKS_NONE)
		return open_no_symlinks(path, flags, err);
	fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno == ELOOP ? 0 : errno, errno == ELOOP ?
				 "`%s` is a symlink, which is refused" : "open `%s`", path);
	return fd;
}

int fs_open_dir(const char *path, enum fs_links links, struct error *err)
{
	int fd;

	if (links == FS_LINKS_NONE)
		return open_no_symlinks(path, O_RDONLY | O_DIRECTORY, err);
	/* A user's own command line: the directory itself may be a symlink. */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "open `%s`", path);
	return fd;
}

int fs_read_fd(int fd, const char *what, size_t max, char **out, size_t *out_len,
	       struct error *err)
{
	size_t cap = 4096, len = 0;
	cleanup_free char *buf = malloc(cap + 1);

	if (!buf)
		return error_set(err, errno, "read %s", what);
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *bigger;

			if (cap > max)
				return error_set(err, 0, "%s is larger than the limit of %zu bytes",
						 what, max);
			cap *= 2;
			bigger = realloc(buf, cap + 1);
			if (!bigger)
				return error_set(err, errno, "read %s", what);
			buf = bigger;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_set(err, errno, "read %s", what);
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return error_set(err, 0, "%s is larger than the limit of %zu bytes", what, max);
	}
	buf[len] = '\0';
	*out = TAKE_PTR(buf);
	*out_len = len;
	return 0;
}

int fs_read_file(const char *path, enum fs_links links, size_t max, char **buf, size_t *len,
		 struct error *err)
{
	char what[PATH_MAX + 8];
	cleanup_close int fd = -1;
	struct stat st;

	/* O_NONBLOCK: opening a FIFO must not hang; it is refused just below. */
	fd = open_path(path, links, O_RDONLY | O_NONBLOCK, err);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return error_set(err, errno, "stat `%s`", path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, 0, "`%s` is not a regular file", path);
	if ((size_t)st.st_size > max)
		return error_set(err, 0, "`%s` is %lld bytes, larger than the limit of %zu", path,
				 (long long)st.st_size, max);
	if (fcntl(fd, F_SETFL, 0) < 0)
		return error_set(err, errno, "fcntl `%s`", path);
	snprintf(what, sizeof(what), "`%s`", path);
	return fs_read_fd(fd, what, max, buf, len, err);
}

/* Split @path into its directory (opened) and its last component. */
static int open_parent(const char *path, enum fs_links links, char **base, struct error *err)
{
	cleanup_free char *dir = strdup(path);
	char *slash;
	int fd;

	if (!dir)
		return error_set(err, errno, "`%s`", path);
	if (dir[0] == '\0')
		return error_set(err, 0, "the empty path names no file");
	slash = strrchr(dir, '/');
	if (slash && slash[1] == '\0')
		return error_set(err, 0, "`%s` names a directory, not a file", path);
	if (!slash) {
		*base = strdup(dir);
		free(dir);
		dir = strdup(".");
	} else {
		*base = strdup(slash + 1);
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (!*base || !dir)
		return error_set(err, ENOMEM, "`%s`", path);
	if (strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) {
		free(*base);
		*base = NULL;
		return error_set(err, 0, "`%s` names a directory, not a file", path);
	}
	fd = fs_open_dir(dir, links, err);
	if (fd < 0) {
		free(*base);
		*base = NULL;
		if (err && err->errnum == ENOENT)
			return error_set(err, 0, "directory of `%s` does not exist", path);
		if (err && err->errnum == ENOTDIR)
			return error_set(err, 0, "directory of `%s` is not a directory", path);
		return -1;
	}
	return fd;
}

/* Check what is at @base in @dirfd now; returns the mode an existing regular file has, or 0. */
static int existing_target(int dirfd, const char *base, const char *path, mode_t *mode,
			   struct error *err)
{
	struct stat st;

	*mode = 0;
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return error_set(err, errno, "stat `%s`", path);
	}
	if (S_ISLNK(st.st_mode))
		return 0;
	if (!S_ISREG(st.st_mode))
		return error_set(err, 0, "`%s` exists and is not a regular file", path);
	*mode = st.st_mode & 0777;
	return 0;
}

int fs_check_writable(const char *path, enum fs_links links, struct error *err)
{
	cleanup_free char *base = NULL;
	cleanup_close int dirfd = open_parent(path, links, &base, err);
	mode_t mode;

	if (dirfd < 0)
		return -1;
	return existing_target(dirfd, base, path, &mode, err);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fs_write_atomic(const char *path, enum fs_links links, const void *data, size_t len,
		    mode_t mode, struct error *err)
{
	cleanup_free char *base = NULL;
	cleanup_close int dirfd = open_parent(path, links, &base, err);
	cleanup_close int fd = -1;
	char tmp[NAME_MAX + 1];
	mode_t old_mode;
	unsigned int rnd;

	if (dirfd < 0)
		return -1;
	if (existing_target(dirfd, base, path, &old_mode, err) < 0)
		return -1;
	if (old_mode)
		mode = old_mode;

	for (int attempt = 0; fd < 0; attempt++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			rnd = (unsigned int)getpid() * 2654435761u + (unsigned int)attempt;
		snprintf(tmp, sizeof(tmp), ".%.200s.%08x.tmp", base, rnd);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && (errno != EEXIST || attempt >= 16))
			return error_set(err, errno, "create a temporary file beside `%s`", path);
	}
	if (write_all(fd, data, len) < 0 || fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		int saved = errno;

		unlinkat(dirfd, tmp, 0);
		return error_set(err, saved, "write `%s`", path);
	}
	if (renameat(dirfd, tmp, dirfd, base) < 0) {
		int saved = errno;

		unlinkat(dirfd, tmp, 0);
		return error_set(err, saved, "rename the new profile onto `%s`", path);
	}
	fsync(dirfd);
	return 0;
}
