/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a default-deny profile lets run, as diff and merge --report count it: one item per
 * (call, architecture, argument condition).
 */
#ifndef PROFILE_ALLOWED_H
#define PROFILE_ALLOWED_H

#include <stdbool.h>
#include <stddef.h>
#include "base/strv.h"
#include "profile/profile.h"

/* One (name, architecture, condition) a profile lets run. */
struct profile_allowed_item {
	const char *name; /* the profile's */
	const char *arch; /* the set's */
	const char *cond; /* profile_condition's text (the set's); NULL: whatever the arguments */
	const struct profile_rule *rule;
};

struct profile_allowed {
	struct profile_allowed_item *v;
	size_t n;
	size_t cap;
	struct strv conds;  /* the condition texts */
	struct strv arches; /* the architectures */
};

/*
 * The items of @p: a call runs on an architecture when the profile lists the architecture
 * (none listed: the native one), a rule with SCMP_ACT_ALLOW or SCMP_ACT_LOG names it, and no
 * rule with another action names it without conditions; a name libseccomp knows only on other
 * architectures does not count there (one it knows nowhere, newer than it, always counts).
 * Sorted by name, condition (none first), architecture; once each. Holds pointers into @p.
 * Returns -1 when out of memory.
 */
int profile_allowed_collect(const struct profile *p, struct profile_allowed *out);
/* Whether @a has the item (@name, @cond, @arch); @cond NULL: the unconditional one. */
bool profile_allowed_has(const struct profile_allowed *a, const char *name, const char *cond,
			 const char *arch);
void profile_allowed_clear(struct profile_allowed *a);

/* strcmp, with NULL (no condition) before any text. */
int profile_allowed_strcmp(const char *a, const char *b);
/* The items' order: by name, then condition (none first). */
int profile_allowed_order(const char *name_a, const char *cond_a, const char *name_b,
			  const char *cond_b);

#endif /* PROFILE_ALLOWED_H */
