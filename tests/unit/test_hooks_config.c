// SPDX-License-Identifier: GPL-2.0-or-later
/* hooks.d as podman reads it: valid files, what is left out, masking, order, and `when`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "oci/hooks_config.h"
#include "tap.h"

/* A hooks.d file of @stages (JSON array text) and @when (JSON object text) running /bin/sh. */
static void put(const char *dir, const char *name, const char *text)
{
	cleanup_free char *path = NULL;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0 || !(f = fopen(path, "w"))) {
		diag("cannot write %s/%s", dir, name);
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void put_hook(const char *dir, const char *name, const char *when, const char *stages)
{
	cleanup_free char *text = NULL;

	if (asprintf(&text,
		     "{\"version\": \"1.0.0\", \"hook\": {\"path\": \"/bin/sh\", "
		     "\"args\": [\"sh\", \"%s\"]}, \"when\": %s, \"stages\": %s}",
		     name, when, stages) < 0)
		return;
	put(dir, name, text);
}

static const struct hook_config *find(const struct hooks_config *h, const char *file)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].file, file) == 0)
			return &h->v[i];
	return NULL;
}

static struct json *spec(const char *text)
{
	struct json *doc = NULL;
	struct error err = { 0 };

	if (json_parse(text, strlen(text), "spec", &doc, &err) < 0)
		diag("spec does not parse: %s", err.msg);
	return doc;
}

static void test_load(const char *a, const char *b, struct hooks_config *h)
{
	const char *dirs[] = { a, b, "/nonexistent/hooks.d" };
	const struct hook_config *c;
	struct error err = { 0 };

	put_hook(a, "10-annotation.json",
		 "{\"annotations\": {\"^io\\\\.containers\\\\.trace-syscall$\": \".\"}}",
		 "[\"prestart\", \"poststop\"]");
	put_hook(a, "20-always.json", "{\"always\": true}", "[\"createRuntime\"]");
	put_hook(a, "60-commands.json", "{\"commands\": [\"^/bin/sh$\"]}", "[\"prestart\"]");
	put_hook(a, "70-binds.json", "{\"hasBindMounts\": true}", "[\"poststart\"]");
	put(a, "30-bad.json", "{\"version\": \"1.0.0\", ");
	put(a, "40-version.json",
	    "{\"version\": \"2.0.0\", \"hook\": {\"path\": \"/bin/sh\"}, "
	    "\"when\": {\"always\": true}, \"stages\": [\"prestart\"]}");
	put(a, "50-no-program.json",
	    "{\"version\": \"1.0.0\", \"hook\": {\"path\": "
	    "\"/nonexistent/hook\"}, \"when\": {\"always\": true}, "
	    "\"stages\": [\"prestart\"]}");
	put_hook(a, "55-stage.json", "{\"always\": true}", "[\"prestop\"]");
	put_hook(a, "56-no-when.json", "{}", "[\"prestart\"]");
	put_hook(a, "57-regex.json", "{\"commands\": [\"(\"]}", "[\"prestart\"]");
	put_hook(a, "58-no-stage.json", "{\"always\": true}", "[]");
	put_hook(a, ".hidden.json", "{\"always\": true}", "[\"prestart\"]");
	put_hook(a, "readme.txt", "{\"always\": true}", "[\"prestart\"]");
	/* A later directory's file of one name replaces the earlier one's. */
	put_hook(b, "20-always.json", "{\"always\": true}", "[\"poststop\"]");
	put_hook(b, "05-first.json", "{\"always\": false, \"commands\": [\"nginx\"]}",
		 "[\"prestart\"]");

	if (!is_int(hooks_config_load(dirs, 3, h, &err), 0, "the hooks directories are read"))
		diag("%s", err.msg);
	is_uint(h->n, 5, "five valid hooks; a missing directory is skipped");
	if (h->n != 5)
		return;
	is_str(h->v[0].file, "05-first.json", "sorted by file name across directories");
	is_str(h->v[1].file, "10-annotation.json", "second");
	is_str(h->v[2].file, "20-always.json", "third");
	is_str(h->v[3].file, "60-commands.json", "fourth");
	is_str(h->v[4].file, "70-binds.json", "fifth");
	c = find(h, "20-always.json");
	ok(c && c->stages[HOOK_POSTSTOP] && !c->stages[HOOK_CREATE_RUNTIME],
	   "the later directory's 20-always.json replaced the earlier one's");
	c = find(h, "10-annotation.json");
	ok(c && c->stages[HOOK_PRESTART] && c->stages[HOOK_POSTSTOP] && !c->stages[HOOK_POSTSTART],
	   "the stages listed, and only they");
	is_str(json_string(json_get(c ? c->hook : NULL, "path")), "/bin/sh",
	       "the hook is the file's `hook` object");
	ok(!find(h, "30-bad.json"), "a file that is not JSON is left out");
	ok(!find(h, "40-version.json"), "a version other than 1.0.0 is left out");
	ok(!find(h, "50-no-program.json"), "a hook whose program is missing is left out");
	ok(!find(h, "55-stage.json"), "an unknown stage is left out");
	ok(!find(h, "56-no-when.json"), "a `when` without a condition is left out");
	ok(!find(h, "57-regex.json"), "a regex that does not compile is left out");
	ok(!find(h, "58-no-stage.json"), "an empty `stages` is left out");
	ok(!find(h, ".hidden.json") && !find(h, "readme.txt"),
	   "hidden files and names not ending in .json are not read");
}

