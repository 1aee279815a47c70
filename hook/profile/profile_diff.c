// SPDX-License-Identifier: GPL-2.0-or-later
/* The calls two profiles let run, per architecture and argument condition, and what differs. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "profile/profile_diff.h"
#include "profile/provenance.h"
#include "profile/syscalls.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	enum scmp_compare op;
	const char *text;
	const char *name;
} operators[] = {
	{ SCMP_CMP_NE, "!=", "SCMP_CMP_NE" },	  { SCMP_CMP_LT, "<", "SCMP_CMP_LT" },
	{ SCMP_CMP_LE, "<=", "SCMP_CMP_LE" },	  { SCMP_CMP_EQ, "==", "SCMP_CMP_EQ" },
	{ SCMP_CMP_GE, ">=", "SCMP_CMP_GE" },	  { SCMP_CMP_GT, ">", "SCMP_CMP_GT" },
	{ SCMP_CMP_MASKED_EQ, "&", "SCMP_CMP_MASKED_EQ" },
};

/* One (name, architecture, condition) a profile lets run. Strings belong to others. */
struct entry {
	const char *name;
	const char *arch;
	const char *cond; /* NULL: whatever the arguments */
	const struct profile_rule *rule;
};

struct entries {
	struct entry *v;
	size_t n, cap;
	char **conds; /* the condition texts, owned */
	size_t n_conds;
};

static void entries_clear(struct entries *e)
{
	for (size_t i = 0; i < e->n_conds; i++)
		free(e->conds[i]);
	free(e->conds);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static int entries_push(struct entries *e, struct entry x)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 256;
		struct entry *bigger = realloc(e->v, cap * sizeof(*bigger));

		if (!bigger)
			return -1;
		e->v = bigger;
		e->cap = cap;
	}
	e->v[e->n++] = x;
	return 0;
}

bool profile_diff_action_runs(const char *action)
{
	return strcmp(action, "SCMP_ACT_ALLOW") == 0 || strcmp(action, "SCMP_ACT_LOG") == 0;
}

static int compare_args(const void *a, const void *b)
{
	const struct profile_arg *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->value_two != y->value_two)
		return x->value_two < y->value_two ? -1 : 1;
	return 0;
}

static struct profile_arg *sorted_args(const struct profile_arg *args, size_t n)
{
	struct profile_arg *copy = malloc((n ? n : 1) * sizeof(*copy));

	if (!copy)
		return NULL;
	if (n)
		memcpy(copy, args, n * sizeof(*copy));
	if (n > 1) /* qsort's array may not be NULL, even empty */
		qsort(copy, n, sizeof(*copy), compare_args);
	return copy;
}

static const char *operator_text(enum scmp_compare op)
{
	for (size_t i = 0; i < N_ELEMS(operators); i++)
		if (operators[i].op == op)
			return operators[i].text;
	return "?";
}

static const char *operator_name(enum scmp_compare op)
{
	for (size_t i = 0; i < N_ELEMS(operators); i++)
		if (operators[i].op == op)
			return operators[i].name;
	return "SCMP_CMP_EQ";
}

