// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The child loads the filter right before its execve, so CMD's own calls (the execve
 * included) are under it and ours are not. The listener reaches us by pidfd_getfd: the child
 * says which descriptor it will be before it loads, and the filter notifies its execve
 * whatever the profile says (the gate of audit_filter.h), so it cannot run CMD, and close
 * the listener, before we hold the listener and answer. No call of the child has to be
 * allowed for the hand-over, and none is.
 *
 * A notified task waits until answered: the loop below does nothing but answer, read the
 * child's messages, forward signals, and notice the end of CMD and of what it left running.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "base/cleanup.h"
#include "base/log.h"
#include "audit/notify_supervisor.h"
#include "base/process.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* The highest errno a seccomp answer carries (the kernel's MAX_ERRNO). */
#define MAX_ERRNO 4095

/* Between tries to take the listener from the child: it is loading it right now. */
#define TAKE_WAIT_MIN_US 20
#define TAKE_WAIT_MAX_US 10000

extern char **environ;

/* What the child tells the parent through the report pipe. */
enum child_msg_kind {
	MSG_LISTENER_FD = 1, /* before the load: the descriptor the listener will get */
	MSG_SETUP_FAILED,    /* before the load: errno */
	MSG_LOAD_FAILED,     /* the filter was not loaded: errno */
	MSG_EXEC_FAILED,     /* execve failed under the filter: errno */
};

struct child_msg {
	int32_t kind;
	int32_t value;
};

struct session {
	const struct audit_filter *filter;
	enum audit_mode mode;
	struct denial_report *report;
	pid_t pid;
	int pidfd;
	int child_fd; /* the report pipe's read end */
	int sigfd;
	int listener;
	int exec_errno;
	bool reaped; /* s->pid is no longer ours to signal or wait for */
};

/* The child's messages; the parent holds the read end, so only a profile can fail one. */
static void send_msg(int fd, enum child_msg_kind kind, int value)
{
	struct child_msg msg = { kind, value };
	ssize_t n = write(fd, &msg, sizeof(msg));

	(void)n;
}

/*
 * _exit spelled out, not called: before a noreturn call a sanitizer runs a hook of its own,
 * whose calls would be CMD's to the filter. Like glibc's _exit, a trap ends a task whose
 * profile denies both exits.
 */
static void child_exit(int status)
{
	syscall(SYS_exit_group, status);
	syscall(SYS_exit, status);
	__builtin_trap();
}

/* Without CAP_SYS_ADMIN the kernel wants no_new_privs; before 5.19 it has no killable wait. */
static int load_filter(const struct bpf_prog *prog)
{
	struct sock_fprog fprog = { .len = (unsigned short)prog->len, .filter = prog->insns };
	unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER |
			      SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	bool nnp = false;
	int fd;

	for (;;) {
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
		if (fd >= 0)
			return fd;
		if (errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV))
			flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		else if (errno == EACCES && !nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
			nnp = true;
		else
			return -1;
	}
}

/*
 * From the load on, every call here is CMD's as far as the filter knows: only execve, and
 * when it fails, one write and exit_group.
 */
static void __attribute__((noreturn)) run_child(const struct audit_filter *f, int report_fd,
						const char *path, char **argv, const sigset_t *mask)
{
	const char *base = strrchr(path, '/');
	int nr, e;

	if (sigprocmask(SIG_SETMASK, mask, NULL) < 0) {
		send_msg(report_fd, MSG_SETUP_FAILED, errno);
		_exit(EXIT_FAILURE);
	}
	/* The execve is reported under the name the kernel gives CMD once it runs. */
	prctl(PR_SET_NAME, base ? base + 1 : path, 0, 0, 0);
	/* The lowest free descriptor is the one the kernel gives the listener. */
	nr = fcntl(report_fd, F_DUPFD, 0);
	if (nr < 0) {
		send_msg(report_fd, MSG_SETUP_FAILED, errno);
		_exit(EXIT_FAILURE);
	}
	close(nr);
	send_msg(report_fd, MSG_LISTENER_FD, nr);
	if (load_filter(&f->load) < 0) {
		send_msg(report_fd, MSG_LOAD_FAILED, errno);
		_exit(EXIT_FAILURE);
	}
	execve(path, argv, environ);
	e = errno;
	send_msg(report_fd, MSG_EXEC_FAILED, e);
	child_exit(e == ENOENT ? 127 : 126);
	__builtin_unreachable();
}

