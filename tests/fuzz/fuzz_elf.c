// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz what hints read from a container's files: an ELF file taken apart (elf_object), then its
 * code read as if it were the libc (libc_table: the sweep, the call graph, the closure) and
 * swept for its own system call sites. A file of the container is untrusted input: it may be
 * skipped, never crash the tracer or make it read outside the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_checks.h"
#include "hints/code_scan.h"
#include "hints/elf_object.h"
#include "hints/libc_table.h"

static void check_object(const struct elf_object *o)
{
	CHECK(o->machine == 62 || o->machine == 183); /* EM_X86_64, EM_AARCH64 */
	for (size_t i = 0; i < o->n_code; i++) {
		const char *at = (const char *)o->code[i].bytes;

		CHECK(o->code[i].size == 0 ||
		      (at >= o->data && o->code[i].size <= o->size &&
		       (size_t)(at - o->data) <= o->size - o->code[i].size));
	}
	for (size_t i = 1; i < o->n_funcs; i++)
		CHECK(o->funcs[i - 1].addr <= o->funcs[i].addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	struct elf_object o;
	struct libc_table t;
	struct code_scan scan = { 0 };
	struct error err = { 0 };

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (elf_object_from_memory("/fuzz", copy, size, &o, &err) < 0) {
		check_message(&err);
		return 0;
	}
	check_object(&o);
	if (libc_table_build(&o, &t, &err) == 0) {
		uint64_t bits[SYSCALL_WORDS];

		CHECK(t.unknown_sites <= t.sites);
		for (size_t i = 0; i < t.n_syms; i++)
			CHECK(libc_table_lookup(&t, t.syms[i].name, bits, NULL));
		libc_table_release(&t);
	} else {
		check_message(&err);
	}
	for (size_t i = 0; i < o.n_code; i++)
		if (code_scan_sweep(o.machine, o.code[i].bytes, o.code[i].size, o.code[i].addr,
				    false, &scan, &err) < 0)
			break;
	for (size_t i = 0; i < scan.n_sites; i++)
		CHECK(scan.sites[i].nr >= -1 && scan.sites[i].nr < MAX_SYSCALL_NR);
	code_scan_release(&scan);
	elf_object_release(&o);
	return 0;
}
