// SPDX-License-Identifier: GPL-2.0-or-later
/* audit_filter: the profile's verdicts run in user space, and the program `run` loads. */
#include "tap.h"
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include "audit/audit_filter.h"
#include "base/cleanup.h"
#include "profile/profile.h"

/* Test documents are written with ' for " to stay readable. */
static struct profile *parse(const char *text)
{
	cleanup_free char *doc = strdup(text);
	struct profile *p = NULL;
	struct error err = { 0 };

	for (char *c = doc; *c; c++)
		if (*c == '\'')
			*c = '"';
	if (profile_parse(doc, strlen(doc), "profile `t.json`", &p, &err) < 0)
		diag("the test profile does not parse: %s", err.msg);
	return p;
}

/* A pathname pointer as the child would pass it: both halves matter. */
#define GATE_PATH 0x00007ffd12345678ULL

static struct seccomp_data call(uint32_t arch, const char *name)
{
	struct seccomp_data d = { 0 };

	d.arch = arch;
	d.nr = seccomp_syscall_resolve_name_arch(arch, name);
	return d;
}

static uint32_t run_on(const struct bpf_prog *prog, struct seccomp_data d)
{
	uint32_t ret = 0xdeadbeef;

	if (profile_bpf_run(prog, &d, &ret) < 0)
		return 0xdeadbeef;
	return ret;
}

#define PROFILE                                                                       \
	"{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86_64',"   \
	" 'SCMP_ARCH_X86'], 'syscalls': ["                                            \
	" {'names': ['getcpu', 'execve', 'exit_group'], 'action': 'SCMP_ACT_ALLOW'}," \
	" {'names': ['uname'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38},"          \
	" {'names': ['times'], 'action': 'SCMP_ACT_KILL_PROCESS'},"                   \
	" {'names': ['getpriority'], 'action': 'SCMP_ACT_TRAP'},"                     \
	" {'names': ['sched_yield'], 'action': 'SCMP_ACT_LOG'},"                      \
	" {'names': ['umask'], 'action': 'SCMP_ACT_KILL'},"                           \
	" {'names': ['personality'], 'action': 'SCMP_ACT_ALLOW', 'args': ["           \
	"  {'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'}]}]}"

static void test_verdicts(const struct audit_filter *f)
{
	struct seccomp_data d;

	is_uint(audit_filter_verdict(f, &(struct seccomp_data){ 0 }), SECCOMP_RET_KILL_THREAD,
		"a call of arch 0 (not listed) gets libseccomp's bad-arch action, kill");
	d = call(SCMP_ARCH_X86_64, "getcpu");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_ALLOW, "x86_64 getcpu is allowed");
	d = call(SCMP_ARCH_X86_64, "sysinfo");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_ERRNO | 1,
		"x86_64 sysinfo gets the default, EPERM");
	d = call(SCMP_ARCH_X86_64, "uname");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_ERRNO | 38, "uname gets its errnoRet 38");
	d = call(SCMP_ARCH_X86_64, "times");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_KILL_PROCESS, "times kills the process");
	d = call(SCMP_ARCH_X86_64, "getpriority");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_TRAP, "getpriority traps");
	d = call(SCMP_ARCH_X86_64, "sched_yield");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_LOG, "sched_yield is logged");
	d = call(SCMP_ARCH_X86_64, "umask");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_KILL_THREAD,
		"SCMP_ACT_KILL is SECCOMP_RET_KILL_THREAD");
	d = call(SCMP_ARCH_X86_64, "personality");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_ALLOW, "personality(0) is allowed");
	d.args[0] = 8;
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_ERRNO | 1,
		"personality(8) is denied: the argument condition holds");
	d.args[0] = 1ULL << 32;
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_ERRNO | 1,
		"personality(1<<32) is denied: all 64 bits are compared");

	d = call(SCMP_ARCH_X86, "getcpu");
	ok(d.nr != call(SCMP_ARCH_X86_64, "getcpu").nr, "getcpu has another number on i386");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_ALLOW, "i386 getcpu is allowed");
	d = call(SCMP_ARCH_X86, "sysinfo");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_ERRNO | 1, "i386 sysinfo is denied");
	d = call(SCMP_ARCH_AARCH64, "getcpu");
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_KILL_THREAD,
		"a call of an architecture the profile does not list is killed (libseccomp)");
	d = call(SCMP_ARCH_X86_64, "getcpu");
	d.nr |= 0x40000000;
	is_uint(audit_filter_verdict(f, &d), SECCOMP_RET_KILL_THREAD,
		"an x32 call, x32 not listed, is killed (libseccomp)");
}

