// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of hints/: ELF files built at test time (a dynamic program importing fsync, a
 * static one with its own syscall instructions) read with the host's own libc as the table;
 * malformed files and links out of the root are skipped, never followed, never fatal.
 * argv[1]: the dynamic program, argv[2]: the static one, argv[3]: the static one built for the
 * other machine (aarch64 on an x86_64 host), argv[4]: a dynamic one importing only fatal functions.
 * The rules that make hints fewer: libc's fatal paths are not followed; a call the imported
 * function makes itself is direct; hints:log keeps only the strongest (hints_rank).
 */
#include <fcntl.h>
#include <sys/stat.h>
#include "tap.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "hints/hints.h"
#include <seccomp.h>
#include "hints/elf_object.h"
#include "hints/libc_table.h"

static const char *hinted, *raw_sites, *raw_sites_other, *fatal_only;

static const char *multiarch(void)
{
#if defined(__aarch64__)
	return "aarch64-linux-gnu";
#else
	return "x86_64-linux-gnu";
#endif
}

static bool has_from(const struct hint_call *c, const char *text)
{
	for (size_t i = 0; c && i < c->from.n; i++)
		if (strstr(c->from.v[i], text))
			return true;
	return false;
}

static void test_dynamic_import(void)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_hints struct hints h = { 0 };
	struct error err = { 0 };
	const char *exes[] = { hinted };
	char want[4200];
	cleanup_free char *describe = NULL;
	const struct hint_call *fsync_call, *write_call;

	is_int(hints_collect(root, exes, 1, &h, &err), 0, "a dynamic program is read");
	ok(h.objects >= 2, "with its libc (%zu objects read)", h.objects);
	fsync_call = hints_find(&h, "fsync", NULL);
	ok(fsync_call != NULL, "its import of fsync hints fsync");
	snprintf(want, sizeof(want), "%s: fsync@libc.so.6", hinted);
	ok(has_from(fsync_call, want), "from `%s`", want);
	ok(fsync_call && fsync_call->direct, "fsync@libc.so.6 makes fsync itself: a direct hint");
	/* puts writes through a stdio vtable (an indirect call, not followed); its direct calls
	 * reach write only on its fatal paths (abort, __assert_fail), which are not followed. */
	write_call = hints_find(&h, "write", NULL);
	ok(!has_from(write_call, ": puts@libc.so.6"),
	   "puts hints no write: only a fatal path has it");
	ok(!hints_find(&h, "reboot", NULL), "a call nothing it imports reaches is not hinted");
	describe = fsync_call ? hints_describe(fsync_call) : NULL;
	is_str(describe, "hinted imports fsync", "explain's words for it");
	ok(h.elapsed_ms < 2000, "in %llu ms", (unsigned long long)h.elapsed_ms);
}

static void test_static_sites(void)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_hints struct hints h = { 0 };
	struct error err = { 0 };
	const char *exes[] = { raw_sites };

	is_int(hints_collect(root, exes, 1, &h, &err), 0, "a static program is read");
	is_uint(h.objects, 1, "alone: it needs no library");
	ok(has_from(hints_find(&h, "sync", NULL), ": syscall instruction at 0x"),
	   "the number before its first syscall instruction is sync");
	ok(hints_find(&h, "exit", NULL) != NULL, "and before its second, exit");
	is_uint(h.n, 2, "nothing else");
}

static void test_other_machine(void)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_hints struct hints h = { 0 };
	struct error err = { 0 };
	const char *exes[] = { raw_sites_other };
#if defined(__aarch64__)
	const char *arch = "SCMP_ARCH_X86_64";
#else
	const char *arch = "SCMP_ARCH_AARCH64";
#endif
	const struct hint_call *c;

	is_int(hints_collect(root, exes, 1, &h, &err), 0, "the other machine's static program");
	c = hints_find(&h, "sync", arch);
	ok(has_from(c, ": syscall instruction at 0x"), "its first site is sync, on %s", arch);
	ok(hints_find(&h, "exit", arch) != NULL, "its second exit");
	is_uint(h.n, 2, "nothing else");
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		diag("cannot write `%s`", path);
	if (fd >= 0)
		close(fd);
}

