/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Safe reads and atomic writes of files named by (possibly untrusted) users. */
#ifndef FS_H
#define FS_H

#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <sys/types.h>
#include "base/error.h"

/* How much of a path may be a symlink. */
enum fs_links {
	FS_LINKS_FOLLOW_DIRS, /* directories may be links (a user's own command line) */
	FS_LINKS_NONE,	      /* no component may be a link (paths from annotations) */
};

/*
 * Read a regular file of at most @max bytes; the buffer is NUL-terminated. Nothing else is
 * opened: the path is looked at first (O_PATH), and FIFOs, devices, sockets, symlinks and
 * the files of procfs, sysfs, tracefs, debugfs and other kernel pseudo file systems are
 * refused. At most the size the file had when looked at is read.
 */
int fs_read_file(const char *path, enum fs_links links, size_t max, char **buf, size_t *len,
		 struct error *err);

/* Read all of @fd, at most @max bytes; the buffer is NUL-terminated. */
int fs_read_fd(int fd, const char *what, size_t max, char **buf, size_t *len, struct error *err);

/*
 * Check that @path can be written by fs_write_atomic: its directory exists (and is one), and
 * what is at @path now is absent, a regular file, or a symlink (which is replaced).
 */
int fs_check_writable(const char *path, enum fs_links links, struct error *err);

/*
 * Replace @path with @data: temporary file in the same directory, fsync, rename. A reader
 * sees the old file or the complete new one. A symlink at @path is replaced, not followed.
 * New files get @mode; an existing regular file keeps its permission bits.
 */
int fs_write_atomic(const char *path, enum fs_links links, const void *data, size_t len,
		    mode_t mode, struct error *err);

/*
 * Remove the regular file (or symlink, not followed) at @path, as fs_write_atomic would
 * replace it. Returns 1 when removed, 0 when there was none.
 */
int fs_remove_file(const char *path, enum fs_links links, struct error *err);

/*
 * The room of a profile to be written later, taken now (prestart): a hidden temporary file
 * in the target's directory with @size bytes allocated. A read-only file system, no
 * permission and no room are known here, not when the container has run.
 */
struct fs_reservation {
	int dirfd;		/* the target's directory, as it was at the reservation */
	int fd;			/* the temporary file */
	char tmp[NAME_MAX + 1]; /* its name in @dirfd; empty once renamed or removed */
	char *base;		/* the target's name in @dirfd */
	dev_t dev;		/* the directory's identity, checked again at the commit */
	ino_t ino;
};

int fs_reserve(const char *path, enum fs_links links, size_t size, struct fs_reservation *r,
	       struct error *err);

/*
 * Write @data into the reserved file, trim it, and replace @path with it as fs_write_atomic
 * does, if @path's directory is still the one reserved in.
 */
int fs_commit(struct fs_reservation *r, const char *path, enum fs_links links, const void *data,
	      size_t len, mode_t mode, struct error *err);

/* Close the reservation; its temporary file, unless committed, is removed. */
void fs_reservation_release(struct fs_reservation *r);

/* @fd is a directory of this user that nobody else can write; an error names @path. */
int fs_check_own_dir(int fd, const char *path, struct error *err);

/*
 * Open @path (created 0600 when missing, never through a symlink at its name) with @flags,
 * and check that it is a regular file of this user: a state or lock file of ours.
 */
int fs_open_own_file(const char *path, int flags, struct error *err);

/* Open a directory without following symlinks anywhere in @path when @links says so. */
int fs_open_dir(const char *path, enum fs_links links, struct error *err);

#endif /* FS_H */
