// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of a profile's score: what it allows against the runtime's default, its risks. */
#include "tap.h"
#include "profile_test.h"
#include "base/cleanup.h"
#include "base/json.h"
#include "profile/profile.h"
#include "profile/profile_format.h"
#include "profile/profile_score.h"
#include "profile/syscalls.h"

#define N_RISKS 29

/* Score @p against @def (may be NULL), or say why not; false when it failed. */
static bool score_ok(const struct profile *p, const struct profile *def, struct profile_score *s,
		     const char *desc)
{
	struct error err = { 0 };
	int ret;

	memset(s, 0, sizeof(*s));
	if (!p)
		return false;
	ret = profile_score(p, def, s, &err);
	if (!is_int(ret, 0, "%s: scores", desc))
		diag("error: %s", err.msg);
	return ret == 0;
}

static const struct profile_score_risk *risk(const struct profile_score *s, const char *id)
{
	for (size_t i = 0; i < s->n_risks; i++)
		if (strcmp(s->risks[i].id, id) == 0)
			return &s->risks[i];
	diag("no risk entry `%s`", id);
	return NULL;
}

static bool allows(const struct profile_score *s, const char *id)
{
	const struct profile_score_risk *r = risk(s, id);

	return r && r->n_arches > 0;
}

static const struct profile_score_abi *abi(const struct profile_score *s, const char *arch)
{
	for (size_t i = 0; i < s->n_abis; i++)
		if (strcmp(s->abis[i].arch, arch) == 0)
			return &s->abis[i];
	diag("no ABI %s in the score", arch);
	return NULL;
}

/* --- score: rules and conditions ------------------------------------------------------- */

static void test_plain_rules(void)
{
	cleanup_profile struct profile *p =
		deny("{'names': ['read', 'write', 'ptrace', 'no_such_call'],"
		     " 'action': 'SCMP_ACT_ALLOW'},"
		     "{'names': ['bpf'], 'action': 'SCMP_ACT_ERRNO'},"
		     "{'names': ['mount'], 'action': 'SCMP_ACT_KILL'},"
		     "{'names': ['unshare'], 'action': 'SCMP_ACT_TRAP'},"
		     "{'names': ['setns'], 'action': 'SCMP_ACT_LOG'}",
		     "allow, errno, kill, trap and log rules");
	cleanup_profile_score struct profile_score s = { 0 };
	const struct profile_score_abi *a;

	if (!score_ok(p, NULL, &s, "plain rules"))
		return;
	ok(!s.runs_by_default, "SCMP_ACT_ERRNO does not let every call run");
	ok(!s.compared, "no default: nothing compared");
	is_uint(s.n_abis, 1, "one ABI: the one listed");
	is_uint(s.n_risks, N_RISKS, "the whole high-risk set is reported");
	a = abi(&s, native());
	if (a) {
		is_uint(a->allowed, 4,
			"read, write, ptrace and setns (LOG runs the call) run; an "
			"unknown name does not count");
		is_uint(a->conditional, 0, "none only under conditions");
		ok(a->known > 200, "libseccomp knows hundreds of calls here (%zu)", a->known);
	}
	ok(allows(&s, "ptrace"), "an allowed ptrace is a high-risk entry");
	ok(allows(&s, "setns"), "SCMP_ACT_LOG lets setns run: it counts");
	ok(!allows(&s, "bpf"), "an SCMP_ACT_ERRNO rule does not allow");
	ok(!allows(&s, "mount"), "an SCMP_ACT_KILL rule does not allow");
	ok(!allows(&s, "unshare"), "an SCMP_ACT_TRAP rule does not allow");
	ok(!allows(&s, "perf_event_open"), "a call no rule names is denied by default");
	is_uint(s.risks_allowed, 2, "two entries allowed: ptrace and setns");
}

static void test_default_action_rules(void)
{
	/* libseccomp skips a rule whose action is the default's: the allow rule decides. */
	cleanup_profile struct profile *p =
		deny("{'names': ['ptrace'], 'action': 'SCMP_ACT_ERRNO'},"
		     "{'names': ['ptrace'], 'action': 'SCMP_ACT_ALLOW'},"
		     "{'names': ['keyctl'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38},"
		     "{'names': ['keyctl'], 'action': 'SCMP_ACT_ALLOW'}",
		     "errno rules next to allow rules");
	cleanup_profile_score struct profile_score s = { 0 };

	if (!score_ok(p, NULL, &s, "rules with the default's action"))
		return;
	ok(allows(&s, "ptrace"),
	   "an SCMP_ACT_ERRNO rule with the default's errno is the default: the filter allows");
	ok(!allows(&s, "keyctl"),
	   "an SCMP_ACT_ERRNO rule with another errno blocks, as the filter does");
}

