// SPDX-License-Identifier: GPL-2.0-or-later
/* Safe open and atomic write, relative to a directory descriptor opened without symlinks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include "base/cleanup.h"
#include "base/fs.h"

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
		return error_set(err, 0,
				 "`%s`: a component of the path is a symlink, which is refused",
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
		fd2 = openat(dirfd, part,
			     last ? flags | O_NOFOLLOW | O_CLOEXEC :
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
		return error_set(err, errno == ELOOP ? 0 : errno,
				 errno == ELOOP ? "`%s` is a symlink, which is refused" :
						  "open `%s`",
				 path);
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

int fs_check_own_dir(int fd, const char *path, struct error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return error_set(err, errno, "stat `%s`", path);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 0022))
		return error_set(err, 0,
				 "`%s` must be a directory of uid %u that others cannot write",
				 path, (unsigned)geteuid());
	return 0;
}

int fs_open_own_file(const char *path, int flags, struct error *err)
{
	struct stat st;
	int fd = open(path, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return error_set(err, errno, "open `%s`", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return error_set(err, 0, "`%s` must be a regular file of uid %u", path,
				 (unsigned)geteuid());
	}
	return fd;
}

int fs_read_fd(int fd, const char *what, size_t max, char **out, size_t *out_len, struct error *err)
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
			return error_set(err, 0, "%s is larger than the limit of %zu bytes", what,
					 max);
	}
	buf[len] = '\0';
	*out = TAKE_PTR(buf);
	*out_len = len;
	return 0;
}

/* Not in every linux/magic.h this builds with. */
#ifndef CONFIGFS_MAGIC
#define CONFIGFS_MAGIC 0x62656570
#endif
#define MQUEUE_MAGIC 0x19800202
#define FUSECTL_MAGIC 0x65735543
#define RPC_PIPEFS_MAGIC 0x67596969
#define NFSD_MAGIC 0x6e667364
#define PIDFS_MAGIC 0x50494446

/*
 * File systems whose files are kernel interfaces, not data: reading one can block for ever
 * (trace_pipe), consume what others wait for (/proc/kmsg), or act (an open, a read). They
 * report a size of 0 or 4096 whatever they hold, so a size check says nothing about them.
 */
static const struct {
	unsigned long magic;
	const char *name;
} pseudo_fs[] = {
	{ PROC_SUPER_MAGIC, "procfs" },
	{ SYSFS_MAGIC, "sysfs" },
	{ TRACEFS_MAGIC, "tracefs" },
	{ DEBUGFS_MAGIC, "debugfs" },
	{ SECURITYFS_MAGIC, "securityfs" },
	{ CGROUP_SUPER_MAGIC, "cgroupfs" },
	{ CGROUP2_SUPER_MAGIC, "cgroup2fs" },
	{ BPF_FS_MAGIC, "bpffs" },
	{ CONFIGFS_MAGIC, "configfs" },
	{ DEVPTS_SUPER_MAGIC, "devpts" },
	{ PSTOREFS_MAGIC, "pstore" },
	{ EFIVARFS_MAGIC, "efivarfs" },
	{ SELINUX_MAGIC, "selinuxfs" },
	{ SMACK_MAGIC, "smackfs" },
	{ AAFS_MAGIC, "apparmorfs" },
	{ RDTGROUP_SUPER_MAGIC, "resctrl" },
	{ BINFMTFS_MAGIC, "binfmt_misc" },
	{ BINDERFS_SUPER_MAGIC, "binderfs" },
	{ XENFS_SUPER_MAGIC, "xenfs" },
	{ OPENPROM_SUPER_MAGIC, "openpromfs" },
	{ USBDEVICE_SUPER_MAGIC, "usbdevfs" },
	{ FUSECTL_MAGIC, "fusectl" },
	{ MQUEUE_MAGIC, "mqueue" },
	{ RPC_PIPEFS_MAGIC, "rpc_pipefs" },
	{ NFSD_MAGIC, "nfsd" },
	{ NSFS_MAGIC, "nsfs" },
	{ PIDFS_MAGIC, "pidfs" },
	{ PIPEFS_MAGIC, "pipefs" },
	{ SOCKFS_MAGIC, "sockfs" },
	{ ANON_INODE_FS_MAGIC, "anon_inodefs" },
	{ BDEVFS_MAGIC, "bdevfs" },
	{ DMA_BUF_MAGIC, "dmabuf" },
	{ DEVMEM_MAGIC, "devmem" },
	{ SECRETMEM_MAGIC, "secretmem" },
};

