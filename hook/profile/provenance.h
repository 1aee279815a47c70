/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Why a call is in a profile: PROFILE.why.json beside it, written when a recording kept its
 * first callers (`explain:on`, `record --explain`; recording/provenance_write.h writes it), read
 * here. One entry per allowed (call, architecture):
 * the first task that made it (its thread id on the host and in its namespace, its name, its
 * executable as it saw it), or the reason it was added without being seen.
 */
#ifndef PROVENANCE_H
#define PROVENANCE_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "base/fs.h"

#define PROVENANCE_SUFFIX ".why.json"
#define PROVENANCE_MAX_BYTES (4 * 1024 * 1024)

struct provenance_entry {
	char *name;
	char *arch; /* "SCMP_ARCH_X86_64" */
	char *exe;  /* NULL when not seen, or its first caller was not kept */
	char *comm;
	int64_t pid;	/* on the host; -1 when unknown */
	int64_t ns_pid; /* in the caller's pid namespace; -1 when unknown */
	char *added;	/* why it was added unseen; NULL when it was seen */
	char *enosys;	/* why it is answered ENOSYS (fallbacks.h); NULL when it is not */
};

struct provenance {
	struct provenance_entry *v;
	size_t n;
};

/* @profile_path's why file: the path with PROVENANCE_SUFFIX (malloc'ed; NULL: no memory). */
char *provenance_path(const char *profile_path);

/* Read @profile_path's why file. Returns 1 when there is none, 0 when read. */
int provenance_read(const char *profile_path, enum fs_links links, struct provenance *out,
		    struct error *err);
void provenance_release(struct provenance *p);
/* Released at the end of its scope (zero it before its first use). */
#define cleanup_provenance __attribute__((cleanup(provenance_release)))

/* The entry of @name (any architecture, the native one first), or NULL. */
const struct provenance_entry *provenance_find(const struct provenance *p, const char *name);

/* "/bin/probe (probe, pid 1 in its namespace, 2345 on the host)", or the reason (malloc'ed). */
char *provenance_describe(const struct provenance_entry *e);

#endif /* PROVENANCE_H */