static void test_load_program(const struct audit_filter *audit, const struct audit_filter *enforce)
{
	static const char *const notified[] = { "sysinfo", "uname", "sched_yield" };
	static const char *const kept[] = { "times", "getpriority", "umask" };
	struct seccomp_data d;

	for (size_t i = 0; i < sizeof(notified) / sizeof(notified[0]); i++) {
		d = call(SCMP_ARCH_X86_64, notified[i]);
		is_uint(run_on(&audit->load, d), SECCOMP_RET_USER_NOTIF, "audit: %s is notified",
			notified[i]);
		is_uint(run_on(&enforce->load, d), SECCOMP_RET_USER_NOTIF,
			"enforce: %s is notified", notified[i]);
	}
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		d = call(SCMP_ARCH_X86_64, kept[i]);
		is_uint(run_on(&audit->load, d), SECCOMP_RET_USER_NOTIF, "audit: %s is notified",
			kept[i]);
		is_uint(run_on(&enforce->load, d), audit_filter_verdict(enforce, &d),
			"enforce: %s keeps the profile's kill or trap", kept[i]);
	}
	d = call(SCMP_ARCH_X86_64, "getcpu");
	is_uint(run_on(&audit->load, d), SECCOMP_RET_ALLOW, "audit: getcpu is allowed");
	is_uint(run_on(&enforce->load, d), SECCOMP_RET_ALLOW, "enforce: getcpu is allowed");
	d = call(SCMP_ARCH_X86_64, "personality");
	is_uint(run_on(&audit->load, d), SECCOMP_RET_ALLOW, "audit: personality(0) is allowed");
	d.args[0] = 8;
	is_uint(run_on(&audit->load, d), SECCOMP_RET_USER_NOTIF,
		"audit: personality(8) is notified: argument conditions are kept");
	d = call(SCMP_ARCH_X86_64, "execve");
	ok(d.nr == SYS_execve, "the native execve is SYS_execve");
	d.args[0] = GATE_PATH;
	is_uint(run_on(&audit->load, d), SECCOMP_RET_USER_NOTIF,
		"audit: the child's allowed execve is notified (the hand-over)");
	is_uint(run_on(&enforce->load, d), SECCOMP_RET_USER_NOTIF,
		"enforce: the child's allowed execve is notified (the hand-over)");
	d.args[0] = GATE_PATH + 8;
	is_uint(run_on(&audit->load, d), SECCOMP_RET_ALLOW,
		"an execve of another pathname pointer is allowed without a notification");
	d.args[0] = (GATE_PATH & 0xffffffffULL) | (1ULL << 40);
	is_uint(run_on(&audit->load, d), SECCOMP_RET_ALLOW,
		"one whose pointer differs in the high half only, too");
	d = call(SCMP_ARCH_X86, "execve");
	d.args[0] = GATE_PATH;
	is_uint(run_on(&audit->load, d), SECCOMP_RET_ALLOW,
		"the i386 execve (another number) is not gated");
	d = call(SCMP_ARCH_AARCH64, "getcpu");
	is_uint(run_on(&audit->load, d), SECCOMP_RET_USER_NOTIF,
		"audit: a call of an unlisted architecture is notified");
	is_uint(run_on(&enforce->load, d), SECCOMP_RET_KILL_THREAD,
		"enforce: a call of an unlisted architecture is killed, as the profile does");
	ok(audit->load.len == audit->profile.len + 10,
	   "the loaded program is 10 instructions longer");
}

static void test_allow_all(void)
{
	cleanup_profile struct profile *p = parse("{'defaultAction': 'SCMP_ACT_ALLOW'}");
	cleanup_audit_filter struct audit_filter f = { 0 };
	struct error err = { 0 };
	struct seccomp_data d;

	if (!ok(p && audit_filter_build(p, AUDIT_MODE_AUDIT, &f, &err) == 0,
		"an allow-everything profile builds"))
		return diag("%s", err.msg);
	d = call(SCMP_ARCH_X86_64, "sysinfo");
	is_uint(run_on(&f.load, d), SECCOMP_RET_ALLOW, "it allows sysinfo without notification");
	d = call(SCMP_ARCH_X86_64, "execve");
	is_uint(run_on(&f.load, d), SECCOMP_RET_USER_NOTIF,
		"only the execve of the ungated pointer (NULL) is notified");
	audit_filter_gate_exec(&f, GATE_PATH);
	is_uint(run_on(&f.load, d), SECCOMP_RET_ALLOW, "once gated, execve(NULL) is allowed");
	d.args[0] = GATE_PATH;
	is_uint(run_on(&f.load, d), SECCOMP_RET_USER_NOTIF, "and the gated execve is notified");
	is_uint(audit_filter_verdict(&f, &d), SECCOMP_RET_ALLOW,
		"and the profile's verdict on it is allow");
}

