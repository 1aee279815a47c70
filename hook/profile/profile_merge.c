// SPDX-License-Identifier: GPL-2.0-or-later
/* Several profiles of one workload become one: the union of what they allow, blocks kept. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/strv.h"
#include "profile/fallbacks.h"
#include "profile/profile_merge.h"
#include "profile/syscalls.h"

static bool plain_allow(const struct profile_rule *r)
{
	return strcmp(r->action, "SCMP_ACT_ALLOW") == 0 && r->n_args == 0;
}

static int push_rule(struct profile *p, const struct profile_rule *r, struct error *err)
{
	struct profile_rule *bigger = realloc(p->rules, (p->n_rules + 1) * sizeof(*bigger));

	if (!bigger)
		return error_set(err, ENOMEM, "keep a rule");
	p->rules = bigger;
	p->rules[p->n_rules++] = *r;
	return 0;
}

static char *condition_of(const struct profile_rule *r)
{
	return r->n_args ? profile_condition(r->args, r->n_args) : strdup("");
}

/* @c: the condition texts of the result's rules, index for index ("" when none). */
static int conditions_sync(struct strv *c, const struct profile *p)
{
	while (c->n < p->n_rules)
		if (strv_take(c, condition_of(&p->rules[c->n])) < 0)
			return -1;
	return 0;
}

/* Whether a rule of @p already gives @name something under condition @cond. */
static bool mentioned_under(const struct profile *p, const struct strv *c, const char *name,
			    const char *cond)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		if (strcmp(c->v[i], cond) != 0)
			continue;
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			if (strcmp(p->rules[i].names[j], name) == 0)
				return true;
	}
	return false;
}

/* An input without architectures compiles for the native one only. */
static int merge_arches(struct profile *const *inputs, const char *const *what, size_t n,
			struct error *err)
{
	struct profile *first = inputs[0];
	const char *native = syscalls_arch_name(syscalls_native_arch());
	bool any = false;

	for (size_t i = 0; i < n; i++)
		any |= inputs[i]->n_arches > 0;
	if (!any)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct profile *p = inputs[i];
		size_t count = p->n_arches ? p->n_arches : 1;

