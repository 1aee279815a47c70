// SPDX-License-Identifier: GPL-2.0-or-later
/* `explain PROFILE [CALL...]`: why each call is in a recorded profile, from its why file. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/log.h"
#include "profile/provenance.h"

#define EXPLAIN_OK 0
#define EXPLAIN_UNKNOWN_CALL 1
#define EXPLAIN_ERROR 2

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder explain PROFILE [CALL...]\n\n"
		"Print, for each call of PROFILE (or each CALL named), the first task that made "
		"it\n"
		"during the recording (its executable, name and pid in its namespace and on the\n"
		"host), or why it was added without being seen. Reads PROFILE" PROVENANCE_SUFFIX
		",\n"
		"which a recording writes with `explain:on` in the annotation or `record\n"
		"--explain`. Exits 0, 1 when a CALL named is not in it, 2 on an error.\n\n"
		"      --log-level LVL   error, warning (default), info or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n");
}

/* Text a container chose (its executable's name): control characters are not printed as such. */
static void print_field(const char *s, int width)
{
	int n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
		putchar(*p < 0x20 || *p == 0x7f ? '?' : *p);
	for (; n < width; n++)
		putchar(' ');
}

static void print_entry(const struct provenance_entry *e)
{
	cleanup_free char *what = provenance_describe(e);
	const char *arch = !e->arch				   ? "any" :
			   strncmp(e->arch, "SCMP_ARCH_", 10) == 0 ? e->arch + 10 :
								     e->arch;

	print_field(e->name, 20);
	putchar(' ');
	print_field(arch, 8);
	putchar(' ');
	print_field(e->exe || e->enosys ? "" : "added: ", 0);
	print_field(what ? what : "?", 0);
	putchar('\n');
}

static bool wanted(const char *name, char **calls, int n)
{
	if (n == 0)
		return true;
	for (int i = 0; i < n; i++)
		if (strcmp(calls[i], name) == 0)
			return true;
	return false;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = { COMMON_OPTIONS };
	const struct command_line c = { .name = "explain",
					.usage = usage,
					.shortopts = "+hV",
					.longopts = longopts,
					.log_level = LOG_LEVEL_WARNING };
	struct provenance why;
	struct error err = { 0 };
	int ret = options_parse(&c, argc, argv, NULL, NULL), n_calls;
	char **calls;

	if (ret != OPTIONS_RUN)
		return ret;
	if (optind >= argc)
		return options_usage_error(&c, "give a profile");
	ret = provenance_read(argv[optind], FS_LINKS_FOLLOW_DIRS, &why, &err);
	if (ret < 0) {
		log_error("explain: %s", err.msg);
		return EXPLAIN_ERROR;
	}
	if (ret == 1) {
		log_error("explain: `%s" PROVENANCE_SUFFIX "` does not exist: record with "
			  "`explain:on` in the annotation, or `record --explain`",
			  argv[optind]);
		return EXPLAIN_ERROR;
	}
	calls = argv + optind + 1;
	n_calls = argc - optind - 1;
	ret = EXPLAIN_OK;
	for (int i = 0; i < n_calls; i++)
		if (!provenance_find(&why, calls[i])) {
			log_error("explain: `%s` is not in `%s" PROVENANCE_SUFFIX "`", calls[i],
				  argv[optind]);
			ret = EXPLAIN_UNKNOWN_CALL;
		}
	printf("%-20s %-8s %s\n", "CALL", "ARCH", "FIRST CALLER");
	for (size_t i = 0; i < why.n; i++)
		if (wanted(why.v[i].name, calls, n_calls))
			print_entry(&why.v[i]);
	provenance_release(&why);
	if (fflush(stdout) != 0) {
		log_error("explain: cannot write to stdout");
		return EXPLAIN_ERROR;
	}
	return ret;
}
