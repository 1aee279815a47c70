// SPDX-License-Identifier: GPL-2.0-or-later
/* A profile's score reported: as text for a reader, as JSON with every call listed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "base/strv.h"
#include "profile/profile_score.h"

/* Calls the text lists by name at most, per list; the JSON has them all. */
#define SCORE_TEXT_MAX_NAMES 20

static void text_names(FILE *f, char *const *v, size_t n)
{
	for (size_t i = 0; i < n && i < SCORE_TEXT_MAX_NAMES; i++)
		fprintf(f, "%s%s", i ? ", " : "", v[i]);
	if (n > SCORE_TEXT_MAX_NAMES)
		fprintf(f, " and %zu more (--json lists them)", n - SCORE_TEXT_MAX_NAMES);
}

static void text_abi(FILE *f, const struct profile_score *s, const struct profile_score_abi *a)
{
	fprintf(f, "%s: allows %zu of the %zu calls libseccomp knows", a->arch, a->allowed,
		a->known);
	if (a->conditional)
		fprintf(f, " (%zu only under argument conditions)", a->conditional);
	fputs("\n", f);
	if (!s->compared)
		return;
	if (!a->compared) {
		fprintf(f, "  the default does not cover %s: nothing to compare\n", a->arch);
		return;
	}
	fprintf(f, "  the default allows %zu: this profile blocks %zu of them", a->default_allowed,
		a->n_blocked);
	if (a->n_extra) {
		fprintf(f, ";\n  it allows %zu the default blocks: ", a->n_extra);
		text_names(f, a->extra, a->n_extra);
	}
	fputs("\n", f);
}

static void text_risk(FILE *f, const struct profile_score_risk *r)
{
	const struct strv socketcall = { .v = r->socketcall_arches, .n = r->n_socketcall_arches };

	fprintf(f, "  %-19s %s (", r->id, r->reason);
	for (size_t i = 0; i < r->n_arches; i++) {
		fprintf(f, "%s%s", i ? ", " : "", r->arches[i]);
		if (strv_contains(&socketcall, r->arches[i]))
			fputs(" through socketcall", f);
	}
	if (r->conditional)
		fputs("; under argument conditions", f);
	fputs(")\n", f);
}

int profile_score_text(const struct profile_score *s, const char *path, const char *default_path,
		       char **out, size_t *len, struct error *err)
{
	FILE *f;

	*out = NULL;
	f = open_memstream(out, len);
	if (!f)
		return error_set(err, errno, "format the score");
	fprintf(f, "Profile `%s`: defaultAction %s\n", path, s->default_action);
	if (s->runs_by_default)
		fprintf(f,
			"defaultAction %s lets every call run that no rule blocks: each "
			"high-risk call not blocked counts.\n",
			s->default_action);
	if (s->compared)
		fprintf(f, "Compared with `%s`, as podman applies it (default capabilities).\n",
			default_path);
	else
		fputs("Compared with no default: give one with --against.\n", f);
	fputs("\n", f);
	for (size_t i = 0; i < s->n_abis; i++)
		text_abi(f, s, &s->abis[i]);
	fputs("\n", f);
	if (!s->risks_allowed) {
		fprintf(f, "High-risk calls allowed: none of the %zu in the set.\n", s->n_risks);
	} else {
		fprintf(f, "High-risk calls allowed: %zu of the %zu in the set:\n",
			s->risks_allowed, s->n_risks);
		for (size_t i = 0; i < s->n_risks; i++)
			if (s->risks[i].n_arches)
				text_risk(f, &s->risks[i]);
	}
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return error_set(err, ENOMEM, "format the score");
	}
	return 0;
}

static void json_names(struct json_writer *w, const char *key, char *const *v, size_t n)
{
	json_w_key(w, key);
	json_w_strings(w, v, n);
}

static void json_abi(struct json_writer *w, const void *item)
{
	const struct profile_score_abi *a = item;

	json_w_object_begin(w);
	json_w_kv_string(w, "architecture", a->arch);
	json_w_kv_uint(w, "known", a->known);
	json_w_kv_uint(w, "allowed", a->allowed);
	json_w_kv_uint(w, "conditional", a->conditional);
	json_w_key(w, "default");
	if (!a->compared) {
		json_w_value(w, NULL);
	} else {
		json_w_object_begin(w);
		json_w_kv_uint(w, "allowed", a->default_allowed);
		json_w_kv_uint(w, "blocked", a->n_blocked);
		json_names(w, "blockedCalls", a->blocked, a->n_blocked);
		json_w_kv_uint(w, "extra", a->n_extra);
		json_names(w, "extraCalls", a->extra, a->n_extra);
		json_w_object_end(w);
	}
	json_w_object_end(w);
}

static void json_risk(struct json_writer *w, const void *item)
{
	const struct profile_score_risk *r = item;

	json_w_object_begin(w);
	json_w_kv_string(w, "id", r->id);
	json_w_kv_string(w, "call", r->call);
	json_w_kv_string(w, "reason", r->reason);
	json_w_kv_bool(w, "allowed", r->n_arches > 0);
	json_names(w, "architectures", r->arches, r->n_arches);
	json_w_kv_bool(w, "conditional", r->conditional);
	json_names(w, "throughSocketcall", r->socketcall_arches, r->n_socketcall_arches);
	json_w_object_end(w);
}

int profile_score_json(const struct profile_score *s, const char *path, const char *default_path,
		       char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();

	if (!w)
		return error_set(err, ENOMEM, "format the score");
	json_w_object_begin(w);
	json_w_kv_string(w, "profile", path);
	json_w_kv_string(w, "defaultAction", s->default_action);
	json_w_kv_bool(w, "runsByDefault", s->runs_by_default);
	json_w_key(w, "default");
	if (s->compared)
		json_w_string(w, default_path);
	else
		json_w_value(w, NULL);
	json_w_list(w, "abis", s->abis, s->n_abis, sizeof(*s->abis), json_abi);
	json_w_key(w, "highRisk");
	json_w_object_begin(w);
	json_w_kv_uint(w, "allowed", s->risks_allowed);
	json_w_kv_uint(w, "total", s->n_risks);
	json_w_list(w, "entries", s->risks, s->n_risks, sizeof(*s->risks), json_risk);
	json_w_object_end(w);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}
