/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The union of several recordings of one workload: one profile that lets run what each did. */
#ifndef PROFILE_MERGE_H
#define PROFILE_MERGE_H

#include <stddef.h>
#include "error.h"
#include "profile.h"

struct profile_merge_summary {
	size_t names_allowed; /* names in the merged SCMP_ACT_ALLOW rule */
	size_t names_blocked; /* names an input allows and another blocks: left out of it */
	size_t rules_added;   /* rules of the later inputs added (conditions, other actions) */
};

/*
 * Merge @inputs[1..n-1] into @inputs[0] (@what names each in messages). The result keeps the
 * first input's top-level fields and defaultAction, lists the union of the architectures,
 * and its rules are:
 *  - the first input's rules that are not plain allow rules (SCMP_ACT_ALLOW without args),
 *    as they were;
 *  - the later inputs' other rules, added when they say something new: a name a rule already
 *    gives for the same argument condition is left out (the earlier input wins);
 *  - last, one SCMP_ACT_ALLOW rule naming, sorted, every name of a plain allow rule of any
 *    input, whatever their order.
 * A name that a rule with an action other than SCMP_ACT_ALLOW or SCMP_ACT_LOG mentions in any
 * input (blocked) is allowed by no rule of the result, with or without conditions.
 * Refused: an input whose defaultAction lets every call run, and an architecture to add to a
 * first input that uses archMap.
 */
int profile_merge(struct profile *const *inputs, const char *const *what, size_t n,
		  struct profile_merge_summary *summary, struct error *err);

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

#endif /* PROFILE_MERGE_H */
