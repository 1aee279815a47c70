// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The profile compiled once by libseccomp serves twice: rewritten, it is the filter the
 * workload runs under; as it is, run here on a notification's seccomp_data, it says what the
 * profile would have done. The two cannot disagree about which calls the profile denies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "audit/audit_filter.h"
#include "base/cleanup.h"

/* Appended to the rewritten program; every allowed path jumps here. See epilogue(). */
#define EPILOGUE_LEN 10
#define EPILOGUE_PATH_LO 5 /* the instructions comparing the pathname pointer */
#define EPILOGUE_PATH_HI 7

/* The 32-bit halves of a 64-bit argument, as BPF loads them. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args[i]))
#define ARG_HI(i) (offsetof(struct seccomp_data, args[i]) + 4)
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args[i]) + 4)
#define ARG_HI(i) (offsetof(struct seccomp_data, args[i]))
#endif

int audit_filter_export(scmp_filter_ctx ctx, struct bpf_prog *out, struct error *err)
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
	    st.st_size > (off_t)(AUDIT_FILTER_MAX_INSNS * sizeof(struct sock_filter)))
		return error_set(err, 0, "libseccomp generated a filter of %lld bytes, not 1 to %d "
				 "instructions", (long long)st.st_size, AUDIT_FILTER_MAX_INSNS);
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

static bool kept_in_enforce(uint32_t action)
{
	/* The kernel's signal (SIGSYS with si_syscall, a core dump) cannot be sent from here. */
	return action == SECCOMP_RET_KILL_PROCESS || action == SECCOMP_RET_KILL_THREAD ||
	       action == SECCOMP_RET_TRAP;
}

/*
 * Allowed calls end here: the gate call is notified, everything else allowed. The arch is
 * checked first: syscall numbers mean something else on each architecture.
 */
static void epilogue(struct sock_filter *e, const struct exec_gate *gate)
{
	e[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, arch));
	e[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, gate->arch, 0, 7);
	e[2] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, nr));
	e[3] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, gate->nr, 0, 5);
	e[4] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
	e[EPILOGUE_PATH_LO] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							   (uint32_t)gate->path, 0, 3);
	e[6] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(0));
	e[EPILOGUE_PATH_HI] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							   (uint32_t)(gate->path >> 32), 0, 1);
	e[8] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	e[9] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
}

int audit_filter_rewrite(const struct bpf_prog *prog, enum audit_mode mode,
			 const struct exec_gate *gate, struct bpf_prog *out, struct error *err)
{
	size_t len = prog->len + EPILOGUE_LEN;
	cleanup_free struct sock_filter *insns = NULL;

	if (len > AUDIT_FILTER_MAX_INSNS)
		return error_set(err, 0, "the profile's filter has %zu instructions: with the %d "
				 "`run` adds, more than the kernel's %d", prog->len, EPILOGUE_LEN,
				 AUDIT_FILTER_MAX_INSNS);
	insns = calloc(len, sizeof(*insns));
	if (!insns)
		return error_set(err, ENOMEM, "rewrite the filter");
	memcpy(insns, prog->insns, prog->len * sizeof(*insns));
	for (size_t i = 0; i < prog->len; i++) {
		struct sock_filter *f = &insns[i];
		uint32_t action = f->k & SECCOMP_RET_ACTION_FULL;

		if (BPF_CLASS(f->code) != BPF_RET)
			continue;
		if (BPF_RVAL(f->code) != BPF_K)
			return error_set(err, 0, "the profile's filter returns a computed action at "
					 "instruction %zu: only constant verdicts can be rewritten", i);
		if (action == SECCOMP_RET_ALLOW)
			*f = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA,
							  (uint32_t)(prog->len - (i + 1)));
		else if (!(mode == AUDIT_MODE_ENFORCE && kept_in_enforce(action)))
			f->k = SECCOMP_RET_USER_NOTIF;
	}
	epilogue(insns + prog->len, gate);
	out->insns = TAKE_PTR(insns);
	out->len = len;
	return 0;
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
	case BPF_ADD: *a += operand; break;
	case BPF_SUB: *a -= operand; break;
	case BPF_MUL: *a *= operand; break;
	case BPF_DIV:
		if (operand == 0)
			return false;
		*a /= operand;
		break;
	case BPF_AND: *a &= operand; break;
	case BPF_OR: *a |= operand; break;
	case BPF_XOR: *a ^= operand; break;
	case BPF_LSH: *a <<= operand & 31; break;
	case BPF_RSH: *a >>= operand & 31; break;
	case BPF_NEG: *a = -*a; break;
	default:
		return false;
	}
	return true;
}

static int jump(uint16_t code, uint32_t a, uint32_t operand, bool *taken)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ: *taken = a == operand; return 0;
	case BPF_JGT: *taken = a > operand; return 0;
	case BPF_JGE: *taken = a >= operand; return 0;
	case BPF_JSET: *taken = (a & operand) != 0; return 0;
	default: return -1;
	}
}

int audit_filter_run(const struct bpf_prog *prog, const struct seccomp_data *data, uint32_t *ret)
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
			/* Division by zero ends a classic program with 0: SECCOMP_RET_KILL_THREAD. */
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

int audit_filter_build(const struct profile *p, enum audit_mode mode, struct audit_filter *out,
		       struct error *err)
{
	struct exec_gate gate = { seccomp_arch_native(), SYS_execve, 0 };
	struct audit_filter f = { 0 };
	scmp_filter_ctx ctx;
	int ret;

	if (profile_build_filter(p, &ctx, &f.unknown_names, err) < 0)
		return -1;
	ret = audit_filter_export(ctx, &f.profile, err);
	seccomp_release(ctx);
	if (ret < 0)
		return -1;
	f.mode = mode;
	if (audit_filter_rewrite(&f.profile, mode, &gate, &f.load, err) < 0) {
		audit_filter_release(&f);
		return -1;
	}
	*out = f;
	return 0;
}

void audit_filter_gate_exec(struct audit_filter *f, uint64_t path)
{
	struct sock_filter *e = f->load.insns + f->load.len - EPILOGUE_LEN;

	e[EPILOGUE_PATH_LO].k = (uint32_t)path;
	e[EPILOGUE_PATH_HI].k = (uint32_t)(path >> 32);
}

uint32_t audit_filter_verdict(const struct audit_filter *f, const struct seccomp_data *data)
{
	uint32_t ret;

	/* libseccomp's programs always run to a return; were one not to, deny the call. */
	if (audit_filter_run(&f->profile, data, &ret) < 0)
		return SECCOMP_RET_ERRNO | ENOSYS;
	return ret;
}

void audit_filter_release(struct audit_filter *f)
{
	if (!f)
		return;
	free(f->profile.insns);
	free(f->load.insns);
	memset(f, 0, sizeof(*f));
}
