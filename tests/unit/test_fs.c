// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the file module: atomic replacement, what it refuses to open, and its limits. */
#include "tap.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "base/cleanup.h"
#include "base/fs.h"

#define READ_MAX (1 << 20)
/* How long a read of a FIFO may take before it counts as blocked. */
#define FIFO_TIMEOUT_MS 2000

static const char *root; /* the test's temporary directory */

/* @root/@name, in a ring of 64 buffers: a test keeps fewer paths than that at once. */
static const char *at(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *at(const char *fmt, ...)
{
	static char ring[64][4096];
	static unsigned int next;
	char *buf = ring[next++ % 64];
	char name[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	snprintf(buf, sizeof(ring[0]), "%s/%s", root, name);
	return buf;
}

static int put_file(const char *path, const char *content, mode_t mode)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	size_t len = strlen(content);

	if (fd < 0 || write(fd, content, len) != (ssize_t)len || fchmod(fd, mode) < 0) {
		diag("fixture %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The content of @path read with plain stdio, or NULL. */
static char *slurp(const char *path)
{
	cleanup_file FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &cap, '\0', f);
	if (n < 0) {
		free(buf);
		return strdup("");
	}
	return buf;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory @path, sorted and joined by ',' ("" when empty, "?" on error). */
static char *listing(const char *path)
{
	cleanup_free char *joined = NULL;
	char *names[64];
	size_t n = 0, len = 1;
	struct dirent *e;
	DIR *d = opendir(path);

	if (!d)
		return strdup("?");
	while ((e = readdir(d)) && n < 64)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), compare_strings);
	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	joined = calloc(1, len);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(joined, ",");
		strcat(joined, names[i]);
		free(names[i]);
	}
	return TAKE_PTR(joined);
}

static void is_listing(const char *dir, const char *expected, const char *desc)
{
	cleanup_free char *got = listing(dir);

	is_str(got, expected, "%s", desc);
}

/* openat2 says "symlink"; the component walk of kernels before 5.6 gives ELOOP's text. */
static void says_symlink(const char *msg, const char *desc)
{
	bool says = strstr(msg, "symlink") || strstr(msg, "symbolic link");

	if (!ok(says, "%s", desc))
		diag("expected the message to say a symlink is refused, got \"%s\"", msg);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) < 0 ? (mode_t)-1 : st.st_mode;
}

static void test_write_new(void)
{
	const char *dir = at("new"), *path = at("new/out.json"), *none = at("new/none.json");
	const char *empty = at("new/empty.json");
	cleanup_free char *content = NULL;
	struct error err = { 0 };
	int ret;

	mkdir(dir, 0755);
	ret = fs_write_atomic(path, FS_LINKS_FOLLOW_DIRS, "hello\n", 6, 0644, &err);
	if (!is_int(ret, 0, "fs_write_atomic creates a new file"))
		diag("error: %s", err.msg);
	ok(S_ISREG(mode_of(path)), "the new file is a regular file");
	is_mode(mode_of(path) & 07777, 0644,
		"the new file has mode 0644 although the umask is 077");
	content = slurp(path);
	is_str(content, "hello\n", "the new file holds exactly the data");

	ret = fs_write_atomic(none, FS_LINKS_NONE, "{}", 2, 0640, &err);
	if (!is_int(ret, 0, "fs_write_atomic creates a file with FS_LINKS_NONE"))
		diag("error: %s", err.msg);
	is_mode(mode_of(none) & 07777, 0640, "the mode given is the mode of a new file");
	ret = fs_write_atomic(empty, FS_LINKS_NONE, "", 0, 0644, &err);
	ok(ret == 0 && (mode_of(empty) & S_IFMT) == S_IFREG, "zero bytes make an empty file");
	is_listing(dir, "empty.json,none.json,out.json", "no temporary file is left after success");
}