static void copy_prefix(const char *from, const char *to, size_t max)
{
	cleanup_free char *buf = malloc(max);
	FILE *f = fopen(from, "rb");
	size_t n = f && buf ? fread(buf, 1, max, f) : 0;

	if (f)
		fclose(f);
	write_file(to, buf, n);
}

static void test_bad_files(void)
{
	cleanup_free char *dir = tap_mkdtemp("hints");
	cleanup_close int root = -1;
	cleanup_hints struct hints h = { 0 };
	struct error err = { 0 };
	const char *exes[] = { "/text", "/junk", "/cut", "/missing", "/dir" };
	char path[4200];
	unsigned char junk[4096];

	snprintf(path, sizeof(path), "%s/text", dir);
	write_file(path, "#!/bin/sh\necho hi\n", 18);
	memset(junk, 0xff, sizeof(junk));
	memcpy(junk, "\177ELF\002\001\001", 7);
	snprintf(path, sizeof(path), "%s/junk", dir);
	write_file(path, junk, sizeof(junk));
	snprintf(path, sizeof(path), "%s/cut", dir);
	copy_prefix(hinted, path, 300);
	snprintf(path, sizeof(path), "%s/dir", dir);
	mkdir(path, 0755);
	root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	is_int(hints_collect(root, exes, 5, &h, &err), 0,
	       "not ELF, malformed, cut, missing, a directory: the analysis still succeeds");
	is_uint(h.skipped, 5, "every one of them skipped (each logged with its reason)");
	is_uint(h.n, 0, "and none hints anything");
	tap_rmtree(dir);
}

static void test_links_stay_in_root(void)
{
	cleanup_free char *dir = tap_mkdtemp("hints");
	cleanup_close int root = -1;
	cleanup_hints struct hints h = { 0 };
	struct error err = { 0 };
	const char *exes[] = { "/bin/hinted", "/bin/out", "/bin/up" };
	char path[4200], lib[4200];

	snprintf(path, sizeof(path), "%s/bin", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/bin/hinted", dir);
	copy_prefix(hinted, path, 16 * 1024 * 1024);
	/* Each would reach the host's files if it were followed from the host's root. */
	snprintf(path, sizeof(path), "%s/bin/out", dir);
	symlink(hinted, path);
	snprintf(path, sizeof(path), "%s/bin/up", dir);
	snprintf(lib, sizeof(lib), "../../../../../../../../..%s", hinted);
	symlink(lib, path);
	snprintf(path, sizeof(path), "%s/lib", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/lib/%s", dir, multiarch());
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/lib/%s/libc.so.6", dir, multiarch());
	snprintf(lib, sizeof(lib), "../../../../../../../../lib/%s/libc.so.6", multiarch());
	symlink(lib, path);
	root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	is_int(hints_collect(root, exes, 3, &h, &err), 0, "a root whose links point out of it");
	is_uint(h.objects, 1, "only the program inside is read: no link led to the host's files");
	is_uint(h.skipped, 2, "the two links out of the root are skipped");
	ok(!hints_find(&h, "fsync", NULL), "the host's libc was not taken for the root's");
	tap_rmtree(dir);
}

static void test_file_round_trip(void)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_free char *dir = tap_mkdtemp("hints");
	cleanup_hints struct hints h = { 0 }, back = { 0 };
	struct error err = { 0 };
	const char *exes[] = { hinted };
	char profile[4200];
	const struct hint_call *c;

	snprintf(profile, sizeof(profile), "%s/p.json", dir);
	is_int(hints_read(profile, FS_LINKS_NONE, &back, &err), 1, "no hints file: 1");
	hints_collect(root, exes, 1, &h, &err);
	is_int(hints_write(profile, FS_LINKS_NONE, 0644, &h, &err), 0, "the hints file is written");
	is_int(hints_read(profile, FS_LINKS_NONE, &back, &err), 0, "and read back");
	is_uint(back.n, h.n, "with every call");
	c = hints_find(&back, "fsync", "SCMP_ARCH_X86_64");
	if (!c)
		c = hints_find(&back, "fsync", "SCMP_ARCH_AARCH64");
	ok(c && c->from.n >= 1, "fsync and where it comes from");
	tap_rmtree(dir);
}

/* The container names its files: in the hints, the file and every line they print are escaped. */
static void test_hostile_names(void)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_free char *dir = tap_mkdtemp("hints");
	cleanup_hints struct hints h = { 0 }, back = { 0 };
	cleanup_free char *line = NULL;
	struct error err = { 0 };
	char exe[4200], profile[4200];
	const char *exes[] = { exe };
	const struct hint_call *c;

	/* ESC [2K erases a terminal line, U+202E turns the text around, 0xff is no UTF-8. */
	snprintf(exe, sizeof(exe), "%s/\r\x1b[2K\xe2\x80\xae\xff", dir);
	copy_prefix(hinted, exe, 16 << 20);
	chmod(exe, 0755);
	hints_collect(root, exes, 1, &h, &err);
	c = hints_find(&h, "fsync", NULL);
	ok(c && c->from.n >= 1 && strstr(c->from.v[0], "\\x1b[2K\\u202e\\xff"),
	   "the file's name enters escaped: %s", c && c->from.n ? c->from.v[0] : "(no fsync)");
	line = c ? hints_line(c) : NULL;
	ok(line && !strpbrk(line, "\r\x1b\xe2\xff"), "its line prints no raw byte: %s",
	   line ? line : "(none)");
	snprintf(profile, sizeof(profile), "%s/p.json", dir);
	is_int(hints_write(profile, FS_LINKS_NONE, 0644, &h, &err), 0,
	       "the hints file is written (valid UTF-8): %s", err.msg);
	is_int(hints_read(profile, FS_LINKS_NONE, &back, &err), 0, "and read back");
	tap_rmtree(dir);
}

