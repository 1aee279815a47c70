// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the log variant of a profile: its path and its contents. */
#include "tap.h"
#include "profile/profile_variant.h"
#include "profile_test.h"

static void variant_path_is(const char *path, const char *want)
{
	cleanup_free char *got = profile_log_variant_path(path);

	is_str(got, want, "the log variant of `%s` is `%s`", path, want);
}

static void test_log_variant(const char *dir)
{
	cleanup_profile struct profile *p = profile_new();
	cleanup_profile struct profile *back = NULL;
	cleanup_free char *path = NULL, *log_path = NULL;
	static char *const names[] = { "read" };
	struct error err = { 0 };

	variant_path_is("p.json", "p.log.json");
	variant_path_is("/a.b/p.json", "/a.b/p.log.json");
	variant_path_is("/dir/p", "/dir/p.log");
	variant_path_is("/dir/.p", "/dir/.p.log");
	variant_path_is("/dir/p.tar.yaml", "/dir/p.tar.log.yaml");
	if (!p || asprintf(&path, "%s/v.json", dir) < 0 ||
	    asprintf(&log_path, "%s/v.log.json", dir) < 0)
		return;
	profile_add_arch(p, "SCMP_ARCH_X86_64", &err);
	profile_add_rule(p, "SCMP_ACT_ALLOW", names, 1, &err);
	is_int(profile_save_log_variant(p, path, FS_LINKS_FOLLOW_DIRS, PROFILE_FORMAT_OCI, 0644,
					&err),
	       0, "the log variant is written");
	if (profile_read_file(log_path, FS_LINKS_FOLLOW_DIRS, &back, &err) < 0) {
		ok(false, "the log variant reads back: %s", err.msg);
		return;
	}
	is_str(back->default_action, "SCMP_ACT_LOG", "its default is SCMP_ACT_LOG");
	ok(!back->has_default_errno_ret, "it has no defaultErrnoRet");
	ok(back->n_rules == 1 && strcmp(back->rules[0].names[0], "read") == 0,
	   "its rules are the profile's");
	is_str(p->default_action, "SCMP_ACT_ERRNO", "the profile itself is unchanged");
}

int main(void)
{
	cleanup_free char *dir = tap_mkdtemp("profile_variant");

	if (dir)
		test_log_variant(dir);
	if (dir && tap_rmtree(dir) < 0)
		diag("could not remove %s", dir);
	return done_testing();
}
