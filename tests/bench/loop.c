// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmark's workload: `loop N` makes N raw getppid calls and prints what one cost, in
 * nanoseconds: by the wall clock (CLOCK_MONOTONIC) and in CPU time (CLOCK_THREAD_CPUTIME_ID),
 * which leaves out the time other tasks had the CPU on a busy machine. Static, so it runs the
 * same on the host, under strace and in a busybox container.
 *
 *   loop N   prints "W ns/call wall, C ns/call CPU (N calls)"
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define NS_PER_SEC 1e9

static double elapsed_ns(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) * NS_PER_SEC +
	       (double)(to->tv_nsec - from->tv_nsec);
}

int main(int argc, char **argv)
{
	struct timespec wall_start, wall_end, cpu_start, cpu_end;
	long long calls;
	char *end;

	if (argc != 2) {
		fprintf(stderr, "usage: loop N\n");
		return 2;
	}
	errno = 0;
	calls = strtoll(argv[1], &end, 10);
	if (errno || *end || calls <= 0) {
		fprintf(stderr, "loop: `%s` is not a positive number of calls\n", argv[1]);
		return 2;
	}

	clock_gettime(CLOCK_MONOTONIC, &wall_start);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_start);
	for (long long i = 0; i < calls; i++)
		syscall(SYS_getppid); /* the raw call: no libc wrapper or cache in between */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_end);
	clock_gettime(CLOCK_MONOTONIC, &wall_end);

	printf("%.2f ns/call wall, %.2f ns/call CPU (%lld calls)\n",
	       elapsed_ns(&wall_start, &wall_end) / (double)calls,
	       elapsed_ns(&cpu_start, &cpu_end) / (double)calls, calls);
	return 0;
}
