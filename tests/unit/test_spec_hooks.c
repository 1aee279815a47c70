// SPDX-License-Identifier: GPL-2.0-or-later
/* The runtime wrapper's spec edits: hooks appended, an annotation added, the rest kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "oci/spec_hooks.h"
#include "tap.h"

static struct json *parse(const char *text)
{
	struct json *doc = NULL;
	struct error err = { 0 };

	if (json_parse(text, strlen(text), "test", &doc, &err) < 0)
		diag("does not parse: %s", err.msg);
	return doc;
}

/* One hook of @when, at prestart and poststop, running /usr/bin/rec. */
static void make_hook(struct hook_config *h, const char *when)
{
	cleanup_free char *text = NULL;

	memset(h, 0, sizeof(*h));
	if (asprintf(&text,
		     "{\"version\": \"1.0.0\", \"hook\": {\"path\": \"/usr/bin/rec\", "
		     "\"args\": [\"rec\", \"hook\"]}, \"when\": %s}",
		     when) < 0)
		return;
	h->file = (char *)"rec.json";
	h->doc = parse(text);
	h->hook = json_get(h->doc, "hook");
	h->stages[HOOK_PRESTART] = h->stages[HOOK_POSTSTOP] = true;
}

static const char *path_at(const struct json *spec, const char *stage, size_t i)
{
	const struct json *hooks = json_get(spec, "hooks");
	const struct json *v = hooks ? json_get(hooks, stage) : NULL;

	if (!v || json_type(v) != JSON_ARRAY || i >= json_len(v))
		return NULL;
	return json_string(json_get(json_at(v, i), "path"));
}

static void test_add(void)
{
	cleanup_json struct json *spec = parse(
		"{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"/bin/sh\"]}, "
		"\"hooks\": {\"prestart\": [{\"path\": \"/usr/bin/old\"}], \"x-later\": 7}, "
		"\"annotations\": {\"a\": \"b\"}}");
	cleanup_json struct json *out = NULL;
	cleanup_free char *text = NULL, *again = NULL;
	struct hook_config always;
	struct hooks_config hooks = { .v = &always, .n = 1 };
	struct error err = { 0 };
	size_t len, added;

	make_hook(&always, "{\"always\": true}");
	if (!is_int(spec_add_hooks(spec, &hooks, &text, &len, &added, &err), 0, "hooks are added"))
		diag("%s", err.msg);
	is_uint(added, 1, "one hook matched");
	out = text ? parse(text) : NULL;
	is_str(json_key_at(out, 0), "ociVersion", "the members keep their order");
	is_str(json_string(json_get(out, "ociVersion")), "1.0.2", "and their values");
	is_str(path_at(out, "prestart", 0), "/usr/bin/old", "the spec's own hook stays first");
	is_str(path_at(out, "prestart", 1), "/usr/bin/rec", "the matching hook comes after it");
	is_str(path_at(out, "poststop", 0), "/usr/bin/rec", "and goes to each of its stages");
	ok(!path_at(out, "poststart", 0), "no other stage is made");
	ok(json_get(json_get(out, "hooks"), "x-later") != NULL,
	   "a member of `hooks` the spec version does not know is kept");
	is_str(json_string(json_get(json_get(out, "annotations"), "a")), "b",
	       "the annotations are kept");

	/* A create run again: the hook is there already. */
	if (out && is_int(spec_add_hooks(out, &hooks, &again, &len, &added, &err), 0,
			  "a spec that has the hook is read"))
		is_uint(added, 0, "the hook is not added twice");
	ok(!again, "and nothing is written");
	json_free(always.doc);
}

