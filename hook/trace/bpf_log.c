// SPDX-License-Identifier: GPL-2.0-or-later
/* libbpf's messages: the verifier's log kept whole for --log-level debug, its tail for errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace/bpf_log.h"
#include "base/log.h"

/* How libbpf frames a program's verifier log in its warning (libbpf.c). */
#define LOG_BEGIN "-- BEGIN PROG LOAD LOG --"
#define LOG_END "-- END PROG LOAD LOG --"
#define REASON_MAX 512

static char reason[REASON_MAX];
static char *verifier_log;

void bpf_log_reset(void)
{
	reason[0] = '\0';
	free(verifier_log);
	verifier_log = NULL;
}

static void log_lines(const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");

		log_debug("verifier: %.*s", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

/* libbpf hands the whole log in one message, of any size: never cut it at a line buffer. */
static void keep_verifier_log(const char *begin)
{
	const char *start = begin + strlen(LOG_BEGIN), *end;

	if (*start == '\n')
		start++;
	end = strstr(start, LOG_END);
	free(verifier_log);
	verifier_log = strndup(start, end ? (size_t)(end - start) : strlen(start));
	if (!verifier_log)
		return;
	log_debug("the verifier's log (%zu bytes):", strlen(verifier_log));
	log_lines(verifier_log);
}

int bpf_log_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg = NULL, *begin;
	size_t len;

	/* libbpf's debug level narrates every relocation: only warnings and notes are kept. */
	if (level == LIBBPF_DEBUG || vasprintf(&msg, fmt, ap) < 0)
		return 0;
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	begin = strstr(msg, LOG_BEGIN);
	if (begin) {
		keep_verifier_log(begin);
	} else if (len) {
		if (level == LIBBPF_WARN)
			snprintf(reason, sizeof(reason), "%s", msg);
		log_debug("%s", msg);
	}
	free(msg);
	return 0;
}

const char *bpf_log_reason(void)
{
	return reason[0] ? reason : "no reason given";
}

const char *bpf_log_verifier(void)
{
	return verifier_log;
}

/* The line of @log that ends before @end, blanks trimmed: its start in *@start, its length. */
static size_t line_before(const char *log, const char *end, const char **start)
{
	const char *s = end;

	while (s > log && s[-1] != '\n')
		s--;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*start = s;
	return (size_t)(end - s);
}

size_t bpf_log_tail(const char *log, size_t n, char *out, size_t size)
{
	const char *starts[BPF_LOG_TAIL_LINES * 4];
	size_t lens[BPF_LOG_TAIL_LINES * 4], found = 0, used = 0;
	const char *end;

	if (size)
		out[0] = '\0';
	if (!log || !size)
		return 0;
	if (n > sizeof(starts) / sizeof(starts[0]))
		n = sizeof(starts) / sizeof(starts[0]);
	end = log + strlen(log);
	while (found < n && end > log) {
		const char *s;
		size_t len = line_before(log, end, &s);

		while (end > log && end[-1] != '\n')
			end--;
		if (end > log)
			end--; /* the newline before this line */
		if (!len)
			continue;
		starts[found] = s;
		lens[found++] = len;
	}
	for (size_t i = found; i-- > 0 && used + 1 < size;) {
		int w = snprintf(out + used, size - used, "%s%.*s", i + 1 < found ? " | " : "",
				 (int)lens[i], starts[i]);

		used += w < 0 ? 0 : (size_t)w;
	}
	return found;
}
