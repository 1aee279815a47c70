// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A call probed under a profile's filter: the filter libseccomp compiles for the profile as
 * podman applies it, run here on each call with the argument values its conditions single out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "profile/profile_podman.h"
#include "profile/profile_probe.h"
#include "profile/syscalls.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ARM's private calls (cacheflush, set_tls, ...) are numbered from here. */
#define ARM_NR_BASE 0x0f0000
/* The argument vectors tried for one call at most: each is one run of the filter. */
#define SCORE_MAX_VECTORS (1u << 20)

/* The numbers scanned to find the calls libseccomp knows on an ABI. */
static const struct {
	uint32_t first;
	uint32_t count;
} nr_ranges[] = {
	{ 0, 8192 },		   /* every table; MIPS's start at 4000, 5000 and 6000 */
	{ X32_SYSCALL_BIT, 1024 }, /* x32 */
	{ ARM_NR_BASE, 16 },
};

void profile_applied_clear(struct profile_applied *a)
{
	profile_podman_release(&a->view);
	profile_bpf_release(&a->prog);
	memset(a, 0, sizeof(*a));
}

/* @p as podman applies it, compiled by libseccomp. */
int profile_apply(const struct profile *p, const char *what, struct profile_applied *out,
		  struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (profile_podman_apply(p, what, &out->view, err) < 0)
		return -1;
	if (profile_bpf_compile(&out->view, &out->prog, NULL, err) < 0) {
		error_prefix(err, "%s: ", what);
		profile_applied_clear(out);
		return -1;
	}
	return 0;
}

/* Whether the applied profile's filter covers @arch: listed, or the native one (always in). */
bool profile_applied_covers(const struct profile_applied *a, uint32_t arch)
{
	if (arch == syscalls_native_arch())
		return true;
	for (size_t i = 0; i < a->view.n_arches; i++)
		if (syscalls_arch_from_name(a->view.arches[i]) == arch)
			return true;
	return false;
}

/* --- running the filter --------------------------------------------------------------- */

int probe_values_add(struct probe_values *s, uint64_t x)
{
	uint64_t *bigger = realloc(s->v, (s->n + 1) * sizeof(*bigger));

	if (!bigger)
		return -1;
	s->v = bigger;
	s->v[s->n++] = x;
	return 0;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void values_seal(struct probe_values *s)
{
	size_t kept = 0;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), compare_u64);
	for (size_t i = 0; i < s->n; i++)
		if (!kept || s->v[kept - 1] != s->v[i])
			s->v[kept++] = s->v[i];
	s->n = kept;
}

/* The values a condition tells apart: its bounds and their neighbours, the mask's cases. */
static int values_for(struct probe_values *s, const struct profile_arg *a)
{
	int ret = 0;

	if (a->op == SCMP_CMP_MASKED_EQ) {
		ret |= probe_values_add(s, a->value_two);
		ret |= probe_values_add(s, a->value_two | ~a->value);
		ret |= probe_values_add(s, a->value_two ^ a->value);
		ret |= probe_values_add(s, (a->value_two ^ a->value) | ~a->value);
		return ret;
	}
	ret |= probe_values_add(s, a->value - 1);
	ret |= probe_values_add(s, a->value);
	ret |= probe_values_add(s, a->value + 1);
	return ret;
}

void profile_probe_clear(struct profile_probe *q)
{
	for (size_t i = 0; i < PROFILE_MAX_ARGS; i++)
		free(q->args[i].v);
	memset(q, 0, sizeof(*q));
}

static bool names_have(const struct profile_rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_names; i++)
		if (strcmp(r->names[i], name) == 0)
			return true;
	return false;
}

/* The values the rules naming @name single out, per argument. */
int profile_probe_start(struct profile_probe *q, const struct profile_applied *a, uint32_t arch,
			int nr, const char *name)
{
	memset(q, 0, sizeof(*q));
	q->arch = arch;
	q->nr = nr;
	for (size_t i = 0; i < a->view.n_rules; i++) {
		const struct profile_rule *r = &a->view.rules[i];

		if (!r->n_args || !names_have(r, name))
			continue;
		for (size_t j = 0; j < r->n_args; j++) {
			struct probe_values *s;

			if (r->args[j].index >= PROFILE_MAX_ARGS)
				continue;
			s = &q->args[r->args[j].index];
			/* 0 and all ones: the ends of every range. */
			if ((!s->n &&
			     (probe_values_add(s, 0) < 0 || probe_values_add(s, UINT64_MAX) < 0)) ||
			    values_for(s, &r->args[j]) < 0)
				return -1;
		}
	}
	for (size_t i = 0; i < PROFILE_MAX_ARGS; i++)
		values_seal(&q->args[i]);
	return 0;
}

