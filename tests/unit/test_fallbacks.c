// SPDX-License-Identifier: GPL-2.0-or-later
/* The ENOSYS rule and the why file, from a recording put together by hand. */
#include <stdlib.h>
#include <string.h>
#include "profile/fallbacks.h"
#include "profile/profile.h"
#include "recording/provenance_write.h"
#include "profile/syscalls.h"
#include "tap.h"

static void see(struct syscall_set *set, enum recorder_abi abi, const char *name)
{
	int nr = syscalls_number(abi, name);

	if (nr >= 0)
		syscall_set_add(set, abi, nr);
	else
		diag("%s has no number on ABI %d", name, abi);
}

/* The names of @p's ENOSYS rule, space-separated ("" when it has none). */
static char *enosys_names(const struct profile *p)
{
	static char buf[512];

	buf[0] = '\0';
	for (size_t i = 0; i < p->n_rules; i++) {
		if (!fallbacks_is_rule(&p->rules[i]))
			continue;
		for (size_t j = 0; j < p->rules[i].n_names; j++) {
			strcat(buf, j ? " " : "");
			strcat(buf, p->rules[i].names[j]);
		}
	}
	return buf;
}

static void rule_for(const char *what, const char *const *seen_names, size_t n,
		     const char *base_json, const char *expected)
{
	struct syscall_set set = { 0 };
	struct profile *p = NULL;
	struct error err = { 0 };
	char **names = NULL;
	size_t added = 0;

	for (size_t i = 0; i < n; i++)
		see(&set, ABI_NATIVE, seen_names[i]);
	if (base_json) {
		if (profile_parse(base_json, strlen(base_json), "base", &p, &err) < 0)
			diag("base: %s", err.msg);
	} else {
		p = profile_new();
	}
	if (!is_int(fallbacks_add(p, &set, &added, &names, &err), 0, "%s: the rule is made", what))
		diag("%s", err.msg);
	is_str(enosys_names(p), expected, "%s: ENOSYS for `%s`", what, expected);
	for (size_t i = 0; i < added; i++)
		free(names[i]);
	free(names);
	profile_free(p);
}

int main(void)
{
	static const char *const clone_only[] = { "execve", "clone" };
	static const char *const both[] = { "clone", "clone3" };
	static const char *const many[] = { "clone",	       "openat",     "newfstatat", "close",
					    "set_robust_list", "epoll_wait", "faccessat" };
	static const char *const nothing[] = { "getcpu" };
	struct provenance why = { 0 };
	struct syscall_set set = { 0 };
	uint64_t seen[ABI_COUNT][SYSCALL_WORDS];
	const char *enosys[] = { "clone3" };
	const struct provenance_entry *e;
	struct error err = { 0 };
	char dir[] = "/tmp/osr-unit.XXXXXX", path[64];

	rule_for("clone alone", clone_only, 2, NULL, "clone3");
	rule_for("clone and clone3", both, 2, NULL, "");
	rule_for("no call of the table", nothing, 1, NULL, "");
	rule_for("many", many, 7, NULL,
		 "clone3 close_range epoll_pwait2 faccessat2 openat2 rseq statx");
	rule_for("a base that blocks clone3", clone_only, 2,
		 "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone3\"],"
		 "\"action\":\"SCMP_ACT_KILL\"}]}",
		 "");
	ok(fallbacks_reason("clone3") && strstr(fallbacks_reason("clone3"), "clone"),
	   "clone3 has a reason that names clone");
	ok(!fallbacks_reason("getcpu"), "getcpu is no call of the table");

	/* The why file: written, read back, found by name. */
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/p.json", dir);
	see(&set, ABI_NATIVE, "getcpu");
	see(&set, ABI_NATIVE, "clone");
	set.callers_kept = true;
	set.n_callers = 1;
	set.callers = calloc(1, sizeof(*set.callers));
	set.callers[0].abi = ABI_NATIVE;
	set.callers[0].nr = (uint32_t)syscalls_number(ABI_NATIVE, "getcpu");
	set.callers[0].caller.pid = 4242;
	set.callers[0].caller.ns_pid = 7;
	set.callers[0].caller.parts = 2;
	strcpy(set.callers[0].caller.comm, "probe");
	strcpy(set.callers[0].caller.exe[0], "probe");
	strcpy(set.callers[0].caller.exe[1], "bin");
	memcpy(seen, set.bits, sizeof(seen));
	see(&set, ABI_NATIVE, "rt_sigreturn"); /* added unseen */
	if (!is_int(provenance_write(path, FS_LINKS_FOLLOW_DIRS, 0644, &set, seen, enosys, 1, &err),
		    0, "the why file is written"))
		diag("%s", err.msg);
	if (!is_int(provenance_read(path, FS_LINKS_FOLLOW_DIRS, &why, &err), 0, "and read back"))
		diag("%s", err.msg);
	e = provenance_find(&why, "getcpu");
	ok(e && e->exe && strcmp(e->exe, "/bin/probe") == 0 && e->pid == 4242 && e->ns_pid == 7,
	   "getcpu: first by /bin/probe, pid 7 in its namespace, 4242 on the host");
	e = provenance_find(&why, "clone");
	ok(e && !e->exe && e->added && strstr(e->added, "not kept"),
	   "clone was seen, its first caller not kept: it says so");
	e = provenance_find(&why, "rt_sigreturn");
	ok(e && e->added && strstr(e->added, "signal return"), "rt_sigreturn: added unseen, why");
	e = provenance_find(&why, "clone3");
	ok(e && e->enosys && strstr(e->enosys, "clone"), "clone3: answered ENOSYS, why");
	ok(!provenance_find(&why, "ptrace"), "a call not in the profile is not in the file");
	provenance_release(&why);
	syscall_set_release(&set);
	snprintf(path, sizeof(path), "%s/none.json", dir);
	is_int(provenance_read(path, FS_LINKS_FOLLOW_DIRS, &why, &err), 1,
	       "no why file: 1, not an error");
	tap_rmtree(dir);
	return done_testing();
}
