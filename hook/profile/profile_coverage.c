// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * merge --report: what each input lets run is taken before the merge, then kept to what the
 * merged profile lets run, whatever the merge decided.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "base/strv.h"
#include "profile/profile_allowed.h"
#include "profile/profile_coverage.h"

/* One (name, architecture, condition) an input lets run. */
struct profile_coverage_entry {
	char *name;
	char *arch;
	char *cond; /* NULL: whatever the arguments */
	size_t input;
};

/* By name and architecture: what finds a call on an architecture in any form. */
static int compare_call(const void *a, const void *b)
{
	const struct profile_coverage_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->arch, y->arch);
}

static int compare_entry(const void *a, const void *b)
{
	const struct profile_coverage_entry *x = a, *y = b;
	int c = compare_call(a, b);

	if (c)
		return c;
	c = profile_allowed_strcmp(x->cond, y->cond);
	if (c)
		return c;
	return x->input < y->input ? -1 : x->input > y->input;
}

static void entries_clear(struct profile_coverage_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].arch);
		free(v[i].cond);
	}
	free(v);
}

static void entries_seal(struct profile_coverage_entry *v, size_t *n)
{
	size_t kept = 0;

	if (*n > 1)
		qsort(v, *n, sizeof(*v), compare_entry);
	for (size_t i = 0; i < *n; i++) {
		if (kept && compare_entry(&v[kept - 1], &v[i]) == 0) {
			free(v[i].name);
			free(v[i].arch);
			free(v[i].cond);
		} else {
			v[kept++] = v[i];
		}
	}
	*n = kept;
}

static int entries_push(struct profile_coverage_entry **v, size_t *n, const char *name,
			const char *arch, const char *cond, size_t input)
{
	struct profile_coverage_entry *bigger = realloc(*v, (*n + 1) * sizeof(*bigger));
	struct profile_coverage_entry *e;

	if (!bigger)
		return -1;
	*v = bigger;
	e = &bigger[*n];
	e->name = strdup(name);
	e->arch = strdup(arch);
	e->cond = cond ? strdup(cond) : NULL;
	e->input = input;
	(*n)++;
	return e->name && e->arch && (!cond || e->cond) ? 0 : -1;
}

/* What @p lets run, appended as input @input. */
static int collect_entries(const struct profile *p, size_t input, struct profile_coverage_entry **v,
			   size_t *n)
{
	struct profile_allowed a;
	int ret = 0;

	if (profile_allowed_collect(p, &a) < 0)
		return -1;
	for (size_t i = 0; i < a.n && ret == 0; i++)
		ret = entries_push(v, n, a.v[i].name, a.v[i].arch, a.v[i].cond, input);
	profile_allowed_clear(&a);
	return ret;
}

int profile_coverage_count(struct profile *const *inputs, size_t n, struct profile_coverage *out,
			   struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->n_inputs = n;
	for (size_t i = 0; i < n; i++) {
		if (collect_entries(inputs[i], i, &out->entries, &out->n_entries) < 0) {
			profile_coverage_clear(out);
			return error_set(err, ENOMEM, "count the calls of each input");
		}
	}
	entries_seal(out->entries, &out->n_entries);
	return 0;
}

/* Before it becomes an item: a (name, condition, architecture) and the inputs that run it. */
struct cell {
	const char *name;
	const char *cond;
	const char *arch;
	size_t *inputs;
	size_t runs;
};

/* By name, the call before its conditions, the most runs first, then the inputs, the arch. */
static int compare_cell(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	int c = profile_allowed_order(x->name, x->cond, y->name, y->cond);

	if (c)
		return c;
	if (x->runs != y->runs)
		return x->runs > y->runs ? -1 : 1;
	for (size_t i = 0; i < x->runs; i++)
		if (x->inputs[i] != y->inputs[i])
			return x->inputs[i] < y->inputs[i] ? -1 : 1;
	return strcmp(x->arch, y->arch);
}

static bool same_item(const struct cell *x, const struct cell *y)
{
	return profile_allowed_order(x->name, x->cond, y->name, y->cond) == 0 &&
	       x->runs == y->runs &&
	       (!x->runs || memcmp(x->inputs, y->inputs, x->runs * sizeof(*x->inputs)) == 0);
}

struct cells {
	struct cell *v;
	size_t n;
};

static void cells_clear(struct cells *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].inputs);
	free(c->v);
}

