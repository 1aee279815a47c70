// SPDX-License-Identifier: GPL-2.0-or-later
/* Hints at the end of a recording: its first callers' executables read, the profile's calls left
 * out. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/log.h"
#include "base/strv.h"
#include "profile/syscalls.h"
#include "recording/provenance_write.h"
#include "recording/recording.h"
#include "recording/hints_run.h"
#include "recording/recording_hints.h"

static bool is_exec(const struct caller_entry *e)
{
	int nr = (int)e->nr;

	return nr == syscalls_number(e->abi, "execve") || nr == syscalls_number(e->abi, "execveat");
}

/*
 * The executables that ran, once each; memfd copies and cut paths cannot be opened again. One
 * whose only first call is an exec is the image the workload replaced (the runtime's init,
 * `record` itself), not the workload.
 */
static int collect_exes(const struct syscall_set *set, struct strv *exes)
{
	cleanup_strv struct strv execs_only = { 0 };

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < set->n_callers; i++) {
			const struct first_caller *c = &set->callers[i].caller;
			char path[CALLER_EXE_PARTS * CALLER_PART_LEN + 8];

			if (c->flags & (CALLER_NO_EXE | CALLER_EXE_ANON | CALLER_EXE_TRUNCATED |
					CALLER_PART_TRUNCATED))
				continue;
			provenance_caller_exe(c, path, sizeof(path));
			if (pass == 0 && !is_exec(&set->callers[i]) &&
			    strv_add_unique(exes, path) < 0)
				return -1;
			if (pass == 1 && !strv_contains(exes, path) &&
			    strv_add_unique(&execs_only, path) < 0)
				return -1;
		}
	for (size_t i = 0; i < execs_only.n; i++)
		log_debug("hints: `%s` only replaced itself with the workload: not read",
			  execs_only.v[i]);
	strv_sort(exes);
	return 0;
}

static bool not_in_profile(const struct hint_call *c, void *data)
{
	/* Allowed, blocked by a base, or answered ENOSYS: the profile decided already. */
	return !profile_mentions(data, c->name);
}

/* The calls @profile allows, once each: what the recording found, its implicit calls with it. */
static int allowed_names(const struct profile *profile, struct strv *names)
{
	for (size_t i = 0; i < profile->n_rules; i++) {
		if (strcmp(profile->rules[i].action, "SCMP_ACT_ALLOW") != 0)
			continue;
		for (size_t k = 0; k < profile->rules[i].n_names; k++)
			if (strv_add_unique(names, profile->rules[i].names[k]) < 0)
				return -1;
	}
	return 0;
}

int recording_hints(struct profile *profile, const struct syscall_set *set, int root_fd,
		    enum hints_mode mode, struct hints *out, size_t *logged, struct error *err)
{
	cleanup_strv struct strv exes = { 0 }, names = { 0 }, allowed = { 0 };
	cleanup_close int own_root = -1;

	*logged = 0;
	if (root_fd == RECORDING_NO_ROOT)
		return 0;
	if (root_fd < 0) {
		/* The tasks shared our root (`record`, a container of the host's mounts). */
		own_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (own_root < 0) {
			log_warning("hints: open `/`: %s: no binary is read", strerror(errno));
			return 0;
		}
		root_fd = own_root;
	}
	/* The files mapped executable are what ran; first callers cover a recording without. */
	if (collect_exes(set, &exes) < 0)
		return error_set(err, ENOMEM, "the executables of the recording");
	for (size_t i = 0; i < set->mapped.n; i++)
		if (strv_add_unique(&exes, set->mapped.v[i]) < 0)
			return error_set(err, ENOMEM, "the files the recording mapped");
	if (!exes.n)
		log_warning("hints: the recording kept no executable to read");
	if (hints_run(root_fd, (const char *const *)exes.v, exes.n, out, err) < 0)
		return -1;
	hints_filter(out, not_in_profile, profile);
	/* Hints add at most as many calls as the recording found: the strongest of them. */
	if (allowed_names(profile, &allowed) < 0)
		return error_set(err, ENOMEM, "the calls the profile allows");
	if (hints_rank(out, allowed.n) < out->n)
		log_info("hints: %zu calls the binaries can make, the %zu strongest kept for "
			 "hints:log (as many as the profile allows); the others are marked weaker",
			 out->n, allowed.n);
	if (mode != HINTS_LOG || !out->n)
		return 0;
	for (size_t i = 0; i < out->n; i++)
		if (!out->v[i].weaker && strv_add_unique(&names, out->v[i].name) < 0)
			return error_set(err, ENOMEM, "the hinted calls");
	strv_sort(&names);
	if (profile_add_rule(profile, "SCMP_ACT_LOG", names.v, names.n, err) < 0)
		return -1;
	*logged = names.n;
	return 0;
}
