// SPDX-License-Identifier: GPL-2.0-or-later
/* `record [-o FILE] [-i BASE] [--format F] [--args] [--] CMD...`: record a command and its children. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
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
#include "base/log.h"
#include "base/process.h"
#include "profile/profile.h"
#include "profile/profile_format.h"
#include "recording/recording.h"
#include "trace/tracer.h"

static volatile sig_atomic_t child_pid;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder record [-o FILE] [-i BASE] [--args] [--] CMD [ARG...]\n\n"
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
		"                        or spo-v1beta1 (operators before 1.0); a FILE ending in\n"
		"                        .yaml or .yml chooses spo\n"
		"      --name NAME       the SeccompProfile's metadata.name (default: FILE's name\n"
		"                        without extension, made a DNS-1123 name)\n"
		"      --base SET        also allow what the runtime that applies the profile\n"
		"                        needs: runc, crun or execve (see the man page), or a\n"
		"                        profile file whose unconditional allows are added (a path\n"
		"                        with a '/')\n"
		"      --explain         also write FILE.why.json: each call's first caller\n"
		"      --no-fallbacks    no ENOSYS answer for the newer calls the command did not\n"
		"                        make whose callers fall back (clone3, statx...): EPERM\n"
		"      --args            also allow only the argument values the command used for\n"
		"                        socket, socketpair, personality, clone (namespace flags),\n"
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

static char *default_output(const char *cmd, bool spo)
{
	cleanup_free char *copy = strdup(cmd);
	char *path = NULL;

	if (!copy || asprintf(&path, "./%s.seccomp.%s", basename(copy), spo ? "yaml" : "json") < 0)
		return NULL;
	return path;
}

/* Fork CMD stopped before its execve, tag it, let it go. Returns its pid or -1. */
static pid_t start_tagged(struct tracer *t, const struct recording_handle *rec, char **argv,
			  struct error *err)
{
	int go[2], report[2], exec_errno = 0;
	cleanup_close int pidfd = -1;
	pid_t pid;
	ssize_t n;

