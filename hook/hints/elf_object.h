/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One ELF file of a container, read inside its root (never through a link out of it) and
 * taken apart with libelf: its machine, the libraries it needs, the functions it imports and
 * exports, and its code. libelf is used here alone.
 */
#ifndef ELF_OBJECT_H
#define ELF_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "base/strv.h"

/* Larger files are skipped (logged): no binary of a real image comes near it. */
#define ELF_OBJECT_MAX_BYTES (256u * 1024 * 1024)

/* A defined function: its name (in the file's string table) and where its code is. */
struct elf_func {
	const char *name; /* points into the object's data; NULL for an unnamed one */
	uint64_t addr;
	uint64_t size;
	bool exported; /* in .dynsym, global or weak */
};

/* A stretch of executable bytes at a virtual address. */
struct elf_code {
	const uint8_t *bytes; /* points into the object's data */
	uint64_t addr;
	size_t size;
};

struct elf_object {
	char *path;		/* inside the root, as opened */
	uint16_t machine;	/* EM_X86_64 or EM_AARCH64 */
	bool dynamic;		/* has a dynamic section */
	char *soname;		/* DT_SONAME, NULL when none */
	struct strv needed;	/* DT_NEEDED, in order */
	struct strv runpath;	/* DT_RUNPATH, or DT_RPATH when there is no RUNPATH */
	struct strv imports;	/* undefined function symbols of .dynsym */
	struct elf_func *funcs; /* every defined function symbol, sorted by address */
	size_t n_funcs;
	struct elf_code *code;
	size_t n_code;
	char *data; /* the file */
	size_t size;
	void *elf; /* libelf's handle: the names and code above point into what it holds */
};

/*
 * Open @path inside the directory @root_fd (RESOLVE_IN_ROOT, no magic links: a symlink is
 * followed, but never out of the root) and read it. Returns 0, or -1 with @err saying why the
 * file is skipped: not a regular file, larger than ELF_OBJECT_MAX_BYTES, not ELF, not a 64-bit
 * x86_64 or aarch64 object, malformed.
 */
int elf_object_open(int root_fd, const char *path, struct elf_object *out, struct error *err);
/* The same for the @size bytes at @data (malloc'ed; taken over, also on failure), as @path. */
int elf_object_from_memory(const char *path, char *data, size_t size, struct elf_object *out,
			   struct error *err);
void elf_object_release(struct elf_object *o);

/* The function whose code holds @addr (greatest start not above it), or NULL. */
const struct elf_func *elf_object_func_at(const struct elf_object *o, uint64_t addr);

#endif /* ELF_OBJECT_H */
