/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whether a call runs under a profile as podman applies it: libseccomp's filter for the
 * profile, run here on the argument values the profile's conditions single out. What the
 * score says cannot disagree with the filter the runtime loads.
 */
#ifndef PROFILE_PROBE_H
#define PROFILE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "profile/profile.h"
#include "profile/profile_bpf.h"

/* A profile as podman applies it, and its compiled filter. */
struct profile_applied {
	struct profile view;
	struct bpf_prog prog;
};

/* A set of argument values: add, then seal (sorted, once each). */
struct probe_values {
	uint64_t *v;
	size_t n;
};

/* One call to try on one ABI: the values of each argument. */
struct profile_probe {
	uint32_t arch;
	int nr;
	struct probe_values args[PROFILE_MAX_ARGS]; /* none: 0 */
};

struct profile_abi_call {
	int nr;
	char *name;
	bool canonical; /* libseccomp numbers @name @nr here (else: a multiplexed call's own nr) */
};

struct profile_abi_calls {
	struct profile_abi_call *v;
	size_t n;
};

/* @p as podman applies it (profile_podman.h), compiled by libseccomp; @what names it. */
int profile_apply(const struct profile *p, const char *what, struct profile_applied *out,
		  struct error *err);
void profile_applied_clear(struct profile_applied *a);
/* Whether the applied profile's filter covers @arch: listed, or the native one (always in). */
bool profile_applied_covers(const struct profile_applied *a, uint32_t arch);

/* Add @x to the set (sealed again by profile_probe_pin); -1 when out of memory. */
int probe_values_add(struct probe_values *s, uint64_t x);

/* The values the rules naming @name single out, per argument, for call @nr on @arch. */
int profile_probe_start(struct profile_probe *q, const struct profile_applied *a, uint32_t arch,
			int nr, const char *name);
/* Argument @index takes only the values @v. */
int profile_probe_pin(struct profile_probe *q, uint32_t index, const uint64_t *v, size_t n);
/* Run the filter on every vector of @q's values: whether some vector runs, whether all do. */
int profile_probe_run(const struct profile_applied *a, const struct profile_probe *q,
		      const char *name, bool *some, bool *all, struct error *err);
void profile_probe_clear(struct profile_probe *q);
/* Whether @name (number @nr on @arch) runs for some arguments, and for all. */
int profile_probe_call(const struct profile_applied *a, uint32_t arch, int nr, const char *name,
		       bool *some, bool *all, struct error *err);

/*
 * Every number libseccomp names on @arch. A name it numbers otherwise there is left out, but
 * when its own number is a pseudo-call (i386's socket, reached through socketcall) the direct
 * number is kept apart: the kernel has it, and so does the filter.
 */
int profile_abi_calls_of(uint32_t arch, struct profile_abi_calls *out, struct error *err);
void profile_abi_calls_clear(struct profile_abi_calls *c);

#endif /* PROFILE_PROBE_H */
