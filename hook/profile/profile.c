// SPDX-License-Identifier: GPL-2.0-or-later
/* Seccomp profiles: the model, its validation against the JSON read, writing, and compiling. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "base/cleanup.h"
#include "profile/profile.h"
#include "profile/syscalls.h"

static const struct {
	const char *name;
	bool takes_errno; /* errnoRet is its value */
} actions[] = {
	{ "SCMP_ACT_KILL", false },	    { "SCMP_ACT_KILL_PROCESS", false },
	{ "SCMP_ACT_KILL_THREAD", false },  { "SCMP_ACT_TRAP", false },
	{ "SCMP_ACT_ERRNO", true },	    { "SCMP_ACT_TRACE", true },
	{ "SCMP_ACT_ALLOW", false },	    { "SCMP_ACT_LOG", false },
	{ "SCMP_ACT_NOTIFY", false },
};

static const struct {
	const char *name;
	enum scmp_compare op;
} operators[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },	    { "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },	    { "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },	    { "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static bool known_action(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(actions); i++)
		if (strcmp(actions[i].name, name) == 0)
			return true;
	return false;
}

static const char *operator_name(enum scmp_compare op)
{
	for (size_t i = 0; i < N_ELEMS(operators); i++)
		if (operators[i].op == op)
			return operators[i].name;
	return "SCMP_CMP_EQ";
}

static uint32_t scmp_action(const char *name, bool has_errno, uint32_t errno_ret)
{
	if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
		return SCMP_ACT_KILL_THREAD;
	if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
		return SCMP_ACT_KILL_PROCESS;
	if (strcmp(name, "SCMP_ACT_TRAP") == 0)
		return SCMP_ACT_TRAP;
	if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
		return SCMP_ACT_ERRNO(has_errno ? errno_ret : PROFILE_DEFAULT_ERRNO);
	if (strcmp(name, "SCMP_ACT_TRACE") == 0)
		return SCMP_ACT_TRACE(has_errno ? errno_ret : PROFILE_DEFAULT_ERRNO);
	if (strcmp(name, "SCMP_ACT_LOG") == 0)
		return SCMP_ACT_LOG;
	if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
		return SCMP_ACT_NOTIFY;
	return SCMP_ACT_ALLOW;
}

