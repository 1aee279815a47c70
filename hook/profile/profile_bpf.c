// SPDX-License-Identifier: GPL-2.0-or-later
/* The profile's classic BPF program: exported from libseccomp, and run here as the kernel would. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "profile/profile_bpf.h"

int profile_bpf_export(scmp_filter_ctx ctx, struct bpf_prog *out, struct error *err)
{
	cleanup_close int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	cleanup_free struct sock_filter *insns = NULL;
	struct stat st;
	ssize_t n;
	int ret;

	if (fd < 0)
		return error_set(err, errno, "memfd_create");
	ret = seccomp_export_bpf(ctx, fd);
	if (ret < 0)
		return error_set(err, -ret, "libseccomp could not generate the profile's filter");
	if (fstat(fd, &st) < 0)
		return error_set(err, errno, "fstat of the exported filter");
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
	    st.st_size > (off_t)(PROFILE_BPF_MAX_INSNS * sizeof(struct sock_filter)))
		return error_set(err, 0,
				 "libseccomp generated a filter of %lld bytes, not 1 to %d "
				 "instructions",
				 (long long)st.st_size, PROFILE_BPF_MAX_INSNS);
	insns = malloc((size_t)st.st_size);
	if (!insns)
		return error_set(err, ENOMEM, "export the filter");
	n = pread(fd, insns, (size_t)st.st_size, 0);
	if (n != st.st_size)
		return error_set(err, n < 0 ? errno : EIO, "read the exported filter");
	out->insns = TAKE_PTR(insns);
	out->len = (size_t)st.st_size / sizeof(struct sock_filter);
	return 0;
}

int profile_bpf_compile(const struct profile *p, struct bpf_prog *out, size_t *unknown_names,
			struct error *err)
{
	scmp_filter_ctx ctx;
	int ret;

	if (profile_build_filter(p, &ctx, unknown_names, err) < 0)
		return -1;
	ret = profile_bpf_export(ctx, out, err);
	seccomp_release(ctx);
	return ret;
}

static bool load_word(const struct seccomp_data *data, uint32_t off, uint32_t *out)
{
	if (off % 4 != 0 || off > sizeof(*data) - 4)
		return false;
	memcpy(out, (const char *)data + off, sizeof(*out));
	return true;
}

/* A, X, op K or X: the ALU operations seccomp accepts. Returns false on a division by 0. */
static bool alu(uint16_t code, uint32_t *a, uint32_t operand)
{
	switch (BPF_OP(code)) {
	case BPF_ADD:
		*a += operand;
		break;
	case BPF_SUB:
		*a -= operand;
		break;
	case BPF_MUL:
		*a *= operand;
		break;
	case BPF_DIV:
		if (operand == 0)
			return false;
		*a /= operand;
		break;
	case BPF_AND:
		*a &= operand;
		break;
	case BPF_OR:
		*a |= operand;
		break;
	case BPF_XOR:
		*a ^= operand;
		break;
	case BPF_LSH:
		*a <<= operand & 31;
		break;
	case BPF_RSH:
		*a >>= operand & 31;
		break;
	case BPF_NEG:
		*a = -*a;
		break;
	default:
		return false;
	}
	return true;
}

static int jump(uint16_t code, uint32_t a, uint32_t operand, bool *taken)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ:
		*taken = a == operand;
		return 0;
	case BPF_JGT:
		*taken = a > operand;
		return 0;
	case BPF_JGE:
		*taken = a >= operand;
		return 0;
	case BPF_JSET:
		*taken = (a & operand) != 0;
		return 0;
	default:
		return -1;
	}
}

int profile_bpf_run(const struct bpf_prog *prog, const struct seccomp_data *data, uint32_t *ret)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	size_t pc = 0;

	/* Jumps only go forward (as the kernel checks), so this ends. */
	while (pc < prog->len) {
		const struct sock_filter *f = &prog->insns[pc++];
		uint32_t operand = BPF_SRC(f->code) == BPF_X ? x : f->k;
		bool taken;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (!load_word(data, f->k, &a))
					return -1;
			} else if (f->code == (BPF_LD | BPF_W | BPF_LEN)) {
				a = sizeof(*data);
			} else if (f->code == (BPF_LD | BPF_IMM)) {
				a = f->k;
			} else if (f->code == (BPF_LD | BPF_MEM) && f->k < BPF_MEMWORDS) {
				a = mem[f->k];
			} else {
				return -1;
			}
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_W | BPF_LEN))
				x = sizeof(*data);
			else if (f->code == (BPF_LDX | BPF_IMM))
				x = f->k;
			else if (f->code == (BPF_LDX | BPF_MEM) && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else
				return -1;
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return -1;
			mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			/* Division by zero ends a classic program with 0: SECCOMP_RET_KILL_THREAD.
			 */
			if (!alu(f->code, &a, operand)) {
				if (BPF_OP(f->code) != BPF_DIV)
					return -1;
				*ret = 0;
				return 0;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				pc += f->k;
				break;
			}
			if (jump(f->code, a, operand, &taken) < 0)
				return -1;
			pc += taken ? f->jt : f->jf;
			break;
		case BPF_RET:
			*ret = BPF_RVAL(f->code) == BPF_A ? a : f->k;
			return 0;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else if (BPF_MISCOP(f->code) == BPF_TXA)
				a = x;
			else
				return -1;
			break;
		default:
			return -1;
		}
	}
	return -1;
}

void profile_bpf_release(struct bpf_prog *prog)
{
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
}
