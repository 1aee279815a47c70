/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The union of several recordings of one workload: one profile that lets run what each did. */
#ifndef PROFILE_MERGE_H
#define PROFILE_MERGE_H

#include <stddef.h>
#include "base/error.h"
#include "profile/profile.h"

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

#endif /* PROFILE_MERGE_H */
