// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recordings.log: one line per event, TIME TAB ID TAB EVENT TAB PATH TAB MESSAGE, each field
 * with tab, newline and backslash escaped, so that a path or a message can neither add a line
 * nor shift a field. Each line is one write(2) to a file opened O_APPEND: writers never
 * interleave within a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "oci/history.h"

#define HISTORY_LINE_MAX 16384
#define HISTORY_FIELDS 5

static const char *const event_names[] = { "started",	 "ok",	   "failed",
					   "publishing", "pushed", "push-failed" };

int history_open(const char *dir, struct error *err)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return error_set(err, errno, "create `%s`", dir);
	snprintf(path, sizeof(path), "%s/" HISTORY_FILE, dir);
	fd = fs_open_own_file(path, O_WRONLY | O_APPEND, err);
	if (fd < 0 || fstat(fd, &st) < 0)
		return fd < 0 ? -1 : error_set(err, errno, "stat `%s`", path);
	/* Bounded: a full file goes to recordings.log.1, and this one starts again. */
	if (st.st_size > HISTORY_MAX_BYTES) {
		char old[PATH_MAX + 2];

		snprintf(old, sizeof(old), "%s.1", path);
		if (rename(path, old) == 0) {
			close(fd);
			return history_open(dir, err);
		}
	}
	return fd;
}

/* Append @s to @out at *@used with tab, newline, CR and backslash escaped. */
static void put_escaped(char *out, size_t size, size_t *used, const char *s)
{
	for (; s && *s && *used + 3 < size; s++) {
		const char *esc = *s == '\t' ? "\\t" :
				  *s == '\n' ? "\\n" :
				  *s == '\r' ? "\\r" :
				  *s == '\\' ? "\\\\" :
					       NULL;

		if (esc) {
			memcpy(out + *used, esc, 2);
			*used += 2;
		} else {
			out[(*used)++] = *s;
		}
	}
}

int history_append(int fd, const char *id, enum history_event event, const char *path,
		   const char *message)
{
	char line[HISTORY_LINE_MAX];
	size_t used;

	if (fd < 0)
		return -1;
	used = (size_t)snprintf(line, sizeof(line), "%lld\t", (long long)time(NULL));
	put_escaped(line, sizeof(line), &used, id);
	line[used++] = '\t';
	put_escaped(line, sizeof(line), &used, event_names[event]);
	line[used++] = '\t';
	put_escaped(line, sizeof(line), &used, path);
	line[used++] = '\t';
	put_escaped(line, sizeof(line), &used, message);
	line[used++] = '\n';
	return write(fd, line, used) == (ssize_t)used ? 0 : -1;
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

static int read_one(const char *path, struct history *h, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;
	char *line, *next;

	if (fs_read_file(path, FS_LINKS_FOLLOW_DIRS, 2 * HISTORY_MAX_BYTES, &text, &len, err) < 0)
		return err->errnum == ENOENT ? 0 : -1;
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			break; /* a line still being written */
		*next++ = '\0';
		if (add_line(h, line) < 0)
			return error_set(err, ENOMEM, "read `%s`", path);
	}
	return 0;
}

int history_read(const char *dir, struct history *out, struct error *err)
{
	char path[PATH_MAX], old[PATH_MAX + 2];

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/" HISTORY_FILE, dir);
	snprintf(old, sizeof(old), "%s.1", path);
	if (read_one(old, out, err) < 0 || read_one(path, out, err) < 0) {
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