/* A syscall name as libseccomp spells them: lower-case letters, digits and '_'. */
static bool valid_name_token(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > PROFILE_MAX_NAME_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_rule(struct profile_rule *r)
{
	free_strings(r->names, r->n_names);
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
		free_rule(&p->rules[i]);
	free(p->rules);
	free_strings(p->arches, p->n_arches);
	free(p->default_action);
	json_free(p->tree);
	free(p);
}

static int push_string(char ***v, size_t *n, const char *s)
{
	char **bigger = realloc(*v, (*n + 1) * sizeof(**v));

	if (!bigger)
		return -1;
	*v = bigger;
	bigger[*n] = strdup(s);
	if (!bigger[*n])
		return -1;
	(*n)++;
	return 0;
}

static int parse_errno(const struct json *v, const char *what, const char *field, uint32_t *out,
		       struct error *err)
{
	uint64_t n;

	if (!json_uint64(v, &n) || n > 4095)
		return error_set(err, 0, "%s: `%s` must be an errno number from 0 to 4095", what,
				 field);
	*out = (uint32_t)n;
	return 0;
}

static int parse_action(const struct json *v, const char *what, const char *field, char **out,
			struct error *err)
{
	const char *name = json_string(v);

	if (!name)
		return error_set(err, 0, "%s: `%s` must be a string, not %s", what, field,
				 v ? json_type_name(v) : "missing");
	if (!known_action(name))
		return error_set(err, 0, "%s: `%s` is not a seccomp action libseccomp knows", what,
				 field);
	*out = strdup(name);
	return *out ? 0 : error_set(err, ENOMEM, "%s", what);
}

static int parse_arg(const struct json *v, const char *what, struct profile_arg *arg,
		     struct error *err)
{
	const struct json *index = json_get(v, "index"), *value = json_get(v, "value");
	const struct json *value_two = json_get(v, "valueTwo"), *op = json_get(v, "op");
	uint64_t n;
	size_t i;

	if (json_type(v) != JSON_OBJECT)
		return error_set(err, 0, "%s: an entry of `args` is not an object", what);
	if (!index || !json_uint64(index, &n) || n >= PROFILE_MAX_ARGS)
		return error_set(err, 0, "%s: an argument `index` must be 0 to 5", what);
	arg->index = (uint32_t)n;
	if (!value || !json_uint64(value, &arg->value))
		return error_set(err, 0, "%s: an argument `value` must be an unsigned integer",
				 what);
	arg->value_two = 0;
	if (value_two && !json_uint64(value_two, &arg->value_two))
		return error_set(err, 0, "%s: an argument `valueTwo` must be an unsigned integer",
				 what);
	if (!op || !json_string(op))
		return error_set(err, 0, "%s: an argument `op` must be a string", what);
	for (i = 0; i < N_ELEMS(operators); i++)
		if (strcmp(operators[i].name, json_string(op)) == 0)
			break;
	if (i == N_ELEMS(operators))
		return error_set(err, 0, "%s: argument `op` is not a SCMP_CMP_* operator", what);
	arg->op = operators[i].op;
	return 0;
}

static int parse_names(const struct json *rule, const char *what, struct profile_rule *r,
		       struct error *err)
{
	const struct json *names = json_get(rule, "names"), *name = json_get(rule, "name");

	if (names && json_type(names) != JSON_ARRAY)
		return error_set(err, 0, "%s: `names` of a rule must be an array, not %s", what,
				 json_type_name(names));
	if (name && !json_string(name))
		return error_set(err, 0, "%s: `name` of a rule must be a string", what);
	if (names && json_len(names) > PROFILE_MAX_NAMES)
		return error_set(err, 0, "%s: a rule has more than %d names", what,
				 PROFILE_MAX_NAMES);
	for (size_t i = 0; names && i < json_len(names); i++) {
		const char *s = json_string(json_at(names, i));

		if (!s)
			return error_set(err, 0, "%s: `names` must hold strings only", what);
		if (!valid_name_token(s))
			return error_set(err, 0, "%s: `names` holds a value that is not a syscall name",
					 what);
		if (push_string(&r->names, &r->n_names, s) < 0)
			return error_set(err, ENOMEM, "%s", what);
	}
	if (name) {
		if (!valid_name_token(json_string(name)))
			return error_set(err, 0, "%s: `name` is not a syscall name", what);
		if (push_string(&r->names, &r->n_names, json_string(name)) < 0)
			return error_set(err, ENOMEM, "%s", what);
	}
	return 0;
}

static int parse_rule(const struct json *rule, const char *what, struct profile_rule *r,
		      struct error *err)
{
	const struct json *args = json_get(rule, "args"), *errno_ret = json_get(rule, "errnoRet");

	if (json_type(rule) != JSON_OBJECT)
		return error_set(err, 0, "%s: an entry of `syscalls` is not an object", what);
	r->source = rule;
	if (parse_names(rule, what, r, err) < 0)
		return -1;
	if (parse_action(json_get(rule, "action"), what, "action", &r->action, err) < 0)
		return -1;
	if (errno_ret) {
		if (parse_errno(errno_ret, what, "errnoRet", &r->errno_ret, err) < 0)
			return -1;
		r->has_errno_ret = true;
	}
	if (!args || json_type(args) == JSON_NULL)
		return 0;
	if (json_type(args) != JSON_ARRAY)
		return error_set(err, 0, "%s: `args` of a rule must be an array", what);
	if (json_len(args) > PROFILE_MAX_ARGS)
		return error_set(err, 0, "%s: a rule has more than %d argument conditions", what,
				 PROFILE_MAX_ARGS);
	r->args = calloc(json_len(args) + 1, sizeof(*r->args));
	if (!r->args)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < json_len(args); i++) {
		if (parse_arg(json_at(args, i), what, &r->args[i], err) < 0)
			return -1;
		r->n_args++;
	}
	return 0;
}

