/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From what a recording saw to a profile: names through libseccomp, the base kept. */
#ifndef RECORDING_H
#define RECORDING_H

#include "base/error.h"
#include "profile/profile.h"
#include "profile/profile_format.h"
#include "profile/profile_target.h"
#include "profile/syscall_set.h"

struct recording_summary {
	size_t names_added;    /* names in the new allow rule */
	size_t names_implicit; /* calls added without being seen (implicit_calls.h, --base) */
	size_t names_in_base; /* recorded names the base already mentions (kept as the base says) */
	size_t unnamed;	      /* recorded numbers libseccomp has no name for */
	size_t names_by_value; /* of names_added: allowed for their recorded argument values */
	size_t value_rules;    /* the rules that allow them, one per value */
	size_t names_enosys;   /* calls answered ENOSYS, so that their callers fall back */
};

/*
 * Extend @profile (a base read with -i/if:, or profile_new()) with what @set holds: every ABI
 * seen is listed in architectures, and one SCMP_ACT_ALLOW rule names, sorted, every recorded
 * call that no rule of the base mentions, but those allowed for their kept argument values
 * (arg_rules.h), which get one rule per value after it.
 */
int recording_extend_profile(struct profile *profile, const struct syscall_set *set,
			     struct recording_summary *summary, struct error *err);

/* Where and how a recording is written. */
struct recording_output {
	const struct profile_target *target; /* path, format, name, mode, log variant */
	const char *const *extra;	     /* names added as if seen (--base sets), may be NULL */
	size_t n_extra;
	bool no_fallbacks;		 /* no ENOSYS rule for the calls of fallbacks.h */
	struct fs_reservation *reserved; /* write into this room (fs_reserve), or NULL */
	struct profile_saved *saved;	 /* what the save made (an artifact's digest), or NULL */
};

/*
 * The end of a recording, once the tracer collected @set (tracer_collect): add the implicit
 * and extra calls to @set, extend @profile with them, compile it and write it as @out->target
 * says (and its log variant, and its why file). No BPF call: a tracer ends its recording
 * first, then builds the profile.
 */
int recording_finish(struct syscall_set *set, struct profile *profile,
		     const struct recording_output *out, struct recording_summary *summary,
		     struct error *err);

#endif /* RECORDING_H */
