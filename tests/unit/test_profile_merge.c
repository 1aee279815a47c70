// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of profile merge: the union of several recordings, blocks kept. */
#include "tap.h"
#include "profile/profile_merge.h"
#include "profile_test.h"

/* --- merge ----------------------------------------------------------------------------- */

/* Merge @texts (parsed here); the result serialized (OCI), or NULL and @err. */
static char *merge_texts(const char *const *texts, size_t n, struct profile_merge_summary *sum,
			 struct error *err)
{
	struct profile *inputs[8] = { 0 };
	const char *what[8] = { "profile `1`", "profile `2`", "profile `3`", "profile `4`" };
	struct profile_merge_summary ignored;
	char *out = NULL;
	size_t len;

	for (size_t i = 0; i < n; i++)
		if (!(inputs[i] = parse_ok(texts[i], "a merge input")))
			goto out;
	if (profile_merge(inputs, what, n, sum ? sum : &ignored, err) == 0 &&
	    profile_serialize(inputs[0], &out, &len, err) < 0)
		out = NULL;
out:
	for (size_t i = 0; i < n; i++)
		profile_free(inputs[i]);
	return out;
}

static char *merged(const char *a, const char *b, struct profile_merge_summary *sum,
		    const char *desc)
{
	const char *texts[] = { a, b };
	struct error err = { 0 };
	char *out = merge_texts(texts, 2, sum, &err);

	if (!ok(out != NULL, "%s: merges", desc))
		diag("error: %s", err.msg);
	return out;
}

/* The allowed names of the last rule of @text, comma-separated. */
static char *allow_list(const char *text)
{
	cleanup_profile struct profile *p = NULL;
	struct error err = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (!text || profile_parse(text, strlen(text), WHAT, &p, &err) < 0 || !p->n_rules)
		return NULL;
	f = open_memstream(&out, &len);
	for (size_t i = 0; i < p->rules[p->n_rules - 1].n_names; i++)
		fprintf(f, "%s%s", i ? "," : "", p->rules[p->n_rules - 1].names[i]);
	fclose(f);
	return out;
}

static void test_merge(void)
{
	const char *a =
		"{'comment': 'first', 'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1,"
		" 'architectures': ['SCMP_ARCH_X86_64'], 'syscalls': [" ALLOW(
			"'read', 'getcpu', 'ptrace'") "]}";
	const char *b = "{'comment': 'second', 'defaultAction': 'SCMP_ACT_KILL',"
			" 'architectures': ['SCMP_ARCH_X86'], 'syscalls': [" ALLOW(
				"'sysinfo', 'read'") ","
						     "{'names': ['ptrace'], 'action': "
						     "'SCMP_ACT_ERRNO', 'errnoRet': 38}]}";
	cleanup_free char *ab = NULL, *ab2 = NULL, *ba = NULL, *ab_list = NULL, *ba_list = NULL;
	cleanup_profile struct profile *result = NULL;
	struct profile_merge_summary sum;
	struct error err = { 0 };

	ab = merged(a, b, &sum, "two recordings");
	ab2 = merged(a, b, NULL, "the same two again");
	ba = merged(b, a, NULL, "the two in the other order");
	if (!ab || !ba)
		return;
	is_str(ab2, ab, "the same inputs in the same order give the same bytes");
	ab_list = allow_list(ab);
	ba_list = allow_list(ba);
	is_str(ab_list, "getcpu,read,sysinfo",
	       "the allow rule is the sorted union, ptrace left out");
	is_str(ba_list, ab_list, "the allow list does not depend on the order of the inputs");
	is_int(sum.names_allowed, 3, "three names allowed");
	is_int(sum.names_blocked, 1, "ptrace, allowed by one and blocked by the other, counted");
	is_int(sum.rules_added, 1, "the blocking rule of the second input is added");
	if (profile_parse(ab, strlen(ab), WHAT, &result, &err) < 0) {
		ok(false, "the result parses: %s", err.msg);
		return;
	}
	like(ab, "\"comment\": \"first\"", "the first input's fields are kept");
	unlike(ab, "second", "the second input's fields are not");
	is_str(result->default_action, "SCMP_ACT_ERRNO", "the first input's defaultAction");
	ok(result->n_arches == 2 && strcmp(result->arches[0], X86_64) == 0 &&
		   strcmp(result->arches[1], X86) == 0,
	   "architectures: the union, the first input's first");
	if (is_int(result->n_rules, 2, "two rules: the added block, the merged allow")) {
		ok(strcmp(result->rules[0].action, "SCMP_ACT_ERRNO") == 0 &&
			   result->rules[0].errno_ret == 38 && result->rules[0].n_names == 1 &&
			   strcmp(result->rules[0].names[0], "ptrace") == 0,
		   "ptrace stays blocked with the second input's errnoRet 38");
	}
	{
		cleanup_profile struct profile *check = NULL;
		scmp_filter_ctx ctx;

		ok(profile_parse(ab, strlen(ab), WHAT, &check, &err) == 0 &&
			   profile_build_filter(check, &ctx, NULL, &err) == 0,
		   "the result compiles with libseccomp");
		if (check && err.msg[0] == '\0')
			seccomp_release(ctx);
	}
}