static void test_socket_conditions(void)
{
	cleanup_profile struct profile *inet =
		deny("{'names': ['socket'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		     " {'index': 0, 'value': 2, 'op': 'SCMP_CMP_EQ'}]}",
		     "socket for AF_INET only");
	cleanup_profile struct profile *not_netlink =
		deny("{'names': ['socket'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		     " {'index': 0, 'value': 16, 'op': 'SCMP_CMP_NE'}]}",
		     "socket for every family but AF_NETLINK");
	cleanup_profile struct profile *below =
		deny("{'names': ['socket'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		     " {'index': 0, 'value': 39, 'op': 'SCMP_CMP_LT'}]}",
		     "socket for families below 39");
	cleanup_profile struct profile *range =
		deny("{'names': ['socket'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		     " {'index': 0, 'value': 40, 'op': 'SCMP_CMP_GE'},"
		     " {'index': 1, 'value': 1, 'op': 'SCMP_CMP_EQ'}]}",
		     "socket for families from 40, type SOCK_STREAM");
	cleanup_profile struct profile *masked = deny(
		"{'names': ['socket'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		" {'index': 0, 'value': 4294967294, 'valueTwo': 38, 'op': 'SCMP_CMP_MASKED_EQ'}]}",
		"socket for families 38 and 39 (mask)");
	cleanup_profile_score struct profile_score s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
	cleanup_profile_score struct profile_score s4 = { 0 }, s5 = { 0 };
	const struct profile_score_abi *a;

	if (score_ok(inet, NULL, &s1, "socket(AF_INET) only")) {
		ok(!allows(&s1, "socket(AF_ALG)"), "socket only for arg0 == AF_INET: no AF_ALG");
		ok(!allows(&s1, "socket(AF_VSOCK)"), "... and no AF_VSOCK");
		a = abi(&s1, native());
		if (a) {
			is_uint(a->allowed, 1, "socket counts as allowed");
			is_uint(a->conditional, 1, "... only under argument conditions");
		}
	}
	if (score_ok(not_netlink, NULL, &s2, "socket but AF_NETLINK")) {
		ok(allows(&s2, "socket(AF_ALG)"), "arg0 != AF_NETLINK lets AF_ALG through");
		ok(allows(&s2, "socket(AF_VSOCK)"), "... and AF_VSOCK");
	}
	if (score_ok(below, NULL, &s3, "socket below 39")) {
		ok(allows(&s3, "socket(AF_ALG)"), "arg0 < 39 lets AF_ALG (38) through");
		ok(!allows(&s3, "socket(AF_VSOCK)"), "... not AF_VSOCK (40)");
	}
	if (score_ok(range, NULL, &s4, "socket from 40, stream")) {
		ok(!allows(&s4, "socket(AF_ALG)"), "arg0 >= 40: no AF_ALG");
		ok(allows(&s4, "socket(AF_VSOCK)"),
		   "AF_VSOCK with some type (a condition on another argument) runs");
	}
	if (score_ok(masked, NULL, &s5, "socket masked")) {
		ok(allows(&s5, "socket(AF_ALG)"), "(arg0 & ~1) == 38 lets AF_ALG through");
		ok(!allows(&s5, "socket(AF_VSOCK)"), "... not AF_VSOCK");
	}
}

