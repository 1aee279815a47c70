// SPDX-License-Identifier: GPL-2.0-or-later
/* profile_target: path, format, SeccompProfile name and mode decided once, then written so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "profile/profile_target.h"
#include "tap.h"

static void test_resolve(void)
{
	struct profile_target_options o = { .path = "/tmp/web-app.yaml" };
	struct profile_target t;
	struct error err = { 0 };

	is_int(profile_target_resolve(&o, &t, &err), 0, "of x.yaml resolves");
	is_int(t.format, PROFILE_FORMAT_SPO, "a path ending in .yaml chooses a SeccompProfile");
	is_str(t.spo_name, "web-app", "its name is the file's, without the extension");
	is_mode(t.mode, 0644, "a new file is 0644 unless told otherwise");
	ok(profile_target_is_spo(&t), "the target says it is a SeccompProfile");
	is_str(profile_target_kind(&t), "SeccompProfile", "and names it so");
	profile_target_release(&t);

	o = (struct profile_target_options){ .path = "dir/My_Prof.json",
					     .format_given = true,
					     .format = PROFILE_FORMAT_SPO_V1BETA1,
					     .mode_given = true,
					     .mode = 0600,
					     .links = FS_LINKS_FOLLOW_DIRS,
					     .log_variant = true };
	is_int(profile_target_resolve(&o, &t, &err), 0, "--format wins over the extension");
	is_int(t.format, PROFILE_FORMAT_SPO_V1BETA1, "the format given is kept");
	is_str(t.spo_name, "my-prof", "the name is made a DNS-1123 name");
	is_mode(t.mode, 0600, "the mode given travels in the target");
	is_int(t.links, FS_LINKS_FOLLOW_DIRS, "so do the links");
	ok(t.log_variant, "and the log variant");
	is_str(t.path, "dir/My_Prof.json", "the path is the one given");
	profile_target_release(&t);

	o = (struct profile_target_options){ .path = "p.json" };
	is_int(profile_target_resolve(&o, &t, &err), 0, "of p.json resolves");
	is_int(t.format, PROFILE_FORMAT_OCI, "a .json path is an OCI profile");
	ok(!t.spo_name, "an OCI profile has no SeccompProfile name");
	is_str(profile_target_kind(&t), "profile", "and is named a profile");
	profile_target_release(&t);
}

static void test_default_path(void)
{
	struct profile_target_options o = { .default_stem = "/usr/bin/ls" };
	struct profile_target t;
	struct error err = { 0 };

	is_int(profile_target_resolve(&o, &t, &err), 0, "no path: the default one");
	is_str(t.path, "./ls.seccomp.json", "the default is ./CMD.seccomp.json");
	profile_target_release(&t);
	o.format_given = true;
	o.format = PROFILE_FORMAT_SPO;
	is_int(profile_target_resolve(&o, &t, &err), 0, "no path with --format spo");
	is_str(t.path, "./ls.seccomp.yaml", "a SeccompProfile's default ends in .yaml");
	is_str(t.spo_name, "ls.seccomp", "and is named after it");
	profile_target_release(&t);
	o = (struct profile_target_options){ 0 };
	is_int(profile_target_resolve(&o, &t, &err), -1, "neither a path nor a stem is refused");
}

static void test_refused(void)
{
	struct profile_target_options o = { .path = "p.json", .name = "web" };
	struct profile_target t;
	struct error err = { 0 };

	is_int(profile_target_resolve(&o, &t, &err), -1, "--name without a SeccompProfile");
	like(err.msg, "--name names a SeccompProfile: it needs --format spo", "says why");
	ok(!t.path, "nothing is left to release");
	o = (struct profile_target_options){ .path = "w.yaml", .name = "Not_Valid" };
	is_int(profile_target_resolve(&o, &t, &err), -1, "an invalid --name is refused");
	like(err.msg, "is not a DNS-1123 subdomain", "says why");
	o = (struct profile_target_options){ .path = "/tmp/---.yaml" };
	is_int(profile_target_resolve(&o, &t, &err), -1, "a file name that makes no name");
	like(err.msg, "give one with --name", "says what to do");
}

static void test_check(void)
{
	static const char errno38[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
				      "\"defaultErrnoRet\": 38}";
	struct profile_target_options o = { .path = "p.yaml" };
	cleanup_profile struct profile *p = NULL;
	cleanup_free char *text = NULL;
	struct profile_target spo, oci;
	struct error err = { 0 };
	size_t len = 0;

	if (profile_parse(errno38, strlen(errno38), "test", &p, &err) < 0 ||
	    profile_target_resolve(&o, &spo, &err) < 0) {
		ok(false, "setup: %s", err.msg);
		return;
	}
	o.path = "p.json";
	profile_target_resolve(&o, &oci, &err);
	is_int(profile_target_check(&spo, p, NULL, NULL, &err), -1,
	       "a SeccompProfile cannot say defaultErrnoRet 38");
	like(err.msg, "defaultErrnoRet", "the message names the field");
	is_int(profile_target_check(&oci, p, NULL, NULL, &err), 0, "an OCI profile can");
	is_int(profile_target_check(&oci, p, &text, &len, &err), 0, "its text is asked for");
	ok(text && len == strlen(text), "the text comes with its length");
	like(text, "\"defaultErrnoRet\"", "it is the OCI document");
	profile_target_release(&spo);
	profile_target_release(&oci);
}

static void test_save(const char *dir)
{
	cleanup_profile struct profile *p = profile_new();
	cleanup_free char *path = NULL, *kept = NULL, *variant = NULL, *spo = NULL;
	cleanup_free char *text = NULL;
	struct profile_target t;
	struct error err = { 0 };
	struct stat st;
	size_t len;

	if (!p || asprintf(&path, "%s/new.json", dir) < 0 ||
	    asprintf(&kept, "%s/kept.json", dir) < 0 ||
	    asprintf(&variant, "%s/new.log.json", dir) < 0 || asprintf(&spo, "%s/s.yaml", dir) < 0)
		return;
	umask(022);
	struct profile_target_options o = {
		.path = path, .mode = 0600, .mode_given = true, .log_variant = true
	};

	profile_target_resolve(&o, &t, &err);
	if (!is_int(profile_target_save(&t, p, NULL, &err), 0, "the target is written"))
		diag("%s", err.msg);
	ok(stat(path, &st) == 0, "the profile exists");
	is_mode(st.st_mode & 07777, 0600, "a new profile gets the target's mode");
	ok(stat(variant, &st) == 0, "its log variant was written too");
	profile_target_release(&t);

	fs_write_atomic(kept, FS_LINKS_NONE, "{}", 2, 0640, &err);
	o.path = kept;
	o.log_variant = false;
	profile_target_resolve(&o, &t, &err);
	is_int(profile_target_save(&t, p, NULL, &err), 0, "an existing profile is replaced");
	ok(stat(kept, &st) == 0, "it exists");
	is_mode(st.st_mode & 07777, 0640, "and keeps its own mode");
	profile_target_release(&t);

	o = (struct profile_target_options){ .path = spo };
	profile_target_resolve(&o, &t, &err);
	is_int(profile_target_save(&t, p, NULL, &err), 0, "a SeccompProfile target is written");
	fs_read_file(spo, FS_LINKS_NONE, 1 << 20, &text, &len, &err);
	like(text, "\"kind\": \"SeccompProfile\"", "as a SeccompProfile");
	like(text, "\"name\": \"s\"", "named after its file");
	profile_target_release(&t);
}

int main(void)
{
	char *dir = tap_mkdtemp("profile-target");

	test_resolve();
	test_default_path();
	test_refused();
	test_check();
	if (dir) {
		test_save(dir);
		tap_rmtree(dir);
		free(dir);
	}
	return done_testing();
}
