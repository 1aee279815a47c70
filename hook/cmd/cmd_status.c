// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `status [--wait] [PATH]`: the recent recordings of this host and how each ended, so that a
 * CI step can check that the profile it is about to compare was written by the last run.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "config.h"
#include "oci/history.h"
#include "base/log.h"
#include "oci/path_policy.h"
#include "oci/runstate.h"

#define STATUS_OK 0
#define STATUS_FAILED 1
#define STATUS_ERROR 2 /* also: no recording into PATH, or --wait timed out */
#define STATUS_RUNNING 3
#define STATUS_LIST_MAX 20
#define STATUS_POLL_MS 100
#define DEFAULT_WAIT_S 60

struct status_options {
	const char *state_dir;
	int timeout_s;
	bool wait;
	const char *path; /* PATH, NULL when none */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder status [OPTIONS] [PATH]\n\n"
		"List the recent recordings of this host, newest first: when, the container, how\n"
		"it ended (ok, running, or why it failed) and the profile's path. With PATH, the\n"
		"recordings into PATH only, and the exit status says how the newest one ended:\n"
		"0 ok, 1 failed, 2 no such recording (or an error), 3 still running.\n\n"
		"      --wait            with PATH: wait until its newest recording has ended\n"
		"      --timeout SECS    how long --wait waits (default %d); then exit 2\n"
		"      --state-dir DIR   the hook's --state-dir (default " RUNSTATEDIR ")\n"
		"      --log-level LVL   error, warning (default), info or debug\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n",
		DEFAULT_WAIT_S);
}

/* How an entry stands now: a start without an end is running only while its tracer lives. */
static int outcome(const char *state_dir, const struct history_entry *e, const char **why)
{
	*why = e->message;
	switch (e->last) {
	case HISTORY_OK:
		return STATUS_OK;
	case HISTORY_FAILED:
		return STATUS_FAILED;
	default:
		if (runstate_is_running(state_dir, e->id))
			return STATUS_RUNNING;
		*why = HISTORY_TRACER_DIED;
		return STATUS_FAILED;
	}
}

/* Text from the log, shown to a terminal: no control character reaches it as such. */
static void print_text(const char *s)
{
	char buf[LOG_ESCAPED_SIZE(1024)];

	log_escape(s ? s : "", buf, sizeof(buf));
	fputs(buf, stdout);
}

static void print_entry(const char *state_dir, const struct history_entry *e)
{
	static const char *const names[] = { "ok", "failed", "", "running" };
	const char *why;
	int st = outcome(state_dir, e, &why);
	time_t when = e->ended ? e->ended : e->started;
	char stamp[32] = "?", short_id[13], id[LOG_ESCAPED_SIZE(sizeof(short_id))];
	struct tm tm;

	if (when && gmtime_r(&when, &tm))
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* The first 12 bytes of the id, escaped: a runtime may let its caller choose it. */
	snprintf(short_id, sizeof(short_id), "%s", e->id ? e->id : "");
	log_escape(short_id, id, sizeof(id));
	printf("%s  %-12s  %-7s  ", stamp, id, names[st]);
	print_text(e->path);
	if (st == STATUS_FAILED || (st == STATUS_OK && why && *why)) {
		fputs(st == STATUS_FAILED ? "  " : "  (", stdout);
		print_text(why);
		fputs(st == STATUS_FAILED ? "" : ")", stdout);
	}
	if (st == STATUS_OK && e->push != HISTORY_STARTED) {
		fputs(e->push == HISTORY_PUSHED	    ? "  pushed " :
		      e->push == HISTORY_PUBLISHING ? "  pushing to " :
						      "  not pushed: ",
		      stdout);
		print_text(e->push_message);
	}
	putchar('\n');
}

/* The newest recording into @path, or NULL. */
static const struct history_entry *newest_into(const struct history *h, const char *path)
{
	for (size_t i = h->n; i-- > 0;)
		if (strcmp(h->v[i].path, path) == 0)
			return &h->v[i];
	return NULL;
}

/* @arg made absolute and normalized, as the hook keeps the paths it records into. */
static char *absolute(const char *arg)
{
	char cwd[PATH_MAX], *path;

	if (arg[0] == '/') {
		path = strdup(arg);
	} else {
		if (!getcwd(cwd, sizeof(cwd)) || asprintf(&path, "%s/%s", cwd, arg) < 0)
			return NULL;
	}
	if (path)
		path_normalize(path);
	return path;
}

