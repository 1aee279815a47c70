// SPDX-License-Identifier: GPL-2.0-or-later
/* One getopt_long loop for every command: the shared options, then the command's own. */
#include <errno.h>
#include <string.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "config.h"

/* shared_option: --help or --version was answered; exit 0. */
#define ANSWERED (-2)

void print_version(void)
{
	printf("oci-seccomp-recorder %s\n", PROJECT_VERSION);
}

/* The command's own option: 0, or an exit status; one it does not know is a usage error. */
static int own_option(const struct command_line *c, int opt, const char *arg, void *data)
{
	int status = c->own ? c->own(opt, arg, data) : OPTIONS_UNKNOWN;

	if (status == OPTIONS_UNKNOWN) {
		c->usage(stderr);
		return EXIT_USAGE;
	}
	return status;
}

static int shared_option(const struct command_line *c, int opt, const char *arg, void *data,
			 struct profile_target_options *t)
{
	switch (opt) {
	case OPT_LOG_LEVEL:
		return log_set_level_named(arg) < 0 ? EXIT_USAGE : 0;
	case 'h':
		c->usage(stdout);
		return ANSWERED;
	case 'V':
		print_version();
		return ANSWERED;
	}
	if (!t)
		return own_option(c, opt, arg, data);
	switch (opt) {
	case 'o':
		t->path = arg;
		return 0;
	case OPT_FORMAT:
		if (profile_format_parse(arg, &t->format) < 0) {
			log_error("%s: unknown format `%s` (%s)", c->name, arg,
				  profile_format_names());
			return EXIT_USAGE;
		}
		t->format_given = true;
		return 0;
	case OPT_NAME:
		t->name = arg;
		return 0;
	case OPT_LOG_VARIANT:
		t->log_variant = true;
		return 0;
	}
	return own_option(c, opt, arg, data);
}

int options_parse(const struct command_line *c, int argc, char **argv, void *data,
		  struct profile_target_options *target)
{
	int opt;

	log_set_level(c->log_level);
	while ((opt = getopt_long(argc, argv, c->shortopts, c->longopts, NULL)) != -1) {
		int status = shared_option(c, opt, optarg, data, target);

		if (status)
			return status == ANSWERED ? 0 : status;
	}
	return OPTIONS_RUN;
}

int options_bool(const char *arg, bool *out)
{
	if (strcmp(arg, "true") == 0)
		*out = true;
	else if (strcmp(arg, "false") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

int options_usage_error(const struct command_line *c, const char *msg)
{
	log_error("%s: %s", c->name, msg);
	c->usage(stderr);
	return EXIT_USAGE;
}

int options_resolve_target(const struct command_line *c, const struct profile_target_options *o,
			   struct profile_target *t)
{
	struct error err = { 0 };

	if (profile_target_resolve(o, t, &err) == 0)
		return OPTIONS_RUN;
	log_error("%s: %s", c->name, err.msg);
	if (err.errnum != ENOMEM)
		return EXIT_USAGE;
	return c->failed_status ? c->failed_status : EXIT_RECORDER_FAILED;
}
