// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A profile compiled by libseccomp, as runc builds its filter: in a child process bounded in
 * CPU and wall time first, so that a profile that compiles too slowly is an error.
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
#include <sys/resource.h>
#include <sys/wait.h>
#include "base/cleanup.h"
#include "profile/profile.h"
#include "profile/syscalls.h"

static uint32_t scmp_action(const char *name, bool has_errno, uint32_t errno_ret)
{
	if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
		return SCMP_ACT_KILL_THREAD;
	if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
		return SCMP_ACT_KILL_PROCESS;
	if (strcmp(name, "SCMP_ACT_TRAP") == 0)
		return SCMP_ACT_TRAP;
	if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
		return SCMP_ACT_ERRNO(has_errno ? errno_ret : PROFILE_DEFAULT_ERRNO);
	if (strcmp(name, "SCMP_ACT_TRACE") == 0)
		return SCMP_ACT_TRACE(has_errno ? errno_ret : PROFILE_DEFAULT_ERRNO);
	if (strcmp(name, "SCMP_ACT_LOG") == 0)
		return SCMP_ACT_LOG;
	if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
		return SCMP_ACT_NOTIFY;
	return SCMP_ACT_ALLOW;
}

static int add_rule_to_filter(scmp_filter_ctx ctx, const struct profile_rule *r, int nr,
			      uint32_t action)
{
	struct scmp_arg_cmp cmp[PROFILE_MAX_ARGS];
	unsigned int per_index[PROFILE_MAX_ARGS] = { 0 };
	bool same_index_twice = false;

	for (size_t i = 0; i < r->n_args; i++) {
		cmp[i] = (struct scmp_arg_cmp){ r->args[i].index, r->args[i].op, r->args[i].value,
						r->args[i].value_two };
		if (++per_index[r->args[i].index] > 1)
			same_index_twice = true;
	}
	/* As runc: conditions on one argument index are alternatives, on distinct ones all hold. */
	if (!same_index_twice)
		return seccomp_rule_add_array(ctx, action, nr, (unsigned int)r->n_args,
					      r->n_args ? cmp : NULL);
	for (size_t i = 0; i < r->n_args; i++) {
		int ret = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i]);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static int build_filter(const struct profile *p, scmp_filter_ctx *out, size_t *unknown_names,
			struct error *err)
{
	uint32_t default_action = scmp_action(p->default_action, p->has_default_errno_ret,
					      p->default_errno_ret);
	scmp_filter_ctx ctx;
	size_t unknown = 0;
	int ret;

	if (strcmp(p->default_action, "SCMP_ACT_NOTIFY") == 0)
		return error_set(err, 0, "defaultAction SCMP_ACT_NOTIFY needs a supervisor");
	ctx = seccomp_init(default_action);
	if (!ctx)
		return error_set(err, EINVAL, "libseccomp refused the default action %s",
				 p->default_action);
	for (size_t i = 0; i < p->n_arches; i++) {
		uint32_t arch = syscalls_arch_from_name(p->arches[i]);

		ret = seccomp_arch_add(ctx, arch);
		if (ret < 0 && ret != -EEXIST) {
			seccomp_release(ctx);
			return error_set(err, -ret, "libseccomp cannot add architecture %s",
					 p->arches[i]);
		}
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		uint32_t action = scmp_action(r->action, r->has_errno_ret, r->errno_ret);

		if (action == default_action)
			continue;
		for (size_t j = 0; j < r->n_names; j++) {
			int nr = seccomp_syscall_resolve_name(r->names[j]);

			if (nr == __NR_SCMP_ERROR) {
				unknown++;
				continue;
			}
			ret = add_rule_to_filter(ctx, r, nr, action);
			if (ret < 0) {
				seccomp_release(ctx);
				return error_set(err, -ret,
						 "libseccomp rejected rule %zu (%s for %s)", i + 1,
						 r->action, r->names[j]);
			}
		}
	}
	if (unknown_names)
		*unknown_names = unknown;
	*out = ctx;
	return 0;
}

/* Generating the BPF program is what can still fail once every rule was accepted. */
static int export_filter(scmp_filter_ctx ctx, struct error *err)
{
	cleanup_close int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int ret;

	ret = null_fd < 0 ? -errno : seccomp_export_bpf(ctx, null_fd);
	if (ret < 0)
		return error_set(err, -ret, "libseccomp could not generate its filter");
	return 0;
}

/* What profile_check_compiles does, unbounded: build, generate, release. */
static int compile_profile(const struct profile *p, const char *path, struct error *err)
{
	scmp_filter_ctx ctx;
	int ret;

	if (build_filter(p, &ctx, NULL, err) < 0)
		return error_prefix(err, "profile for `%s` does not compile: ", path);
	ret = export_filter(ctx, err);
	seccomp_release(ctx);
	if (ret < 0)
		return error_prefix(err, "profile for `%s`: ", path);
	return 0;
}