static int parse_arches(const struct json *doc, const char *what, struct profile *p,
			struct error *err)
{
	const struct json *arches = json_get(doc, "architectures");
	const struct json *arch_map = json_get(doc, "archMap");

	if (arches && json_type(arches) != JSON_ARRAY && json_type(arches) != JSON_NULL)
		return error_set(err, 0, "%s: `architectures` must be an array", what);
	for (size_t i = 0; arches && i < json_len(arches); i++) {
		const char *a = json_string(json_at(arches, i));

		if (!a || !syscalls_arch_from_name(a))
			return error_set(err, 0, "%s: `architectures` holds an unknown architecture",
					 what);
		if (push_string(&p->arches, &p->n_arches, a) < 0)
			return error_set(err, ENOMEM, "%s", what);
	}
	if (!arch_map || json_type(arch_map) == JSON_NULL)
		return 0;
	if (json_type(arch_map) != JSON_ARRAY)
		return error_set(err, 0, "%s: `archMap` must be an array", what);
	if (json_len(arches) > 0 && json_len(arch_map) > 0)
		return error_set(err, 0, "%s: use either `architectures` or `archMap`, not both",
				 what);
	p->has_arch_map = json_len(arch_map) > 0;
	for (size_t i = 0; i < json_len(arch_map); i++) {
		const struct json *entry = json_at(arch_map, i);
		const struct json *subs = json_get(entry, "subArchitectures");
		const char *a = json_string(json_get(entry, "architecture"));

		if (!a || !syscalls_arch_from_name(a))
			return error_set(err, 0, "%s: an `archMap` entry has an unknown architecture",
					 what);
		if (subs && json_type(subs) != JSON_ARRAY && json_type(subs) != JSON_NULL)
			return error_set(err, 0, "%s: `subArchitectures` must be an array", what);
		/*
		 * As runc and podman read it: the entry of the host's architecture names what the
		 * filter is built for; the others are for other hosts (MIPS cannot be added here).
		 */
		if (syscalls_arch_from_name(a) != syscalls_native_arch())
			continue;
		if (!profile_has_arch(p, a) && push_string(&p->arches, &p->n_arches, a) < 0)
			return error_set(err, ENOMEM, "%s", what);
		for (size_t j = 0; subs && j < json_len(subs); j++) {
			const char *s = json_string(json_at(subs, j));

			if (!s || !syscalls_arch_from_name(s))
				return error_set(err, 0,
						 "%s: `subArchitectures` holds an unknown architecture",
						 what);
			if (!profile_has_arch(p, s) && push_string(&p->arches, &p->n_arches, s) < 0)
				return error_set(err, ENOMEM, "%s", what);
		}
	}
	return 0;
}

static int parse_document(const struct json *doc, const char *what, struct profile *p,
			  struct error *err)
{
	const struct json *rules = json_get(doc, "syscalls");
	const struct json *errno_ret = json_get(doc, "defaultErrnoRet");

	if (json_type(doc) != JSON_OBJECT)
		return error_set(err, 0, "%s is not a seccomp profile: the document is %s, not an object",
				 what, json_type_name(doc));
	if (parse_action(json_get(doc, "defaultAction"), what, "defaultAction", &p->default_action,
			 err) < 0)
		return -1;
	if (errno_ret) {
		if (parse_errno(errno_ret, what, "defaultErrnoRet", &p->default_errno_ret, err) < 0)
			return -1;
		p->has_default_errno_ret = true;
	}
	if (parse_arches(doc, what, p, err) < 0)
		return -1;
	if (!rules || json_type(rules) == JSON_NULL)
		return 0;
	if (json_type(rules) != JSON_ARRAY)
		return error_set(err, 0, "%s: `syscalls` must be an array, not %s", what,
				 json_type_name(rules));
	if (json_len(rules) > PROFILE_MAX_RULES)
		return error_set(err, 0, "%s: more than %d rules", what, PROFILE_MAX_RULES);
	p->rules = calloc(json_len(rules) + 1, sizeof(*p->rules));
	if (!p->rules)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < json_len(rules); i++) {
		p->n_rules++;
		if (parse_rule(json_at(rules, i), what, &p->rules[i], err) < 0)
			return -1;
	}
	return 0;
}

