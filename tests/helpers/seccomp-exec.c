// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: `seccomp-exec PROFILE CMD [ARG...]` loads PROFILE with libseccomp, through the
 * same profile module the recorder writes with, and execs CMD under it.
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/prctl.h>
#include "profile/profile.h"

int main(int argc, char **argv)
{
	struct profile *profile = NULL;
	struct error err = { 0 };
	scmp_filter_ctx ctx;
	int ret;

	if (argc < 3) {
		fprintf(stderr, "usage: seccomp-exec PROFILE CMD [ARG...]\n");
		return 2;
	}
	if (profile_read_file(argv[1], FS_LINKS_FOLLOW_DIRS, &profile, &err) < 0 ||
	    profile_build_filter(profile, &ctx, NULL, &err) < 0) {
		fprintf(stderr, "seccomp-exec: %s\n", err.msg);
		return 2;
	}
	profile_free(profile);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("seccomp-exec: no_new_privs");
		return 2;
	}
	ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret < 0) {
		fprintf(stderr, "seccomp-exec: seccomp_load failed: %d\n", ret);
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror("seccomp-exec: execvp");
	return 127;
}