/* A cell for the inputs @seen marks (@n_inputs of them). */
static int cells_push(struct cells *c, const char *name, const char *cond, const char *arch,
		      const bool *seen, size_t n_inputs)
{
	struct cell *bigger = realloc(c->v, (c->n + 1) * sizeof(*bigger));
	struct cell *x;

	if (!bigger)
		return -1;
	c->v = bigger;
	x = &c->v[c->n];
	*x = (struct cell){ name, cond, arch, calloc(n_inputs, sizeof(size_t)), 0 };
	if (!x->inputs)
		return -1;
	c->n++;
	for (size_t i = 0; i < n_inputs; i++)
		if (seen[i])
			x->inputs[x->runs++] = i;
	return 0;
}

/* Whether @m (sorted) has the entry (@e's name and arch, @cond), or any when @any_cond. */
static bool merged_has(const struct profile_coverage_entry *m, size_t n,
		       const struct profile_coverage_entry *e, const char *cond, bool any_cond)
{
	struct profile_coverage_entry key = { e->name, e->arch, (char *)cond, 0 };
	size_t lo = 0, hi = n;

	/* The first entry not before (name, arch, cond). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = compare_call(&m[mid], &key);

		if (c < 0 || (c == 0 && !any_cond && profile_allowed_strcmp(m[mid].cond, cond) < 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || compare_call(&m[lo], &key) != 0)
		return false;
	return any_cond || profile_allowed_strcmp(m[lo].cond, cond) == 0;
}

/* The cells of one (name, arch) group of entries, [@from, @to): none when the merge left the
 * call out there. */
static int group_cells(const struct profile_coverage *c, size_t from, size_t to,
		       const struct profile_coverage_entry *m, size_t n_m, struct cells *cells,
		       bool *seen, bool *plain)
{
	const struct profile_coverage_entry *e = &c->entries[from];

	if (!merged_has(m, n_m, e, NULL, true))
		return 0;
	memset(seen, 0, c->n_inputs * sizeof(*seen));
	memset(plain, 0, c->n_inputs * sizeof(*plain));
	for (size_t i = from; i < to; i++) {
		seen[c->entries[i].input] = true;
		if (!c->entries[i].cond)
			plain[c->entries[i].input] = true;
	}
	if (cells_push(cells, e->name, NULL, e->arch, seen, c->n_inputs) < 0)
		return -1;
	/* Each condition: the inputs that have it, and those that run the call without any. */
	for (size_t i = from; i < to;) {
		const char *cond = c->entries[i].cond;
		size_t j = i;

		memcpy(seen, plain, c->n_inputs * sizeof(*seen));
		for (; j < to && profile_allowed_strcmp(c->entries[j].cond, cond) == 0; j++)
			seen[c->entries[j].input] = true;
		if (cond &&
		    (merged_has(m, n_m, e, cond, false) || merged_has(m, n_m, e, NULL, false)) &&
		    cells_push(cells, e->name, cond, e->arch, seen, c->n_inputs) < 0)
			return -1;
		i = j;
	}
	return 0;
}

static int item_from(struct profile_coverage_item *it, struct cell *first, const struct cell *v,
		     size_t n)
{
	memset(it, 0, sizeof(*it));
	it->name = strdup(first->name);
	it->condition = first->cond ? strdup(first->cond) : NULL;
	it->arches = calloc(n, sizeof(*it->arches));
	if (!it->name || (first->cond && !it->condition) || !it->arches)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!(it->arches[it->n_arches++] = strdup(v[i].arch)))
			return -1;
	it->inputs = TAKE_PTR(first->inputs);
	it->runs = first->runs;
	return 0;
}

static int build_items(struct profile_coverage *c, struct cells *cells)
{
	if (cells->n > 1)
		qsort(cells->v, cells->n, sizeof(*cells->v), compare_cell);
	c->items = calloc(cells->n ? cells->n : 1, sizeof(*c->items));
	if (!c->items)
		return -1;
	for (size_t i = 0; i < cells->n;) {
		size_t j = i + 1;

		while (j < cells->n && same_item(&cells->v[i], &cells->v[j]))
			j++;
		if (item_from(&c->items[c->n_items++], &cells->v[i], &cells->v[i], j - i) < 0)
			return -1;
		i = j;
	}
	return 0;
}

static int compare_item_name(const void *key, const void *item)
{
	return strcmp(key, ((const struct profile_coverage_item *)item)->name);
}

/* The names an input lets run that no item has: the merge left them out (the items and the
 * entries are sorted by name). */
