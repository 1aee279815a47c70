// SPDX-License-Identifier: GPL-2.0-or-later
/* The spec is written back member by member; only "hooks" or "annotations" is rebuilt. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "oci/spec_hooks.h"

static bool same_strings(const struct json *a, const struct json *b)
{
	if (!a || !b)
		return !a && !b;
	if (json_len(a) != json_len(b))
		return false;
	for (size_t i = 0; i < json_len(a); i++) {
		const char *x = json_string(json_at(a, i)), *y = json_string(json_at(b, i));

		if (!x || !y || strcmp(x, y) != 0)
			return false;
	}
	return true;
}

/* Whether the stage @old already has @hook (same path and args): a create run again. */
static bool stage_has(const struct json *old, const struct json *hook)
{
	const char *path = json_string(json_get(hook, "path"));

	for (size_t i = 0; old && json_type(old) == JSON_ARRAY && i < json_len(old); i++) {
		const struct json *h = json_at(old, i);
		const char *p = json_string(json_get(h, "path"));

		if (p && path && strcmp(p, path) == 0 &&
		    same_strings(json_get(h, "args"), json_get(hook, "args")))
			return true;
	}
	return false;
}

/* Stage @stage of "hooks": what the spec had, then the matching hooks of the stage. */
static void write_stage(struct json_writer *w, const struct json *old_hooks, enum hook_stage stage,
			const struct hooks_config *hooks, const bool *match)
{
	const struct json *old = old_hooks ? json_get(old_hooks, hook_stage_name(stage)) : NULL;
	bool any = old && json_type(old) == JSON_ARRAY && json_len(old);

	for (size_t i = 0; i < hooks->n; i++)
		any |= match[i] && hooks->v[i].stages[stage] && !stage_has(old, hooks->v[i].hook);
	any |= old && json_type(old) == JSON_ARRAY && json_len(old);
	if (!any)
		return;
	json_w_key(w, hook_stage_name(stage));
	json_w_array_begin(w);
	for (size_t i = 0; old && json_type(old) == JSON_ARRAY && i < json_len(old); i++)
		json_w_value(w, json_at(old, i));
	for (size_t i = 0; i < hooks->n; i++)
		if (match[i] && hooks->v[i].stages[stage] && !stage_has(old, hooks->v[i].hook))
			json_w_value(w, hooks->v[i].hook);
	json_w_array_end(w);
}

static bool is_stage(const char *key)
{
	for (int s = 0; s < HOOK_STAGES; s++)
		if (strcmp(key, hook_stage_name(s)) == 0)
			return true;
	return false;
}

static void write_hooks(struct json_writer *w, const struct json *old_hooks,
			const struct hooks_config *hooks, const bool *match)
{
	json_w_key(w, "hooks");
	json_w_object_begin(w);
	for (int s = 0; s < HOOK_STAGES; s++)
		write_stage(w, old_hooks, s, hooks, match);
	/* Members a later spec version may add are kept. */
	for (size_t i = 0; old_hooks && i < json_len(old_hooks); i++) {
		if (is_stage(json_key_at(old_hooks, i)))
			continue;
		json_w_key(w, json_key_at(old_hooks, i));
		json_w_value(w, json_at(old_hooks, i));
	}
	json_w_object_end(w);
}

int spec_add_hooks(const struct json *spec, const struct hooks_config *hooks, char **out,
		   size_t *len, size_t *added, struct error *err)
{
	cleanup_json_writer struct json_writer *w = NULL;
	cleanup_free bool *match = NULL;
	const struct json *old_hooks = NULL;

	*out = NULL;
	*len = 0;
	*added = 0;
	if (json_type(spec) != JSON_OBJECT)
		return error_set(err, 0, "the spec is not a JSON object");
	match = calloc(hooks->n + 1, sizeof(*match));
	if (!match)
		return error_set(err, ENOMEM, "hooks");
	old_hooks = json_get(spec, "hooks");
	for (size_t i = 0; i < hooks->n; i++) {
		bool adds = false;

		match[i] = hook_config_matches(&hooks->v[i], spec);
		for (int st = 0; match[i] && st < HOOK_STAGES; st++)
			adds |= hooks->v[i].stages[st] &&
				!stage_has(old_hooks ? json_get(old_hooks, hook_stage_name(st)) :
						       NULL,
					   hooks->v[i].hook);
		*added += adds;
	}
	if (!*added)
		return 0;
	if (old_hooks && json_type(old_hooks) != JSON_OBJECT)
		return error_set(err, 0, "the spec's `hooks` is not an object");
	w = json_writer_new();
	if (!w)
		return error_set(err, ENOMEM, "spec");
	json_w_object_begin(w);
	for (size_t i = 0; i < json_len(spec); i++) {
		const char *key = json_key_at(spec, i);

		if (strcmp(key, "hooks") == 0) {
			write_hooks(w, old_hooks, hooks, match);
			continue;
		}
		json_w_key(w, key);
		json_w_value(w, json_at(spec, i));
	}
	if (!old_hooks)
		write_hooks(w, NULL, hooks, match);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}

bool spec_has_prestart_hook(const struct json *spec, const char *program)
{
	const struct json *hooks = json_get(spec, "hooks");
	const struct json *prestart = hooks ? json_get(hooks, "prestart") : NULL;

	for (size_t i = 0; prestart && json_type(prestart) == JSON_ARRAY && i < json_len(prestart);
	     i++) {
		const char *path = json_string(json_get(json_at(prestart, i), "path"));

		if (path && strcmp(path, program) == 0)
			return true;
	}
	return false;
}

int spec_with_annotation(const struct json *spec, const char *key, const char *value,
			 struct json **out, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	const struct json *annotations = json_get(spec, "annotations");
	cleanup_free char *text = NULL;
	size_t len;

	if (!w)
		return error_set(err, ENOMEM, "spec");
	if (json_type(spec) != JSON_OBJECT)
		return error_set(err, 0, "the spec is not a JSON object");
	if (annotations && json_type(annotations) != JSON_OBJECT &&
	    json_type(annotations) != JSON_NULL)
		return error_set(err, 0, "the spec's `annotations` is not an object");
	json_w_object_begin(w);
	for (size_t i = 0; i < json_len(spec); i++) {
		if (strcmp(json_key_at(spec, i), "annotations") == 0)
			continue;
		json_w_key(w, json_key_at(spec, i));
		json_w_value(w, json_at(spec, i));
	}
	json_w_key(w, "annotations");
	json_w_object_begin(w);
	for (size_t i = 0; annotations && i < json_len(annotations); i++) {
		if (strcmp(json_key_at(annotations, i), key) == 0)
			continue;
		json_w_key(w, json_key_at(annotations, i));
		json_w_value(w, json_at(annotations, i));
	}
	json_w_key(w, key);
	json_w_string(w, value);
	json_w_object_end(w);
	json_w_object_end(w);
	if (json_writer_finish(w, &text, &len, err) < 0)
		return -1;
	return json_parse(text, len, "the annotated spec", out, err);
}
