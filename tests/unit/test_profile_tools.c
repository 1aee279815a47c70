// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the profile tools: SeccompProfile names and format, diff, merge. */
#include "tap.h"
#include <stdint.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "profile/profile.h"
#include "profile/profile_diff.h"
#include "profile/profile_format.h"
#include "profile/profile_merge.h"
#include "profile/profile_variant.h"
#include "profile/syscalls.h"

#define WHAT "profile `t.json`"
#define X86_64 "SCMP_ARCH_X86_64"
#define X86 "SCMP_ARCH_X86"

/* Test documents are written with ' for " to stay readable; none needs a real '. */
static char *dq(const char *text)
{
	char *s = strdup(text);

	for (char *c = s; c && *c; c++)
		if (*c == '\'')
			*c = '"';
	return s;
}

/* Parse @text (with ' for "), which the test expects to be a valid profile of either format. */
static struct profile *parse_ok(const char *text, const char *desc)
{
	cleanup_free char *doc = dq(text);
	struct profile *p = NULL;
	struct error err = { 0 };
	int ret = profile_parse_any(doc, strlen(doc), WHAT, &p, NULL, &err);

	if (!is_int(ret, 0, "%s: parses", desc))
		diag("error: %s", err.msg);
	return ret == 0 ? p : NULL;
}

static char *serialize_as(const struct profile *p, enum profile_format fmt, const char *name,
			  struct error *err)
{
	char *out = NULL;
	size_t len;

	if (!p || profile_serialize_as(p, fmt, name, &out, &len, err) < 0)
		return NULL;
	return out;
}

#define DENY(arches, rules)                                                              \
	"{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': [" arches "], 'syscalls': [" \
	rules "]}"
#define ALLOW(names) "{'names': [" names "], 'action': 'SCMP_ACT_ALLOW'}"

static bool x86_64_host(void)
{
	return syscalls_native_arch() == SCMP_ARCH_X86_64;
}

/* --- names and formats ----------------------------------------------------------------- */

static void check_sanitize(const char *in, const char *expected)
{
	cleanup_free char *got = profile_spo_name_sanitize(in);

	is_str(got, expected, "`%s` is sanitized to %s", in, expected ? expected : "nothing");
	if (got)
		ok(profile_spo_name_valid(got), "the name made of `%s` is valid", in);
}