static void test_clone_flags(void)
{
	cleanup_profile struct profile *docker = deny(
		"{'names': ['clone'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		" {'index': 0, 'value': 2114060288, 'valueTwo': 0, 'op': 'SCMP_CMP_MASKED_EQ'}]}",
		"clone without CLONE_NEW* flags (Docker's rule)");
	cleanup_profile struct profile *fork_only =
		deny("{'names': ['clone'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		     " {'index': 0, 'value': 18874385, 'op': 'SCMP_CMP_EQ'}]}",
		     "clone with fork's flags only");
	cleanup_profile struct profile *userns =
		deny("{'names': ['clone'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		     " {'index': 0, 'value': 268435473, 'op': 'SCMP_CMP_EQ'}]}",
		     "clone with CLONE_NEWUSER|SIGCHLD only");
	cleanup_profile struct profile *any =
		deny("{'names': ['clone'], 'action': 'SCMP_ACT_ALLOW'}", "clone with any flags");
	cleanup_profile_score struct profile_score s1 = { 0 }, s2 = { 0 }, s3 = { 0 }, s4 = { 0 };
	bool s390 = syscalls_native_arch() == SCMP_ARCH_S390X;

	if (s390) /* clone's flags are its second argument there: these rules say nothing */
		skip("clone's flags are not arg0 on s390x");
	if (!s390 && score_ok(docker, NULL, &s1, "Docker's clone rule"))
		ok(!allows(&s1, "clone(CLONE_NEW*)"),
		   "clone masked to no CLONE_NEW* flag allows no namespace");
	if (!s390 && score_ok(fork_only, NULL, &s2, "clone for fork"))
		ok(!allows(&s2, "clone(CLONE_NEW*)"), "clone with fork's flags: no namespace");
	if (!s390 && score_ok(userns, NULL, &s3, "clone for a user namespace"))
		ok(allows(&s3, "clone(CLONE_NEW*)"),
		   "clone == CLONE_NEWUSER|SIGCHLD creates a namespace: it counts");
	if (score_ok(any, NULL, &s4, "clone"))
		ok(allows(&s4, "clone(CLONE_NEW*)"), "clone with any flags counts");
}

static void test_allow_default(void)
{
	cleanup_profile struct profile *all =
		parse_ok("{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
			 " {'names': ['ptrace'], 'action': 'SCMP_ACT_ERRNO'},"
			 " {'names': ['socket'], 'action': 'SCMP_ACT_ERRNO', 'args': ["
			 "  {'index': 0, 'value': 38, 'op': 'SCMP_CMP_EQ'}]},"
			 " {'names': ['bpf'], 'action': 'SCMP_ACT_ALLOW'}]}",
			 "an allow-by-default profile blocking ptrace and socket(AF_ALG)");
	cleanup_profile struct profile *bare = parse_ok("{'defaultAction': 'SCMP_ACT_ALLOW'}",
							"an allow-by-default profile, no rules");
	cleanup_profile_score struct profile_score s = { 0 }, b = { 0 };
	const struct profile_score_abi *a;

	if (score_ok(all, NULL, &s, "allow by default with blocks")) {
		ok(s.runs_by_default, "SCMP_ACT_ALLOW lets every call run");
		ok(!allows(&s, "ptrace"), "the ptrace it blocks does not count");
		ok(!allows(&s, "socket(AF_ALG)"), "socket blocked for AF_ALG: not allowed");
		ok(allows(&s, "socket(AF_VSOCK)"), "socket(AF_VSOCK) is not blocked: it counts");
		ok(allows(&s, "bpf"), "an allow rule is the default: bpf runs");
		is_uint(s.risks_allowed, N_RISKS - 2, "every other entry counts");
		a = abi(&s, native());
		if (a) {
			is_uint(a->allowed, a->known - 1, "every call but ptrace runs");
			is_uint(a->conditional, 1, "socket runs only for some arguments");
		}
	}
	if (score_ok(bare, NULL, &b, "allow by default")) {
		is_uint(b.risks_allowed, N_RISKS, "every high-risk entry counts");
		is_uint(b.n_abis, 1, "no architectures listed: the native one");
		a = abi(&b, native());
		ok(a && a->allowed == a->known && a->known > 200, "every known call runs");
	}
}

/* --- score: architectures and the comparison -------------------------------------------- */

static void test_arches(void)
{
	cleanup_profile struct profile *p = parse_ok(
		"{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86_64', "
		"'SCMP_ARCH_X86'], 'syscalls': ["
		" {'names': ['read', 'write', 'socketcall', 'arch_prctl'], "
		"  'action': 'SCMP_ACT_ALLOW'}]}",
		"an x86_64 and i386 profile");
	cleanup_profile_score struct profile_score s = { 0 };
	const struct profile_score_abi *a64, *a32;
	const struct profile_score_risk *alg;

	if (!x86_64_host()) {
		skip("the i386 ABI is an x86_64 host's");
		return;
	}
	if (!score_ok(p, NULL, &s, "two ABIs"))
		return;
	is_uint(s.n_abis, 2, "both listed ABIs are scored");
	a64 = abi(&s, X86_64);
	a32 = abi(&s, X86);
	if (a64)
		is_uint(a64->allowed, 3, "x86_64: read, write, arch_prctl (no socketcall there)");
	if (a32)
		is_uint(a32->allowed, 4, "i386: read, write, socketcall, arch_prctl");
	alg = risk(&s, "socket(AF_ALG)");
	if (alg && is_uint(alg->n_arches, 1, "socket(AF_ALG) runs on one ABI")) {
		is_str(alg->arches[0], X86, "... i386, where socketcall hides the family");
		is_uint(alg->n_socketcall_arches, 1, "... through socketcall");
	}
}

