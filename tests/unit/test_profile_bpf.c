// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of profile_bpf: the profile's BPF program as libseccomp compiles it, run here. */
#include "tap.h"
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include "base/cleanup.h"
#include "profile/profile_bpf.h"
#include "profile/syscalls.h"

#define PROFILE                                                                         \
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["                       \
	" {\"names\": [\"getcpu\", \"no_such_call\"], \"action\": \"SCMP_ACT_ALLOW\"}," \
	" {\"names\": [\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"  \
	" {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["   \
	"  {\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]}]}"

static uint32_t verdict(const struct bpf_prog *prog, const char *name, uint64_t arg0)
{
	struct seccomp_data d = { .arch = seccomp_arch_native() };
	uint32_t ret = 0xdeadbeef;

	d.nr = seccomp_syscall_resolve_name(name);
	d.args[0] = arg0;
	if (profile_bpf_run(prog, &d, &ret) < 0)
		return 0xdeadbeef;
	return ret;
}

static void test_compile(void)
{
	cleanup_profile struct profile *p = NULL;
	struct bpf_prog prog = { 0 };
	struct error err = { 0 };
	size_t unknown = 0;

	if (!is_int(profile_parse(PROFILE, strlen(PROFILE), "profile `t.json`", &p, &err), 0,
		    "the test profile parses")) {
		diag("%s", err.msg);
		return;
	}
	if (!is_int(profile_bpf_compile(p, &prog, &unknown, &err), 0, "the profile compiles")) {
		diag("%s", err.msg);
		return;
	}
	ok(prog.len > 0 && prog.len <= PROFILE_BPF_MAX_INSNS, "into 1 to %d instructions",
	   PROFILE_BPF_MAX_INSNS);
	is_uint(unknown, 1, "the name libseccomp does not know is counted, not compiled");
	is_uint(verdict(&prog, "getcpu", 0), SECCOMP_RET_ALLOW, "an allowed call is allowed");
	is_uint(verdict(&prog, "uname", 0), SECCOMP_RET_ERRNO | 38,
		"a call with errnoRet gets its errno");
	is_uint(verdict(&prog, "times", 0), SECCOMP_RET_ERRNO | 1,
		"a call no rule names gets the default, EPERM");
	is_uint(verdict(&prog, "personality", 8), SECCOMP_RET_ALLOW,
		"a call allowed under a condition runs when it holds");
	is_uint(verdict(&prog, "personality", 9), SECCOMP_RET_ERRNO | 1,
		"and is denied when it does not");
	profile_bpf_release(&prog);
	ok(!prog.insns && prog.len == 0, "a released program is empty");
	profile_bpf_release(&prog);
	ok(!prog.insns, "releasing it twice is harmless");
}

static void test_export(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct bpf_prog prog = { 0 };
	struct error err = { 0 };

	if (!ok(ctx != NULL, "libseccomp makes an allow-all filter"))
		return;
	is_int(profile_bpf_export(ctx, &prog, &err), 0, "it is exported");
	is_uint(verdict(&prog, "getcpu", 0), SECCOMP_RET_ALLOW, "and allows what it runs on");
	seccomp_release(ctx);
	profile_bpf_release(&prog);
}

static void test_interpreter(void)
{
	struct sock_filter jumps[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 7),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 6, 0, 3),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 8, 2, 0),
		BPF_STMT(BPF_LDX | BPF_IMM, 2),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_filter misc[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_IMM, 0),
		BPF_STMT(BPF_MISC | BPF_TXA, 0),
		BPF_STMT(BPF_ALU | BPF_NEG, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_filter bad_op[] = { BPF_STMT(BPF_ALU | 0xf0 | BPF_K, 1) };
	struct sock_filter far_load[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, sizeof(struct seccomp_data)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct bpf_prog p = { jumps, sizeof(jumps) / sizeof(jumps[0]) };
	struct seccomp_data d = { .nr = 5 };
	uint32_t ret = 0;

	is_int(profile_bpf_run(&p, &d, &ret), 0, "a program of jumps runs");
	is_uint(ret, 3, "7 > 6, not >= 8, 7 / 2 = 3: as the kernel computes");
	p = (struct bpf_prog){ misc, sizeof(misc) / sizeof(misc[0]) };
	is_int(profile_bpf_run(&p, &d, &ret), 0, "TAX, TXA and NEG run");
	is_uint(ret, (uint32_t)-5, "the call number comes back through X, negated");
	p = (struct bpf_prog){ bad_op, 1 };
	is_int(profile_bpf_run(&p, &d, &ret), -1, "an ALU operation seccomp refuses fails");
	p = (struct bpf_prog){ far_load, 2 };
	is_int(profile_bpf_run(&p, &d, &ret), -1, "a load beyond seccomp_data fails");
	p = (struct bpf_prog){ NULL, 0 };
	is_int(profile_bpf_run(&p, &d, &ret), -1, "an empty program has no verdict");
}

int main(void)
{
	test_compile();
	test_export();
	test_interpreter();
	return done_testing();
}