/* Argument @index takes only the values @v. */
int profile_probe_pin(struct profile_probe *q, uint32_t index, const uint64_t *v, size_t n)
{
	struct probe_values *s = &q->args[index];

	s->n = 0;
	for (size_t i = 0; i < n; i++)
		if (probe_values_add(s, v[i]) < 0)
			return -1;
	values_seal(s);
	return 0;
}

/* The arch the kernel puts in seccomp_data: x32 calls come as x86_64's, with the x32 bit. */
static uint32_t kernel_arch(uint32_t arch)
{
	return arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch;
}

static bool action_runs(uint32_t ret)
{
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL;

	return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG;
}

/* Run the filter on every vector of @q's values: whether some vector runs, whether all do. */
int profile_probe_run(const struct profile_applied *a, const struct profile_probe *q,
		      const char *name, bool *some, bool *all, struct error *err)
{
	size_t at[PROFILE_MAX_ARGS] = { 0 };
	struct seccomp_data data = { .nr = q->nr, .arch = kernel_arch(q->arch) };
	uint64_t vectors = 1;

	for (size_t i = 0; i < PROFILE_MAX_ARGS && vectors <= SCORE_MAX_VECTORS; i++)
		if (q->args[i].n)
			vectors *= q->args[i].n;
	if (vectors > SCORE_MAX_VECTORS)
		return error_set(err, 0,
				 "the conditions on `%s` single out more than the %u "
				 "argument combinations the score tries",
				 name, SCORE_MAX_VECTORS);
	*some = false;
	*all = true;
	for (;;) {
		uint32_t ret;
		size_t i;

		for (i = 0; i < PROFILE_MAX_ARGS; i++)
			data.args[i] = q->args[i].n ? q->args[i].v[at[i]] : 0;
		if (profile_bpf_run(&a->prog, &data, &ret) < 0)
			return error_set(err, 0,
					 "libseccomp's filter for the profile does not run "
					 "here (on `%s`)",
					 name);
		if (action_runs(ret))
			*some = true;
		else
			*all = false;
		if (*some && !*all)
			return 0;
		/* The next vector, the first argument turning fastest. */
		for (i = 0; i < PROFILE_MAX_ARGS; i++) {
			if (q->args[i].n && ++at[i] < q->args[i].n)
				break;
			at[i] = 0;
		}
		if (i == PROFILE_MAX_ARGS)
			return 0;
	}
}

/* Whether @name (number @nr on @arch) runs for some arguments, and for all. */
int profile_probe_call(const struct profile_applied *a, uint32_t arch, int nr, const char *name,
		       bool *some, bool *all, struct error *err)
{
	struct profile_probe q;
	int ret;

	if (profile_probe_start(&q, a, arch, nr, name) < 0) {
		profile_probe_clear(&q);
		return error_set(err, ENOMEM, "score `%s`", name);
	}
	ret = profile_probe_run(a, &q, name, some, all, err);
	profile_probe_clear(&q);
	return ret;
}

/* --- the calls of an ABI ------------------------------------------------------------- */

void profile_abi_calls_clear(struct profile_abi_calls *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].name);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/*
 * Every number libseccomp names on @arch. A name it numbers otherwise there is left out, but
 * when its own number is a pseudo-call (i386's socket, reached through socketcall) the direct
 * number is kept apart: the kernel has it, and so does the filter.
 */
int profile_abi_calls_of(uint32_t arch, struct profile_abi_calls *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t r = 0; r < N_ELEMS(nr_ranges); r++) {
		for (uint32_t k = 0; k < nr_ranges[r].count; k++) {
			int nr = (int)(nr_ranges[r].first + k);
			char *name = seccomp_syscall_resolve_num_arch(arch, nr);
			struct profile_abi_call *bigger;
			int own;

			if (!name)
				continue;
			own = seccomp_syscall_resolve_name_arch(arch, name);
			if (own != nr && own >= 0) {
				free(name);
				continue;
			}
			bigger = realloc(out->v, (out->n + 1) * sizeof(*bigger));
			if (!bigger) {
				free(name);
				profile_abi_calls_clear(out);
				return error_set(err, ENOMEM, "list the calls of %s",
						 syscalls_arch_name(arch));
			}
			out->v = bigger;
			out->v[out->n++] = (struct profile_abi_call){ nr, name, own == nr };
		}
	}
	return 0;
}