/* What one rule with `args` gives libseccomp, for each of its names. */
struct arg_rule_shape {
	size_t rules;	/* rules added: 1, or one per condition when an index repeats */
	bool multi;	/* one rule comparing several arguments */
	size_t wide;	/* conditions whose value or mask needs more than 32 bits */
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
		if (a->value > UINT32_MAX || (a->op == SCMP_CMP_MASKED_EQ && a->value_two > UINT32_MAX))
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
		return error_set(err, 0, "%s has %zu argument rules for `%s`; the limit is %d", what,
				 c->rules, c->name, PROFILE_MAX_CALL_ARG_RULES);
	if (c->before_multi > PROFILE_MAX_CALL_RULES_BEFORE_MULTI)
		return error_set(err, 0,
				 "%s has %zu argument rules for `%s` ahead of a rule that compares "
				 "several arguments at once; the limit is %d (such a rule can come "
				 "first)",
				 what, c->before_multi, c->name, PROFILE_MAX_CALL_RULES_BEFORE_MULTI);
	if (c->wide > PROFILE_MAX_CALL_WIDE_VALUES)
		return error_set(err, 0,
				 "%s has %zu argument values for `%s` above 32 bits; the limit is %d",
				 what, c->wide, c->name, PROFILE_MAX_CALL_WIDE_VALUES);
	return 0;
}

int profile_check_limits(const struct profile *p, const char *what, struct error *err)
{
	cleanup_free struct call_tally *calls = NULL;
	size_t total = 0, multi = 0, n_calls = 0;

	/* The totals first: they bound the tally below, whatever the profile holds. */
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		struct arg_rule_shape shape;

		if (!r->n_args)
			continue;
		shape = arg_rule_shape(r);
		total += shape.rules * r->n_names;
		multi += shape.multi * r->n_names;
	}
	if (total > PROFILE_MAX_ARG_RULES)
		return error_set(err, 0, "%s has %zu argument rules; the limit is %d", what, total,
				 PROFILE_MAX_ARG_RULES);
	if (multi > PROFILE_MAX_MULTI_ARG_RULES)
		return error_set(err, 0,
				 "%s has %zu rules that compare several arguments at once; the limit "
				 "is %d",
				 what, multi, PROFILE_MAX_MULTI_ARG_RULES);
	calls = calloc(total + 1, sizeof(*calls));
	if (!calls)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		struct arg_rule_shape shape;

		if (!r->n_args)
			continue;
		shape = arg_rule_shape(r);
		for (size_t j = 0; j < r->n_names; j++)
			tally_call(calls, &n_calls, r->names[j], &shape);
	}
	for (size_t i = 0; i < n_calls; i++)
		if (check_call(&calls[i], what, err) < 0)
			return -1;
	return 0;
}

int profile_parse(const char *text, size_t len, const char *what, struct profile **out,
		  struct error *err)
{
	cleanup_profile struct profile *p = calloc(1, sizeof(*p));

	if (!p)
		return error_set(err, ENOMEM, "%s", what);
	if (len > PROFILE_MAX_BYTES)
		return error_set(err, 0, "%s is larger than %d bytes", what, PROFILE_MAX_BYTES);
	if (json_parse(text, len, what, &p->tree, err) < 0)
		return -1;
	if (parse_document(p->tree, what, p, err) < 0 || profile_check_limits(p, what, err) < 0)
		return -1;
	*out = TAKE_PTR(p);
	return 0;
}

int profile_read_file(const char *path, enum fs_links links, struct profile **out,
		      struct error *err)
{
	cleanup_free char *text = NULL;
	char what[4200];
	size_t len;

