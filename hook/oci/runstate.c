// SPDX-License-Identifier: GPL-2.0-or-later
/* The status file a tracer holds locked while it records, read by the poststop stage. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "oci/runstate.h"

#define LOCK_POLL_NS (5 * 1000 * 1000)

static const char *const state_names[] = { "running", "ok", "error" };

static int open_state_dir(const char *dir, bool create, struct error *err)
{
	struct stat st;
	int fd;

	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return error_set(err, errno, "create state directory `%s`", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "open state directory `%s`", dir);
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 0022)) {
		close(fd);
		return error_set(
			err, 0,
			"state directory `%s` must belong to uid %u and not be writable by "
			"others",
			dir, (unsigned)geteuid());
	}
	return fd;
}

static void state_name(const char *id, char *name, size_t size)
{
	snprintf(name, size, "%s.status", id);
}

int runstate_finish(int fd, enum runstate state, const char *path, const char *message)
{
	char text[8192];
	int len = snprintf(text, sizeof(text), "%s\n%s\n%s\n", state_names[state], path,
			   message ? message : "");

	if (len < 0 || (size_t)len >= sizeof(text))
		len = (int)sizeof(text) - 1;
	if (ftruncate(fd, 0) < 0 || pwrite(fd, text, (size_t)len, 0) != len)
		return -1;
	return fsync(fd);
}

#define RESERVED_PREFIX "reserved "

int runstate_create(const char *dir, const char *id, const char *path, const char *reserved,
		    struct error *err)
{
	cleanup_close int dirfd = open_state_dir(dir, true, err);
	cleanup_close int fd = -1;
	char name[NAME_MAX + 1];

	if (dirfd < 0)
		return -1;
	state_name(id, name, sizeof(name));
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return error_set(err, errno, "create tracer state `%s/%s`", dir, name);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return error_set(err, errno == EWOULDBLOCK ? 0 : errno,
				 errno == EWOULDBLOCK ? "container %s is already being recorded" :
							"lock tracer state of container %s",
				 id);
	char message[NAME_MAX + 16] = "";

	if (reserved && reserved[0])
		snprintf(message, sizeof(message), RESERVED_PREFIX "%s", reserved);
	if (runstate_finish(fd, RUNSTATE_RUNNING, path, message) < 0)
		return error_set(err, errno, "write tracer state `%s/%s`", dir, name);
	return TAKE_FD(fd);
}

static void read_line(char **cursor, char *out, size_t size)
{
	char *nl = strchr(*cursor, '\n');
	size_t len = nl ? (size_t)(nl - *cursor) : strlen(*cursor);

	snprintf(out, size, "%.*s", (int)len, *cursor);
	*cursor += len + (nl ? 1 : 0);
}

int runstate_wait(const char *dir, const char *id, int timeout_ms, struct runstate_result *result,
		  struct error *err)
{
	cleanup_close int dirfd = open_state_dir(dir, false, err);
	cleanup_close int fd = -1;
	struct timespec start, now, pause = { 0, LOCK_POLL_NS };
	char name[NAME_MAX + 1], text[8192], state[32], *cursor = text;
	ssize_t n;

	if (dirfd < 0)
		return err && err->errnum == ENOENT ? 1 : -1;
	state_name(id, name, sizeof(name));
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : error_set(err, errno, "open `%s/%s`", dir, name);

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(fd, LOCK_SH | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return error_set(err, errno, "lock `%s/%s`", dir, name);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
		    timeout_ms)
			return error_set(err, 0,
					 "the tracer of container %s is still running after %d ms",
					 id, timeout_ms);
		nanosleep(&pause, NULL);
	}
	n = pread(fd, text, sizeof(text) - 1, 0);
	if (n < 0)
		return error_set(err, errno, "read `%s/%s`", dir, name);
	text[n] = '\0';
	read_line(&cursor, state, sizeof(state));
	read_line(&cursor, result->path, sizeof(result->path));
	read_line(&cursor, result->message, sizeof(result->message));
	result->state = RUNSTATE_ERROR;
	for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(state, state_names[i]) == 0)
			result->state = (enum runstate)i;
	unlinkat(dirfd, name, 0);
	return 0;
}

bool runstate_is_running(const char *dir, const char *id)
{
	cleanup_close int dirfd = open_state_dir(dir, false, NULL);

	return dirfd >= 0 && runstate_is_running_at(dirfd, id);
}

bool runstate_is_running_at(int dirfd, const char *id)
{
	cleanup_close int fd = -1;
	char name[NAME_MAX + 1];

	state_name(id, name, sizeof(name));
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	return fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
}

void runstate_discard_reservation(const struct runstate_result *result)
{
	const char *name = result->message + strlen(RESERVED_PREFIX);
	size_t len = strlen(name);
	char dir[sizeof(result->path)];
	char *slash;
	int dirfd;

	/* Only a name fs_reserve makes: hidden, `.tmp`, in the profile's own directory. */
	if (strncmp(result->message, RESERVED_PREFIX, strlen(RESERVED_PREFIX)) != 0 ||
	    name[0] != '.' || len < 5 || strcmp(name + len - 4, ".tmp") != 0 || strchr(name, '/'))
		return;
	snprintf(dir, sizeof(dir), "%s", result->path);
	slash = strrchr(dir, '/');
	if (!slash)
		return;
	slash[slash == dir ? 1 : 0] = '\0';
	dirfd = fs_open_dir(dir, FS_LINKS_NONE, NULL);
	if (dirfd < 0)
		return;
	unlinkat(dirfd, name, 0);
	close(dirfd);
}
