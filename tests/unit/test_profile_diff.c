// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of profile diff: what one profile lets run that another does not, as text and JSON. */
#include "tap.h"
#include "profile/profile_diff.h"
#include "profile_test.h"

/* --- diff ------------------------------------------------------------------------------ */

/* The text of the differences between @old_text and @new_text; @n_added receives their count. */
static char *diff_text(const char *old_text, const char *new_text, size_t *n_added,
		       const char *desc)
{
	cleanup_profile struct profile *o = parse_ok(old_text, desc);
	cleanup_profile struct profile *n = parse_ok(new_text, desc);
	struct profile_diff d;
	struct error err = { 0 };
	char *text = NULL;
	size_t len;

	if (!o || !n)
		return NULL;
	if (profile_diff(o, "OLD", n, "NEW", &d, &err) < 0) {
		diag("%s: %s", desc, err.msg);
		return NULL;
	}
	if (n_added)
		*n_added = d.n_added;
	if (profile_diff_text(&d, NULL, &text, &len, &err) < 0)
		diag("%s: %s", desc, err.msg);
	profile_diff_clear(&d);
	return text;
}

static void check_diff(const char *old_text, const char *new_text, const char *expected,
		       const char *desc)
{
	cleanup_free char *got = diff_text(old_text, new_text, NULL, desc);

	is_str(got, expected, "%s", desc);
}

static void test_diff(void)
{
	const char *base = DENY("'SCMP_ARCH_X86_64'", ALLOW("'read', 'write'"));
	const char *more = DENY("'SCMP_ARCH_X86_64'", ALLOW("'write', 'read', 'getcpu'"));
	cleanup_free char *same = NULL;
	size_t n_added = 99;

	if (!x86_64_host()) {
		skip("the diff tests name x86_64 and i386 calls; this host is not x86_64");
		return;
	}
	same = diff_text(base, base, &n_added, "identical profiles");
	is_str(same, "", "identical profiles: no differences");
	is_int(n_added, 0, "identical profiles: nothing added");
	check_diff(base, more, "+ getcpu (SCMP_ARCH_X86_64)\n", "NEW allows one more call");
	check_diff(more, base, "- getcpu (SCMP_ARCH_X86_64)\n", "NEW allows one call fewer");
	check_diff(DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'") "," ALLOW("'write'")),
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'write', 'read'")), "",
		   "the same calls in other rules and order: no differences");
	check_diff(DENY("'SCMP_ARCH_X86_64'", ALLOW("'read', 'socketcall'")),
		   DENY("'SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'", ALLOW("'read', 'socketcall'")),
		   "+ read (SCMP_ARCH_X86)\n+ socketcall (SCMP_ARCH_X86)\n",
		   "a new architecture: its calls are new, socketcall only there (no x86_64 call)");
	check_diff(DENY("'SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'", ALLOW("'read'")),
		   DENY("'SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'", ALLOW("'read', 'sysinfo'")),
		   "+ sysinfo (SCMP_ARCH_X86 SCMP_ARCH_X86_64)\n",
		   "a call new on two architectures is one line, architectures sorted");
	check_diff(DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'")),
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'zzz', 'read', 'getcpu', 'acct'")),
		   "+ acct (SCMP_ARCH_X86_64)\n+ getcpu (SCMP_ARCH_X86_64)\n+ zzz "
		   "(SCMP_ARCH_X86_64)\n",
		   "sorted by name; a name libseccomp does not know still counts");
	check_diff("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [" ALLOW("'read'") "]}",
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'")), "",
		   "no architectures listed means the native one");

	/* Argument conditions. */
	check_diff(base,
		   DENY("'SCMP_ARCH_X86_64'",
			ALLOW("'read', 'write'") "," PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 0))),
		   "+ personality [arg0 == 0] (SCMP_ARCH_X86_64)\n",
		   "a call allowed under a condition is its own item");
	check_diff(DENY("'SCMP_ARCH_X86_64'", ALLOW("'personality'")),
		   DENY("'SCMP_ARCH_X86_64'", PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 0))),
		   "- personality (SCMP_ARCH_X86_64)\n",
		   "a condition where OLD allowed every argument: nothing new, the call is less");
	check_diff(DENY("'SCMP_ARCH_X86_64'", PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 0))),
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'personality'")),
		   "+ personality (SCMP_ARCH_X86_64)\n",
		   "every argument where OLD allowed one condition: new (and the condition is "
		   "covered, not removed)");
	check_diff(DENY("'SCMP_ARCH_X86_64'", PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 0) "," EQ(1, 2))),
		   DENY("'SCMP_ARCH_X86_64'", PERSONALITY("SCMP_ACT_ALLOW", EQ(1, 2) "," EQ(0, 0))),
		   "", "the same conditions in another order: the same");
	check_diff(DENY("'SCMP_ARCH_X86_64'", PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 0))),
		   DENY("'SCMP_ARCH_X86_64'", PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 0) "," EQ(0, 8))),
		   "+ personality [arg0 == 0 || arg0 == 8] (SCMP_ARCH_X86_64)\n"
		   "- personality [arg0 == 0] (SCMP_ARCH_X86_64)\n",
		   "conditions on one index are alternatives (||); conditions compare as text");
	check_diff(base,
		   DENY("'SCMP_ARCH_X86_64'",
			"{'names': ['clone'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0,"
			" 'value': 2114060288, 'valueTwo': 0, 'op': 'SCMP_CMP_MASKED_EQ'},"
			" {'index': 2, 'value': 1, 'op': 'SCMP_CMP_GT'}]}," ALLOW(
				"'read', 'write'")),
		   "+ clone [arg0 & 0x7e020000 == 0 && arg2 > 1] (SCMP_ARCH_X86_64)\n",
		   "a masked condition and one on another index (&&)");

	/* Actions. */
	check_diff(DENY("'SCMP_ARCH_X86_64'", "{'names': ['getcpu'], 'action': 'SCMP_ACT_LOG'}"),
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'getcpu'")), "",
		   "SCMP_ACT_LOG counts as allowed: the call runs");
	check_diff(base,
		   DENY("'SCMP_ARCH_X86_64'",
			ALLOW("'read', 'write', 'ptrace'") ","
							   "{'names': ['ptrace'], 'action': "
							   "'SCMP_ACT_KILL'}"),
		   "", "a name a blocking rule mentions unconditionally is not allowed");
	check_diff(
		base,
		DENY("'SCMP_ARCH_X86_64'",
		     ALLOW("'read', 'write'") ","
					      "{'names': ['ptrace'], 'action': 'SCMP_ACT_ERRNO'}"),
		"", "a blocked call is no difference");
	{
		cleanup_profile struct profile *o = parse_ok(base, "OLD");
		cleanup_profile struct profile *n = parse_ok("{'defaultAction': 'SCMP_ACT_ALLOW'}",
							     "allow by default");
		struct profile_diff d;
		struct error err = { 0 };

		is_int(profile_diff(o, "OLD `a`", n, "NEW `b`", &d, &err), -1,
		       "a profile that allows every call by default is refused");
		like(err.msg, "NEW `b`: defaultAction SCMP_ACT_ALLOW lets every call run",
		     "the message names the profile and why");
	}
}

