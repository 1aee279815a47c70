// SPDX-License-Identifier: GPL-2.0-or-later
/* `run -p PROFILE [--enforce] [--json[=FILE]] [--] CMD [ARG...]`: what would the profile deny? */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit_filter.h"
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "audit/denial_report.h"
#include "base/fs.h"
#include "base/log.h"
#include "audit/notify_supervisor.h"
#include "profile/profile.h"

enum { OPT_ENFORCE = 256, OPT_JSON };

/* How the usage names the command: `oci-seccomp-recorder run`, or the static helper by its own
 * name. */
static const char *run_name = "oci-seccomp-recorder run";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s -p PROFILE [--enforce] [--json[=FILE]] [--] CMD [ARG...]\n\n"
		"Run CMD and its children under the seccomp profile PROFILE and report every call\n"
		"the profile denies: its name, architecture, count, and the pids and comms that\n"
		"made it. By default (audit mode) each such call is reported and then allowed, so\n"
		"that one run finds every call the profile lacks. The summary goes to stderr.\n"
		"Exits with CMD's status (128+N when a signal N killed it), 127 when CMD is not\n"
		"found, 126 when it cannot be executed, 125 when `run` itself failed.\n\n"
		"  -p, --profile FILE    the profile (OCI/Docker seccomp JSON)\n"
		"      --enforce         apply the profile as written: a denied call gets the\n"
		"                        profile's errno (kill and trap act too), and is reported\n"
		"      --json[=FILE]     the report as JSON, on stdout (mixed with CMD's output)\n"
		"                        or written to FILE, instead of the summary\n"
		"      --log-level LVL   error, warning, info (default) or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n",
		run_name);
}

static int write_json(const struct denial_report *report, const struct denial_report_info *info,
		      const char *path, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	if (denial_report_json(report, info, &text, &len, err) < 0)
		return -1;
	if (path)
		return fs_write_atomic(path, FS_LINKS_FOLLOW_DIRS, text, len, 0644, err);
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		return error_set(err, errno, "write the report to stdout");
	return 0;
}

struct run_options {
	const char *profile_path; /* -p */
	enum audit_mode mode;	  /* --enforce */
	bool json;		  /* --json[=FILE] */
	const char *json_path;
	char **command;
};

static int own_option(int opt, const char *arg, void *data)
{
	struct run_options *o = data;

	switch (opt) {
	case 'p':
		o->profile_path = arg;
		return 0;
	case OPT_ENFORCE:
		o->mode = AUDIT_MODE_ENFORCE;
		return 0;
	case OPT_JSON:
		o->json = true;
		o->json_path = arg;
		return 0;
	}
	return OPTIONS_UNKNOWN;
}

static const struct option run_longopts[] = {
	{ "profile", required_argument, NULL, 'p' },
	{ "enforce", no_argument, NULL, OPT_ENFORCE },
	{ "json", optional_argument, NULL, OPT_JSON },
	COMMON_OPTIONS,
};

static const struct command_line run_line = {
	.name = "run",
	.usage = usage,
	.shortopts = "+p:hV",
	.longopts = run_longopts,
	.log_level = LOG_LEVEL_INFO,
	.own = own_option,
};

static int parse(int argc, char **argv, struct run_options *o)
{
	int status = options_parse(&run_line, argc, argv, o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (!o->profile_path || optind >= argc)
		return options_usage_error(&run_line, !o->profile_path ?
							      "no profile given (-p PROFILE)" :
							      "no command given");
	o->command = argv + optind;
	return OPTIONS_RUN;
}

/* Run @o->command under the profile; its exit status. */
static int run(const struct run_options *o)
{
	cleanup_profile struct profile *profile = NULL;
	cleanup_audit_filter struct audit_filter filter = { 0 };
	cleanup_denial_report struct denial_report report = { 0 };
	struct supervisor_result res;
	struct denial_report_info info;
	struct error err = { 0 };

	if (o->json_path && fs_check_writable(o->json_path, FS_LINKS_FOLLOW_DIRS, &err) < 0)
		goto fail;
	if (profile_read_file(o->profile_path, FS_LINKS_FOLLOW_DIRS, &profile, &err) < 0)
		goto fail;
	if (audit_filter_build(profile, o->mode, &filter, &err) < 0) {
		error_prefix(&err, "profile `%s` cannot be loaded: ", o->profile_path);
		goto fail;
	}
	if (filter.unknown_names)
		log_info("%zu names in `%s` are unknown to libseccomp here: they are left out, as "
			 "a runtime leaves them out",
			 filter.unknown_names, o->profile_path);
	log_debug("filter: %zu instructions from libseccomp, %zu loaded", filter.profile.len,
		  filter.load.len);

	if (supervisor_run(&filter, o->command, &report, &res, &err) < 0)
		goto fail;
	if (res.exec_errno)
		log_error("cannot execute `%s`: %s", o->command[0], strerror(res.exec_errno));
	/* CMD was not found: no process ran, there is nothing to summarize. */
	if (res.exec_errno && report.calls == 0 && !o->json)
		return res.exit_status;
	if (res.killed_by_sigsys && o->mode == AUDIT_MODE_ENFORCE)
		log_warning(
			"`%s` was killed by SIGSYS: under --enforce the kernel applies the "
			"profile's SCMP_ACT_KILL* and SCMP_ACT_TRAP itself, and such calls are not "
			"in the report; run without --enforce to see them",
			o->command[0]);
	if (res.tree_left)
		log_warning("interrupted while processes `%s` started still run: they are no "
			    "longer supervised, and a call of theirs that the filter notifies (a "
			    "denied call, an execve) now fails with ENOSYS",
			    o->command[0]);

	denial_report_sort(&report);
	if (!o->json) {
		denial_report_print(&report, o->mode == AUDIT_MODE_ENFORCE, stderr);
		return res.exit_status;
	}
	info = (struct denial_report_info){ o->profile_path, o->mode == AUDIT_MODE_ENFORCE,
					    res.exit_status };
	if (write_json(&report, &info, o->json_path, &err) < 0)
		goto fail;
	return res.exit_status;
fail:
	log_error("%s", err.msg);
	return EXIT_RECORDER_FAILED;
}

int cmd_run(int argc, char **argv)
{
	struct run_options o = { .mode = AUDIT_MODE_AUDIT };
	const char *self = argc ? strrchr(argv[0], '/') : NULL;
	int status;

	self = self ? self + 1 : argc ? argv[0] : "run";
	if (strcmp(self, "run") != 0)
		run_name = self; /* oci-seccomp-recorder-run, called as itself */
	status = parse(argc, argv, &o);

	return status == OPTIONS_RUN ? run(&o) : status;
}