static void test_names(void)
{
	static const char *const valid[] = { "a", "p", "my-profile", "a.b", "0x1", "a-b.c-d" };
	static const char *const invalid[] = { "",  "A",  "-a", "a-", ".a", "a.", "a..b",
					       "a_b", "a b", "a.-b", "a-.b", "é" };
	char long_name[300];
	cleanup_free char *longest = NULL, *from_path = NULL, *from_yaml = NULL;
	cleanup_free char *kept = NULL, *none = NULL;
	struct error err = { 0 };
	enum profile_format fmt;

	for (size_t i = 0; i < sizeof(valid) / sizeof(*valid); i++)
		ok(profile_spo_name_valid(valid[i]), "`%s` is a DNS-1123 subdomain", valid[i]);
	for (size_t i = 0; i < sizeof(invalid) / sizeof(*invalid); i++)
		ok(!profile_spo_name_valid(invalid[i]), "`%s` is not a DNS-1123 subdomain",
		   invalid[i]);

	check_sanitize("My_Profile", "my-profile");
	check_sanitize("already-valid.name", "already-valid.name");
	check_sanitize("__x__", "x");
	check_sanitize("a..b", "a.b");
	check_sanitize("-a-.b-", "a.b");
	check_sanitize("web server (v2)", "web-server-v2");
	check_sanitize("a--b", "a--b");
	check_sanitize("A__B", "a-b");
	check_sanitize("___", NULL);
	check_sanitize("...", NULL);

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	long_name[252] = '-'; /* the cut would end on a '-': it goes too */
	longest = profile_spo_name_sanitize(long_name);
	ok(longest && strlen(longest) == 252 && profile_spo_name_valid(longest),
	   "a 299-character name is cut to at most 253 and stays valid");

	ok(profile_spo_name_for(NULL, "/tmp/dir.d/My_App.seccomp.json", &from_path, &err) == 0,
	   "a name is made of a path");
	is_str(from_path, "my-app.seccomp", "the file name without its extension, sanitized");
	ok(profile_spo_name_for(NULL, "out.yaml", &from_yaml, &err) == 0 &&
		   strcmp(from_yaml, "out") == 0,
	   "out.yaml gives the name `out`");
	ok(profile_spo_name_for("given", "whatever.yaml", &kept, &err) == 0 &&
		   strcmp(kept, "given") == 0,
	   "an explicit name wins over the path");
	is_int(profile_spo_name_for("Bad_Name", "x.yaml", &none, &err), -1,
	       "an explicit name that is not a DNS-1123 subdomain is refused, not changed");
	like(err.msg, "`Bad_Name` is not a DNS-1123 subdomain", "the message names it and why");
	is_int(profile_spo_name_for(NULL, "/tmp/___.yaml", &none, &err), -1,
	       "a file name with nothing to make a name of is refused");
	like(err.msg, "--name", "the message says to give --name");

	is_int(profile_format_for_path("p.yaml"), PROFILE_FORMAT_SPO, ".yaml chooses spo");
	is_int(profile_format_for_path("P.YML"), PROFILE_FORMAT_SPO, ".YML chooses spo");
	is_int(profile_format_for_path("p.json"), PROFILE_FORMAT_OCI, ".json is oci");
	is_int(profile_format_for_path("yaml"), PROFILE_FORMAT_OCI, "a file named yaml is oci");
	ok(profile_format_parse("spo", &fmt) == 0 && fmt == PROFILE_FORMAT_SPO, "`spo` parses");
	ok(profile_format_parse("spo-v1beta1", &fmt) == 0 && fmt == PROFILE_FORMAT_SPO_V1BETA1,
	   "`spo-v1beta1` parses");
	ok(profile_format_parse("oci", &fmt) == 0 && fmt == PROFILE_FORMAT_OCI, "`oci` parses");
	is_int(profile_format_parse("yaml", &fmt), -1, "`yaml` is not a format");
}

/* --- SeccompProfile -------------------------------------------------------------------- */

static bool same_rules(const struct profile *a, const struct profile *b)
{
	if (a->n_rules != b->n_rules)
		return false;
	for (size_t i = 0; i < a->n_rules; i++) {
		const struct profile_rule *x = &a->rules[i], *y = &b->rules[i];

		if (strcmp(x->action, y->action) || x->n_names != y->n_names ||
		    x->has_errno_ret != y->has_errno_ret || x->errno_ret != y->errno_ret ||
		    x->n_args != y->n_args)
			return false;
		for (size_t j = 0; j < x->n_names; j++)
			if (strcmp(x->names[j], y->names[j]))
				return false;
		for (size_t j = 0; j < x->n_args; j++)
			if (x->args[j].index != y->args[j].index ||
			    x->args[j].value != y->args[j].value ||
			    x->args[j].value_two != y->args[j].value_two ||
			    x->args[j].op != y->args[j].op)
				return false;
	}
	return true;
}

