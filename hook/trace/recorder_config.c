// SPDX-License-Identifier: GPL-2.0-or-later
/* The program's read-only config for this host, from the kernel's own answers and libseccomp. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "profile/syscalls.h"
#include "recorder.h"
#include "trace/recorder_config.h"

#if defined(__x86_64__)
#define I386_NR_GETPID 20

/* getpid on @abi, made by this (64-bit) process: the pid, or what the kernel said instead. */
static long getpid_on(enum recorder_abi abi)
{
	long ret;

	if (abi == ABI_X32)
		return syscall(X32_SYSCALL_BIT | SYS_getpid);
	/* int 0x80 enters the kernel's i386 entry, whatever the caller's mode. */
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(I386_NR_GETPID) : "memory");
	return ret;
}

/*
 * Whether the kernel runs @abi: asked in a child, which a seccomp filter on this process may
 * kill for the attempt (the recorder run inside a container), and which then says no. The
 * answer comes through a pipe: an inherited SIGCHLD of SIG_IGN leaves no exit status to read.
 */
static bool abi_runs(enum recorder_abi abi)
{
	char answer = 0;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return true; /* cannot tell: record it, as before */
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (getpid_on(abi) == getpid())
			(void)!write(fds[1], "y", 1);
		_exit(0);
	}
	close(fds[1]);
	while (pid > 0 && (n = read(fds[0], &answer, 1)) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (pid < 0)
		return true;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return answer == 'y';
}
#else
/* Elsewhere a compat task is one the kernel runs (AArch32 on arm64): none exists otherwise. */
static bool abi_runs(enum recorder_abi abi)
{
	(void)abi;
	return true;
}
#endif

uint32_t recorder_running_abis(void)
{
	uint32_t abis = 1U << ABI_NATIVE;

	for (int abi = ABI_NATIVE + 1; abi < ABI_COUNT; abi++)
		if (syscalls_abi_arch(abi) && abi_runs(abi))
			abis |= 1U << abi;
	return abis;
}

void recorder_config_host(struct recorder_config *cfg)
{
	cfg->nr_execve = syscalls_native_number("execve");
	cfg->nr_execveat = syscalls_native_number("execveat");
	cfg->nr_seccomp = syscalls_native_number("seccomp");
	cfg->nr_prctl = syscalls_native_number("prctl");
	cfg->nr_mmap = syscalls_native_number("mmap");
	cfg->running_abis = recorder_running_abis();
	memset(cfg->caller_calls, 0, sizeof(cfg->caller_calls));
	for (int abi = 0; abi < ABI_COUNT; abi++) {
		if (!((cfg->running_abis >> abi) & 1))
			continue;
		for (int nr = 0; nr < MAX_SYSCALL_NR; nr++) {
			char *name = syscalls_name(abi, nr);

			if (name)
				cfg->caller_calls[abi][nr / 64] |= 1ULL << (nr % 64);
			free(name);
		}
	}
}
