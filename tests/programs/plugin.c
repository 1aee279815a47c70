// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module dlopener loads: it imports fdatasync and calls it only when asked
 * ("sync FILE"), so a recording without it never sees the call (hints.bats).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int plugin_run(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[0], "sync") == 0) {
		int fd = open(argv[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0 || fdatasync(fd) < 0) {
			perror("plugin: fdatasync");
			return 1;
		}
		close(fd);
	}
	puts("plugin ok");
	return 0;
}