/* 1 with a message, 0 at end of file (the child exec'd or died), -1 on error. */
static int read_msg(int fd, struct child_msg *msg)
{
	ssize_t n;

	while ((n = read(fd, msg, sizeof(*msg))) < 0 && errno == EINTR)
		;
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	if (n != sizeof(*msg)) {
		errno = EPROTO;
		return -1;
	}
	return 1;
}

static const char *load_hint(int e)
{
	if (e == EBUSY)
		return " (a seccomp supervisor already watches this process: `run` cannot be "
		       "nested, nor run where a runtime installed a notifying filter)";
	if (e == EINVAL)
		return " (the kernel refused the filter)";
	return "";
}

static int child_failed(const struct child_msg *msg, struct error *err)
{
	if (msg->kind != MSG_LOAD_FAILED)
		return error_set(err, msg->value, "preparing the child failed");
	error_set(err, 0, "loading the filter in the child failed: %s%s", strerror(msg->value),
		  load_hint(msg->value));
	err->errnum = msg->value;
	return -1;
}

static bool is_listener(int fd)
{
	uint64_t id = 0;

	/* Only a listener knows this ioctl; it knows no notification 0. */
	return ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0 && errno == ENOENT;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/*
 * Take the listener out of the child. Its number comes first; then the child loads, which
 * takes microseconds, and blocks in its (notified) execve. Returns 1 with s->listener set, 0
 * when the child died first (the kernel killed it, or a signal), -1 on failure.
 */
static int take_listener(struct session *s, struct error *err)
{
	struct pollfd child = { s->child_fd, POLLIN, 0 };
	long wait_us = TAKE_WAIT_MIN_US;
	struct child_msg msg;
	struct timespec start;
	int ret, nr;

	ret = read_msg(s->child_fd, &msg);
	if (ret < 0)
		return error_set(err, errno, "read from the child");
	if (ret == 0)
		return 0;
	if (msg.kind != MSG_LISTENER_FD)
		return child_failed(&msg, err);
	nr = msg.value;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int fd = (int)syscall(SYS_pidfd_getfd, s->pidfd, nr, 0);
		struct timespec wait = { 0, wait_us * 1000 };

		if (fd >= 0) {
			if (!is_listener(fd)) {
				close(fd);
				return error_set(err, 0,
						 "descriptor %d of the child (pid %d) is not "
						 "its seccomp listener",
						 nr, (int)s->pid);
			}
			/* 6.6+: the caller and we hand the CPU to each other, a call costs less. */
			ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
			      SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
			s->listener = fd;
			return 1;
		}
		if (errno != EBADF && errno != ESRCH)
			return error_set(err, errno,
					 "pidfd_getfd of descriptor %d of pid %d "
					 "(ptrace access to the child is needed)",
					 nr, (int)s->pid);
		ret = ppoll(&child, 1, &wait, NULL);
		if (ret < 0 && errno != EINTR)
			return error_set(err, errno, "poll the child");
		if (ret > 0) {
			ret = read_msg(s->child_fd, &msg);
			if (ret < 0)
				return error_set(err, errno, "read from the child");
			if (ret == 0)
				return 0;
			return child_failed(&msg, err);
		}
		if (elapsed_ms(&start) > SUPERVISOR_LISTENER_TIMEOUT_MS)
			return error_set(err, 0,
					 "the child (pid %d) did not load its filter within "
					 "%d ms",
					 (int)s->pid, SUPERVISOR_LISTENER_TIMEOUT_MS);
		wait_us = wait_us * 2 > TAKE_WAIT_MAX_US ? TAKE_WAIT_MAX_US : wait_us * 2;
	}
}

/* The comm of a task stopped in a notified call; false if it cannot be read. */
static bool read_comm(pid_t pid, char *comm, size_t size)
{
	char path[64];
	cleanup_close int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, comm, size - 1);
	if (n <= 0)
		return false;
	comm[n] = '\0';
	return true;
}

/*
 * The answer that makes the call do what the profile says. In enforce mode: the profile's
 * errno; -ENOSYS for TRACE and NOTIFY, as the kernel answers them with no tracer or listener
 * of their own; kill and trap never reach us there (the kernel applies them). LOG allows.
 */
