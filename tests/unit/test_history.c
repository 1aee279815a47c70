// SPDX-License-Identifier: GPL-2.0-or-later
/* recordings.log: lines bounded, and a running recording's lines outlive any rotation. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "oci/history.h"
#include "oci/runstate.h"
#include "tap.h"

#define PADDING 8000 /* bytes of message in each line of another recording */

static const struct history_entry *newest_into(const struct history *h, const char *path)
{
	for (size_t i = h->n; i-- > 0;)
		if (strcmp(h->v[i].path, path) == 0)
			return &h->v[i];
	return NULL;
}

static off_t size_of(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Another tenant's short recording: opened, started, ended, closed. */
static void short_recording(const char *dir, int n, const char *padding)
{
	struct error err = { 0 };
	char id[32], path[64];
	int fd = history_open(dir, &err);

	snprintf(id, sizeof(id), "other-%d", n);
	snprintf(path, sizeof(path), "/out/other-%d.json", n);
	history_append(fd, id, HISTORY_STARTED, path, NULL);
	history_append(fd, id, HISTORY_OK, path, padding);
	close(fd);
}

static void running_recording_survives_rotations(void)
{
	cleanup_free char *dir = tap_mkdtemp("history");
	cleanup_free char *padding = malloc(PADDING + 1);
	struct error err = { 0 };
	int tracer_fd, state_fd, rotations = 0;
	off_t last = 0;

	memset(padding, 'x', PADDING);
	padding[PADDING] = '\0';
	/* The tracer of recording A opens the log at prestart and keeps its descriptor. */
	tracer_fd = history_open(dir, &err);
	state_fd = runstate_create(dir, "rec-a", "/out/a.json", NULL, &err);
	ok(tracer_fd >= 0 && state_fd >= 0, "the log and A's state are open (%s)", err.msg);
	history_append(tracer_fd, "rec-a", HISTORY_STARTED, "/out/a.json", NULL);
	/* Other tenants' recordings fill the log until it has rotated three times. */
	for (int n = 0; rotations < 3 && n < 2000; n++) {
		off_t now;

		short_recording(dir, n, padding);
		now = size_of(dir, HISTORY_FILE);
		if (now < last)
			rotations++;
		last = now;
	}
	is_int(rotations, 3, "the log rotated three times");
	ok(size_of(dir, HISTORY_FILE ".1") <= 2 * HISTORY_MAX_BYTES, "recordings.log.1 is bounded");
	{
		cleanup_history struct history h = { 0 };
		const struct history_entry *e;

		is_int(history_read(dir, &h, &err), 0, "the log reads (%s)", err.msg);
		e = newest_into(&h, "/out/a.json");
		ok(e != NULL, "A's start is still in the log after the rotations");
		if (e)
			is_int(e->last, HISTORY_STARTED, "A is running");
	}
	/* A ends: its tracer appends through the descriptor it opened at prestart. */
	history_append(tracer_fd, "rec-a", HISTORY_OK, "/out/a.json", NULL);
	{
		cleanup_history struct history h = { 0 };
		const struct history_entry *e;

		is_int(history_read(dir, &h, &err), 0, "the log reads (%s)", err.msg);
		e = newest_into(&h, "/out/a.json");
		ok(e != NULL, "A's end is in the log");
		if (e) {
			is_int(e->last, HISTORY_OK, "A ended ok");
			ok(e->started != 0, "A's start and end are one entry");
		}
	}
	close(tracer_fd);
	close(state_fd);
	tap_rmtree(dir);
}

/* Fields that fill a line: it ends within HISTORY_LINE_MAX bytes, newline last. */
static void long_fields_stay_within_the_line(void)
{
	cleanup_free char *dir = tap_mkdtemp("history-long");
	cleanup_free char *big = malloc(20001), *text = NULL;
	struct error err = { 0 };
	char path[4096];
	int fd = history_open(dir, &err);
	off_t size;

	memset(big, '\\', 20000);
	big[20000] = '\0';
	ok(fd >= 0, "the log is open (%s)", err.msg);
	is_int(history_append(fd, big, HISTORY_FAILED, big, big), 0, "a line of long fields");
	size = size_of(dir, HISTORY_FILE);
	ok(size > 0 && size <= 16384, "the line is at most 16384 bytes (%lld)", (long long)size);
	snprintf(path, sizeof(path), "%s/" HISTORY_FILE, dir);
	{
		cleanup_close int in = open(path, O_RDONLY);
		char last = 0;

		if (in >= 0 && size > 0)
			pread(in, &last, 1, size - 1);
		is_int(last, '\n', "it ends with its newline");
	}
	/* A line that follows is whole. */
	history_append(fd, "next", HISTORY_FAILED, "/out/next.json", "why");
	{
		cleanup_history struct history h = { 0 };

		is_int(history_read(dir, &h, &err), 0, "the log reads (%s)", err.msg);
		ok(newest_into(&h, "/out/next.json") != NULL, "the next line reads as one entry");
	}
	close(fd);
	tap_rmtree(dir);
}

int main(void)
{
	running_recording_survives_rotations();
	long_fields_stay_within_the_line();
	return done_testing();
}
