// SPDX-License-Identifier: GPL-2.0-or-later
/* Prestart's side of the tracer: read the container, fork the tracer, wait for its word. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "oci/tracer_handshake.h"
#include "recording/implicit_calls.h"

#define COMM_READ_MAX 64 /* a task's comm is 16 bytes: more is not a comm */
#define RUNTIME_EXE_MAX 256

/* Open /proc/@pid/ns/@kind into *@fd; *@inum gets the namespace's number. */
static int open_ns(pid_t pid, const char *kind, int *fd, uint32_t *inum, struct error *err)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, kind);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st) < 0)
		return error_set(err, errno, "read the %s namespace of pid %d", kind, (int)pid);
	*inum = (uint32_t)st.st_ino;
	return 0;
}

int tracer_handshake_namespaces(struct container_trace *ct, struct error *err)
{
	cleanup_close int pid_fd = -1, mnt_fd = -1, own_pid_fd = -1, own_mnt_fd = -1;
	uint32_t own_pid_ns, own_mnt_ns;
	pid_t pid = ct->pid;

	if (open_ns(pid, "pid", &pid_fd, &ct->pid_ns, err) < 0 ||
	    open_ns(pid, "mnt", &mnt_fd, &ct->mnt_ns, err) < 0 ||
	    open_ns(getpid(), "pid", &own_pid_fd, &own_pid_ns, err) < 0 ||
	    open_ns(getpid(), "mnt", &own_mnt_fd, &own_mnt_ns, err) < 0)
		return -1;
	if (syscall(SYS_pidfd_send_signal, ct->pidfd, 0, NULL, 0) < 0)
		return error_set(err, errno == ESRCH ? 0 : errno,
				 errno == ESRCH ? "container pid %d exited while its namespaces "
						  "were read" :
						  "check that container pid %d still runs",
				 (int)pid);
	if (ct->mnt_ns == own_mnt_ns)
		ct->mnt_ns = 0;
	if (ct->pid_ns == own_pid_ns || ct->mnt_ns)
		ct->pid_ns = 0;
	if (!ct->pid_ns && !ct->mnt_ns)
		return error_set(err, 0,
				 "container pid %d shares the host's pid and mount "
				 "namespaces: refusing to record the host",
				 (int)pid);
	/* Only the namespaces registered are held. */
	ct->pid_ns_fd = ct->pid_ns ? TAKE_FD(pid_fd) : -1;
	ct->mnt_ns_fd = ct->mnt_ns ? TAKE_FD(mnt_fd) : -1;
	return 0;
}

/* The text of /proc/@pid/exe into @buf ("" when unreadable). */
static void read_exe(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
}

uint32_t tracer_handshake_runtime(pid_t pid, char *seen, size_t size)
{
	cleanup_close int fd = -1;
	cleanup_free char *comm = NULL;
	struct error ignored = { 0 };
	char path[64], exe[RUNTIME_EXE_MAX];
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fs_read_fd(fd, path, COMM_READ_MAX, &comm, &len, &ignored) < 0) {
		snprintf(seen, size, "its comm unreadable");
		return RUNTIME_UNKNOWN;
	}
	comm[strcspn(comm, "\n")] = '\0';
	read_exe(pid, exe, sizeof(exe));
	snprintf(seen, size, "comm `%s`, executable `%s`", comm, exe);
	return implicit_calls_runtime(comm, exe);
}

/* Wait for the tracer's first word; on timeout it is killed. */
static int wait_attached(int fd, pid_t tracer, int timeout_ms, struct error *err)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char msg[ERROR_MSG_MAX + 16];
	ssize_t n;
	int ret;

	while ((ret = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (ret == 0) {
		kill(tracer, SIGKILL);
		return error_set(err, 0, "the tracer did not attach within %d ms", timeout_ms);
	}
	n = read(fd, msg, sizeof(msg) - 1);
	if (n <= 0)
		return error_set(err, n < 0 ? errno : 0, "the tracer ended before it attached");
	msg[n] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	if (strcmp(msg, "ok") == 0)
		return 0;
	return error_set(err, 0, "the tracer failed: %s",
			 strncmp(msg, "error: ", 7) == 0 ? msg + 7 : msg);
}

int tracer_handshake_start(struct container_trace *ct, int timeout_ms,
			   volatile sig_atomic_t *started, struct error *err)
{
	cleanup_close int hook_end = -1, tracer_end = -1;
	int fds[2];
	pid_t tracer;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_set(err, errno, "pipe");
	hook_end = fds[0], tracer_end = fds[1];
	fflush(NULL);
	tracer = fork();
	if (tracer < 0)
		return error_set(err, errno, "fork the tracer");
	if (tracer == 0) {
		close(TAKE_FD(hook_end));
		ct->report_fd = TAKE_FD(tracer_end);
		container_tracer_run(ct);
	}
	*started = tracer;
	/* The tracer's end closed here: its exit is an end of file, not a wait for the timeout. */
	close(TAKE_FD(tracer_end));
	if (wait_attached(hook_end, tracer, timeout_ms, err) < 0)
		return -1;
	ct->reserved.tmp[0] = '\0';
	return 0;
}