/* abort and __assert_fail end the process: the calls on their way there are no hint. */
static void test_fatal_paths(void)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_hints struct hints h = { 0 };
	struct error err = { 0 };
	const char *exes[] = { fatal_only };
	bool from_fatal = false;

	ok(libc_table_is_fatal("abort") && libc_table_is_fatal("__stack_chk_fail") &&
		   !libc_table_is_fatal("exit"),
	   "abort and __stack_chk_fail are fatal, exit is not");
	is_int(hints_collect(root, exes, 1, &h, &err), 0, "a program importing abort and assert");
	for (size_t i = 0; i < h.n; i++)
		from_fatal |= has_from(&h.v[i], "abort@") || has_from(&h.v[i], "__assert_fail@");
	ok(!from_fatal, "no call is hinted from abort@ or __assert_fail@ (%zu hints in all)", h.n);
	ok(!hints_find(&h, "tgkill", NULL), "not even abort's own tgkill");
}

static bool has_bit(const uint64_t *bits, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	return nr >= 0 && nr < MAX_SYSCALL_NR && (bits[nr / 64] >> (nr % 64)) & 1;
}

/* The host's libc: a wrapper's call is direct, one step into a wrapper of the call's name too. */
static void test_direct_calls(void)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct elf_object libc = { 0 };
	struct libc_table t = { 0 };
	struct error err = { 0 };
	uint64_t bits[SYSCALL_WORDS], direct[SYSCALL_WORDS];
	char path[256];

	snprintf(path, sizeof(path), "/lib/%s/libc.so.6", multiarch());
	if (elf_object_open(root, path, &libc, &err) < 0 || libc_table_build(&libc, &t, &err) < 0) {
		ok(false, "the host's libc `%s` is read: %s", path, err.msg);
		return;
	}
	ok(libc_table_lookup(&t, "fsync", bits, direct) && has_bit(direct, "fsync"),
	   "fsync makes fsync itself: direct");
	ok(libc_table_lookup(&t, "nanosleep", bits, direct) && has_bit(direct, "clock_nanosleep"),
	   "nanosleep calls the wrapper clock_nanosleep: clock_nanosleep is direct");
	ok(libc_table_lookup(&t, "fopen", bits, direct) && has_bit(bits, "openat") &&
		   !has_bit(direct, "openat"),
	   "fopen reaches openat deeper inside libc: a hint, not a direct one");
	libc_table_release(&t);
	elf_object_release(&libc);
}

