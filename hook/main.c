// SPDX-License-Identifier: GPL-2.0-or-later
/* argv -> subcommand, nothing else. */
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"
#include "cmd/options.h"

struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
	const char *summary;
};

static const struct cmd cmds[] = {
	{ "record", cmd_record, "run a command and write the profile of the calls it made" },
	{ "hook", cmd_hook, "OCI hook: record a container (state JSON on stdin)" },
	{ "diff", cmd_diff, "the calls one profile allows that another does not" },
	{ "merge", cmd_merge, "one profile allowing what several profiles allow" },
	{ "explain", cmd_explain, "why each call is in a recorded profile: its first caller" },
	{ "coverage", cmd_coverage,
	  "in how many of a workload profile's recordings each call ran" },
	{ "status", cmd_status, "the recent recordings and how each ended (ok, or why not)" },
	{ "run", cmd_run, "run a command under a profile and report the calls it denies" },
	{ "score", cmd_score, "what a profile allows against the runtime's default, its risks" },
	{ "runtime", cmd_runtime, "OCI runtime wrapper for containerd and Docker (no hooks.d)" },
	{ "push", cmd_push, "push a profile to a registry as an OCI artifact (skopeo)" },
	{ "pull", cmd_pull, "fetch a profile artifact from a registry, checked, into a file" },
	{ "docker-config", cmd_docker_config,
	  "the wrapper's daemon.json entry, and whether dockerd has it" },
	{ "-s", cmd_hook, NULL }, /* oci-seccomp-bpf-hook's flag for its prestart stage */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder COMMAND [OPTIONS] [ARG...]\n\n"
		"Record the system calls of a command or an OCI container and write a\n"
		"default-deny seccomp profile that allows exactly those calls.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].summary)
			fprintf(out, "  %-13s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(out, "\nRun `oci-seccomp-recorder COMMAND --help` for a command's options.\n"
		     "See oci-seccomp-recorder(1).\n");
}

#define WRAPPER_NAME "oci-seccomp-recorder-runtime"

int main(int argc, char **argv)
{
	const char *base = argc ? strrchr(argv[0], '/') : NULL;

	/* Called as the runtime wrapper's link: the arguments are the real runtime's. */
	base = base ? base + 1 : argc ? argv[0] : "";
	if (strcmp(base, WRAPPER_NAME) == 0)
		return cmd_runtime_wrapper(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		print_version();
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].func(argc - 1, argv + 1);
	fprintf(stderr, "oci-seccomp-recorder: unknown command `%s`\n", argv[1]);
	usage(stderr);
	return 2;
}
