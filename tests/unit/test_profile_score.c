// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the reports for a reviewer: a profile's score, and merge's coverage of runs. */
#include "tap.h"
#include "profile_test.h"
#include "base/cleanup.h"
#include "base/json.h"
#include "profile/profile_coverage.h"
#include "profile/profile.h"
#include "profile/profile_format.h"
#include "profile/profile_merge.h"
#include "profile/profile_score.h"
#include "profile/syscalls.h"

#define N_RISKS 29

/* The native architecture's name, for profiles that list it. */
static const char *native(void)
{
	return syscalls_arch_name(syscalls_native_arch());
}

/* A default-deny profile for the native architecture with @rules (' for "). */
static struct profile *deny(const char *rules, const char *desc)
{
	cleanup_free char *doc = NULL;

	if (asprintf(&doc,
		     "{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['%s'], "
		     "'syscalls': [%s]}",
		     native(), rules) < 0)
		return NULL;
	return parse_ok(doc, desc);
}

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

/* --- merge coverage -------------------------------------------------------------------- */

struct cov_case {
	struct profile *in[4];
	size_t n;
	struct profile_coverage cov;
	const char *names[4];
};

static void cov_case_clear(struct cov_case *c)
{
	for (size_t i = 0; i < c->n; i++)
		profile_free(c->in[i]);
	profile_coverage_clear(&c->cov);
}

/* Count, merge, finish, as `merge --report` does. */
static bool cov_run(struct cov_case *c, const char *desc)
{
	static const char *const what[] = { "a", "b", "c", "d" };
	struct profile_merge_summary sum;
	struct error err = { 0 };

	for (size_t i = 0; i < c->n; i++)
		if (!c->in[i])
			return false;
	if (profile_coverage_count(c->in, c->n, &c->cov, &err) < 0 ||
	    profile_merge(c->in, what, c->n, &sum, &err) < 0 ||
	    profile_coverage_finish(&c->cov, c->in[0], &err) < 0) {
		ok(false, "%s: counted and merged", desc);
		diag("error: %s", err.msg);
		return false;
	}
	return ok(true, "%s: counted and merged", desc);
}

static const struct profile_coverage_item *item(const struct profile_coverage *c, const char *name,
						const char *cond, const char *arch)
{
	for (size_t i = 0; i < c->n_items; i++) {
		const struct profile_coverage_item *it = &c->items[i];
		bool same_cond = cond ? it->condition && strcmp(it->condition, cond) == 0 :
					!it->condition;

		if (strcmp(it->name, name) || !same_cond)
			continue;
		for (size_t j = 0; j < it->n_arches; j++)
			if (strcmp(it->arches[j], arch) == 0)
				return it;
	}
	diag("no item %s [%s] on %s", name, cond ? cond : "", arch);
	return NULL;
}

static size_t runs_of(const struct profile_coverage *c, const char *name, const char *cond,
		      const char *arch)
{
	const struct profile_coverage_item *it = item(c, name, cond, arch);

	return it ? it->runs : 0;
}

static void test_coverage_counts(void)
{
	struct cov_case c = { .n = 3, .names = { "a.json", "b.json", "c.json" } };
	cleanup_free char *text = NULL, *json = NULL, *line = NULL;
	cleanup_json struct json *doc = NULL;
	const struct profile_coverage_item *it;
	struct error err = { 0 };
	uint64_t v;
	size_t len;

	c.in[0] = deny("{'names': ['read', 'write', 'getcpu'], 'action': 'SCMP_ACT_ALLOW'}", "a");
	c.in[1] = deny("{'names': ['read', 'write', 'sysinfo'], 'action': 'SCMP_ACT_ALLOW'}", "b");
	c.in[2] = deny("{'names': ['write', 'read', 'getcpu', 'times'], "
		       "'action': 'SCMP_ACT_ALLOW'}",
		       "c");
	if (!cov_run(&c, "three runs"))
		goto out;
	is_uint(c.cov.n_inputs, 3, "three inputs");
	is_uint(c.cov.n_items, 5, "five calls, one item each");
	is_uint(runs_of(&c.cov, "read", NULL, native()), 3, "read: in every run");
	is_uint(runs_of(&c.cov, "write", NULL, native()), 3, "write: in every run");
	it = item(&c.cov, "getcpu", NULL, native());
	if (it && is_uint(it->runs, 2, "getcpu: in 2 runs"))
		ok(it->inputs[0] == 0 && it->inputs[1] == 2, "... a and c");
	it = item(&c.cov, "sysinfo", NULL, native());
	if (it && is_uint(it->runs, 1, "sysinfo: in 1 run"))
		is_uint(it->inputs[0], 1, "... b");
	is_uint(runs_of(&c.cov, "times", NULL, native()), 1, "times: in 1 run");
	is_uint(c.cov.n_left_out, 0, "nothing left out");

	ok(profile_coverage_text(&c.cov, c.names, &text, &len, &err) == 0, "the text is made");
	like(text, "Coverage of 3 runs: 5 calls the merged profile allows\n",
	     "the text counts the calls");
	like(text, "  in every run (3 of 3): 2 calls\n", "the calls of every run are counted");
	unlike(text, "    read", "... not listed");
	if (asprintf(&line, "    getcpu (%s): not in b.json\n", native()) > 0)
		like(text, line, "a call 2 of 3 runs made names the run without it");
	like(text, "Rare paths: review them or record more runs (seen in 1 of 3 runs):\n",
	     "the rare paths have their heading");
	free(line);
	if (asprintf(&line, "    sysinfo (%s): only in b.json\n", native()) > 0)
		like(text, line, "a rare path names its run");

	ok(profile_coverage_json(&c.cov, c.names, &json, &len, &err) == 0, "the JSON is made");
	if (!ok(json && json_parse(json, len, "the report", &doc, &err) == 0, "the JSON parses"))
		goto out;
	ok(json_uint64(json_get(doc, "everyRun"), &v) && v == 2, "everyRun: 2");
	ok(json_uint64(json_get(doc, "calls"), &v) && v == 5, "calls: 5");
	is_uint(json_len(json_get(doc, "allowed")), 5,
		"allowed lists every call, those of "
		"every run too");
	is_uint(json_len(json_get(doc, "rare")), 2, "rare: sysinfo and times");
	is_str(json_string(json_get(json_at(json_get(doc, "rare"), 0), "input")), "b.json",
	       "the first rare path (sysinfo) names b.json");
out:
	cov_case_clear(&c);
}