static void add_test_call(struct hints *h, const char *name, bool direct, size_t sources)
{
	struct hint_call *c = &h->v[h->n++];

	memset(c, 0, sizeof(*c));
	c->name = strdup(name);
	c->arch = strdup("SCMP_ARCH_X86_64");
	c->direct = direct;
	c->sources = sources;
	strv_append(&c->from, "/bin/x: y@libc.so.6");
}

/* Direct hints first, then those with more reasons: the rest is marked weaker. */
static void test_rank(void)
{
	cleanup_free char *dir = tap_mkdtemp("hints");
	cleanup_hints struct hints h = { 0 }, back = { 0 };
	cleanup_free char *line = NULL;
	struct error err = { 0 };
	char profile[4200];

	h.v = calloc(4, sizeof(*h.v));
	h.cap = 4;
	add_test_call(&h, "alarm", true, 1);
	add_test_call(&h, "brk", false, 9);
	add_test_call(&h, "chdir", true, 3);
	add_test_call(&h, "dup", false, 2);
	is_uint(hints_rank(&h, 3), 3, "three kept of four");
	ok(!h.v[0].weaker && !h.v[2].weaker, "both direct ones are kept (alarm, chdir)");
	ok(!h.v[1].weaker && h.v[3].weaker,
	   "of the others, brk (9 reasons) is kept and dup (2) is weaker");
	is_str(h.v[0].name, "alarm", "the calls stay sorted by name");
	is_uint(hints_rank(&h, 10), 4, "with room for all, none is weaker");
	hints_rank(&h, 1);
	ok(!h.v[2].weaker && h.v[0].weaker, "with room for one: the direct one with more reasons");
	snprintf(profile, sizeof(profile), "%s/p.json", dir);
	is_int(hints_write(profile, FS_LINKS_NONE, 0644, &h, &err), 0, "written");
	is_int(hints_read(profile, FS_LINKS_NONE, &back, &err), 0, "and read back");
	ok(back.n == 4 && back.v[2].direct && !back.v[2].weaker && back.v[3].weaker &&
		   !back.v[3].direct,
	   "with `direct` and `weaker`");
	ok(back.n == 4 && back.v[1].sources == 9 && back.v[3].sources == 2,
	   "and every reason counted, not only the one kept in `from` (the analyze helper's "
	   "hints come back through the file and are ranked after)");
	hints_rank(&back, 3);
	ok(back.n == 4 && !back.v[1].weaker && back.v[3].weaker,
	   "ranked again after the round trip: brk (9 reasons) still before dup (2)");
	line = back.n == 4 ? hints_line(&back.v[3]) : NULL;
	is_str(line, "? dup  may be needed (weaker, not logged by hints:log): x imports y",
	       "explain's line says a weaker one is weaker");
	tap_rmtree(dir);
}

static void test_modes(void)
{
	enum hints_mode m = HINTS_OFF;

	ok(hints_mode_parse("on", &m) && m == HINTS_ON, "on");
	ok(hints_mode_parse("log", &m) && m == HINTS_LOG, "log");
	ok(hints_mode_parse("off", &m) && m == HINTS_OFF, "off");
	ok(!hints_mode_parse("yes", &m), "anything else is refused");
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: test_hints HINTED RAW_SITES RAW_SITES_OTHER FATAL_ONLY\n");
		return 2;
	}
	log_set_level(LOG_LEVEL_INFO);
	hinted = argv[1];
	raw_sites = argv[2];
	raw_sites_other = argv[3];
	fatal_only = argv[4];
	test_dynamic_import();
	test_static_sites();
	test_other_machine();
	test_bad_files();
	test_links_stay_in_root();
	test_file_round_trip();
	test_hostile_names();
	test_fatal_paths();
	test_direct_calls();
	test_rank();
	test_modes();
	return done_testing();
}
