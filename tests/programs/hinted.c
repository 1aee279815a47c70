// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A dynamic program that imports fsync and calls it only when asked ("hinted fsync FILE"): a
 * recording of "hinted" alone never sees fsync, its hints name it (hints.bats, test_hints).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "fsync") == 0) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0 || fsync(fd) < 0) {
			perror("hinted: fsync");
			return 1;
		}
		close(fd);
	}
	puts("ok");
	return 0;
}
