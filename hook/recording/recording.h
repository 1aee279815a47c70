/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From what a recording saw to a profile: names through libseccomp, the base kept. */
#ifndef RECORDING_H
#define RECORDING_H

#include "base/error.h"
#include "hints/hints.h"
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
	size_t hints;	       /* calls the binaries can make that the profile does not allow */
	size_t names_logged;   /* of them, allowed as SCMP_ACT_LOG (hints:log) */
	uint64_t hints_ms;     /* how long reading the binaries took */
};

/*
 * Extend @profile (a base read with -i/if:, or profile_new()) with what @set holds: every ABI
 * seen is listed in architectures, and one SCMP_ACT_ALLOW rule names, sorted, every recorded
 * call that no rule of the base mentions, but those allowed for their kept argument values
 * (arg_rules.h), which get one rule per value after it.
 */
int recording_extend_profile(struct profile *profile, const struct syscall_set *set,
			     struct recording_summary *summary, struct error *err);

/* What a recording keeps besides the calls, and what is read at its end. */
struct recording_options {
	bool keep_args;	       /* the argument values arg_specs.h lists */
	bool explain;	       /* the first caller of each call (provenance.h) */
	enum hints_mode hints; /* hints:on/log: the calls its binaries can make (hints.h) */
};

/* Where and how a recording is written. */
struct recording_output {
	const struct profile_target *target; /* path, format, name, mode, log variant */
	const char *const *extra;	     /* names added as if seen (--base sets), may be NULL */
	size_t n_extra;
	bool no_fallbacks;		      /* no ENOSYS rule for the calls of fallbacks.h */
	struct fs_reservation *reserved;      /* write into this room (fs_reserve), or NULL */
	const struct recording_options *opts; /* NULL: as if all off */
	int root_fd; /* the recorded tasks' root, where hints read the binaries; -1: ours, or: */
	struct profile_saved *saved; /* what the save made (an artifact's digest), or NULL */
};

/* root_fd when the tasks' root could not be opened: hints read no binary. */
#define RECORDING_NO_ROOT (-2)

/*
 * The end of a recording, once the tracer collected @set (tracer_collect): add the implicit
 * and extra calls to @set, extend @profile with them, compile it and write it as @out->target
 * says (and its log variant, its why file, its hints file: a why file that cannot be written
 * is a warning, and an older one beside a profile written without it is removed). No BPF call:
 * a tracer ends its recording first, then builds the profile.
 */
int recording_finish(struct syscall_set *set, struct profile *profile,
		     const struct recording_output *out, struct recording_summary *summary,
		     struct error *err);

#endif /* RECORDING_H */