/* What profile_build_filter does, unbounded, with the generation its callers do after. */
static int compile_filter(const struct profile *p, const char *path, struct error *err)
{
	scmp_filter_ctx ctx;
	int ret;

	(void)path;
	if (build_filter(p, &ctx, NULL, err) < 0)
		return -1;
	ret = export_filter(ctx, err);
	seccomp_release(ctx);
	return ret;
}

/* A child's verdict on a compile: its result, and its error when it failed. */
struct compile_verdict {
	int ret;
	struct error err;
};

static void __attribute__((noreturn))
compile_child(int fd, int (*compile)(const struct profile *, const char *, struct error *),
	      const struct profile *p, const char *path)
{
	struct rlimit cpu = { PROFILE_COMPILE_CPU_SECONDS, PROFILE_COMPILE_CPU_SECONDS };
	struct compile_verdict v = { 0 };
	const char *data = (const char *)&v;
	size_t left = sizeof(v);

	/* soft == hard: the kernel sends SIGKILL, not a SIGXCPU a caller may have blocked. */
	if (setrlimit(RLIMIT_CPU, &cpu) < 0)
		v.ret = error_set(&v.err, errno, "setrlimit(RLIMIT_CPU) for the compile");
	else
		v.ret = compile(p, path, &v.err);
	while (left > 0) {
		ssize_t n = write(fd, data, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(2);
		data += n;
		left -= (size_t)n;
	}
	_exit(v.ret < 0 ? 1 : 0);
}

static long long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000LL + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Read the child's verdict until it is whole, EOF, or the wall-time bound. Returns bytes read. */
static size_t read_verdict(int fd, struct compile_verdict *v, bool *timed_out)
{
	char *data = (char *)v;
	size_t got = 0;
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	*timed_out = false;
	while (got < sizeof(*v)) {
		long long left = PROFILE_COMPILE_WALL_MS - elapsed_ms(&start);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int ret;

		if (left <= 0) {
			*timed_out = true;
			break;
		}
		ret = poll(&pfd, 1, (int)left);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0) {
			*timed_out = ret == 0;
			break;
		}
		n = read(fd, data + got, sizeof(*v) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/*
 * Run @compile in a child limited to PROFILE_COMPILE_CPU_SECONDS of CPU time (and
 * PROFILE_COMPILE_WALL_MS of wall time), and take its verdict. libseccomp cannot be
 * interrupted, and a compile that is stopped half-way leaves its state unusable: a process of
 * its own is the one thing that can be bounded and thrown away. libseccomp is deterministic,
 * so a profile that compiled in the child compiles as fast again in the caller.
 */
static int compile_bounded(const struct profile *p, const char *path, const char *what,
			   int (*compile)(const struct profile *, const char *, struct error *),
			   struct error *err)
{
	struct compile_verdict v = { 0 };
	int fds[2], status = 0;
	bool timed_out;
	size_t got;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_set(err, errno, "%s: pipe for the compile", what);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error_set(err, errno, "%s: fork for the compile", what);
	}
	if (pid == 0) {
		close(fds[0]);
		compile_child(fds[1], compile, p, path);
	}
	close(fds[1]);
	got = read_verdict(fds[0], &v, &timed_out);
	close(fds[0]);
	if (got < sizeof(v))
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got == sizeof(v)) {
		if (v.ret < 0) {
			*err = v.err;
			err->msg[sizeof(err->msg) - 1] = '\0';
			return -1;
		}
		return 0;
	}
	if (timed_out)
		return error_set(err, 0,
				 "%s: libseccomp did not compile it within %d ms; it is "
				 "refused",
				 what, PROFILE_COMPILE_WALL_MS);
	return error_set(err, 0,
			 "%s: libseccomp did not compile it within %d s of CPU time (%s); it is "
			 "refused, as runc would take as long at every start of a container",
			 what, PROFILE_COMPILE_CPU_SECONDS,
			 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no verdict");
}

int profile_build_filter(const struct profile *p, scmp_filter_ctx *out, size_t *unknown_names,
			 struct error *err)
{
	if (profile_check_limits(p, "the profile", err) < 0 ||
	    compile_bounded(p, NULL, "the profile", compile_filter, err) < 0)
		return -1;
	return build_filter(p, out, unknown_names, err);
}

int profile_compile_bounded(const struct profile *p, const char *path, struct error *err)
{
	char what[4200];

	snprintf(what, sizeof(what), "profile for `%s`", path);
	return compile_bounded(p, path, what, compile_profile, err);
}

int profile_check_compiles(const struct profile *p, const char *path, struct error *err)
{
	char what[4200];

	snprintf(what, sizeof(what), "profile for `%s`", path);
	if (profile_check_limits(p, what, err) < 0)
		return -1;
	return compile_bounded(p, path, what, compile_profile, err);
}
