// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replay a fuzz corpus through a harness without libFuzzer: every file named, and every file
 * of every directory named, goes once through LLVMFuzzerTestOneInput, as one TAP check.
 * A harness reports a bug by crashing (abort, sanitizer report): the TAP line written from the
 * crash names the input.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "../unit/tap.h"

/* Corpus files are small; anything larger is a mistake in the corpus, not an input. */
#define REPLAY_MAX_BYTES (16 * 1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Present in sanitizer builds (-Db_sanitize=address): called before a report ends the run. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* The TAP line for the input being run, written as is if it kills the process. */
static char crash_line[4200];
static size_t crash_line_len;

static void report_crash(void)
{
	if (crash_line_len)
		(void)!write(STDOUT_FILENO, crash_line, crash_line_len);
	crash_line_len = 0;
}

static void on_fatal_signal(int sig)
{
	report_crash();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int read_input(const char *path, uint8_t **out, size_t *out_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t len = 0;
	struct stat st;
	uint8_t *buf;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > REPLAY_MAX_BYTES) {
		close(fd);
		return -EINVAL;
	}
	/* Exactly the input's size, so that a sanitizer sees any read past its end. */
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			close(fd);
			return n < 0 ? -errno : -EIO;
		}
		len += (size_t)n;
	}
	close(fd);
	*out = buf;
	*out_len = len;
	return 0;
}

static void replay_file(const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int ret = read_input(path, &data, &len);

	if (ret < 0) {
		ok(false, "%s", path);
		diag("cannot read `%s`: %s", path, strerror(-ret));
		return;
	}
	crash_line_len = (size_t)snprintf(crash_line, sizeof(crash_line),
					  "not ok %d - %s\n# the harness crashed on `%s`\n",
					  tap_run + 1, path, path);
	if (crash_line_len >= sizeof(crash_line))
		crash_line_len = sizeof(crash_line) - 1;
	LLVMFuzzerTestOneInput(data, len);
	crash_line_len = 0;
	free(data);
	ok(true, "%s", path);
}

static int skip_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Returns the number of inputs replayed. */
static int replay_path(const char *path)
{
	struct dirent **entries;
	struct stat st;
	int n, count = 0;

	if (stat(path, &st) < 0) {
		ok(false, "%s", path);
		diag("cannot stat `%s`: %s", path, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path);
		return 1;
	}
	/* Sorted, so that a run's TAP numbers name the same files each time. */
	n = scandir(path, &entries, skip_entry, alphasort);
	if (n < 0) {
		ok(false, "%s", path);
		diag("cannot list `%s`: %s", path, strerror(errno));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		char *child;

		if (asprintf(&child, "%s/%s", path, entries[i]->d_name) >= 0) {
			if (stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
				replay_file(child);
				count++;
			}
			free(child);
		}
		free(entries[i]);
	}
	free(entries);
	return count;
}

int main(int argc, char **argv)
{
	static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	int total = 0;

	if (argc < 2) {
		fprintf(stderr, "Usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	/* A sanitizer reports faults itself (and then calls us back); abort() is ours either way.
	 */
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(report_crash);
		signal(SIGABRT, on_fatal_signal);
	} else {
		for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
			signal(fatal_signals[i], on_fatal_signal);
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		total += replay_path(argv[i]);
	/* An empty corpus replays nothing and would pass: a wrong path must fail instead. */
	if (total == 0)
		ok(false, "the corpus holds at least one input");
	return done_testing();
}
