// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syslog-sink SOCKET FILE: a stand-in syslog daemon for tests. Binds a datagram socket at
 * SOCKET (e.g. /dev/log on a host without a syslog daemon) and appends every message it
 * receives, as one line, to FILE. Runs until it is killed; it creates SOCKET only when absent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char msg[8192];
	int sock, out;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SOCKET FILE\n", argv[0]);
		return 2;
	}
	if (strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "syslog-sink: socket path `%s` is too long\n", argv[1]);
		return 1;
	}
	strcpy(addr.sun_path, argv[1]);
	out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (out < 0) {
		fprintf(stderr, "syslog-sink: open `%s`: %s\n", argv[2], strerror(errno));
		return 1;
	}
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "syslog-sink: bind `%s`: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (;;) {
		ssize_t n = recv(sock, msg, sizeof(msg) - 1, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "syslog-sink: recv: %s\n", strerror(errno));
			return 1;
		}
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\0'))
			n--;
		msg[n++] = '\n';
		if (write(out, msg, (size_t)n) != n) {
			fprintf(stderr, "syslog-sink: write `%s`: %s\n", argv[2], strerror(errno));
			return 1;
		}
	}
}