static void test_replace(void)
{
	const char *dir = at("replace"), *path = at("replace/keep.json");
	cleanup_free char *content = NULL;
	struct error err = { 0 };
	struct stat before = { 0 }, after = { 0 };
	int ret;

	mkdir(dir, 0755);
	put_file(path, "old content that is longer than the new one\n", 0600);
	stat(path, &before);
	ret = fs_write_atomic(path, FS_LINKS_NONE, "new\n", 4, 0644, &err);
	if (!is_int(ret, 0, "fs_write_atomic replaces an existing file"))
		diag("error: %s", err.msg);
	stat(path, &after);
	is_mode(after.st_mode & 07777, 0600, "the replaced file keeps its mode 0600");
	content = slurp(path);
	is_str(content, "new\n", "the replaced file holds exactly the new data");
	ok(before.st_ino != after.st_ino, "the file was renamed over, not rewritten in place");
	is_listing(dir, "keep.json", "no temporary file is left after a replacement");
}

static void test_symlink_target(void)
{
	const char *dir = at("symlink"), *victim = at("symlink/victim.txt");
	const char *link = at("symlink/link.json"), *dangling = at("symlink/dangling.json");
	const char *outside = at("outside");
	cleanup_free char *content = NULL, *victim_content = NULL;
	struct error err = { 0 };
	int ret;

	mkdir(dir, 0755);
	mkdir(outside, 0755);
	put_file(victim, "victim\n", 0600);
	symlink("victim.txt", link);
	symlink(at("outside/created"), dangling);

	ret = fs_write_atomic(link, FS_LINKS_NONE, "profile\n", 8, 0644, &err);
	if (!is_int(ret, 0, "fs_write_atomic onto a symlink succeeds"))
		diag("error: %s", err.msg);
	ok(S_ISREG(mode_of(link)), "the symlink is replaced by a regular file");
	is_mode(mode_of(link) & 07777, 0644, "the file that replaced the symlink has the new mode");
	content = slurp(link);
	is_str(content, "profile\n", "the file that replaced the symlink holds the data");
	victim_content = slurp(victim);
	is_str(victim_content, "victim\n", "the symlink's target is unchanged");
	is_mode(mode_of(victim) & 07777, 0600, "the symlink's target keeps its mode");

	ret = fs_write_atomic(dangling, FS_LINKS_FOLLOW_DIRS, "x", 1, 0644, &err);
	ok(ret == 0 && S_ISREG(mode_of(dangling)), "a dangling symlink is replaced too");
	is_listing(outside, "", "nothing is created where the dangling symlink pointed");
	is_listing(dir, "dangling.json,link.json,victim.txt", "no temporary file is left");
}

static void test_refused_targets(void)
{
	const char *dir = at("refused"), *fifo = at("refused/fifo.json");
	const char *sub = at("refused/dir.json"), *file = at("refused/file.txt");
	struct error err = { 0 };
	int ret;

	mkdir(dir, 0755);
	mkfifo(fifo, 0644);
	mkdir(sub, 0755);
	put_file(file, "file\n", 0644);

	ret = fs_write_atomic(fifo, FS_LINKS_NONE, "x", 1, 0644, &err);
	is_int(ret, -1, "fs_write_atomic refuses a FIFO at the target");
	like(err.msg, "exists and is not a regular file", "the message says a FIFO is in the way");
	ok(S_ISFIFO(mode_of(fifo)), "the FIFO is still there");

	ret = fs_write_atomic(sub, FS_LINKS_FOLLOW_DIRS, "x", 1, 0644, &err);
	is_int(ret, -1, "fs_write_atomic refuses a directory at the target");
	like(err.msg, "exists and is not a regular file",
	     "the message says a directory is in the way");
	is_listing(sub, "", "nothing is created in that directory");

	ret = fs_write_atomic(at("refused/dir.json/"), FS_LINKS_NONE, "x", 1, 0644, &err);
	is_int(ret, -1, "fs_write_atomic refuses a path ending in /");
	like(err.msg, "names a directory, not a file",
	     "the message says the path names a directory");
	ret = fs_write_atomic(at("refused/.."), FS_LINKS_NONE, "x", 1, 0644, &err);
	is_int(ret, -1, "fs_write_atomic refuses a path ending in ..");
	like(err.msg, "names a directory, not a file", "the message says .. names a directory");

	ret = fs_write_atomic(at("refused/missing/sub/x.json"), FS_LINKS_FOLLOW_DIRS, "x", 1, 0644,
			      &err);
	is_int(ret, -1, "fs_write_atomic refuses a missing parent directory");
	like(err.msg, "does not exist", "the message says the directory does not exist");
	like(err.msg, at("refused/missing/sub/x.json"), "the message names the path");
	ret = fs_write_atomic(at("refused/missing/x.json"), FS_LINKS_NONE, "x", 1, 0644, &err);
	is_int(ret, -1, "fs_write_atomic refuses a missing parent directory (FS_LINKS_NONE)");
	like(err.msg, "does not exist", "the message says so with FS_LINKS_NONE too");
	ok(access(at("refused/missing"), F_OK) < 0 && errno == ENOENT, "no directory is created");

	ret = fs_write_atomic(at("refused/file.txt/x.json"), FS_LINKS_FOLLOW_DIRS, "x", 1, 0644,
			      &err);
	is_int(ret, -1, "fs_write_atomic refuses a parent that is a file");
	like(err.msg, "is not a directory", "the message says the parent is not a directory");
	is_listing(dir, "dir.json,fifo.json,file.txt", "no temporary file is left after failures");
}

