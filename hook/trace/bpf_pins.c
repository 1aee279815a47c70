// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pins of the shared program: seven maps, the task iterator (each tracer attaches it for
 * itself) and the three links that keep the programs attached while no tracer holds them.
 * The callers hold the setup lock (tracer.c) around every function here.
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
#include "base/fs.h"
#include "base/log.h"
#include "recorder.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

#define SYSTEM_BPFFS "/sys/fs/bpf"
#define PIN_PREFIX "oci-seccomp-recorder-"

enum pin_kind { PIN_MAP, PIN_PROG, PIN_LINK };

struct pin {
	const char *name;
	enum pin_kind kind;
	unsigned int map_type; /* for maps: what the program declares */
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries; /* 0: not checked (task storage has none) */
};

static const struct pin pins_table[] = {
	{ "task_tags", PIN_MAP, BPF_MAP_TYPE_TASK_STORAGE, sizeof(int), sizeof(struct task_tag), 0 },
	{ "recordings", PIN_MAP, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(struct recording),
	  MAX_RECORDINGS },
	{ "counters", PIN_MAP, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32),
	  sizeof(struct recording_counters), MAX_RECORDINGS },
	{ "namespaces", PIN_MAP, BPF_MAP_TYPE_HASH, sizeof(struct ns_key), sizeof(struct task_tag),
	  MAX_NAMESPACES },
	{ "arg_specs", PIN_MAP, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(struct arg_spec),
	  ABI_COUNT * MAX_SYSCALL_NR },
	{ "arg_values", PIN_MAP, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(struct recording_args),
	  MAX_RECORDINGS },
	{ "first_callers", PIN_MAP, BPF_MAP_TYPE_HASH, sizeof(struct caller_key),
	  sizeof(struct first_caller), MAX_FIRST_CALLERS },
	{ "tag_existing_tasks", PIN_PROG, 0, 0, 0, 0 },
	{ "link_sys_enter", PIN_LINK, 0, 0, 0, 0 },
	{ "link_fork", PIN_LINK, 0, 0, 0, 0 },
	{ "link_exec", PIN_LINK, 0, 0, 0, 0 },
};
#define N_PINS (sizeof(pins_table) / sizeof(pins_table[0]))

/* The descriptor of @o that pin @i holds. */
static int *object_fd(struct recorder_objects *o, size_t i)
{
	int *fds[N_PINS] = { &o->task_tags,
			     &o->recordings,
			     &o->counters,
			     &o->namespaces,
			     &o->arg_specs,
			     &o->arg_values,
			     &o->first_callers,
			     &o->tag_iter_prog,
			     &o->links[RECORDER_LINK_SYS_ENTER],
			     &o->links[RECORDER_LINK_FORK],
			     &o->links[RECORDER_LINK_EXEC] };

	return fds[i];
}

static bool is_bpffs(const char *path)
{
	struct statfs fs;

	return statfs(path, &fs) == 0 && (unsigned long)fs.f_type == BPF_FS_MAGIC;
}

/* A directory of ours: made by root, written by nobody else, reached without a symlink. */
static int check_own_dir(const char *path, struct error *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return error_set(err, errno, "open `%s`", path);
	ret = fs_check_own_dir(fd, path, err);
	close(fd);
	return ret;
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
		 "filesystem", path, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid);
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
			if (mount("bpffs", base, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") < 0)
				return error_set(err, errno, "mount a BPF filesystem on `%s`", base);
			log_debug("mounted a BPF filesystem on `%s`", base);
		}
	}
	len = snprintf(pins->dir, sizeof(pins->dir), "%s/" PIN_PREFIX "%016llx", base, digest);
	if (len < 0 || (size_t)len >= sizeof(pins->dir))
		return error_set(err, ENAMETOOLONG, "pin directory under `%s`", base);
	return 0;
}

static void pin_path(const struct bpf_pins *pins, size_t i, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", pins->dir, pins_table[i].name);
}

bool bpf_pins_complete(const struct bpf_pins *pins)
{
	char path[PATH_MAX + 64];
	struct stat st;

	for (size_t i = 0; i < N_PINS; i++) {
		pin_path(pins, i, path, sizeof(path));
		if (lstat(path, &st) < 0)
			return false;
	}
	return true;
}

static int check_map(int fd, const struct pin *pin, const char *path, struct error *err)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		return error_set(err, errno, "read what the pinned map `%s` is", path);
	if (info.type != pin->map_type || info.key_size != pin->key_size ||
	    info.value_size != pin->value_size ||
	    (pin->max_entries && info.max_entries != pin->max_entries))
		return error_set(err, 0,
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
		return error_set(err, 0, "the pinned program `%s` is not a tracing program (type %u)",
				 path, info.type);
	return 0;
}

int bpf_pins_open(const struct bpf_pins *pins, struct recorder_objects *o, struct error *err)
{
	char path[PATH_MAX + 64];

	recorder_objects_init(o);
	if (check_own_dir(pins->dir, err) < 0)
		return -1;
	for (size_t i = 0; i < N_PINS; i++) {
		int fd;

		/* The links stay pinned: the tracer needs no descriptor of them. */
		if (pins_table[i].kind == PIN_LINK)
			continue;
		pin_path(pins, i, path, sizeof(path));
		fd = bpf_obj_get(path);
		if (fd < 0) {
			int saved = errno;

			recorder_objects_close(o);
			return error_set(err, saved, "open the pinned BPF object `%s`", path);
		}
		*object_fd(o, i) = fd;
		if ((pins_table[i].kind == PIN_MAP ? check_map(fd, &pins_table[i], path, err) :
						     check_prog(fd, path, err)) < 0) {
			recorder_objects_close(o);
			return -1;
		}
	}
	return 0;
}

int bpf_pins_create(const struct bpf_pins *pins, const struct recorder_objects *o,
		    struct error *err)
{
	struct recorder_objects copy = *o;
	char path[PATH_MAX + 64];

	if (make_dir(pins->dir, err) < 0)
		return -1;
	for (size_t i = 0; i < N_PINS; i++) {
		pin_path(pins, i, path, sizeof(path));
		if (bpf_obj_pin(*object_fd(&copy, i), path) < 0) {
			int saved = errno;

			bpf_pins_remove(pins);
			return error_set(err, saved, "pin the BPF object `%s`", path);
		}
	}
	return 0;
}

void bpf_pins_remove(const struct bpf_pins *pins)
{
	struct error err = { 0 };
	int dirfd;

	/* Only in a directory of ours, reached without a symlink: never unlink elsewhere. */
	dirfd = open(pins->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		if (errno != ENOENT)
			log_warning("open the pin directory `%s`: %s", pins->dir, strerror(errno));
		return;
	}
	if (fs_check_own_dir(dirfd, pins->dir, &err) < 0) {
		log_warning("%s: leaving it alone", err.msg);
		close(dirfd);
		return;
	}
	for (size_t i = 0; i < N_PINS; i++)
		if (unlinkat(dirfd, pins_table[i].name, 0) < 0 && errno != ENOENT)
			log_warning("unpin `%s/%s`: %s", pins->dir, pins_table[i].name,
				    strerror(errno));
	close(dirfd);
	if (rmdir(pins->dir) < 0 && errno != ENOENT)
		log_warning("remove the pin directory `%s`: %s", pins->dir, strerror(errno));
}
