// SPDX-License-Identifier: GPL-2.0-or-later
/* The built-in base sets, where each comes from, and the file form. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "profile/base_sets.h"
#include "base/cleanup.h"
#include "profile/profile.h"
#include "profile/profile_format.h"

/*
 * runc 1.1 (measured with runc 1.1.5 under podman 4.3): with no_new_privileges off, podman's
 * default, runc installs the filter and then finishes its own setup under it, in Go, before it
 * execs the workload. These are the calls of that stretch: a container recorded under one
 * runtime (e.g. crun, or `record`), or recorded without a filter (implicit_calls.c), and run
 * under runc needs them. Measured as the union over 8 recordings of a container running a
 * static program that only exits, minus that program's own calls, plus the Go scheduler calls
 * implicit_calls.c lists. Measured again on 2026-12-03 from bundles (tests/bench/runtime-calls.sh:
 * 8 recordings with a filter that allows everything, less 8 without linux.seccomp): with
 * no_new_privileges off, capget capset chdir close epoll_ctl faccessat2 fcntl fstat fstatfs
 * getcwd getdents64 getpid getppid newfstatat openat prctl read setgid setgroups setuid write
 * in 8 of 8 (futex in 3, rt_sigreturn in 1), all by runc:[2:INIT]; with no_new_privileges on
 * (`runc spec`'s default: the filter goes in after the exec fifo) close epoll_ctl fstatfs
 * getdents64 getpid openat write (futex in 2), a subset.
 */
static const char *const runc_set[] = {
	"capget",      "capset",      "chdir",	   "clone",  "clone3",	       "close",
	"epoll_ctl",   "epoll_pwait", "execve",	   "exit",   "faccessat2",     "fcntl",
	"fstat",       "fstatfs",     "futex",	   "getcwd", "getdents64",     "getpid",
	"getppid",     "gettid",      "madvise",   "mmap",   "munmap",	       "nanosleep",
	"newfstatat",  "openat",      "prctl",	   "read",   "rt_sigprocmask", "rt_sigreturn",
	"sched_yield", "setgid",      "setgroups", "setuid", "sigaltstack",    "tgkill",
	"write",
};

/*
 * crun 1.8.1 (measured under podman 4.3, and from bundles on 2026-12-03 with
 * tests/bench/runtime-calls.sh: capset close prctl rt_sigaction rt_sigprocmask setresgid
 * setresuid write in 8 of 8 with no_new_privileges off, close alone with it on; `crun run` has
 * no exec fifo to wait on, podman's create and start add its pselect6 and read): with
 * no_new_privileges off, crun installs the filter
 * and then sets its capabilities and ids, unblocks signals, tells its parent it is ready and
 * waits on the exec fifo, all under the filter. A `podman exec` session's crun also reads
 * /proc/self/setgroups, calls setgroups and chowns the standard streams after the filter. These
 * are the calls of both stretches, the same in each of 20 recordings (explain:on) of a
 * container and in each of 20 exec sessions (strace): a profile recorded under runc, or by
 * `record`, and run under crun needs them.
 */
static const char *const crun_set[] = {
	"capset",    "close",	  "execve", "fchown",	    "ioctl",	      "openat",
	"prctl",     "pselect6",  "read",   "rt_sigaction", "rt_sigprocmask", "setgroups",
	"setresgid", "setresuid", "statx",  "umask",	    "write",
};

/*
 * A runtime that installs the filter as its very last step, right before it execs the
 * workload: only that execve runs under the filter before the workload does.
 */
static const char *const execve_set[] = { "execve", "execveat" };

static const struct {
	const char *name;
	const char *const *names;
	size_t n;
} sets[] = {
	{ "runc", runc_set, sizeof(runc_set) / sizeof(runc_set[0]) },
	{ "crun", crun_set, sizeof(crun_set) / sizeof(crun_set[0]) },
	{ "execve", execve_set, sizeof(execve_set) / sizeof(execve_set[0]) },
};

const char *const *base_sets_names(const char *name, size_t *n)
{
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (strcmp(sets[i].name, name) == 0) {
			*n = sets[i].n;
			return sets[i].names;
		}
	}
	*n = 0;
	return NULL;
}

const char *base_sets_known(void)
{
	return "runc, crun, execve";
}

static int add_name(struct strv *names, const char *name, struct error *err)
{
	if (strv_add_unique(names, name) < 0)
		return error_set(err, ENOMEM, "--base");
	return 0;
}

/* The file form: every name a rule allows unconditionally (SCMP_ACT_ALLOW, no args). */
static int add_file(struct strv *names, const char *path, struct error *err)
{
	cleanup_profile struct profile *p = NULL;

	if (profile_read_any(path, FS_LINKS_FOLLOW_DIRS, &p, NULL, err) < 0)
		return error_prefix(err, "--base: ");
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (strcmp(r->action, "SCMP_ACT_ALLOW") != 0 || r->n_args)
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			if (add_name(names, r->names[j], err) < 0)
				return -1;
	}
	return 0;
}

int base_sets_add(struct strv *names, const char *spec, struct error *err)
{
	const char *const *set;
	size_t n;

	if (strchr(spec, '/'))
		return add_file(names, spec, err);
	set = base_sets_names(spec, &n);
	for (size_t j = 0; set && j < n; j++)
		if (add_name(names, set[j], err) < 0)
			return -1;
	if (set)
		return 0;
	return error_set(err, 0,
			 "--base: unknown set `%s` (known: %s; a path to a profile holds a '/')",
			 spec, base_sets_known());
}