static void test_spo_round_trip(void)
{
	cleanup_profile struct profile *p = parse_ok(
		"{'comment': 'dropped', 'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1,"
		" 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'], 'flags': ['SECCOMP_FILTER_FLAG_LOG'],"
		" 'syscalls': [{'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38},"
		" {'names': ['personality'], 'action': 'SCMP_ACT_ALLOW', 'comment': 'x', 'args': ["
		"  {'index': 0, 'value': 8, 'valueTwo': 0, 'op': 'SCMP_CMP_EQ'}]},"
		" {'names': [], 'action': 'SCMP_ACT_LOG'},"
		" {'names': ['read', 'write'], 'name': 'getcpu', 'action': 'SCMP_ACT_ALLOW'}]}",
		"an OCI profile with every kind of rule");
	cleanup_profile struct profile *back = NULL, *again = NULL;
	cleanup_free char *spo = NULL, *spo2 = NULL, *beta = NULL;
	struct error err = { 0 };
	enum profile_format fmt = PROFILE_FORMAT_OCI;

	if (!p)
		return;
	spo = serialize_as(p, PROFILE_FORMAT_SPO, "probe", &err);
	if (!ok(spo != NULL, "the profile is written as a SeccompProfile"))
		diag("error: %s", err.msg);
	like(spo, "{\n  \"apiVersion\": \"security-profiles-operator.x-k8s.io/v1\",\n"
		  "  \"kind\": \"SeccompProfile\",\n  \"metadata\": {\n    \"name\": \"probe\"\n"
		  "  },\n  \"spec\": {\n    \"defaultAction\": \"SCMP_ACT_ERRNO\",\n",
	     "apiVersion v1, kind, metadata.name, then the spec");
	unlike(spo, "defaultErrnoRet",
	       "no defaultErrnoRet (the CRD has none; EPERM is its default)");
	unlike(spo, "comment", "fields the CRD does not define are dropped");
	unlike(spo, "\"name\": \"getcpu\"", "the singular `name` joins `names`");
	like(spo, "\"errnoRet\": 38", "errnoRet is kept");
	like(spo, "\"flags\": [\n      \"SECCOMP_FILTER_FLAG_LOG\"\n    ]", "flags are kept");
	unlike(spo, "SCMP_ACT_LOG", "a rule without names is dropped (the CRD wants one)");

	if (spo && profile_parse_any(spo, strlen(spo), WHAT, &back, &fmt, &err) < 0)
		diag("the SeccompProfile does not parse back: %s", err.msg);
	is_int(fmt, PROFILE_FORMAT_SPO, "it is read back as a v1 SeccompProfile");
	if (!back)
		return;
	is_str(back->default_action, "SCMP_ACT_ERRNO", "defaultAction read back");
	ok(back->n_arches == 2 && strcmp(back->arches[0], X86_64) == 0 &&
		   strcmp(back->arches[1], X86) == 0,
	   "architectures read back in order");
	is_int(back->n_rules, 3, "three rules read back (the empty one was dropped)");
	{
		/* The same profile without the rule that matched nothing. */
		cleanup_profile struct profile *want = parse_ok(
			"{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
			" {'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38},"
			" {'names': ['personality'], 'action': 'SCMP_ACT_ALLOW', 'args': ["
			"  {'index': 0, 'value': 8, 'op': 'SCMP_CMP_EQ'}]},"
			" {'names': ['read', 'write', 'getcpu'], 'action': 'SCMP_ACT_ALLOW'}]}",
			"the expected rules");

		ok(want && same_rules(back, want),
		   "SeccompProfile -> profile: the same rules, names, errnoRet and args");
	}
	spo2 = serialize_as(back, PROFILE_FORMAT_SPO, "probe", &err);
	is_str(spo2, spo, "serialize, parse, serialize gives the same bytes");

	beta = serialize_as(p, PROFILE_FORMAT_SPO_V1BETA1, "probe", &err);
	like(beta, "\"apiVersion\": \"security-profiles-operator.x-k8s.io/v1beta1\"",
	     "spo-v1beta1 writes apiVersion v1beta1");
	fmt = PROFILE_FORMAT_OCI;
	if (beta && profile_parse_any(beta, strlen(beta), WHAT, &again, &fmt, &err) < 0)
		diag("error: %s", err.msg);
	is_int(fmt, PROFILE_FORMAT_SPO_V1BETA1, "and is read back as v1beta1");
	ok(again && same_rules(again, back), "with the same rules");
}

static void refuse_spo(const char *text, enum profile_format fmt, const char *needle,
		       const char *desc)
{
	cleanup_profile struct profile *p = parse_ok(text, desc);
	cleanup_free char *out = NULL;
	struct error err = { 0 };

	out = serialize_as(p, fmt, "n", &err);
	ok(p && !out, "%s: not written as a SeccompProfile", desc);
	like(err.msg, needle, "%s: the message says why", desc);
}