/*
 * One look at the newest recording into @path: how it stands (printed, unless it runs and
 * --wait waits for it), or STATUS_ERROR when there is none or the log cannot be read (logged).
 */
static int look(const struct status_options *o, const char *path)
{
	cleanup_history struct history h = { 0 };
	struct error err = { 0 };
	const struct history_entry *e;
	const char *why;
	int st;

	if (history_read(o->state_dir, &h, &err) < 0) {
		log_error("status: %s", err.msg);
		return STATUS_ERROR;
	}
	e = newest_into(&h, path);
	if (!e) {
		log_error("status: no recording into `%s` is known in `%s`", path, o->state_dir);
		return STATUS_ERROR;
	}
	st = outcome(o->state_dir, e, &why);
	/* --wait waits for a push under way too (it ends within --publish-timeout). */
	if (st == STATUS_OK && o->wait && e->push == HISTORY_PUBLISHING)
		st = STATUS_RUNNING;
	if (st != STATUS_RUNNING || !o->wait)
		print_entry(o->state_dir, e);
	return st;
}

static int status_of_path(const struct status_options *o)
{
	cleanup_free char *path = absolute(o->path);
	struct timespec pause = { 0, STATUS_POLL_MS * 1000000L };

	if (!path) {
		log_error("status: `%s`: %s", o->path, strerror(errno));
		return STATUS_ERROR;
	}
	for (long waited_ms = 0;; waited_ms += STATUS_POLL_MS) {
		int st = look(o, path);

		if (st != STATUS_RUNNING || !o->wait)
			return st;
		if (waited_ms >= (long)o->timeout_s * 1000) {
			log_error("status: the recording into `%s` is still running after %d s",
				  path, o->timeout_s);
			return STATUS_ERROR;
		}
		nanosleep(&pause, NULL);
	}
}

static int own_option(int opt, const char *arg, void *data)
{
	struct status_options *o = data;
	char *end;

	switch (opt) {
	case 'w':
		o->wait = true;
		return 0;
	case 't':
		o->timeout_s = (int)strtol(arg, &end, 10);
		if (*end || end == arg || o->timeout_s < 0 || o->timeout_s > 86400) {
			log_error("status: --timeout takes seconds from 0 to 86400, not `%s`", arg);
			return STATUS_ERROR;
		}
		return 0;
	case 'D':
		o->state_dir = arg;
		return 0;
	}
	return OPTIONS_UNKNOWN;
}

static const struct option status_longopts[] = {
	{ "wait", no_argument, NULL, 'w' },
	{ "timeout", required_argument, NULL, 't' },
	{ "state-dir", required_argument, NULL, 'D' },
	COMMON_OPTIONS,
};

static const struct command_line status_line = {
	.name = "status",
	.usage = usage,
	.shortopts = "+hV",
	.longopts = status_longopts,
	.log_level = LOG_LEVEL_WARNING,
	.own = own_option,
};

/* argv -> @o. */
static int parse(int argc, char **argv, struct status_options *o)
{
	int status = options_parse(&status_line, argc, argv, o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (argc - optind > 1) {
		log_error("status: give one profile path at most");
		return STATUS_ERROR;
	}
	o->path = optind < argc ? argv[optind] : NULL;
	if (!o->path && o->wait) {
		log_error("status: --wait needs the PATH of a profile");
		return STATUS_ERROR;
	}
	return OPTIONS_RUN;
}

/* PATH's newest recording, or the recent ones, on stdout: the exit status. */
static int run(const struct status_options *o)
{
	cleanup_history struct history h = { 0 };
	struct error err = { 0 };

	if (o->path)
		return status_of_path(o);
	if (history_read(o->state_dir, &h, &err) < 0) {
		log_error("status: %s", err.msg);
		return STATUS_ERROR;
	}
	for (size_t i = h.n, shown = 0; i-- > 0 && shown < STATUS_LIST_MAX; shown++)
		print_entry(o->state_dir, &h.v[i]);
	return fflush(stdout) == 0 ? STATUS_OK : STATUS_ERROR;
}

int cmd_status(int argc, char **argv)
{
	struct status_options o = { .state_dir = RUNSTATEDIR, .timeout_s = DEFAULT_WAIT_S };
	int status = parse(argc, argv, &o);

	return status == OPTIONS_RUN ? run(&o) : status;
}
