// SPDX-License-Identifier: GPL-2.0-or-later
/* Starting a user's command: its path, and a pidfd for the process that runs it. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "base/process.h"

int pidfd_open_pid(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* The caller execs the result once: `run` resolves before its filter, `record` before execve. */
int command_resolve(const char *cmd, char **out)
{
	const char *path = getenv("PATH");
	char candidate[PATH_MAX];
	int saved = ENOENT;
	struct stat st;

	if (strchr(cmd, '/')) {
		if (stat(cmd, &st) < 0)
			return errno;
		*out = strdup(cmd);
		return *out ? 0 : ENOMEM;
	}
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchrnul(path, ':');
		size_t len = (size_t)(end - path);

		/* An empty PATH entry means the current directory. */
		if (snprintf(candidate, sizeof(candidate), "%.*s%s%s", (int)len, path,
			     len ? "/" : "", cmd) < (int)sizeof(candidate) &&
		    stat(candidate, &st) == 0) {
			if (S_ISREG(st.st_mode) && access(candidate, X_OK) == 0) {
				*out = strdup(candidate);
				return *out ? 0 : ENOMEM;
			}
			saved = EACCES;
		}
		path = *end ? end + 1 : end;
	}
	return saved;
}
