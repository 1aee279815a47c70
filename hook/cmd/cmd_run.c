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

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder run -p PROFILE [--enforce] [--json[=FILE]] [--] CMD [ARG...]\n\n"
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
		"  -V, --version         the version\n");
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

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "enforce", no_argument, NULL, OPT_ENFORCE },
		{ "json", optional_argument, NULL, OPT_JSON },
		COMMON_OPTIONS,
	};
	cleanup_profile struct profile *profile = NULL;
	cleanup_audit_filter struct audit_filter filter = { 0 };
	cleanup_denial_report struct denial_report report = { 0 };
	struct run_options o = { .mode = AUDIT_MODE_AUDIT };
	const struct command_line c = { .name = "run", .usage = usage, .shortopts = "+p:hV",
					.longopts = longopts, .log_level = LOG_LEVEL_INFO,
					.own = own_option };
	const char *profile_path, *json_path;
	enum audit_mode mode;
	struct supervisor_result res;
	struct denial_report_info info;
	struct error err = { 0 };
	bool json;
	int status = options_parse(&c, argc, argv, &o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (!o.profile_path || optind >= argc)
		return options_usage_error(&c, !o.profile_path ? "no profile given (-p PROFILE)" :
								 "no command given");
	profile_path = o.profile_path, json_path = o.json_path, mode = o.mode, json = o.json;
	if (json_path && fs_check_writable(json_path, FS_LINKS_FOLLOW_DIRS, &err) < 0)
		goto fail;
	if (profile_read_file(profile_path, FS_LINKS_FOLLOW_DIRS, &profile, &err) < 0)
		goto fail;
	if (audit_filter_build(profile, mode, &filter, &err) < 0) {
		error_prefix(&err, "profile `%s` cannot be loaded: ", profile_path);
		goto fail;
	}
	if (filter.unknown_names)
		log_info("%zu names in `%s` are unknown to libseccomp here: they are left out, as "
			 "a runtime leaves them out", filter.unknown_names, profile_path);
	log_debug("filter: %zu instructions from libseccomp, %zu loaded", filter.profile.len,
		  filter.load.len);

	if (supervisor_run(&filter, argv + optind, &report, &res, &err) < 0)
		goto fail;
	if (res.exec_errno)
		log_error("cannot execute `%s`: %s", argv[optind], strerror(res.exec_errno));
	/* CMD was not found: no process ran, there is nothing to summarize. */
	if (res.exec_errno && report.calls == 0 && !json)
		return res.exit_status;
	if (res.killed_by_sigsys && mode == AUDIT_MODE_ENFORCE)
		log_warning("`%s` was killed by SIGSYS: under --enforce the kernel applies the "
			    "profile's SCMP_ACT_KILL* and SCMP_ACT_TRAP itself, and such calls are not "
			    "in the report; run without --enforce to see them", argv[optind]);
	if (res.tree_left)
		log_warning("interrupted while processes `%s` started still run: they are no "
			    "longer supervised, and a call of theirs that the filter notifies (a "
			    "denied call, an execve) now fails with ENOSYS", argv[optind]);

	denial_report_sort(&report);
	if (!json) {
		denial_report_print(&report, mode == AUDIT_MODE_ENFORCE, stderr);
		return res.exit_status;
	}
	info = (struct denial_report_info){ profile_path, mode == AUDIT_MODE_ENFORCE,
					    res.exit_status };
	if (write_json(&report, &info, json_path, &err) < 0)
		goto fail;
	return res.exit_status;
fail:
	log_error("%s", err.msg);
	return EXIT_RECORDER_FAILED;
}
