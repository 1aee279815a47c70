// SPDX-License-Identifier: GPL-2.0-or-later
/* A libc's exported functions mapped to the system calls they can make (call graph closure). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <seccomp.h>
#include "base/cleanup.h"
#include "hints/code_scan.h"
#include "hints/libc_table.h"

/* Rounds of the closure; a call chain inside libc is far shorter. */
#define MAX_ROUNDS 64

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_sym(const void *a, const void *b)
{
	return strcmp(((const struct libc_symbol *)a)->name, ((const struct libc_symbol *)b)->name);
}

/* The entry whose code holds @addr, or -1 below the first. */
static long node_at(const struct libc_table *t, uint64_t addr)
{
	size_t lo = 0, hi = t->n_nodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->starts[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

static bool in_code(const struct elf_object *o, uint64_t addr)
{
	for (size_t i = 0; i < o->n_code; i++)
		if (addr >= o->code[i].addr && addr - o->code[i].addr < o->code[i].size)
			return true;
	return false;
}

/* Whether @addr lies inside a function symbol of known size (a jump there stays in it). */
static bool inside_func(const struct elf_object *o, uint64_t addr)
{
	const struct elf_func *f = elf_object_func_at(o, addr);

	return f && f->size && addr - f->addr < f->size;
}

/*
 * Function entries: every function symbol, every target of a direct call, and every jump
 * target outside the sized functions (the cold parts a compiler moves away), so that no
 * code is taken for part of the function before it.
 */
static int collect_starts(struct libc_table *t, const struct code_scan *scan)
{
	const struct elf_object *o = t->libc;
	size_t n = 0, cap = o->n_funcs + scan->n_edges + 1;

	t->starts = malloc(cap * sizeof(*t->starts));
	if (!t->starts)
		return -1;
	for (size_t i = 0; i < o->n_funcs; i++)
		t->starts[n++] = o->funcs[i].addr;
	for (size_t i = 0; i < scan->n_edges; i++)
		if (in_code(o, scan->edges[i].to) &&
		    (scan->edges[i].call || !inside_func(o, scan->edges[i].to)))
			t->starts[n++] = scan->edges[i].to;
	qsort(t->starts, n, sizeof(*t->starts), cmp_u64);
	t->n_nodes = 0;
	for (size_t i = 0; i < n; i++)
		if (!t->n_nodes || t->starts[t->n_nodes - 1] != t->starts[i])
			t->starts[t->n_nodes++] = t->starts[i];
	return 0;
}

bool libc_table_is_fatal(const char *name)
{
	static const char *const fatal[] = { LIBC_FATAL_FUNCS };

	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (strcmp(name, fatal[i]) == 0)
			return true;
	return false;
}

/* The entries of the fatal functions (by any symbol of the file, exported or not) make nothing. */
static void mark_fatal(struct libc_table *t)
{
	const struct elf_object *o = t->libc;

	for (size_t i = 0; i < o->n_funcs; i++) {
		long node;

		if (!o->funcs[i].name || !libc_table_is_fatal(o->funcs[i].name))
			continue;
		node = node_at(t, o->funcs[i].addr);
		if (node < 0 || t->starts[node] != o->funcs[i].addr)
			continue;
		t->fatal[node] = true;
		memset(t->bits[node], 0, sizeof(t->bits[node]));
	}
}

/* The entries each direct call or jump connects, -1 for none; never into or out of a fatal one. */
static void edge_nodes(struct libc_table *t, const struct code_scan *scan, long *from, long *to)
{
	for (size_t i = 0; i < scan->n_edges; i++) {
		from[i] = node_at(t, scan->edges[i].from);
		to[i] = node_at(t, scan->edges[i].to);
		/* The process dies there: neither way is a path a running process takes. */
		if ((to[i] >= 0 && t->fatal[to[i]]) || (from[i] >= 0 && t->fatal[from[i]]))
			to[i] = -1;
	}
}

/* Each entry's @bits take those of every entry it reaches. */
static void close_over_edges(uint64_t (*bits)[SYSCALL_WORDS], const struct code_scan *scan,
			     const long *from, const long *to)
{
	for (int round = 0; round < MAX_ROUNDS; round++) {
		bool changed = false;

		for (size_t i = 0; i < scan->n_edges; i++) {
			if (from[i] < 0 || to[i] < 0 || from[i] == to[i])
				continue;
			for (int w = 0; w < SYSCALL_WORDS; w++) {
				uint64_t more = bits[to[i]][w] & ~bits[from[i]][w];

				if (more) {
					bits[from[i]][w] |= more;
					changed = true;
				}
			}
		}
		if (!changed)
			break;
	}
}

/*
 * Direct calls: those an entry's own code makes, and the call of a wrapper it calls or jumps
 * to itself that is exported under the call's name (nanosleep calls clock_nanosleep, which
 * makes clock_nanosleep), a trailing "64" aside (creat64). One step, not the closure: a call
 * deeper inside libc (getaddrinfo's uname) is not direct.
 */
static void mark_wrappers(struct libc_table *t, const struct code_scan *scan, const long *from,
			  const long *to)
{
	const struct elf_object *o = t->libc;
	uint32_t arch = o->machine == EM_AARCH64 ? SCMP_ARCH_AARCH64 : SCMP_ARCH_X86_64;
	cleanup_free uint64_t(*named)[SYSCALL_WORDS] = calloc(t->n_nodes + 1, sizeof(*named));

	memcpy(t->direct, t->own, t->n_nodes * sizeof(*t->direct));
	if (!named)
		return; /* only own code is direct then */
	for (size_t i = 0; i < o->n_funcs; i++) {
		char name[128];
		size_t len;
		long node;
		int nr;

		if (!o->funcs[i].exported || !o->funcs[i].name)
			continue;
		node = node_at(t, o->funcs[i].addr);
		len = strlen(o->funcs[i].name);
		if (node < 0 || len >= sizeof(name))
			continue;
		memcpy(name, o->funcs[i].name, len + 1);
		nr = seccomp_syscall_resolve_name_arch(arch, name);
		if (nr < 0 && len > 2 && strcmp(name + len - 2, "64") == 0) {
			name[len - 2] = '\0';
			nr = seccomp_syscall_resolve_name_arch(arch, name);
		}
		if (nr >= 0 && nr < MAX_SYSCALL_NR && (t->own[node][nr / 64] >> (nr % 64)) & 1)
			named[node][nr / 64] |= 1ULL << (nr % 64);
	}
	for (size_t i = 0; i < scan->n_edges; i++)
		if (from[i] >= 0 && to[i] >= 0)
			for (int w = 0; w < SYSCALL_WORDS; w++)
				t->direct[from[i]][w] |= named[to[i]][w];
}

static int fill_symbols(struct libc_table *t)
{
	const struct elf_object *o = t->libc;

	t->syms = calloc(o->n_funcs + 1, sizeof(*t->syms));
	if (!t->syms)
		return -1;
	for (size_t i = 0; i < o->n_funcs; i++) {
		long node;

		if (!o->funcs[i].exported || !o->funcs[i].name)
			continue;
		node = node_at(t, o->funcs[i].addr);
		if (node < 0)
			continue;
		t->syms[t->n_syms++] = (struct libc_symbol){ .name = o->funcs[i].name,
							     .node = (uint32_t)node };
	}
	qsort(t->syms, t->n_syms, sizeof(*t->syms), cmp_sym);
	return 0;
}

int libc_table_build(const struct elf_object *libc, struct libc_table *out, struct error *err)
{
	struct code_scan scan = { 0 };
	cleanup_free long *from = NULL, *to = NULL;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->libc = libc;
	for (size_t i = 0; i < libc->n_code; i++)
		if (code_scan_sweep(libc->machine, libc->code[i].bytes, libc->code[i].size,
				    libc->code[i].addr, true, &scan, err) < 0)
			goto out;
	if (collect_starts(out, &scan) < 0)
		goto nomem;
	out->bits = calloc(out->n_nodes + 1, sizeof(*out->bits));
	out->own = calloc(out->n_nodes + 1, sizeof(*out->own));
	out->fatal = calloc(out->n_nodes + 1, sizeof(*out->fatal));
	out->direct = calloc(out->n_nodes + 1, sizeof(*out->direct));
	from = calloc(scan.n_edges + 1, sizeof(*from));
	to = calloc(scan.n_edges + 1, sizeof(*to));
	if (!out->bits || !out->own || !out->fatal || !out->direct || !from || !to)
		goto nomem;
	for (size_t i = 0; i < scan.n_sites; i++) {
		long node = node_at(out, scan.sites[i].addr);
		int nr = scan.sites[i].nr;

		out->sites++;
		if (nr < 0 || node < 0) {
			out->unknown_sites++;
			continue;
		}
		out->bits[node][nr / 64] |= 1ULL << (nr % 64);
	}
	mark_fatal(out);
	memcpy(out->own, out->bits, out->n_nodes * sizeof(*out->own));
	edge_nodes(out, &scan, from, to);
	close_over_edges(out->bits, &scan, from, to);
	mark_wrappers(out, &scan, from, to);
	if (fill_symbols(out) < 0)
		goto nomem;
	ret = 0;
	goto out;
nomem:
	error_set(err, ENOMEM, "the system call table of `%s`", libc->path);
out:
	code_scan_release(&scan);
	if (ret < 0)
		libc_table_release(out);
	return ret;
}

void libc_table_release(struct libc_table *t)
{
	free(t->syms);
	free(t->starts);
	free(t->bits);
	free(t->own);
	free(t->direct);
	free(t->fatal);
	memset(t, 0, sizeof(*t));
}

bool libc_table_lookup(const struct libc_table *t, const char *name, uint64_t bits[SYSCALL_WORDS],
		       uint64_t own[SYSCALL_WORDS])
{
	size_t lo = 0, hi = t->n_syms;
	bool found = false;

	memset(bits, 0, SYSCALL_WORDS * sizeof(uint64_t));
	if (own)
		memset(own, 0, SYSCALL_WORDS * sizeof(uint64_t));
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->syms[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n_syms && strcmp(t->syms[lo].name, name) == 0; lo++) {
		found = true;
		for (int w = 0; w < SYSCALL_WORDS; w++) {
			bits[w] |= t->bits[t->syms[lo].node][w];
			if (own)
				own[w] |= t->direct[t->syms[lo].node][w];
		}
	}
	return found;
}
