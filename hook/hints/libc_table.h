/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What each exported function of a libc can call: the system call sites of its code and of
 * every function it reaches by direct calls and jumps inside the library, except its fatal
 * paths (LIBC_FATAL_FUNCS): a process that goes there dies, whatever its calls are answered.
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
	uint64_t *starts;		   /* function entries, sorted */
	uint64_t (*bits)[SYSCALL_WORDS];   /* per entry: the calls it can make, closed over calls */
	uint64_t (*own)[SYSCALL_WORDS];	   /* per entry: the calls its own code makes */
	uint64_t (*direct)[SYSCALL_WORDS]; /* ... and those of the wrappers it reaches (see .c) */
	bool *fatal;			   /* per entry: a fatal function's (not followed) */
	size_t n_nodes;
	size_t sites, unknown_sites; /* system call instructions, those without a known number */
};

/* Build @libc's table (@libc must outlive it). */
int libc_table_build(const struct elf_object *libc, struct libc_table *out, struct error *err);
void libc_table_release(struct libc_table *t);

/*
 * libc's functions that end the process (abort, the failed checks and assertions): their calls
 * are no hint, and a path into them is not followed.
 */
#define LIBC_FATAL_FUNCS                                                                   \
	"abort", "__libc_fatal", "__libc_message", "__fortify_fail", "__chk_fail",         \
		"__stack_chk_fail", "__stack_chk_fail_local", "__assert_fail", "__assert", \
		"__assert_perror_fail"

/* Whether @name is one of LIBC_FATAL_FUNCS. */
bool libc_table_is_fatal(const char *name);

/*
 * The calls the exported function @name can make into @bits, and with @own (NULL: not asked)
 * its direct ones: those its own code makes, or a wrapper of the call's name it reaches
 * (nanosleep reaches clock_nanosleep), not libc's other insides (both cleared first); false:
 * no such.
 */
bool libc_table_lookup(const struct libc_table *t, const char *name, uint64_t bits[SYSCALL_WORDS],
		       uint64_t own[SYSCALL_WORDS]);

#endif /* LIBC_TABLE_H */
