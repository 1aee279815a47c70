// SPDX-License-Identifier: GPL-2.0-or-later
/* `pull [--tls-verify=false] docker://REF -o FILE`: a profile artifact back, checked. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "oci/artifact_transfer.h"

#define PULL_ERROR 2

enum { OPT_TLS_VERIFY = 0x2000 };

struct pull_options {
	struct registry_options registry;
	const char *output;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder pull [OPTIONS] docker://HOST/REPO[:TAG|@DIGEST] -o "
		"FILE\n\n"
		"Fetch a seccomp profile artifact with skopeo and write its profile to FILE\n"
		"(atomically), after checking what a runtime checks: the digest, the media types,\n"
		"exactly one layer, and a profile runtimes take (at most 1 MiB, 128 entries for\n"
		"one call, no SCMP_ACT_NOTIFY or listener, errnoRet on ERRNO/TRACE only, and one\n"
		"that libseccomp compiles). Anything else is refused with one line, and FILE is\n"
		"left as it was. Prints HOST/REPO@sha256:.... Exits 0, or 2 on an error.\n\n"
		"  -o, --output FILE      the profile to write (required)\n"
		"      --tls-verify=BOOL  false: plain HTTP or an unverified certificate (default "
		"true)\n"
		"      --log-level LVL    error, warning (default), info or debug\n"
		"  -h, --help             this text\n"
		"  -V, --version          the version\n");
}

static int own_option(int opt, const char *arg, void *data)
{
	struct pull_options *o = data;

	switch (opt) {
	case 'o':
		o->output = arg;
		return 0;
	case OPT_TLS_VERIFY:
		if (options_bool(arg, &o->registry.tls_verify) < 0) {
			log_error("pull: --tls-verify takes true or false, not `%s`", arg);
			return EXIT_USAGE;
		}
		return 0;
	}
	return OPTIONS_UNKNOWN;
}

static const struct option pull_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "tls-verify", required_argument, NULL, OPT_TLS_VERIFY },
	COMMON_OPTIONS,
};

static const struct command_line pull_line = {
	.name = "pull",
	.usage = usage,
	.shortopts = "o:hV",
	.longopts = pull_longopts,
	.log_level = LOG_LEVEL_WARNING,
	.own = own_option,
	.failed_status = PULL_ERROR,
};

int cmd_pull(int argc, char **argv)
{
	struct pull_options o = { .registry = { .tls_verify = true,
						.timeout_ms = REGISTRY_TIMEOUT_MS } };
	cleanup_free char *pinned = NULL;
	struct error err = { 0 };
	int status = options_parse(&pull_line, argc, argv, &o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (argc - optind != 1 || !o.output)
		return options_usage_error(&pull_line, "give docker://REF and -o FILE");
	if (artifact_pull(argv[optind], o.output, FS_LINKS_FOLLOW_DIRS, &o.registry, &pinned,
			  &err) < 0) {
		log_error("pull: %s", err.msg);
		return PULL_ERROR;
	}
	printf("%s\n", pinned);
	return 0;
}
