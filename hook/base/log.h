/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Messages: stderr for commands, syslog and/or a file for the detached tracer. */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>
#include "base/error.h"
#include "base/escape.h"

enum log_level { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARNING, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Parse "error", "warning", "info" or "debug". Returns -1 on an unknown name. */
int log_level_parse(const char *name, enum log_level *level);
void log_set_level(enum log_level level);
/* --log-level: set the level named @name, or say it is unknown (on stderr) and return -1. */
int log_set_level_named(const char *name);

/* Append messages to @path (opened O_APPEND|O_NOFOLLOW) in addition to the other sinks. */
int log_open_file(const char *path, struct error *err);
/* Stop writing to the log file (before a process renumbers its descriptors). */
void log_close_file(void);
/* Stop writing to stderr; use syslog when a syslog socket exists. For the detached tracer. */
void log_detach(void);
/* A tag put in front of every message ("container 4f2a...: "). */
void log_set_context(const char *context);

/* Where this process logs, to run a helper (main_analyze.c) that logs the same way. */
struct log_sinks {
	enum log_level level;
	bool to_stderr, to_syslog;
	int fd; /* the log file's descriptor, or -1 */
	const char *context;
};
void log_sinks_get(struct log_sinks *s);
/* The helper's side: its messages go where @s says (@s->fd inherited). */
void log_sinks_adopt(const struct log_sinks *s);
/* "error", "warning", "info" or "debug". */
const char *log_level_name(enum log_level level);

/* escape_text (base/escape.h) without flags: the form of every log line and of status. */
static inline size_t log_escape(const char *in, char *out, size_t size)
{
	return escape_text(in, out, size, 0);
}
#define LOG_ESCAPED_SIZE(n) ESCAPED_SIZE(n)

/* Every message is escaped (log_escape): a container id, path or annotation in it is shown,
 * never obeyed by a terminal or a log reader. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif /* LOG_H */