char *profile_diff_condition(const struct profile_arg *args, size_t n)
{
	cleanup_free struct profile_arg *sorted = sorted_args(args, n);
	unsigned int per_index[PROFILE_MAX_ARGS] = { 0 };
	bool alternatives = false;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (!sorted)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (sorted[i].index < PROFILE_MAX_ARGS && ++per_index[sorted[i].index] > 1)
			alternatives = true;
	f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct profile_arg *a = &sorted[i];

		if (i)
			fputs(alternatives ? " || " : " && ", f);
		/* SCMP_CMP_MASKED_EQ: (arg & value) == valueTwo. */
		if (a->op == SCMP_CMP_MASKED_EQ)
			fprintf(f, "arg%" PRIu32 " & %#" PRIx64 " == %" PRIu64, a->index, a->value,
				a->value_two);
		else
			fprintf(f, "arg%" PRIu32 " %s %" PRIu64, a->index, operator_text(a->op),
				a->value);
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int strcmp_null_first(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int compare_entries(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	c = strcmp_null_first(x->cond, y->cond);
	if (c)
		return c;
	return strcmp(x->arch, y->arch);
}

static bool entries_find(const struct entries *e, const char *name, const char *cond,
			 const char *arch)
{
	struct entry key = { .name = name, .arch = arch, .cond = cond };

	return e->n && bsearch(&key, e->v, e->n, sizeof(*e->v), compare_entries) != NULL;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool in_sorted(char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), compare_strings) != NULL;
}

/* Names a rule that does not let the call run names without conditions: never run. */
static const char **blocked_names(const struct profile *p, size_t *n)
{
	const char **v = NULL;
	size_t count = 0, k = 0;

	for (size_t i = 0; i < p->n_rules; i++)
		if (!profile_diff_action_runs(p->rules[i].action) && !p->rules[i].n_args)
			count += p->rules[i].n_names;
	v = malloc((count ? count : 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < p->n_rules; i++)
		if (!profile_diff_action_runs(p->rules[i].action) && !p->rules[i].n_args)
			for (size_t j = 0; j < p->rules[i].n_names; j++)
				v[k++] = p->rules[i].names[j];
	if (k > 1)
		qsort(v, k, sizeof(*v), compare_strings);
	*n = k;
	return v;
}

/* The architectures a profile's filter covers by what it lists, once each, as tokens. */
static const char **profile_arches(const struct profile *p, size_t *n)
{
	const char **v = malloc((p->n_arches ? p->n_arches : 1) * sizeof(*v));
	size_t k = 0;

	if (!v)
		return NULL;
	if (!p->n_arches) {
		v[k++] = syscalls_arch_name(syscalls_native_arch());
	} else {
		for (size_t i = 0; i < p->n_arches; i++) {
			bool seen = false;

			for (size_t j = 0; j < k && !seen; j++)
				seen = strcmp(v[j], p->arches[i]) == 0;
			if (!seen)
				v[k++] = p->arches[i];
		}
	}
	*n = k;
	return v;
}

/*
 * Whether @name counts on @arch: it is a call there, or libseccomp knows it nowhere (a call
 * newer than this libseccomp, which may well exist there: never hidden).
 */
static bool counts_on(const char *arch, const char *name)
{
	uint32_t token = syscalls_arch_from_name(arch);

	return !token || syscalls_known_on(token, name) || !syscalls_known_anywhere(name);
}

static int collect(const struct profile *p, const char *what, struct entries *e,
		   struct error *err)
{
	cleanup_free const char **blocked = NULL, **arches = NULL;
	cleanup_free bool *moot = NULL;
	size_t n_blocked = 0, n_arches = 0, kept = 0;

	if (profile_diff_action_runs(p->default_action))
		return error_set(err, 0,
				 "%s: defaultAction %s lets every call run; diff compares "
				 "default-deny profiles",
				 what, p->default_action);
	blocked = blocked_names(p, &n_blocked);
	arches = profile_arches(p, &n_arches);
	if (!blocked || !arches)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		char *cond = NULL;

		if (!profile_diff_action_runs(r->action) || !r->n_names)
			continue;
		if (r->n_args) {
			char **bigger = realloc(e->conds, (e->n_conds + 1) * sizeof(*bigger));

			if (!bigger)
				return error_set(err, ENOMEM, "%s", what);
			e->conds = bigger;
			cond = profile_diff_condition(r->args, r->n_args);
			if (!cond)
				return error_set(err, ENOMEM, "%s", what);
			e->conds[e->n_conds++] = cond;
		}
		for (size_t j = 0; j < r->n_names; j++) {
			if (in_sorted((char *const *)blocked, n_blocked, r->names[j]))
				continue;
			for (size_t k = 0; k < n_arches; k++) {
				struct entry x = { r->names[j], arches[k], cond, r };

				if (counts_on(arches[k], r->names[j]) && entries_push(e, x) < 0)
					return error_set(err, ENOMEM, "%s", what);
			}
		}
	}
	if (e->n > 1)
		qsort(e->v, e->n, sizeof(*e->v), compare_entries);
	for (size_t i = 0; i < e->n; i++)
		if (!kept || compare_entries(&e->v[kept - 1], &e->v[i]) != 0)
			e->v[kept++] = e->v[i];
	e->n = kept;
	/* A condition is moot where the call runs unconditionally; the array stays sorted. */
	moot = calloc(e->n ? e->n : 1, sizeof(*moot));
	if (!moot)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < e->n; i++)
		moot[i] = e->v[i].cond && entries_find(e, e->v[i].name, NULL, e->v[i].arch);
	kept = 0;
	for (size_t i = 0; i < e->n; i++)
		if (!moot[i])
			e->v[kept++] = e->v[i];
	e->n = kept;
	return 0;
}

