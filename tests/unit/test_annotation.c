// SPDX-License-Identifier: GPL-2.0-or-later
/* The annotation grammar: what is accepted, and one clear message for each thing refused. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "oci/annotation.h"
#include "tap.h"

static void accepts(const char *value, const char *of, const char *in, const char *fmt)
{
	struct trace_request req;
	struct error err = { 0 };

	if (!is_int(annotation_parse(value, &req, &err), 0, "`%s` is accepted", value)) {
		diag("error: %s", err.msg);
		return;
	}
	is_str(req.output, of, "`%s`: of: is %s", value, of);
	is_str(req.input, in, "`%s`: if: is %s", value, in ? in : "absent");
	is_str(req.format, fmt, "`%s`: fmt: is %s", value, fmt ? fmt : "absent");
	annotation_release(&req);
}

/* `on`: no of:, the node's --profile-dir decides; if: may be a name in the node's folder. */
static void accepts_node(const char *value, const char *in, bool in_is_name)
{
	struct trace_request req;
	struct error err = { 0 };

	if (!is_int(annotation_parse(value, &req, &err), 0, "`%s` is accepted", value)) {
		diag("error: %s", err.msg);
		return;
	}
	ok(req.node && !req.output, "`%s`: node mode, no of:", value);
	is_str(req.input, in, "`%s`: if: is %s", value, in ? in : "absent");
	ok(req.input_is_name == in_is_name, "`%s`: if: is %s", value,
	   in_is_name ? "a name" : "no name");
	annotation_release(&req);
}

static void refuses(const char *value, const char *message)
{
	struct trace_request req;
	struct error err = { 0 };

	is_int(annotation_parse(value, &req, &err), -1, "`%.40s` is refused",
	       value ? value : "NULL");
	like(err.msg, "io.containers.trace-syscall", "the message names the annotation");
	like(err.msg, message, "the message says: %s", message);
	ok(!req.output && !req.input && !req.format && !req.workload,
	   "nothing is left allocated in the request");
}

int main(void)
{
	char *long_value = malloc(ANNOTATION_MAX_LEN + 16);

	accepts("of:/tmp/p.json", "/tmp/p.json", NULL, NULL);
	accepts("if:/b.json;of:/tmp/p.json", "/tmp/p.json", "/b.json", NULL);
	accepts("of:/tmp/p.json;if:/b.json;fmt:spo", "/tmp/p.json", "/b.json", "spo");
	accepts("fmt:oci;of:/p:with:colons.json", "/p:with:colons.json", NULL, "oci");

	accepts_node("on", NULL, false);
	accepts_node("on;args:on;fmt:spo", NULL, false);
	accepts_node("if:base.json;on", "base.json", true);
	accepts_node("on;if:web-1/app.json", "web-1/app.json", true);
	accepts_node("on;if:/etc/base.json", "/etc/base.json", false);
	{
		struct trace_request req;
		struct error err = { 0 };

		ok(annotation_parse("of:/p.json", &req, &err) == 0 && req.fallbacks && !req.explain,
		   "by default: ENOSYS fallbacks on, no provenance");
		annotation_release(&req);
		ok(annotation_parse("of:/p.json;explain:on;fallbacks:off", &req, &err) == 0 &&
			   !req.fallbacks && req.explain,
		   "explain:on keeps first callers, fallbacks:off turns the ENOSYS rule off");
		annotation_release(&req);
		ok(annotation_parse("of:/p.json", &req, &err) == 0 && req.hints == HINTS_OFF,
		   "by default no hints");
		annotation_release(&req);
		ok(annotation_parse("of:/p.json;hints:on", &req, &err) == 0 &&
			   req.hints == HINTS_ON,
		   "hints:on reads the binaries that ran");
		annotation_release(&req);
		ok(annotation_parse("hints:log;of:/p.json", &req, &err) == 0 &&
			   req.hints == HINTS_LOG,
		   "hints:log also allows the hinted calls as SCMP_ACT_LOG");
		annotation_release(&req);
	}
	{
		struct trace_request req;
		struct error err = { 0 };

		ok(annotation_parse("on;workload:web.v2-x_1", &req, &err) == 0 && req.node,
		   "on;workload:NAME is accepted");
		is_str(req.workload, "web.v2-x_1", "workload: is the name given");
		annotation_release(&req);
		ok(annotation_parse("on", &req, &err) == 0 && !req.workload,
		   "without workload: no workload");
		annotation_release(&req);
	}
	refuses("on;workload:../x", "`workload:` takes one name (1 to 253 of [A-Za-z0-9_.-]");
	refuses("on;workload:a/b", "`workload:` takes one name");
	refuses("on;workload:.hidden", "`workload:` takes one name");
	refuses("on;workload:", "`workload:` takes one name");
	refuses("on;workload:-x", "`workload:` takes one name");
	refuses("on;workload:a;workload:b", "`workload:` is given twice");
	refuses("of:/p.json;workload:web", "it goes with `on`, not `of:`");
	refuses("of:/p.json;hints:yes",
		"`hints:yes` is neither `hints:on`, `hints:log` nor `hints:off`");
	refuses("of:/p.json;hints:on;hints:log", "`hints:` is given twice");
	refuses("of:/p.json;explain:yes",
		"`explain:yes` is neither `explain:on` nor `explain:off`");
	refuses("of:/p.json;fallbacks:on;fallbacks:off", "`fallbacks:` is given twice");
	refuses("on;on", "`on` is given twice");
	refuses("on;of:/tmp/p.json",
		"`on` records into the node's profile folder and takes no `of:`");
	refuses("if:base.json", "has no `of:PATH` for the profile (or `on`");
	refuses("on;if:../x.json", "`if:` takes an absolute path, or the name of a profile");
	refuses("on;if:.hidden", "`if:` takes an absolute path, or the name of a profile");
	refuses("on;if:a/b/c.json", "`if:` takes an absolute path, or the name of a profile");
	refuses("on;if:a//b", "`if:` takes an absolute path, or the name of a profile");
	refuses("on;if:a/", "`if:` takes an absolute path, or the name of a profile");
	refuses("on;if:x.json;if:y.json", "`if:` is given twice");
	refuses(NULL, "is empty");
	refuses("", "is empty");
	refuses("if:/b.json", "has no `of:PATH`");
	refuses("of:/a.json;of:/b.json", "`of:` is given twice");
	refuses("of:/a.json;fmt:oci;fmt:spo", "`fmt:` is given twice");
	refuses("of:p.json", "path `p.json` is not absolute");
	refuses("of:", "`of:` has an empty path");
	refuses("of:/a.json;;", "has an empty entry");
	refuses(";of:/a.json", "has an empty entry");
	refuses("of:/a.json;xf:/b", "unknown key `xf` (known: of, if, workload, fmt, args, "
				    "explain, fallbacks, hints, on)");
	refuses("of:/a.json;fmt:yaml",
		"unknown format `yaml` (known: oci, spo, spo-v1beta1, oci-artifact)");
	accepts("of:/a.json;fmt:spo-v1beta1", "/a.json", NULL, "spo-v1beta1");
	refuses("of:/a.json;justtext", "entry `justtext` is neither `on` nor KEY:VALUE");
	refuses("of:/a\n.json", "holds a control character (0x0a) at offset 5");
	refuses("of:/a\x7f.json", "holds a control character (0x7f)");
	memset(long_value, 'a', ANNOTATION_MAX_LEN + 8);
	memcpy(long_value, "of:/", 4);
	long_value[ANNOTATION_MAX_LEN + 8] = '\0';
	refuses(long_value, "is longer than 8192 bytes");
	free(long_value);
	return done_testing();
}
