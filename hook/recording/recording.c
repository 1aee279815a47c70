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
#include "recording/recording_hints.h"
#include "profile/provenance.h"
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

/*
 * The why file beside the profile just written, or none: a why file left by an earlier
 * recording would name the first callers of another run. A why file that cannot be written
 * costs the recording nothing: the profile is what it is for (a warning says why not).
 */
static void write_why(const struct recording_output *out, const struct syscall_set *set,
		      const uint64_t seen[ABI_COUNT][SYSCALL_WORDS], const char *const *enosys,
		      size_t n_enosys)
{
	const struct profile_target *t = out->target;
	cleanup_free char *why = provenance_path(t->path);
	bool wanted = set->callers_kept && out->opts && out->opts->explain;
	struct error err = { 0 };
	int removed;

	if (wanted &&
	    provenance_write(t->path, t->links, t->mode, set, seen, enosys, n_enosys, &err) == 0)
		return;
	if (wanted)
		log_warning("the profile `%s` was written, but not why: %s", t->path, err.msg);
	memset(&err, 0, sizeof(err));
	removed = why ? fs_remove_file(why, t->links, &err) : -1;
	if (!why)
		log_warning("the why file of `%s`: out of memory", t->path);
	else if (removed < 0)
		log_warning("an older why file stays beside `%s`: %s", t->path, err.msg);
	else if (removed)
		log_info("`%s` was removed: it described an earlier recording", why);
}

int recording_finish(struct syscall_set *set, struct profile *profile,
		     const struct recording_output *out, struct recording_summary *summary,
		     struct error *err)
{
	uint64_t seen[ABI_COUNT][SYSCALL_WORDS];
	enum hints_mode hints_mode = out->opts ? out->opts->hints : HINTS_OFF;
	cleanup_hints struct hints hints = { 0 };
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
	if (!set->workload_ran && set->started_by == STARTED_BY_FILTER)
		return error_set(err, 0,
				 "the container failed to start: the runtime installed the seccomp "
				 "filter but the workload was never executed (no execve "
				 "succeeded): `%s` was left as it was",
				 out->target->path);
	if (!set->workload_ran)
		return error_set(err, 0,
				 "the workload's execve did not succeed (nothing ran): `%s` was "
				 "left as it was",
				 out->target->path);
	if (set->unrecordable)
		log_warning("%llu calls had a number beyond %d and could not be recorded",
			    (unsigned long long)set->unrecordable, MAX_SYSCALL_NR);
	if (set->foreign_abi)
		log_warning(
			"%llu calls of an ABI this kernel does not run (x32 without "
			"CONFIG_X86_X32_ABI) were answered ENOSYS by it: none is in the profile",
			(unsigned long long)set->foreign_abi);
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
	/* After the ENOSYS rules: a call the profile answers so is not a hint. */
	if (hints_mode != HINTS_OFF) {
		if (recording_hints(profile, set, out->root_fd, hints_mode, &hints,
				    &summary->names_logged, err) < 0)
			goto out;
		summary->hints = hints.n;
		summary->hints_ms = hints.elapsed_ms;
	}
	if (profile_target_save_saved(out->target, profile, out->reserved, out->saved, err) < 0)
		goto out;
	if (hints_mode != HINTS_OFF && hints_write(out->target->path, out->target->links,
						   out->target->mode, &hints, err) < 0) {
		error_prefix(err, "the profile `%s` was written, but not its hints: ",
			     out->target->path);
		goto out;
	}
	write_why(out, set, seen, (const char *const *)enosys, summary->names_enosys);
	ret = 0;
out:
	for (size_t i = 0; enosys && i < summary->names_enosys; i++)
		free(enosys[i]);
	free(enosys);
	return ret;
}