static void item_clear(struct profile_diff_item *it)
{
	free(it->name);
	free(it->condition);
	free(it->args);
	for (size_t i = 0; i < it->n_arches; i++)
		free(it->arches[i]);
	free(it->arches);
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

static int item_start(struct profile_diff_item *it, const struct entry *e)
{
	memset(it, 0, sizeof(*it));
	it->name = strdup(e->name);
	if (!it->name)
		return -1;
	if (e->cond) {
		it->condition = strdup(e->cond);
		it->args = sorted_args(e->rule->args, e->rule->n_args);
		if (!it->condition || !it->args)
			return -1;
		it->n_args = e->rule->n_args;
	}
	return 0;
}

static int item_add_arch(struct profile_diff_item *it, const char *arch)
{
	char **bigger = realloc(it->arches, (it->n_arches + 1) * sizeof(*bigger));

	if (!bigger)
		return -1;
	it->arches = bigger;
	bigger[it->n_arches] = strdup(arch);
	if (!bigger[it->n_arches])
		return -1;
	it->n_arches++;
	return 0;
}

/* What @have lets run that @other does not, grouped by (name, condition). */
static int subtract(const struct entries *have, const struct entries *other,
		    struct profile_diff_item **out, size_t *n_out)
{
	struct profile_diff_item *items = NULL;
	size_t n = 0;

	for (size_t i = 0; i < have->n; i++) {
		const struct entry *e = &have->v[i];
		struct profile_diff_item *it;

		if (entries_find(other, e->name, NULL, e->arch) ||
		    (e->cond && entries_find(other, e->name, e->cond, e->arch)))
			continue;
		it = n ? &items[n - 1] : NULL;
		if (!it || strcmp(it->name, e->name) != 0 ||
		    strcmp_null_first(it->condition, e->cond) != 0) {
			struct profile_diff_item *bigger = realloc(items, (n + 1) * sizeof(*items));

			if (!bigger)
				goto fail;
			items = bigger;
			it = &items[n++];
			if (item_start(it, e) < 0)
				goto fail;
		}
		if (item_add_arch(it, e->arch) < 0)
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
	struct entries old_e = { 0 }, new_e = { 0 };
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
	entries_clear(&old_e);
	entries_clear(&new_e);
	return ret;
}

/* "EXECUTABLE (COMM, pid N)" of the first caller of @name, NULL when unknown (malloc'ed). */
static char *first_by(const struct provenance *why, const char *name)
{
	const struct provenance_entry *e = why ? provenance_find(why, name) : NULL;
	char *text = NULL;

	if (!e || !e->exe)
		return NULL;
	if (asprintf(&text, "%s (%s, pid %lld)", e->exe, e->comm ? e->comm : "?",
		     (long long)e->ns_pid) < 0)
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
		json_w_key(w, "name");
		json_w_string(w, it->name);
		if (it->condition) {
			json_w_key(w, "condition");
			json_w_string(w, it->condition);
			json_w_key(w, "args");
			json_w_array_begin(w);
			for (size_t j = 0; j < it->n_args; j++) {
				json_w_object_begin(w);
				json_w_key(w, "index");
				json_w_uint(w, it->args[j].index);
				json_w_key(w, "value");
				json_w_uint(w, it->args[j].value);
				json_w_key(w, "valueTwo");
				json_w_uint(w, it->args[j].value_two);
				json_w_key(w, "op");
				json_w_string(w, operator_name(it->args[j].op));
				json_w_object_end(w);
			}
			json_w_array_end(w);
		}
		json_w_key(w, "architectures");
		json_w_array_begin(w);
		for (size_t j = 0; j < it->n_arches; j++)
			json_w_string(w, it->arches[j]);
		json_w_array_end(w);
		if (why) {
			cleanup_free char *first = first_by(why, it->name);

			if (first) {
				json_w_key(w, "firstBy");
				json_w_string(w, first);
			}
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
