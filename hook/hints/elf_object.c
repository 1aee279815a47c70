// SPDX-License-Identifier: GPL-2.0-or-later
/* An ELF file of the container read with libelf: needed libraries, imports, functions, code. */

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "hints/elf_object.h"

static int open_in_root(int root_fd, const char *path, struct error *err)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how));

	if (fd < 0)
		return error_set(err, errno, "open `%s` in the container's root", path);
	return fd;
}

static int read_in_root(int root_fd, const char *path, char **buf, size_t *len, struct error *err)
{
	cleanup_close int fd = open_in_root(root_fd, path, err);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return error_set(err, errno, "stat `%s`", path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, 0, "`%s` is not a regular file", path);
	if ((uint64_t)st.st_size > ELF_OBJECT_MAX_BYTES)
		return error_set(err, 0, "`%s` is larger than %u MiB", path,
				 ELF_OBJECT_MAX_BYTES >> 20);
	return fs_read_fd(fd, path, ELF_OBJECT_MAX_BYTES, buf, len, err);
}

static int add_func(struct elf_object *o, size_t *cap, const char *name, const GElf_Sym *sym,
		    bool exported)
{
	if (o->n_funcs == *cap) {
		size_t n = *cap ? *cap * 2 : 256;
		struct elf_func *v = realloc(o->funcs, n * sizeof(*v));

		if (!v)
			return -1;
		o->funcs = v;
		*cap = n;
	}
	o->funcs[o->n_funcs++] = (struct elf_func){
		.name = name, .addr = sym->st_value, .size = sym->st_size, .exported = exported
	};
	return 0;
}

/* Defined functions go to funcs; undefined ones of .dynsym to imports. */
static int read_symbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct elf_object *o,
			size_t *cap, struct error *err)
{
	bool dynsym = sh->sh_type == SHT_DYNSYM;
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n;

	if (!d || !sh->sh_entsize)
		return error_set(err, 0, "`%s`: unreadable symbol table (%s)", o->path,
				 elf_errmsg(-1));
	n = d->d_size / sh->sh_entsize;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		int type, bind;
		const char *name;

		if (!gelf_getsym(d, (int)i, &sym))
			return error_set(err, 0, "`%s`: symbol %zu is malformed", o->path, i);
		type = GELF_ST_TYPE(sym.st_info);
		bind = GELF_ST_BIND(sym.st_info);
		if (type != STT_FUNC && type != STT_GNU_IFUNC &&
		    !(type == STT_NOTYPE && sym.st_shndx == SHN_UNDEF))
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (sym.st_shndx == SHN_UNDEF) {
			if (dynsym && name && name[0] && bind != STB_LOCAL &&
			    strv_append(&o->imports, name) < 0)
				return error_set(err, ENOMEM, "imports of `%s`", o->path);
			continue;
		}
		if (add_func(o, cap, name, &sym, dynsym && bind != STB_LOCAL) < 0)
			return error_set(err, ENOMEM, "functions of `%s`", o->path);
	}
	return 0;
}

static int read_dynamic(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct elf_object *o,
			struct error *err)
{
	cleanup_strv struct strv rpath = { 0 };
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n;

	if (!d || !sh->sh_entsize)
		return error_set(err, 0, "`%s`: unreadable dynamic section", o->path);
	o->dynamic = true;
	n = d->d_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn dyn;
		const char *s;
		int ret = 0;

		if (!gelf_getdyn(d, (int)i, &dyn))
			return error_set(err, 0, "`%s`: dynamic entry %zu is malformed", o->path,
					 i);
		if (dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RUNPATH && dyn.d_tag != DT_RPATH &&
		    dyn.d_tag != DT_SONAME)
			continue;
		s = elf_strptr(elf, sh->sh_link, dyn.d_un.d_val);
		if (!s)
			return error_set(err, 0, "`%s`: dynamic entry %zu names no string", o->path,
					 i);
		if (dyn.d_tag == DT_NEEDED)
			ret = strv_append(&o->needed, s);
		else if (dyn.d_tag == DT_SONAME && !o->soname)
			ret = (o->soname = strdup(s)) ? 0 : -1;
		else
			ret = strv_append(dyn.d_tag == DT_RUNPATH ? &o->runpath : &rpath, s);
		if (ret < 0)
			return error_set(err, ENOMEM, "dynamic section of `%s`", o->path);
	}
	/* The loader ignores DT_RPATH when there is a DT_RUNPATH. */
	if (!o->runpath.n) {
		struct strv t = o->runpath;

		o->runpath = rpath;
		rpath = t;
	}
	return 0;
}

static int add_code(struct elf_object *o, size_t *cap, const void *bytes, uint64_t addr,
		    size_t size)
{
	if (o->n_code == *cap) {
		size_t n = *cap ? *cap * 2 : 8;
		struct elf_code *v = realloc(o->code, n * sizeof(*v));

		if (!v)
			return -1;
		o->code = v;
		*cap = n;
	}
	o->code[o->n_code++] = (struct elf_code){ .bytes = bytes, .addr = addr, .size = size };
	return 0;
}