	if (fs_read_file(path, links, PROFILE_MAX_BYTES, &text, &len, err) < 0)
		return -1;
	snprintf(what, sizeof(what), "profile `%s`", path);
	return profile_parse(text, len, what, out, err);
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
	if (push_string(&p->arches, &p->n_arches, arch) < 0)
		return error_set(err, ENOMEM, "add architecture %s", arch);
	return 0;
}

int profile_add_rule(struct profile *p, const char *action, char *const *names, size_t n,
		     struct error *err)
{
	struct profile_rule *bigger, *r;

	/* What is written must read back: stay within the limits profile_parse enforces. */
	if (p->n_rules >= PROFILE_MAX_RULES)
		return error_set(err, 0, "the profile has %d rules already, the most it may have",
				 PROFILE_MAX_RULES);
	if (n > PROFILE_MAX_NAMES)
		return error_set(err, 0, "a rule may name at most %d calls, not %zu",
				 PROFILE_MAX_NAMES, n);
	bigger = realloc(p->rules, (p->n_rules + 1) * sizeof(*p->rules));
	if (!bigger)
		return error_set(err, ENOMEM, "add a rule");
	p->rules = bigger;
	r = &p->rules[p->n_rules];
	memset(r, 0, sizeof(*r));
	p->n_rules++;
	r->action = strdup(action);
	if (!r->action)
		return error_set(err, ENOMEM, "add a rule");
	for (size_t i = 0; i < n; i++)
		if (push_string(&r->names, &r->n_names, names[i]) < 0)
			return error_set(err, ENOMEM, "add a rule");
	return 0;
}

int profile_add_arg_rule(struct profile *p, const char *action, const char *name,
			 const struct profile_arg *args, size_t n_args, struct error *err)
{
	char *names[1] = { (char *)name };
	struct profile_rule *r;

	if (n_args > PROFILE_MAX_ARGS)
		return error_set(err, 0, "a rule may have at most %d argument conditions, not %zu",
				 PROFILE_MAX_ARGS, n_args);
	if (profile_add_rule(p, action, names, 1, err) < 0)
		return -1;
	r = &p->rules[p->n_rules - 1];
	r->args = calloc(n_args ? n_args : 1, sizeof(*r->args));
	if (!r->args)
		return error_set(err, ENOMEM, "add a rule");
	memcpy(r->args, args, n_args * sizeof(*args));
	r->n_args = n_args;
	return 0;
}

static void write_strings(struct json_writer *w, char *const *v, size_t n)
{
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++)
		json_w_string(w, v[i]);
	json_w_array_end(w);
}

void profile_write_rule(struct json_writer *w, const struct profile_rule *r, bool errno_ret)
{
	json_w_object_begin(w);
	json_w_key(w, "names");
	write_strings(w, r->names, r->n_names);
	json_w_key(w, "action");
	json_w_string(w, r->action);
	if (errno_ret) {
		json_w_key(w, "errnoRet");
		json_w_uint(w, r->errno_ret);
	}
	if (r->n_args) {
		json_w_key(w, "args");
		json_w_array_begin(w);
		for (size_t i = 0; i < r->n_args; i++) {
			json_w_object_begin(w);
			json_w_key(w, "index");
			json_w_uint(w, r->args[i].index);
			json_w_key(w, "value");
			json_w_uint(w, r->args[i].value);
			json_w_key(w, "valueTwo");
			json_w_uint(w, r->args[i].value_two);
			json_w_key(w, "op");
			json_w_string(w, operator_name(r->args[i].op));
			json_w_object_end(w);
		}
		json_w_array_end(w);
	}
	json_w_object_end(w);
}

/* A rule read from a file: every field as it was, but `names` from the model. */
static void write_kept_rule(struct json_writer *w, const struct profile_rule *r)
{
	const struct json *src = r->source;

	json_w_object_begin(w);
	for (size_t i = 0; i < json_len(src); i++) {
		const char *key = json_key_at(src, i);

		json_w_key(w, key);
		if (strcmp(key, "names") == 0)
			write_strings(w, r->names, r->n_names - (json_get(src, "name") ? 1 : 0));
		else
			json_w_value(w, json_at(src, i));
	}
	json_w_object_end(w);
}

