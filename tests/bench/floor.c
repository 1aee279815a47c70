// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor's loader: loads and attaches the empty tp_btf/sys_enter program, prints "attached",
 * and keeps it attached until SIGTERM or SIGINT.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "empty.skel.h"

/* libbpf's warnings only: they say why a load or an attach failed. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(void)
{
	struct empty_bpf *skel;
	sigset_t stop;
	int sig, ret;

	/* Blocked before the attach, so a signal sent right after "attached" is not lost. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) < 0) {
		fprintf(stderr, "floor: block SIGTERM and SIGINT: %s\n", strerror(errno));
		return 1;
	}
	libbpf_set_print(libbpf_print);

	skel = empty_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "floor: loading the empty BPF program failed: %s\n", strerror(errno));
		return 1;
	}
	ret = empty_bpf__attach(skel);
	if (ret) {
		fprintf(stderr, "floor: attaching the empty program to tp_btf/sys_enter failed: %s\n",
			strerror(-ret));
		empty_bpf__destroy(skel);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);

	while ((ret = sigwait(&stop, &sig)) == EINTR)
		;
	empty_bpf__destroy(skel);
	return ret ? 1 : 0;
}