static void fill_answer(const struct session *s, uint32_t verdict, struct seccomp_notif_resp *resp)
{
	uint32_t action = verdict & SECCOMP_RET_ACTION_FULL;
	uint32_t data = verdict & SECCOMP_RET_DATA;

	if (action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG || s->mode == AUDIT_MODE_AUDIT)
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (action == SECCOMP_RET_ERRNO)
		resp->error = -(int32_t)(data > MAX_ERRNO ? MAX_ERRNO : data);
	else
		resp->error = -ENOSYS;
}

/* Receive one notification, answer it, count it when the profile denies the call. */
static int answer(struct session *s, struct error *err)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	char comm[DENIAL_COMM_LEN + 1];
	bool have_comm = false, denied;
	uint32_t verdict;

	memset(&req, 0, sizeof(req));
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
		/* The caller was killed before we took its call. */
		if (errno == ENOENT || errno == EINTR)
			return 0;
		return error_set(err, errno, "receive a seccomp notification");
	}
	verdict = audit_filter_verdict(s->filter, &req.data);
	denied = (verdict & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	fill_answer(s, verdict, &resp);
	/* The pid is the caller's only while the call is pending: read, then check it still is. */
	if (denied &&
	    denial_report_wants_comm(s->report, req.data.arch, req.data.nr, (pid_t)req.pid))
		have_comm = read_comm((pid_t)req.pid, comm, sizeof(comm)) &&
			    ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) == 0;
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0) {
		/* Killed meanwhile, or (before 5.19) interrupted: a restarted call comes again. */
		if (errno == ENOENT)
			return 0;
		return error_set(err, errno, "answer a seccomp notification of pid %u", req.pid);
	}
	if (!denied)
		return 0;
	return denial_report_add(s->report, req.data.arch, req.data.nr, verdict, (pid_t)req.pid,
				 have_comm ? comm : NULL, (const uint64_t *)req.data.args, err);
}

/*
 * While CMD runs, TERM and HUP go on to it; INT and QUIT reach it from the terminal by
 * themselves. Once CMD is gone, any of them ends the wait for what it left running: true.
 */
static bool take_signals(const struct session *s, bool cmd_done)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (cmd_done)
			stop = true;
		else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGHUP)
			syscall(SYS_pidfd_send_signal, s->pidfd, (int)si.ssi_signo, NULL, 0);
	}
	return stop;
}

static int child_message(struct session *s, bool *eof, struct error *err)
{
	struct child_msg msg;
	int ret = read_msg(s->child_fd, &msg);

	if (ret < 0)
		return error_set(err, errno, "read from the child");
	*eof = ret == 0;
	if (ret > 0 && msg.kind == MSG_EXEC_FAILED)
		s->exec_errno = msg.value;
	return 0;
}

