// SPDX-License-Identifier: GPL-2.0-or-later
/* A workload profile's counts: each recording added counts what it lets run once; the file. */
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/profile_format.h"
#include "profile/profile_runs.h"
#include "profile/syscalls.h"
#include "tap.h"
#include "profile_test.h"

static uint64_t runs_of(const struct profile_runs *r, const char *name, const char *cond)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, name) == 0 &&
		    (cond ? r->v[i].condition && strcmp(r->v[i].condition, cond) == 0 :
			    !r->v[i].condition))
			return r->v[i].runs;
	return 0;
}

int main(void)
{
	cleanup_profile struct profile *a = deny(ALLOW("'read', 'getcpu'"), "run a");
	cleanup_profile struct profile *b =
		deny(ALLOW("'read', 'sysinfo'") ", " PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 8)),
		     "run b");
	cleanup_profile struct profile *c = deny(ALLOW("'read'"), "run c");
	cleanup_profile_runs struct profile_runs r = { 0 }, back = { 0 };
	cleanup_free char *json = NULL, *text = NULL;
	struct error err = { 0 };
	size_t len;

	ok(profile_runs_add(&r, a, &err) == 0 && profile_runs_add(&r, b, &err) == 0 &&
		   profile_runs_add(&r, c, &err) == 0,
	   "three runs are added");
	is_int((int)r.runs, 3, "three runs counted");
	is_int((int)runs_of(&r, "read", NULL), 3, "read: in all three");
	is_int((int)runs_of(&r, "getcpu", NULL), 1, "getcpu: in one");
	is_int((int)runs_of(&r, "sysinfo", NULL), 1, "sysinfo: in one");
	is_int((int)runs_of(&r, "personality", NULL), 1, "personality: the call, in one");
	is_int((int)runs_of(&r, "personality", "arg0 == 8"), 1,
	       "personality's condition arg0 == 8: in one");
	is_int((int)runs_of(&r, "times", NULL), 0, "times: in none");

	ok(profile_runs_json(&r, &json, &len, &err) == 0, "the counts are written");
	ok(profile_runs_parse(json, len, "t.runs.json", &back, &err) == 0, "and read back");
	is_int((int)back.runs, 3, "read back: three runs");
	is_int((int)back.n, (int)r.n, "read back: every entry");
	is_int((int)runs_of(&back, "personality", "arg0 == 8"), 1, "read back: the condition");
	ok(profile_runs_add(&back, c, &err) == 0 && runs_of(&back, "read", NULL) == 4 &&
		   back.runs == 4 && runs_of(&back, "getcpu", NULL) == 1,
	   "a fourth run read back adds to the counts read");

	ok(profile_runs_text(&r, &text, &len, &err) == 0, "the counts as text");
	ok(strncmp(text, "3 runs added: ", 14) == 0, "the text says how many runs");
	like(text, "in every run (3 of 3): 1\n", "one call in every run (read)");
	like(text, "(seen in 1 of 3 runs):\n    getcpu (SCMP_ARCH_X86_64)\n",
	     "getcpu is a rare path");
	{
		cleanup_profile_runs struct profile_runs bad = { 0 };
		const char *more = "{\"runs\": 1, \"calls\": [{\"name\": \"read\", "
				   "\"architecture\": \"SCMP_ARCH_X86_64\", \"runs\": 2}]}";

		is_int(profile_runs_parse(more, strlen(more), "t.runs.json", &bad, &err), -1,
		       "a call counted in more runs than there were is refused");
		like(err.msg, "t.runs.json: `calls` entry 0 needs", "the message names the file");
	}
	return done_testing();
}
