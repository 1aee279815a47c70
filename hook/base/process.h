/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Starting a user's command: its path, and a pidfd for the process that runs it. */
#ifndef PROCESS_H
#define PROCESS_H

#include <sys/types.h>

/* pidfd_open(2); -1 with errno set. */
int pidfd_open_pid(pid_t pid);

/*
 * PATH search as execvp does it, without its /bin/sh fallback for a file the kernel cannot
 * execute: @out gets the path to exec. Returns 0 or the errno that explains why nothing can
 * run (EACCES wins over ENOENT from other PATH entries).
 */
int command_resolve(const char *cmd, char **out);

#endif /* PROCESS_H */
