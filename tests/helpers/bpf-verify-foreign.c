// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Put a BPF object built for arm64 (-D__TARGET_ARCH_arm64) through this kernel's verifier, so
 * that an x86 machine tells whether arm64's verifier would take it: arm64's struct pt_regs is
 * laid over the first words of this kernel's (each field one aligned u64 there, as on arm64),
 * and the object's CO-RE relocations are applied against this kernel's BTF plus that type
 * (libbpf's btf_custom_path). The verifier's rules on a pt_regs pointer do not depend on the
 * architecture: a variable offset into it is refused here as there.
 *
 *   bpf-verify-foreign OBJECT     exit 0: loaded; 1: refused (the verifier's log on stderr)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define LOG_SIZE (16U << 20)
#define WORD 8

/* arm64's pt_regs fields the program may read, by word, and how many of regs[] are laid out. */
#define ARM64_REGS 8
enum { W_SP = ARM64_REGS, W_PC, W_PSTATE, W_ORIG_X0, W_SYSCALLNO, W_COUNT };

static int fail(const char *what, int err)
{
	fprintf(stderr, "bpf-verify-foreign: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 2;
}

static int add_arm64_pt_regs(struct btf *btf, __u32 host_size)
{
	int u64 = btf__find_by_name_kind(btf, "u64", BTF_KIND_TYPEDEF);
	int s32 = btf__find_by_name_kind(btf, "s32", BTF_KIND_TYPEDEF);
	int uint = btf__find_by_name_kind(btf, "unsigned int", BTF_KIND_INT);
	int regs, id;

	if (u64 < 0 || s32 < 0 || uint < 0 || host_size < W_COUNT * WORD)
		return -ENOENT;
	regs = btf__add_array(btf, uint, u64, ARM64_REGS);
	/* A flavor of pt_regs (the ___ suffix): libbpf takes it as a candidate for `pt_regs`. */
	id = btf__add_struct(btf, "pt_regs___arm64", host_size);
	if (regs < 0 || id < 0 || btf__add_field(btf, "regs", regs, 0, 0) ||
	    btf__add_field(btf, "sp", u64, W_SP * WORD * 8, 0) ||
	    btf__add_field(btf, "pc", u64, W_PC * WORD * 8, 0) ||
	    btf__add_field(btf, "pstate", u64, W_PSTATE * WORD * 8, 0) ||
	    btf__add_field(btf, "orig_x0", u64, W_ORIG_X0 * WORD * 8, 0) ||
	    btf__add_field(btf, "syscallno", s32, W_SYSCALLNO * WORD * 8, 0))
		return -ENOMEM;
	return 0;
}

/* This kernel's BTF and arm64's pt_regs in one file, written to @path. */
static int write_custom_btf(const char *path)
{
	struct btf *vmlinux = btf__load_vmlinux_btf(), *btf = btf__new_empty();
	const struct btf_type *host;
	const void *raw;
	__u32 size;
	int id, err = 0;
	FILE *f;

	if (!vmlinux || !btf)
		return -errno;
	id = btf__find_by_name_kind(vmlinux, "pt_regs", BTF_KIND_STRUCT);
	host = id < 0 ? NULL : btf__type_by_id(vmlinux, id);
	if (!host || btf__add_btf(btf, vmlinux) < 0 || add_arm64_pt_regs(btf, host->size) < 0) {
		err = -ENOENT;
		goto out;
	}
	raw = btf__raw_data(btf, &size);
	f = fopen(path, "we");
	if (!raw || !f || fwrite(raw, 1, size, f) != size || fclose(f) != 0)
		err = -EIO;
out:
	btf__free(btf);
	btf__free(vmlinux);
	return err;
}

int main(int argc, char **argv)
{
	char btf_path[] = "/tmp/bpf-verify-foreign.XXXXXX";
	struct bpf_object *obj;
	char *log;
	int fd, err;

	if (argc != 2) {
		fprintf(stderr, "usage: bpf-verify-foreign OBJECT\n");
		return 2;
	}
	fd = mkstemp(btf_path);
	if (fd < 0)
		return fail("mkstemp", errno);
	close(fd);
	err = write_custom_btf(btf_path);
	if (err) {
		unlink(btf_path);
		return fail("this kernel's BTF with arm64's pt_regs", err);
	}
	log = calloc(1, LOG_SIZE);
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path, .kernel_log_buf = log,
		    .kernel_log_size = LOG_SIZE, .kernel_log_level = 1);
	obj = log ? bpf_object__open_file(argv[1], &opts) : NULL;
	if (!obj) {
		err = log ? errno : ENOMEM;
		unlink(btf_path);
		free(log);
		return fail(argv[1], err);
	}
	err = bpf_object__load(obj);
	unlink(btf_path);
	bpf_object__close(obj);
	if (err)
		fprintf(stderr, "%s\nbpf-verify-foreign: the verifier refused %s: %s\n", log,
			argv[1], strerror(-err));
	else
		printf("loaded\n");
	free(log);
	return err ? 1 : 0;
}