static void test_matches(const struct hooks_config *h)
{
	cleanup_json struct json *annotated = spec(
		"{\"annotations\": {\"io.containers.trace-syscall\": \"of:/tmp/p.json\"}, "
		"\"process\": {\"args\": [\"/bin/bash\"]}}");
	cleanup_json struct json *empty_value = spec(
		"{\"annotations\": {\"io.containers.trace-syscall\": \"\"}}");
	cleanup_json struct json *other_key = spec(
		"{\"annotations\": {\"xio.containers.trace-syscall\": \"on\"}}");
	cleanup_json struct json *sh = spec("{\"process\": {\"args\": [\"/bin/sh\", \"-c\"]}}");
	cleanup_json struct json *bind = spec("{\"mounts\": [{\"destination\": \"/x\", "
					      "\"type\": \"bind\", \"source\": \"/y\"}]}");
	cleanup_json struct json *rbind = spec("{\"mounts\": [{\"destination\": \"/x\", "
					       "\"options\": [\"ro\", \"rbind\"]}]}");
	cleanup_json struct json *plain = spec("{\"mounts\": [{\"destination\": \"/proc\", "
					       "\"type\": \"proc\"}]}");
	const struct hook_config *ann = find(h, "10-annotation.json");
	const struct hook_config *always = find(h, "20-always.json");
	const struct hook_config *cmd = find(h, "60-commands.json");
	const struct hook_config *binds = find(h, "70-binds.json");
	const struct hook_config *never = find(h, "05-first.json");

	if (!ann || !always || !cmd || !binds || !never) {
		ok(false, "the hooks to match are loaded");
		return;
	}
	ok(hook_config_matches(ann, annotated), "an annotation whose key and value match");
	ok(!hook_config_matches(ann, empty_value), "an empty value does not match `.`");
	ok(!hook_config_matches(ann, other_key), "a key the anchored regex refuses");
	ok(!hook_config_matches(ann, sh), "no annotations: no match");
	ok(hook_config_matches(always, plain), "always: true matches any spec");
	ok(hook_config_matches(cmd, sh), "commands match process.args[0]");
	ok(!hook_config_matches(cmd, annotated), "another command does not match");
	ok(hook_config_matches(binds, bind), "hasBindMounts: a mount of type bind");
	ok(hook_config_matches(binds, rbind), "hasBindMounts: a mount with the rbind option");
	ok(!hook_config_matches(binds, plain), "hasBindMounts: no bind mount, no match");
	ok(!hook_config_matches(never, sh), "always: false and another command: no match");
	is_str(hook_stage_name(HOOK_CREATE_RUNTIME), "createRuntime", "stage names as the spec's");
	is_str(hook_stage_name(HOOK_POSTSTOP), "poststop", "poststop");
}

static void test_not_a_directory(const char *a)
{
	cleanup_free char *file = NULL;
	struct hooks_config h = { 0 };
	struct error err = { 0 };
	const char *dirs[1];

	if (asprintf(&file, "%s/20-always.json", a) < 0)
		return;
	dirs[0] = file;
	is_int(hooks_config_load(dirs, 1, &h, &err), -1, "a hooks directory that is a file fails");
	like(err.msg, "20-always.json", "the message names it");
	is_uint(h.n, 0, "and nothing is kept");
}

int main(void)
{
	char *a = tap_mkdtemp("hooks-a"), *b = tap_mkdtemp("hooks-b");
	struct hooks_config h = { 0 };

	if (!a || !b)
		return 1;
	test_load(a, b, &h);
	test_matches(&h);
	hooks_config_release(&h);
	is_uint(h.n, 0, "released");
	test_not_a_directory(a);
	tap_rmtree(a);
	tap_rmtree(b);
	free(a);
	free(b);
	return done_testing();
}