static int count_of(const char *haystack, const char *needle)
{
	int n = 0;

	for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_merge_rules(void)
{
	const char *first =
		DENY("'SCMP_ARCH_X86_64'",
		     "{'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38,"
		     " 'comment': 'kept as is'}," PERSONALITY("SCMP_ACT_ALLOW",
							      EQ(0, 0)) "," ALLOW("'read'"));
	const char *second = DENY(
		"'SCMP_ARCH_X86_64'",
		"{'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38}," PERSONALITY(
			"SCMP_ACT_ALLOW", EQ(0, 0)) "," PERSONALITY("SCMP_ACT_ALLOW",
								    EQ(0, 8)) "," ALLOW("'write'"));
	const char *third = DENY("'SCMP_ARCH_X86_64'",
				 "{'names': ['getcpu', 'uname'], 'action': 'SCMP_ACT_ALLOW',"
				 " 'args': [" EQ(1, 0) "]}," ALLOW("'uname'"));
	const char *texts[] = { first, second, third };
	cleanup_free char *out = NULL, *blocked = NULL;
	cleanup_profile struct profile *p = NULL;
	struct profile_merge_summary sum;
	struct error err = { 0 };

	out = merge_texts(texts, 3, &sum, &err);
	if (!ok(out != NULL, "three inputs with argument rules merge"))
		diag("error: %s", err.msg);
	if (!out || profile_parse(out, strlen(out), WHAT, &p, &err) < 0)
		return;
	like(out, "\"comment\": \"kept as is\"", "the first input's other rules are kept verbatim");
	is_int(sum.rules_added, 2, "two rules added: personality arg0 == 8, getcpu arg1 == 0");
	if (is_int(p->n_rules, 5, "clone3, personality 0, personality 8, getcpu, the allow")) {
		is_int(p->rules[2].n_args, 1, "the second input's new condition is added");
		ok(p->rules[2].args[0].value == 8, "personality arg0 == 8");
		ok(p->rules[3].n_names == 1 && strcmp(p->rules[3].names[0], "getcpu") == 0,
		   "uname is left out of the condition rule: the merged allow covers every "
		   "argument");
		ok(p->rules[4].n_names == 3 && strcmp(p->rules[4].names[0], "read") == 0 &&
			   strcmp(p->rules[4].names[1], "uname") == 0 &&
			   strcmp(p->rules[4].names[2], "write") == 0,
		   "the allow rule: read, uname, write");
	}
	is_int(count_of(out, "clone3"), 1,
	       "the identical clone3 rule of the second input is not added again");

	{
		/* Blocked in a later input: taken out of the first input's condition rule too. */
		const char *block = DENY("'SCMP_ARCH_X86_64'",
					 "{'names': ['personality'], 'action': 'SCMP_ACT_KILL'}");
		const char *two[] = { first, block };

		blocked = merge_texts(two, 2, NULL, &err);
		ok(blocked && !strstr(blocked, "SCMP_CMP_EQ"),
		   "a condition rule for a call another input blocks is dropped");
		like(blocked, "SCMP_ACT_KILL", "and the blocking rule is added");
	}
}

static void test_merge_refusals(void)
{
	const char *deny = DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'"));
	const char *allow_all = "{'defaultAction': 'SCMP_ACT_LOG'}";
	const char *map = "{'defaultAction': 'SCMP_ACT_ERRNO', 'archMap': [{'architecture':"
			  " 'SCMP_ARCH_X86_64', 'subArchitectures': []}]}";
	const char *x86 = DENY("'SCMP_ARCH_X86'", ALLOW("'read'"));
	const char *t1[] = { deny, allow_all }, *t2[] = { map, x86 }, *t3[] = { map, deny };
	cleanup_free char *o1 = NULL, *o2 = NULL, *o3 = NULL;
	struct error err = { 0 };

	o1 = merge_texts(t1, 2, NULL, &err);
	ok(!o1, "an input that lets every call run by default is refused");
	like(err.msg, "profile `2`: defaultAction SCMP_ACT_LOG lets every call run",
	     "the message names the input and why");
	o2 = merge_texts(t2, 2, NULL, &err);
	ok(!o2, "an architecture cannot be added to an archMap profile");
	like(err.msg, "archMap", "the message says why");
	o3 = merge_texts(t3, 2, NULL, &err);
	ok(o3 && strstr(o3, "archMap") && !strstr(o3, "\"architectures\""),
	   "an archMap profile that covers every architecture merges");
}

int main(void)
{
	test_merge();
	test_merge_rules();
	test_merge_refusals();
	return done_testing();
}