static void test_spo_limits(void)
{
	cleanup_profile struct profile *map = parse_ok(
		"{'defaultAction': 'SCMP_ACT_ERRNO', 'archMap': [{'architecture': 'SCMP_ARCH_X86_64',"
		" 'subArchitectures': ['SCMP_ARCH_X86', 'SCMP_ARCH_X32']}]}",
		"an archMap profile");
	cleanup_profile struct profile *big = parse_ok(
		"{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['ioctl'], 'action':"
		" 'SCMP_ACT_ALLOW', 'args': [{'index': 1, 'value': 18446744073709551615,"
		" 'op': 'SCMP_CMP_MASKED_EQ'}]}]}",
		"an argument above 2^63-1");
	cleanup_free char *map_out = NULL, *beta = NULL, *bad_name = NULL;
	struct error err = { 0 };

	refuse_spo("{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38}", PROFILE_FORMAT_SPO,
		   "defaultErrnoRet", "defaultErrnoRet 38");
	refuse_spo(DENY("", "{'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 0}"),
		   PROFILE_FORMAT_SPO, "errnoRet 0", "errnoRet 0");
	refuse_spo("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [{'names': ['ioctl'], 'action':"
		   " 'SCMP_ACT_ALLOW', 'args': [{'index': 1, 'value': 18446744073709551615,"
		   " 'op': 'SCMP_CMP_MASKED_EQ'}]}]}",
		   PROFILE_FORMAT_SPO, "2^63-1", "an argument above 2^63-1 at v1");
	beta = serialize_as(big, PROFILE_FORMAT_SPO_V1BETA1, "n", &err);
	like(beta, "18446744073709551615",
	     "v1beta1 (uint64 values) takes an argument above 2^63-1");

	map_out = serialize_as(map, PROFILE_FORMAT_SPO, "n", &err);
	like(map_out,
	     "\"architectures\": [\n      \"SCMP_ARCH_X86_64\",\n      \"SCMP_ARCH_X86\",\n"
	     "      \"SCMP_ARCH_X32\"\n    ]",
	     "archMap becomes the list of its architectures");
	unlike(map_out, "archMap", "and is not written");
	bad_name = serialize_as(map, PROFILE_FORMAT_SPO, "Not_Valid", &err);
	ok(!bad_name, "an invalid metadata.name is never written");
}

static void refuse_any(const char *text, const char *needle, const char *desc)
{
	cleanup_free char *doc = dq(text);
	cleanup_profile struct profile *p = NULL;
	struct error err = { 0 };

	is_int(profile_parse_any(doc, strlen(doc), WHAT, &p, NULL, &err), -1, "%s: refused", desc);
	like(err.msg, needle, "%s: the message says why", desc);
	like(err.msg, WHAT, "%s: the message names the file", desc);
}

static void test_read_any(void)
{
	cleanup_profile struct profile *oci = NULL, *spo = NULL;
	enum profile_format fmt = PROFILE_FORMAT_SPO;
	struct error err = { 0 };
	static const char yaml[] = "apiVersion: security-profiles-operator.x-k8s.io/v1\n"
				   "kind: SeccompProfile\n";
	cleanup_free char *o = dq("{'defaultAction': 'SCMP_ACT_ERRNO'}");
	cleanup_free char *s = dq("{'apiVersion': 'security-profiles-operator.x-k8s.io/v1alpha1',"
				  " 'kind': 'SeccompProfile', 'metadata': {'name': 'x'},"
				  " 'spec': {'defaultAction': 'SCMP_ACT_KILL', 'baseProfileName': 'b'}}");

	ok(profile_parse_any(o, strlen(o), WHAT, &oci, &fmt, &err) == 0 &&
		   fmt == PROFILE_FORMAT_OCI,
	   "an OCI profile is read as one");
	ok(profile_parse_any(s, strlen(s), WHAT, &spo, &fmt, &err) == 0 &&
		   fmt == PROFILE_FORMAT_SPO_V1BETA1 &&
		   strcmp(spo->default_action, "SCMP_ACT_KILL") == 0,
	   "an older SeccompProfile is read (its spec)");
	refuse_any("{'apiVersion': 'v1', 'kind': 'ConfigMap', 'data': {}}", "not SeccompProfile",
		   "another kind");
	refuse_any("{'apiVersion': 'example.com/v1', 'kind': 'SeccompProfile', 'spec': {}}",
		   "apiVersion is not security-profiles-operator.x-k8s.io", "another group");
	refuse_any("{'apiVersion': 'security-profiles-operator.x-k8s.io/v1', 'kind': 'SeccompProfile'}",
		   "without a `spec` object", "no spec");
	refuse_any("{'apiVersion': 'security-profiles-operator.x-k8s.io/v1', 'kind': 'SeccompProfile',"
		   " 'spec': {'defaultAction': 'SCMP_ACT_NOPE'}}",
		   "`defaultAction` is not a seccomp action", "an invalid spec");
	refuse_any(yaml, "JSON form", "YAML");
	refuse_any("{'defaultAction': ", "profile `t.json`", "truncated JSON");
}

