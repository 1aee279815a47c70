// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * oci-seccomp-recorder-run (-Dstatic_run=true): the `run` command alone, statically linked, to
 * be copied or bind-mounted into an image that has no shared libraries (distroless).
 */
#include "cmd/commands.h"

int main(int argc, char **argv)
{
	return cmd_run(argc, argv);
}
