// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The profile model and its vocabulary: actions, operators, conditions, and the rules and
 * architectures a profile holds, added to and freed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/strv.h"
#include "profile/profile.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The actions libseccomp knows, as profiles spell them. */
static const char *const actions[] = {
	"SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
	"SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",	   "SCMP_ACT_TRACE",
	"SCMP_ACT_ALLOW", "SCMP_ACT_LOG",	   "SCMP_ACT_NOTIFY",
};

/* The comparison operators: as profiles spell them, and as conditions read. */
static const struct {
	enum scmp_compare op;
	const char *name;
	const char *text;
} operators[] = {
	{ SCMP_CMP_NE, "SCMP_CMP_NE", "!=" },
	{ SCMP_CMP_LT, "SCMP_CMP_LT", "<" },
	{ SCMP_CMP_LE, "SCMP_CMP_LE", "<=" },
	{ SCMP_CMP_EQ, "SCMP_CMP_EQ", "==" },
	{ SCMP_CMP_GE, "SCMP_CMP_GE", ">=" },
	{ SCMP_CMP_GT, "SCMP_CMP_GT", ">" },
	{ SCMP_CMP_MASKED_EQ, "SCMP_CMP_MASKED_EQ", "&" },
};

bool profile_action_known(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(actions); i++)
		if (strcmp(actions[i], name) == 0)
			return true;
	return false;
}

bool profile_action_runs(const char *action)
{
	return strcmp(action, "SCMP_ACT_ALLOW") == 0 || strcmp(action, "SCMP_ACT_LOG") == 0;
}

const char *profile_operator_name(enum scmp_compare op)
{
	for (size_t i = 0; i < N_ELEMS(operators); i++)
		if (operators[i].op == op)
			return operators[i].name;
	return "SCMP_CMP_EQ";
}

const char *profile_operator_text(enum scmp_compare op)
{
	for (size_t i = 0; i < N_ELEMS(operators); i++)
		if (operators[i].op == op)
			return operators[i].text;
	return "?";
}

bool profile_operator_from_name(const char *name, enum scmp_compare *op)
{
	for (size_t i = 0; i < N_ELEMS(operators); i++) {
		if (strcmp(operators[i].name, name) == 0) {
			*op = operators[i].op;
			return true;
		}
	}
	return false;
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

struct profile_arg *profile_args_sorted(const struct profile_arg *args, size_t n)
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

char *profile_condition(const struct profile_arg *args, size_t n)
{
	cleanup_free struct profile_arg *sorted = profile_args_sorted(args, n);
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
			fprintf(f, "arg%" PRIu32 " %s %" PRIu64, a->index,
				profile_operator_text(a->op), a->value);
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

void profile_rule_free(struct profile_rule *r)
{
	strv_array_free(r->names, r->n_names);
	free(r->action);
	free(r->args);
}

struct profile *profile_new(void)
{
	struct profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->default_action = strdup("SCMP_ACT_ERRNO");
	if (!p->default_action) {
		free(p);
		return NULL;
	}
	p->has_default_errno_ret = true;
	p->default_errno_ret = PROFILE_DEFAULT_ERRNO;
	return p;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rules; i++)
		profile_rule_free(&p->rules[i]);
	free(p->rules);
	strv_array_free(p->arches, p->n_arches);
	free(p->default_action);
	json_free(p->tree);
	free(p);
}

bool profile_mentions(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			if (strcmp(p->rules[i].names[j], name) == 0)
				return true;
	return false;
}

bool profile_has_arch(const struct profile *p, const char *arch)
{
	for (size_t i = 0; i < p->n_arches; i++)
		if (strcmp(p->arches[i], arch) == 0)
			return true;
	return false;
}

int profile_add_arch(struct profile *p, const char *arch, struct error *err)
{
	if (p->has_arch_map || profile_has_arch(p, arch))
		return 0;
	if (strv_array_append(&p->arches, &p->n_arches, arch) < 0)
		return error_set(err, ENOMEM, "add architecture %s", arch);
	return 0;
}

/* Append a rule with @action (errnoRet @errno_ret when @has_errno) naming @names (copied). */
static struct profile_rule *add_rule(struct profile *p, const char *action, bool has_errno,
				     uint32_t errno_ret, char *const *names, size_t n,
				     struct error *err)
{
	cleanup_strv struct strv copy = { 0 };
	struct profile_rule *bigger, *r;

	/* What is written must read back: stay within the limits profile_parse enforces. */
	if (p->n_rules >= PROFILE_MAX_RULES) {
		error_set(err, 0, "the profile has %d rules already, the most it may have",
			  PROFILE_MAX_RULES);
		return NULL;
	}
	if (n > PROFILE_MAX_NAMES) {
		error_set(err, 0, "a rule may name at most %d calls, not %zu", PROFILE_MAX_NAMES,
			  n);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (strv_append(&copy, names[i]) < 0)
			goto nomem;
	bigger = realloc(p->rules, (p->n_rules + 1) * sizeof(*p->rules));
	if (!bigger)
		goto nomem;
	p->rules = bigger;
	r = &p->rules[p->n_rules];
	*r = (struct profile_rule){ .has_errno_ret = has_errno, .errno_ret = errno_ret };
	p->n_rules++;
	r->n_names = copy.n;
	r->names = strv_steal(&copy);
	r->action = strdup(action);
	if (!r->action)
		goto nomem;
	return r;
nomem:
	error_set(err, ENOMEM, "add a rule");
	return NULL;
}

/* Give @r a copy of the conditions @args. */
static int set_args(struct profile_rule *r, const struct profile_arg *args, size_t n,
		    struct error *err)
{
	if (n > PROFILE_MAX_ARGS)
		return error_set(err, 0, "a rule may have at most %d argument conditions, not %zu",
				 PROFILE_MAX_ARGS, n);
	if (!n)
		return 0;
	r->args = malloc(n * sizeof(*r->args));
	if (!r->args)
		return error_set(err, ENOMEM, "add a rule");
	memcpy(r->args, args, n * sizeof(*args));
	r->n_args = n;
	return 0;
}

int profile_add_rule(struct profile *p, const char *action, char *const *names, size_t n,
		     struct error *err)
{
	return add_rule(p, action, false, 0, names, n, err) ? 0 : -1;
}

int profile_add_errno_rule(struct profile *p, const char *action, uint32_t errno_ret,
			   char *const *names, size_t n, struct error *err)
{
	return add_rule(p, action, true, errno_ret, names, n, err) ? 0 : -1;
}

int profile_add_rule_like(struct profile *p, const struct profile_rule *like, char *const *names,
			  size_t n, struct error *err)
{
	struct profile_rule *r = add_rule(p, like->action, like->has_errno_ret, like->errno_ret,
					  names, n, err);

	return r ? set_args(r, like->args, like->n_args, err) : -1;
}

int profile_add_arg_rule(struct profile *p, const char *action, const char *name,
			 const struct profile_arg *args, size_t n_args, struct error *err)
{
	char *names[1] = { (char *)name };
	struct profile_rule *r;

	if (n_args > PROFILE_MAX_ARGS)
		return error_set(err, 0, "a rule may have at most %d argument conditions, not %zu",
				 PROFILE_MAX_ARGS, n_args);
	r = add_rule(p, action, false, 0, names, 1, err);
	return r ? set_args(r, args, n_args, err) : -1;
}
