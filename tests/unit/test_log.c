// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the log: what a container id, path or annotation holds is shown, never obeyed. */
#include "tap.h"
#include <fcntl.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/log.h"

/* log_escape of @in must give @expected. */
static void escapes(const char *in, const char *expected, const char *desc)
{
	char out[LOG_ESCAPED_SIZE(256)];

	log_escape(in, out, sizeof(out));
	is_str(out, expected, "%s", desc);
}

static void test_escape(void)
{
	escapes("container 4f2a: wrote `/p.json`", "container 4f2a: wrote `/p.json`",
		"printable ASCII is kept as it is");
	escapes("a\nb", "a\\x0ab", "a newline is escaped");
	escapes("a\rb\tc", "a\\x0db\\x09c", "carriage return and tab are escaped");
	escapes("\x1b[31mred", "\\x1b[31mred", "ESC (a terminal sequence) is escaped");
	escapes("\x01\x1f", "\\x01\\x1f", "the other bytes below 0x20 are escaped");
	escapes("del\x7f", "del\\x7f", "DEL (0x7f) is escaped");
	escapes("a\\x0ab", "a\\\\x0ab", "a backslash is doubled: escaped text is never ambiguous");
	escapes("next\xc2\x85line", "next\\u0085line", "U+0085 NEL is escaped");
	escapes("\xc2\x80\xc2\x9b\xc2\x9f", "\\u0080\\u009b\\u009f",
		"the C1 controls U+0080-U+009F (U+009B is CSI) are escaped");
	escapes("a\xe2\x80\xae"
		"cba",
		"a\\u202ecba", "U+202E RIGHT-TO-LEFT OVERRIDE is escaped");
	escapes("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d",
		"the embeddings and overrides U+202A-U+202D are escaped");
	escapes("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069",
		"the isolates U+2066-U+2069 are escaped");
	escapes("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c",
		"the marks U+200E, U+200F and U+061C are escaped");
	escapes("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029",
		"the line and paragraph separators U+2028, U+2029 are escaped");
	escapes("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\xb3 \xe2\x80\x94",
		"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\xb3 \xe2\x80\x94",
		"other UTF-8 (accents, CJK, emoji, an em dash) is kept");
	escapes("\x85x", "\\x85x", "a lone continuation byte (raw 0x85) is escaped as a byte");
	escapes("\x9b"
		"31m",
		"\\x9b31m", "a raw 8-bit CSI byte is escaped as a byte");
	escapes("end\xc2", "end\\xc2", "a sequence cut at the end is escaped as bytes");
	escapes("\xc0\x8a", "\\xc0\\x8a", "an overlong newline (C0 8A) is escaped as bytes");
	escapes("\xe0\x82\x85", "\\xe0\\x82\\x85", "an overlong NEL is escaped as bytes");
	escapes("\xed\xa0\x80", "\\xed\\xa0\\x80", "a UTF-16 surrogate is escaped as bytes");
	escapes("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",
		"a code point above U+10FFFF is escaped");

	char small[8];

	is_int(log_escape("abcd\nef", small, sizeof(small)), 4, "a short buffer takes what fits");
	is_str(small, "abcd", "and is cut before an escape that does not fit, NUL-terminated");
	is_int(log_escape("abc\xe2\x80\xae", small, sizeof(small)), 3,
	       "a short buffer is cut at a character boundary");
}

/* The content of @path, or NULL. */
static char *slurp(const char *path)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = calloc(1, 65536);
	ssize_t n;

	if (fd < 0 || !buf) {
		free(buf);
		return NULL;
	}
	n = read(fd, buf, 65535);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int count_lines(const char *text)
{
	int n = 0;

	for (const char *c = text; c && *c; c++)
		n += *c == '\n';
	return n;
}

/* A container id, an annotation and a path that try to forge, reorder and hide log lines. */
#define FORGED_ID "c0ffee\noci-seccomp-recorder: error: forged"
#define FORGED_VALUE               \
	"of:/tmp/p.json\r\xc2\x85" \
	"forged \xe2\x80\xae"      \
	"nosj.p"

static void test_log_file(const char *dir)
{
	char path[4096];
	struct error err = { 0 };
	cleanup_free char *text = NULL;

	snprintf(path, sizeof(path), "%s/log", dir);
	if (!ok(log_open_file(path, &err) == 0, "a log file opens")) {
		diag("%s", err.msg);
		return;
	}
	log_set_level(LOG_LEVEL_INFO);
	log_set_context("container " FORGED_ID ": ");
	log_info("annotation value `%s`", FORGED_VALUE);
	log_set_context(NULL);
	log_close_file();
	text = slurp(path);
	if (!ok(text != NULL, "the log file reads back"))
		return;
	is_int(count_lines(text), 1, "one message is one line in the log file, whatever it quotes");
	like(text, "container c0ffee\\x0aoci-seccomp-recorder: error: forged: ",
	     "the context's newline is escaped");
	like(text, "`of:/tmp/p.json\\x0d\\u0085forged \\u202enosj.p`",
	     "the message's CR, NEL and RLO are escaped");
	unlike(text, "\xe2\x80\xae", "no raw U+202E reaches the file");
	unlike(text, "\xc2\x85", "no raw U+0085 reaches the file");
}

static void test_stderr(const char *dir)
{
	char path[4096];
	cleanup_free char *text = NULL;
	cleanup_close int saved = dup(STDERR_FILENO);
	int fd;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (!ok(fd >= 0 && saved >= 0, "stderr can be captured"))
		return;
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	close(fd);
	log_set_context("container " FORGED_ID ": ");
	log_error("cannot read `%s`", FORGED_VALUE);
	log_set_context(NULL);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	text = slurp(path);
	if (!ok(text != NULL, "the captured stderr reads back"))
		return;
	is_int(count_lines(text), 1, "one message is one line on stderr");
	like(text, "oci-seccomp-recorder: error: container c0ffee\\x0aoci-seccomp-recorder",
	     "the forged line start is shown escaped on stderr");
	like(text, "\\u0085forged \\u202enosj.p", "NEL and RLO are escaped on stderr");
}

int main(void)
{
	cleanup_free char *dir = tap_mkdtemp("log");

	test_escape();
	if (!dir) {
		ok(false, "a temporary directory");
		return done_testing();
	}
	test_log_file(dir);
	test_stderr(dir);
	if (tap_rmtree(dir) < 0)
		diag("could not remove %s", dir);
	return done_testing();
}
