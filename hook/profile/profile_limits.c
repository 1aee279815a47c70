// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The limits on argument rules (profile.h says why): what each rule gives libseccomp, added
 * up per call and over the profile, checked before anything is compiled; and what runtimes
 * take in a profile at all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/profile.h"

/* What one rule with `args` gives libseccomp, for each of its names. */
struct arg_rule_shape {
	size_t rules; /* rules added: 1, or one per condition when an index repeats */
	bool multi;   /* one rule comparing several arguments */
	size_t wide;  /* conditions whose value or mask needs more than 32 bits */
};

static struct arg_rule_shape arg_rule_shape(const struct profile_rule *r)
{
	struct arg_rule_shape shape = { 0 };
	bool seen[PROFILE_MAX_ARGS] = { false }, repeats = false;

	for (size_t i = 0; i < r->n_args; i++) {
		const struct profile_arg *a = &r->args[i];

		if (a->index < PROFILE_MAX_ARGS && seen[a->index])
			repeats = true;
		if (a->index < PROFILE_MAX_ARGS)
			seen[a->index] = true;
		if (a->value > UINT32_MAX ||
		    (a->op == SCMP_CMP_MASKED_EQ && a->value_two > UINT32_MAX))
			shape.wide++;
	}
	/* As add_rule_to_filter (and runc): a repeated index makes one rule per condition. */
	shape.rules = repeats ? r->n_args : 1;
	shape.multi = !repeats && r->n_args > 1;
	return shape;
}

/* The argument rules of one call, added up over the rules that name it, in profile order. */
struct call_tally {
	const char *name;
	size_t rules, multi, wide;
	size_t before_multi; /* argument rules ahead of its last rule comparing several arguments */
};

static void tally_call(struct call_tally *calls, size_t *n, const char *name,
		       const struct arg_rule_shape *shape)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(calls[i].name, name) == 0)
			break;
	if (i == *n) {
		calls[i] = (struct call_tally){ .name = name };
		(*n)++;
	}
	if (shape->multi)
		calls[i].before_multi = calls[i].rules;
	calls[i].rules += shape->rules;
	calls[i].multi += shape->multi;
	calls[i].wide += shape->wide;
}

static int check_call(const struct call_tally *c, const char *what, struct error *err)
{
	if (c->rules > PROFILE_MAX_CALL_ARG_RULES)
		return error_set(err, 0, "%s has %zu argument rules for `%s`; the limit is %d",
				 what, c->rules, c->name, PROFILE_MAX_CALL_ARG_RULES);
	if (c->before_multi > PROFILE_MAX_CALL_RULES_BEFORE_MULTI)
		return error_set(err, 0,
				 "%s has %zu argument rules for `%s` ahead of a rule that compares "
				 "several arguments at once; the limit is %d (such a rule can come "
				 "first)",
				 what, c->before_multi, c->name,
				 PROFILE_MAX_CALL_RULES_BEFORE_MULTI);
	if (c->wide > PROFILE_MAX_CALL_WIDE_VALUES)
		return error_set(
			err, 0,
			"%s has %zu argument values for `%s` above 32 bits; the limit is %d", what,
			c->wide, c->name, PROFILE_MAX_CALL_WIDE_VALUES);
	return 0;
}

int profile_check_limits(const struct profile *p, const char *what, struct error *err)
{
	cleanup_free struct arg_rule_shape *shapes = calloc(p->n_rules + 1, sizeof(*shapes));
	cleanup_free struct call_tally *calls = NULL;
	size_t total = 0, multi = 0, n_calls = 0;

	if (!shapes)
		return error_set(err, ENOMEM, "%s", what);
	/* The totals first: they bound the tally below, whatever the profile holds. */
	for (size_t i = 0; i < p->n_rules; i++) {
		if (!p->rules[i].n_args)
			continue;
		shapes[i] = arg_rule_shape(&p->rules[i]);
		total += shapes[i].rules * p->rules[i].n_names;
		multi += shapes[i].multi * p->rules[i].n_names;
	}
	if (total > PROFILE_MAX_ARG_RULES)
		return error_set(err, 0, "%s has %zu argument rules; the limit is %d", what, total,
				 PROFILE_MAX_ARG_RULES);
	if (multi > PROFILE_MAX_MULTI_ARG_RULES)
		return error_set(
			err, 0,
			"%s has %zu rules that compare several arguments at once; the limit "
			"is %d",
			what, multi, PROFILE_MAX_MULTI_ARG_RULES);
	calls = calloc(total + 1, sizeof(*calls));
	if (!calls)
		return error_set(err, ENOMEM, "%s", what);
	/* A rule without conditions has rules == 0 in its shape: it tallies nothing. */
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; shapes[i].rules && j < p->rules[i].n_names; j++)
			tally_call(calls, &n_calls, p->rules[i].names[j], &shapes[i]);
	for (size_t i = 0; i < n_calls; i++)
		if (check_call(&calls[i], what, err) < 0)
			return -1;
	return 0;
}

