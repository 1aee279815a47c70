// SPDX-License-Identifier: GPL-2.0-or-later
/* `merge -o OUT [--format F] [--report [--json]] PROFILE...`: one profile of several runs. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/log.h"
#include "profile/profile_coverage.h"
#include "profile/profile_merge.h"
#include "profile/profile_target.h"

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
		"PROFILEs are OCI profiles, SeccompProfiles in JSON form, or OCI image layouts\n"
		"(DIR or DIR:TAG) holding a profile artifact. The result is\n"
		"compiled with libseccomp, then written atomically. Exits 0, or 2 on an error.\n\n"
		"  -o, --output FILE     the profile to write (required)\n"
		"      --format FORMAT   oci (default), spo (a SeccompProfile of the Security\n"
		"                        Profiles Operator, %s), spo-v1beta1\n"
		"                        (operators before 1.0), or oci-artifact (OUT is\n"
		"                        DIR[:TAG], an OCI image layout; its digest is printed);\n"
		"                        an OUT ending in .yaml or .yml chooses spo\n"
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

struct merge_options {
	struct profile_target_options target; /* -o, --format, --name, --log-variant */
	bool report, json;
	char **paths; /* the PROFILEs */
	size_t n;
};

static int own_option(int opt, const char *arg, void *data)
{
	struct merge_options *o = data;

	(void)arg;
	if (opt == 'R')
		o->report = true;
	else if (opt == 'j')
		o->json = true;
	else
		return OPTIONS_UNKNOWN;
	return 0;
}

static const struct option merge_longopts[] = {
	OUTPUT_OPTIONS,
	{ "report", no_argument, NULL, 'R' },
	{ "json", no_argument, NULL, 'j' },
	COMMON_OPTIONS,
};

static const struct command_line merge_line = {
	.name = "merge",
	.usage = usage,
	.shortopts = "+o:hV",
	.longopts = merge_longopts,
	.log_level = LOG_LEVEL_INFO,
	.own = own_option,
	.failed_status = MERGE_ERROR,
};

/* argv -> @o and @t: a bad name is reported before any work. */
static int parse(int argc, char **argv, struct merge_options *o, struct profile_target *t)
{
	int status = options_parse(&merge_line, argc, argv, o, &o->target);

	if (status != OPTIONS_RUN)
		return status;
	if (!o->target.path || optind >= argc)
		return options_usage_error(&merge_line, !o->target.path ?
								"no output given (-o OUT)" :
								"no profile given");
	if (o->json && !o->report) {
		log_error("merge: --json formats the report: it needs --report");
		return EXIT_USAGE;
	}
	o->paths = argv + optind;
	o->n = (size_t)(argc - optind);
	o->target.links = FS_LINKS_FOLLOW_DIRS;
	return options_resolve_target(&merge_line, &o->target, t);
}

/* The inputs, read; @what names each for the merge's messages. */
struct merge_inputs {
	struct profile **v;
	char **what;
	size_t n;
};

static void merge_inputs_release(struct merge_inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		profile_free(in->v ? in->v[i] : NULL);
		free(in->what ? in->what[i] : NULL);
	}
	free(in->v);
	free(in->what);
}

static int read_inputs(char **paths, size_t n, struct merge_inputs *in, struct error *err)
{
	in->n = n;
	in->v = calloc(n, sizeof(*in->v));
	in->what = calloc(n, sizeof(*in->what));
	if (!in->v || !in->what)
		return error_set(err, ENOMEM, "merge");
	for (size_t i = 0; i < n; i++) {
		if (asprintf(&in->what[i], "profile `%s`", paths[i]) < 0) {
			in->what[i] = NULL;
			return error_set(err, ENOMEM, "merge");
		}
		if (profile_read_any(paths[i], FS_LINKS_FOLLOW_DIRS, &in->v[i], NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int run(const struct merge_options *o, const struct profile_target *t, struct error *err)
{
	cleanup_profile_coverage struct profile_coverage cov = { 0 };
	struct merge_inputs in = { 0 };
	struct profile_merge_summary summary;
	struct profile_saved saved = { 0 };
	int ret = -1;

	if (read_inputs(o->paths, o->n, &in, err) < 0)
		goto out;
	/* Counted before the merge, which changes the first input. */
	if (o->report && profile_coverage_count(in.v, in.n, &cov, err) < 0)
		goto out;
	if (profile_merge(in.v, (const char *const *)in.what, in.n, &summary, err) < 0 ||
	    profile_target_save_saved(t, in.v[0], NULL, &saved, err) < 0)
		goto out;
	if (saved.digest[0])
		printf("%s\n", saved.digest);
	log_info("merged %zu profiles: %zu names allowed (%zu left out: blocked in an input), "
		 "%zu rules added from later inputs; %s written to `%s`",
		 in.n, summary.names_allowed, summary.names_blocked, summary.rules_added,
		 profile_target_kind(t), t->path);
	if (o->report && (profile_coverage_finish(&cov, in.v[0], err) < 0 ||
			  print_report(&cov, o->json, o->paths, err) < 0))
		goto out;
	ret = 0;
out:
	merge_inputs_release(&in);
	return ret;
}

int cmd_merge(int argc, char **argv)
{
	cleanup_profile_target struct profile_target target = { 0 };
	struct merge_options o = { 0 };
	struct error err = { 0 };
	int status = parse(argc, argv, &o, &target);

	if (status != OPTIONS_RUN)
		return status;
	if (run(&o, &target, &err) < 0) {
		log_error("%s", err.msg);
		return MERGE_ERROR;
	}
	return MERGE_OK;
}
