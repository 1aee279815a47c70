/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What one default-deny profile lets run that another does not, per architecture. */
#ifndef PROFILE_DIFF_H
#define PROFILE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"
#include "profile/profile.h"

/*
 * A call one profile lets run and the other does not, on @arches. @condition is NULL when
 * the call runs whatever its arguments, else the argument rule it runs under ("arg0 == 0").
 */
struct profile_diff_item {
	char *name;
	char *condition;
	struct profile_arg *args; /* the rule's conditions, sorted; n_args == 0 when none */
	size_t n_args;
	char **arches; /* sorted */
	size_t n_arches;
};

struct profile_diff {
	struct profile_diff_item *added; /* NEW lets run, OLD does not */
	size_t n_added;
	struct profile_diff_item *removed; /* OLD lets run, NEW does not */
	size_t n_removed;
};

/*
 * Compare two default-deny profiles (@old_what/@new_what name them in messages). A call runs
 * on an architecture when the profile lists the architecture (none listed: the native one)
 * and a rule with SCMP_ACT_ALLOW or SCMP_ACT_LOG names it, unless a rule with another action
 * names it without conditions. Names libseccomp knows only on other architectures do not count
 * there. An item under conditions is reported unless the other profile runs the call under
 * the same condition text or unconditionally. Refused: a profile whose defaultAction runs
 * every call.
 */
int profile_diff(const struct profile *old_p, const char *old_what, const struct profile *new_p,
		 const char *new_what, struct profile_diff *out, struct error *err);
void profile_diff_clear(struct profile_diff *d);
/* Cleared at the end of its scope (zero it before its first use). */
#define cleanup_profile_diff __attribute__((cleanup(profile_diff_clear)))

struct provenance;

/*
 * "+ NAME [COND] (ARCH ...)" lines, added first, each part sorted. With @why (NEW's why file,
 * or NULL), an added call's line ends with "  first by EXECUTABLE (COMM, pid N)".
 */
int profile_diff_text(const struct profile_diff *d, const struct provenance *why, char **out,
		      size_t *len, struct error *err);
/*
 * {"added": [{"name", "condition"?, "args"?, "architectures", "firstBy"?}], "removed": [...]},
 * "firstBy" from @why when given.
 */
int profile_diff_json(const struct profile_diff *d, const struct provenance *why, char **out,
		      size_t *len, struct error *err);

#endif /* PROFILE_DIFF_H */
