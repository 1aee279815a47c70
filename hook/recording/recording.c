// SPDX-License-Identifier: GPL-2.0-or-later
/* Recorded (ABI, number) pairs become names and architectures of a profile. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include "recording/arg_rules.h"
#include "profile/arg_specs.h"
#include "base/cleanup.h"
#include "base/strv.h"
#include "profile/fallbacks.h"
#include "recording/implicit_calls.h"
#include "base/log.h"
#include "recording/provenance_write.h"
#include "recording/recording.h"
#include "profile/syscalls.h"

static const char *abi_label(enum recorder_abi abi)
{
	const char *name = syscalls_arch_name(syscalls_abi_arch(abi));

	return name ? name : "unknown ABI";
}

int recording_extend_profile(struct profile *profile, const struct syscall_set *set,
			     struct recording_summary *summary, struct error *err)
{
	cleanup_strv struct strv names = { 0 }, in_base = { 0 }, by_value = { 0 };

	memset(summary, 0, sizeof(*summary));
	if (profile_add_arch(profile, syscalls_arch_name(syscalls_native_arch()), err) < 0)
		return -1;
	for (int abi = 0; abi < ABI_COUNT; abi++) {
		uint32_t arch = syscalls_abi_arch(abi);

		if (!syscall_set_abi_used(set, abi))
			continue;
		if (!arch) {
			log_warning("calls of an ABI this host does not have (%d) were recorded",
				    abi);
			continue;
		}
		if (profile_add_arch(profile, syscalls_arch_name(arch), err) < 0)
			return -1;
		for (int nr = 0; nr < MAX_SYSCALL_NR; nr++) {
			char *name;

			if (!syscall_set_has(set, abi, nr))
				continue;
			name = syscalls_name(abi, nr);
			if (!name) {
				summary->unnamed++;
				log_warning("%s syscall %d is unknown to libseccomp: it cannot be "
					    "allowed by name and is left out of the profile",
					    abi_label(abi), nr);
				continue;
			}
			if (strv_contains(&names, name) || strv_contains(&in_base, name) ||
			    strv_contains(&by_value, name)) {
				free(name);
				continue;
			}
			/* A call the base mentions stays as the base says: blocked stays blocked.
			 */
			if (strv_take(profile_mentions(profile, name) ? &in_base :
				      arg_rules_apply(set, name)      ? &by_value :
									&names,
				      name) < 0)
				return error_set(err, ENOMEM, "collect syscall names");
		}
	}
	strv_sort(&names);
	if (names.n && profile_add_rule(profile, "SCMP_ACT_ALLOW", names.v, names.n, err) < 0)
		return -1;
	strv_sort(&by_value);
	for (size_t i = 0; i < by_value.n; i++) {
		int rules = arg_rules_add(profile, set, by_value.v[i], err);

		if (rules < 0)
			return -1;
		summary->value_rules += (size_t)rules;
	}
	summary->names_added = names.n + by_value.n;
	summary->names_by_value = by_value.n;
	summary->names_in_base = in_base.n;
	return 0;
}

int recording_finish(struct syscall_set *set, struct profile *profile,
		     const struct recording_output *out, struct recording_summary *summary,
		     struct error *err)
{
	uint64_t seen[ABI_COUNT][SYSCALL_WORDS];
	char **enosys = NULL;
	size_t implicit;
	int ret = -1;

	/* A container that failed before its process started would get an empty profile. */
	if (!set->started_by)
		return error_set(
			err, 0,
			"the workload never started (no execve, no seccomp filter): `%s` was "
			"left as it was",
			out->target->path);
	/*
	 * The runtime installed the filter and ended before the workload's execve succeeded (a
	 * profile that denies one of its own calls): what it saw is the runtime's, not the
	 * workload's, and must not replace a profile that started the container.
	 */
	if (!set->workload_ran)
		return error_set(err, 0,
				 "the container failed to start: the runtime installed the seccomp "
				 "filter but the workload was never executed (no execve "
				 "succeeded): `%s` was left as it was",
				 out->target->path);
	if (set->unrecordable)
		log_warning("%llu calls had a number beyond %d and could not be recorded",
			    (unsigned long long)set->unrecordable, MAX_SYSCALL_NR);
	memcpy(seen, set->bits, sizeof(seen));
	implicit = implicit_calls_add(set);
	if (set->started_by == STARTED_BY_FILTER)
		arg_rules_add_runtime_values(set);
	if (out->n_extra)
		implicit += implicit_calls_add_names(set, out->extra, out->n_extra);
	/* What a --base set adds is what the runtime needs, with whatever arguments it uses. */
	for (size_t i = 0; i < out->n_extra; i++)
		arg_specs_by_name(set, out->extra[i]);
	if (recording_extend_profile(profile, set, summary, err) < 0)
		return -1;
	summary->names_implicit = implicit;
	if (!out->no_fallbacks &&
	    fallbacks_add(profile, set, &summary->names_enosys, &enosys, err) < 0)
		return -1;
	if (profile_target_save_saved(out->target, profile, out->reserved, out->saved, err) < 0)
		goto out;
	if (set->callers_kept &&
	    provenance_write(out->target->path, out->target->links, out->target->mode, set, seen,
			     (const char *const *)enosys, summary->names_enosys, err) < 0) {
		error_prefix(err, "the profile `%s` was written, but not why: ", out->target->path);
		goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; enosys && i < summary->names_enosys; i++)
		free(enosys[i]);
	free(enosys);
	return ret;
}
