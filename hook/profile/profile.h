/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Seccomp profiles in the OCI/Docker JSON format: the model and its vocabulary (profile.c),
 * read (profile_parse.c), the limits (profile_limits.c), written (profile_write.c), compiled
 * (profile_filter.c).
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <seccomp.h>
#include "base/error.h"
#include "base/fs.h"
#include "base/json.h"

/* Limits on profiles read from users. */
#define PROFILE_MAX_BYTES (4 * 1024 * 1024)
#define PROFILE_MAX_RULES 4096
#define PROFILE_MAX_NAMES 4096 /* per rule */
#define PROFILE_MAX_ARGS 6     /* per rule */
#define PROFILE_MAX_NAME_LEN 64

/*
 * Limits on argument rules. libseccomp 2.5 merges a call's argument rules into one decision
 * tree in profile order, and its work grows exponentially with some shapes: above all rules
 * ahead of a rule that compares several arguments at once (each one more multiplies the time
 * by ten or more: 6 rules took 3.8 s, 4 rules comparing six arguments did not end), values
 * above 32 bits (compared as two words), and thousands of rules. runc compiles a profile the
 * same way at every start of a container. An argument rule is what libseccomp is given: one
 * per name of a rule with `args`, and one per condition when a rule compares one argument
 * index twice (runc splits it so). Docker's and podman's default profiles, and recordings
 * with args:on on top of them, stay well within the limits; the slowest profile a search
 * found within them compiles in a few milliseconds on a 2-core VM.
 */
#define PROFILE_MAX_CALL_ARG_RULES 64 /* for one call */
#define PROFILE_MAX_CALL_RULES_BEFORE_MULTI                                              \
	2			       /* for one call: ahead of its last rule comparing \
					* several arguments */
#define PROFILE_MAX_CALL_WIDE_VALUES 4 /* for one call: values or masks above 32 bits */
#define PROFILE_MAX_ARG_RULES 256      /* in the whole profile */
#define PROFILE_MAX_MULTI_ARG_RULES 2  /* in the whole profile: rules comparing several */

/*
 * The second bound: libseccomp compiles in a child process that is killed after this much
 * CPU time (or this much wall time), whatever the profile.
 */
#define PROFILE_COMPILE_CPU_SECONDS 3
#define PROFILE_COMPILE_WALL_MS 8000

/* Errno a denied call gets when a profile says SCMP_ACT_ERRNO without a value. */
#define PROFILE_DEFAULT_ERRNO 1 /* EPERM */

struct profile_arg {
	uint32_t index;
	uint64_t value;
	uint64_t value_two;
	enum scmp_compare op;
};

struct profile_rule {
	char **names;
	size_t n_names;
	char *action; /* "SCMP_ACT_ALLOW", ... */
	bool has_errno_ret;
	uint32_t errno_ret;
	struct profile_arg *args;
	size_t n_args;
	const struct json *source; /* the rule as read (other fields are kept), NULL if new */
};

struct profile {
	struct json *tree; /* the document read, NULL for a new profile */
	char *default_action;
	bool has_default_errno_ret;
	uint32_t default_errno_ret;
	char **arches; /* "SCMP_ARCH_X86_64", ... */
	size_t n_arches;
	bool has_arch_map; /* the document uses archMap instead of architectures */
	struct profile_rule *rules;
	size_t n_rules;
};

/* --- the vocabulary ---------------------------------------------------------------------- */

/* Whether @name is a seccomp action libseccomp knows ("SCMP_ACT_ALLOW", ...). */
bool profile_action_known(const char *name);
/*
 * Whether a rule or default with @action lets the call run: SCMP_ACT_ALLOW, and
 * SCMP_ACT_LOG (which runs the call and logs it).
 */
bool profile_action_runs(const char *action);
/* "SCMP_CMP_EQ" for SCMP_CMP_EQ (an unknown operator: "SCMP_CMP_EQ"). */
const char *profile_operator_name(enum scmp_compare op);
/* "==" for SCMP_CMP_EQ, "&" for SCMP_CMP_MASKED_EQ ("?" when unknown). */
const char *profile_operator_text(enum scmp_compare op);
/* The operator a profile spells @name; false when it is none. */
bool profile_operator_from_name(const char *name, enum scmp_compare *op);
/* A copy of @args sorted by index, operator, values (malloc'ed, never NULL unless no memory). */
struct profile_arg *profile_args_sorted(const struct profile_arg *args, size_t n);
/*
 * The canonical text of a rule's argument conditions, sorted: "arg0 == 0 && arg2 != 1";
 * conditions on one index repeated are alternatives (as runc and the filter compiler read
 * them), joined with " || ". Malloc'ed; NULL when out of memory.
 */
char *profile_condition(const struct profile_arg *args, size_t n);
/* The `args` array of a rule: [{"index", "value", "valueTwo", "op"}, ...]. */
void profile_write_args(struct json_writer *w, const struct profile_arg *args, size_t n);

/* --- the model ---------------------------------------------------------------------------- */

/* A new default-deny profile: SCMP_ACT_ERRNO with EPERM, no architectures, no rules. */
struct profile *profile_new(void);
void profile_free(struct profile *p);
/* Free what @r holds (its names, action and conditions), not @r. */
void profile_rule_free(struct profile_rule *r);

