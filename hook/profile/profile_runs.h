/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A workload profile's counts (CONTAINER.runs.json beside it): how many recordings were added to
 * the union, and in how many of them each call ran, per architecture and argument condition, as
 * merge --report counts what an input lets run (profile_coverage.h).
 */
#ifndef PROFILE_RUNS_H
#define PROFILE_RUNS_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "profile/profile.h"

#define PROFILE_RUNS_MAX_BYTES (4 * 1024 * 1024)

struct profile_runs_entry {
	char *name;
	char *arch;
	char *condition; /* NULL: the call whatever its arguments */
	uint64_t runs;	 /* the recordings that let it run: 1 to profile_runs.runs */
};

struct profile_runs {
	uint64_t runs;		      /* recordings added */
	struct profile_runs_entry *v; /* by name, the call before its conditions, then arch */
	size_t n;
};

/* {"runs": N, "calls": [{name, architecture, runs}], "conditions": [... condition ...]} */
int profile_runs_parse(const char *text, size_t len, const char *what, struct profile_runs *out,
		       struct error *err);
/* One more recording: every (call, architecture, condition) @run lets run counts once more. */
int profile_runs_add(struct profile_runs *r, const struct profile *run, struct error *err);
int profile_runs_json(const struct profile_runs *r, char **out, size_t *len, struct error *err);
/* The calls in every run counted, the others listed by how many runs made them, rare last. */
int profile_runs_text(const struct profile_runs *r, char **out, size_t *len, struct error *err);
void profile_runs_release(struct profile_runs *r);

static inline void cleanup_profile_runsp(struct profile_runs *r)
{
	profile_runs_release(r);
}
#define cleanup_profile_runs __attribute__((cleanup(cleanup_profile_runsp)))

#endif /* PROFILE_RUNS_H */