static int wait_child(struct session *s, struct supervisor_result *res, struct error *err)
{
	int status;

	while (waitpid(s->pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_set(err, errno, "wait for pid %d", (int)s->pid);
	s->reaped = true;
	if (WIFSIGNALED(status)) {
		res->exit_status = 128 + WTERMSIG(status);
		res->killed_by_sigsys = WTERMSIG(status) == SIGSYS;
	} else {
		res->exit_status = WEXITSTATUS(status);
	}
	return 0;
}

/* Whether tasks still run under the filter: the listener hangs up when none does. */
static bool filter_in_use(const struct session *s)
{
	struct pollfd p = { s->listener, POLLIN, 0 };

	return poll(&p, 1, 0) >= 0 && !(p.revents & POLLHUP);
}

enum { POLL_LISTENER, POLL_PIDFD, POLL_CHILD, POLL_SIGNALS, POLL_COUNT };

/*
 * Answer until no task uses the filter any more. CMD is reaped when it ends; what it left
 * running is still answered (as strace -f follows it), since without us its denied calls,
 * and its execve, would fail with ENOSYS. A signal then ends the wait.
 */
static int supervise(struct session *s, struct supervisor_result *res, struct error *err)
{
	struct pollfd p[POLL_COUNT] = {
		[POLL_LISTENER] = { s->listener, POLLIN, 0 },
		[POLL_PIDFD] = { s->pidfd, POLLIN, 0 },
		[POLL_CHILD] = { s->child_fd, POLLIN, 0 },
		[POLL_SIGNALS] = { s->sigfd, POLLIN, 0 },
	};
	bool cmd_done = false, eof;

	for (;;) {
		if (poll(p, POLL_COUNT, -1) < 0) {
			if (errno == EINTR)
				continue;
			return error_set(err, errno, "poll");
		}
		if (p[POLL_LISTENER].revents & POLLIN) {
			if (answer(s, err) < 0)
				return -1;
		} else if (p[POLL_LISTENER].revents) {
			/* Nobody uses the filter; CMD did until reaped, so this comes after. */
			if (!cmd_done && wait_child(s, res, err) < 0)
				return -1;
			break;
		}
		if (p[POLL_CHILD].revents) {
			if (child_message(s, &eof, err) < 0)
				return -1;
			if (eof)
				p[POLL_CHILD].fd = -1;
		}
		if (p[POLL_SIGNALS].revents && take_signals(s, cmd_done)) {
			res->tree_left = true;
			break;
		}
		if (p[POLL_PIDFD].revents) {
			if (wait_child(s, res, err) < 0)
				return -1;
			cmd_done = true;
			p[POLL_PIDFD].fd = -1;
			if (filter_in_use(s))
				log_info(
					"the command (pid %d) exited; waiting for the processes it "
					"left running (interrupt to stop)",
					(int)s->pid);
		}
	}
	/* What the child said before it exec'd or died is still in the pipe. */
	while (p[POLL_CHILD].fd >= 0) {
		if (child_message(s, &eof, err) < 0)
			return -1;
		if (eof)
			p[POLL_CHILD].fd = -1;
	}
	return 0;
}

static int run_session(struct session *s, struct supervisor_result *res, struct error *err)
{
	int ret = take_listener(s, err);

	if (ret < 0 || (ret > 0 && supervise(s, res, err) < 0)) {
		/* Unanswered, CMD's tree would wait forever: end CMD, at least. */
		if (!s->reaped) {
			syscall(SYS_pidfd_send_signal, s->pidfd, SIGKILL, NULL, 0);
			waitpid(s->pid, NULL, 0);
		}
		return -1;
	}
	/* The child died before it could use the filter (the kernel killed its execve). */
	if (ret == 0 && wait_child(s, res, err) < 0)
		return -1;
	res->exec_errno = s->exec_errno;
	return 0;
}

int supervisor_run(struct audit_filter *f, char **argv, struct denial_report *report,
		   struct supervisor_result *res, struct error *err)
{
	cleanup_free char *path = NULL;
	cleanup_close int sigfd = -1, pidfd = -1, listener = -1, child_fd = -1, report_fd = -1;
	struct session s = { .filter = f, .mode = f->mode, .report = report, .listener = -1 };
	struct signalfd_siginfo si;
	sigset_t block, old;
	int pipefd[2], e, ret = -1;

	memset(res, 0, sizeof(*res));
	e = command_resolve(argv[0], &path);
	if (e == ENOMEM)
		return error_set(err, e, "run `%s`", argv[0]);
	if (e) {
		res->exec_errno = e;
		res->exit_status = e == ENOENT ? 127 : 126;
		return 0;
	}
	/* The child's execve passes this very pointer: that call, and only that, is gated. */
	audit_filter_gate_exec(f, (uint64_t)(uintptr_t)path);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &block, &old) < 0)
		return error_set(err, errno, "sigprocmask");
	sigfd = signalfd(-1, &block, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sigfd < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		error_set(err, errno, "%s", sigfd < 0 ? "signalfd" : "pipe");
		goto out;
	}
	child_fd = pipefd[0];
	report_fd = pipefd[1];
	s.pid = fork();
	if (s.pid < 0) {
		error_set(err, errno, "fork");
		goto out;
	}
	if (s.pid == 0) {
		close(TAKE_FD(child_fd));
		run_child(f, report_fd, path, argv, &old);
	}
	/* Only the child writes: its end of the pipe reads EOF when the child is gone. */
	close(TAKE_FD(report_fd));
	s.child_fd = child_fd;
	s.sigfd = sigfd;
	s.pidfd = pidfd = pidfd_open_pid(s.pid);
	if (pidfd < 0) {
		error_set(err, errno, "pidfd_open of pid %d", (int)s.pid);
		kill(s.pid, SIGKILL);
		waitpid(s.pid, NULL, 0);
		goto out;
	}
	ret = run_session(&s, res, err);
	listener = s.listener;
out:
	/* Signals taken but not read would act once unblocked. */
	while (sigfd >= 0 && read(sigfd, &si, sizeof(si)) == sizeof(si))
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