/* Without section headers, the executable segments are the code. */
static int segments_code(Elf *elf, struct elf_object *o, size_t *cap, struct error *err)
{
	size_t n;

	if (elf_getphdrnum(elf, &n) < 0)
		return error_set(err, 0, "`%s`: no program headers (%s)", o->path, elf_errmsg(-1));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			return error_set(err, 0, "`%s`: program header %zu is malformed", o->path,
					 i);
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		if (ph.p_offset > o->size || ph.p_filesz > o->size - ph.p_offset)
			return error_set(err, 0, "`%s`: a segment lies beyond the file", o->path);
		if (add_code(o, cap, o->data + ph.p_offset, ph.p_vaddr, ph.p_filesz) < 0)
			return error_set(err, ENOMEM, "code of `%s`", o->path);
	}
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct elf_func *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)y->exported - (int)x->exported; /* an exported name first */
}

static int take_apart(Elf *elf, struct elf_object *o, struct error *err)
{
	size_t func_cap = 0, code_cap = 0;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;

	(void)elf_errno(); /* clear what an earlier file left: only this one's errors count */
	if (elf_kind(elf) != ELF_K_ELF)
		return error_set(err, 0, "`%s` is not an ELF file", o->path);
	if (gelf_getclass(elf) != ELFCLASS64 || !gelf_getehdr(elf, &eh) ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return error_set(err, 0, "`%s` is not a 64-bit little-endian ELF file", o->path);
	if (eh.e_machine != EM_X86_64 && eh.e_machine != EM_AARCH64)
		return error_set(err, 0, "`%s` is for machine %u, neither x86_64 nor aarch64",
				 o->path, eh.e_machine);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return error_set(err, 0, "`%s` is neither an executable nor a shared object",
				 o->path);
	o->machine = eh.e_machine;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		int ret = 0;

		if (!gelf_getshdr(scn, &sh))
			return error_set(err, 0, "`%s`: a section header is malformed", o->path);
		if (sh.sh_type == SHT_DYNSYM || sh.sh_type == SHT_SYMTAB)
			ret = read_symbols(elf, scn, &sh, o, &func_cap, err);
		else if (sh.sh_type == SHT_DYNAMIC)
			ret = read_dynamic(elf, scn, &sh, o, err);
		else if (sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_EXECINSTR)) {
			Elf_Data *d = elf_rawdata(scn, NULL);

			if (!d || (d->d_size && !d->d_buf))
				return error_set(err, 0, "`%s`: unreadable code section", o->path);
			if (add_code(o, &code_cap, d->d_buf, sh.sh_addr, d->d_size) < 0)
				return error_set(err, ENOMEM, "code of `%s`", o->path);
		}
		if (ret < 0)
			return -1;
	}
	if (elf_errno())
		return error_set(err, 0, "`%s` is malformed (%s)", o->path, elf_errmsg(-1));
	if (!o->n_code && segments_code(elf, o, &code_cap, err) < 0)
		return -1;
	if (o->n_funcs)
		qsort(o->funcs, o->n_funcs, sizeof(*o->funcs), by_addr);
	strv_sort_unique(&o->imports);
	return 0;
}

int elf_object_from_memory(const char *path, char *data, size_t size, struct elf_object *out,
			   struct error *err)
{
	Elf *elf;

	memset(out, 0, sizeof(*out));
	out->data = data;
	out->size = size;
	out->path = strdup(path);
	if (!out->path) {
		error_set(err, ENOMEM, "read `%s`", path);
		goto fail;
	}
	if (out->size < 4 || memcmp(out->data, ELFMAG, SELFMAG) != 0) {
		error_set(err, 0, "`%s` is not an ELF file", path);
		goto fail;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		error_set(err, 0, "libelf is too old (%s)", elf_errmsg(-1));
		goto fail;
	}
	elf = elf_memory(out->data, out->size);
	if (!elf) {
		error_set(err, 0, "`%s` is malformed (%s)", path, elf_errmsg(-1));
		goto fail;
	}
	out->elf = elf;
	if (take_apart(elf, out, err) == 0)
		return 0;
fail:
	elf_object_release(out);
	return -1;
}

int elf_object_open(int root_fd, const char *path, struct elf_object *out, struct error *err)
{
	char *data = NULL;
	size_t size = 0;

	memset(out, 0, sizeof(*out));
	if (read_in_root(root_fd, path, &data, &size, err) < 0)
		return -1;
	return elf_object_from_memory(path, data, size, out, err);
}

void elf_object_release(struct elf_object *o)
{
	if (o->elf)
		elf_end(o->elf);
	free(o->path);
	free(o->soname);
	strv_free(&o->needed);
	strv_free(&o->runpath);
	strv_free(&o->imports);
	free(o->funcs);
	free(o->code);
	free(o->data);
	memset(o, 0, sizeof(*o));
}

const struct elf_func *elf_object_func_at(const struct elf_object *o, uint64_t addr)
{
	size_t lo = 0, hi = o->n_funcs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->funcs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &o->funcs[lo - 1] : NULL;
}
