// SPDX-License-Identifier: GPL-2.0-or-later
/* `merge -o OUT [--format F] [--report [--json]] PROFILE...`: one profile of several runs. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "base/log.h"
#include "profile/profile_coverage.h"
#include "profile/profile_format.h"
#include "profile/profile_merge.h"
#include "profile/profile_variant.h"

#define MERGE_OK 0
#define MERGE_ERROR 2

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder merge -o OUT [--format FORMAT] [--name NAME]\n"
		"                                  [--report [--json]] PROFILE...\n\n"
		"Write one profile that allows what every PROFILE allows: the first profile's\n"
		"fields and other rules, the union of the architectures, and one sorted\n"
		"SCMP_ACT_ALLOW rule with every allowed name. A call some PROFILE blocks (a rule\n"
		"with an action other than SCMP_ACT_ALLOW or SCMP_ACT_LOG) stays blocked.\n"
		"PROFILEs are OCI profiles or SeccompProfiles in JSON form. The result is\n"
		"compiled with libseccomp, then written atomically. Exits 0, or 2 on an error.\n\n"
		"  -o, --output FILE     the profile to write (required)\n"
		"      --format FORMAT   oci (default), spo (a SeccompProfile of the Security\n"
		"                        Profiles Operator, %s), or spo-v1beta1\n"
		"                        (operators before 1.0); an OUT ending in .yaml or .yml\n"
		"                        chooses spo\n"
		"      --name NAME       the SeccompProfile's metadata.name (default: OUT's file\n"
		"                        name without extension, made a DNS-1123 name)\n"
		"      --log-variant     also write OUT's .log variant (p.json: p.log.json), the\n"
		"                        same rules with defaultAction SCMP_ACT_LOG\n"
		"      --report          print on stdout in how many PROFILEs (runs) each call\n"
		"                        OUT allows appears, per architecture, and the calls\n"
		"                        seen in one run only: rare paths to review\n"
		"      --json            the report as a JSON object (with --report)\n"
		"      --log-level LVL   error, warning, info (default) or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n",
		PROFILE_SPO_API_VERSION);
}

/* The coverage report on stdout, the inputs named as given. */
static int print_report(const struct profile_coverage *cov, bool json, char *const *paths,
			struct error *err)
{
	const char *const *names = (const char *const *)paths;
	cleanup_free char *text = NULL;
	size_t len;
	int ret;

	ret = json ? profile_coverage_json(cov, names, &text, &len, err) :
		     profile_coverage_text(cov, names, &text, &len, err);
	if (ret < 0)
		return -1;
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		return error_set(err, errno, "write the coverage report to stdout");
	return 0;
}

static void free_inputs(struct profile **v, char **what, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		profile_free(v ? v[i] : NULL);
		free(what ? what[i] : NULL);
	}
	free(v);
	free(what);
}

int cmd_merge(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'F' },
		{ "name", required_argument, NULL, 'N' },
		{ "log-variant", no_argument, NULL, 'G' },
		{ "report", no_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *name = NULL;
	char **what = NULL;
	cleanup_free char *spo_name = NULL;
	struct profile **inputs = NULL;
	struct profile_merge_summary summary;
	cleanup_profile_coverage struct profile_coverage cov = { 0 };
	enum profile_format fmt = PROFILE_FORMAT_OCI;
	bool fmt_given = false, log_variant = false, report = false, json = false;
	struct error err = { 0 };
	size_t n = 0;
	int opt, ret = MERGE_ERROR;

	log_set_level(LOG_LEVEL_INFO);
	while ((opt = getopt_long(argc, argv, "+o:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'F':
			if (profile_format_parse(optarg, &fmt) < 0) {
				log_error("merge: unknown format `%s` (oci, spo or spo-v1beta1)",
					  optarg);
				return MERGE_ERROR;
			}
			fmt_given = true;
			break;
		case 'N':
			name = optarg;
			break;
		case 'G':
			log_variant = true;
			break;
		case 'R':
			report = true;
			break;
		case 'j':
			json = true;
			break;
		case 'L':
			if (log_set_level_named(optarg) < 0)
				return MERGE_ERROR;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			print_version();
			return 0;
		default:
			usage(stderr);
			return MERGE_ERROR;
		}
	}
	if (!output || optind >= argc) {
		log_error(!output ? "merge: no output given (-o OUT)" : "merge: no profile given");
		usage(stderr);
		return MERGE_ERROR;
	}
	if (!fmt_given)
		fmt = profile_format_for_path(output);
	if (json && !report) {
		log_error("merge: --json formats the report: it needs --report");
		return MERGE_ERROR;
	}
	if (name && !profile_format_is_spo(fmt)) {
		log_error("merge: --name names a SeccompProfile: it needs --format spo");
		return MERGE_ERROR;
	}
	/* A bad name is reported before any work. */
	if (profile_format_is_spo(fmt) && profile_spo_name_for(name, output, &spo_name, &err) < 0)
		goto fail;

	n = (size_t)(argc - optind);
	inputs = calloc(n, sizeof(*inputs));
	what = calloc(n, sizeof(*what));
	if (!inputs || !what) {
		error_set(&err, ENOMEM, "merge");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (asprintf(&what[i], "profile `%s`", argv[optind + i]) < 0) {
			what[i] = NULL;
			error_set(&err, ENOMEM, "merge");
			goto fail;
		}
		if (profile_read_any(argv[optind + i], FS_LINKS_FOLLOW_DIRS, &inputs[i], NULL,
				     &err) < 0)
			goto fail;
	}
	/* Counted before the merge, which changes the first input. */
	if (report && profile_coverage_count(inputs, n, &cov, &err) < 0)
		goto fail;
	if (profile_merge(inputs, (const char *const *)what, n, &summary, &err) < 0 ||
	    profile_save_as(inputs[0], output, FS_LINKS_FOLLOW_DIRS, fmt, spo_name, &err) < 0 ||
	    (log_variant &&
	     profile_save_log_variant(inputs[0], output, FS_LINKS_FOLLOW_DIRS, fmt, &err) < 0))
		goto fail;
	log_info("merged %zu profiles: %zu names allowed (%zu left out: blocked in an input), "
		 "%zu rules added from later inputs; %s written to `%s`",
		 n, summary.names_allowed, summary.names_blocked, summary.rules_added,
		 profile_format_is_spo(fmt) ? "SeccompProfile" : "profile", output);
	if (report && (profile_coverage_finish(&cov, inputs[0], &err) < 0 ||
		       print_report(&cov, json, argv + optind, &err) < 0))
		goto fail;
	ret = MERGE_OK;
	goto out;
fail:
	log_error("%s", err.msg);
out:
	free_inputs(inputs, what, n);
	return ret;
}
