/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A profile's score: how many calls it lets run per ABI, what it blocks that the runtime's
 * default allows, and which calls of a named high-risk set it still allows.
 */
#ifndef PROFILE_SCORE_H
#define PROFILE_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"
#include "profile/profile.h"

/* The default profile podman applies (containers-common), compared with when present. */
#define PROFILE_SCORE_PODMAN_DEFAULT "/usr/share/containers/seccomp.json"

/* One ABI of the scored profile. */
struct profile_score_abi {
	const char *arch;   /* "SCMP_ARCH_X86_64" (static) */
	size_t known;	    /* calls libseccomp knows on it */
	size_t allowed;	    /* of them, calls that run with some arguments */
	size_t conditional; /* of those, calls that run only with some arguments */
	bool compared;	    /* a default was given and covers this ABI */
	size_t default_allowed;
	char **blocked; /* the default lets run, the profile lets run with no arguments; sorted */
	size_t n_blocked;
	char **extra; /* the profile lets run, the default does not; sorted */
	size_t n_extra;
};

/* One entry of the high-risk set, and where the profile lets it run. */
struct profile_score_risk {
	const char *id;	    /* "ptrace", "socket(AF_ALG)", "clone(CLONE_NEW*)" (static) */
	const char *call;   /* the call's name (static) */
	const char *reason; /* one line (static) */
	char **arches;	    /* the ABIs where it runs, in the profile's order */
	size_t n_arches;
	bool conditional;	  /* it runs only under argument conditions (on some ABI) */
	char **socketcall_arches; /* of @arches, those where only socketcall reaches it */
	size_t n_socketcall_arches;
};

struct profile_score {
	const char *default_action;
	bool runs_by_default; /* defaultAction lets every call run that no rule blocks */
	bool compared;	      /* a default profile was given */
	struct profile_score_abi *abis;
	size_t n_abis;
	struct profile_score_risk *risks; /* the whole set, in its order */
	size_t n_risks;
	size_t risks_allowed; /* entries allowed on at least one ABI */
};

/*
 * Score @p against @def (NULL: no comparison). Both are taken as podman applies them on this
 * host: rules with `includes`/`excludes` kept or dropped for a container with podman's default
 * capabilities, an archMap reduced to this host's entry. "Runs" is decided by libseccomp's
 * own filter, compiled from the profile and run here for each call: a rule whose action is the
 * default's, or an action other than SCMP_ACT_ALLOW and SCMP_ACT_LOG, lets nothing run; a call
 * allowed only under argument conditions runs for the values those conditions let through.
 * The ABIs are those @p lists (none: the native one); a name libseccomp does not know on an
 * ABI does not count there.
 */
int profile_score(const struct profile *p, const struct profile *def, struct profile_score *out,
		  struct error *err);
void profile_score_clear(struct profile_score *s);

/* The report as text; @path and @default_path (NULL: none) name the files. */
int profile_score_text(const struct profile_score *s, const char *path, const char *default_path,
		       char **out, size_t *len, struct error *err);
/* The same as a JSON object; it lists every blocked call too. */
int profile_score_json(const struct profile_score *s, const char *path, const char *default_path,
		       char **out, size_t *len, struct error *err);

static inline void cleanup_profile_scorep(struct profile_score *s)
{
	profile_score_clear(s);
}
#define cleanup_profile_score __attribute__((cleanup(cleanup_profile_scorep)))

#endif /* PROFILE_SCORE_H */