static void test_symlinked_dirs(void)
{
	const char *real = at("real"), *link = at("linkdir");
	struct error err = { 0 };
	int ret;

	mkdir(real, 0755);
	mkdir(at("real/sub"), 0755);
	symlink("real", link);

	/* FS_LINKS_FOLLOW_DIRS: "directories may be links (a user's own command line)". */
	ret = fs_write_atomic(at("linkdir/sub/a.json"), FS_LINKS_FOLLOW_DIRS, "a", 1, 0644, &err);
	if (!is_int(ret, 0, "FS_LINKS_FOLLOW_DIRS writes through a symlinked directory"))
		diag("error: %s", err.msg);
	ret = fs_write_atomic(at("linkdir/b.json"), FS_LINKS_FOLLOW_DIRS, "b", 1, 0644, &err);
	if (!is_int(ret, 0,
		    "FS_LINKS_FOLLOW_DIRS writes into a parent directory that is a symlink"))
		diag("error: %s", err.msg);

	ret = fs_write_atomic(at("linkdir/sub/c.json"), FS_LINKS_NONE, "c", 1, 0644, &err);
	is_int(ret, -1, "FS_LINKS_NONE refuses a directory component that is a symlink");
	says_symlink(err.msg, "the message says a symlink is refused");
	ret = fs_check_writable(at("linkdir/sub/c.json"), FS_LINKS_NONE, &err);
	is_int(ret, -1, "fs_check_writable with FS_LINKS_NONE refuses it too");
	is_listing(at("real/sub"), "a.json", "nothing but a.json is written below the link");
}

static void test_check_writable(void)
{
	const char *dir = at("check");
	struct error err = { 0 };
	char cwd[4096];
	int ret;

	mkdir(dir, 0755);
	mkdir(at("check/sub"), 0755);
	put_file(at("check/file.json"), "x", 0644);
	symlink("file.json", at("check/link.json"));
	mkfifo(at("check/fifo"), 0644);

	is_int(fs_check_writable(at("check/file.json"), FS_LINKS_NONE, &err), 0,
	       "fs_check_writable accepts an existing regular file");
	is_int(fs_check_writable(at("check/new.json"), FS_LINKS_NONE, &err), 0,
	       "fs_check_writable accepts an absent file");
	is_int(fs_check_writable(at("check/link.json"), FS_LINKS_NONE, &err), 0,
	       "fs_check_writable accepts a symlink (it is replaced)");
	ret = fs_check_writable(at("check/sub"), FS_LINKS_NONE, &err);
	is_int(ret, -1, "fs_check_writable refuses a directory");
	like(err.msg, "exists and is not a regular file", "the message says it is not a file");
	ret = fs_check_writable(at("check/sub/"), FS_LINKS_FOLLOW_DIRS, &err);
	is_int(ret, -1, "fs_check_writable refuses a path ending in /");
	like(err.msg, "names a directory", "the message says the path names a directory");
	is_int(fs_check_writable(at("check/fifo"), FS_LINKS_NONE, &err), -1,
	       "fs_check_writable refuses a FIFO");
	ret = fs_check_writable(at("check/nodir/x.json"), FS_LINKS_NONE, &err);
	is_int(ret, -1, "fs_check_writable refuses a missing directory");
	like(err.msg, "does not exist", "the message says the directory does not exist");

	/* Both must agree on "": fs_write_atomic cannot write it. */
	if (getcwd(cwd, sizeof(cwd)) && chdir(dir) == 0) {
		ret = fs_write_atomic("", FS_LINKS_NONE, "x", 1, 0644, &err);
		is_int(ret, -1, "fs_write_atomic refuses the empty path");
		ret = fs_check_writable("", FS_LINKS_NONE, &err);
		is_int(ret, -1,
		       "fs_check_writable refuses the empty path, as fs_write_atomic does");
		if (chdir(cwd) < 0)
			diag("chdir back to %s failed", cwd);
	}
	is_listing(dir, "fifo,file.json,link.json,sub",
		   "fs_check_writable and failures leave nothing");
}