		for (size_t j = 0; j < count; j++) {
			const char *arch = p->n_arches ? p->arches[j] : native;

			if (profile_has_arch(first, arch))
				continue;
			if (first->has_arch_map)
				return error_set(err, 0,
						 "%s lists its architectures in archMap, which "
						 "cannot take %s from %s: put a profile with "
						 "`architectures` first",
						 what[0], arch, what[i]);
			if (profile_add_arch(first, arch, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* The first input's rules without its plain allow rules, blocked names taken out of allows. */
static int keep_first_rules(struct profile *first, const struct strv *blocked,
			    const struct strv *plain, struct error *err)
{
	struct profile_rule *old = first->rules;
	size_t n_old = first->n_rules, i;
	int ret = -1;

	first->rules = NULL;
	first->n_rules = 0;
	for (i = 0; i < n_old; i++) {
		struct profile_rule *r = &old[i];
		cleanup_free char **names = NULL;
		size_t n = 0;
		bool any_blocked = false;

		bool answer = fallbacks_is_rule(r);

		if (plain_allow(r)) {
			profile_rule_free(r);
			continue;
		}
		/*
		 * An allow loses its blocked names; an ENOSYS answer, the names a run needed and
		 * those another input blocks (its block is added in its place).
		 */
		for (size_t j = 0; (answer || profile_action_runs(r->action)) && j < r->n_names;
		     j++)
			any_blocked |= strv_sorted_contains(blocked, r->names[j]) ||
				       (answer && strv_sorted_contains(plain, r->names[j]));
		if (!any_blocked) {
			if (push_rule(first, r, err) < 0)
				goto out;
			continue;
		}
		/* Rewritten as a new rule: fields other than the model's are not kept. */
		names = calloc(r->n_names, sizeof(*names));
		if (!names) {
			error_set(err, ENOMEM, "merge rules");
			goto out;
		}
		for (size_t j = 0; j < r->n_names; j++)
			if (!strv_sorted_contains(blocked, r->names[j]) &&
			    !(answer && strv_sorted_contains(plain, r->names[j])))
				names[n++] = r->names[j];
		if (n && profile_add_rule_like(first, r, names, n, err) < 0)
			goto out;
		profile_rule_free(r);
	}
	ret = 0;
out:
	/* On failure, the rules not yet handed over are freed here, the others by the caller. */
	for (size_t k = ret < 0 ? i : n_old; k < n_old; k++)
		profile_rule_free(&old[k]);
	free(old);
	return ret;
}

/* The later inputs' rules other than plain allows, where they say something new. */
static int add_later_rules(struct profile *first, const struct profile *p,
			   const struct strv *blocked, const struct strv *allowed,
			   struct strv *conds, size_t *added, struct error *err)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		bool runs = profile_action_runs(r->action);
		cleanup_free char **names = NULL;
		cleanup_free char *cond = NULL;
		size_t n = 0;

		if (plain_allow(r) || fallbacks_is_rule(r))
			continue;
		names = calloc(r->n_names ? r->n_names : 1, sizeof(*names));
		cond = condition_of(r);
		if (!names || !cond || conditions_sync(conds, first) < 0)
			return error_set(err, ENOMEM, "merge rules");
		for (size_t j = 0; j < r->n_names; j++) {
			const char *name = r->names[j];
			bool dup = false;

			/* Blocked stays blocked; the merged allow rule covers every argument. */
			if (runs && (strv_sorted_contains(blocked, name) ||
				     strv_sorted_contains(allowed, name)))
				continue;
			if (mentioned_under(first, conds, name, cond))
				continue;
			for (size_t k = 0; k < n && !dup; k++)
				dup = strcmp(names[k], name) == 0;
			if (!dup)
				names[n++] = r->names[j];
		}
		if (!n)
			continue;
		if (profile_add_rule_like(first, r, names, n, err) < 0)
			return -1;
		(*added)++;
	}
	return 0;
}

int profile_merge(struct profile *const *inputs, const char *const *what, size_t n,
		  struct profile_merge_summary *summary, struct error *err)
{
	struct profile *first = inputs[0];
	cleanup_strv struct strv plain = { 0 }, blocked = { 0 }, decided = { 0 }, allowed = { 0 };
	cleanup_strv struct strv enosys = { 0 }, conds = { 0 };
	size_t n_enosys;

	memset(summary, 0, sizeof(*summary));
	for (size_t i = 0; i < n; i++)
		if (profile_action_runs(inputs[i]->default_action))
			return error_set(err, 0,
					 "%s: defaultAction %s lets every call run; merge combines "
					 "default-deny profiles",
					 what[i], inputs[i]->default_action);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < inputs[i]->n_rules; j++) {
			const struct profile_rule *r = &inputs[i]->rules[j];
			struct strv *into = plain_allow(r)		    ? &plain :
					    fallbacks_is_rule(r)	    ? &enosys :
					    !profile_action_runs(r->action) ? &blocked :
					    i == 0 && !r->n_args	    ? &decided :
									      NULL;

			for (size_t k = 0; into && k < r->n_names; k++)
				if (strv_append(into, r->names[k]) < 0)
					goto nomem;
		}
	}
	strv_sort_unique(&plain);
	strv_sort_unique(&blocked);
	strv_sort_unique(&decided);
	strv_sort_unique(&enosys);
	/* The first input's unconditional SCMP_ACT_LOG rules decide their names too. */
	for (size_t i = 0; i < plain.n; i++) {
		if (strv_sorted_contains(&blocked, plain.v[i]))
			summary->names_blocked++;
		else if (!strv_sorted_contains(&decided, plain.v[i]) &&
			 strv_append(&allowed, plain.v[i]) < 0)
			goto nomem;
	}
	strv_sort_unique(&allowed);

	if (merge_arches(inputs, what, n, err) < 0 ||
	    keep_first_rules(first, &blocked, &plain, err) < 0)
		return -1;
	for (size_t i = 1; i < n; i++)
		if (add_later_rules(first, inputs[i], &blocked, &allowed, &conds,
				    &summary->rules_added, err) < 0)
			return -1;
	if (allowed.n && profile_add_rule(first, "SCMP_ACT_ALLOW", allowed.v, allowed.n, err) < 0)
		return -1;
	summary->names_allowed = allowed.n;
	/* A call one run needed is allowed: an ENOSYS answer stays for the calls none needed. */
	if (fallbacks_add_rule(first, enosys.v, enosys.n, &n_enosys, err) < 0)
		return -1;
	return 0;
nomem:
	return error_set(err, ENOMEM, "merge profiles");
}
