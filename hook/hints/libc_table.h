/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What each exported function of a libc can call: the system call sites of its code and of
 * every function it reaches by direct calls and jumps inside the library.
 */
#ifndef LIBC_TABLE_H
#define LIBC_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "hints/elf_object.h"
#include <linux/types.h>
#include "recorder.h"

struct libc_symbol {
	const char *name; /* points into the library's object */
	uint32_t node;
};

struct libc_table {
	const struct elf_object *libc;
	struct libc_symbol *syms; /* sorted by name; a name may appear more than once */
	size_t n_syms;
	uint64_t *starts;		 /* function entries, sorted */
	uint64_t (*bits)[SYSCALL_WORDS]; /* per entry: the calls it can make, closed over calls */
	size_t n_nodes;
	size_t sites, unknown_sites; /* system call instructions, those without a known number */
};

/* Build @libc's table (@libc must outlive it). */
int libc_table_build(const struct elf_object *libc, struct libc_table *out, struct error *err);
void libc_table_release(struct libc_table *t);

/* The calls the exported function @name can make into @bits (cleared first); false: no such. */
bool libc_table_lookup(const struct libc_table *t, const char *name, uint64_t bits[SYSCALL_WORDS]);

#endif /* LIBC_TABLE_H */
