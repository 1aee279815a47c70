/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The set of (ABI, syscall number) a recording saw, and what it could not record. */
#ifndef SYSCALL_SET_H
#define SYSCALL_SET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <linux/types.h>
#include "base/strv.h"
#include "recorder.h"

/* Who made one (ABI, number) first. */
struct caller_entry {
	uint32_t abi;
	uint32_t nr;
	struct first_caller caller;
};

struct syscall_set {
	uint64_t bits[ABI_COUNT][SYSCALL_WORDS];
	uint64_t calls;	       /* calls recorded */
	uint64_t unrecordable; /* calls whose number was beyond MAX_SYSCALL_NR */
	uint64_t foreign_abi;  /* calls of an ABI the kernel does not run: not recorded */
	uint32_t started_by;   /* enum recording_start, 0 when it never started */
	uint32_t runtime;      /* enum runtime_kind (implicit_calls.h): who ran the container */
	bool workload_ran;     /* a started task's execve succeeded (recording.exec_done) */
	bool args_kept;	       /* the recording kept argument values: @args holds them */
	struct recording_args args;
	bool callers_kept;	      /* the recording kept first callers: @callers holds them */
	struct caller_entry *callers; /* malloc'ed; syscall_set_release frees it */
	bool callers_over_cap;	      /* more calls than MAX_CALLERS_PER_RECORDING were new */
	size_t n_callers;
	struct strv mapped; /* hints: the files its tasks mapped executable, sorted */
};

static inline void syscall_set_release(struct syscall_set *s)
{
	free(s->callers);
	s->callers = NULL;
	s->n_callers = 0;
	strv_free(&s->mapped);
}

static inline bool syscall_set_has(const struct syscall_set *s, enum recorder_abi abi, int nr)
{
	return nr >= 0 && nr < MAX_SYSCALL_NR && (s->bits[abi][nr / 64] >> (nr % 64)) & 1;
}

static inline void syscall_set_add(struct syscall_set *s, enum recorder_abi abi, int nr)
{
	if (nr >= 0 && nr < MAX_SYSCALL_NR)
		s->bits[abi][nr / 64] |= 1ULL << (nr % 64);
}

static inline bool syscall_set_abi_used(const struct syscall_set *s, enum recorder_abi abi)
{
	for (int w = 0; w < SYSCALL_WORDS; w++)
		if (s->bits[abi][w])
			return true;
	return false;
}

#endif /* SYSCALL_SET_H */