static void test_compare(void)
{
	cleanup_profile struct profile *p =
		deny("{'names': ['read', 'ptrace', 'chroot'], 'action': 'SCMP_ACT_ALLOW'}",
		     "the profile");
	cleanup_profile struct profile *def =
		deny("{'names': ['read', 'write', 'getpid'], 'action': 'SCMP_ACT_ALLOW'},"
		     "{'names': ['mount', 'ptrace'], 'action': 'SCMP_ACT_ALLOW', "
		     " 'includes': {'caps': ['CAP_SYS_ADMIN']}},"
		     "{'names': ['chroot'], 'action': 'SCMP_ACT_ALLOW', "
		     " 'includes': {'caps': ['CAP_SYS_CHROOT']}},"
		     "{'names': ['getppid'], 'action': 'SCMP_ACT_ALLOW', "
		     " 'excludes': {'caps': ['CAP_KILL']}},"
		     "{'names': ['gettid'], 'action': 'SCMP_ACT_ALLOW', "
		     " 'includes': {'arches': ['no-such-arch']}}",
		     "a default with includes and excludes");
	cleanup_profile_score struct profile_score s = { 0 };
	const struct profile_score_abi *a;

	if (!score_ok(p, def, &s, "against a default"))
		return;
	ok(s.compared, "a default given: compared");
	a = abi(&s, native());
	if (!a || !ok(a->compared, "the default covers the native ABI"))
		return;
	is_uint(a->default_allowed, 4,
		"the default allows read, write, getpid, and chroot (CAP_SYS_CHROOT is podman's); "
		"not mount and ptrace (no CAP_SYS_ADMIN), getppid (CAP_KILL held), gettid (arch)");
	is_uint(a->n_blocked, 2, "the profile blocks two of them");
	if (a->n_blocked == 2) {
		is_str(a->blocked[0], "getpid", "getpid, sorted first");
		is_str(a->blocked[1], "write", "write");
	}
	if (is_uint(a->n_extra, 1, "it allows one call the default does not"))
		is_str(a->extra[0], "ptrace", "ptrace");
}

static void test_reports(void)
{
	cleanup_profile struct profile *p =
		deny("{'names': ['read', 'ptrace'], 'action': 'SCMP_ACT_ALLOW'}",
		     "a profile with ptrace");
	cleanup_profile_score struct profile_score s = { 0 };
	cleanup_free char *text = NULL, *json = NULL, *want = NULL;
	cleanup_json struct json *doc = NULL;
	struct error err = { 0 };
	uint64_t n = 0;
	size_t len;

	if (!score_ok(p, NULL, &s, "for the reports"))
		return;
	ok(profile_score_text(&s, "p.json", NULL, &text, &len, &err) == 0, "the text is made");
	like(text, "Compared with no default", "the text says there was no comparison");
	if (asprintf(&want, "%s: allows 2 of the", native()) > 0)
		like(text, want, "the text counts the calls allowed per ABI");
	like(text, "High-risk calls allowed: 1 of the 29 in the set:", "the count of entries");
	like(text, "  ptrace              read and write other processes' memory (",
	     "one line per entry allowed, with its reason");
	ok(profile_score_json(&s, "p.json", NULL, &json, &len, &err) == 0, "the JSON is made");
	if (!ok(json && json_parse(json, len, "the score", &doc, &err) == 0, "the JSON parses"))
		return;
	ok(json_type(json_get(doc, "default")) == JSON_NULL, "default: null");
	ok(json_uint64(json_get(json_get(doc, "highRisk"), "allowed"), &n) && n == 1,
	   "highRisk.allowed is 1");
	is_uint(json_len(json_get(json_get(doc, "highRisk"), "entries")), N_RISKS,
		"highRisk.entries lists the whole set");
}

int main(void)
{
	test_plain_rules();
	test_default_action_rules();
	test_socket_conditions();
	test_clone_flags();
	test_allow_default();
	test_arches();
	test_compare();
	test_reports();
	return done_testing();
}
