// SPDX-License-Identifier: GPL-2.0-or-later
/* `explain PROFILE [CALL...]`: why each call is in a recorded profile, from its why file. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/escape.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/log.h"
#include "hints/hints.h"
#include "profile/provenance.h"

#define EXPLAIN_OK 0
#define EXPLAIN_UNKNOWN_CALL 1
#define EXPLAIN_ERROR 2

struct explain_options {
	const char *path; /* PROFILE */
	char **calls;	  /* the CALLs named; none: every call */
	int n_calls;
};

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
		"--explain`. With PROFILE" HINTS_SUFFIX " (`hints:on`, `record --hints`), also\n"
		"the calls the binaries can make that PROFILE does not allow, one `? CALL  may be\n"
		"needed: WHY` line each. Exits 0, 1 when a CALL named is in neither, 2 on an\n"
		"error.\n\n"
		"      --log-level LVL   error, warning (default), info or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n");
}

/*
 * Text a container chose (its executable's name), from a why file that may be older or
 * edited: shown in the escape form where it entered (escape.h), never as a terminal would obey it.
 */
static void print_field(const char *s, int width)
{
	cleanup_free char *text = escape_dup(s, ESCAPE_KEEP_BACKSLASH);
	int n = printf("%s", text ? text : "?");

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

/* Every CALL named is in @why or @hints: EXPLAIN_OK, else EXPLAIN_UNKNOWN_CALL (logged). */
static int check_calls(const struct provenance *why, const struct hints *hints,
		       const struct explain_options *o)
{
	int ret = EXPLAIN_OK;

	for (int i = 0; i < o->n_calls; i++)
		if (!provenance_find(why, o->calls[i]) && !hints_find(hints, o->calls[i], NULL)) {
			log_error("explain: `%s` is not in `%s" PROVENANCE_SUFFIX "`%s",
				  o->calls[i], o->path, hints->n ? " nor in its hints" : "");
			ret = EXPLAIN_UNKNOWN_CALL;
		}
	return ret;
}

/* "? fsync  may be needed: redis-server imports fsync" for each hint asked for. */
static void print_hints(const struct hints *hints, const struct explain_options *o)
{
	for (size_t i = 0; i < hints->n; i++) {
		cleanup_free char *line = NULL;

		if (!wanted(hints->v[i].name, o->calls, o->n_calls))
			continue;
		line = hints_line(&hints->v[i]);
		printf("%s\n", line ? line : "? (out of memory)");
	}
}

static const struct option explain_longopts[] = { COMMON_OPTIONS };

static const struct command_line explain_line = {
	.name = "explain",
	.usage = usage,
	.shortopts = "+hV",
	.longopts = explain_longopts,
	.log_level = LOG_LEVEL_WARNING,
};

/* argv -> @o. */
static int parse(int argc, char **argv, struct explain_options *o)
{
	int status = options_parse(&explain_line, argc, argv, o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (optind >= argc)
		return options_usage_error(&explain_line, "give a profile");
	o->path = argv[optind];
	o->calls = argv + optind + 1;
	o->n_calls = argc - optind - 1;
	return OPTIONS_RUN;
}

/* The first callers on stdout: EXPLAIN_OK, EXPLAIN_UNKNOWN_CALL or EXPLAIN_ERROR (logged). */
static int run(const struct explain_options *o)
{
	cleanup_provenance struct provenance why = { 0 };
	cleanup_hints struct hints hints = { 0 };
	struct error err = { 0 };
	int ret = provenance_read(o->path, FS_LINKS_FOLLOW_DIRS, &why, &err);
	int has_hints;

	if (ret < 0) {
		log_error("explain: %s", err.msg);
		return EXPLAIN_ERROR;
	}
	has_hints = hints_read(o->path, FS_LINKS_FOLLOW_DIRS, &hints, &err);
	if (has_hints < 0) {
		log_error("explain: %s", err.msg);
		return EXPLAIN_ERROR;
	}
	if (ret == 1 && has_hints == 1) {
		log_error("explain: `%s" PROVENANCE_SUFFIX "` does not exist: record with "
			  "`explain:on` in the annotation, or `record --explain`",
			  o->path);
		return EXPLAIN_ERROR;
	}
	ret = check_calls(&why, &hints, o);
	if (why.n)
		printf("%-20s %-8s %s\n", "CALL", "ARCH", "FIRST CALLER");
	for (size_t i = 0; i < why.n; i++)
		if (wanted(why.v[i].name, o->calls, o->n_calls))
			print_entry(&why.v[i]);
	print_hints(&hints, o);
	if (fflush(stdout) != 0) {
		log_error("explain: cannot write to stdout");
		return EXPLAIN_ERROR;
	}
	return ret;
}

int cmd_explain(int argc, char **argv)
{
	struct explain_options o = { 0 };
	int status = parse(argc, argv, &o);

	return status == OPTIONS_RUN ? run(&o) : status;
}
