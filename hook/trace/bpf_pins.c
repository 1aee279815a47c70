// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pins of the shared program, one per row of bpf_objects.h: the maps, the task iterator
 * (each tracer attaches it for itself) and the links that keep the programs attached while no
 * tracer holds them. The callers hold the setup lock (tracer.c) around every function here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <bpf/bpf.h>
#include "trace/bpf_pins.h"
#include "base/cleanup.h"
#include "base/fs.h"
#include "base/log.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

#define SYSTEM_BPFFS "/sys/fs/bpf"
#define PIN_PREFIX "oci-seccomp-recorder-"

static bool is_bpffs(const char *path)
{
	struct statfs fs;

	return statfs(path, &fs) == 0 && (unsigned long)fs.f_type == BPF_FS_MAGIC;
}

/* A directory of ours: made by root, written by nobody else, reached without a symlink. */
static int check_own_dir(const char *path, struct error *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return error_set(err, errno, "open `%s`", path);
	return fs_check_own_dir(fd, path, err);
}

/*
 * The system's BPF filesystem serves only when nobody but root can write it: mounted without
 * `mode=` it is 1777, and a user could plant a symlink where the pin directory goes.
 */
static bool shared_bpffs_is_safe(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return false;
	if (S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 0022))
		return true;
	log_info("`%s` is writable by others (mode %04o, uid %u): using a private BPF "
		 "filesystem",
		 path, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid);
	return false;
}

static int make_dir(const char *path, struct error *err)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return error_set(err, errno, "create `%s`", path);
	return check_own_dir(path, err);
}

int bpf_pins_locate(struct bpf_pins *pins, const char *run_dir, unsigned long long digest,
		    struct error *err)
{
	char base[PATH_MAX];
	int len;

	if (is_bpffs(SYSTEM_BPFFS) && shared_bpffs_is_safe(SYSTEM_BPFFS)) {
		snprintf(base, sizeof(base), "%s", SYSTEM_BPFFS);
	} else {
		len = snprintf(base, sizeof(base), "%s/bpffs", run_dir);
		if (len < 0 || (size_t)len >= sizeof(base))
			return error_set(err, ENAMETOOLONG, "BPF filesystem under `%s`", run_dir);
		if (make_dir(base, err) < 0)
			return -1;
		if (!is_bpffs(base)) {
			if (mount("bpffs", base, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC,
				  "mode=0700") < 0)
				return error_set(err, errno, "mount a BPF filesystem on `%s`",
						 base);
			log_debug("mounted a BPF filesystem on `%s`", base);
		}
	}
	len = snprintf(pins->dir, sizeof(pins->dir), "%s/" PIN_PREFIX "%016llx", base, digest);
	if (len < 0 || (size_t)len >= sizeof(pins->dir))
		return error_set(err, ENAMETOOLONG, "pin directory under `%s`", base);
	return 0;
}

static const struct recorder_object *row(size_t i)
{
	return &recorder_object_table[i];
}

static void pin_path(const struct bpf_pins *pins, size_t i, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", pins->dir, row(i)->pin);
}

bool bpf_pins_complete(const struct bpf_pins *pins)
{
	char path[PATH_MAX + 64];
	struct stat st;

	for (size_t i = 0; i < recorder_object_count; i++) {
		pin_path(pins, i, path, sizeof(path));
		if (lstat(path, &st) < 0)
			return false;
	}
	return true;
}

static int check_map(int fd, const struct recorder_object *pin, const char *path, struct error *err)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		return error_set(err, errno, "read what the pinned map `%s` is", path);
	if (info.type != pin->map_type || info.key_size != pin->key_size ||
	    info.value_size != pin->value_size ||
	    (pin->max_entries && info.max_entries != pin->max_entries))
		return error_set(
			err, 0,
			"the pinned map `%s` is not this build's (type %u, key %u, value %u "
			"bytes, %u entries)",
			path, info.type, info.key_size, info.value_size, info.max_entries);
	return 0;
}

static int check_prog(int fd, const char *path, struct error *err)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		return error_set(err, errno, "read what the pinned program `%s` is", path);
	if (info.type != BPF_PROG_TYPE_TRACING)
		return error_set(err, 0,
				 "the pinned program `%s` is not a tracing program (type %u)", path,
				 info.type);
	return 0;
}

int bpf_pins_open(const struct bpf_pins *pins, struct recorder_objects *out, struct error *err)
{
	cleanup_recorder_objects struct recorder_objects o = RECORDER_OBJECTS_NONE;
	char path[PATH_MAX + 64];

	if (check_own_dir(pins->dir, err) < 0)
		return -1;
	for (size_t i = 0; i < recorder_object_count; i++) {
		int *fd = recorder_object_fd(&o, row(i));

		/* The links stay pinned: the tracer needs no descriptor of them. */
		if (row(i)->kind == RECORDER_LINK)
			continue;
		pin_path(pins, i, path, sizeof(path));
		*fd = bpf_obj_get(path);
		if (*fd < 0)
			return error_set(err, errno, "open the pinned BPF object `%s`", path);
		if ((row(i)->kind == RECORDER_MAP ? check_map(*fd, row(i), path, err) :
						    check_prog(*fd, path, err)) < 0)
			return -1;
	}
	*out = recorder_objects_take(&o);
	return 0;
}

int bpf_pins_create(const struct bpf_pins *pins, const struct recorder_objects *o,
		    struct error *err)
{
	struct recorder_objects copy = *o;
	char path[PATH_MAX + 64];

	if (make_dir(pins->dir, err) < 0)
		return -1;
	for (size_t i = 0; i < recorder_object_count; i++) {
		pin_path(pins, i, path, sizeof(path));
		if (bpf_obj_pin(*recorder_object_fd(&copy, row(i)), path) < 0) {
			int saved = errno;

			bpf_pins_remove(pins);
			return error_set(err, saved, "pin the BPF object `%s`", path);
		}
	}
	return 0;
}

void bpf_pins_remove(const struct bpf_pins *pins)
{
	/* Only in a directory of ours, reached without a symlink: never unlink elsewhere. */
	cleanup_close int dirfd = open(pins->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct error err = { 0 };

	if (dirfd < 0) {
		if (errno != ENOENT)
			log_warning("open the pin directory `%s`: %s", pins->dir, strerror(errno));
		return;
	}
	if (fs_check_own_dir(dirfd, pins->dir, &err) < 0) {
		log_warning("%s: leaving it alone", err.msg);
		return;
	}
	for (size_t i = 0; i < recorder_object_count; i++)
		if (unlinkat(dirfd, row(i)->pin, 0) < 0 && errno != ENOENT)
			log_warning("unpin `%s/%s`: %s", pins->dir, row(i)->pin, strerror(errno));
	if (rmdir(pins->dir) < 0 && errno != ENOENT)
		log_warning("remove the pin directory `%s`: %s", pins->dir, strerror(errno));
}
