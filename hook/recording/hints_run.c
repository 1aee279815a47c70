// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hints' reading of the binaries, run in the analyze helper (base/analyze_helper.h): the
 * program and its tracers map neither libelf's reader nor capstone's tables unless hints are
 * asked for. The root goes to the helper as its stdin, its messages to our log sinks, and the
 * hints come back as a hints file in a private temporary directory.
 */
#include <errno.h>
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
#include "base/analyze_helper.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/process.h"
#include "base/process_run.h"
#include "base/strv.h"
#include "recording/hints_run.h"

/* The helper's own budget (HINTS_BUDGET_MS) and its start and write, then it is killed. */
#define HINTS_HELPER_TIMEOUT_MS (HINTS_BUDGET_MS + 20000)
#define HELPER_LOG_FD 3

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn)) child(char *const argv[], int root_fd, int log_fd)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (null < 0 || dup2(root_fd, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0)
		_exit(127);
	/* dup2 onto itself would leave the descriptor close-on-exec. */
	if (log_fd == HELPER_LOG_FD && fcntl(log_fd, F_SETFD, 0) < 0)
		_exit(127);
	if (log_fd >= 0 && log_fd != HELPER_LOG_FD && dup2(log_fd, HELPER_LOG_FD) < 0)
		_exit(127);
	syscall(SYS_close_range, log_fd >= 0 ? HELPER_LOG_FD + 1 : HELPER_LOG_FD, ~0U, 0U);
	signal(SIGPIPE, SIG_DFL);
	execv(argv[0], argv);
	log_error("hints: cannot run `%s`: %s", argv[0], strerror(errno));
	_exit(127);
}

/* Until @pid ends or @timeout_ms passes (then SIGKILL); its status, 128 + signal. */
static int wait_helper(pid_t pid, int timeout_ms)
{
	cleanup_close int pidfd = pidfd_open_pid(pid);
	int status = 0;

	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		int ret;

		while ((ret = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
			;
		if (ret == 0) {
			log_warning("hints: the helper ran past %d ms: killed", timeout_ms);
			kill(pid, SIGKILL);
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The helper's command line: our log sinks, the hints file's stem, the executables. */
static int helper_argv(struct strv *argv, const char *helper, const struct log_sinks *sinks,
		       const char *stem, const char *const *exes, size_t n_exes)
{
	char fd_arg[16];
	const char *fixed[] = { helper,
				ANALYZE_CMD_HINTS,
				"--log-level",
				log_level_name(sinks->level),
				"--log-fd",
				fd_arg,
				"--log-context",
				sinks->context,
				sinks->to_stderr ? NULL : "--log-no-stderr",
				sinks->to_syslog ? "--log-syslog" : NULL,
				"--",
				stem };

	snprintf(fd_arg, sizeof(fd_arg), "%d", sinks->fd >= 0 ? HELPER_LOG_FD : -1);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fixed[i] && strv_append(argv, fixed[i]) < 0)
			return -1;
	for (size_t i = 0; i < n_exes; i++)
		if (strv_append(argv, exes[i]) < 0)
			return -1;
	return 0;
}

int hints_run(int root_fd, const char *const *exes, size_t n_exes, struct hints *out,
	      struct error *err)
{
	cleanup_free char *helper = process_helper_path(ANALYZE_HELPER_NAME, ANALYZE_HELPER_ENV);
	char dir[] = "/tmp/oci-seccomp-recorder-hints.XXXXXX", stem[sizeof(dir) + 8];
	cleanup_free char *file = NULL;
	cleanup_strv struct strv argv = { 0 };
	struct log_sinks sinks;
	uint64_t start = now_ms();
	int status, ret;
	pid_t pid;

	if (!helper)
		return error_set(err, ENOMEM, "the path of " ANALYZE_HELPER_NAME);
	if (!mkdtemp(dir))
		return error_set(err, errno, "hints: a temporary directory `%s`", dir);
	snprintf(stem, sizeof(stem), "%s/hints", dir);
	file = hints_path(stem);
	log_sinks_get(&sinks);
	if (!file || helper_argv(&argv, helper, &sinks, stem, exes, n_exes) < 0) {
		rmdir(dir);
		return error_set(err, ENOMEM, "hints: the helper's arguments");
	}
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		rmdir(dir);
		return error_set(err, errno, "hints: fork for `%s`", helper);
	}
	if (pid == 0)
		child(argv.v, root_fd, sinks.fd);
	status = wait_helper(pid, HINTS_HELPER_TIMEOUT_MS);
	ret = status == 0 ? hints_read(stem, FS_LINKS_NONE, out, err) : 1;
	unlink(file);
	rmdir(dir);
	if (ret < 0)
		return -1;
	/* As in hints_collect, a failed reading is logged, never a failure of the recording. */
	if (ret > 0) {
		memset(err, 0, sizeof(*err));
		log_warning("hints: `%s %s` ended with status %d: no binary was read", helper,
			    ANALYZE_CMD_HINTS, status);
	}
	out->elapsed_ms = now_ms() - start;
	return 0;
}
