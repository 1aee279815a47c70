// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Messages to stderr, syslog (identifier oci-seccomp-recorder) and an optional log file, each
 * one line whose text is escaped: what a pod author wrote cannot start a line or reorder one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/escape.h"
#include "base/log.h"

#define SYSLOG_SOCKET "/dev/log"
#define LOG_TEXT_MAX 2048

static enum log_level max_level = LOG_LEVEL_WARNING;
static bool to_stderr = true;
static bool to_syslog;
static int log_fd = -1;
static char context[160];

static const char *const level_names[] = { "error", "warning", "info", "debug" };
static const int syslog_priorities[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

int log_level_parse(const char *name, enum log_level *level)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void log_set_level(enum log_level level)
{
	max_level = level;
}

int log_set_level_named(const char *name)
{
	enum log_level level;

	if (log_level_parse(name, &level) < 0) {
		log_error("unknown log level `%s` (error, warning, info or debug)", name);
		return -1;
	}
	log_set_level(level);
	return 0;
}

int log_open_file(const char *path, struct error *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
	struct stat st;

	if (fd < 0)
		return error_set(err, errno, "open log file `%s`", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_set(err, 0, "log file `%s` is not a regular file", path);
	}
	if (log_fd >= 0)
		close(log_fd);
	log_fd = fd;
	return 0;
}

void log_close_file(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

void log_detach(void)
{
	to_stderr = false;
	if (access(SYSLOG_SOCKET, F_OK) == 0) {
		openlog("oci-seccomp-recorder", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		to_syslog = true;
	}
}

void log_set_context(const char *ctx)
{
	snprintf(context, sizeof(context), "%s", ctx ? ctx : "");
}

void log_sinks_get(struct log_sinks *s)
{
	*s = (struct log_sinks){ max_level, to_stderr, to_syslog, log_fd, context };
}

void log_sinks_adopt(const struct log_sinks *s)
{
	max_level = s->level;
	to_stderr = s->to_stderr;
	log_fd = s->fd;
	log_set_context(s->context);
	if (s->to_syslog && !to_syslog) {
		openlog("oci-seccomp-recorder", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		to_syslog = true;
	}
}

const char *log_level_name(enum log_level level)
{
	return level <= LOG_LEVEL_DEBUG ? level_names[level] : "info";
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char raw[LOG_TEXT_MAX], text[LOG_ESCAPED_SIZE(LOG_TEXT_MAX)];
	char ctx[LOG_ESCAPED_SIZE(sizeof(context))];
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_escape(raw, text, sizeof(text));
	log_escape(context, ctx, sizeof(ctx));

	if (to_stderr)
		fprintf(stderr, "oci-seccomp-recorder: %s%s%s\n",
			level == LOG_LEVEL_ERROR   ? "error: " :
			level == LOG_LEVEL_WARNING ? "warning: " :
						     "",
			ctx, text);
	if (to_syslog)
		syslog(syslog_priorities[level], "%s%s", ctx, text);
	if (log_fd >= 0) {
		char stamp[64];
		struct timespec now;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &now);
		gmtime_r(&now.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		dprintf(log_fd, "%s.%03ldZ oci-seccomp-recorder[%d] %s: %s%s\n", stamp,
			now.tv_nsec / 1000000, (int)getpid(), level_names[level], ctx, text);
	}
}