static void write_rules(struct json_writer *w, const struct profile *p)
{
	json_w_array_begin(w);
	for (size_t i = 0; i < p->n_rules; i++) {
		if (p->rules[i].source)
			write_kept_rule(w, &p->rules[i]);
		else
			profile_write_rule(w, &p->rules[i], p->rules[i].has_errno_ret);
	}
	json_w_array_end(w);
}


int profile_serialize(const struct profile *p, char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	const struct json *doc = p->tree;
	bool wrote_arches = false, wrote_rules = false, wrote_errno = false;

	if (!w)
		return error_set(err, ENOMEM, "generate profile");
	json_w_object_begin(w);
	if (!doc) {
		json_w_key(w, "defaultAction");
		json_w_string(w, p->default_action);
	}
	for (size_t i = 0; i < json_len(doc); i++) {
		const char *key = json_key_at(doc, i);

		/* Dropped on purpose (a log variant): only an ERRNO default takes it. */
		if (strcmp(key, "defaultErrnoRet") == 0 && !p->has_default_errno_ret)
			continue;
		json_w_key(w, key);
		if (strcmp(key, "architectures") == 0 && !p->has_arch_map) {
			write_strings(w, p->arches, p->n_arches);
			wrote_arches = true;
		} else if (strcmp(key, "syscalls") == 0) {
			write_rules(w, p);
			wrote_rules = true;
		} else if (strcmp(key, "defaultAction") == 0) {
			json_w_string(w, p->default_action);
		} else if (strcmp(key, "defaultErrnoRet") == 0) {
			json_w_uint(w, p->default_errno_ret);
			wrote_errno = true;
		} else {
			json_w_value(w, json_at(doc, i));
		}
	}
	if (!doc && p->has_default_errno_ret && !wrote_errno) {
		json_w_key(w, "defaultErrnoRet");
		json_w_uint(w, p->default_errno_ret);
	}
	if (!wrote_arches && !p->has_arch_map && p->n_arches) {
		json_w_key(w, "architectures");
		write_strings(w, p->arches, p->n_arches);
	}
	if (!wrote_rules && p->n_rules) {
		json_w_key(w, "syscalls");
		write_rules(w, p);
	}
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}

static int add_rule_to_filter(scmp_filter_ctx ctx, const struct profile_rule *r, int nr,
			      uint32_t action)
{
	struct scmp_arg_cmp cmp[PROFILE_MAX_ARGS];
	unsigned int per_index[PROFILE_MAX_ARGS] = { 0 };
	bool same_index_twice = false;

	for (size_t i = 0; i < r->n_args; i++) {
		cmp[i] = (struct scmp_arg_cmp){ r->args[i].index, r->args[i].op, r->args[i].value,
						r->args[i].value_two };
		if (++per_index[r->args[i].index] > 1)
			same_index_twice = true;
	}
	/* As runc: conditions on one argument index are alternatives, on distinct ones all hold. */
	if (!same_index_twice)
		return seccomp_rule_add_array(ctx, action, nr, (unsigned int)r->n_args,
					      r->n_args ? cmp : NULL);
	for (size_t i = 0; i < r->n_args; i++) {
		int ret = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i]);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static int build_filter(const struct profile *p, scmp_filter_ctx *out, size_t *unknown_names,
			struct error *err)
{
	uint32_t default_action = scmp_action(p->default_action, p->has_default_errno_ret,
					      p->default_errno_ret);
	scmp_filter_ctx ctx;
	size_t unknown = 0;
	int ret;

	if (strcmp(p->default_action, "SCMP_ACT_NOTIFY") == 0)
		return error_set(err, 0, "defaultAction SCMP_ACT_NOTIFY needs a supervisor");
	ctx = seccomp_init(default_action);
	if (!ctx)
		return error_set(err, EINVAL, "libseccomp refused the default action %s",
				 p->default_action);
	for (size_t i = 0; i < p->n_arches; i++) {
		uint32_t arch = syscalls_arch_from_name(p->arches[i]);

		ret = seccomp_arch_add(ctx, arch);
		if (ret < 0 && ret != -EEXIST) {
			seccomp_release(ctx);
			return error_set(err, -ret, "libseccomp cannot add architecture %s",
					 p->arches[i]);
		}
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];
		uint32_t action = scmp_action(r->action, r->has_errno_ret, r->errno_ret);