static void test_coverage_conditions(void)
{
	struct cov_case c = { .n = 3 };
	bool times_listed = false;

	c.in[0] = deny("{'names': ['socket'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		       " {'index': 0, 'value': 2, 'op': 'SCMP_CMP_EQ'}]},"
		       "{'names': ['times'], 'action': 'SCMP_ACT_ALLOW'}",
		       "socket for AF_INET, times");
	c.in[1] = deny("{'names': ['socket', 'read'], 'action': 'SCMP_ACT_ALLOW'}",
		       "socket for any family");
	c.in[2] = deny("{'names': ['socket'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		       " {'index': 0, 'value': 10, 'op': 'SCMP_CMP_EQ'}]},"
		       "{'names': ['times'], 'action': 'SCMP_ACT_ERRNO'}",
		       "socket for AF_INET6, times blocked");
	if (!cov_run(&c, "argument rules"))
		goto out;
	is_uint(runs_of(&c.cov, "socket", NULL, native()), 3,
		"socket counts in every run, with or without conditions");
	is_uint(runs_of(&c.cov, "socket", "arg0 == 2", native()), 2,
		"arg0 == 2: its run and the run allowing every family");
	is_uint(runs_of(&c.cov, "socket", "arg0 == 10", native()), 2, "arg0 == 10: the same");
	ok(c.cov.n_left_out == 1 && strcmp(c.cov.left_out[0], "times") == 0,
	   "times, blocked by an input, is left out");
	for (size_t i = 0; i < c.cov.n_items; i++)
		times_listed |= strcmp(c.cov.items[i].name, "times") == 0;
	ok(!times_listed, "... and no item counts it");
out:
	cov_case_clear(&c);
}

static void test_coverage_arches(void)
{
	struct cov_case c = { .n = 2 };
	const struct profile_coverage_item *it;

	if (!x86_64_host()) {
		skip("the i386 ABI is an x86_64 host's");
		return;
	}
	c.in[0] = parse_ok("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': "
			   "['SCMP_ARCH_X86_64'], 'syscalls': [{'names': ['read', 'getcpu'], "
			   "'action': 'SCMP_ACT_ALLOW'}]}",
			   "an x86_64 run");
	c.in[1] = parse_ok("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': "
			   "['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'], 'syscalls': [{'names': "
			   "['read', 'socketcall'], 'action': 'SCMP_ACT_ALLOW'}]}",
			   "a run with i386 calls");
	if (!cov_run(&c, "two ABIs"))
		goto out;
	is_uint(runs_of(&c.cov, "read", NULL, X86_64), 2, "read on x86_64: both runs");
	it = item(&c.cov, "read", NULL, X86);
	if (it) {
		is_uint(it->runs, 1, "read on i386: one run (the other lists no i386)");
		is_uint(it->n_arches, 1, "an item of its own, for i386 only");
	}
	it = item(&c.cov, "socketcall", NULL, X86);
	if (it)
		is_uint(it->n_arches, 1, "socketcall counts on i386 only");
	is_uint(runs_of(&c.cov, "getcpu", NULL, X86_64), 1, "getcpu on x86_64: one run");
	/* The merged allow rule covers i386 too: getcpu runs there now, but in no run. */
	for (size_t i = 0; i < c.cov.n_items; i++)
		if (strcmp(c.cov.items[i].name, "getcpu") == 0)
			is_uint(c.cov.items[i].n_arches, 1, "getcpu has no item on i386");
out:
	cov_case_clear(&c);
}

static void test_coverage_one_run(void)
{
	struct cov_case c = { .n = 1, .names = { "only.json" } };
	cleanup_free char *text = NULL;
	struct error err = { 0 };
	size_t len;

	c.in[0] = deny("{'names': ['read'], 'action': 'SCMP_ACT_ALLOW'}", "one run");
	if (!cov_run(&c, "one run"))
		goto out;
	ok(profile_coverage_text(&c.cov, c.names, &text, &len, &err) == 0, "the text is made");
	like(text, "record more runs", "one run: the text asks for more");
	unlike(text, "Rare paths:", "... and lists no rare path");
out:
	cov_case_clear(&c);
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
	test_coverage_counts();
	test_coverage_conditions();
	test_coverage_arches();
	test_coverage_one_run();
	return done_testing();
}
