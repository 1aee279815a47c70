// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A static test workload that makes exactly the system calls it is asked for, so the tests
 * know what a profile must and must not hold. Built native, and 32-bit (-m32) on x86.
 *
 *   probe CALL...     CALL: getcpu sysinfo uname times getpriority sched_yield umask
 *                           getppid, and the read-only queries getrusage getitimer getpgrp
 *                           getpgid getsid getresuid getresgid getgroups sched_getscheduler
 *                           sched_getparam sched_get_priority_max sched_get_priority_min
 *                           sched_rr_get_interval sched_getaffinity ioprio_get personality;
 *                           burst:N (N getppid calls), child:CALL (in a forked child),
 *                           sleep:MS (nanosleep), exit:N, touch:PATH (create PATH),
 *                           mkdir:PATH (the mkdir call, mode 0755),
 *                           wait:PATH (until PATH exists, polling every WAIT_POLL_MS);
 *                           socket:DOMAIN socketpair:DOMAIN personality:PERSONA
 *                           prctl:OPTION ioctl:REQUEST mmap:PROT clone:FLAGS
 *                           (see call_with_value);
 *                           spawn, statx (a newer call first, the older on ENOSYS, as
 *                           glibc does: see with_fallback);
 *                           comm:NAME (prctl PR_SET_NAME: the task's name becomes NAME),
 *                           x32:NR (x86_64 only: call NR of the x32 ABI, every argument -1),
 *                           nr:FROM-TO (native numbers FROM to TO, every argument -1; only
 *                           numbers no kernel assigns, from UNASSIGNED_FROM on)
 * Prints "CALL ok" or "CALL errno=N" per call; exits 1 when any call failed.
 * The queries exist on x86_64, i386 and arm64 (but getpgrp, x86's only: an unknown call on
 * arm64) and no libc start-up makes them: a test gives each of several workloads one of its own.
 * touch: and wait: use only open, close and nanosleep.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define WAIT_POLL_MS 10
#define IOPRIO_WHO_PROCESS 1
#define PERSONALITY_QUERY 0xffffffffUL
/* Native numbers from here on are no call on x86_64 (its table ends below 512; x32's are
 * 512-547 with the x32 bit), nor on i386: the kernel answers them ENOSYS. */
#define UNASSIGNED_FROM 548

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
	if (strcmp(name, "getrusage") == 0)
		return syscall(SYS_getrusage, 0 /* RUSAGE_SELF */, buf);
	if (strcmp(name, "getitimer") == 0)
		return syscall(SYS_getitimer, 0 /* ITIMER_REAL */, buf);
#ifdef SYS_getpgrp /* x86 only: arm64's generic table has getpgid alone */
	if (strcmp(name, "getpgrp") == 0)
		return syscall(SYS_getpgrp);
#endif
	if (strcmp(name, "getpgid") == 0)
		return syscall(SYS_getpgid, 0);
	if (strcmp(name, "getsid") == 0)
		return syscall(SYS_getsid, 0);
	if (strcmp(name, "getresuid") == 0)
		return syscall(SYS_getresuid, buf, buf + 8, buf + 16);
	if (strcmp(name, "getresgid") == 0)
		return syscall(SYS_getresgid, buf, buf + 8, buf + 16);
	if (strcmp(name, "getgroups") == 0)
		return syscall(SYS_getgroups, 0, NULL);
	if (strcmp(name, "sched_getscheduler") == 0)
		return syscall(SYS_sched_getscheduler, 0);
	if (strcmp(name, "sched_getparam") == 0)
		return syscall(SYS_sched_getparam, 0, buf);
	if (strcmp(name, "sched_get_priority_max") == 0)
		return syscall(SYS_sched_get_priority_max, 0 /* SCHED_OTHER */);
	if (strcmp(name, "sched_get_priority_min") == 0)
		return syscall(SYS_sched_get_priority_min, 0 /* SCHED_OTHER */);
	if (strcmp(name, "sched_rr_get_interval") == 0)
		return syscall(SYS_sched_rr_get_interval, 0, buf);
	if (strcmp(name, "sched_getaffinity") == 0)
		return syscall(SYS_sched_getaffinity, 0, sizeof(buf), buf);
	if (strcmp(name, "ioprio_get") == 0)
		return syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
	if (strcmp(name, "personality") == 0)
		return syscall(SYS_personality, PERSONALITY_QUERY);
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

static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int wait_for(const char *path)
{
	struct timespec poll = { 0, WAIT_POLL_MS * 1000000L };
	int fd;

	while ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			return -1;
		syscall(SYS_nanosleep, &poll, NULL);
	}
	close(fd);
	return 0;
}

/*
 * Calls with one chosen argument (NUM: decimal or 0x hex): socket:DOMAIN, socketpair:DOMAIN,
 * personality:PERSONA, prctl:OPTION (no other arguments), ioctl:REQUEST (on fd 0), mmap:PROT
 * (an anonymous page), and
 * clone:FLAGS (a child that exits at once; SIGCHLD is added).
 */
