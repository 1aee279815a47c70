// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor's loader.
 *   floor                  loads and attaches the empty tp_btf/sys_enter program, prints
 *                          "attached", and keeps it attached until SIGTERM or SIGINT.
 *   floor --storage CMD... attaches the empty program and the task-storage lookup beside it,
 *                          runs CMD tagged (its lookups hit), and exits with its status.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "empty.skel.h"

/* libbpf's warnings only: they say why a load or an attach failed. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Run @argv with its task tagged in the program's task storage; its exit status. */
static int run_tagged(struct empty_bpf *skel, char **argv)
{
	int go[2], pidfd, status;
	__u32 one = 1;
	pid_t pid;
	char c;

	if (pipe2(go, O_CLOEXEC) < 0) {
		fprintf(stderr, "floor: pipe: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "floor: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "floor: exec `%s`: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 ||
	    bpf_map_update_elem(bpf_map__fd(skel->maps.tagged), &pidfd, &one, BPF_ANY)) {
		fprintf(stderr, "floor: tag pid %d: %s\n", (int)pid, strerror(errno));
		kill(pid, SIGKILL);
	}
	if (write(go[1], "g", 1) != 1)
		kill(pid, SIGKILL);
	close(go[1]);
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* "NAME ns/run N (R runs)" from the kernel's run-time statistics (kernel.bpf_stats_enabled). */
static void print_run_time(const char *name, const struct bpf_program *prog)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) < 0 || !info.run_cnt) {
		printf("%s ns/run n/a (no statistics: kernel.bpf_stats_enabled is 0?)\n", name);
		return;
	}
	printf("%s ns/run %.1f (%llu runs)\n", name, (double)info.run_time_ns / info.run_cnt,
	       (unsigned long long)info.run_cnt);
}

int main(int argc, char **argv)
{
	bool storage = argc > 2 && strcmp(argv[1], "--storage") == 0;
	struct empty_bpf *skel;
	sigset_t stop;
	int sig, ret;

	/* Blocked before the attach, so a signal sent right after "attached" is not lost. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (!storage && sigprocmask(SIG_BLOCK, &stop, NULL) < 0) {
		fprintf(stderr, "floor: block SIGTERM and SIGINT: %s\n", strerror(errno));
		return 1;
	}
	libbpf_set_print(libbpf_print);

	skel = empty_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: opening the BPF object failed: %s\n", strerror(errno));
		return 1;
	}
	if (!storage)
		bpf_program__set_autoload(skel->progs.storage_sys_enter, false);
	ret = empty_bpf__load(skel);
	if (ret) {
		fprintf(stderr, "floor: loading the BPF programs failed: %s\n", strerror(-ret));
		empty_bpf__destroy(skel);
		return 1;
	}
	ret = empty_bpf__attach(skel);
	if (ret) {
		fprintf(stderr, "floor: attaching to tp_btf/sys_enter failed: %s\n",
			strerror(-ret));
		empty_bpf__destroy(skel);
		return 1;
	}
	if (storage) {
		ret = run_tagged(skel, argv + 2);
		print_run_time("empty_sys_enter", skel->progs.empty_sys_enter);
		print_run_time("storage_sys_enter", skel->progs.storage_sys_enter);
		empty_bpf__destroy(skel);
		return ret;
	}
	printf("attached\n");
	fflush(stdout);

	while ((ret = sigwait(&stop, &sig)) == EINTR)
		;
	empty_bpf__destroy(skel);
	return ret ? 1 : 0;
}
