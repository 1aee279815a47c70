// SPDX-License-Identifier: GPL-2.0-or-later
/* `score PROFILE [--against DEFAULT] [--json] [--max-risk N]`: how much a profile lets run. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/log.h"
#include "profile/profile_format.h"
#include "profile/profile_score.h"

/* Exit statuses: a CI gate fails on SCORE_TOO_RISKY. */
#define SCORE_OK 0
#define SCORE_TOO_RISKY 1
#define SCORE_ERROR 2

enum { OPT_AGAINST = 256, OPT_JSON, OPT_MAX_RISK };

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder score [--against DEFAULT] [--json] [--max-risk N]\n"
		"                                  PROFILE\n\n"
		"Score a profile: how many calls it allows per ABI (the architectures it lists),\n"
		"how many calls DEFAULT allows that it blocks, and which calls of a high-risk set\n"
		"it still allows (ptrace, bpf, mount, unshare, socket(AF_ALG), clone with\n"
		"CLONE_NEW* flags, ...). What a profile allows is what libseccomp's filter for it\n"
		"lets run, argument conditions included. PROFILE and DEFAULT are OCI profiles or\n"
		"SeccompProfiles in JSON form; rules with includes/excludes are taken as podman\n"
		"applies them to a container with its default capabilities.\n"
		"Exits 0, 1 when --max-risk is exceeded, 2 on an error.\n\n"
		"      --against FILE    the default to compare with (default, when present:\n"
		"                        %s)\n"
		"      --json            the score as a JSON object\n"
		"      --max-risk N      exit 1 when more than N high-risk entries are allowed\n"
		"      --log-level LVL   error, warning (default), info or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n",
		PROFILE_SCORE_PODMAN_DEFAULT);
}

static int parse_count(const char *s, size_t *out)
{
	unsigned long long n;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = (size_t)n;
	return 0;
}

/* The default given, or podman's when present; NULL when neither. */
static const char *default_path(const char *against)
{
	if (against)
		return against;
	if (access(PROFILE_SCORE_PODMAN_DEFAULT, F_OK) == 0)
		return PROFILE_SCORE_PODMAN_DEFAULT;
	log_warning("score: no --against and no `%s`: scoring without the comparison",
		    PROFILE_SCORE_PODMAN_DEFAULT);
	return NULL;
}

struct score_options {
	const char *against;
	bool json;
	bool max_given;
	size_t max_risk;
	const char *path; /* PROFILE */
};

static int own_option(int opt, const char *arg, void *data)
{
	struct score_options *o = data;

	switch (opt) {
	case OPT_AGAINST:
		o->against = arg;
		return 0;
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_MAX_RISK:
		if (parse_count(arg, &o->max_risk) < 0) {
			log_error("score: --max-risk takes a count, not `%s`", arg);
			return SCORE_ERROR;
		}
		o->max_given = true;
		return 0;
	}
	return OPTIONS_UNKNOWN;
}

static const struct option score_longopts[] = {
	{ "against", required_argument, NULL, OPT_AGAINST },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "max-risk", required_argument, NULL, OPT_MAX_RISK },
	COMMON_OPTIONS,
};

static const struct command_line score_line = {
	.name = "score",
	.usage = usage,
	/* Options may follow PROFILE: no command line of another program comes after it. */
	.shortopts = "hV",
	.longopts = score_longopts,
	.log_level = LOG_LEVEL_WARNING,
	.own = own_option,
};

/* argv -> @o. */
static int parse(int argc, char **argv, struct score_options *o)
{
	int status = options_parse(&score_line, argc, argv, o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (argc - optind != 1)
		return options_usage_error(&score_line, "give one profile");
	o->path = argv[optind];
	return OPTIONS_RUN;
}

/* The score on stdout: SCORE_OK or SCORE_TOO_RISKY, or -1 with @err set. */
static int run(const struct score_options *o, struct error *err)
{
	cleanup_profile struct profile *profile = NULL, *def = NULL;
	cleanup_profile_score struct profile_score score = { 0 };
	cleanup_free char *text = NULL;
	const char *def_path;
	size_t len;
	int ret;

	if (profile_read_any(o->path, FS_LINKS_FOLLOW_DIRS, &profile, NULL, err) < 0)
		return error_prefix(err, "score: ");
	def_path = default_path(o->against);
	if (def_path && profile_read_any(def_path, FS_LINKS_FOLLOW_DIRS, &def, NULL, err) < 0)
		return error_prefix(err, "score: the default: ");
	if (profile_score(profile, def, &score, err) < 0)
		return error_prefix(err, "score `%s`: ", o->path);
	ret = o->json ? profile_score_json(&score, o->path, def_path, &text, &len, err) :
			profile_score_text(&score, o->path, def_path, &text, &len, err);
	if (ret < 0)
		return -1;
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		return error_set(err, 0, "score: cannot write the score to stdout");
	if (o->max_given && score.risks_allowed > o->max_risk) {
		log_error("score: high-risk entries allowed: %zu, more than --max-risk %zu",
			  score.risks_allowed, o->max_risk);
		return SCORE_TOO_RISKY;
	}
	return SCORE_OK;
}

int cmd_score(int argc, char **argv)
{
	struct score_options o = { 0 };
	struct error err = { 0 };
	int status = parse(argc, argv, &o);

	if (status == OPTIONS_RUN && (status = run(&o, &err)) < 0)
		log_error("%s", err.msg);
	return status < 0 ? SCORE_ERROR : status;
}
