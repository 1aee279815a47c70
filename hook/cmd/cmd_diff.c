// SPDX-License-Identifier: GPL-2.0-or-later
/* `diff [--json] OLD NEW`: the calls NEW lets run that OLD does not, and the reverse. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
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
		"each added call's line ends with its first caller: `  first by EXE (COMM, pid N)`.\n"
		"OLD and NEW are OCI profiles or SeccompProfiles in JSON form.\n"
		"Exits 0 when NEW needs nothing OLD does not allow, 1 when it does, 2 on an\n"
		"error.\n\n"
		"      --json            the differences as a JSON object {added, removed}\n"
		"      --log-level LVL   error, warning (default), info or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n");
}

int cmd_diff(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	cleanup_profile struct profile *old_p = NULL, *new_p = NULL;
	cleanup_free char *text = NULL, *old_what = NULL, *new_what = NULL;
	struct provenance why = { 0 };
	struct profile_diff diff;
	struct error err = { 0 };
	bool json = false;
	size_t len;
	int opt, ret;

	log_set_level(LOG_LEVEL_WARNING);
	while ((opt = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'L':
			if (log_set_level_named(optarg) < 0)
				return DIFF_ERROR;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			print_version();
			return 0;
		default:
			usage(stderr);
			return DIFF_ERROR;
		}
	}
	if (argc - optind != 2) {
		log_error("diff: give two profiles, OLD and NEW");
		usage(stderr);
		return DIFF_ERROR;
	}
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