static const char *pseudo_fs_name(unsigned long magic)
{
	for (size_t i = 0; i < sizeof(pseudo_fs) / sizeof(pseudo_fs[0]); i++)
		if (pseudo_fs[i].magic == magic)
			return pseudo_fs[i].name;
	return NULL;
}

static const char *file_type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file of data";
}

/* Read @size bytes of @fd, fewer when it ends first; what it has beyond is left unread. */
static int read_at_most(int fd, const char *path, size_t size, char **out, size_t *out_len,
			struct error *err)
{
	cleanup_free char *buf = malloc(size + 1);
	size_t len = 0;

	if (!buf)
		return error_set(err, ENOMEM, "read `%s`", path);
	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_set(err, errno, "read `%s`", path);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = TAKE_PTR(buf);
	*out_len = len;
	return 0;
}

/*
 * Look before opening: the path is resolved to an O_PATH descriptor, which opens nothing (no
 * device's open, no FIFO's rendezvous), and only a regular file on a disk file system is then
 * reopened for reading, through that descriptor, so that the file checked is the file read.
 * At most the size it had when checked is read: a file that grows is cut there.
 */
int fs_read_file(const char *path, enum fs_links links, size_t max, char **buf, size_t *len,
		 struct error *err)
{
	cleanup_close int pfd = -1, fd = -1;
	char self_fd[64];
	struct statfs sfs;
	struct stat st, opened;
	const char *fs_name;

	pfd = open_path(path, links, O_PATH, err);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, &st) < 0)
		return error_set(err, errno, "stat `%s`", path);
	if (S_ISLNK(st.st_mode))
		return error_set(err, 0, "`%s` is a symlink, which is refused", path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, 0, "`%s` is not a regular file: it is %s", path,
				 file_type_name(st.st_mode));
	if (fstatfs(pfd, &sfs) < 0)
		return error_set(err, errno, "statfs `%s`", path);
	fs_name = pseudo_fs_name((unsigned long)sfs.f_type);
	if (fs_name)
		return error_set(err, 0,
				 "`%s` is on %s, a kernel interface, not a file of data; "
				 "it is not read",
				 path, fs_name);
	if (st.st_size < 0 || (unsigned long long)st.st_size > max)
		return error_set(err, 0, "`%s` is %lld bytes, larger than the limit of %zu", path,
				 (long long)st.st_size, max);
	snprintf(self_fd, sizeof(self_fd), "/proc/self/fd/%d", pfd);
	fd = open(self_fd, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "open `%s` through %s", path, self_fd);
	if (fstat(fd, &opened) < 0)
		return error_set(err, errno, "stat `%s`", path);
	if (opened.st_dev != st.st_dev || opened.st_ino != st.st_ino)
		return error_set(err, 0, "`%s` was not the file checked when reopened", path);
	return read_at_most(fd, path, (size_t)st.st_size, buf, len, err);
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

int fs_remove_file(const char *path, enum fs_links links, struct error *err)
{
	cleanup_free char *base = NULL;
	cleanup_close int dirfd = open_parent(path, links, &base, err);
	struct stat st;

	if (dirfd < 0)
		return -1;
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : error_set(err, errno, "stat `%s`", path);
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return error_set(err, 0, "`%s` is not a regular file: left as it is", path);
	if (unlinkat(dirfd, base, 0) < 0 && errno != ENOENT)
		return error_set(err, errno, "remove `%s`", path);
	return 1;
}

/* From the start of @fd, whatever its offset. */
static int pwrite_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	off_t at = 0;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		at += n;
		len -= (size_t)n;
	}
	return 0;
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

/* A new hidden file beside @base in @dirfd, root's alone until it is renamed. */
static int create_temp(int dirfd, const char *base, const char *path, char tmp[NAME_MAX + 1],
		       struct error *err)
{
	unsigned int rnd;
	int fd = -1;

