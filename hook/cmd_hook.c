// SPDX-License-Identifier: GPL-2.0-or-later
/* `hook`: the OCI prestart/poststop hook. */
#include <stdio.h>
#include "commands.h"

int cmd_hook(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "oci-seccomp-recorder: hook: not built yet\n");
	return 1;
}
