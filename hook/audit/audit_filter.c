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

	if (len > PROFILE_BPF_MAX_INSNS)
		return error_set(err, 0,
				 "the profile's filter has %zu instructions: with the %d "
				 "`run` adds, more than the kernel's %d",
				 prog->len, EPILOGUE_LEN, PROFILE_BPF_MAX_INSNS);
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
			return error_set(err, 0,
					 "the profile's filter returns a computed action at "
					 "instruction %zu: only constant verdicts can be rewritten",
					 i);
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

int audit_filter_build(const struct profile *p, enum audit_mode mode, struct audit_filter *out,
		       struct error *err)
{
	struct exec_gate gate = { seccomp_arch_native(), SYS_execve, 0 };
	struct audit_filter f = { 0 };

	if (profile_bpf_compile(p, &f.profile, &f.unknown_names, err) < 0)
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
	if (profile_bpf_run(&f->profile, data, &ret) < 0)
		return SECCOMP_RET_ERRNO | ENOSYS;
	return ret;
}

void audit_filter_release(struct audit_filter *f)
{
	if (!f)
		return;
	profile_bpf_release(&f->profile);
	profile_bpf_release(&f->load);
	memset(f, 0, sizeof(*f));
}
