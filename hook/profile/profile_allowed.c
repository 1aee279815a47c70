// SPDX-License-Identifier: GPL-2.0-or-later
/* The (call, architecture, condition) items a profile lets run, sorted, once each. */
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/profile_allowed.h"
#include "profile/syscalls.h"

#define FIRST_CAP 256

int profile_allowed_strcmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

int profile_allowed_order(const char *name_a, const char *cond_a, const char *name_b,
			  const char *cond_b)
{
	int c = strcmp(name_a, name_b);

	return c ? c : profile_allowed_strcmp(cond_a, cond_b);
}

static int compare_items(const void *a, const void *b)
{
	const struct profile_allowed_item *x = a, *y = b;
	int c = profile_allowed_order(x->name, x->cond, y->name, y->cond);

	return c ? c : strcmp(x->arch, y->arch);
}

static int push(struct profile_allowed *a, struct profile_allowed_item x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : FIRST_CAP;
		struct profile_allowed_item *bigger = realloc(a->v, cap * sizeof(*bigger));

		if (!bigger)
			return -1;
		a->v = bigger;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

/* Names a rule that does not let the call run names without conditions: never run. */
static int blocked_names(const struct profile *p, struct strv *out)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (profile_action_runs(r->action) || r->n_args)
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			if (strv_append(out, r->names[j]) < 0)
				return -1;
	}
	strv_sort_unique(out);
	return 0;
}

/* The architectures the profile's filter covers by what it lists, once each, or the native. */
static int profile_arches(const struct profile *p, struct strv *out)
{
	const char *native = syscalls_arch_name(syscalls_native_arch());

	if (!p->n_arches)
		return native ? strv_append(out, native) : 0;
	for (size_t i = 0; i < p->n_arches; i++)
		if (strv_add_unique(out, p->arches[i]) < 0)
			return -1;
	return 0;
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

/* The items of rule @r on every architecture, but for the names in @blocked. */
static int collect_rule(struct profile_allowed *a, const struct profile_rule *r,
			const struct strv *blocked)
{
	const char *cond = NULL;

	if (r->n_args) {
		if (strv_take(&a->conds, profile_condition(r->args, r->n_args)) < 0)
			return -1;
		cond = a->conds.v[a->conds.n - 1];
	}
	for (size_t j = 0; j < r->n_names; j++) {
		if (strv_sorted_contains(blocked, r->names[j]))
			continue;
		for (size_t k = 0; k < a->arches.n; k++) {
			struct profile_allowed_item x = { r->names[j], a->arches.v[k], cond, r };

			if (counts_on(x.arch, x.name) && push(a, x) < 0)
				return -1;
		}
	}
	return 0;
}

int profile_allowed_collect(const struct profile *p, struct profile_allowed *out)
{
	cleanup_strv struct strv blocked = { 0 };
	size_t kept = 0;

	memset(out, 0, sizeof(*out));
	if (blocked_names(p, &blocked) < 0 || profile_arches(p, &out->arches) < 0)
		goto nomem;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (profile_action_runs(r->action) && r->n_names &&
		    collect_rule(out, r, &blocked) < 0)
			goto nomem;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), compare_items);
	for (size_t i = 0; i < out->n; i++)
		if (!kept || compare_items(&out->v[kept - 1], &out->v[i]) != 0)
			out->v[kept++] = out->v[i];
	out->n = kept;
	return 0;
nomem:
	profile_allowed_clear(out);
	return -1;
}

bool profile_allowed_has(const struct profile_allowed *a, const char *name, const char *cond,
			 const char *arch)
{
	struct profile_allowed_item key = { .name = name, .arch = arch, .cond = cond };

	return a->n && bsearch(&key, a->v, a->n, sizeof(*a->v), compare_items) != NULL;
}

void profile_allowed_clear(struct profile_allowed *a)
{
	free(a->v);
	strv_free(&a->conds);
	strv_free(&a->arches);
	memset(a, 0, sizeof(*a));
}
