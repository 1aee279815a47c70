/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machine code read with capstone (x86_64 and aarch64): the system call instructions and the
 * number loaded just before each, and the direct calls and jumps. capstone is used here alone.
 */
#ifndef CODE_SCAN_H
#define CODE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

/* A `syscall` or `svc #0`; @nr is -1 when the number is not an immediate loaded before it. */
struct scan_site {
	uint64_t addr;
	int nr;
};

/* A direct call or jump (@call: a call, which starts a function) from @from to @to. */
struct scan_edge {
	uint64_t from;
	uint64_t to;
	bool call;
};

struct code_scan {
	struct scan_site *sites;
	size_t n_sites, cap_sites;
	struct scan_edge *edges; /* kept only when asked for */
	size_t n_edges, cap_edges;
	size_t bytes; /* bytes read so far */
};

/* Whether @code holds anything that could be a system call instruction of @machine. */
bool code_scan_may_have_sites(uint16_t machine, const uint8_t *code, size_t size);

/*
 * Read @size bytes of @machine code at virtual address @addr, from the first byte on (bytes
 * that decode as nothing are stepped over), adding to @out its sites and, with @edges, its
 * direct branches.
 */
int code_scan_sweep(uint16_t machine, const uint8_t *code, size_t size, uint64_t addr, bool edges,
		    struct code_scan *out, struct error *err);
/*
 * The sites alone (no branches), read faster: only a window before each pair of bytes that
 * could be a system call instruction is decoded, not every byte of @code.
 */
int code_scan_sites(uint16_t machine, const uint8_t *code, size_t size, uint64_t addr,
		    struct code_scan *out, struct error *err);
void code_scan_release(struct code_scan *s);

#endif /* CODE_SCAN_H */
