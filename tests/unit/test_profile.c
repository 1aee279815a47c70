// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of seccomp profiles: validation, recorded calls added to a base, output, compiling. */
#include "tap.h"
#include <stdint.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "profile/profile.h"
#include "recording/recording.h"
#include "profile/syscall_set.h"
#include "profile/syscalls.h"

#define WHAT "profile `t.json`"

/* Test documents are written with ' for " to stay readable; none needs a real '. */
static char *dq(const char *text)
{
	char *s = strdup(text);

	for (char *c = s; c && *c; c++)
		if (*c == '\'')
			*c = '"';
	return s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse @text (with ' for "), which the test expects to be a valid profile. */
static struct profile *parse_ok(const char *text, const char *desc)
{
	cleanup_free char *doc = dq(text);
	struct profile *p = NULL;
	struct error err = { 0 };
	int ret = profile_parse(doc, strlen(doc), WHAT, &p, &err);

	if (!is_int(ret, 0, "%s: parses", desc))
		diag("error: %s", err.msg);
	return ret == 0 ? p : NULL;
}

/* The message of the last refusal. */
static struct error refused;

/* The first @len bytes of @doc must be refused with a message that begins with WHAT and holds
 * @needle. */
static void refuse_len(const char *doc, size_t len, const char *needle, const char *desc)
{
	struct profile *p = NULL;
	int ret;

	memset(&refused, 0, sizeof(refused));
	ret = profile_parse(doc, len, WHAT, &p, &refused);
	ok(ret == -1 && p == NULL, "%s: refused", desc);
	like(refused.msg, needle, "%s: the message names the cause", desc);
	ok(strncmp(refused.msg, WHAT, strlen(WHAT)) == 0, "%s: the message names the profile",
	   desc);
	profile_free(p);
}

static void refuse(const char *text, const char *needle, const char *desc)
{
	cleanup_free char *doc = dq(text);

	refuse_len(doc, strlen(doc), needle, desc);
}

static char *serialize(const struct profile *p, const char *desc)
{
	struct error err = { 0 };
	char *out = NULL;
	size_t len = 0;

	if (!p) {
		ok(false, "%s: serializes (no profile)", desc);
		return NULL;
	}
	if (!is_int(profile_serialize(p, &out, &len, &err), 0, "%s: serializes", desc))
		diag("error: %s", err.msg);
	else if (strlen(out) != len)
		diag("%s: length %zu, but %zu bytes before the first NUL", desc, len, strlen(out));
	return out;
}

/* What libseccomp made of a filter: its pseudo-code (@pfc) or its BPF program. */
static char *export_filter(scmp_filter_ctx ctx, bool pfc, size_t *len)
{
	cleanup_close int fd = memfd_create("filter", MFD_CLOEXEC);
	struct error err = { 0 };
	char *out = NULL;

	if (fd < 0 || (pfc ? seccomp_export_pfc(ctx, fd) : seccomp_export_bpf(ctx, fd)) < 0 ||
	    lseek(fd, 0, SEEK_SET) < 0 || fs_read_fd(fd, "filter", 1 << 20, &out, len, &err) < 0) {
		diag("exporting the filter failed %s", err.msg);
		return NULL;
	}
	return out;
}

/* Compile @p; its pseudo-code, or NULL (and a failed check) when it does not compile. */
static char *compile(const struct profile *p, size_t *unknown, const char *desc)
{
	struct error err = { 0 };
	scmp_filter_ctx ctx = NULL;
	size_t len;
	char *pfc;

	if (!p) {
		ok(false, "%s: compiles (no profile)", desc);
		return NULL;
	}
	if (!is_int(profile_build_filter(p, &ctx, unknown, &err), 0, "%s: compiles", desc)) {
		diag("error: %s", err.msg);
		return NULL;
	}
	pfc = export_filter(ctx, true, &len);
	seccomp_release(ctx);
	return pfc;
}

static bool x86_64_host(void)
{
	return syscalls_native_arch() == SCMP_ARCH_X86_64;
}

static void test_minimal(void)
{
	cleanup_profile struct profile *p = parse_ok("{'defaultAction': 'SCMP_ACT_ALLOW'}",
						     "a profile with only defaultAction");
	cleanup_profile struct profile *full = parse_ok(
		"{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 4095,"
		" 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64'], 'syscalls': ["
		" {'names': ['read', 'write'], 'action': 'SCMP_ACT_ALLOW'},"
		" {'names': ['ioctl'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 5,"
		" 'value': 18446744073709551615, 'valueTwo': 1, 'op': 'SCMP_CMP_MASKED_EQ'}]},"
		" {'names': [], 'action': 'SCMP_ACT_LOG', 'args': null}]}",
		"a profile with every field");
	cleanup_profile struct profile *with_errno =
		parse_ok("{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38}",
			 "a profile with defaultErrnoRet");
	cleanup_free char *out = serialize(p, "a profile with only defaultAction");
	cleanup_free char *errno_out = serialize(with_errno, "a profile with defaultErrnoRet");
	const struct profile_rule *r;

	if (!p || !full)
		return;
	is_str(p->default_action, "SCMP_ACT_ALLOW", "defaultAction is read");
	ok(!p->has_default_errno_ret, "no defaultErrnoRet when the profile has none");
	ok(p->n_rules == 0 && p->n_arches == 0 && !p->has_arch_map, "no rules, no architectures");
	is_str(out, "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\"\n}\n",
	       "a minimal profile is written back as it was");
	is_str(errno_out,
	       "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": 38\n}\n",
	       "a profile with defaultErrnoRet is written back as it was");

	ok(full->has_default_errno_ret, "defaultErrnoRet is read");
	is_uint(full->default_errno_ret, 4095, "defaultErrnoRet 4095 (the largest errno) is read");
	is_int(full->n_arches, 2, "both architectures are read");
	ok(full->n_arches == 2 && strcmp(full->arches[1], "SCMP_ARCH_AARCH64") == 0,
	   "architectures keep their order");
	if (!is_int(full->n_rules, 3, "three rules are read"))
		return;
	r = &full->rules[0];
	ok(r->n_names == 2 && strcmp(r->names[0], "read") == 0 && strcmp(r->names[1], "write") == 0,
	   "rule 1 names read, write in that order");
	is_str(r->action, "SCMP_ACT_ALLOW", "rule 1 action is read");
	ok(!r->has_errno_ret && r->n_args == 0, "rule 1 has no errnoRet and no args");
	r = &full->rules[1];
	if (is_int(r->n_args, 1, "rule 2 has one argument condition")) {
		is_uint(r->args[0].index, 5, "argument index 5 is read");
		is_uint(r->args[0].value, UINT64_MAX,
			"argument value 18446744073709551615 is exact");
		is_uint(r->args[0].value_two, 1, "argument valueTwo is read");
		is_int(r->args[0].op, SCMP_CMP_MASKED_EQ, "argument op SCMP_CMP_MASKED_EQ is read");
	}
	ok(full->rules[2].n_names == 0 && full->rules[2].n_args == 0,
	   "a rule with no names and null args is accepted");
}

static char *nested(size_t depth)
{
	char *s = malloc(depth + 1);

	memset(s, '[', depth);
	s[depth] = '\0';
	return s;
}

/* A profile of @n copies of one rule. */
static char *many_rules(size_t n)
{
	static const char rule[] = "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},";
	size_t head = strlen("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [");
	char *s = malloc(head + n * (sizeof(rule) - 1) + 3);
	char *end;

	if (!s)
		abort();
	end = s + sprintf(s, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [");

	for (size_t i = 0; i < n; i++)
		end = stpcpy(end, rule);
	strcpy(end - (n ? 1 : 0), "]}");
	return s;
}

/* A rule with @n names. */
static char *many_names(size_t n)
{
	char *s = malloc(n * 10 + 200);
	char *end = stpcpy(s,
			   "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [");

	for (size_t i = 0; i < n; i++)
		end = stpcpy(end, i ? ", \"read\"" : "\"read\"");
	strcpy(end, "], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	return s;
}

#define RULE(fields) "{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [" fields "]}"
#define ARG(fields) RULE("{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'args': [" fields "]}")

static void test_refusals(void)
{
	static const char with_nul[] = "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\0";
	static const char whole[] = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"comment\": \"x\"}";
	cleanup_free char *deep = nested(10000);
	cleanup_free char *rules_max = many_rules(PROFILE_MAX_RULES);
	cleanup_free char *rules_over = many_rules(PROFILE_MAX_RULES + 1);
	cleanup_free char *names_max = many_names(PROFILE_MAX_NAMES);
	cleanup_free char *names_over = many_names(PROFILE_MAX_NAMES + 1);
	cleanup_free char *huge = malloc(PROFILE_MAX_BYTES + 2);
	cleanup_profile struct profile *p = NULL;
	const char *small = "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}";
	double start;

	refuse("not json", "is not valid JSON", "text that is not JSON");
	refuse("{'defaultAction': 'SCMP_ACT_ALLOW'", "is not valid JSON", "truncated JSON");
	refuse("", "is not valid JSON", "an empty file");
	refuse_len(with_nul, sizeof(with_nul) - 1, "NUL byte", "a NUL byte after the document");
	/* @len ends the text even when the buffer goes on (as a fuzzer's input does). */
	refuse_len(whole, strlen("{\"defaultAction\": \"SCMP_ACT_ALLOW\""), "is not valid JSON",
		   "the first bytes of a longer buffer, cut inside the object");

	start = now();
	refuse_len(deep, strlen(deep), "nests deeper than 64 levels", "10000 nested [");
	ok(now() - start < 0.5, "10000 nested [ are refused in under half a second");

	refuse("[{'defaultAction': 'SCMP_ACT_ALLOW'}]",
	       "is not a seccomp profile: the document is an array, not an object",
	       "a top-level array");
	refuse("'SCMP_ACT_ALLOW'", "the document is a string, not an object", "a top-level string");
	refuse("{'syscalls': []}", "`defaultAction` must be a string, not missing",
	       "no defaultAction");
	refuse("{'defaultAction': 0}", "`defaultAction` must be a string, not a number",
	       "a number as defaultAction");
	refuse("{'defaultAction': 'SCMP_ACT_FOO'}", "`defaultAction` is not a seccomp action",
	       "defaultAction SCMP_ACT_FOO");
	refuse(RULE("{'names': ['read'], 'action': 'SCMP_ACT_FOO'}"),
	       "`action` is not a seccomp action", "rule action SCMP_ACT_FOO");
	refuse(RULE("{'names': ['read'], 'action': 'scmp_act_allow'}"),
	       "`action` is not a seccomp action", "a lower-case action");
	refuse(RULE("{'names': ['read']}"), "`action` must be a string, not missing",
	       "a rule without action");
	refuse(RULE("{'names': 'read', 'action': 'SCMP_ACT_ALLOW'}"),
	       "`names` of a rule must be an array, not a string", "names as a string");
	refuse(RULE("{'names': [0], 'action': 'SCMP_ACT_ALLOW'}"), "`names` must hold strings only",
	       "a number in names");
	refuse(RULE("{'names': ['read;rm'], 'action': 'SCMP_ACT_ALLOW'}"),
	       "`names` holds a value that is not a syscall name", "the name read;rm");
	unlike(refused.msg, "read;rm", "the message does not quote the name read;rm");
	refuse(RULE("{'names': ['read', '../x'], 'action': 'SCMP_ACT_ALLOW'}"),
	       "`names` holds a value that is not a syscall name", "the name ../x");
	refuse(RULE("{'names': [''], 'action': 'SCMP_ACT_ALLOW'}"),
	       "`names` holds a value that is not a syscall name", "an empty name");
	refuse(RULE("{'names': ['Read'], 'action': 'SCMP_ACT_ALLOW'}"),
	       "`names` holds a value that is not a syscall name",
	       "an upper-case letter in a name");
	refuse(RULE("{'names': ['a234567890123456789012345678901234567890123456789012345678901234"
		    "5'], 'action': 'SCMP_ACT_ALLOW'}"),
	       "`names` holds a value that is not a syscall name", "a name of 65 characters");
	refuse(RULE("{'name': 'read rm', 'action': 'SCMP_ACT_ALLOW'}"),
	       "`name` is not a syscall name", "the singular name 'read rm'");
	refuse(RULE("{'name': ['read'], 'action': 'SCMP_ACT_ALLOW'}"),
	       "`name` of a rule must be a string", "the singular name as an array");
	refuse(RULE("{'names': ['read'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 4096}"),
	       "`errnoRet` must be an errno number from 0 to 4095", "errnoRet 4096");
	refuse(RULE("{'names': ['read'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': -1}"),
	       "`errnoRet` must be an errno number from 0 to 4095", "errnoRet -1");
	refuse(RULE("{'names': ['read'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': '1'}"),
	       "`errnoRet` must be an errno number from 0 to 4095", "errnoRet as a string");
	refuse("{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 18446744073709551617}",
	       "`defaultErrnoRet` must be an errno number from 0 to 4095",
	       "defaultErrnoRet beyond 64 bits");
	refuse(ARG("{'index': 6, 'value': 0, 'op': 'SCMP_CMP_EQ'}"),
	       "argument `index` must be 0 to 5", "argument index 6");
	refuse(ARG("{'value': 0, 'op': 'SCMP_CMP_EQ'}"), "argument `index` must be 0 to 5",
	       "an argument without index");
	refuse(ARG("{'index': 0, 'value': -1, 'op': 'SCMP_CMP_EQ'}"),
	       "argument `value` must be an unsigned integer", "argument value -1");
	refuse(ARG("{'index': 0, 'op': 'SCMP_CMP_EQ'}"),
	       "argument `value` must be an unsigned integer", "an argument without value");
	refuse(ARG("{'index': 0, 'value': 0, 'valueTwo': 1.5, 'op': 'SCMP_CMP_EQ'}"),
	       "argument `valueTwo` must be an unsigned integer", "argument valueTwo 1.5");
	refuse(ARG("{'index': 0, 'value': 0, 'op': 'SCMP_CMP_FOO'}"),
	       "argument `op` is not a SCMP_CMP_* operator", "argument op SCMP_CMP_FOO");
	refuse(ARG("{'index': 0, 'value': 0}"), "argument `op` must be a string",
	       "an argument without op");
	refuse(ARG("0"), "an entry of `args` is not an object", "a number in args");
	refuse(RULE("{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'args': {}}"),
	       "`args` of a rule must be an array", "args as an object");
	refuse(ARG("{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'},"
		   "{'index': 1, 'value': 0, 'op': 'SCMP_CMP_EQ'},"
		   "{'index': 2, 'value': 0, 'op': 'SCMP_CMP_EQ'},"
		   "{'index': 3, 'value': 0, 'op': 'SCMP_CMP_EQ'},"
		   "{'index': 4, 'value': 0, 'op': 'SCMP_CMP_EQ'},"
		   "{'index': 5, 'value': 0, 'op': 'SCMP_CMP_EQ'},"
		   "{'index': 0, 'value': 1, 'op': 'SCMP_CMP_EQ'}"),
	       "a rule has more than 6 argument conditions", "7 argument conditions");
	refuse("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86_64'],"
	       " 'archMap': [{'architecture': 'SCMP_ARCH_X86_64'}]}",
	       "use either `architectures` or `archMap`, not both", "architectures and archMap");
	refuse("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_VAX']}",
	       "`architectures` holds an unknown architecture", "architecture SCMP_ARCH_VAX");
	refuse("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': 'SCMP_ARCH_X86_64'}",
	       "`architectures` must be an array", "architectures as a string");
	refuse("{'defaultAction': 'SCMP_ACT_ERRNO', 'archMap': [{'architecture': 'x86_64'}]}",
	       "an `archMap` entry has an unknown architecture", "archMap architecture x86_64");
	refuse("{'defaultAction': 'SCMP_ACT_ERRNO', 'archMap': [{'architecture':"
	       " 'SCMP_ARCH_X86_64', 'subArchitectures': ['SCMP_ARCH_I386']}]}",
	       "`subArchitectures` holds an unknown architecture",
	       "subArchitecture SCMP_ARCH_I386");
	refuse("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': {}}",
	       "`syscalls` must be an array, not an object", "syscalls as an object");
	refuse(RULE("'read'"), "an entry of `syscalls` is not an object", "a string as a rule");

	p = parse_ok(rules_max, "PROFILE_MAX_RULES rules");
	is_int(p ? p->n_rules : 0, PROFILE_MAX_RULES, "all PROFILE_MAX_RULES rules are read");
	refuse_len(rules_over, strlen(rules_over), "more than 4096 rules",
		   "PROFILE_MAX_RULES + 1 rules");
	profile_free(TAKE_PTR(p));
	p = parse_ok(names_max, "PROFILE_MAX_NAMES names in a rule");
	refuse_len(names_over, strlen(names_over), "a rule has more than 4096 names",
		   "PROFILE_MAX_NAMES + 1 names in a rule");

	/* A valid document padded with spaces past the limit. */
	memset(huge, ' ', PROFILE_MAX_BYTES + 1);
	memcpy(huge, small, strlen(small));
	huge[PROFILE_MAX_BYTES + 1] = '\0';
	refuse_len(huge, PROFILE_MAX_BYTES + 1, "is larger than 4194304 bytes",
		   "a profile of PROFILE_MAX_BYTES + 1 bytes");
}

/* Files that are not profiles: the message names the file and the cause, and quotes nothing. */
static void test_no_content_in_messages(const char *dir)
{
	static const char *const texts[] = {
		"{'secret-token-123': 1}",
		"not json secret-token-123",
		"{'defaultAction': secret-token-123}",
		"'secret-token-123'",
		"{'defaultAction': 'secret-token-123'}",
		"{'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['secret-token-123']}",
		"{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['secret-token-123'],"
		" 'action': 'SCMP_ACT_ALLOW'}]}",
		"{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'],"
		" 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 0,"
		" 'op': 'secret-token-123'}]}]}",
	};
	cleanup_free char *path = NULL;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		cleanup_free char *doc = dq(texts[i]);
		struct profile *p = NULL;
		struct error err = { 0 };
		int ret = profile_parse(doc, strlen(doc), WHAT, &p, &err);

		is_int(ret, -1, "%s is refused", texts[i]);
		unlike(err.msg, "secret-token-123", "the message for %s does not quote it",
		       texts[i]);
		profile_free(p);
	}

	/* The same through a file, as -i reads it. */
	if (asprintf(&path, "%s/secret.json", dir) > 0) {
		FILE *f = fopen(path, "w");
		struct profile *p = NULL;
		struct error err = { 0 };

		if (f) {
			fputs("{\"secret-token-123\": 1}", f);
			fclose(f);
		}
		is_int(profile_read_file(path, FS_LINKS_NONE, &p, &err), -1,
		       "profile_read_file refuses a file that is not a profile");
		like(err.msg, path, "profile_read_file names the file");
		unlike(err.msg, "secret-token-123", "profile_read_file quotes none of the file");
		profile_free(p);
	}
}

static struct syscall_set *set_of(const int *native, size_t n_native, const int *compat,
				  size_t n_compat)
{
	struct syscall_set *set = calloc(1, sizeof(*set));

	for (size_t i = 0; set && i < n_native; i++)
		syscall_set_add(set, ABI_NATIVE, native[i]);
	for (size_t i = 0; set && i < n_compat; i++)
		syscall_set_add(set, ABI_COMPAT, compat[i]);
	return set;
}

static void test_determinism(void)
{
	static const char expected[] = "{\n"
				       "  'defaultAction': 'SCMP_ACT_ERRNO',\n"
				       "  'defaultErrnoRet': 1,\n"
				       "  'architectures': [\n"
				       "    'SCMP_ARCH_X86_64',\n"
				       "    'SCMP_ARCH_X86'\n"
				       "  ],\n"
				       "  'syscalls': [\n"
				       "    {\n"
				       "      'names': [\n"
				       "        'close',\n"
				       "        'exit',\n"
				       "        'getpid',\n"
				       "        'read',\n"
				       "        'write'\n"
				       "      ],\n"
				       "      'action': 'SCMP_ACT_ALLOW'\n"
				       "    }\n"
				       "  ]\n"
				       "}\n";
	static const int native[] = { 0, 1, 3, 60 }, native_rev[] = { 60, 3, 1, 0 };
	static const int compat[] = { 20 };
	cleanup_free struct syscall_set *set = set_of(native, 4, compat, 1);
	cleanup_free struct syscall_set *set_rev = set_of(native_rev, 4, compat, 1);
	cleanup_profile struct profile *p = profile_new();
	cleanup_profile struct profile *p_rev = profile_new();
	cleanup_free char *first = NULL, *second = NULL, *rev = NULL, *want = dq(expected);
	cleanup_free char *name_read = NULL, *name_exit = NULL, *name_getpid = NULL;
	struct recording_summary sum = { 0 };
	struct error err = { 0 };
	const struct profile_rule *r;
	bool sorted = true;
	size_t len;

	if (!x86_64_host()) {
		skip("the recorded numbers are x86_64 and i386 ones; this host is not x86_64");
		return;
	}
	name_read = syscalls_name(ABI_NATIVE, 0);
	name_exit = syscalls_name(ABI_NATIVE, 60);
	name_getpid = syscalls_name(ABI_COMPAT, 20);
	is_str(name_read, "read", "x86_64 syscall 0 is read");
	is_str(name_exit, "exit", "x86_64 syscall 60 is exit");
	is_str(name_getpid, "getpid", "i386 syscall 20 is getpid");

	if (!is_int(recording_extend_profile(p, set, &sum, &err), 0,
		    "a recording extends a new profile"))
		diag("error: %s", err.msg);
	is_int(sum.names_added, 5, "five names are added");
	ok(sum.names_in_base == 0 && sum.unnamed == 0, "nothing in the base, nothing unnamed");
	first = serialize(p, "the extended profile");
	second = serialize(p, "the extended profile, again");
	is_str(second, first, "serializing twice gives the same bytes");
	recording_extend_profile(p_rev, set_rev, &sum, &err);
	rev = serialize(p_rev, "the profile of the same calls added in reverse");
	is_str(rev, first, "the order calls were seen in does not change the output");
	is_str(first, want, "the profile is exactly the expected document");

	len = first ? strlen(first) : 0;
	ok(len >= 2 && first[len - 1] == '\n' && first[len - 2] != '\n',
	   "the output ends with exactly one newline");
	ok(p->n_arches == 2 && strcmp(p->arches[0], "SCMP_ARCH_X86_64") == 0 &&
		   strcmp(p->arches[1], "SCMP_ARCH_X86") == 0,
	   "architectures are SCMP_ARCH_X86_64 then SCMP_ARCH_X86");
	if (!is_int(p->n_rules, 1, "one rule is added"))
		return;
	r = &p->rules[0];
	for (size_t i = 1; i < r->n_names; i++)
		if (strcmp(r->names[i - 1], r->names[i]) >= 0)
			sorted = false;
	ok(sorted && r->n_names == 5, "the five names are sorted and unique");
	ok(profile_mentions(p, "getpid"), "i386 syscall 20 is in the profile as getpid");
	is_str(r->action, "SCMP_ACT_ALLOW", "the new rule allows");
}

static void test_recording_corners(void)
{
	static const int unnamed[] = { MAX_SYSCALL_NR - 1 };
	cleanup_free struct syscall_set *set = set_of(unnamed, 1, NULL, 0);
	cleanup_free struct syscall_set *x32 = calloc(1, sizeof(*x32));
	cleanup_profile struct profile *p = profile_new();
	cleanup_profile struct profile *px = profile_new();
	struct recording_summary sum = { 0 };
	struct error err = { 0 };

	if (!x86_64_host()) {
		skip("x32 and the numbers used are x86_64 ones; this host is not x86_64");
		return;
	}
	is_int(recording_extend_profile(p, set, &sum, &err), 0,
	       "a recording of a number libseccomp cannot name extends the profile");
	is_int(sum.unnamed, 1, "the number without a name is counted");
	is_int(p->n_rules, 0, "no rule is added for it");
	ok(p->n_arches == 1 && strcmp(p->arches[0], "SCMP_ARCH_X86_64") == 0,
	   "the native architecture is listed even so");

	syscall_set_add(x32, ABI_X32, 0);
	is_int(recording_extend_profile(px, x32, &sum, &err), 0, "a recording of x32 calls");
	ok(px->n_arches == 2 && strcmp(px->arches[1], "SCMP_ARCH_X32") == 0,
	   "x32 calls list SCMP_ARCH_X32");
	ok(px->n_rules == 1 && px->rules[0].n_names == 1 &&
		   strcmp(px->rules[0].names[0], "read") == 0,
	   "x32 syscall 0 is read");
}

/* Remove the first @cut from @text (with ' for "). */
static char *without(const char *text, const char *cut)
{
	cleanup_free char *what = dq(cut);
	char *s = dq(text), *at = strstr(s, what);

	if (at)
		memmove(at, at + strlen(what), strlen(at + strlen(what)) + 1);
	return s;
}

/*
 * A base read with -i, extended with a recording of read, getpid, getppid. @errno_ret: whether
 * the base has defaultErrnoRet (the rest must hold either way).
 */
static void test_base(bool errno_ret)
{
	static const char base[] =
		"{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1, 'comment': 'base',"
		" 'x-custom': {'a': [1, 2]}, 'syscalls': ["
		" {'names': ['getpid'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38},"
		" {'comment': 'PER_LINUX only', 'names': ['personality'], 'action': "
		"'SCMP_ACT_ALLOW',"
		" 'args': [{'index': 0, 'value': 0, 'valueTwo': 0, 'op': 'SCMP_CMP_EQ'}]},"
		" {'name': 'getppid', 'action': 'SCMP_ACT_ERRNO', 'x-note': 'singular'}],"
		" 'flags': ['SECCOMP_FILTER_FLAG_LOG']}";
	static const char expected[] = "{\n"
				       "  'defaultAction': 'SCMP_ACT_ERRNO',\n"
				       "  'defaultErrnoRet': 1,\n"
				       "  'comment': 'base',\n"
				       "  'x-custom': {\n"
				       "    'a': [\n"
				       "      1,\n"
				       "      2\n"
				       "    ]\n"
				       "  },\n"
				       "  'syscalls': [\n"
				       "    {\n"
				       "      'names': [\n"
				       "        'getpid'\n"
				       "      ],\n"
				       "      'action': 'SCMP_ACT_ERRNO',\n"
				       "      'errnoRet': 38\n"
				       "    },\n"
				       "    {\n"
				       "      'comment': 'PER_LINUX only',\n"
				       "      'names': [\n"
				       "        'personality'\n"
				       "      ],\n"
				       "      'action': 'SCMP_ACT_ALLOW',\n"
				       "      'args': [\n"
				       "        {\n"
				       "          'index': 0,\n"
				       "          'value': 0,\n"
				       "          'valueTwo': 0,\n"
				       "          'op': 'SCMP_CMP_EQ'\n"
				       "        }\n"
				       "      ]\n"
				       "    },\n"
				       "    {\n"
				       "      'name': 'getppid',\n"
				       "      'action': 'SCMP_ACT_ERRNO',\n"
				       "      'x-note': 'singular'\n"
				       "    },\n"
				       "    {\n"
				       "      'names': [\n"
				       "        'read'\n"
				       "      ],\n"
				       "      'action': 'SCMP_ACT_ALLOW'\n"
				       "    }\n"
				       "  ],\n"
				       "  'flags': [\n"
				       "    'SECCOMP_FILTER_FLAG_LOG'\n"
				       "  ],\n"
				       "  'architectures': [\n"
				       "    'SCMP_ARCH_X86_64'\n"
				       "  ]\n"
				       "}\n";
	static const int seen[] = { 0, 39, 110 }; /* read, getpid, getppid */
	cleanup_free struct syscall_set *set = set_of(seen, 3, NULL, 0);
	cleanup_free char *base_text = errno_ret ? dq(base) :
						   without(base, "'defaultErrnoRet': 1, ");
	cleanup_free char *want = errno_ret ? dq(expected) :
					      without(expected, "'defaultErrnoRet': 1,\n  ");
	const char *label = errno_ret ? "a base with defaultErrnoRet" :
					"a base without defaultErrnoRet";
	cleanup_profile struct profile *p = parse_ok(base_text, label);
	cleanup_free char *out = NULL, *pfc = NULL;
	struct recording_summary sum = { 0 };
	struct error err = { 0 };
	const struct profile_rule *r;

	if (!p)
		return;
	ok(profile_mentions(p, "getppid"),
	   "%s: a rule with the singular `name` mentions its syscall", label);
	ok(profile_mentions(p, "getpid") && !profile_mentions(p, "read"),
	   "%s: profile_mentions: getpid yes, read no", label);
	if (!x86_64_host()) {
		skip("the recorded numbers are x86_64 ones; this host is not x86_64");
		return;
	}
	if (!is_int(recording_extend_profile(p, set, &sum, &err), 0,
		    "%s: the recording extends the base", label))
		diag("error: %s", err.msg);
	is_int(sum.names_added, 1, "%s: one recorded name is new", label);
	is_int(sum.names_in_base, 2, "%s: getpid and getppid are left as the base says", label);
	if (!is_int(p->n_rules, 4, "%s: the three base rules and one new rule", label))
		return;
	r = &p->rules[3];
	ok(r->n_names == 1 && strcmp(r->names[0], "read") == 0, "%s: the new rule names read only",
	   label);
	is_str(r->action, "SCMP_ACT_ALLOW", "%s: the new rule allows", label);
	ok(p->rules[0].has_errno_ret && p->rules[0].errno_ret == 38,
	   "%s: the base rule for getpid keeps errnoRet 38", label);
	out = serialize(p, label);
	is_str(out, want,
	       "%s: fields, rules and unknown fields keep their order; the new rule is last",
	       label);

	pfc = compile(p, NULL, label);
	like(pfc, "action ERRNO(38);", "%s: getpid still fails with errno 38 in the filter", label);
}

/* The filter of @text (with ' for ") exported as BPF; NULL when it does not compile. */
static char *bpf_of(const char *text, size_t *len)
{
	cleanup_free char *doc = dq(text);
	cleanup_profile struct profile *p = NULL;
	struct error err = { 0 };
	scmp_filter_ctx ctx;
	char *out;

	if (profile_parse(doc, strlen(doc), WHAT, &p, &err) < 0 ||
	    profile_build_filter(p, &ctx, NULL, &err) < 0) {
		diag("%s", err.msg);
		return NULL;
	}
	out = export_filter(ctx, false, len);
	seccomp_release(ctx);
	return out;
}

static void test_filter(void)
{
	cleanup_profile struct profile *p = parse_ok(
		"{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86_64'],"
		" 'syscalls': [{'names': ['read', 'write'], 'action': 'SCMP_ACT_ALLOW'},"
		" {'names': ['getpid'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38},"
		" {'names': ['mmap'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		" {'index': 2, 'value': 1, 'op': 'SCMP_CMP_EQ'},"
		" {'index': 2, 'value': 3, 'op': 'SCMP_CMP_EQ'}]}]}",
		"a valid profile");
	cleanup_profile struct profile *docker = parse_ok(
		"{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1, 'archMap': ["
		" {'architecture': 'SCMP_ARCH_X86_64',"
		" 'subArchitectures': ['SCMP_ARCH_X86', 'SCMP_ARCH_X32']},"
		" {'architecture': 'SCMP_ARCH_AARCH64', 'subArchitectures': ['SCMP_ARCH_ARM']}],"
		" 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW'}]}",
		"a Docker profile with archMap");
	cleanup_profile struct profile *unknown =
		parse_ok("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['read',"
			 " 'not_a_syscall_xyz'], 'action': 'SCMP_ACT_ALLOW'}]}",
			 "a profile naming not_a_syscall_xyz");
	cleanup_profile struct profile *notify = parse_ok("{'defaultAction': 'SCMP_ACT_NOTIFY'}",
							  "defaultAction SCMP_ACT_NOTIFY");
	cleanup_free char *pfc = NULL, *docker_pfc = NULL, *unknown_pfc = NULL;
	cleanup_free char *with = NULL, *without = NULL, *allow_pfc = NULL;
	size_t n_unknown = 99, with_len = 0, without_len = 0;
	struct error err = { 0 };
	scmp_filter_ctx ctx = NULL;

	pfc = compile(p, &n_unknown, "a valid profile");
	is_int(n_unknown, 0, "a valid profile has no unknown names");
	like(pfc, "# filter for syscall \"write\"", "the filter has a rule for write");
	like(pfc, "action ERRNO(38);", "the filter fails getpid with errno 38");
	like(pfc, "# default action\n  action ERRNO(1);", "the default errno is EPERM");

	if (docker) {
		ok(docker->has_arch_map, "archMap is recognised");
		/* As runc and podman read it: the host's entry, with its subArchitectures. */
		ok(docker->n_arches == 3 && profile_has_arch(docker, "SCMP_ARCH_X86_64") &&
			   profile_has_arch(docker, "SCMP_ARCH_X86") &&
			   profile_has_arch(docker, "SCMP_ARCH_X32") &&
			   !profile_has_arch(docker, "SCMP_ARCH_ARM"),
		   "the host's archMap entry and its subArchitectures are listed, no other's");
	}
	docker_pfc = compile(docker, NULL, "a Docker profile with archMap");
	like(docker_pfc, "# filter for arch x86 (", "the archMap filter covers x86");
	like(docker_pfc, "# filter for arch x32 (", "the archMap filter covers x32");
	unlike(docker_pfc, "# filter for arch aarch64 (", "... and no other host's architecture");

	/* A rule with the default's action would be refused by libseccomp: it is left out. */
	with = bpf_of("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
		      " {'names': ['read'], 'action': 'SCMP_ACT_ALLOW'},"
		      " {'names': ['getpid'], 'action': 'SCMP_ACT_ERRNO'},"
		      " {'names': ['getppid'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 1}]}",
		      &with_len);
	without = bpf_of("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
			 " {'names': ['read'], 'action': 'SCMP_ACT_ALLOW'}]}",
			 &without_len);
	ok(with != NULL, "rules whose action is the default compile");
	ok(with && without && with_len == without_len && memcmp(with, without, with_len) == 0,
	   "rules whose action is the default leave the BPF program unchanged");
	{
		cleanup_profile struct profile *allow = parse_ok(
			"{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'],"
			" 'action': 'SCMP_ACT_ALLOW'}, {'names': ['ptrace'], 'action': "
			"'SCMP_ACT_KILL'}]}",
			"an allow-by-default profile");

		allow_pfc = compile(allow, NULL, "an allow-by-default profile with an allow rule");
		unlike(allow_pfc, "syscall \"read\"", "the allow rule is not in the filter");
		like(allow_pfc, "syscall \"ptrace\"", "the kill rule is in the filter");
	}

	n_unknown = 99;
	unknown_pfc = compile(unknown, &n_unknown, "a profile naming not_a_syscall_xyz");
	is_int(n_unknown, 1, "not_a_syscall_xyz is counted as unknown");
	like(unknown_pfc, "syscall \"read\"", "the known name of the rule is in the filter");

	if (notify) {
		is_int(profile_build_filter(notify, &ctx, NULL, &err), -1,
		       "defaultAction SCMP_ACT_NOTIFY does not compile");
		like(err.msg, "SCMP_ACT_NOTIFY needs a supervisor", "and the message says why");
	}
}

static void test_round_trip(void)
{
	static const char base[] =
		"{'comment': 'kept', 'defaultAction': 'SCMP_ACT_ERRNO', 'x-empty': [], 'x-obj': {},"
		" 'x-float': 1.50, 'x-bool': true, 'x-null': null, 'syscalls': ["
		" {'names': ['ioctl'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
		" {'index': 1, 'value': 18446744073709551615, 'valueTwo': 18446744073709551615,"
		" 'op': 'SCMP_CMP_MASKED_EQ'}]},"
		" {'names': ['read'], 'name': 'write', 'action': 'SCMP_ACT_ALLOW'}],"
		" 'archMap': [{'architecture': 'SCMP_ARCH_X86_64', 'subArchitectures': null}]}";
	static const int seen[] = { 0, 1, 39 }, seen_compat[] = { 20 }; /* getpid */
	cleanup_free struct syscall_set *set = set_of(seen, 3, seen_compat, 1);
	cleanup_profile struct profile *p = parse_ok(base, "a base with u64 arguments");
	cleanup_profile struct profile *again = NULL;
	cleanup_profile struct profile *fresh = profile_new();
	cleanup_profile struct profile *fresh2 = NULL;
	cleanup_free char *first = NULL, *second = NULL, *f1 = NULL, *f2 = NULL;
	struct recording_summary sum;
	struct error err = { 0 };

	if (!p || !fresh)
		return;
	if (!x86_64_host()) {
		skip("the recorded numbers are x86_64 and i386 ones; this host is not x86_64");
		return;
	}
	is_uint(p->rules[0].args[0].value_two, UINT64_MAX,
		"valueTwo 18446744073709551615 is exact");
	ok(p->rules[1].n_names == 2 && strcmp(p->rules[1].names[1], "write") == 0,
	   "`names` and `name` of one rule are both read");
	recording_extend_profile(p, set, &sum, &err);
	is_int(sum.names_added, 1, "of read, write, getpid only getpid is new");
	ok(!profile_has_arch(p, "SCMP_ARCH_X86"),
	   "an archMap profile gets no i386 from a recording");
	first = serialize(p, "a base with u64 arguments, extended");
	unlike(first, "\"architectures\"", "an archMap profile is written without architectures");
	if (first && profile_parse(first, strlen(first), WHAT, &again, &err) < 0)
		diag("the output does not parse: %s", err.msg);
	second = serialize(again, "round trip 2");
	is_str(second, first, "serialize, parse, serialize gives the same bytes");
	like(first, "\"value\": 18446744073709551615,", "a u64 argument value is written exactly");
	like(first, "\"names\": [\n        \"read\"\n      ],\n      \"name\": \"write\"",
	     "`names` and `name` are written back separately");

	recording_extend_profile(fresh, set, &sum, &err);
	f1 = serialize(fresh, "a new profile");
	if (f1 && profile_parse(f1, strlen(f1), WHAT, &fresh2, &err) < 0)
		diag("the output does not parse: %s", err.msg);
	f2 = serialize(fresh2, "a new profile read back");
	is_str(f2, f1, "a new profile reads back to the same bytes");
}

static void test_save(const char *dir)
{
	cleanup_profile struct profile *p = profile_new();
	cleanup_profile struct profile *notify = NULL;
	cleanup_free char *path = NULL, *bad = NULL, *text = NULL, *text2 = NULL;
	cleanup_free char *expected = NULL;
	struct error err = { 0 };
	struct stat st;
	size_t len;
	int ret;

	if (asprintf(&path, "%s/out.json", dir) < 0 || asprintf(&bad, "%s/bad.json", dir) < 0)
		return;
	umask(077);
	ret = profile_save(p, path, FS_LINKS_NONE, &err);
	if (!is_int(ret, 0, "profile_save writes a new profile"))
		diag("error: %s", err.msg);
	ok(stat(path, &st) == 0, "the profile file exists");
	is_mode(st.st_mode & 07777, 0644, "the profile file is 0644 whatever the umask");
	fs_read_file(path, FS_LINKS_NONE, 1 << 20, &text, &len, &err);
	expected = serialize(p, "the saved profile");
	is_str(text, expected, "the file holds the serialized profile");

	text2 = dq("{'defaultAction': 'SCMP_ACT_NOTIFY'}");
	profile_parse(text2, strlen(text2), WHAT, &notify, &err);
	if (!notify) {
		ok(false, "a SCMP_ACT_NOTIFY profile parses: %s", err.msg);
		return;
	}
	is_int(profile_save(notify, bad, FS_LINKS_NONE, &err), -1,
	       "profile_save refuses a profile that does not compile");
	like(err.msg, "does not compile", "the message says it does not compile");
	ok(access(bad, F_OK) < 0, "no file is written for it");
}

/* The writer stays within the reader's limits: what is written always reads back. */
static void test_writer_limits(void)
{
	cleanup_profile struct profile *p = profile_new();
	static char *const names[] = { "read" };
	struct error err = { 0 };
	int ret = 0;

	if (!p)
		return;
	for (int i = 0; i < PROFILE_MAX_RULES && ret == 0; i++)
		ret = profile_add_rule(p, "SCMP_ACT_ALLOW", names, 1, &err);
	is_int(ret, 0, "%d rules can be added", PROFILE_MAX_RULES);
	is_int(profile_add_rule(p, "SCMP_ACT_ALLOW", names, 1, &err), -1, "rule %d is refused",
	       PROFILE_MAX_RULES + 1);
	like(err.msg, "4096 rules already", "the message says the limit");
	is_int((int)p->n_rules, PROFILE_MAX_RULES, "the profile keeps %d rules", PROFILE_MAX_RULES);
}

/* A document under construction: a profile's head, then its rules, each from printf. */
struct doc {
	FILE *f;
	char *text;
	size_t len;
	int rules;
};

static void doc_begin(struct doc *d)
{
	memset(d, 0, sizeof(*d));
	d->f = open_memstream(&d->text, &d->len);
	if (d->f)
		fputs("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
		      "[\"SCMP_ARCH_X86_64\", "
		      "\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"], \"syscalls\": [",
		      d->f);
}

/* A rule allowing @name under the conditions @args (JSON objects, comma-separated; ' for "). */
static void doc_rule(struct doc *d, const char *name, const char *args)
{
	cleanup_free char *text = dq(args);

	if (d->f && text)
		fprintf(d->f,
			"%s{\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [%s]}",
			d->rules++ ? ", " : "", name, text);
}

/* @n rules for @name, each comparing argument @index for equality with its own value. */
static void doc_eq_rules(struct doc *d, const char *name, int index, int n)
{
	char arg[128];

	for (int i = 0; i < n; i++) {
		snprintf(arg, sizeof(arg),
			 "{\"index\": %d, \"value\": %d, \"op\": \"SCMP_CMP_EQ\"}", index,
			 1000 + i);
		doc_rule(d, name, arg);
	}
}

/* A rule comparing all six arguments of @name, each with SCMP_CMP_NE. */
static void doc_multi_rule(struct doc *d, const char *name, int seed)
{
	char args[1024];
	size_t n = 0;

	for (int i = 0; i < 6; i++)
		n += (size_t)snprintf(args + n, sizeof(args) - n,
				      "%s{\"index\": %d, \"value\": %d, \"op\": \"SCMP_CMP_NE\"}",
				      i ? ", " : "", i, seed * 16 + i);
	doc_rule(d, name, args);
}

static char *doc_end(struct doc *d)
{
	if (!d->f)
		return NULL;
	fputs("]}", d->f);
	fclose(d->f);
	d->f = NULL;
	return d->text;
}

/* The document must be refused, with a message holding @needle. */
static void doc_refused(struct doc *d, const char *needle, const char *desc)
{
	cleanup_free char *text = doc_end(d);

	if (text)
		refuse_len(text, strlen(text), needle, desc);
}

/* The document must parse and compile; how long libseccomp took is shown, not judged. */
static void doc_compiles(struct doc *d, const char *desc)
{
	cleanup_free char *text = doc_end(d);
	cleanup_profile struct profile *p = NULL;
	struct error err = { 0 };
	double start;

	if (!text || !is_int(profile_parse(text, strlen(text), WHAT, &p, &err), 0,
			     "%s: within the limits", desc)) {
		diag("error: %s", err.msg);
		return;
	}
	start = now();
	if (!is_int(profile_check_compiles(p, "t.json", &err), 0, "%s: compiles", desc))
		diag("error: %s", err.msg);
	diag("%s: compiled in %.3f s", desc, now() - start);
}

/* Each limit on argument rules: the profile at the limit compiles, one past it is refused. */

/* The rule comparing five arguments that a hill-climbing search found slowest to compile. */
#define SLOW_MULTI_ARG_RULE                                        \
	"{'index': 0, 'value': 9, 'op': 'SCMP_CMP_LE'}, "          \
	"{'index': 1, 'value': 1, 'op': 'SCMP_CMP_NE'}, "          \
	"{'index': 2, 'value': 1, 'op': 'SCMP_CMP_NE'}, "          \
	"{'index': 3, 'value': 2147483648, 'op': 'SCMP_CMP_LT'}, " \
	"{'index': 4, 'value': 724077870, 'valueTwo': 1, 'op': 'SCMP_CMP_MASKED_EQ'}"

static void test_arg_rule_limits(void)
{
	struct doc d;
	char arg[256];

	doc_begin(&d);
	doc_eq_rules(&d, "ioctl", 1, PROFILE_MAX_CALL_ARG_RULES);
	doc_compiles(&d, "64 argument rules for one call");
	doc_begin(&d);
	doc_eq_rules(&d, "ioctl", 1, PROFILE_MAX_CALL_ARG_RULES + 1);
	doc_refused(&d, "has 65 argument rules for `ioctl`; the limit is 64",
		    "65 argument rules for one call");

	/* A rule that compares one index twice is one rule per condition, as runc adds it. */
	doc_begin(&d);
	for (int i = 0; i < 11; i++) {
		char args[512];
		size_t n = 0;

		for (int j = 0; j < 6; j++)
			n += (size_t)
				snprintf(args + n, sizeof(args) - n,
					 "%s{\"index\": 1, \"value\": %d, \"op\": \"SCMP_CMP_EQ\"}",
					 j ? ", " : "", i * 6 + j);
		doc_rule(&d, "ioctl", args);
	}
	doc_refused(&d, "has 66 argument rules for `ioctl`; the limit is 64",
		    "11 rules of 6 alternatives for one index: 66 argument rules");

	/* 2 rules ahead of the last rule comparing several arguments (the first such rule one). */
	doc_begin(&d);
	doc_eq_rules(&d, "socket", 1, PROFILE_MAX_CALL_RULES_BEFORE_MULTI - 1);
	for (int i = 0; i < PROFILE_MAX_MULTI_ARG_RULES; i++)
		doc_multi_rule(&d, "socket", i);
	doc_eq_rules(&d, "socket", 0,
		     PROFILE_MAX_CALL_ARG_RULES - PROFILE_MAX_CALL_RULES_BEFORE_MULTI - 1);
	doc_compiles(&d, "a rule, 2 comparing 6 arguments, 61 more: 64 for one call");
	doc_begin(&d);
	doc_eq_rules(&d, "socket", 0, PROFILE_MAX_CALL_RULES_BEFORE_MULTI + 1);
	doc_multi_rule(&d, "socket", 0);
	doc_refused(&d,
		    "has 3 argument rules for `socket` ahead of a rule that compares several "
		    "arguments at once; the limit is 2",
		    "3 rules ahead of one comparing several arguments, for one call");

	/*
	 * Past that limit by 3, 3.8 s: the smallest slow profile found by a search (random
	 * profiles, then hill-climbing on libseccomp's time). It is refused at once.
	 */
	doc_begin(&d);
	doc_rule(&d, "socket", "{'index': 5, 'value': 9223372036854775808, 'op': 'SCMP_CMP_LT'}");
	doc_rule(&d, "socket", "{'index': 2, 'value': 2147483648, 'op': 'SCMP_CMP_LT'}");
	doc_rule(&d, "socket", "{'index': 5, 'value': 1, 'op': 'SCMP_CMP_LT'}");
	doc_rule(&d, "socket", "{'index': 5, 'value': 6, 'op': 'SCMP_CMP_NE'}");
	doc_rule(&d, "socket", "{'index': 4, 'value': 0, 'op': 'SCMP_CMP_LE'}");
	doc_rule(&d, "socket", SLOW_MULTI_ARG_RULE);
	doc_refused(&d,
		    "has 5 argument rules for `socket` ahead of a rule that compares several "
		    "arguments at once; the limit is 2",
		    "the 6 rules that took libseccomp 3.8 s");
	/* The same with 2 rules ahead, the most whose time the search found: a millisecond. */
	doc_begin(&d);
	doc_rule(&d, "socket", "{'index': 5, 'value': 6, 'op': 'SCMP_CMP_NE'}");
	doc_rule(&d, "socket", "{'index': 4, 'value': 0, 'op': 'SCMP_CMP_LE'}");
	doc_rule(&d, "socket", SLOW_MULTI_ARG_RULE);
	doc_compiles(&d, "those rules with 2 ahead of the last");

	doc_begin(&d);
	for (int i = 0; i < PROFILE_MAX_CALL_WIDE_VALUES; i++) {
		snprintf(arg, sizeof(arg),
			 "{\"index\": %d, \"value\": %llu, \"op\": \"SCMP_CMP_GT\"}", i,
			 (unsigned long long)0x123456789ULL * (unsigned long long)(i + 1));
		doc_rule(&d, "prctl", arg);
	}
	doc_eq_rules(&d, "prctl", 5, PROFILE_MAX_CALL_ARG_RULES - PROFILE_MAX_CALL_WIDE_VALUES);
	doc_compiles(&d, "4 values above 32 bits among 64 argument rules for one call");
	doc_begin(&d);
	for (int i = 0; i < PROFILE_MAX_CALL_WIDE_VALUES; i++) {
		snprintf(arg, sizeof(arg),
			 "{\"index\": %d, \"value\": %llu, \"op\": \"SCMP_CMP_GT\"}", i,
			 (unsigned long long)0x123456789ULL * (unsigned long long)(i + 1));
		doc_rule(&d, "prctl", arg);
	}
	doc_rule(&d, "prctl",
		 "{\"index\": 5, \"value\": 255, \"valueTwo\": 4294967296, "
		 "\"op\": \"SCMP_CMP_MASKED_EQ\"}");
	doc_refused(&d, "has 5 argument values for `prctl` above 32 bits; the limit is 4",
		    "5 values above 32 bits for one call (a mask's among them)");

	doc_begin(&d);
	for (int c = 0; c < PROFILE_MAX_ARG_RULES / PROFILE_MAX_CALL_ARG_RULES; c++)
		doc_eq_rules(&d, (const char *[]){ "ioctl", "prctl", "fcntl", "personality" }[c],
			     c % 6, PROFILE_MAX_CALL_ARG_RULES);
	doc_compiles(&d, "256 argument rules, 64 for each of 4 calls");
	doc_begin(&d);
	for (int c = 0; c < 5; c++)
		doc_eq_rules(&d,
			     (const char *[]){ "ioctl", "prctl", "fcntl", "personality",
					       "kill" }[c],
			     c, 52);
	doc_refused(&d, "has 260 argument rules; the limit is 256", "260 argument rules in all");
	doc_begin(&d);
	{
		char names[8192];
		size_t n = 0;

		for (int i = 0; i <= PROFILE_MAX_ARG_RULES; i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s\"call%d\"",
					      i ? ", " : "", i);
		fprintf(d.f,
			"{\"names\": [%s], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			"[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}",
			names);
	}
	doc_refused(&d, "has 257 argument rules; the limit is 256",
		    "one rule with an argument and 257 names: 257 argument rules");

	doc_begin(&d);
	for (int i = 0; i < PROFILE_MAX_MULTI_ARG_RULES; i++)
		doc_multi_rule(&d, (const char *[]){ "socket", "ioctl" }[i], i);
	doc_compiles(&d, "2 rules comparing 6 arguments, on 2 calls");
	doc_begin(&d);
	for (int i = 0; i < PROFILE_MAX_MULTI_ARG_RULES + 1; i++)
		doc_multi_rule(&d, (const char *[]){ "socket", "ioctl", "socket" }[i], i);
	doc_refused(&d, "has 3 rules that compare several arguments at once; the limit is 2",
		    "3 rules comparing several arguments in all");
}

/* The shape of the report: 4000 argument rules, refused at once. */
static void test_hostile_profile(void)
{
	struct doc d;
	double start;

	doc_begin(&d);
	for (int i = 0; i < 4000; i++) {
		char args[256];

		snprintf(args, sizeof(args),
			 "{\"index\": 0, \"value\": %d, \"op\": \"SCMP_CMP_EQ\"}, "
			 "{\"index\": 1, \"value\": %d, \"op\": \"SCMP_CMP_NE\"}",
			 i, i * 7);
		doc_rule(&d, "socket", args);
	}
	start = now();
	doc_refused(&d, "has 4000 argument rules; the limit is 256",
		    "4000 argument rules for socket");
	ok(now() - start < 1.0, "the profile of 4000 argument rules is refused within 1 s (%.3f s)",
	   now() - start);
}

/*
 * The second bound: a profile past the limits, built in memory (as merge or a recording could
 * build one), is stopped after PROFILE_COMPILE_CPU_SECONDS of CPU time by
 * profile_compile_bounded, and refused by profile_check_compiles before any compile.
 */
static void test_compile_bound(void)
{
	cleanup_profile struct profile *p = profile_new();
	struct error err = { 0 };
	double start, took;
	int ret = 0;

	if (!p || profile_add_arch(p, "SCMP_ARCH_X86_64", &err) < 0)
		return;
	/* Eight rules comparing six arguments each: libseccomp 2.5 runs for minutes. */
	for (int i = 0; i < 8 && ret == 0; i++) {
		struct profile_arg args[6];

		for (int j = 0; j < 6; j++)
			args[j] = (struct profile_arg){ .index = (uint32_t)j,
							.value = (uint64_t)(i * 16 + j),
							.op = SCMP_CMP_NE };
		ret = profile_add_arg_rule(p, "SCMP_ACT_ALLOW", "socket", args, 6, &err);
	}
	if (!is_int(ret, 0, "a profile of 8 rules comparing 6 arguments is built in memory"))
		return;
	is_int(profile_check_compiles(p, "slow.json", &err), -1,
	       "profile_check_compiles refuses it before compiling");
	like(err.msg,
	     "profile for `slow.json` has 8 rules that compare several arguments at once; "
	     "the limit is 2",
	     "the message names the profile and the limit");
	start = now();
	ret = profile_compile_bounded(p, "slow.json", &err);
	took = now() - start;
	is_int(ret, -1, "compiled anyway, it is stopped");
	like(err.msg,
	     "profile for `slow.json`: libseccomp did not compile it within 3 s of CPU time",
	     "the message says the compile took too long");
	ok(took < PROFILE_COMPILE_WALL_MS / 1000.0 + 1, "it is stopped within the bound (%.1f s)",
	   took);
}

/* Realistic profiles stay well within the limits. */
static void test_realistic_profiles(void)
{
	static const char *const calls[] = { "socket", "socketpair", "personality", "clone",
					     "prctl",  "ioctl",	     "mmap",	    "mprotect" };
	static const char *const podman = "/usr/share/containers/seccomp.json";
	cleanup_profile struct profile *p = NULL;
	struct error err = { 0 };
	struct doc d;

	if (access(podman, R_OK) == 0) {
		if (!is_int(profile_read_file(podman, FS_LINKS_FOLLOW_DIRS, &p, &err), 0,
			    "podman's default profile is within the limits"))
			diag("error: %s", err.msg);
	} else {
		diag("no %s here: podman's default profile is not tried", podman);
	}
	/* podman's (and Docker's) argument rules, with 16 recorded values for each of 8 calls. */
	doc_begin(&d);
	doc_rule(&d, "socket",
		 "{\"index\": 0, \"value\": 16, \"op\": \"SCMP_CMP_EQ\"}, "
		 "{\"index\": 2, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"}");
	doc_rule(&d, "socket", "{\"index\": 2, \"value\": 9, \"op\": \"SCMP_CMP_NE\"}");
	doc_rule(&d, "socket", "{\"index\": 0, \"value\": 16, \"op\": \"SCMP_CMP_NE\"}");
	doc_rule(&d, "socket", "{\"index\": 2, \"value\": 9, \"op\": \"SCMP_CMP_NE\"}");
	for (int v = 0; v < 5; v++) {
		char arg[128];

		snprintf(arg, sizeof(arg), "{\"index\": 0, \"value\": %d, \"op\": \"SCMP_CMP_EQ\"}",
			 (int[]){ 0, 8, 131072, 131080, -1 }[v] & 0x7fffffff);
		doc_rule(&d, "personality", arg);
	}
	doc_rule(&d, "clone",
		 "{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0, "
		 "\"op\": \"SCMP_CMP_MASKED_EQ\"}");
	for (size_t c = 0; c < sizeof(calls) / sizeof(calls[0]); c++)
		doc_eq_rules(&d, calls[c], strcmp(calls[c], "ioctl") == 0 ? 1 : 0, 16);
	doc_compiles(&d, "podman's argument rules and 16 recorded values for 8 calls");
}

int main(void)
{
	cleanup_free char *dir = tap_mkdtemp("profile");

	test_writer_limits();

	test_minimal();
	test_refusals();
	if (dir)
		test_no_content_in_messages(dir);
	test_determinism();
	test_recording_corners();
	test_base(false);
	test_base(true);
	test_filter();
	test_round_trip();
	test_arg_rule_limits();
	test_hostile_profile();
	test_realistic_profiles();
	test_compile_bound();
	if (dir) {
		test_save(dir);
		if (tap_rmtree(dir) < 0)
			diag("could not remove %s", dir);
	}
	return done_testing();
}
