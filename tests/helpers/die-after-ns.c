// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper, preloaded into the hook: once the hook has opened (or stat'ed) the mount
 * namespace of pid $DIE_AFTER_NS_PID, that process is killed and the helper waits until it is
 * gone, as if the container died at the worst moment, between pidfd_open and the namespace
 * read. The hook must notice, not record namespaces of a process that is no more.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Not from <fcntl.h>, whose declarations of open and open64 these definitions would clash with. */
#define CREATES_FILE (0100 /* O_CREAT */ | 020000000 /* __O_TMPFILE */)

static void maybe_kill(const char *path)
{
	const char *pid = getenv("DIE_AFTER_NS_PID");
	char target[64], proc[32];
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	if (!pid)
		return;
	snprintf(target, sizeof(target), "/proc/%s/ns/mnt", pid);
	if (strcmp(path, target) != 0)
		return;
	kill(atoi(pid), SIGKILL);
	snprintf(proc, sizeof(proc), "/proc/%s", pid);
	for (int i = 0; i < 500 && access(proc, F_OK) == 0; i++)
		nanosleep(&tick, NULL);
}

/* The real @name (open or open64), then the kill when @path was the namespace. */
static int open_then_kill(const char *name, const char *path, int flags, unsigned int mode)
{
	int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT,
										     name);
	int fd = real(path, flags, mode);

	if (fd >= 0)
		maybe_kill(path);
	return fd;
}

int open(const char *path, int flags, ...)
{
	unsigned int mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & CREATES_FILE)
		mode = va_arg(ap, unsigned int);
	va_end(ap);
	return open_then_kill("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	unsigned int mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & CREATES_FILE)
		mode = va_arg(ap, unsigned int);
	va_end(ap);
	return open_then_kill("open64", path, flags, mode);
}

/* 53327c8 read the namespaces with stat(2). */
int stat(const char *path, void *st)
{
	int (*real)(const char *, void *) = (int (*)(const char *, void *))dlsym(RTLD_NEXT, "stat");
	int ret = real(path, st);

	if (ret == 0)
		maybe_kill(path);
	return ret;
}