static int build_left_out(struct profile_coverage *c)
{
	cleanup_strv struct strv left = { 0 };

	for (size_t i = 0; i < c->n_entries; i++) {
		const char *name = c->entries[i].name;

		if ((i && strcmp(c->entries[i - 1].name, name) == 0) ||
		    (c->n_items &&
		     bsearch(name, c->items, c->n_items, sizeof(*c->items), compare_item_name)))
			continue;
		if (strv_append(&left, name) < 0)
			return -1;
	}
	c->n_left_out = left.n;
	c->left_out = strv_steal(&left);
	return 0;
}

int profile_coverage_finish(struct profile_coverage *c, const struct profile *merged,
			    struct error *err)
{
	struct profile_coverage_entry *m = NULL;
	struct cells cells = { 0 };
	cleanup_free bool *seen = calloc(c->n_inputs ? c->n_inputs : 1, sizeof(bool));
	cleanup_free bool *plain = calloc(c->n_inputs ? c->n_inputs : 1, sizeof(bool));
	size_t n_m = 0;
	int ret = -1;

	if (!seen || !plain || collect_entries(merged, 0, &m, &n_m) < 0)
		goto out;
	entries_seal(m, &n_m);
	for (size_t i = 0; i < c->n_entries;) {
		size_t j = i + 1;

		while (j < c->n_entries && compare_call(&c->entries[i], &c->entries[j]) == 0)
			j++;
		if (group_cells(c, i, j, m, n_m, &cells, seen, plain) < 0)
			goto out;
		i = j;
	}
	if (build_items(c, &cells) < 0 || build_left_out(c) < 0)
		goto out;
	ret = 0;
out:
	entries_clear(m, n_m);
	cells_clear(&cells);
	if (ret < 0)
		return error_set(err, ENOMEM, "count the calls of each input");
	return 0;
}

void profile_coverage_clear(struct profile_coverage *c)
{
	for (size_t i = 0; i < c->n_items; i++) {
		struct profile_coverage_item *it = &c->items[i];

		free(it->name);
		free(it->condition);
		for (size_t j = 0; j < it->n_arches; j++)
			free(it->arches[j]);
		free(it->arches);
		free(it->inputs);
	}
	free(c->items);
	for (size_t i = 0; i < c->n_left_out; i++)
		free(c->left_out[i]);
	free(c->left_out);
	entries_clear(c->entries, c->n_entries);
	memset(c, 0, sizeof(*c));
}

/* Distinct names with a call item, and the items of each kind every input has. */
static void coverage_counts(const struct profile_coverage *c, size_t *calls, size_t *every_call,
			    size_t *every_cond)
{
	*calls = *every_call = *every_cond = 0;
	for (size_t i = 0; i < c->n_items; i++) {
		const struct profile_coverage_item *it = &c->items[i];

		/* A name's call items come first, side by side: count the first. */
		if (!it->condition && (i == 0 || strcmp(c->items[i - 1].name, it->name) != 0))
			(*calls)++;
		if (it->runs == c->n_inputs)
			(*(it->condition ? every_cond : every_call))++;
	}
}

static void text_item(FILE *f, const struct profile_coverage *c,
		      const struct profile_coverage_item *it, const char *const *names)
{
	size_t k = 0;
	/* The shorter list: the runs that made it, or those that did not. */
	bool missing = it->runs > c->n_inputs - it->runs;

	fprintf(f, "    %s", it->name);
	if (it->condition)
		fprintf(f, " [%s]", it->condition);
	fputs(" (", f);
	for (size_t i = 0; i < it->n_arches; i++)
		fprintf(f, "%s%s", i ? " " : "", it->arches[i]);
	fputs(it->runs == 1 ? "): only in " : missing ? "): not in " : "): in ", f);
	for (size_t i = 0, n = 0; i < c->n_inputs; i++) {
		bool in = k < it->runs && it->inputs[k] == i;

		k += in;
		if (in != missing)
			fprintf(f, "%s%s", n++ ? ", " : "", names[i]);
	}
	fputs("\n", f);
}

static bool any_with_runs(const struct profile_coverage *c, size_t runs)
{
	for (size_t i = 0; i < c->n_items; i++)
		if (c->items[i].runs == runs)
			return true;
	return false;
}

static void text_with_runs(FILE *f, const struct profile_coverage *c, size_t runs,
			   const char *const *names)
{
	for (size_t i = 0; i < c->n_items; i++)
		if (c->items[i].runs == runs)
			text_item(f, c, &c->items[i], names);
}

