// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What an argument-aware recording keeps, per call: the arguments Docker's default profile
 * restricts, because a name-only allow of them lets a process do what the workload never did
 * (open AF_ALG or AF_VSOCK sockets, switch to a 32-bit personality, create namespaces).
 * clone3 is left out: its flags are in a struct in the caller's memory, and a seccomp filter
 * sees registers only, so no rule could use them. i386's socketcall (older libcs route
 * sockets through it) has its arguments in memory too; i386 socket() itself is kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "base/hash.h"
#include "profile/arg_specs.h"
#include "profile/syscalls.h"

/* Every CLONE_NEW* bit that clone() takes (CLONE_NEWTIME is clone3's and unshare's only). */
#define CLONE_NAMESPACE_BITS 0x7E020000ULL

static const struct arg_spec_def defs[] = {
	{ "socket", ARG_SOCKET, 0, ~0ULL, "domain" },
	{ "socketpair", ARG_SOCKETPAIR, 0, ~0ULL, "domain" },
	{ "personality", ARG_PERSONALITY, 0, ~0ULL, "persona" },
	{ "clone", ARG_CLONE, 0, CLONE_NAMESPACE_BITS, "namespace flags" },
	{ "prctl", ARG_PRCTL, 0, ~0ULL, "option" },
	{ "ioctl", ARG_IOCTL, 1, ~0ULL, "request" },
	{ "mmap", ARG_MMAP, 2, PROT_EXEC, "PROT_EXEC" },
	{ "mmap2", ARG_MMAP, 2, PROT_EXEC, "PROT_EXEC" },
	{ "mprotect", ARG_MPROTECT, 2, PROT_EXEC, "PROT_EXEC" },
};
#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

const struct arg_spec_def *arg_spec_find(enum recorder_abi abi, const char *name)
{
	for (size_t i = 0; i < N_DEFS; i++) {
		if (strcmp(defs[i].name, name) != 0)
			continue;
		/* i386's (and AArch32's) old mmap takes a pointer to its arguments. */
		if (abi == ABI_COMPAT && strcmp(name, "mmap") == 0)
			return NULL;
		return &defs[i];
	}
	return NULL;
}

const struct arg_spec_def *arg_spec_defs(size_t *n)
{
	*n = N_DEFS;
	return defs;
}

unsigned long long arg_specs_digest(void)
{
	uint64_t hash = HASH_FNV1A_INIT;

	for (size_t i = 0; i < N_DEFS; i++) {
		uint64_t fields[3] = { defs[i].id, defs[i].index, defs[i].mask };

		hash = hash_fnv1a_str(hash, defs[i].name);
		for (size_t f = 0; f < 3; f++)
			hash = hash_fnv1a_step(hash, fields[f]);
	}
	return hash;
}

void arg_specs_by_name(struct syscall_set *set, const char *name)
{
	for (int abi = 0; abi < ABI_COUNT; abi++) {
		const struct arg_spec_def *def = arg_spec_find(abi, name);

		if (def)
			set->args.sets[abi][def->id].by_name = 1;
	}
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t arg_set_values(const struct arg_set *set, uint64_t out[MAX_ARG_VALUES])
{
	size_t n = 0;

	for (uint32_t i = 0; i < MAX_ARG_VALUES && i < set->n; i++) {
		bool dup = false;

		if (!((set->written >> i) & 1))
			continue;
		for (size_t j = 0; j < n && !dup; j++)
			dup = out[j] == set->values[i];
		if (!dup)
			out[n++] = set->values[i];
	}
	if (n)
		qsort(out, n, sizeof(*out), compare_u64);
	return n;
}

void arg_set_add(struct arg_set *set, uint64_t value)
{
	for (uint32_t i = 0; i < MAX_ARG_VALUES && i < set->n; i++)
		if (((set->written >> i) & 1) && set->values[i] == value)
			return;
	if (set->n > MAX_ARG_VALUES)
		return;
	if (set->n < MAX_ARG_VALUES) {
		set->values[set->n] = value;
		set->written |= 1ULL << set->n;
	}
	set->n++;
}