		if (action == default_action)
			continue;
		for (size_t j = 0; j < r->n_names; j++) {
			int nr = seccomp_syscall_resolve_name(r->names[j]);

			if (nr == __NR_SCMP_ERROR) {
				unknown++;
				continue;
			}
			ret = add_rule_to_filter(ctx, r, nr, action);
			if (ret < 0) {
				seccomp_release(ctx);
				return error_set(err, -ret, "libseccomp rejected rule %zu (%s for %s)",
						 i + 1, r->action, r->names[j]);
			}
		}
	}
	if (unknown_names)
		*unknown_names = unknown;
	*out = ctx;
	return 0;
}

/* Generating the BPF program is what can still fail once every rule was accepted. */
static int export_filter(scmp_filter_ctx ctx, struct error *err)
{
	cleanup_close int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int ret;

	ret = null_fd < 0 ? -errno : seccomp_export_bpf(ctx, null_fd);
	if (ret < 0)
		return error_set(err, -ret, "libseccomp could not generate its filter");
	return 0;
}

/* What profile_check_compiles does, unbounded: build, generate, release. */
static int compile_profile(const struct profile *p, const char *path, struct error *err)
{
	scmp_filter_ctx ctx;
	int ret;

	if (build_filter(p, &ctx, NULL, err) < 0)
		return error_prefix(err, "profile for `%s` does not compile: ", path);
	ret = export_filter(ctx, err);
	seccomp_release(ctx);
	if (ret < 0)
		return error_prefix(err, "profile for `%s`: ", path);
	return 0;
}

/* What profile_build_filter does, unbounded, with the generation its callers do after. */
static int compile_filter(const struct profile *p, const char *path, struct error *err)
{
	scmp_filter_ctx ctx;
	int ret;

	(void)path;
	if (build_filter(p, &ctx, NULL, err) < 0)
		return -1;
	ret = export_filter(ctx, err);
	seccomp_release(ctx);
	return ret;
}

/* A child's verdict on a compile: its result, and its error when it failed. */
struct compile_verdict {
	int ret;
	struct error err;
};

