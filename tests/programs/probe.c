// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A static test workload that makes exactly the system calls it is asked for, so the tests
 * know what a profile must and must not hold. Built 64-bit and 32-bit (-m32).
 *
 *   probe CALL...     CALL: getcpu sysinfo uname times getpriority sched_yield umask
 *                           getppid, burst:N (N getppid calls), child:CALL (in a forked
 *                           child), sleep:MS (nanosleep), exit:N
 * Prints "CALL ok" or "CALL errno=N" per call; exits 1 when any call failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long raw_call(const char *name)
{
	char buf[4096];

	if (strcmp(name, "getcpu") == 0)
		return syscall(SYS_getcpu, buf, buf + 64, NULL);
	if (strcmp(name, "sysinfo") == 0)
		return syscall(SYS_sysinfo, buf);
	if (strcmp(name, "uname") == 0)
		return syscall(SYS_uname, buf);
	if (strcmp(name, "times") == 0)
		return syscall(SYS_times, buf);
	if (strcmp(name, "getpriority") == 0)
		return syscall(SYS_getpriority, 0, 0);
	if (strcmp(name, "sched_yield") == 0)
		return syscall(SYS_sched_yield);
	if (strcmp(name, "umask") == 0)
		return syscall(SYS_umask, 022);
	if (strcmp(name, "getppid") == 0)
		return syscall(SYS_getppid);
	fprintf(stderr, "probe: unknown call `%s`\n", name);
	exit(2);
}

static int report(const char *name, long ret)
{
	if (ret < 0) {
		printf("%s errno=%d\n", name, errno);
		return 1;
	}
	printf("%s ok\n", name);
	return 0;
}

static int run_one(const char *arg)
{
	if (strncmp(arg, "burst:", 6) == 0) {
		long n = atol(arg + 6);

		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		printf("%s ok\n", arg);
		return 0;
	}
	if (strncmp(arg, "sleep:", 6) == 0) {
		long ms = atol(arg + 6);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		return report(arg, syscall(SYS_nanosleep, &ts, NULL));
	}
	if (strncmp(arg, "exit:", 5) == 0) {
		fflush(stdout);
		_exit(atoi(arg + 5));
	}
	if (strncmp(arg, "child:", 6) == 0) {
		int status;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return report(arg, -1);
		if (pid == 0) {
			int failed = report(arg, raw_call(arg + 6));

			fflush(stdout);
			_exit(failed);
		}
		if (waitpid(pid, &status, 0) < 0)
			return 1;
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	return report(arg, raw_call(arg));
}

int main(int argc, char **argv)
{
	int failed = 0;

	for (int i = 1; i < argc; i++)
		failed |= run_one(argv[i]);
	fflush(stdout);
	return failed;
}
