// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recordings.log: one line per event, TIME TAB ID TAB EVENT TAB PATH TAB MESSAGE, each field
 * with tab, newline and backslash escaped, so that a path or a message can neither add a line
 * nor shift a field. Each line is one write(2), under DIR/recordings.lock, to the file opened
 * by its path then: writers never interleave within a line, and none writes into a file a
 * rotation renamed away (a tracer keeps the directory open, not the file).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "base/log.h"
#include "oci/history.h"
#include "oci/runstate.h"

#define HISTORY_LINE_MAX 16384
#define HISTORY_FIELDS 5

static const char *const event_names[] = { "started",	 "ok",	   "failed",
					   "publishing", "pushed", "push-failed" };

int history_open(const char *dir, struct error *err)
{
	int fd;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return error_set(err, errno, "create `%s`", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "open `%s`", dir);
	if (fs_check_own_dir(fd, dir, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Append @s to @out at *@used with tab, newline, CR and backslash escaped, never past @size:
 * the caller keeps the room its separators need out of @size.
 */
static void put_escaped(char *out, size_t size, size_t *used, const char *s)
{
	for (; s && *s; s++) {
		const char *esc = *s == '\t' ? "\\t" :
				  *s == '\n' ? "\\n" :
				  *s == '\r' ? "\\r" :
				  *s == '\\' ? "\\\\" :
					       NULL;

		if (*used + (esc ? 2 : 1) > size)
			return;
		if (esc) {
			memcpy(out + *used, esc, 2);
			*used += 2;
		} else {
			out[(*used)++] = *s;
		}
	}
}

/* One line of the log in @line (HISTORY_LINE_MAX bytes, no NUL); returns its length. */
static size_t format_line(char *line, time_t when, const char *id, enum history_event event,
			  const char *path, const char *message)
{
	/* Four tabs and the newline come after the fields: their room is kept out of the bound. */
	const size_t bound = HISTORY_LINE_MAX - HISTORY_FIELDS;
	size_t used = (size_t)snprintf(line, bound, "%lld\t", (long long)when);

	put_escaped(line, bound, &used, id);
	line[used++] = '\t';
	put_escaped(line, bound + 1, &used, event_names[event]);
	line[used++] = '\t';
	put_escaped(line, bound + 2, &used, path);
	line[used++] = '\t';
	put_escaped(line, bound + 3, &used, message);
	line[used++] = '\n';
	return used;
}

/* The log's lock, which every writer holds for one line and a rotation, and readers share. */
static int lock_log(int dirfd, int how)
{
	int fd = openat(dirfd, HISTORY_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (flock(fd, how) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int open_log(int dirfd, const char *name, int flags)
{
	struct stat st;
	int fd = openat(dirfd, name, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

static int add_line(struct history *h, char *line);
static int add_text(struct history *h, char *text);

/*
 * Under the lock: recordings.log becomes recordings.log.1 and a new one starts, holding again
 * the start of each recording that still runs, so that no rotation, however many, loses a
 * running recording (its end is appended to the new file by path).
 */
static int rotate(int dirfd, int fd)
{
	cleanup_free char *text = NULL;
	cleanup_history struct history h = { 0 };
	cleanup_close int next = -1;
	struct error err = { 0 };
	char line[HISTORY_LINE_MAX];
	size_t len, carried = 0;

	if (lseek(fd, 0, SEEK_SET) < 0 ||
	    fs_read_fd(fd, HISTORY_FILE, 2 * HISTORY_MAX_BYTES, &text, &len, &err) < 0 ||
	    add_text(&h, text) < 0)
		return -1;
	next = openat(dirfd, HISTORY_FILE ".new",
		      O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (next < 0)
		return -1;
	for (size_t i = 0; i < h.n; i++) {
		const struct history_entry *e = &h.v[i];

		if (e->last != HISTORY_STARTED || !e->started ||
		    !runstate_is_running_at(dirfd, e->id))
			continue;
		len = format_line(line, e->started, e->id, HISTORY_STARTED, e->path, NULL);
		if (carried + len > HISTORY_MAX_BYTES / 2)
			break; /* a bound on what a start may carry; the rest is in .1 */
		if (write(next, line, len) != (ssize_t)len)
			return -1;
		carried += len;
	}
	if (renameat(dirfd, HISTORY_FILE, dirfd, HISTORY_FILE ".1") < 0 ||
	    renameat(dirfd, HISTORY_FILE ".new", dirfd, HISTORY_FILE) < 0)
		return -1;
	return 0;
}

int history_append(int dirfd, const char *id, enum history_event event, const char *path,
		   const char *message)
{
	char line[HISTORY_LINE_MAX];
	cleanup_close int lock = -1, fd = -1;
	size_t used;
	struct stat st;

	if (dirfd < 0)
		return -1;
	used = format_line(line, time(NULL), id, event, path, message);
	/* By path, under the lock: a line never goes to a file a rotation has renamed away. */
	lock = lock_log(dirfd, LOCK_EX);
	if (lock < 0)
		return -1;
	fd = open_log(dirfd, HISTORY_FILE, O_RDWR | O_APPEND);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	/* Bounded: a full file goes to recordings.log.1, and a new one starts. */
	if (st.st_size > HISTORY_MAX_BYTES) {
		if (rotate(dirfd, fd) < 0)
			return -1;
		close(fd);
		fd = open_log(dirfd, HISTORY_FILE, O_RDWR | O_APPEND);
		if (fd < 0)
			return -1;
	}
	return write(fd, line, used) == (ssize_t)used ? 0 : -1;
}

void history_report_failure(const char *dir, int *fd, const char *id, const char *path,
			    const char *message)
{
	struct error err = { 0 };
	int own = -1, *use = fd ? fd : &own;

	if (*use < 0)
		*use = history_open(dir, &err);
	if (*use < 0)
		log_warning("%s", err.msg);
	else if (history_append(*use, id, HISTORY_FAILED, path, message) < 0)
		log_warning("container %s: `%s/" HISTORY_FILE "`: %s", id, dir, strerror(errno));
	if (own >= 0)
		close(own);
}

/* Undo put_escaped in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*out++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static struct history_entry *find(struct history *h, const char *id)
{
	/* The newest recording of an id: a container id may be recorded again (podman start). */
	for (size_t i = h->n; i-- > 0;)
		if (strcmp(h->v[i].id, id) == 0)
			return &h->v[i];
	return NULL;
}

static int add_line(struct history *h, char *line)
{
	char *field[HISTORY_FIELDS];
	struct history_entry *e;
	enum history_event event = HISTORY_STARTED; /* set with known */
	int n = 0;
	bool known = false;

	/* strtok would merge empty fields: split by hand. */
	for (char *p = line; n < HISTORY_FIELDS; n++) {
		field[n] = p;
		p = strchr(p, '\t');
		if (!p) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	if (n != HISTORY_FIELDS)
		return 0; /* not a line of ours, or cut: left out */
	for (size_t i = 0; i < sizeof(event_names) / sizeof(event_names[0]); i++)
		if (strcmp(field[2], event_names[i]) == 0) {
			event = (enum history_event)i;
			known = true;
		}
	if (!known)
		return 0;
	for (int i = 1; i < HISTORY_FIELDS; i++)
		unescape(field[i]);
	e = find(h, field[1]);
	if (event >= HISTORY_PUBLISHING) {
		/* The push of a profile written (one recording may write two: a workload's). */
		for (size_t i = h->n; i-- > 0;)
			if (strcmp(h->v[i].id, field[1]) == 0 &&
			    strcmp(h->v[i].path, field[3]) == 0) {
				e = &h->v[i];
				break;
			}
		if (!e || e->last != HISTORY_OK || strcmp(e->path, field[3]) != 0)
			return 0;
		free(e->push_message);
		e->push = event;
		e->push_message = strdup(field[4]);
		return e->push_message ? 0 : -1;
	}
	/* The same start again: a rotation carried it into the new file. */
	if (event == HISTORY_STARTED && e && e->last == HISTORY_STARTED &&
	    e->started == (time_t)strtoll(field[0], NULL, 10))
		return 0;
	if (event == HISTORY_STARTED || !e || e->last != HISTORY_STARTED) {
		struct history_entry *bigger = realloc(h->v, (h->n + 1) * sizeof(*bigger));

		if (!bigger)
			return -1;
		h->v = bigger;
		e = &h->v[h->n++];
		memset(e, 0, sizeof(*e));
		e->id = strdup(field[1]);
		if (!e->id)
			return -1;
	}
	free(e->path);
	free(e->message);
	e->path = strdup(field[3]);
	e->message = strdup(field[4]);
	if (!e->path || !e->message)
		return -1;
	e->last = event;
	if (event == HISTORY_STARTED)
		e->started = (time_t)strtoll(field[0], NULL, 10);
	else
		e->ended = (time_t)strtoll(field[0], NULL, 10);
	return 0;
}

/* Every complete line of @text (changed in place). */
static int add_text(struct history *h, char *text)
{
	char *line, *next;

	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			break; /* a line still being written */
		*next++ = '\0';
		if (add_line(h, line) < 0)
			return -1;
	}
	return 0;
}

static int read_one(int dirfd, const char *name, struct history *h, struct error *err)
{
	cleanup_free char *text = NULL;
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t len;

	if (fd < 0)
		return errno == ENOENT ? 0 : error_set(err, errno, "open `%s`", name);
	if (fs_read_fd(fd, name, 2 * HISTORY_MAX_BYTES, &text, &len, err) < 0)
		return -1;
	if (add_text(h, text) < 0)
		return error_set(err, ENOMEM, "read `%s`", name);
	return 0;
}

int history_read(const char *dir, struct history *out, struct error *err)
{
	cleanup_close int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int lock = -1;

	memset(out, 0, sizeof(*out));
	if (dirfd < 0)
		return errno == ENOENT ? 0 : error_set(err, errno, "open `%s`", dir);
	/* Shared: no rotation between the two reads (a reader that cannot lock reads anyway). */
	lock = lock_log(dirfd, LOCK_SH);
	if (read_one(dirfd, HISTORY_FILE ".1", out, err) < 0 ||
	    read_one(dirfd, HISTORY_FILE, out, err) < 0) {
		history_release(out);
		return -1;
	}
	return 0;
}

void history_release(struct history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].id);
		free(h->v[i].path);
		free(h->v[i].message);
		free(h->v[i].push_message);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}