static void __attribute__((noreturn))
compile_child(int fd, int (*compile)(const struct profile *, const char *, struct error *),
	      const struct profile *p, const char *path)
{
	struct rlimit cpu = { PROFILE_COMPILE_CPU_SECONDS, PROFILE_COMPILE_CPU_SECONDS };
	struct compile_verdict v = { 0 };
	const char *data = (const char *)&v;
	size_t left = sizeof(v);

	/* soft == hard: the kernel sends SIGKILL, not a SIGXCPU a caller may have blocked. */
	if (setrlimit(RLIMIT_CPU, &cpu) < 0)
		v.ret = error_set(&v.err, errno, "setrlimit(RLIMIT_CPU) for the compile");
	else
		v.ret = compile(p, path, &v.err);
	while (left > 0) {
		ssize_t n = write(fd, data, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(2);
		data += n;
		left -= (size_t)n;
	}
	_exit(v.ret < 0 ? 1 : 0);
}

static long long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000LL + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Read the child's verdict until it is whole, EOF, or the wall-time bound. Returns bytes read. */
static size_t read_verdict(int fd, struct compile_verdict *v, bool *timed_out)
{
	char *data = (char *)v;
	size_t got = 0;
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	*timed_out = false;
	while (got < sizeof(*v)) {
		long long left = PROFILE_COMPILE_WALL_MS - elapsed_ms(&start);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int ret;

		if (left <= 0) {
			*timed_out = true;
			break;
		}
		ret = poll(&pfd, 1, (int)left);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0) {
			*timed_out = ret == 0;
			break;
		}
		n = read(fd, data + got, sizeof(*v) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/*
 * Run @compile in a child limited to PROFILE_COMPILE_CPU_SECONDS of CPU time (and
 * PROFILE_COMPILE_WALL_MS of wall time), and take its verdict. libseccomp cannot be
 * interrupted, and a compile that is stopped half-way leaves its state unusable: a process of
 * its own is the one thing that can be bounded and thrown away. libseccomp is deterministic,
 * so a profile that compiled in the child compiles as fast again in the caller.
 */
static int compile_bounded(const struct profile *p, const char *path, const char *what,
			   int (*compile)(const struct profile *, const char *, struct error *),
			   struct error *err)
{
	struct compile_verdict v = { 0 };
	int fds[2], status = 0;
	bool timed_out;
	size_t got;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_set(err, errno, "%s: pipe for the compile", what);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error_set(err, errno, "%s: fork for the compile", what);
	}
	if (pid == 0) {
		close(fds[0]);
		compile_child(fds[1], compile, p, path);
	}
	close(fds[1]);
	got = read_verdict(fds[0], &v, &timed_out);
	close(fds[0]);
	if (got < sizeof(v))
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got == sizeof(v)) {
		if (v.ret < 0) {
			*err = v.err;
			err->msg[sizeof(err->msg) - 1] = '\0';
			return -1;
		}
		return 0;
	}
	if (timed_out)
		return error_set(err, 0, "%s: libseccomp did not compile it within %d ms; it is "
				 "refused", what, PROFILE_COMPILE_WALL_MS);
	return error_set(err, 0,
			 "%s: libseccomp did not compile it within %d s of CPU time (%s); it is "
			 "refused, as runc would take as long at every start of a container",
			 what, PROFILE_COMPILE_CPU_SECONDS,
			 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no verdict");
}

int profile_build_filter(const struct profile *p, scmp_filter_ctx *out, size_t *unknown_names,
			 struct error *err)
{
	if (profile_check_limits(p, "the profile", err) < 0 ||
	    compile_bounded(p, NULL, "the profile", compile_filter, err) < 0)
		return -1;
	return build_filter(p, out, unknown_names, err);
}

int profile_compile_bounded(const struct profile *p, const char *path, struct error *err)
{
	char what[4200];

	snprintf(what, sizeof(what), "profile for `%s`", path);
	return compile_bounded(p, path, what, compile_profile, err);
}

int profile_check_compiles(const struct profile *p, const char *path, struct error *err)
{
	char what[4200];

	snprintf(what, sizeof(what), "profile for `%s`", path);
	if (profile_check_limits(p, what, err) < 0)
		return -1;
	return compile_bounded(p, path, what, compile_profile, err);
}

int profile_write_text(const char *path, enum fs_links links, const char *text, size_t len,
		       mode_t mode, struct error *err)
{
	/* What is written must read back: the reader takes at most PROFILE_MAX_BYTES. */
	if (len > PROFILE_MAX_BYTES)
		return error_set(err, 0, "the profile for `%s` would be %zu bytes, more than the %d "
				 "a profile may have", path, len, PROFILE_MAX_BYTES);
	return fs_write_atomic(path, links, text, len, mode, err);
}

int profile_commit_text(struct fs_reservation *r, const char *path, enum fs_links links,
			const char *text, size_t len, mode_t mode, struct error *err)
{
	if (len > PROFILE_MAX_BYTES)
		return error_set(err, 0, "the profile for `%s` would be %zu bytes, more than the %d "
				 "a profile may have", path, len, PROFILE_MAX_BYTES);
	return fs_commit(r, path, links, text, len, mode, err);
}

int profile_save(const struct profile *p, const char *path, enum fs_links links,
		 struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	/* A profile libseccomp cannot compile is an error, never a file. */
	if (profile_check_compiles(p, path, err) < 0 || profile_serialize(p, &text, &len, err) < 0)
		return -1;
	return profile_write_text(path, links, text, len, PROFILE_FILE_MODE, err);
}