static bool action_takes_errno(const char *action)
{
	return strcmp(action, "SCMP_ACT_ERRNO") == 0 || strcmp(action, "SCMP_ACT_TRACE") == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The call named by more than PROFILE_RUNTIME_MAX_CALL_ENTRIES rules, if any. */
static int check_call_entries(const struct profile *p, const char *what, struct error *err)
{
	cleanup_free char **names = NULL;
	size_t n = 0, total = 0;

	for (size_t i = 0; i < p->n_rules; i++)
		total += p->rules[i].n_names;
	if (total <= PROFILE_RUNTIME_MAX_CALL_ENTRIES)
		return 0;
	names = malloc(total * sizeof(*names));
	if (!names)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			names[n++] = p->rules[i].names[j];
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0, run = 1; i < n; i++, run++) {
		if (i + 1 < n && strcmp(names[i], names[i + 1]) == 0)
			continue;
		if (run > PROFILE_RUNTIME_MAX_CALL_ENTRIES)
			return error_set(err, 0,
					 "%s has %zu entries for `%s`; runtimes take at most %d "
					 "for one call",
					 what, run, names[i], PROFILE_RUNTIME_MAX_CALL_ENTRIES);
		run = 0;
	}
	return 0;
}

int profile_check_runtime(const struct profile *p, size_t len, const char *what, struct error *err)
{
	static const char *const listener[] = { "listenerPath", "listenerMetadata" };

	if (len > PROFILE_RUNTIME_MAX_BYTES)
		return error_set(err, 0, "%s is %zu bytes; runtimes take at most %d", what, len,
				 PROFILE_RUNTIME_MAX_BYTES);
	if (strcmp(p->default_action, "SCMP_ACT_NOTIFY") == 0)
		return error_set(err, 0,
				 "%s has defaultAction SCMP_ACT_NOTIFY, which needs a listener: "
				 "runtimes refuse it in a profile",
				 what);
	for (size_t i = 0; i < sizeof(listener) / sizeof(*listener); i++)
		if (p->tree && json_get(p->tree, listener[i]))
			return error_set(err, 0,
					 "%s has `%s`: a listener is the node's, runtimes refuse "
					 "it in a profile",
					 what, listener[i]);
	if (p->has_default_errno_ret && !action_takes_errno(p->default_action))
		return error_set(err, 0,
				 "%s has defaultErrnoRet with defaultAction %s: errnoRet goes with "
				 "SCMP_ACT_ERRNO or SCMP_ACT_TRACE only (crun refuses it)",
				 what, p->default_action);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		const char *call = r->n_names ? r->names[0] : "(no name)";

		if (strcmp(r->action, "SCMP_ACT_NOTIFY") == 0)
			return error_set(err, 0,
					 "%s: rule %zu (`%s`) has SCMP_ACT_NOTIFY, which needs a "
					 "listener: runtimes refuse it in a profile",
					 what, i + 1, call);
		if (r->has_errno_ret && !action_takes_errno(r->action))
			return error_set(err, 0,
					 "%s: rule %zu (`%s`) has errnoRet with %s: errnoRet goes "
					 "with SCMP_ACT_ERRNO or SCMP_ACT_TRACE only (crun refuses "
					 "it)",
					 what, i + 1, call, r->action);
	}
	return check_call_entries(p, what, err);
}
