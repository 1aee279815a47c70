// SPDX-License-Identifier: GPL-2.0-or-later
/* `diff [--json] OLD NEW`: the calls NEW lets run that OLD does not, and the reverse. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/log.h"
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
		"OLD and NEW are OCI profiles or SeccompProfiles in JSON form.\n"
		"Exits 0 when NEW needs nothing OLD does not allow, 1 when it does, 2 on an\n"
		"error.\n\n"
		"      --json            the differences as a JSON object {added, removed}\n"
		"      --log-level LVL   error, warning (default), info or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n");
}

static int own_option(int opt, const char *arg, void *data)
{
	(void)arg;
	if (opt != 'j')
		return OPTIONS_UNKNOWN;
	*(bool *)data = true;
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		COMMON_OPTIONS,
	};
	cleanup_profile struct profile *old_p = NULL, *new_p = NULL;
	cleanup_free char *text = NULL, *old_what = NULL, *new_what = NULL;
	struct provenance why = { 0 };
	struct profile_diff diff;
	struct error err = { 0 };
	bool json = false;
	const struct command_line c = { .name = "diff",
					.usage = usage,
					.shortopts = "+hV",
					.longopts = longopts,
					.log_level = LOG_LEVEL_WARNING,
					.own = own_option };
	size_t len;
	int ret = options_parse(&c, argc, argv, &json, NULL);

	if (ret != OPTIONS_RUN)
		return ret;
	if (argc - optind != 2)
		return options_usage_error(&c, "give two profiles, OLD and NEW");
	if (asprintf(&old_what, "OLD `%s`", argv[optind]) < 0 ||
	    asprintf(&new_what, "NEW `%s`", argv[optind + 1]) < 0) {
		log_error("diff: out of memory");
		return DIFF_ERROR;
	}
	if (profile_read_any(argv[optind], FS_LINKS_FOLLOW_DIRS, &old_p, NULL, &err) < 0) {
		error_prefix(&err, "diff: OLD: ");
		goto fail;
	}
	if (profile_read_any(argv[optind + 1], FS_LINKS_FOLLOW_DIRS, &new_p, NULL, &err) < 0) {
		error_prefix(&err, "diff: NEW: ");
		goto fail;
	}
	if (provenance_read(argv[optind + 1], FS_LINKS_FOLLOW_DIRS, &why, &err) < 0) {
		error_prefix(&err, "diff: NEW: ");
		goto fail;
	}
	if (profile_diff(old_p, old_what, new_p, new_what, &diff, &err) < 0) {
		provenance_release(&why);
		goto fail;
	}
	ret = json ? profile_diff_json(&diff, why.v ? &why : NULL, &text, &len, &err) :
		     profile_diff_text(&diff, why.v ? &why : NULL, &text, &len, &err);
	provenance_release(&why);
	if (ret == 0) {
		ret = diff.n_added ? DIFF_NEW_CALLS : DIFF_SAME_OR_FEWER;
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
			log_error("diff: cannot write the differences to stdout");
			ret = DIFF_ERROR;
		}
	}
	profile_diff_clear(&diff);
	if (ret >= 0)
		return ret;
fail:
	log_error("%s", err.msg);
	return DIFF_ERROR;
}