static void test_interpreter(void)
{
	struct sock_filter alu[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 3),
		BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 4),
		BPF_STMT(BPF_ST, 2),
		BPF_STMT(BPF_LDX | BPF_IMM, 2),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_X, 0),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_MEM, 2),
		BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x10, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_filter div[] = {
		BPF_STMT(BPF_LDX | BPF_IMM, 0),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter bad_load[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 62),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter no_ret[] = { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0) };
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct bpf_prog p = { alu, sizeof(alu) / sizeof(alu[0]) }, out = { 0 };
	struct exec_gate gate = { SCMP_ARCH_X86_64, SYS_execve, GATE_PATH };
	struct seccomp_data d = { 0 };
	struct error err = { 0 };
	uint32_t ret = 0;

	d.args[0] = 5; /* (5+3)*4 = 32; 32 - (32>>2) = 24 = 0x18: bit 0x10 set, return A */
	is_int(profile_bpf_run(&p, &d, &ret), 0, "a program of loads, ALU, memory and jumps runs");
	is_uint(ret, 24, "it computes what the kernel computes");
	p = (struct bpf_prog){ div, 3 };
	is_int(profile_bpf_run(&p, &d, &ret), 0, "a division by zero ends the program");
	is_uint(ret, 0, "with 0 (SECCOMP_RET_KILL_THREAD), as in the kernel");
	p = (struct bpf_prog){ bad_load, 2 };
	is_int(profile_bpf_run(&p, &d, &ret), -1, "an unaligned load is refused");
	p = (struct bpf_prog){ no_ret, 1 };
	is_int(profile_bpf_run(&p, &d, &ret), -1, "a program that ends without a return fails");
	p = (struct bpf_prog){ alu, sizeof(alu) / sizeof(alu[0]) };
	is_int(audit_filter_rewrite(&p, AUDIT_MODE_AUDIT, &gate, &out, &err), -1,
	       "a program returning A cannot be rewritten");
	like(err.msg, "computed action", "and the message says why");
	p.len = PROFILE_BPF_MAX_INSNS - 2;
	is_int(audit_filter_rewrite(&p, AUDIT_MODE_AUDIT, &gate, &out, &err), -1,
	       "a program that would exceed the kernel's limit is refused");
	like(err.msg, "4096", "and the message names the limit");

	p = (struct bpf_prog){ allow, 1 };
	if (!is_int(audit_filter_rewrite(&p, AUDIT_MODE_AUDIT, &gate, &out, &err), 0,
		    "an allow-all program is rewritten"))
		return;
	d = (struct seccomp_data){ .nr = SYS_execve, .arch = SCMP_ARCH_X86_64 };
	d.args[0] = GATE_PATH;
	is_uint(run_on(&out, d), SECCOMP_RET_USER_NOTIF, "the gate call is notified");
	d.arch = SCMP_ARCH_X86; /* 59 is oldolduname there */
	is_uint(run_on(&out, d), SECCOMP_RET_ALLOW, "its number on another arch is not the gate");
	free(out.insns);
}

int main(void)
{
	cleanup_profile struct profile *p = parse(PROFILE);
	cleanup_audit_filter struct audit_filter audit = { 0 }, enforce = { 0 };
	struct error err = { 0 };

	if (!ok(p && audit_filter_build(p, AUDIT_MODE_AUDIT, &audit, &err) == 0 &&
			audit_filter_build(p, AUDIT_MODE_ENFORCE, &enforce, &err) == 0,
		"the test profile builds in both modes")) {
		diag("%s", err.msg);
		return done_testing();
	}
	audit_filter_gate_exec(&audit, GATE_PATH);
	audit_filter_gate_exec(&enforce, GATE_PATH);
	test_verdicts(&audit);
	test_load_program(&audit, &enforce);
	test_allow_all();
	test_interpreter();
	return done_testing();
}