	for (int attempt = 0; fd < 0; attempt++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			rnd = (unsigned int)getpid() * 2654435761u + (unsigned int)attempt;
		snprintf(tmp, NAME_MAX + 1, ".%.200s.%08x.tmp", base, rnd);
		fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && (errno != EEXIST || attempt >= 16))
			return error_set(err, errno, "create a temporary file beside `%s`", path);
	}
	return fd;
}

/* @fd, written, gets @mode, reaches the disk and replaces @base; on failure it is removed. */
static int replace_with_temp(int dirfd, int fd, const char *tmp, const char *base, const char *path,
			     mode_t mode, struct error *err)
{
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
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

int fs_write_atomic(const char *path, enum fs_links links, const void *data, size_t len,
		    mode_t mode, struct error *err)
{
	cleanup_free char *base = NULL;
	cleanup_close int dirfd = open_parent(path, links, &base, err);
	cleanup_close int fd = -1;
	char tmp[NAME_MAX + 1];
	mode_t old_mode;

	if (dirfd < 0)
		return -1;
	if (existing_target(dirfd, base, path, &old_mode, err) < 0)
		return -1;
	fd = create_temp(dirfd, base, path, tmp, err);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0) {
		int saved = errno;

		unlinkat(dirfd, tmp, 0);
		return error_set(err, saved, "write `%s`", path);
	}
	return replace_with_temp(dirfd, fd, tmp, base, path, old_mode ? old_mode : mode, err);
}

int fs_reserve(const char *path, enum fs_links links, size_t size, struct fs_reservation *r,
	       struct error *err)
{
	cleanup_free char *base = NULL;
	cleanup_close int dirfd = open_parent(path, links, &base, err);
	cleanup_close int fd = -1;
	struct statvfs vfs;
	struct stat st;
	mode_t old_mode;
	int ret;

	memset(r, 0, sizeof(*r));
	r->dirfd = r->fd = -1;
	if (dirfd < 0)
		return -1;
	if (existing_target(dirfd, base, path, &old_mode, err) < 0)
		return -1;
	if (fstatvfs(dirfd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		return error_set(err, 0, "the directory of `%s` is on a read-only file system",
				 path);
	if (fstat(dirfd, &st) < 0)
		return error_set(err, errno, "stat the directory of `%s`", path);
	fd = create_temp(dirfd, base, path, r->tmp, err);
	if (fd < 0)
		return -1;
	/* The room the profile will need, taken now: a disk that fills meanwhile cannot cost it. */
	ret = posix_fallocate(fd, 0, (off_t)size);
	if (ret != 0) {
		unlinkat(dirfd, r->tmp, 0);
		return error_set(err, ret,
				 "no room for the profile beside `%s`: %zu bytes could not "
				 "be reserved",
				 path, size);
	}
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->base = TAKE_PTR(base);
	r->dirfd = TAKE_FD(dirfd);
	r->fd = TAKE_FD(fd);
	return 0;
}

int fs_commit(struct fs_reservation *r, const char *path, enum fs_links links, const void *data,
	      size_t len, mode_t mode, struct error *err)
{
	cleanup_free char *base = NULL;
	cleanup_close int now = open_parent(path, links, &base, err);
	struct stat st;
	mode_t old_mode;
	int ret;

	if (now < 0)
		return error_prefix(err, "the profile's directory is gone: ");
	/* The same directory as at the start: one swapped in meanwhile gets nothing. */
	if (fstat(now, &st) < 0 || st.st_dev != r->dev || st.st_ino != r->ino)
		return error_set(err, 0, "the directory of `%s` was replaced during the recording",
				 path);
	if (existing_target(r->dirfd, r->base, path, &old_mode, err) < 0)
		return -1;
	if (pwrite_all(r->fd, data, len) < 0 || ftruncate(r->fd, (off_t)len) < 0)
		return error_set(err, errno, "write `%s`", path);
	ret = replace_with_temp(r->dirfd, r->fd, r->tmp, r->base, path, old_mode ? old_mode : mode,
				err);
	r->tmp[0] = '\0'; /* renamed, or removed on failure */
	return ret;
}

void fs_reservation_release(struct fs_reservation *r)
{
	if (r->dirfd >= 0 && r->tmp[0])
		unlinkat(r->dirfd, r->tmp, 0);
	if (r->fd >= 0)
		close(r->fd);
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r->base);
	memset(r, 0, sizeof(*r));
	r->dirfd = r->fd = -1;
}
