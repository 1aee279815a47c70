// SPDX-License-Identifier: GPL-2.0-or-later
/* path_normalize and the --allowed-dir check: lexical, and strict about what is "below". */
#include <stdlib.h>
#include <string.h>
#include "oci/path_policy.h"
#include "tap.h"

static void normalizes(const char *in, const char *want)
{
	char buf[256];

	strcpy(buf, in);
	if (path_normalize(buf) < 0) {
		ok(false, "`%s` normalizes", in);
		return;
	}
	is_str(buf, want, "`%s` normalizes to `%s`", in, want);
}

static void test_normalize(void)
{
	char rel[] = "tmp/p.json";

	normalizes("/tmp/p.json", "/tmp/p.json");
	normalizes("//tmp///p.json", "/tmp/p.json");
	normalizes("/tmp/./p.json", "/tmp/p.json");
	normalizes("/tmp/a/../p.json", "/tmp/p.json");
	normalizes("/tmp/../../../etc/shadow", "/etc/shadow");
	normalizes("/..", "/");
	normalizes("/", "/");
	normalizes("/tmp/dir/", "/tmp/dir");
	normalizes("/tmp/...", "/tmp/...");
	normalizes("/tmp/..a/.b", "/tmp/..a/.b");
	is_int(path_normalize(rel), -1, "a relative path is refused");
}

static int check(const struct path_policy *p, const char *path, char *out, size_t size,
		 struct error *err)
{
	snprintf(out, size, "%s", path);
	return path_policy_check(p, "of:", out, err);
}

static void test_policy(void)
{
	struct path_policy none = { 0 }, p = { 0 }, root = { 0 };
	struct error err = { 0 };
	char out[256];

	is_int(check(&none, "/etc/shadow", out, sizeof(out), &err), 0,
	       "without --allowed-dir any absolute path passes");
	is_int(path_policy_add(&p, "/var/lib/profiles/", &err), 0, "an allowed dir is added");
	is_int(path_policy_add(&p, "/srv//seccomp", &err), 0, "a second allowed dir is added");
	is_int(path_policy_add(&p, "relative", &err), -1, "a relative allowed dir is refused");
	like(err.msg, "`relative` is not an absolute path", "the message names it");

	is_int(check(&p, "/var/lib/profiles/p.json", out, sizeof(out), &err), 0,
	       "a file directly below an allowed dir passes");
	is_int(check(&p, "/srv/seccomp/team/a/p.json", out, sizeof(out), &err), 0,
	       "a file deeper below the second allowed dir passes");
	is_int(check(&p, "/var/lib/profiles/x/../p.json", out, sizeof(out), &err), 0,
	       "`..` that stays inside passes");
	is_str(out, "/var/lib/profiles/p.json", "and the path is normalized in place");

	is_int(check(&p, "/var/lib/profiles/../../../etc/shadow", out, sizeof(out), &err), -1,
	       "`..` that leaves the allowed dir is refused");
	like(err.msg,
	     "of: path `/etc/shadow` is outside the allowed directories "
	     "(/var/lib/profiles, /srv/seccomp)",
	     "the message names the path and the dirs");
	is_int(check(&p, "/var/lib/profiles-evil/p.json", out, sizeof(out), &err), -1,
	       "a sibling sharing the prefix is refused");
	is_int(check(&p, "/var/lib/profiles", out, sizeof(out), &err), -1,
	       "the allowed dir itself is not a file below it");
	is_int(check(&p, "/var/lib/profiles/", out, sizeof(out), &err), -1,
	       "nor is it with a trailing slash");
	is_int(check(&p, "/tmp/p.json", out, sizeof(out), &err), -1, "elsewhere is refused");

	is_int(path_policy_add(&root, "/", &err), 0, "`/` may be allowed");
	is_int(check(&root, "/tmp/p.json", out, sizeof(out), &err), 0, "and then all passes");
	is_int(check(&root, "/", out, sizeof(out), &err), -1, "but `/` itself names no file");

	path_policy_release(&p);
	path_policy_release(&root);
}

int main(void)
{
	test_normalize();
	test_policy();
	return done_testing();
}