static void test_save_as(const char *dir)
{
	cleanup_profile struct profile *p = parse_ok(DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'")),
						     "a profile to save");
	cleanup_profile struct profile *notify = parse_ok("{'defaultAction': 'SCMP_ACT_NOTIFY'}",
							  "a profile that does not compile");
	cleanup_profile struct profile *back = NULL;
	cleanup_free char *path = NULL, *bad = NULL, *text = NULL;
	struct error err = { 0 };
	enum profile_format fmt = PROFILE_FORMAT_OCI;
	struct stat st;
	size_t len;

	if (!p || !notify || asprintf(&path, "%s/Web_App.yaml", dir) < 0 ||
	    asprintf(&bad, "%s/bad.yaml", dir) < 0)
		return;
	if (!is_int(profile_save_as(p, path, FS_LINKS_NONE, PROFILE_FORMAT_SPO, NULL, &err), 0,
		    "profile_save_as writes a SeccompProfile"))
		diag("error: %s", err.msg);
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644, "the file is there, 0644");
	fs_read_file(path, FS_LINKS_NONE, 1 << 20, &text, &len, &err);
	like(text, "\"name\": \"web-app\"", "its name is made of the file name");
	ok(profile_read_any(path, FS_LINKS_NONE, &back, &fmt, &err) == 0 &&
		   fmt == PROFILE_FORMAT_SPO && same_rules(back, p),
	   "profile_read_any reads it back to the same rules");
	is_int(profile_save_as(notify, bad, FS_LINKS_NONE, PROFILE_FORMAT_SPO, "x", &err), -1,
	       "a SeccompProfile that does not compile is refused");
	like(err.msg, "does not compile", "and the message says so");
	ok(access(bad, F_OK) < 0, "no file is written for it");
}

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
		   "+ acct (SCMP_ARCH_X86_64)\n+ getcpu (SCMP_ARCH_X86_64)\n+ zzz (SCMP_ARCH_X86_64)\n",
		   "sorted by name; a name libseccomp does not know still counts");
	check_diff("{'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [" ALLOW("'read'") "]}",
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'read'")), "",
		   "no architectures listed means the native one");

	/* Argument conditions. */
#define PERSONALITY(action, args) \
	"{'names': ['personality'], 'action': '" action "', 'args': [" args "]}"
