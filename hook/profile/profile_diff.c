// SPDX-License-Identifier: GPL-2.0-or-later
/* The calls two profiles let run, per architecture and argument condition, and what differs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/escape.h"
#include "base/json.h"
#include "base/strv.h"
#include "profile/profile_allowed.h"
#include "profile/profile_diff.h"
#include "profile/provenance.h"

/* What a profile lets run, with the conditions that are moot taken out. */
static int collect(const struct profile *p, const char *what, struct profile_allowed *a,
		   struct error *err)
{
	cleanup_free bool *moot = NULL;
	size_t kept = 0;

	if (profile_action_runs(p->default_action))
		return error_set(err, 0,
				 "%s: defaultAction %s lets every call run; diff compares "
				 "default-deny profiles",
				 what, p->default_action);
	if (profile_allowed_collect(p, a) < 0)
		return error_set(err, ENOMEM, "%s", what);
	/* A condition is moot where the call runs unconditionally; the array stays sorted. */
	moot = calloc(a->n ? a->n : 1, sizeof(*moot));
	if (!moot)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < a->n; i++)
		moot[i] = a->v[i].cond && profile_allowed_has(a, a->v[i].name, NULL, a->v[i].arch);
	for (size_t i = 0; i < a->n; i++)
		if (!moot[i])
			a->v[kept++] = a->v[i];
	a->n = kept;
	return 0;
}

static void item_clear(struct profile_diff_item *it)
{
	free(it->name);
	free(it->condition);
	free(it->args);
	strv_array_free(it->arches, it->n_arches);
}

void profile_diff_clear(struct profile_diff *d)
{
	for (size_t i = 0; i < d->n_added; i++)
		item_clear(&d->added[i]);
	for (size_t i = 0; i < d->n_removed; i++)
		item_clear(&d->removed[i]);
	free(d->added);
	free(d->removed);
	memset(d, 0, sizeof(*d));
}

static int item_start(struct profile_diff_item *it, const struct profile_allowed_item *e)
{
	memset(it, 0, sizeof(*it));
	it->name = strdup(e->name);
	if (!it->name)
		return -1;
	if (e->cond) {
		it->condition = strdup(e->cond);
		it->args = profile_args_sorted(e->rule->args, e->rule->n_args);
		if (!it->condition || !it->args)
			return -1;
		it->n_args = e->rule->n_args;
	}
	return 0;
}

/* What @have lets run that @other does not, grouped by (name, condition). */
static int subtract(const struct profile_allowed *have, const struct profile_allowed *other,
		    struct profile_diff_item **out, size_t *n_out)
{
	struct profile_diff_item *items = NULL;
	size_t n = 0;

	for (size_t i = 0; i < have->n; i++) {
		const struct profile_allowed_item *e = &have->v[i];
		struct profile_diff_item *it;

		if (profile_allowed_has(other, e->name, NULL, e->arch) ||
		    (e->cond && profile_allowed_has(other, e->name, e->cond, e->arch)))
			continue;
		it = n ? &items[n - 1] : NULL;
		if (!it || profile_allowed_order(it->name, it->condition, e->name, e->cond) != 0) {
			struct profile_diff_item *bigger = realloc(items, (n + 1) * sizeof(*items));

			if (!bigger)
				goto fail;
			items = bigger;
			it = &items[n++];
			if (item_start(it, e) < 0)
				goto fail;
		}
		if (strv_array_append(&it->arches, &it->n_arches, e->arch) < 0)
			goto fail;
	}
	*out = items;
	*n_out = n;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		item_clear(&items[i]);
	free(items);
	return -1;
}

int profile_diff(const struct profile *old_p, const char *old_what, const struct profile *new_p,
		 const char *new_what, struct profile_diff *out, struct error *err)
{
	struct profile_allowed old_e = { 0 }, new_e = { 0 };
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (collect(old_p, old_what, &old_e, err) < 0 || collect(new_p, new_what, &new_e, err) < 0)
		goto out;
	if (subtract(&new_e, &old_e, &out->added, &out->n_added) < 0 ||
	    subtract(&old_e, &new_e, &out->removed, &out->n_removed) < 0) {
		profile_diff_clear(out);
		error_set(err, ENOMEM, "compare %s with %s", old_what, new_what);
		goto out;
	}
	ret = 0;
out:
	profile_allowed_clear(&old_e);
	profile_allowed_clear(&new_e);
	return ret;
}

/* "EXECUTABLE (COMM, pid N)" of the first caller of @name, NULL when unknown (malloc'ed). */
static char *first_by(const struct provenance *why, const char *name)
{
	const struct provenance_entry *e = why ? provenance_find(why, name) : NULL;
	cleanup_free char *exe = NULL, *comm = NULL;
	char *text = NULL;

	if (!e || !e->exe)
		return NULL;
	/* Escaped where they entered the why file, and again here: it may be old, or edited. */
	exe = escape_dup(e->exe, ESCAPE_KEEP_BACKSLASH);
	comm = escape_dup(e->comm ? e->comm : "?", ESCAPE_KEEP_BACKSLASH);
	if (!exe || !comm ||
	    asprintf(&text, "%s (%s, pid %lld)", exe, comm, (long long)e->ns_pid) < 0)
		return NULL;
	return text;
}

static void text_items(FILE *f, char sign, const struct profile_diff_item *items, size_t n,
		       const struct provenance *why)
{
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *first = first_by(why, items[i].name);

		fprintf(f, "%c %s", sign, items[i].name);
		if (items[i].condition)
			fprintf(f, " [%s]", items[i].condition);
		fputs(" (", f);
		for (size_t j = 0; j < items[i].n_arches; j++)
			fprintf(f, "%s%s", j ? " " : "", items[i].arches[j]);
		fputs(")", f);
		if (first)
			fprintf(f, "  first by %s", first);
		fputs("\n", f);
	}
}

int profile_diff_text(const struct profile_diff *d, const struct provenance *why, char **out,
		      size_t *len, struct error *err)
{
	FILE *f;

	*out = NULL;
	f = open_memstream(out, len);
	if (!f)
		return error_set(err, errno, "format the differences");
	text_items(f, '+', d->added, d->n_added, why);
	text_items(f, '-', d->removed, d->n_removed, NULL);
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return error_set(err, ENOMEM, "format the differences");
	}
	return 0;
}

static void json_items(struct json_writer *w, const char *key,
		       const struct profile_diff_item *items, size_t n,
		       const struct provenance *why)
{
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct profile_diff_item *it = &items[i];

		json_w_object_begin(w);
		json_w_kv_string(w, "name", it->name);
		if (it->condition) {
			json_w_kv_string(w, "condition", it->condition);
			json_w_key(w, "args");
			profile_write_args(w, it->args, it->n_args);
		}
		json_w_key(w, "architectures");
		json_w_strings(w, it->arches, it->n_arches);
		if (why) {
			cleanup_free char *first = first_by(why, it->name);

			if (first)
				json_w_kv_string(w, "firstBy", first);
		}
		json_w_object_end(w);
	}
	json_w_array_end(w);
}

int profile_diff_json(const struct profile_diff *d, const struct provenance *why, char **out,
		      size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();

	if (!w)
		return error_set(err, ENOMEM, "format the differences");
	json_w_object_begin(w);
	json_items(w, "added", d->added, d->n_added, why);
	json_items(w, "removed", d->removed, d->n_removed, NULL);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}
