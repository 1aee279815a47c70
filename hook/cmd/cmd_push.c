// SPDX-License-Identifier: GPL-2.0-or-later
/* `push [--tls-verify=false] SRC docker://HOST/REPO:TAG`: a profile to a registry, pinned. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "oci/artifact_transfer.h"

#define PUSH_ERROR 2

enum { OPT_TLS_VERIFY = 0x2000 };

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder push [OPTIONS] SRC docker://HOST/REPO[:TAG]\n\n"
		"Push SRC, a profile file (JSON, or a SeccompProfile in JSON form) or an OCI "
		"image\n"
		"layout DIR[:TAG] written by --format oci-artifact, to a registry as a seccomp\n"
		"profile artifact (KEP-6061: one layer, the profile JSON; config media type and\n"
		"artifactType application/vnd.cncf.seccomp-profile.config.v1+json), with skopeo.\n"
		"The profile is checked as runtimes check it first. Prints HOST/REPO@sha256:...,\n"
		"the reference a pod (seccompProfile type OCI) or CRI-O's annotation names.\n"
		"Exits 0, or 2 on an error.\n\n"
		"      --tls-verify=BOOL  false: plain HTTP or an unverified certificate (default "
		"true)\n"
		"      --log-level LVL    error, warning (default), info or debug\n"
		"  -h, --help             this text\n"
		"  -V, --version          the version\n");
}

static int own_option(int opt, const char *arg, void *data)
{
	struct registry_options *o = data;

	if (opt != OPT_TLS_VERIFY)
		return OPTIONS_UNKNOWN;
	if (options_bool(arg, &o->tls_verify) < 0) {
		log_error("push: --tls-verify takes true or false, not `%s`", arg);
		return EXIT_USAGE;
	}
	return 0;
}

static const struct option push_longopts[] = {
	{ "tls-verify", required_argument, NULL, OPT_TLS_VERIFY },
	COMMON_OPTIONS,
};

static const struct command_line push_line = {
	.name = "push",
	.usage = usage,
	.shortopts = "+hV",
	.longopts = push_longopts,
	.log_level = LOG_LEVEL_WARNING,
	.own = own_option,
	.failed_status = PUSH_ERROR,
};

int cmd_push(int argc, char **argv)
{
	struct registry_options o = { .tls_verify = true, .timeout_ms = REGISTRY_TIMEOUT_MS };
	cleanup_free char *pinned = NULL;
	struct error err = { 0 };
	int status = options_parse(&push_line, argc, argv, &o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (argc - optind != 2)
		return options_usage_error(&push_line, "give SRC and docker://HOST/REPO:TAG");
	if (artifact_push(argv[optind], argv[optind + 1], &o, &pinned, &err) < 0) {
		log_error("push: %s", err.msg);
		return PUSH_ERROR;
	}
	printf("%s\n", pinned);
	return 0;
}
