/* SPDX-License-Identifier: GPL-2.0-or-later */
/* merge --report: in how many of the merged runs each call the result allows appears. */
#ifndef PROFILE_COVERAGE_H
#define PROFILE_COVERAGE_H

#include <stddef.h>
#include "base/error.h"
#include "profile/profile.h"

/*
 * How many of the merged recordings made each call: a call seen in one run only is a rare path
 * (review it, or record more runs). Counted per architecture, as diff counts what runs: a rule
 * with SCMP_ACT_ALLOW or SCMP_ACT_LOG naming the call, no other rule naming it without
 * conditions, the architecture listed (none: the native one), the name a call there. A call
 * allowed under argument conditions counts for the call, and each condition is an item too.
 */
struct profile_coverage_item {
	char *name;
	char *condition; /* NULL: the call, whatever its arguments; else one argument rule */
	char **arches;	 /* sorted */
	size_t n_arches;
	size_t *inputs; /* the inputs that let it run on @arches, ascending; a condition runs where
			 * the call runs without conditions too */
	size_t runs;	/* their number */
};

struct profile_coverage_entry; /* what one input lets run, before the merge */

struct profile_coverage {
	size_t n_inputs;
	struct profile_coverage_item *items; /* by name, the call first, then its conditions */
	size_t n_items;
	char **left_out; /* names an input lets run that the merged profile does not; sorted */
	size_t n_left_out;
	struct profile_coverage_entry *entries;
	size_t n_entries;
};

/* Before the merge (it changes @inputs[0]): what each input lets run. */
int profile_coverage_count(struct profile *const *inputs, size_t n, struct profile_coverage *out,
			   struct error *err);
/* After it: the items, kept to what @merged lets run (the rest is left out). */
int profile_coverage_finish(struct profile_coverage *c, const struct profile *merged,
			    struct error *err);
void profile_coverage_clear(struct profile_coverage *c);

/*
 * The report as text, @names naming the inputs: the calls every run made are counted, the
 * others listed by how many runs made them, the rare paths last.
 */
int profile_coverage_text(const struct profile_coverage *c, const char *const *names, char **out,
			  size_t *len, struct error *err);
/* {runs, inputs, everyRun, calls, conditions, rare, leftOut}: every item. */
int profile_coverage_json(const struct profile_coverage *c, const char *const *names, char **out,
			  size_t *len, struct error *err);

static inline void cleanup_profile_coveragep(struct profile_coverage *c)
{
	profile_coverage_clear(c);
}
#define cleanup_profile_coverage __attribute__((cleanup(cleanup_profile_coveragep)))

#endif /* PROFILE_COVERAGE_H */
