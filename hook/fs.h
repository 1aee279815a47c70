/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Safe reads and atomic writes of files named by (possibly untrusted) users. */
#ifndef FS_H
#define FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "error.h"

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

/* Open a directory without following symlinks anywhere in @path when @links says so. */
int fs_open_dir(const char *path, enum fs_links links, struct error *err);

#endif /* FS_H */
