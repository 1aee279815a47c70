// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * oci-seccomp-recorder-analyze: what needs libcrypto or the hints' readers (libelf, capstone),
 * in a process of its own that the program runs only when asked (base/analyze_helper.h):
 *   digest                  the SHA-256 of stdin, as `sha256:HEX`
 *   hints [LOG] STEM EXE... hints_collect in the root open on stdin, written as STEM.hints.json
 * Not a command for users: its arguments are the program's.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/analyze_helper.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/sha256.h"
#include "hints/hints.h"

#define READ_CHUNK 65536

static int digest(void)
{
	cleanup_free char *buf = NULL;
	char out[SHA256_DIGEST_SIZE];
	struct error err = { 0 };
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (len + READ_CHUNK > cap) {
			char *bigger;

			cap = cap ? cap * 2 : READ_CHUNK * 4;
			if (len > ANALYZE_DIGEST_MAX_BYTES || !(bigger = realloc(buf, cap))) {
				fprintf(stderr,
					"digest: the input is too large or out of memory\n");
				return 1;
			}
			buf = bigger;
		}
		n = read(STDIN_FILENO, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "digest: read stdin: %s\n", strerror(errno));
			return 1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (sha256_crypto_digest(buf, len, out, &err) < 0) {
		fprintf(stderr, "digest: %s\n", err.msg);
		return 1;
	}
	printf("%s\n", out);
	return fflush(stdout) == 0 ? 0 : 1;
}

enum { OPT_LEVEL = 256, OPT_FD, OPT_CONTEXT, OPT_NO_STDERR, OPT_SYSLOG };

static const struct option hints_longopts[] = {
	{ "log-level", required_argument, NULL, OPT_LEVEL },
	{ "log-fd", required_argument, NULL, OPT_FD },
	{ "log-context", required_argument, NULL, OPT_CONTEXT },
	{ "log-no-stderr", no_argument, NULL, OPT_NO_STDERR },
	{ "log-syslog", no_argument, NULL, OPT_SYSLOG },
	{ 0 },
};

/* The caller's log sinks (recording/hints_run.c), then hints_collect as the caller would. */
static int hints(int argc, char **argv)
{
	struct log_sinks sinks = { .level = LOG_LEVEL_INFO, .to_stderr = true, .fd = -1 };
	cleanup_hints struct hints h = { 0 };
	struct error err = { 0 };
	int opt;

	while ((opt = getopt_long(argc, argv, "+", hints_longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_LEVEL:
			if (log_level_parse(optarg, &sinks.level) < 0)
				return 2;
			break;
		case OPT_FD:
			sinks.fd = atoi(optarg);
			break;
		case OPT_CONTEXT:
			sinks.context = optarg;
			break;
		case OPT_NO_STDERR:
			sinks.to_stderr = false;
			break;
		case OPT_SYSLOG:
			sinks.to_syslog = true;
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc)
		return 2;
	log_sinks_adopt(&sinks);
	if (hints_collect(STDIN_FILENO, (const char *const *)argv + optind + 1,
			  (size_t)(argc - optind - 1), &h, &err) < 0 ||
	    hints_write(argv[optind], FS_LINKS_NONE, 0600, &h, &err) < 0) {
		log_error("hints: %s", err.msg);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], ANALYZE_CMD_DIGEST) == 0)
		return digest();
	if (argc >= 2 && strcmp(argv[1], ANALYZE_CMD_HINTS) == 0)
		return hints(argc - 1, argv + 1);
	fprintf(stderr, "Usage: " ANALYZE_HELPER_NAME " " ANALYZE_CMD_DIGEST " | " ANALYZE_CMD_HINTS
			" [OPTIONS] STEM EXE...\n"
			"The helper of oci-seccomp-recorder: not a command for users.\n");
	return 2;
}