static long call_with_value(const char *name, unsigned long value)
{
	int fds[2];
	long ret;

	if (strcmp(name, "socket") == 0) {
		ret = syscall(SYS_socket, value, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (ret >= 0)
			close((int)ret);
		return ret;
	}
	if (strcmp(name, "socketpair") == 0) {
		ret = syscall(SYS_socketpair, value, SOCK_DGRAM | SOCK_CLOEXEC, 0, fds);
		if (ret == 0) {
			close(fds[0]);
			close(fds[1]);
		}
		return ret;
	}
	if (strcmp(name, "personality") == 0)
		return syscall(SYS_personality, value);
	if (strcmp(name, "prctl") == 0)
		return syscall(SYS_prctl, value, 0, 0, 0, 0);
	if (strcmp(name, "ioctl") == 0)
		return syscall(SYS_ioctl, 0, value, 0);
	if (strcmp(name, "mmap") == 0) {
		void *page = mmap(NULL, 4096, (int)value, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (page == MAP_FAILED)
			return -1;
		munmap(page, 4096);
		return 0;
	}
	if (strcmp(name, "clone") == 0) {
		int status;

		fflush(stdout);
		ret = syscall(SYS_clone, value | SIGCHLD, 0, NULL, NULL, 0);
		if (ret == 0)
			syscall(SYS_exit, 0);
		if (ret > 0 && waitpid((pid_t)ret, &status, 0) < 0)
			return -1;
		return ret;
	}
	return -2;
}

/* A child by clone3, by clone when clone3 answers ENOSYS: glibc 2.34's pthread_create. */
static long spawn_with_fallback(const char **used)
{
	struct {
		unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack,
			stack_size, tls;
	} args = { .exit_signal = SIGCHLD };
	int status;
	long ret;

	fflush(stdout);
	*used = "clone3";
	ret = syscall(SYS_clone3, &args, sizeof(args));
	if (ret < 0 && errno == ENOSYS) {
		*used = "clone";
		ret = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
	}
	if (ret == 0)
		syscall(SYS_exit, 0);
	if (ret > 0 && waitpid((pid_t)ret, &status, 0) < 0)
		return -1;
	return ret;
}

/* statx of /, newfstatat when statx answers ENOSYS: glibc's fstatat where statx may be missing. */
static long statx_with_fallback(const char **used)
{
	char buf[512];
	long ret;

	*used = "statx";
	ret = syscall(SYS_statx, AT_FDCWD, "/", 0, 0x7ff /* STATX_BASIC_STATS */, buf);
	if (ret < 0 && errno == ENOSYS) {
#ifdef SYS_newfstatat
		*used = "newfstatat";
		ret = syscall(SYS_newfstatat, AT_FDCWD, "/", buf, 0);
#else
		*used = "fstatat64";
		ret = syscall(SYS_fstatat64, AT_FDCWD, "/", buf, 0);
#endif
	}
	return ret;
}

/* spawn, statx: "NAME ok (CALL)" with the call that worked, or "NAME errno=N". */
static int with_fallback(const char *arg, long (*call)(const char **used))
{
	const char *used = NULL;
	long ret = call(&used);

	if (ret < 0) {
		printf("%s errno=%d\n", arg, errno);
		return 1;
	}
	printf("%s ok (%s)\n", arg, used);
	return 0;
}

/* Call @nr of the x32 ABI (0x40000000 | nr) with arguments no call can take as valid. */
static long x32_call(long nr)
{
#ifdef __x86_64__
	return syscall(0x40000000L | nr, -1L, -1L, -1L, -1L, -1L, -1L);
#else
	(void)nr;
	errno = ENOSYS;
	return -1;
#endif
}

static int run_one(const char *arg)
{
	const char *colon = strchr(arg, ':');

	if (colon && colon[1] >= '0' && colon[1] <= '9') {
		char name[32];
		long ret;

		snprintf(name, sizeof(name), "%.*s", (int)(colon - arg), arg);
		ret = call_with_value(name, strtoul(colon + 1, NULL, 0));
		if (ret != -2)
			return report(arg, ret);
	}
	if (strncmp(arg, "x32:", 4) == 0)
		return report(arg, x32_call(strtol(arg + 4, NULL, 0)));
	if (strncmp(arg, "nr:", 3) == 0) {
		char *dash;
		long from = strtol(arg + 3, &dash, 0), to = *dash == '-' ? atol(dash + 1) : from;

		if (from < UNASSIGNED_FROM) {
			fprintf(stderr, "probe: %s: only numbers from %d on\n", arg,
				UNASSIGNED_FROM);
			exit(2);
		}
		for (long nr = from; nr <= to; nr++)
			syscall(nr, -1L, -1L, -1L, -1L, -1L, -1L);
		printf("%s ok\n", arg);
		return 0;
	}
	if (strncmp(arg, "comm:", 5) == 0)
		return report("comm", prctl(PR_SET_NAME, arg + 5, 0, 0, 0));
	if (strcmp(arg, "spawn") == 0)
		return with_fallback(arg, spawn_with_fallback);
	if (strcmp(arg, "statx") == 0)
		return with_fallback(arg, statx_with_fallback);
	if (strncmp(arg, "touch:", 6) == 0)
		return report(arg, touch(arg + 6));
	if (strncmp(arg, "wait:", 5) == 0)
		return report(arg, wait_for(arg + 5));
	if (strncmp(arg, "mkdir:", 6) == 0)
#ifdef SYS_mkdir
		return report(arg, syscall(SYS_mkdir, arg + 6, 0755));
#else /* arm64: mkdirat only */
		return report(arg, syscall(SYS_mkdirat, AT_FDCWD, arg + 6, 0755));
#endif
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