int profile_parse(const char *text, size_t len, const char *what, struct profile **out,
		  struct error *err);
int profile_read_file(const char *path, enum fs_links links, struct profile **out,
		      struct error *err);

/* A profile file's text, and how messages name it. */
struct profile_text {
	char *text;
	size_t len;
	char what[4200]; /* "profile `PATH`" */
};

/* Read @path (at most PROFILE_MAX_BYTES) for a parser: profile_read_file's first half. */
int profile_read_text(const char *path, enum fs_links links, struct profile_text *out,
		      struct error *err);

/* Whether any rule names @name, whatever its action. */
bool profile_mentions(const struct profile *p, const char *name);
/* Whether the profile lists @arch (in architectures or archMap). */
bool profile_has_arch(const struct profile *p, const char *arch);
/* Append @arch to architectures unless listed (no-op for an archMap profile). */
int profile_add_arch(struct profile *p, const char *arch, struct error *err);
/* Append a rule with @action naming @names (copied) in the order given. */
int profile_add_rule(struct profile *p, const char *action, char *const *names, size_t n,
		     struct error *err);
/* profile_add_rule with errnoRet @errno_ret. */
int profile_add_errno_rule(struct profile *p, const char *action, uint32_t errno_ret,
			   char *const *names, size_t n, struct error *err);
/* Append a new rule like @like (action, errnoRet, conditions) naming @names (copied). */
int profile_add_rule_like(struct profile *p, const struct profile_rule *like, char *const *names,
			  size_t n, struct error *err);

/* Append a rule allowing @name under the conditions @args (copied), all of which must hold. */
int profile_add_arg_rule(struct profile *p, const char *action, const char *name,
			 const struct profile_arg *args, size_t n_args, struct error *err);

/* A rule as the writer emits it: names, action, errnoRet (when @errno_ret), args. */
void profile_write_rule(struct json_writer *w, const struct profile_rule *r, bool errno_ret);

/* The JSON document: fields of a profile read from a file are kept in their order. */
int profile_serialize(const struct profile *p, char **out, size_t *len, struct error *err);

/*
 * Whether @p stays within the limits on argument rules (PROFILE_MAX_CALL_ARG_RULES...); the
 * error names @what ("profile `p.json`"), the call and the limit. profile_parse checks it.
 */
int profile_check_limits(const struct profile *p, const char *what, struct error *err);

/*
 * What every profile the project writes must be for runtimes to take it (crun refuses, runc
 * ignores, KEP-6061 rejects at pull): @len at most PROFILE_RUNTIME_MAX_BYTES, at most
 * PROFILE_RUNTIME_MAX_CALL_ENTRIES entries naming one call, no SCMP_ACT_NOTIFY nor listener
 * fields, errnoRet on SCMP_ACT_ERRNO and SCMP_ACT_TRACE only. The error names the limit and
 * the call. @len 0: the size is not checked.
 */
#define PROFILE_RUNTIME_MAX_BYTES (1024 * 1024)
#define PROFILE_RUNTIME_MAX_CALL_ENTRIES 128
int profile_check_runtime(const struct profile *p, size_t len, const char *what, struct error *err);

/*
 * A libseccomp filter for every listed architecture, as runc builds it: rules whose action is
 * the default are skipped, names libseccomp does not know are skipped (and counted). The
 * limits are checked first, and the filter is built and generated once in a child under
 * PROFILE_COMPILE_CPU_SECONDS before it is built here: a profile that compiles too slowly is
 * an error, never a process stuck at 100 % CPU.
 */
int profile_build_filter(const struct profile *p, scmp_filter_ctx *out, size_t *unknown_names,
			 struct error *err);

/*
 * Build @p's filter with libseccomp for every arch and generate its BPF, in a child under
 * PROFILE_COMPILE_CPU_SECONDS, after checking the limits; an error names @path.
 */
int profile_check_compiles(const struct profile *p, const char *path, struct error *err);
/* The compile of profile_check_compiles without the limits: the CPU-time bound alone. */
int profile_compile_bounded(const struct profile *p, const char *path, struct error *err);
/* Permission bits of a new profile unless told otherwise (profile_target.h). */
#define PROFILE_FILE_MODE 0644
/*
 * Replace @path atomically with @text, a serialized profile, unless it exceeds what is read;
 * @mode: the permission bits if @path does not exist yet.
 */
int profile_write_text(const char *path, enum fs_links links, const char *text, size_t len,
		       mode_t mode, struct error *err);
/* profile_write_text into the room reserved for @path at prestart (fs_reserve). */
int profile_commit_text(struct fs_reservation *r, const char *path, enum fs_links links,
			const char *text, size_t len, mode_t mode, struct error *err);
/* Compile with libseccomp, serialize, and replace @path atomically (new: PROFILE_FILE_MODE). */
int profile_save(const struct profile *p, const char *path, enum fs_links links, struct error *err);

static inline void cleanup_profilep(struct profile **p)
{
	profile_free(*p);
}
#define cleanup_profile __attribute__((cleanup(cleanup_profilep)))

static inline void cleanup_profile_textp(struct profile_text *t)
{
	free(t->text);
}
#define cleanup_profile_text __attribute__((cleanup(cleanup_profile_textp)))

#endif /* PROFILE_H */
