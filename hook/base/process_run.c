// SPDX-License-Identifier: GPL-2.0-or-later
/* fork, exec, read both pipes in one poll loop against a deadline, reap. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "base/cleanup.h"
#include "base/process_run.h"

#define ERR_TAIL 4096

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void child(char *const argv[], int in_fd, int out_fd, int err_fd)
{
	int null = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	syscall(SYS_close_range, 3U, ~0U, 0U);
	signal(SIGPIPE, SIG_DFL);
	execv(argv[0], argv);
	dprintf(STDERR_FILENO, "cannot run `%s`: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* The last non-empty line of @tail. */
static void last_line(const char *tail, size_t n, char *out, size_t size)
{
	size_t end = n, start;

	while (end > 0 && (tail[end - 1] == '\n' || tail[end - 1] == '\r' || tail[end - 1] == ' '))
		end--;
	start = end;
	while (start > 0 && tail[start - 1] != '\n')
		start--;
	snprintf(out, size, "%.*s", (int)(end - start), tail + start);
}

static int read_into(int fd, char **buf, size_t *len, size_t cap, bool keep_tail)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN) ? 1 : 0;
	if (keep_tail && *len + (size_t)n > cap) {
		size_t drop = *len + (size_t)n - cap;

		if (drop > *len)
			drop = *len;
		memmove(*buf, *buf + drop, *len - drop);
		*len -= drop;
	}
	if (*len + (size_t)n > cap)
		return -1;
	memcpy(*buf + *len, chunk, (size_t)n);
	*len += (size_t)n;
	return 1;
}

int process_run(char *const argv[], int timeout_ms, size_t max_out, struct process_result *r,
		struct error *err)
{
	return process_run_input(argv, -1, timeout_ms, max_out, r, err);
}

int process_run_input(char *const argv[], int in_fd, int timeout_ms, size_t max_out,
		      struct process_result *r, struct error *err)
{
	cleanup_free char *tail = malloc(ERR_TAIL + 4096);
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 }, wstatus = 0;
	long long deadline = now_ms() + timeout_ms;
	size_t tail_len = 0;
	bool overflow = false;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->out = malloc(max_out + 4096 + 1);
	if (!r->out || !tail)
		return error_set(err, ENOMEM, "run `%s`", argv[0]);
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
		error_set(err, errno, "pipe for `%s`", argv[0]);
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		error_set(err, errno, "fork for `%s`", argv[0]);
		goto fail;
	}
	if (pid == 0)
		child(argv, in_fd, out_pipe[1], err_pipe[1]);
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	for (int open_fds = 2; open_fds > 0;) {
		struct pollfd fds[2] = { { .fd = out_pipe[0], .events = POLLIN },
					 { .fd = err_pipe[0], .events = POLLIN } };
		long long left = deadline - now_ms();
		int ret;

		if (left <= 0) {
			r->timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		ret = poll(fds, 2, (int)left);
		if (ret < 0 && errno != EINTR)
			break;
		for (int i = 0; ret > 0 && i < 2; i++) {
			int got;

			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = i == 0 ? read_into(fds[i].fd, &r->out, &r->out_len, max_out, false) :
				       read_into(fds[i].fd, &tail, &tail_len, ERR_TAIL, true);
			if (got < 0) {
				overflow = true;
				kill(pid, SIGKILL);
			}
			if (got <= 0) {
				close(fds[i].fd);
				if (i == 0)
					out_pipe[0] = -1;
				else
					err_pipe[0] = -1;
				open_fds--;
			}
		}
	}
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	r->out[r->out_len] = '\0';
	last_line(tail, tail_len, r->err_line, sizeof(r->err_line));
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	if (overflow) {
		process_result_release(r);
		return error_set(err, 0, "`%s` wrote more than %zu bytes", argv[0], max_out);
	}
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	process_result_release(r);
	return -1;
}

void process_result_release(struct process_result *r)
{
	free(r->out);
	r->out = NULL;
	r->out_len = 0;
}

char *process_helper_path(const char *name, const char *env)
{
	const char *given = getenv(env);
	char self[PATH_MAX], *slash, *path = NULL;
	ssize_t n;

	if (given && given[0])
		return strdup(given);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	if (asprintf(&path, "%s/%s", self, name) < 0)
		return NULL;
	return path;
}
