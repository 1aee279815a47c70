// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of merge --report: how many of the merged runs made each allowed item. */
#include "tap.h"
#include "profile_test.h"
#include "base/cleanup.h"
#include "profile/profile_coverage.h"
#include "profile/profile.h"
#include "profile/profile_merge.h"

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
	test_coverage_counts();
	test_coverage_conditions();
	test_coverage_arches();
	test_coverage_one_run();
	return done_testing();
}