	if (pipe2(go, O_CLOEXEC) < 0)
		return error_set(err, errno, "pipe");
	if (pipe2(report, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return error_set(err, errno, "pipe");
	}
	pid = fork();
	if (pid < 0) {
		error_set(err, errno, "fork");
		goto fail;
	}
	if (pid == 0) {
		close(go[1]);
		close(report[0]);
		exec_child(go[0], report[1], argv);
	}
	close(go[0]);
	close(report[1]);
	pidfd = pidfd_open_pid(pid);
	if (pidfd < 0 || tracer_tag_process(t, rec, pidfd, err) < 0) {
		if (pidfd < 0)
			error_set(err, errno, "pidfd_open of pid %d", (int)pid);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(go[1]);
		close(report[0]);
		return -1;
	}
	child_pid = pid;
	if (write(go[1], "g", 1) != 1) {
		error_set(err, errno, "start `%s`", argv[0]);
		close(go[1]);
		close(report[0]);
		return -1;
	}
	close(go[1]);
	while ((n = read(report[0], &exec_errno, sizeof(exec_errno))) < 0 && errno == EINTR)
		;
	close(report[0]);
	if (n == sizeof(exec_errno)) {
		waitpid(pid, NULL, 0);
		child_pid = 0;
		return error_set(err, exec_errno, "cannot execute `%s`", argv[0]);
	}
	return pid;
fail:
	close(go[0]);
	close(go[1]);
	close(report[0]);
	close(report[1]);
	return -1;
}

int cmd_record(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "input", required_argument, NULL, 'i' },
		{ "format", required_argument, NULL, 'F' },
		{ "name", required_argument, NULL, 'N' },
		{ "base", required_argument, NULL, 'B' },
		{ "log-variant", no_argument, NULL, 'G' },
		{ "args", no_argument, NULL, 'A' },
		{ "explain", no_argument, NULL, 'E' },
		{ "no-fallbacks", no_argument, NULL, 'n' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	cleanup_free char *output = NULL, *spo_name = NULL;
	cleanup_strv struct strv bases = { 0 };
	struct recording_output out = { .links = FS_LINKS_FOLLOW_DIRS };
	cleanup_profile struct profile *profile = NULL;
	cleanup_tracer struct tracer *tracer = NULL;
	const char *input = NULL, *name = NULL;
	enum profile_format fmt = PROFILE_FORMAT_OCI;
	bool fmt_given = false;
	struct recording_options opts = { 0 };
	struct recording_handle rec;
	struct recording_summary summary;
	struct syscall_set set = { 0 };
	struct sigaction sa = { 0 };
	struct error err = { 0 };
	int opt, status;
	pid_t pid;

	log_set_level(LOG_LEVEL_INFO);
	while ((opt = getopt_long(argc, argv, "+o:i:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			free(output);
			output = strdup(optarg);
			break;
		case 'i':
			input = optarg;
			break;
		case 'F':
			if (profile_format_parse(optarg, &fmt) < 0) {
				log_error("record: unknown format `%s` (oci, spo or spo-v1beta1)",
					  optarg);
				return 2;
			}
			fmt_given = true;
			break;
		case 'N':
			name = optarg;
			break;
		case 'B':
			if (base_sets_add(&bases, optarg, &err) < 0) {
				log_error("record: %s", err.msg);
				return 2;
			}
			break;
		case 'G':
			out.log_variant = true;
			break;
		case 'A':
			opts.keep_args = true;
			break;
		case 'E':
			opts.explain = true;
			break;
		case 'n':
			out.no_fallbacks = true;
			break;
		case 'L':
			if (log_set_level_named(optarg) < 0)
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			print_version();
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		log_error("record: no command given");
		usage(stderr);
		return 2;
	}
	if (!output) {
		output = default_output(argv[optind], profile_format_is_spo(fmt));
		if (!output) {
			log_error("record: out of memory");
			return EXIT_RECORDER_FAILED;
		}
		log_info("no -o given: the profile goes to `%s`", output);
	}
	if (!fmt_given)
		fmt = profile_format_for_path(output);
	if (name && !profile_format_is_spo(fmt)) {
		log_error("record: --name names a SeccompProfile: it needs --format spo");
		return 2;
	}
	/* A name that cannot be used is reported before the command runs. */
	if (profile_format_is_spo(fmt) && profile_spo_name_for(name, output, &spo_name, &err) < 0) {
		log_error("record: %s", err.msg);
		return 2;
	}

	if (input && profile_read_file(input, FS_LINKS_FOLLOW_DIRS, &profile, &err) < 0)
		goto fail;
	if (!profile && !(profile = profile_new())) {
		error_set(&err, ENOMEM, "new profile");
		goto fail;
	}
	/* A base the format cannot express is reported before the command runs. */
	if (profile_format_is_spo(fmt)) {
		cleanup_free char *text = NULL;
		size_t len;

		if (profile_serialize_as(profile, fmt, spo_name, &text, &len, &err) < 0)
			goto fail;
	}
	if (fs_check_writable(output, FS_LINKS_FOLLOW_DIRS, &err) < 0)
		goto fail;
	if (tracer_open(&tracer, &err) < 0 || tracer_recording_new(tracer, &opts, &rec, &err) < 0)
		goto fail;

	/* Ctrl-C reaches CMD through the terminal; TERM and HUP sent to us are passed on. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sa.sa_handler = forward_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	pid = start_tagged(tracer, &rec, argv + optind, &err);
	if (pid < 0) {
		log_error("%s", err.msg);
		return err.errnum == ENOENT ? 127 : 126;
	}
	status = wait_for_child(pid);
	child_pid = 0;

	out.path = output;
	out.format = fmt;
	out.spo_name = spo_name;
	out.extra = (const char *const *)bases.v;
	out.n_extra = bases.n;
	if (tracer_collect(tracer, &rec, &set, &err) < 0 ||
	    recording_finish(&set, profile, &out, &summary, &err) < 0) {
		syscall_set_release(&set);
		goto fail;
	}
	syscall_set_release(&set);
	if (summary.names_by_value)
		log_info("%zu of the names are allowed for their recorded argument values only, "
			 "in %zu rules", summary.names_by_value, summary.value_rules);
	log_info("recorded %llu calls: %zu distinct names allowed (%zu signal-return and "
		 "runtime calls added unseen)%s; profile written to `%s`",
		 (unsigned long long)set.calls, summary.names_added, summary.names_implicit,
		 summary.names_in_base ? " (more kept as the base profile says)" : "", output);
	return status;
fail:
	log_error("%s", err.msg);
	return EXIT_RECORDER_FAILED;
}
