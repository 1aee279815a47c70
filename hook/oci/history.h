/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The recordings of this host and how each ended: DIR/recordings.log, one line per event
 * (started, ok, failed), appended by the hook, the tracer and poststop, read by `status`. A
 * recording that cannot be saved is never silent: its failure is here even when the runtime
 * dropped poststop's message (podman run --rm).
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stddef.h>
#include <time.h>
#include "base/error.h"

#define HISTORY_FILE "recordings.log"
#define HISTORY_MAX_BYTES (1024 * 1024) /* then the file becomes recordings.log.1 */
#define HISTORY_LOCK "recordings.lock"	/* held for each line and each rotation */

/* What poststop and `status` say of a tracer that ended without a word. */
#define HISTORY_TRACER_DIED                                                                     \
	"the tracer ended without writing a profile (was it killed?); the file was left as it " \
	"was"

enum history_event {
	HISTORY_STARTED,
	HISTORY_OK,
	HISTORY_FAILED,
	/* After an ok, node mode's --publish: the push began, ended, or could not be made. */
	HISTORY_PUBLISHING,
	HISTORY_PUSHED,
	HISTORY_PUSH_FAILED,
};

/*
 * Open DIR (created 0700 when missing, refused unless root's own) for history_append; the
 * descriptor outlives a fork. It is the directory, not the file: each line is appended to
 * DIR/recordings.log by name, so a rotation while a recording runs loses none of its lines.
 */
int history_open(const char *dir, struct error *err);

/*
 * Append one event under the log's lock; a file past HISTORY_MAX_BYTES becomes
 * recordings.log.1 first, and the new file starts with the starts of the recordings still
 * running. Errors are returned but a recording goes on without its history.
 */
int history_append(int dirfd, const char *id, enum history_event event, const char *path,
		   const char *message);

/*
 * A failure for `status`, with a warning when it cannot be logged: through *@fd, which is
 * opened first when it is -1 (and kept), or through a descriptor of its own when @fd is NULL.
 */
void history_report_failure(const char *dir, int *fd, const char *id, const char *path,
			    const char *message);

/* One recording as its events tell it. */
struct history_entry {
	char *id;
	char *path;
	char *message;		 /* the last event's */
	enum history_event last; /* HISTORY_STARTED, HISTORY_OK or HISTORY_FAILED */
	enum history_event push; /* HISTORY_PUBLISHING, ...; HISTORY_STARTED: none */
	char *push_message;	 /* the destination, the pinned reference, or why not */
	time_t started;		 /* 0 when the start was not seen */
	time_t ended;		 /* 0 while it has not ended */
};

struct history {
	struct history_entry *v; /* oldest first */
	size_t n;
};

/* Read DIR/recordings.log.1 and DIR/recordings.log; a missing file is an empty history. */
int history_read(const char *dir, struct history *out, struct error *err);
void history_release(struct history *h);
/* Released at the end of its scope (zero it before its first use). */
#define cleanup_history __attribute__((cleanup(history_release)))

#endif /* HISTORY_H */