int profile_coverage_text(const struct profile_coverage *c, const char *const *names, char **out,
			  size_t *len, struct error *err)
{
	size_t n = c->n_inputs, calls, every_call, every_cond;
	FILE *f;

	*out = NULL;
	f = open_memstream(out, len);
	if (!f)
		return error_set(err, errno, "format the coverage report");
	coverage_counts(c, &calls, &every_call, &every_cond);
	fprintf(f, "Coverage of %zu run%s: %zu call%s the merged profile allows\n", n,
		n == 1 ? "" : "s", calls, calls == 1 ? "" : "s");
	if (n == 1) {
		fputs("  one run: every call was seen once; record more runs to find rare paths\n",
		      f);
	} else {
		fprintf(f, "  in every run (%zu of %zu): %zu call%s", n, n, every_call,
			every_call == 1 ? "" : "s");
		if (every_cond)
			fprintf(f, ", %zu argument condition%s", every_cond,
				every_cond == 1 ? "" : "s");
		fputs("\n", f);
		for (size_t runs = n - 1; runs >= 2; runs--) {
			if (!any_with_runs(c, runs))
				continue;
			fprintf(f, "  in %zu of %zu runs:\n", runs, n);
			text_with_runs(f, c, runs, names);
		}
		if (any_with_runs(c, 1)) {
			fprintf(f,
				"Rare paths: review them or record more runs (seen in 1 of %zu "
				"runs):\n",
				n);
			text_with_runs(f, c, 1, names);
		} else {
			fprintf(f,
				"Rare paths: none (every call was seen in 2 or more of the %zu "
				"runs)\n",
				n);
		}
	}
	if (c->n_left_out) {
		fputs("Left out (another input blocks them): ", f);
		for (size_t i = 0; i < c->n_left_out; i++)
			fprintf(f, "%s%s", i ? ", " : "", c->left_out[i]);
		fputs("\n", f);
	}
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return error_set(err, ENOMEM, "format the coverage report");
	}
	return 0;
}

static void json_strings(struct json_writer *w, const char *key, char *const *v, size_t n)
{
	json_w_key(w, key);
	json_w_strings(w, v, n);
}

static void json_item(struct json_writer *w, const struct profile_coverage_item *it,
		      const char *const *names, bool rare)
{
	json_w_object_begin(w);
	json_w_key(w, "name");
	json_w_string(w, it->name);
	if (it->condition) {
		json_w_key(w, "condition");
		json_w_string(w, it->condition);
	}
	json_strings(w, "architectures", it->arches, it->n_arches);
	if (rare) {
		json_w_key(w, "input");
		json_w_string(w, names[it->inputs[0]]);
	} else {
		json_w_key(w, "runs");
		json_w_uint(w, it->runs);
		json_w_key(w, "inputs");
		json_w_array_begin(w);
		for (size_t i = 0; i < it->runs; i++)
			json_w_string(w, names[it->inputs[i]]);
		json_w_array_end(w);
	}
	json_w_object_end(w);
}

/* The items of one kind (@conditions: argument conditions, else calls), or the rare ones. */
static void json_items(struct json_writer *w, const struct profile_coverage *c, const char *key,
		       const char *const *names, bool conditions, bool rare)
{
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < c->n_items; i++) {
		const struct profile_coverage_item *it = &c->items[i];

		if (rare ? it->runs == 1 && c->n_inputs > 1 : !it->condition == !conditions)
			json_item(w, it, names, rare);
	}
	json_w_array_end(w);
}

int profile_coverage_json(const struct profile_coverage *c, const char *const *names, char **out,
			  size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	size_t calls, every_call, every_cond;

	if (!w)
		return error_set(err, ENOMEM, "format the coverage report");
	coverage_counts(c, &calls, &every_call, &every_cond);
	json_w_object_begin(w);
	json_w_key(w, "runs");
	json_w_uint(w, c->n_inputs);
	json_strings(w, "inputs", (char *const *)names, c->n_inputs);
	json_w_key(w, "calls");
	json_w_uint(w, calls);
	json_w_key(w, "everyRun");
	json_w_uint(w, every_call);
	json_items(w, c, "allowed", names, false, false);
	json_items(w, c, "conditions", names, true, false);
	json_items(w, c, "rare", names, false, true);
	json_strings(w, "leftOut", c->left_out, c->n_left_out);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}
