// SPDX-License-Identifier: GPL-2.0-or-later
/* denial_report: names from (arch, nr) as seccomp reports them, bounds, order, text and JSON. */
#include "profile/syscalls.h"
#include "tap.h"
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include "base/cleanup.h"
#include "audit/denial_report.h"
#include "base/json.h"

#define X32_BIT 0x40000000

static void test_resolve(void)
{
	static const struct {
		uint32_t arch;
		int nr;
		uint32_t abi;
		const char *name;
		const char *desc;
	} cases[] = {
		{ SCMP_ARCH_X86_64, 99, SCMP_ARCH_X86_64, "sysinfo", "x86_64 99 is sysinfo" },
		{ SCMP_ARCH_X86, 116, SCMP_ARCH_X86, "sysinfo", "i386 116 is sysinfo" },
		{ SCMP_ARCH_X86, 99, SCMP_ARCH_X86, "statfs", "i386 99 is statfs, not sysinfo" },
		{ SCMP_ARCH_X86, 11, SCMP_ARCH_X86, "execve", "i386 11 is execve" },
		{ SCMP_ARCH_X86_64, 99 | X32_BIT, SCMP_ARCH_X32, "sysinfo",
		  "x86_64 with the x32 bit is x32's sysinfo" },
		{ SCMP_ARCH_X86_64, 4000, SCMP_ARCH_X86_64, NULL, "x86_64 4000 has no name" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cleanup_free char *name = NULL;
		uint32_t abi = 0;

		is_int(denial_resolve(cases[i].arch, cases[i].nr, &abi, &name), 0, "%s: resolves",
		       cases[i].desc);
		is_uint(abi, cases[i].abi, "%s: ABI", cases[i].desc);
		is_str(name, cases[i].name, "%s: name", cases[i].desc);
	}
}

static void test_bounds(void)
{
	cleanup_denial_report struct denial_report r = { 0 };
	struct error err = { 0 };
	const struct denial *d;

	ok(denial_report_wants_comm(&r, SCMP_ARCH_X86_64, 99, 10),
	   "a new call wants the caller's comm");
	for (int pid = 10; pid < 10 + DENIAL_MAX_PIDS + 4; pid++)
		denial_report_add(&r, SCMP_ARCH_X86_64, 99, SECCOMP_RET_ERRNO | 1, pid,
				  pid % 2 ? "odd\n" : "even\tone\xff", NULL, &err);
	denial_report_add(&r, SCMP_ARCH_X86_64, 99, SECCOMP_RET_ERRNO | 1, 10, "even", NULL, &err);
	is_uint(r.n, 1, "one entry for one (ABI, number)");
	d = &r.v[0];
	is_uint(d->count, DENIAL_MAX_PIDS + 5, "every call is counted");
	is_uint(d->n_pids, DENIAL_MAX_PIDS, "the pids are bounded");
	ok(d->pids_truncated, "and marked as cut");
	is_uint(d->n_comms, 3, "comms are kept once each");
	is_str(d->comms[0], "even\tone\xff", "a comm is kept as the kernel gave it");
	is_str(d->comms[1], "odd", "the newline of /proc/PID/comm is dropped");
	ok(!denial_report_wants_comm(&r, SCMP_ARCH_X86_64, 99, 10),
	   "a pid already listed needs no comm read");
	ok(denial_report_wants_comm(&r, SCMP_ARCH_X86_64, 99, 9999),
	   "a new pid of a call does, while comms are not full");
	ok(denial_report_wants_comm(&r, SCMP_ARCH_X86_64, 99 | X32_BIT, 10),
	   "the x32 call of the same number is another call");
	{
		cleanup_denial_report struct denial_report names = { 0 };
		cleanup_free char *text = NULL;
		size_t len;
		FILE *out = open_memstream(&text, &len);

		denial_report_add(&names, SCMP_ARCH_X86_64, 99, SECCOMP_RET_ERRNO | 1, 5,
				  "even\tone\xff", NULL, &err);
		denial_report_add(&names, SCMP_ARCH_X86_64, 98, SECCOMP_RET_ERRNO | 1, 5,
				  "\x1b[8m\xe2\x80\xae", NULL, &err);
		denial_report_print(&names, false, out);
		fclose(out);
		like(text, "comms=even\\x09one\\xff\n",
		     "a comm's control and invalid bytes are escaped");
		like(text, "comms=\\x1b[8m\\u202e\n",
		     "ESC and U+202E of a comm are shown, not obeyed");
	}

	for (int nr = 0; nr < DENIAL_MAX_ENTRIES + 10; nr++)
		denial_report_add(&r, SCMP_ARCH_X86, nr, SECCOMP_RET_ERRNO | 1, 1, NULL, NULL,
				  &err);
	is_uint(r.n, DENIAL_MAX_ENTRIES, "distinct calls are bounded");
	is_uint(r.untracked, 11, "calls beyond the bound are counted apart");
	is_uint(r.calls, DENIAL_MAX_PIDS + 5 + DENIAL_MAX_ENTRIES + 10, "and in the total");
}

static void fill(struct denial_report *r)
{
	struct error err = { 0 };

	denial_report_add(r, SCMP_ARCH_X86_64, 63, SECCOMP_RET_KILL_PROCESS, 5, "sh", NULL, &err);
	denial_report_add(r, SCMP_ARCH_X86_64, 4000, SECCOMP_RET_ERRNO | 1, 5, "sh", NULL, &err);
	denial_report_add(r, SCMP_ARCH_X86_64, 99, SECCOMP_RET_ERRNO | 1, 7, "probe", NULL, &err);
	denial_report_add(r, SCMP_ARCH_X86, 116, SECCOMP_RET_ERRNO | 13, 8, "probe32", NULL, &err);
	denial_report_add(r, SCMP_ARCH_X86_64, 99, SECCOMP_RET_ERRNO | 1, 9, NULL, NULL, &err);
	denial_report_sort(r);
}

static void test_order_and_text(void)
{
	cleanup_denial_report struct denial_report r = { 0 }, none = { 0 };
	cleanup_free char *text = NULL, *empty = NULL;
	size_t len;
	FILE *out;

	fill(&r);
	is_str(r.v[0].name, "sysinfo", "SCMP_ARCH_X86 sorts first");
	is_uint(r.v[0].arch, SCMP_ARCH_X86, "with its own ABI");
	is_str(r.v[1].name, "sysinfo", "then x86_64 by name: sysinfo");
	is_str(r.v[2].name, "uname", "uname");
	ok(r.v[3].name == NULL && r.v[3].nr == 4000, "and a call without a name last");

	out = open_memstream(&text, &len);
	denial_report_print(&r, false, out);
	fclose(out);
	like(text, "5 calls the profile denies (4 distinct), each allowed (audit mode):",
	     "the header counts calls and distinct calls");
	like(text,
	     "\n  SCMP_ARCH_X86 sysinfo count=1 action=SCMP_ACT_ERRNO(13) pids=8 comms=probe32\n",
	     "an i386 call is named with its i386 name");
	like(text,
	     "\n  SCMP_ARCH_X86_64 sysinfo count=2 action=SCMP_ACT_ERRNO(1) pids=7,9 comms=probe\n",
	     "a line has count, action, pids and comms");
	like(text, "uname count=1 action=SCMP_ACT_KILL_PROCESS", "a kill action is named");
	like(text, "SCMP_ARCH_X86_64 #4000 count=1", "a call without a name shows its number");

	out = open_memstream(&empty, &len);
	denial_report_print(&none, true, out);
	fclose(out);
	like(empty, "no call the profile denies was made", "an empty report says so");
}

static void test_json(void)
{
	cleanup_denial_report struct denial_report r = { 0 };
	struct denial_report_info info = { "/tmp/p.json", true, 3 };
	cleanup_free char *text = NULL;
	cleanup_json struct json *doc = NULL;
	const struct json *denied, *first, *second;
	struct error err = { 0 };
	int64_t n;
	size_t len;

	fill(&r);
	if (!is_int(denial_report_json(&r, &info, &text, &len, &err), 0, "the JSON is written"))
		return diag("%s", err.msg);
	if (!is_int(json_parse(text, len, "report", &doc, &err), 0, "and parses"))
		return diag("%s", err.msg);
	is_str(json_string(json_get(doc, "profile")), "/tmp/p.json", "profile");
	is_str(json_string(json_get(doc, "mode")), "enforce", "mode");
	ok(json_int64(json_get(doc, "exit_status"), &n) && n == 3, "exit_status");
	ok(json_int64(json_get(doc, "calls"), &n) && n == 5, "calls");
	denied = json_get(doc, "denied");
	is_uint(json_len(denied), 4, "four denied calls");
	first = json_at(denied, 0);
	is_str(json_string(json_get(first, "name")), "sysinfo", "the first is sysinfo");
	is_str(json_string(json_get(first, "arch")), "SCMP_ARCH_X86", "of SCMP_ARCH_X86");
	is_str(json_string(json_get(first, "action")), "SCMP_ACT_ERRNO", "its action");
	ok(json_int64(json_get(first, "errno"), &n) && n == 13, "its errno");
	ok(json_int64(json_at(json_get(first, "pids"), 0), &n) && n == 8, "its pid");
	is_str(json_string(json_at(json_get(first, "comms"), 0)), "probe32", "its comm");
	second = json_at(denied, 1);
	ok(json_int64(json_get(second, "count"), &n) && n == 2, "a count of 2");
	is_uint(json_len(json_get(second, "pids")), 2, "two pids");
	is_uint(json_len(json_get(second, "comms")), 1, "one comm (one caller's was unknown)");
	ok(json_get(json_at(denied, 2), "errno") == NULL, "a kill action has no errno");
	ok(json_type(json_get(json_at(denied, 3), "name")) == JSON_NULL,
	   "an unknown call's name is null");
	ok(json_int64(json_get(json_at(denied, 3), "nr"), &n) && n == 4000, "its number is given");
}

static void test_arg_values(void)
{
	struct denial_report r = { 0 };
	struct error err = { 0 };
	uint64_t netlink[6] = { 16, 2, 0 }, vsock[6] = { 40, 1, 0 };
	int nr_socket = syscalls_number(ABI_NATIVE, "socket");
	int nr_getcpu = syscalls_number(ABI_NATIVE, "getcpu");

	denial_report_add(&r, SCMP_ARCH_X86_64, nr_socket, SECCOMP_RET_ERRNO | 1, 1, NULL, netlink,
			  &err);
	denial_report_add(&r, SCMP_ARCH_X86_64, nr_socket, SECCOMP_RET_ERRNO | 1, 1, NULL, vsock,
			  &err);
	denial_report_add(&r, SCMP_ARCH_X86_64, nr_socket, SECCOMP_RET_ERRNO | 1, 1, NULL, netlink,
			  &err);
	denial_report_add(&r, SCMP_ARCH_X86_64, nr_getcpu, SECCOMP_RET_ERRNO | 1, 1, NULL, vsock,
			  &err);
	is_int((int)r.n, 2, "two calls denied");
	ok(r.v[0].arg && r.v[0].arg->index == 0, "socket's domain is kept");
	ok(r.v[0].n_arg_values == 2 && r.v[0].arg_values[0] == 16 && r.v[0].arg_values[1] == 40,
	   "its distinct values, in order: 16, 40");
	ok(!r.v[1].arg && r.v[1].n_arg_values == 0, "getcpu has no argument to name");
	for (uint64_t v = 0; v < DENIAL_MAX_ARG_VALUES + 2; v++) {
		uint64_t args[6] = { 100 + v };

		denial_report_add(&r, SCMP_ARCH_X86_64, nr_socket, SECCOMP_RET_ERRNO | 1, 1, NULL,
				  args, &err);
	}
	ok(r.v[0].n_arg_values == DENIAL_MAX_ARG_VALUES && r.v[0].arg_values_truncated,
	   "values beyond %d are counted as truncated", DENIAL_MAX_ARG_VALUES);
	denial_report_release(&r);
}

int main(void)
{
	test_arg_values();
	test_resolve();
	test_bounds();
	test_order_and_text();
	test_json();
	is_str(denial_action_name(SECCOMP_RET_TRAP | 5), "SCMP_ACT_TRAP", "actions are named");
	ok(denial_action_name(0x12340000) == NULL, "an unknown action has no name");
	return done_testing();
}
