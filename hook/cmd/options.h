/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The options the commands share, parsed here once: --log-level, --help, --version, and the
 * options of a profile to write (-o, --format, --name, --log-variant). A command lists the
 * shared ones in its getopt_long table and handles only its own.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <getopt.h>
#include <stdio.h>
#include "base/log.h"
#include "profile/profile_target.h"

/* Exit status of a command line that cannot be run. */
#define EXIT_USAGE 2
/* options_parse: go on and run the command. */
#define OPTIONS_RUN (-1)
/* command_line.own: not an option of this command (getopt_long's '?' included). */
#define OPTIONS_UNKNOWN (-1)

/* getopt_long values of the shared long options, above every short option's character. */
enum {
	OPT_LOG_LEVEL = 0x1000,
	OPT_FORMAT,
	OPT_NAME,
	OPT_LOG_VARIANT,
};

/* The last entries of a command's getopt_long table. */
#define COMMON_OPTIONS                                                                     \
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },                           \
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' }, \
	{                                                                                  \
		NULL, 0, NULL, 0                                                           \
	}

/* A profile to write: filled into command_line.target. */
#define OUTPUT_OPTIONS                                             \
	{ "output", required_argument, NULL, 'o' },                \
		{ "format", required_argument, NULL, OPT_FORMAT }, \
		{ "name", required_argument, NULL, OPT_NAME },     \
	{                                                          \
		"log-variant", no_argument, NULL, OPT_LOG_VARIANT  \
	}

/* A command as its command line is parsed. */
struct command_line {
	const char *name; /* "record": the start of its messages */
	void (*usage)(FILE *out);
	const char *shortopts;
	const struct option *longopts;
	enum log_level log_level; /* the level before --log-level */
	/*
	 * The command's own option @opt (@data is options_parse's): 0, the exit status (the
	 * reason logged), or OPTIONS_UNKNOWN. NULL when the command has none.
	 */
	int (*own)(int opt, const char *arg, void *data);
	/* The exit status of a command that cannot run for want of memory (0: 125, as record). */
	int failed_status;
};

/*
 * Parse @argv with getopt_long: the shared options here (OUTPUT_OPTIONS into @target), the
 * others through @c->own. Returns OPTIONS_RUN, with optind at the first operand, or the exit
 * status: 0 after --help or --version, EXIT_USAGE (or what @c->own said) for a bad command line.
 */
int options_parse(const struct command_line *c, int argc, char **argv, void *data,
		  struct profile_target_options *target);

/* profile_target_resolve, its error logged: OPTIONS_RUN or the exit status. */
int options_resolve_target(const struct command_line *c, const struct profile_target_options *o,
			   struct profile_target *t);

/* The operands are wrong (@msg says how): logged, with the usage on stderr. EXIT_USAGE. */
int options_usage_error(const struct command_line *c, const char *msg);

/* "true" or "false" (--tls-verify=BOOL); -1 for anything else. */
int options_bool(const char *arg, bool *out);

/* Shared by the commands' --help/--version handling. */
void print_version(void);

#endif /* OPTIONS_H */