/*
 * fs_read_file in a child: a read that blocks must fail the test, not hang it. It must be
 * refused within FIFO_TIMEOUT_MS with a message that holds @needle.
 */
static void read_refused(const char *path, enum fs_links links, const char *needle,
			 const char *desc)
{
	char msg[ERROR_MSG_MAX + 1] = "";
	struct pollfd pfd;
	int pipefd[2], status = 0, ret;
	ssize_t n = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		ok(false, "%s: fork a reader", desc);
		return;
	}
	if (pid == 0) {
		struct error err = { 0 };
		char *buf = NULL;
		size_t len;

		close(pipefd[0]);
		ret = fs_read_file(path, links, READ_MAX, &buf, &len, &err);
		if (ret == 0)
			snprintf(err.msg, sizeof(err.msg), "read %zu bytes", len);
		if (write(pipefd[1], err.msg, strlen(err.msg)) < 0)
			_exit(3);
		_exit(ret == -1 ? 0 : 1);
	}
	close(pipefd[1]);
	pfd = (struct pollfd){ .fd = pipefd[0], .events = POLLIN };
	ret = poll(&pfd, 1, FIFO_TIMEOUT_MS);
	if (!ok(ret == 1, "%s: fs_read_file returns within %d ms", desc, FIFO_TIMEOUT_MS))
		kill(pid, SIGKILL);
	else
		n = read(pipefd[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (!ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: fs_read_file refuses it", desc))
		diag("expected a refusal, got: %s", msg);
	like(msg, needle, "%s: the message says why", desc);
}

static void read_fifo(const char *path, enum fs_links links, const char *desc)
{
	read_refused(path, links, "is not a regular file: it is a FIFO", desc);
}

/*
 * A FIFO whose writer waits in open() for a reader: fs_read_file must refuse it without
 * opening it, or the writer goes on (as it would for a device's open: no side effect at all).
 */
static void test_fifo_not_opened(void)
{
	const char *fifo = at("read/waiting-fifo");
	struct error err = { 0 };
	char *buf = NULL;
	int status = 0, ret;
	size_t len;
	pid_t writer, done;

	if (mkfifo(fifo, 0600) < 0 || (writer = fork()) < 0) {
		ok(false, "a FIFO and a writer waiting on it");
		return;
	}
	if (writer == 0) {
		int fd = open(fifo, O_WRONLY | O_CLOEXEC); /* blocks until a reader opens it */

		_exit(fd < 0 ? 2 : 0);
	}
	usleep(100 * 1000); /* the writer is in open() */
	ret = fs_read_file(fifo, FS_LINKS_NONE, READ_MAX, &buf, &len, &err);
	is_int(ret, -1, "fs_read_file refuses a FIFO a writer waits on");
	usleep(200 * 1000); /* a writer let go by an open would have exited by now */
	done = waitpid(writer, &status, WNOHANG);
	if (!is_int(done, 0, "the FIFO was never opened: its writer still waits for a reader"))
		diag("the writer ended (status %#x): fs_read_file opened the FIFO", status);
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	free(buf);
}

/* Files of the kernel's pseudo file systems: refused at once, whatever their size says. */
static void test_pseudo_files(void)
{
	static const char *const sysfs_files[] = { "/sys/kernel/uevent_seqnum",
						   "/sys/kernel/kexec_loaded",
						   "/sys/kernel/profiling" };
	static const char *const trace_pipes[] = { "/sys/kernel/tracing/trace_pipe",
						   "/sys/kernel/debug/tracing/trace_pipe" };
	char proc_status[64];
	bool found = false;

	read_refused("/proc/self/status", FS_LINKS_FOLLOW_DIRS, "is on procfs",
		     "/proc/self/status (size 0 on procfs)");
	snprintf(proc_status, sizeof(proc_status), "/proc/%d/status", (int)getpid());
	read_refused(proc_status, FS_LINKS_NONE, "is on procfs",
		     "/proc/PID/status (FS_LINKS_NONE)");
	for (size_t i = 0; i < sizeof(sysfs_files) / sizeof(sysfs_files[0]) && !found; i++) {
		if (access(sysfs_files[i], R_OK) < 0)
			continue;
		found = true;
		read_refused(sysfs_files[i], FS_LINKS_NONE, "is on sysfs", sysfs_files[i]);
	}
	if (!found)
		ok(false, "a readable file of /sys/kernel to try (is sysfs mounted?)");
	read_refused("/dev/null", FS_LINKS_NONE, "is not a regular file: it is a character device",
		     "/dev/null");
	/* Root only, and only where tracefs is mounted: hostile_input.bats mounts it. */
	for (size_t i = 0; i < sizeof(trace_pipes) / sizeof(trace_pipes[0]); i++) {
		struct stat st;

		if (stat(trace_pipes[i], &st) < 0 || access(trace_pipes[i], R_OK) < 0)
			continue;
		read_refused(trace_pipes[i], FS_LINKS_FOLLOW_DIRS, "is on tracefs", trace_pipes[i]);
		break;
	}
}

static void test_read(void)
{
	const char *dir = at("read"), *file = at("read/p.json"), *big = at("read/big.json");
	const char *link = at("read/link.json"), *fifo = at("read/fifo");
	char hundred[101];
	struct error err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int ret;

	mkdir(dir, 0755);
	mkdir(at("read/sub"), 0755);
	put_file(file, "{\"a\": 1}\n", 0644);
	memset(hundred, 'x', 100);
	hundred[100] = '\0';
	put_file(big, hundred, 0644);
	symlink("p.json", link);
	mkfifo(fifo, 0644);
	put_file(at("real/r.json"), "via link\n", 0644); /* real/ and linkdir -> real exist */

	ret = fs_read_file(file, FS_LINKS_NONE, READ_MAX, &buf, &len, &err);
	is_int(ret, 0, "fs_read_file reads a regular file");
	is_str(buf, "{\"a\": 1}\n", "fs_read_file returns the content");
	is_int(len, 9, "fs_read_file returns the length");
	free(TAKE_PTR(buf));

	read_fifo(fifo, FS_LINKS_FOLLOW_DIRS, "a FIFO");
	read_fifo(fifo, FS_LINKS_NONE, "a FIFO with FS_LINKS_NONE");

	ret = fs_read_file(big, FS_LINKS_NONE, 99, &buf, &len, &err);
	is_int(ret, -1, "fs_read_file refuses a file of 100 bytes with a limit of 99");
	like(err.msg, "is 100 bytes, larger than the limit of 99",
	     "the message gives size and limit");
	ok(buf == NULL, "no buffer is returned");
	ret = fs_read_file(big, FS_LINKS_NONE, 100, &buf, &len, &err);
	ok(ret == 0 && len == 100, "a file of exactly the limit is read");
	free(TAKE_PTR(buf));
	if (truncate(big, 1LL << 40) == 0) {
		ret = fs_read_file(big, FS_LINKS_NONE, READ_MAX, &buf, &len, &err);
		is_int(ret, -1, "fs_read_file refuses a sparse file of 1 TiB before reading it");
		like(err.msg, "is 1099511627776 bytes, larger than the limit of 1048576",
		     "the message gives its size and the limit");
		ok(buf == NULL, "no buffer is returned");
	}

	ret = fs_read_file(link, FS_LINKS_FOLLOW_DIRS, READ_MAX, &buf, &len, &err);
	is_int(ret, -1, "fs_read_file refuses a symlink as the last component");
	like(err.msg, "is a symlink, which is refused", "the message says it is a symlink");
	ret = fs_read_file(link, FS_LINKS_NONE, READ_MAX, &buf, &len, &err);
	is_int(ret, -1, "fs_read_file refuses a symlink as the last component (FS_LINKS_NONE)");
	says_symlink(err.msg, "the message says it is a symlink (FS_LINKS_NONE)");

	ret = fs_read_file(at("linkdir/r.json"), FS_LINKS_NONE, READ_MAX, &buf, &len, &err);
	is_int(ret, -1, "FS_LINKS_NONE refuses a path whose directory is a symlink");
	says_symlink(err.msg, "the message says a symlink is refused");
	ret = fs_read_file(at("linkdir/r.json"), FS_LINKS_FOLLOW_DIRS, READ_MAX, &buf, &len, &err);
	is_int(ret, 0, "FS_LINKS_FOLLOW_DIRS reads through a symlinked directory");
	is_str(buf, "via link\n", "and returns the file's content");
	free(TAKE_PTR(buf));

	ret = fs_read_file(at("read/sub"), FS_LINKS_NONE, READ_MAX, &buf, &len, &err);
	is_int(ret, -1, "fs_read_file refuses a directory");
	like(err.msg, "is not a regular file", "the message says it is not a regular file");
	ret = fs_read_file(at("read/absent.json"), FS_LINKS_FOLLOW_DIRS, READ_MAX, &buf, &len,
			   &err);
	is_int(ret, -1, "fs_read_file fails on a missing file");
	is_int(err.errnum, ENOENT, "the error carries ENOENT");
	like(err.msg, at("read/absent.json"), "the message names the path");
}

static void test_read_fd(void)
{
	static char data[5001];
	struct error err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int fds[2];
	int ret;

	memset(data, 'y', 5000);
	if (pipe2(fds, O_CLOEXEC) < 0 || write(fds[1], data, 5000) != 5000) {
		ok(false, "a pipe with 5000 bytes");
		return;
	}
	close(fds[1]);
	ret = fs_read_fd(fds[0], "the pipe", 5000, &buf, &len, &err);
	ok(ret == 0 && len == 5000 && buf[5000] == '\0' && memcmp(buf, data, 5000) == 0,
	   "fs_read_fd reads 5000 bytes with a limit of 5000, NUL-terminated");
	free(TAKE_PTR(buf));
	close(fds[0]);

	if (pipe2(fds, O_CLOEXEC) < 0 || write(fds[1], data, 5000) != 5000) {
		ok(false, "a pipe with 5000 bytes");
		return;
	}
	close(fds[1]);
	ret = fs_read_fd(fds[0], "the pipe", 4999, &buf, &len, &err);
	is_int(ret, -1, "fs_read_fd refuses 5000 bytes with a limit of 4999");
	like(err.msg, "the pipe is larger than the limit of 4999 bytes", "the message says why");
	close(fds[0]);
}

static void test_remove(void)
{
	const char *dir = at("remove"), *file = at("remove/why.json"), *link = at("remove/link");
	const char *target = at("remove/target"), *sub = at("remove/sub");
	struct error err = { 0 };

	mkdir(dir, 0755);
	put_file(file, "{}", 0644);
	put_file(target, "kept", 0644);
	symlink(target, link);
	mkdir(sub, 0755);
	is_int(fs_remove_file(file, FS_LINKS_NONE, &err), 1, "fs_remove_file removes a file");
	ok(access(file, F_OK) < 0, "and it is gone");
	is_int(fs_remove_file(file, FS_LINKS_NONE, &err), 0, "a missing file is no error");
	is_int(fs_remove_file(link, FS_LINKS_NONE, &err), 1, "a symlink is removed");
	ok(access(target, F_OK) == 0, "not what it points to");
	is_int(fs_remove_file(sub, FS_LINKS_NONE, &err), -1, "a directory is refused");
	like(err.msg, "is not a regular file: left as it is", "saying why");
	ok(access(sub, F_OK) == 0, "and stays");
}

int main(void)
{
	cleanup_free char *dir = tap_mkdtemp("fs");

	if (!dir) {
		ok(false, "a temporary directory");
		return done_testing();
	}
	root = dir;
	umask(077);
	test_write_new();
	test_replace();
	test_symlink_target();
	test_refused_targets();
	test_symlinked_dirs();
	test_check_writable();
	test_read();
	test_fifo_not_opened();
	test_pseudo_files();
	test_read_fd();
	test_remove();
	if (tap_rmtree(dir) < 0)
		diag("could not remove %s", dir);
	ok(access(dir, F_OK) < 0, "the temporary directory is removed");
	return done_testing();
}
