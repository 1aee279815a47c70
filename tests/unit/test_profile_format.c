// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the profile formats: SeccompProfile names, documents and limits, reading and saving
 * either format. */
#include "tap.h"
#include "base/fs.h"
#include "profile_test.h"

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
	static const char *const invalid[] = { "",     "A",   "-a",  "a-",   ".a",   "a.",
					       "a..b", "a_b", "a b", "a.-b", "a-.b", "é" };
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
		" 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'], 'flags': "
		"['SECCOMP_FILTER_FLAG_LOG'],"
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
	like(spo,
	     "{\n  \"apiVersion\": \"security-profiles-operator.x-k8s.io/v1\",\n"
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
	cleanup_profile struct profile *map =
		parse_ok("{'defaultAction': 'SCMP_ACT_ERRNO', 'archMap': [{'architecture': "
			 "'SCMP_ARCH_X86_64',"
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
	cleanup_free char *s = dq(
		"{'apiVersion': 'security-profiles-operator.x-k8s.io/v1alpha1',"
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
	refuse_any("{'apiVersion': 'security-profiles-operator.x-k8s.io/v1', 'kind': "
		   "'SeccompProfile'}",
		   "without a `spec` object", "no spec");
	refuse_any(
		"{'apiVersion': 'security-profiles-operator.x-k8s.io/v1', 'kind': 'SeccompProfile',"
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
	if (!is_int(profile_save_as(p, path, FS_LINKS_NONE, PROFILE_FORMAT_SPO, NULL, 0644, &err),
		    0, "profile_save_as writes a SeccompProfile"))
		diag("error: %s", err.msg);
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644, "the file is there, 0644");
	fs_read_file(path, FS_LINKS_NONE, 1 << 20, &text, &len, &err);
	like(text, "\"name\": \"web-app\"", "its name is made of the file name");
	ok(profile_read_any(path, FS_LINKS_NONE, &back, &fmt, &err) == 0 &&
		   fmt == PROFILE_FORMAT_SPO && same_rules(back, p),
	   "profile_read_any reads it back to the same rules");
	is_int(profile_save_as(notify, bad, FS_LINKS_NONE, PROFILE_FORMAT_SPO, "x", 0644, &err), -1,
	       "a SeccompProfile that does not compile is refused");
	like(err.msg, "does not compile", "and the message says so");
	ok(access(bad, F_OK) < 0, "no file is written for it");
}

int main(void)
{
	cleanup_free char *dir = tap_mkdtemp("profile_format");

	test_names();
	test_spo_round_trip();
	test_spo_limits();
	test_read_any();
	if (dir)
		test_save_as(dir);
	if (dir && tap_rmtree(dir) < 0)
		diag("could not remove %s", dir);
	return done_testing();
}
