// SPDX-License-Identifier: GPL-2.0-or-later
/* `diff [--json] OLD NEW`: the calls NEW lets run that OLD does not, and the reverse. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/log.h"
#include "hints/hints.h"
#include "profile/profile_diff.h"
#include "profile/profile_format.h"
#include "profile/provenance.h"

/* Exit statuses: a CI gate fails on DIFF_NEW_CALLS. */
#define DIFF_SAME_OR_FEWER 0
#define DIFF_NEW_CALLS 1
#define DIFF_ERROR 2

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder diff [--json] OLD NEW\n\n"
		"Print the calls profile NEW lets run that OLD does not (`+ NAME (ARCH...)`),\n"
		"then those OLD lets run that NEW does not (`- NAME (ARCH...)`), per\n"
		"architecture.\n"
		"A call allowed only under argument conditions is its own item:\n"
		"`+ personality [arg0 == 0] (SCMP_ARCH_X86_64)`. SCMP_ACT_LOG counts as allowed.\n"
		"When NEW has a why file (NEW.why.json, from `explain:on` or `record --explain`),\n"
		"each added call's line ends with its first caller: `  first by EXE (COMM, pid "
		"N)`.\n"
		"When NEW has a hints file (NEW.hints.json, from `hints:on` or `record --hints`),\n"
		"its calls follow as `? NAME  may be needed: WHY` lines (text form only).\n"
		"OLD and NEW are OCI profiles or SeccompProfiles in JSON form.\n"
		"Exits 0 when NEW needs nothing OLD does not allow, 1 when it does, 2 on an\n"
		"error.\n\n"
		"      --json            the differences as a JSON object {added, removed}\n"
		"      --log-level LVL   error, warning (default), info or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n");
}

struct diff_options {
	bool json;
	const char *old_path, *new_path; /* OLD and NEW */
};

static int own_option(int opt, const char *arg, void *data)
{
	struct diff_options *o = data;

	(void)arg;
	if (opt != 'j')
		return OPTIONS_UNKNOWN;
	o->json = true;
	return 0;
}

static const struct option diff_longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	COMMON_OPTIONS,
};

static const struct command_line diff_line = {
	.name = "diff",
	.usage = usage,
	.shortopts = "+hV",
	.longopts = diff_longopts,
	.log_level = LOG_LEVEL_WARNING,
	.own = own_option,
};

/* argv -> @o. */
static int parse(int argc, char **argv, struct diff_options *o)
{
	int status = options_parse(&diff_line, argc, argv, o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (argc - optind != 2)
		return options_usage_error(&diff_line, "give two profiles, OLD and NEW");
	o->old_path = argv[optind];
	o->new_path = argv[optind + 1];
	return OPTIONS_RUN;
}

/* The differences on stdout: DIFF_NEW_CALLS or DIFF_SAME_OR_FEWER, or -1 with @err set. */
static int run(const struct diff_options *o, struct error *err)
{
	cleanup_profile struct profile *old_p = NULL, *new_p = NULL;
	cleanup_free char *text = NULL, *old_what = NULL, *new_what = NULL;
	cleanup_provenance struct provenance why = { 0 };
	cleanup_profile_diff struct profile_diff diff = { 0 };
	cleanup_hints struct hints hints = { 0 };
	size_t len;
	int ret;

	if (asprintf(&old_what, "OLD `%s`", o->old_path) < 0 ||
	    asprintf(&new_what, "NEW `%s`", o->new_path) < 0)
		return error_set(err, 0, "diff: out of memory");
	if (profile_read_any(o->old_path, FS_LINKS_FOLLOW_DIRS, &old_p, NULL, err) < 0)
		return error_prefix(err, "diff: OLD: ");
	if (profile_read_any(o->new_path, FS_LINKS_FOLLOW_DIRS, &new_p, NULL, err) < 0 ||
	    provenance_read(o->new_path, FS_LINKS_FOLLOW_DIRS, &why, err) < 0 ||
	    (!o->json && hints_read(o->new_path, FS_LINKS_FOLLOW_DIRS, &hints, err) < 0))
		return error_prefix(err, "diff: NEW: ");
	if (profile_diff(old_p, old_what, new_p, new_what, &diff, err) < 0)
		return -1;
	ret = o->json ? profile_diff_json(&diff, why.v ? &why : NULL, &text, &len, err) :
			profile_diff_text(&diff, why.v ? &why : NULL, &text, &len, err);
	if (ret < 0)
		return -1;
	if (fwrite(text, 1, len, stdout) != len)
		return error_set(err, 0, "diff: cannot write the differences to stdout");
	for (size_t i = 0; i < hints.n; i++) {
		cleanup_free char *line = hints_line(&hints.v[i]);

		printf("%s\n", line ? line : "? (out of memory)");
	}
	if (fflush(stdout) != 0)
		return error_set(err, 0, "diff: cannot write the differences to stdout");
	return diff.n_added ? DIFF_NEW_CALLS : DIFF_SAME_OR_FEWER;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_options o = { 0 };
	struct error err = { 0 };
	int status = parse(argc, argv, &o);

	if (status == OPTIONS_RUN && (status = run(&o, &err)) < 0)
		log_error("%s", err.msg);
	return status < 0 ? DIFF_ERROR : status;
}
