// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The counts of a workload profile: what one recording lets run is taken by the coverage of
 * merge --report (one input), and each of its (call, architecture, condition) counts once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "profile/profile_allowed.h"
#include "profile/profile_coverage.h"
#include "profile/profile_runs.h"

static int compare_entry(const struct profile_runs_entry *x, const char *name, const char *cond,
			 const char *arch)
{
	int c = profile_allowed_order(x->name, x->condition, name, cond);

	return c ? c : strcmp(x->arch, arch);
}

/* The entry of (@name, @cond, @arch), inserted with 0 runs where the order puts it. */
static struct profile_runs_entry *entry_for(struct profile_runs *r, const char *name,
					    const char *cond, const char *arch)
{
	struct profile_runs_entry *bigger, *e;
	size_t i = 0;
	int c = 1;

	while (i < r->n && (c = compare_entry(&r->v[i], name, cond, arch)) < 0)
		i++;
	if (i < r->n && c == 0)
		return &r->v[i];
	bigger = realloc(r->v, (r->n + 1) * sizeof(*bigger));
	if (!bigger)
		return NULL;
	r->v = bigger;
	memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof(*r->v));
	r->n++;
	e = &r->v[i];
	*e = (struct profile_runs_entry){ strdup(name), strdup(arch), cond ? strdup(cond) : NULL,
					  0 };
	if (!e->name || !e->arch || (cond && !e->condition))
		return NULL;
	return e;
}

int profile_runs_add(struct profile_runs *r, const struct profile *run, struct error *err)
{
	cleanup_profile_coverage struct profile_coverage cov = { 0 };
	/* Counting reads its inputs; only a merge changes the first. */
	struct profile *in[1] = { (struct profile *)run };

	if (profile_coverage_count(in, 1, &cov, err) < 0 ||
	    profile_coverage_finish(&cov, run, err) < 0)
		return -1;
	for (size_t i = 0; i < cov.n_items; i++) {
		const struct profile_coverage_item *it = &cov.items[i];

		for (size_t j = 0; j < it->n_arches; j++) {
			struct profile_runs_entry *e = entry_for(r, it->name, it->condition,
								 it->arches[j]);

			if (!e)
				return error_set(err, ENOMEM, "count the workload's runs");
			e->runs++;
		}
	}
	r->runs++;
	return 0;
}

static int parse_list(const struct json *list, bool conditions, const char *what,
		      struct profile_runs *r, struct error *err)
{
	const char *key = conditions ? "conditions" : "calls";

	if (!list)
		return 0;
	if (json_type(list) != JSON_ARRAY)
		return error_set(err, 0, "%s: `%s` must be an array", what, key);
	for (size_t i = 0; i < json_len(list); i++) {
		const struct json *e = json_at(list, i);
		const char *name = json_string(json_get(e, "name"));
		const char *arch = json_string(json_get(e, "architecture"));
		const char *cond = json_string(json_get(e, "condition"));
		struct profile_runs_entry *x;
		uint64_t runs;

		if (!name || !arch || (conditions && !cond) ||
		    !json_uint64(json_get(e, "runs"), &runs) || runs < 1 || runs > r->runs)
			return error_set(err, 0,
					 "%s: `%s` entry %zu needs a name, an architecture%s and "
					 "runs from 1 to %llu",
					 what, key, i, conditions ? ", a condition" : "",
					 (unsigned long long)r->runs);
		x = entry_for(r, name, conditions ? cond : NULL, arch);
		if (!x)
			return error_set(err, ENOMEM, "%s", what);
		x->runs = runs;
	}
	return 0;
}

int profile_runs_parse(const char *text, size_t len, const char *what, struct profile_runs *out,
		       struct error *err)
{
	cleanup_json struct json *doc = NULL;

	memset(out, 0, sizeof(*out));
	if (json_parse(text, len, what, &doc, err) < 0)
		return -1;
	if (json_type(doc) != JSON_OBJECT || !json_uint64(json_get(doc, "runs"), &out->runs))
		return error_set(err, 0, "%s: not an object with a number `runs`", what);
	if (parse_list(json_get(doc, "calls"), false, what, out, err) < 0 ||
	    parse_list(json_get(doc, "conditions"), true, what, out, err) < 0) {
		profile_runs_release(out);
		return -1;
	}
	return 0;
}

static void json_list(struct json_writer *w, const struct profile_runs *r, bool conditions)
{
	json_w_key(w, conditions ? "conditions" : "calls");
	json_w_array_begin(w);
	for (size_t i = 0; i < r->n; i++) {
		const struct profile_runs_entry *e = &r->v[i];

		if (!e->condition == conditions)
			continue;
		json_w_object_begin(w);
		json_w_kv_string(w, "name", e->name);
		if (e->condition)
			json_w_kv_string(w, "condition", e->condition);
		json_w_kv_string(w, "architecture", e->arch);
		json_w_kv_uint(w, "runs", e->runs);
		json_w_object_end(w);
	}
	json_w_array_end(w);
}

int profile_runs_json(const struct profile_runs *r, char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();

	if (!w)
		return error_set(err, ENOMEM, "the workload's counts");
	json_w_object_begin(w);
	json_w_kv_uint(w, "runs", r->runs);
	json_list(w, r, false);
	json_list(w, r, true);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}

static void text_entry(FILE *f, const struct profile_runs_entry *e)
{
	fprintf(f, "    %s", e->name);
	if (e->condition)
		fprintf(f, " [%s]", e->condition);
	fprintf(f, " (%s)\n", e->arch);
}

static size_t with_runs(const struct profile_runs *r, uint64_t runs, FILE *f)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].runs != runs)
			continue;
		n++;
		if (f)
			text_entry(f, &r->v[i]);
	}
	return n;
}

int profile_runs_text(const struct profile_runs *r, char **out, size_t *len, struct error *err)
{
	uint64_t n = r->runs;
	FILE *f;

	*out = NULL;
	f = open_memstream(out, len);
	if (!f)
		return error_set(err, errno, "format the workload's counts");
	fprintf(f, "%llu run%s added: %zu call%s and conditions counted\n", (unsigned long long)n,
		n == 1 ? "" : "s", r->n, r->n == 1 ? "" : "s");
	if (n)
		fprintf(f, "  in every run (%llu of %llu): %zu\n", (unsigned long long)n,
			(unsigned long long)n, with_runs(r, n, NULL));
	for (uint64_t k = n ? n - 1 : 0; k >= 2; k--) {
		if (!with_runs(r, k, NULL))
			continue;
		fprintf(f, "  in %llu of %llu runs:\n", (unsigned long long)k,
			(unsigned long long)n);
		with_runs(r, k, f);
	}
	if (n > 1 && with_runs(r, 1, NULL)) {
		fprintf(f,
			"Rare paths: review them or record more runs (seen in 1 of %llu runs):\n",
			(unsigned long long)n);
		with_runs(r, 1, f);
	}
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return error_set(err, ENOMEM, "format the workload's counts");
	}
	return 0;
}

void profile_runs_release(struct profile_runs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].arch);
		free(r->v[i].condition);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}
