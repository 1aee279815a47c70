/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a container's tracer leaves for the poststop stage: DIR/ID.status, exclusively locked
 * (flock) by the tracer for its whole life. Line 1 is the state (running, ok, error), line 2
 * the profile path, line 3 a message. A lock that is free while the state still says running
 * means the tracer died without writing.
 */
#ifndef RUNSTATE_H
#define RUNSTATE_H

#include <stdbool.h>
#include "base/error.h"

enum runstate { RUNSTATE_RUNNING, RUNSTATE_OK, RUNSTATE_ERROR };

struct runstate_result {
	enum runstate state;
	char path[4096];
	char message[1024];
};

/*
 * Create and lock DIR/ID.status (DIR is created 0700 when missing). Returns the locked fd.
 * @reserved names the temporary file reserved beside @path (fs_reserve), "" for none: a
 * poststop that finds the tracer dead removes it.
 */
int runstate_create(const char *dir, const char *id, const char *path, const char *reserved,
		    struct error *err);
/* Record the outcome in the locked file. */
int runstate_finish(int fd, enum runstate state, const char *path, const char *message);
/*
 * Wait up to @timeout_ms for the tracer of @id to let go of its lock, read the outcome and
 * remove the file. Returns 1 when there is no such file, 0 when @result was filled, -1 on error.
 */
int runstate_wait(const char *dir, const char *id, int timeout_ms, struct runstate_result *result,
		  struct error *err);

/* After a tracer died (RUNSTATE_RUNNING): remove the file it had reserved, if any. */
void runstate_discard_reservation(const struct runstate_result *result);

/* Whether a live tracer still holds the state of @id (the kernel drops a dead one's lock). */
bool runstate_is_running(const char *dir, const char *id);
/* The same in the state directory open at @dirfd. */
bool runstate_is_running_at(int dirfd, const char *id);

#endif /* RUNSTATE_H */
