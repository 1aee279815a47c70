// SPDX-License-Identifier: GPL-2.0-or-later
/* `record [-o FILE] [-i BASE] [--format F] [--args] [--] CMD...`: record a command and its
 * children. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "base/cleanup.h"
#include "profile/base_sets.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/log.h"
#include "base/process.h"
#include "profile/profile.h"
#include "profile/profile_target.h"
#include "recording/recording.h"
#include "trace/tracer.h"

static volatile sig_atomic_t child_pid;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder record [-o FILE] [-i BASE] [--args] [--] CMD "
		"[ARG...]\n\n"
		"Run CMD, record every system call it and its children make from its execve on,\n"
		"and write a default-deny seccomp profile that allows exactly those calls.\n"
		"Exits with CMD's status (128+N when a signal N killed it), 125 when recording\n"
		"or writing the profile failed.\n\n"
		"  -o, --output FILE     profile to write (default: ./CMD.seccomp.json, or\n"
		"                        ./CMD.seccomp.yaml with --format spo)\n"
		"  -i, --input BASE      base profile: its rules are kept, and a call it mentions\n"
		"                        is not added again (blocked stays blocked)\n"
		"      --format FORMAT   oci (default), spo (a SeccompProfile of the Security\n"
		"                        Profiles Operator, " PROFILE_SPO_API_VERSION "),\n"
		"                        spo-v1beta1 (operators before 1.0), or oci-artifact\n"
		"                        (FILE is DIR[:TAG], an OCI image layout holding the\n"
		"                        profile as a KEP-6061 artifact, tag `latest` by default;\n"
		"                        its digest is printed); a FILE ending in .yaml or .yml\n"
		"                        chooses spo\n"
		"      --name NAME       the SeccompProfile's metadata.name (default: FILE's name\n"
		"                        without extension, made a DNS-1123 name)\n"
		"      --base SET        also allow what the runtime that applies the profile\n"
		"                        needs: runc, crun or execve (see the man page), or a\n"
		"                        profile file whose unconditional allows are added (a "
		"path\n"
		"                        with a '/')\n"
		"      --explain         also write FILE.why.json: each call's first caller\n"
		"      --hints[=log]     also write FILE.hints.json: the calls the binaries that\n"
		"                        ran (and their libraries) can make and FILE does not\n"
		"                        allow; with =log they are allowed as SCMP_ACT_LOG too\n"
		"      --no-fallbacks    no ENOSYS answer for the newer calls the command did not\n"
		"                        make whose callers fall back (clone3, statx...): EPERM\n"
		"      --args            also allow only the argument values the command used for\n"
		"                        socket, socketpair, personality, clone (namespace "
		"flags),\n"
		"                        prctl, ioctl and mmap/mprotect (PROT_EXEC)\n"
		"      --log-variant     also write FILE's .log variant (p.json: p.log.json), the\n"
		"                        same rules with defaultAction SCMP_ACT_LOG\n"
		"      --log-level LVL   error, warning, info (default) or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n");
}

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* The child waits for the go byte, so that it is tagged before its execve. */
static void __attribute__((noreturn)) exec_child(int go_fd, int report_fd, char **argv)
{
	char go, *path = NULL;
	int e;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (read(go_fd, &go, 1) != 1)
		_exit(127);
	close(go_fd);
	/* Not execvp: on ENOEXEC it would run the file with /bin/sh and record a shell. */
	e = command_resolve(argv[0], &path);
	if (e == 0) {
		execv(path, argv);
		e = errno;
	}
	if (write(report_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static int wait_for_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_RECORDER_FAILED;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Fork CMD stopped before its execve, tag it, let it go. Returns its pid or -1. */
static pid_t start_tagged(struct tracer *t, const struct recording_handle *rec, char **argv,
			  struct error *err)
{
	cleanup_close int go_read = -1, go_write = -1, report_read = -1, report_write = -1;
	cleanup_close int pidfd = -1;
	int fds[2], exec_errno = 0;
	pid_t pid;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_set(err, errno, "pipe");
	go_read = fds[0], go_write = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_set(err, errno, "pipe");
	report_read = fds[0], report_write = fds[1];
	pid = fork();
	if (pid < 0)
		return error_set(err, errno, "fork");
	if (pid == 0) {
		close(TAKE_FD(go_write));
		close(TAKE_FD(report_read));
		exec_child(go_read, report_write, argv);
	}
	close(TAKE_FD(go_read));
	close(TAKE_FD(report_write));
	pidfd = pidfd_open_pid(pid);
	if (pidfd < 0 || tracer_tag_process(t, rec, pidfd, err) < 0) {
		if (pidfd < 0)
			error_set(err, errno, "pidfd_open of pid %d", (int)pid);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	child_pid = pid;
	if (write(go_write, "g", 1) != 1)
		return error_set(err, errno, "start `%s`", argv[0]);
	close(TAKE_FD(go_write));
	while ((n = read(report_read, &exec_errno, sizeof(exec_errno))) < 0 && errno == EINTR)
		;
	if (n == sizeof(exec_errno)) {
		waitpid(pid, NULL, 0);
		child_pid = 0;
		return error_set(err, exec_errno, "cannot execute `%s`", argv[0]);
	}
	return pid;
}

/* Ctrl-C reaches CMD through the terminal; TERM and HUP sent to us are passed on. */
static void forward_signals(void)
{
	struct sigaction sa = { .sa_handler = forward_signal };

	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

struct record_options {
	struct profile_target_options target; /* -o, --format, --name, --log-variant */
	const char *input;		      /* -i */
	struct strv bases;		      /* --base */
	struct recording_options rec;	      /* --args, --explain, --hints */
	bool no_fallbacks;
	char **command;
};

static int own_option(int opt, const char *arg, void *data)
{
	struct record_options *o = data;
	struct error err = { 0 };

	switch (opt) {
	case 'i':
		o->input = arg;
		return 0;
	case 'B':
		if (base_sets_add(&o->bases, arg, &err) < 0) {
			log_error("record: %s", err.msg);
			return EXIT_USAGE;
		}
		return 0;
	case 'A':
		o->rec.keep_args = true;
		return 0;
	case 'E':
		o->rec.explain = true;
		return 0;
	case 'n':
		o->no_fallbacks = true;
		return 0;
	case 'H':
		if (!hints_mode_parse(arg ? arg : "on", &o->rec.hints) ||
		    o->rec.hints == HINTS_OFF) {
			log_error("record: --hints=%s is neither `on` nor `log`", arg);
			return EXIT_USAGE;
		}
		return 0;
	}
	return OPTIONS_UNKNOWN;
}

static const struct option record_longopts[] = {
	OUTPUT_OPTIONS,
	{ "input", required_argument, NULL, 'i' },
	{ "base", required_argument, NULL, 'B' },
	{ "args", no_argument, NULL, 'A' },
	{ "explain", no_argument, NULL, 'E' },
	{ "no-fallbacks", no_argument, NULL, 'n' },
	{ "hints", optional_argument, NULL, 'H' },
	COMMON_OPTIONS,
};

static const struct command_line record_line = {
	.name = "record",
	.usage = usage,
	.shortopts = "+o:i:hV",
	.longopts = record_longopts,
	.log_level = LOG_LEVEL_INFO,
	.own = own_option,
};

/* argv -> @o and @t: a name that cannot be used is reported before the command runs. */
static int parse(int argc, char **argv, struct record_options *o, struct profile_target *t)
{
	int status = options_parse(&record_line, argc, argv, o, &o->target);

	if (status != OPTIONS_RUN)
		return status;
	if (optind >= argc)
		return options_usage_error(&record_line, "no command given");
	o->command = argv + optind;
	o->target.default_stem = o->command[0];
	o->target.links = FS_LINKS_FOLLOW_DIRS;
	status = options_resolve_target(&record_line, &o->target, t);
	if (status == OPTIONS_RUN && !o->target.path)
		log_info("no -o given: the profile goes to `%s`", t->path);
	return status;
}

static void print_summary(const struct syscall_set *set, const struct recording_summary *summary,
			  const char *path)
{
	if (summary->names_by_value)
		log_info("%zu of the names are allowed for their recorded argument values only, "
			 "in %zu rules",
			 summary->names_by_value, summary->value_rules);
	log_info("recorded %llu calls: %zu distinct names allowed (%zu signal-return and "
		 "runtime calls added unseen)%s; profile written to `%s`",
		 (unsigned long long)set->calls, summary->names_added, summary->names_implicit,
		 summary->names_in_base ? " (more kept as the base profile says)" : "", path);
	if (summary->hints || summary->names_logged)
		log_info("hints: %zu calls the binaries can make are not in the recording%s "
			 "(read in %llu ms); see `%s" HINTS_SUFFIX "`",
			 summary->hints, summary->names_logged ? ", allowed as SCMP_ACT_LOG" : "",
			 (unsigned long long)summary->hints_ms, path);
}

/*
 * Whether @p lets a container runtime start a container: it mentions every call of runc's or
 * crun's --base set (given as --base, or in a base profile written with it).
 */
static bool has_runtime_base(const struct profile *p)
{
	static const char *const runtimes[] = { "runc", "crun" };

	for (size_t r = 0; r < sizeof(runtimes) / sizeof(runtimes[0]); r++) {
		size_t n, i;
		const char *const *names = base_sets_names(runtimes[r], &n);

		for (i = 0; names && i < n && profile_mentions(p, names[i]); i++)
			;
		if (names && i == n)
			return true;
	}
	return false;
}

/* Record @o->command into @t; CMD's exit status. */
static int run(const struct record_options *o, const struct profile_target *t)
{
	struct profile_saved saved = { 0 };
	struct recording_output out = { .target = t,
					.saved = &saved,
					.extra = (const char *const *)o->bases.v,
					.n_extra = o->bases.n,
					.no_fallbacks = o->no_fallbacks,
					.opts = &o->rec,
					.root_fd = -1 };
	cleanup_profile struct profile *profile = NULL;
	cleanup_tracer struct tracer *tracer = NULL;
	struct recording_handle rec;
	struct recording_summary summary;
	struct syscall_set set = { 0 };
	struct error err = { 0 };
	int status, ret;
	pid_t pid;

	if (o->input && profile_read_file(o->input, FS_LINKS_FOLLOW_DIRS, &profile, &err) < 0)
		goto fail;
	if (!profile && !(profile = profile_new())) {
		error_set(&err, ENOMEM, "new profile");
		goto fail;
	}
	/* A base the format cannot express is reported before the command runs. */
	if (profile_target_check(t, profile, NULL, NULL, &err) < 0 ||
	    profile_target_check_writable(t, &err) < 0 || tracer_open(&tracer, &err) < 0 ||
	    tracer_recording_new(tracer, &o->rec, &rec, &err) < 0)
		goto fail;
	forward_signals();
	pid = start_tagged(tracer, &rec, o->command, &err);
	if (pid < 0) {
		log_error("%s", err.msg);
		return err.errnum == ENOENT ? 127 : 126;
	}
	status = wait_for_child(pid);
	child_pid = 0;
	ret = tracer_collect(tracer, &rec, &set, &err);
	if (ret == 0)
		ret = recording_finish(&set, profile, &out, &summary, &err);
	syscall_set_release(&set);
	if (ret < 0)
		goto fail;
	print_summary(&set, &summary, t->path);
	/*
	 * Not decided for the user: `record` cannot know whether the profile will be applied by
	 * a container runtime, and which one; runc's set would widen every other profile.
	 */
	if (!o->bases.n && !has_runtime_base(profile))
		log_warning("`%s` holds no container runtime's calls: a runtime applies it before "
			    "its own execve of the workload, and fails (runc: `operation not "
			    "permitted`); for a container, record with --base runc or --base crun",
			    t->path);
	/* An artifact is named by its digest: what push or a pod's reference needs. */
	if (saved.digest[0])
		printf("%s\n", saved.digest);
	return status;
fail:
	log_error("%s", err.msg);
	return EXIT_RECORDER_FAILED;
}

int cmd_record(int argc, char **argv)
{
	cleanup_profile_target struct profile_target target = { 0 };
	struct record_options o = { 0 };
	int status = parse(argc, argv, &o, &target);

	if (status == OPTIONS_RUN)
		status = run(&o, &target);
	strv_free(&o.bases);
	return status;
}
