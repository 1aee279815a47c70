// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of calls with an ENOSYS fallback, and the rule a recording gets from it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/strv.h"
#include "profile/fallbacks.h"
#include "profile/syscalls.h"

#define MAX_INSTEAD 8

struct fallback {
	const char *call;		  /* the newer call */
	const char *instead[MAX_INSTEAD]; /* what its callers use when it answers ENOSYS */
	const char *reason;
};

static const struct fallback table[] = {
	{ "clone3",
	  { "clone" },
	  "glibc 2.34+ (pthread_create, fork, posix_spawn) tries clone3 first, then clone" },
	{ "faccessat2",
	  { "faccessat", "access" },
	  "glibc 2.33+ faccessat with flags tries faccessat2 first, then faccessat" },
	{ "statx",
	  { "newfstatat", "fstat", "stat", "lstat", "fstatat64", "fstat64", "stat64", "lstat64" },
	  "glibc, Go and Rust's std try statx first, then fstatat" },
	{ "openat2", { "openat", "open" }, "callers of openat2 fall back to openat" },
	{ "close_range",
	  { "close" },
	  "glibc's closefrom and runtimes try close_range first, then close one by one" },
	{ "rseq",
	  { "set_robust_list", "set_tid_address" },
	  "glibc 2.35+ registers rseq at every thread start and runs without it" },
	{ "epoll_pwait2",
	  { "epoll_pwait", "epoll_wait" },
	  "libuv and glib try epoll_pwait2 first, then epoll_pwait" },
	{ "fchmodat2",
	  { "fchmodat", "chmod" },
	  "glibc 2.39+ fchmodat with AT_SYMLINK_NOFOLLOW tries fchmodat2 first" },
	{ "clock_gettime64",
	  { "clock_gettime" },
	  "32-bit glibc 2.34+ tries the 64-bit time call first, then the old one" },
	{ "clock_nanosleep_time64",
	  { "clock_nanosleep", "nanosleep" },
	  "32-bit glibc 2.34+ tries the 64-bit time call first, then the old one" },
	{ "futex_time64",
	  { "futex" },
	  "32-bit glibc 2.34+ tries the 64-bit time call first, then the old one" },
	{ "ppoll_time64",
	  { "ppoll", "poll" },
	  "32-bit glibc 2.34+ tries the 64-bit time call first, then the old one" },
	{ "pselect6_time64",
	  { "pselect6", "_newselect", "select" },
	  "32-bit glibc 2.34+ tries the 64-bit time call first, then the old one" },
	{ "utimensat_time64",
	  { "utimensat", "utimes" },
	  "32-bit glibc 2.34+ tries the 64-bit time call first, then the old one" },
};

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

const char *fallbacks_reason(const char *name)
{
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (strcmp(table[i].call, name) == 0)
			return table[i].reason;
	return NULL;
}

static bool seen(const struct syscall_set *set, enum recorder_abi abi, const char *name)
{
	int nr = syscalls_number(abi, name);

	return nr >= 0 && syscall_set_has(set, abi, nr);
}

/* On @abi, @f's call was not made but a call it falls back to was. */
static bool falls_back_on(const struct syscall_set *set, enum recorder_abi abi,
			  const struct fallback *f)
{
	if (syscalls_number(abi, f->call) < 0 || seen(set, abi, f->call))
		return false;
	for (size_t i = 0; i < MAX_INSTEAD && f->instead[i]; i++)
		if (seen(set, abi, f->instead[i]))
			return true;
	return false;
}

int fallbacks_add_rule(struct profile *profile, char *const *names, size_t n, size_t *added,
		       struct error *err)
{
	char **kept = calloc(n ? n : 1, sizeof(*kept));
	size_t k = 0;
	int ret = 0;

	*added = 0;
	if (!kept)
		return error_set(err, ENOMEM, "the ENOSYS rule");
	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		for (size_t j = 0; j < k && !dup; j++)
			dup = strcmp(kept[j], names[i]) == 0;
		if (!dup && !profile_mentions(profile, names[i]))
			kept[k++] = names[i];
	}
	if (k) {
		qsort(kept, k, sizeof(*kept), strv_compare);
		ret = profile_add_errno_rule(profile, "SCMP_ACT_ERRNO", FALLBACK_ERRNO, kept, k,
					     err);
		if (ret == 0)
			*added = k;
	}
	free(kept);
	return ret;
}

int fallbacks_add(struct profile *profile, const struct syscall_set *set, size_t *added,
		  char ***names_out, struct error *err)
{
	char **names = calloc(TABLE_SIZE, sizeof(*names));
	size_t n = 0;
	int ret;

	*added = 0;
	if (names_out)
		*names_out = NULL;
	if (!names)
		return error_set(err, ENOMEM, "the ENOSYS rule");
	for (size_t i = 0; i < TABLE_SIZE; i++) {
		bool wanted = false;

		for (int abi = 0; abi < ABI_COUNT && !wanted; abi++)
			wanted = syscall_set_abi_used(set, abi) &&
				 falls_back_on(set, abi, &table[i]);
		if (wanted && !profile_mentions(profile, table[i].call))
			names[n++] = (char *)table[i].call;
	}
	qsort(names, n, sizeof(*names), strv_compare);
	ret = fallbacks_add_rule(profile, names, n, added, err);
	if (ret == 0 && names_out) {
		for (size_t i = 0; i < n; i++)
			if (!(names[i] = strdup(names[i]))) {
				for (size_t j = 0; j < i; j++)
					free(names[j]);
				free(names);
				*added = 0;
				return error_set(err, ENOMEM, "the ENOSYS rule");
			}
		*names_out = names;
		names = NULL;
	}
	free(names);
	return ret;
}

bool fallbacks_is_rule(const struct profile_rule *r)
{
	if (strcmp(r->action, "SCMP_ACT_ERRNO") != 0 || !r->has_errno_ret ||
	    r->errno_ret != FALLBACK_ERRNO || r->n_args != 0 || r->n_names == 0)
		return false;
	for (size_t i = 0; i < r->n_names; i++)
		if (!fallbacks_reason(r->names[i]))
			return false;
	return true;
}