#define EQ(i, v) "{'index': " #i ", 'value': " #v ", 'op': 'SCMP_CMP_EQ'}"
	check_diff(base, DENY("'SCMP_ARCH_X86_64'", ALLOW("'read', 'write'") "," PERSONALITY(
							"SCMP_ACT_ALLOW", EQ(0, 0))),
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
			" {'index': 2, 'value': 1, 'op': 'SCMP_CMP_GT'}]}," ALLOW("'read', 'write'")),
		   "+ clone [arg0 & 0x7e020000 == 0 && arg2 > 1] (SCMP_ARCH_X86_64)\n",
		   "a masked condition and one on another index (&&)");

	/* Actions. */
	check_diff(DENY("'SCMP_ARCH_X86_64'", "{'names': ['getcpu'], 'action': 'SCMP_ACT_LOG'}"),
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'getcpu'")), "",
		   "SCMP_ACT_LOG counts as allowed: the call runs");
	check_diff(base,
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'read', 'write', 'ptrace'") ","
			"{'names': ['ptrace'], 'action': 'SCMP_ACT_KILL'}"),
		   "", "a name a blocking rule mentions unconditionally is not allowed");
	check_diff(base,
		   DENY("'SCMP_ARCH_X86_64'", ALLOW("'read', 'write'") ","
			"{'names': ['ptrace'], 'action': 'SCMP_ACT_ERRNO'}"),
		   "", "a blocked call is no difference");
	{
		cleanup_profile struct profile *o = parse_ok(base, "OLD");
		cleanup_profile struct profile *n =
			parse_ok("{'defaultAction': 'SCMP_ACT_ALLOW'}", "allow by default");
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
	cleanup_profile struct profile *n = parse_ok(
		DENY("'SCMP_ARCH_X86_64'", PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 8))), "NEW");
	cleanup_free char *json = NULL;
	struct profile_diff d;
	struct error err = { 0 };
	size_t len;

	if (!o || !n || profile_diff(o, "OLD", n, "NEW", &d, &err) < 0) {
		ok(false, "diff for JSON: %s", err.msg);
		return;
	}
	ok(profile_diff_json(&d, NULL, &json, &len, &err) == 0, "the differences are written as JSON");
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
	const char *a = "{'comment': 'first', 'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1,"
			" 'architectures': ['SCMP_ARCH_X86_64'], 'syscalls': ["
			ALLOW("'read', 'getcpu', 'ptrace'") "]}";
	const char *b = "{'comment': 'second', 'defaultAction': 'SCMP_ACT_KILL',"
			" 'architectures': ['SCMP_ARCH_X86'], 'syscalls': ["
			ALLOW("'sysinfo', 'read'") ","
			"{'names': ['ptrace'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38}]}";
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
	const char *first = DENY("'SCMP_ARCH_X86_64'",
				 "{'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38,"
				 " 'comment': 'kept as is'},"
				 PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 0)) ","
				 ALLOW("'read'"));
	const char *second = DENY("'SCMP_ARCH_X86_64'",
				  "{'names': ['clone3'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38},"
				  PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 0)) ","
				  PERSONALITY("SCMP_ACT_ALLOW", EQ(0, 8)) ","
				  ALLOW("'write'"));
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

static void variant_path_is(const char *path, const char *want)
{
	cleanup_free char *got = profile_log_variant_path(path);

	is_str(got, want, "the log variant of `%s` is `%s`", path, want);
}

static void test_log_variant(const char *dir)
{
	cleanup_profile struct profile *p = profile_new();
	cleanup_profile struct profile *back = NULL;
	cleanup_free char *path = NULL, *log_path = NULL;
	static char *const names[] = { "read" };
	struct error err = { 0 };

	variant_path_is("p.json", "p.log.json");
	variant_path_is("/a.b/p.json", "/a.b/p.log.json");
	variant_path_is("/dir/p", "/dir/p.log");
	variant_path_is("/dir/.p", "/dir/.p.log");
	variant_path_is("/dir/p.tar.yaml", "/dir/p.tar.log.yaml");
	if (!p || asprintf(&path, "%s/v.json", dir) < 0 || asprintf(&log_path, "%s/v.log.json", dir) < 0)
		return;
	profile_add_arch(p, "SCMP_ARCH_X86_64", &err);
	profile_add_rule(p, "SCMP_ACT_ALLOW", names, 1, &err);
	is_int(profile_save_log_variant(p, path, FS_LINKS_FOLLOW_DIRS, PROFILE_FORMAT_OCI, &err), 0,
	       "the log variant is written");
	if (profile_read_file(log_path, FS_LINKS_FOLLOW_DIRS, &back, &err) < 0) {
		ok(false, "the log variant reads back: %s", err.msg);
		return;
	}
	is_str(back->default_action, "SCMP_ACT_LOG", "its default is SCMP_ACT_LOG");
	ok(!back->has_default_errno_ret, "it has no defaultErrnoRet");
	ok(back->n_rules == 1 && strcmp(back->rules[0].names[0], "read") == 0,
	   "its rules are the profile's");
	is_str(p->default_action, "SCMP_ACT_ERRNO", "the profile itself is unchanged");
}

int main(void)
{
	cleanup_free char *dir = tap_mkdtemp("profile-tools");

	test_names();
	test_spo_round_trip();
	test_spo_limits();
	test_read_any();
	if (dir)
		test_save_as(dir);
	test_diff();
	test_diff_json();
	test_merge();
	test_merge_rules();
	test_merge_refusals();
	if (dir)
		test_log_variant(dir);
	if (dir && tap_rmtree(dir) < 0)
		diag("could not remove %s", dir);
	return done_testing();
}
