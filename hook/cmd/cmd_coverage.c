// SPDX-License-Identifier: GPL-2.0-or-later
/* `coverage [--json] PROFILE`: in how many of a workload profile's recordings each call ran. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "oci/workload.h"
#include "profile/profile_runs.h"

#define COVERAGE_OK 0
#define COVERAGE_ERROR 2

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder coverage [--json] PROFILE\n\n"
		"A workload profile (annotation `on;workload:NAME`) is the union of every\n"
		"recording of the workload's container; PROFILE's .runs.json beside it counts the\n"
		"recordings and in how many of them each call ran. Print them: the calls every\n"
		"run made counted, the others by how many runs made them, the rare paths (one\n"
		"run) last. Exits 0, or 2 on an error (no counts beside PROFILE).\n\n"
		"      --json            the counts file itself\n"
		"      --log-level LVL   error, warning (default), info or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n");
}

struct coverage_options {
	bool json;
	const char *path;
};

static int own_option(int opt, const char *arg, void *data)
{
	struct coverage_options *o = data;

	(void)arg;
	if (opt != 'j')
		return OPTIONS_UNKNOWN;
	o->json = true;
	return 0;
}

static const struct option coverage_longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	COMMON_OPTIONS,
};

static const struct command_line coverage_line = {
	.name = "coverage",
	.usage = usage,
	.shortopts = "hV",
	.longopts = coverage_longopts,
	.log_level = LOG_LEVEL_WARNING,
	.own = own_option,
	.failed_status = COVERAGE_ERROR,
};

static int parse(int argc, char **argv, struct coverage_options *o)
{
	int status = options_parse(&coverage_line, argc, argv, o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (optind + 1 != argc)
		return options_usage_error(&coverage_line, optind >= argc ? "no profile given" :
									    "one profile only");
	o->path = argv[optind];
	return OPTIONS_RUN;
}

static int run(const struct coverage_options *o, struct error *err)
{
	cleanup_profile_runs struct profile_runs runs = { 0 };
	cleanup_free char *path = NULL, *text = NULL, *out = NULL;
	size_t len, out_len;

	if (workload_runs_path(o->path, &path, err) < 0 ||
	    fs_read_file(path, FS_LINKS_FOLLOW_DIRS, PROFILE_RUNS_MAX_BYTES, &text, &len, err) < 0)
		return error_prefix(err, "the counts of `%s`: ", o->path);
	if (profile_runs_parse(text, len, path, &runs, err) < 0)
		return -1;
	if ((o->json ? profile_runs_json(&runs, &out, &out_len, err) :
		       profile_runs_text(&runs, &out, &out_len, err)) < 0)
		return -1;
	if (fwrite(out, 1, out_len, stdout) != out_len || fflush(stdout) != 0)
		return error_set(err, errno, "write the counts to stdout");
	return 0;
}

int cmd_coverage(int argc, char **argv)
{
	struct coverage_options o = { 0 };
	struct error err = { 0 };
	int status = parse(argc, argv, &o);

	if (status != OPTIONS_RUN)
		return status;
	if (run(&o, &err) < 0) {
		log_error("%s", err.msg);
		return COVERAGE_ERROR;
	}
	return COVERAGE_OK;
}