static void test_no_match(void)
{
	cleanup_json struct json *spec = parse("{\"process\": {\"args\": [\"/bin/sh\"]}}");
	cleanup_json struct json *out = NULL;
	cleanup_free char *text = NULL;
	struct hook_config nginx;
	struct hooks_config hooks = { .v = &nginx, .n = 1 };
	struct error err = { 0 };
	size_t len = 1, added = 1;

	make_hook(&nginx, "{\"commands\": [\"nginx$\"]}");
	is_int(spec_add_hooks(spec, &hooks, &text, &len, &added, &err), 0, "no hook matches");
	is_uint(added, 0, "none is added");
	ok(!text && len == 0, "the spec needs no change");
	json_free(nginx.doc);

	make_hook(&nginx, "{\"commands\": [\"^/bin/sh$\"]}");
	is_int(spec_add_hooks(spec, &hooks, &text, &len, &added, &err), 0,
	       "a spec without hooks gets them");
	out = text ? parse(text) : NULL;
	is_str(path_at(out, "prestart", 0), "/usr/bin/rec", "a `hooks` object is made");
	json_free(nginx.doc);
}

static void test_bad_spec(void)
{
	cleanup_json struct json *array = parse("[1, 2]");
	cleanup_json struct json *hooks_int = parse("{\"hooks\": 5}");
	cleanup_free char *text = NULL;
	struct hook_config always;
	struct hooks_config hooks = { .v = &always, .n = 1 };
	struct error err = { 0 };
	size_t len, added;

	make_hook(&always, "{\"always\": true}");
	is_int(spec_add_hooks(array, &hooks, &text, &len, &added, &err), -1,
	       "a spec that is not an object is refused");
	like(err.msg, "not a JSON object", "the message says so");
	is_int(spec_add_hooks(hooks_int, &hooks, &text, &len, &added, &err), -1,
	       "a `hooks` that is not an object is refused");
	like(err.msg, "`hooks` is not an object", "the message says so");
	ok(!text, "nothing is returned");
	json_free(always.doc);
}

static void test_annotation(void)
{
	cleanup_json struct json *spec = parse(
		"{\"ociVersion\": \"1.0.2\", \"annotations\": {\"a\": \"b\", \"k\": \"old\"}, "
		"\"hooks\": {\"prestart\": [{\"path\": \"/usr/bin/rec\"}]}}");
	cleanup_json struct json *bare = parse("{\"ociVersion\": \"1.0.2\"}");
	cleanup_json struct json *bad = parse("{\"annotations\": [\"k=v\"]}");
	cleanup_json struct json *out = NULL, *out2 = NULL, *none = NULL;
	const struct json *annotations;
	struct error err = { 0 };

	is_int(spec_with_annotation(spec, "io.containers.trace-syscall", "on", &out, &err), 0,
	       "an annotation is added");
	annotations = json_get(out, "annotations");
	is_str(json_string(json_get(annotations, "io.containers.trace-syscall")), "on",
	       "with its value");
	is_str(json_string(json_get(annotations, "a")), "b", "the others are kept");
	is_str(json_string(json_get(out, "ociVersion")), "1.0.2", "so are the other members");
	is_int(spec_with_annotation(spec, "k", "new", &out2, &err), 0, "an annotation replaced");
	annotations = json_get(out2, "annotations");
	is_str(json_string(json_get(annotations, "k")), "new", "takes the new value");
	is_uint(json_len(annotations), 2, "and is not written twice");
	is_int(spec_with_annotation(bare, "k", "v", &none, &err), 0,
	       "a spec without annotations gets them");
	is_str(json_string(json_get(json_get(none, "annotations"), "k")), "v", "with the one");
	is_int(spec_with_annotation(bad, "k", "v", &out, &err), -1,
	       "`annotations` that is not an object is refused");
	like(err.msg, "`annotations` is not an object", "the message says so");

	ok(spec_has_prestart_hook(spec, "/usr/bin/rec"), "a prestart hook of the program is seen");
	ok(!spec_has_prestart_hook(spec, "/usr/bin/other"), "another program's is not");
	ok(!spec_has_prestart_hook(bare, "/usr/bin/rec"), "a spec without hooks has none");
}

int main(void)
{
	test_add();
	test_no_match();
	test_bad_spec();
	test_annotation();
	return done_testing();
}