static void test_diff_json(void)
{
	cleanup_profile struct profile *o = parse_ok(DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'")),
						     "OLD");
	cleanup_profile struct profile *n = parse_ok(DENY("'SCMP_ARCH_X86_64'",
							  PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 8))),
						     "NEW");
	cleanup_free char *json = NULL;
	struct profile_diff d;
	struct error err = { 0 };
	size_t len;

	if (!o || !n || profile_diff(o, "OLD", n, "NEW", &d, &err) < 0) {
		ok(false, "diff for JSON: %s", err.msg);
		return;
	}
	ok(profile_diff_json(&d, NULL, &json, &len, &err) == 0,
	   "the differences are written as JSON");
	profile_diff_clear(&d);
	is_str(json,
	       "{\n  \"added\": [\n    {\n      \"name\": \"personality\",\n"
	       "      \"condition\": \"arg0 == 8\",\n      \"args\": [\n        {\n"
	       "          \"index\": 0,\n          \"value\": 8,\n          \"valueTwo\": 0,\n"
	       "          \"op\": \"SCMP_CMP_EQ\"\n        }\n      ],\n"
	       "      \"architectures\": [\n        \"SCMP_ARCH_X86_64\"\n      ]\n    }\n  ],\n"
	       "  \"removed\": [\n    {\n      \"name\": \"read\",\n      \"architectures\": [\n"
	       "        \"SCMP_ARCH_X86_64\"\n      ]\n    }\n  ]\n}\n",
	       "added and removed, with condition, args and architectures");
}

int main(void)
{
	test_diff();
	test_diff_json();
	return done_testing();
}
