/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hints: the system calls the binaries that ran in a recording can make, read from the
 * binaries themselves (hints:on, `record --hints`). The executables and the shared libraries
 * they need (DT_NEEDED, found in the container's root as the dynamic loader would) map their
 * imports through a table of the container's own libc (libc_table.h); static code adds the
 * numbers of its own system call instructions. Everything is read inside the root.
 */
#ifndef HINTS_H
#define HINTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include "base/error.h"
#include "base/fs.h"
#include "base/strv.h"

/* What a recording does with hints: none, a hints file, or also SCMP_ACT_LOG rules. */
enum hints_mode {
	HINTS_OFF = 0,
	HINTS_ON,  /* hints:on, --hints: PROFILE.hints.json */
	HINTS_LOG, /* hints:log, --hints=log: and the hinted calls allowed as SCMP_ACT_LOG */
};

/* "on" or "log" -> the mode; false for anything else. */
bool hints_mode_parse(const char *value, enum hints_mode *out);

/* Each call keeps its first reasons only. */
#define HINTS_MAX_FROM 4
/* The analysis stops (logged) when it takes longer: a recording is never held up for it. */
#define HINTS_BUDGET_MS 10000

/*
 * One call a binary can make. Direct: the code of a binary that ran makes it, in its own
 * system call instruction or in the libc function it imports (fsync@libc.so.6 makes fsync);
 * else only a function libc calls inside itself does. Weaker: not among the strongest
 * (hints_rank), so hints:log does not allow it.
 */
struct hint_call {
	char *name;	  /* libseccomp's name */
	char *arch;	  /* "SCMP_ARCH_X86_64" */
	struct strv from; /* "/usr/bin/redis-server: fsync@libc.so.6", at most HINTS_MAX_FROM */
	bool direct;
	bool weaker;
	size_t sources; /* reasons found, kept in @from or not */
};

struct hints {
	struct hint_call *v; /* sorted by name, then arch */
	size_t n, cap;
	size_t objects; /* ELF files read */
	size_t skipped; /* files skipped (each logged with its reason) */
	uint64_t elapsed_ms;
};

/*
 * The calls the executables @exes (paths inside @root_fd, as the tasks saw them) and their
 * libraries can make. A file that cannot be read, is not ELF, is too large or malformed is
 * skipped with a logged reason. Returns -1 only when out of memory.
 */
int hints_collect(int root_fd, const char *const *exes, size_t n_exes, struct hints *out,
		  struct error *err);
void hints_release(struct hints *h);
#define cleanup_hints __attribute__((cleanup(hints_release)))

/* The call @name on @arch, or NULL. */
const struct hint_call *hints_find(const struct hints *h, const char *name, const char *arch);
/* Drop the calls for which @keep says false. */
void hints_filter(struct hints *h, bool (*keep)(const struct hint_call *c, void *data), void *data);
/*
 * Mark weaker all but the @keep strongest calls: direct ones before the others, then those
 * with more reasons, then by name. Returns how many are not weaker.
 */
size_t hints_rank(struct hints *h, size_t keep);

/* "PROFILE.hints.json" beside @profile_path (malloc'ed; NULL: no memory). */
#define HINTS_SUFFIX ".hints.json"
#define HINTS_MAX_BYTES (4 * 1024 * 1024)
char *hints_path(const char *profile_path);
/*
 * Write @h as {"calls": [{"name", "arch", "from": [...], "direct", "weaker"}]} beside
 * @profile_path, atomically ("weaker" only when true).
 */
int hints_write(const char *profile_path, enum fs_links links, mode_t mode, const struct hints *h,
		struct error *err);
/* Read @profile_path's hints file. Returns 1 when there is none, 0 when read. */
int hints_read(const char *profile_path, enum fs_links links, struct hints *out, struct error *err);

/* "redis-server imports fsync" for the first reason of @c (malloc'ed; NULL: no memory). */
char *hints_describe(const struct hint_call *c);
/*
 * "? fsync  may be needed: redis-server imports fsync", escaped (malloc'ed; NULL: no memory);
 * a weaker one says so after "needed".
 */
char *hints_line(const struct hint_call *c);

#endif /* HINTS_H */
