// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A profile's score. What runs is what libseccomp's filter for the profile says, run here on
 * each call with the argument values its conditions single out: the score cannot disagree with
 * the filter the runtime loads, however the rules overlap.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/net.h>
#include <linux/sched.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "profile/profile_bpf.h"
#include "profile/profile_diff.h"
#include "profile/profile_podman.h"
#include "profile/profile_score.h"
#include "profile/syscalls.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ARM's private calls (cacheflush, set_tls, ...) are numbered from here. */
#define ARM_NR_BASE 0x0f0000
/* The argument vectors tried for one call at most: each is one run of the filter. */
#define SCORE_MAX_VECTORS (1u << 20)
/* Calls the text lists by name at most, per list; the JSON has them all. */
#define SCORE_TEXT_MAX_NAMES 20

/* The numbers scanned to find the calls libseccomp knows on an ABI. */
static const struct {
	uint32_t first;
	uint32_t count;
} nr_ranges[] = {
	{ 0, 8192 },		   /* every table; MIPS's start at 4000, 5000 and 6000 */
	{ X32_SYSCALL_BIT, 1024 }, /* x32 */
	{ ARM_NR_BASE, 16 },
};

enum risk_kind {
	RISK_CALL,	    /* the call with any arguments */
	RISK_SOCKET_FAMILY, /* socket() with family @value */
	RISK_CLONE_NEW,	    /* clone() with a CLONE_NEW* flag */
};

static const struct risk {
	const char *id;
	const char *call;
	enum risk_kind kind;
	uint64_t value;
	const char *reason;
} risks[] = {
	{ "bpf", "bpf", RISK_CALL, 0, "load BPF programs into the kernel, read kernel memory" },
	{ "perf_event_open", "perf_event_open", RISK_CALL, 0,
	  "observe the kernel and other processes; a frequent source of kernel bugs" },
	{ "ptrace", "ptrace", RISK_CALL, 0, "read and write other processes' memory" },
	{ "process_vm_writev", "process_vm_writev", RISK_CALL, 0,
	  "write other processes' memory" },
	{ "process_vm_readv", "process_vm_readv", RISK_CALL, 0, "read other processes' memory" },
	{ "keyctl", "keyctl", RISK_CALL, 0, "the kernel keyrings, which are not namespaced" },
	{ "add_key", "add_key", RISK_CALL, 0, "add keys to the kernel keyrings (not namespaced)" },
	{ "request_key", "request_key", RISK_CALL, 0,
	  "request keys from the kernel keyrings (not namespaced)" },
	{ "userfaultfd", "userfaultfd", RISK_CALL, 0,
	  "stall the kernel on a page fault: widens the race windows exploits need" },
	{ "io_uring_setup", "io_uring_setup", RISK_CALL, 0,
	  "io_uring: a large kernel surface whose operations seccomp does not see" },
	{ "unshare", "unshare", RISK_CALL, 0,
	  "new namespaces, user namespaces too: kernel code meant for root" },
	{ "setns", "setns", RISK_CALL, 0, "join other namespaces" },
	{ "mount", "mount", RISK_CALL, 0, "change the mount table" },
	{ "umount2", "umount2", RISK_CALL, 0, "unmount filesystems, uncovering what they hid" },
	{ "pivot_root", "pivot_root", RISK_CALL, 0, "change the root filesystem" },
	{ "open_by_handle_at", "open_by_handle_at", RISK_CALL, 0,
	  "open files by handle, outside the container's root" },
	{ "name_to_handle_at", "name_to_handle_at", RISK_CALL, 0,
	  "file handles for open_by_handle_at" },
	{ "kexec_load", "kexec_load", RISK_CALL, 0, "load a new kernel" },
	{ "kexec_file_load", "kexec_file_load", RISK_CALL, 0, "load a new kernel from a file" },
	{ "init_module", "init_module", RISK_CALL, 0, "load a kernel module" },
	{ "finit_module", "finit_module", RISK_CALL, 0, "load a kernel module from a file" },
	{ "delete_module", "delete_module", RISK_CALL, 0, "unload a kernel module" },
	{ "fsopen", "fsopen", RISK_CALL, 0, "the mount API: open a filesystem to configure" },
	{ "fsmount", "fsmount", RISK_CALL, 0, "the mount API: create a mount" },
	{ "move_mount", "move_mount", RISK_CALL, 0, "the mount API: attach a mount" },
	{ "open_tree", "open_tree", RISK_CALL, 0, "the mount API: clone a mount tree" },
	{ "clone(CLONE_NEW*)", "clone", RISK_CLONE_NEW, 0,
	  "new namespaces, user namespaces too: kernel code meant for root" },
	{ "socket(AF_ALG)", "socket", RISK_SOCKET_FAMILY, AF_ALG,
	  "the kernel's crypto API as sockets, a frequent source of kernel bugs" },
	{ "socket(AF_VSOCK)", "socket", RISK_SOCKET_FAMILY, AF_VSOCK,
	  "sockets to the hypervisor and other virtual machines" },
};

/* The flags of clone() that create a namespace (CLONE_NEWTIME is clone3's and unshare's). */
static const uint64_t clone_new_flags[] = {
	CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID,	CLONE_NEWNET,
};

/* --- a profile as podman applies it -------------------------------------------------- */

/* A profile as podman applies it, and its compiled filter. */
struct applied {
	struct profile view;
	struct bpf_prog prog;
};

static void applied_clear(struct applied *a)
{
	profile_podman_release(&a->view);
	profile_bpf_release(&a->prog);
	memset(a, 0, sizeof(*a));
}

/* @p as podman applies it, compiled by libseccomp. */
static int apply(const struct profile *p, const char *what, struct applied *out,
		 struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (profile_podman_apply(p, what, &out->view, err) < 0)
		return -1;
	if (profile_bpf_compile(&out->view, &out->prog, NULL, err) < 0) {
		error_prefix(err, "%s: ", what);
		applied_clear(out);
		return -1;
	}
	return 0;
}

/* Whether the applied profile's filter covers @arch: listed, or the native one (always in). */
static bool covers(const struct applied *a, uint32_t arch)
{
	if (arch == syscalls_native_arch())
		return true;
	for (size_t i = 0; i < a->view.n_arches; i++)
		if (syscalls_arch_from_name(a->view.arches[i]) == arch)
			return true;
	return false;
}

/* --- running the filter --------------------------------------------------------------- */

/* A set of argument values: add, then seal (sorted, once each). */
struct values {
	uint64_t *v;
	size_t n;
};

static int values_add(struct values *s, uint64_t x)
{
	uint64_t *bigger = realloc(s->v, (s->n + 1) * sizeof(*bigger));

	if (!bigger)
		return -1;
	s->v = bigger;
	s->v[s->n++] = x;
	return 0;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void values_seal(struct values *s)
{
	size_t kept = 0;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), compare_u64);
	for (size_t i = 0; i < s->n; i++)
		if (!kept || s->v[kept - 1] != s->v[i])
			s->v[kept++] = s->v[i];
	s->n = kept;
}

/* The values a condition tells apart: its bounds and their neighbours, the mask's cases. */
static int values_for(struct values *s, const struct profile_arg *a)
{
	int ret = 0;

	if (a->op == SCMP_CMP_MASKED_EQ) {
		ret |= values_add(s, a->value_two);
		ret |= values_add(s, a->value_two | ~a->value);
		ret |= values_add(s, a->value_two ^ a->value);
		ret |= values_add(s, (a->value_two ^ a->value) | ~a->value);
		return ret;
	}
	ret |= values_add(s, a->value - 1);
	ret |= values_add(s, a->value);
	ret |= values_add(s, a->value + 1);
	return ret;
}

/* One call to try on one ABI: the values of each argument. */
struct probe {
	uint32_t arch;
	int nr;
	struct values args[PROFILE_MAX_ARGS]; /* none: 0 */
};

static void probe_clear(struct probe *q)
{
	for (size_t i = 0; i < PROFILE_MAX_ARGS; i++)
		free(q->args[i].v);
	memset(q, 0, sizeof(*q));
}

static bool names_have(const struct profile_rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_names; i++)
		if (strcmp(r->names[i], name) == 0)
			return true;
	return false;
}

/* The values the rules naming @name single out, per argument. */
static int probe_start(struct probe *q, const struct applied *a, uint32_t arch, int nr,
		       const char *name)
{
	memset(q, 0, sizeof(*q));
	q->arch = arch;
	q->nr = nr;
	for (size_t i = 0; i < a->view.n_rules; i++) {
		const struct profile_rule *r = &a->view.rules[i];

		if (!r->n_args || !names_have(r, name))
			continue;
		for (size_t j = 0; j < r->n_args; j++) {
			struct values *s;

			if (r->args[j].index >= PROFILE_MAX_ARGS)
				continue;
			s = &q->args[r->args[j].index];
			/* 0 and all ones: the ends of every range. */
			if ((!s->n && (values_add(s, 0) < 0 || values_add(s, UINT64_MAX) < 0)) ||
			    values_for(s, &r->args[j]) < 0)
				return -1;
		}
	}
	for (size_t i = 0; i < PROFILE_MAX_ARGS; i++)
		values_seal(&q->args[i]);
	return 0;
}

/* Argument @index takes only the values @v. */
static int probe_pin(struct probe *q, uint32_t index, const uint64_t *v, size_t n)
{
	struct values *s = &q->args[index];

	s->n = 0;
	for (size_t i = 0; i < n; i++)
		if (values_add(s, v[i]) < 0)
			return -1;
	values_seal(s);
	return 0;
}

/* The arch the kernel puts in seccomp_data: x32 calls come as x86_64's, with the x32 bit. */
static uint32_t kernel_arch(uint32_t arch)
{
	return arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch;
}

static bool action_runs(uint32_t ret)
{
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL;

	return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG;
}

/* Run the filter on every vector of @q's values: whether some vector runs, whether all do. */
static int probe_run(const struct applied *a, const struct probe *q, const char *name,
		     bool *some, bool *all, struct error *err)
{
	size_t at[PROFILE_MAX_ARGS] = { 0 };
	struct seccomp_data data = { .nr = q->nr, .arch = kernel_arch(q->arch) };
	uint64_t vectors = 1;

	for (size_t i = 0; i < PROFILE_MAX_ARGS && vectors <= SCORE_MAX_VECTORS; i++)
		if (q->args[i].n)
			vectors *= q->args[i].n;
	if (vectors > SCORE_MAX_VECTORS)
		return error_set(err, 0, "the conditions on `%s` single out more than the %u "
				 "argument combinations the score tries", name, SCORE_MAX_VECTORS);
	*some = false;
	*all = true;
	for (;;) {
		uint32_t ret;
		size_t i;

		for (i = 0; i < PROFILE_MAX_ARGS; i++)
			data.args[i] = q->args[i].n ? q->args[i].v[at[i]] : 0;
		if (profile_bpf_run(&a->prog, &data, &ret) < 0)
			return error_set(err, 0, "libseccomp's filter for the profile does not run "
					 "here (on `%s`)", name);
		if (action_runs(ret))
			*some = true;
		else
			*all = false;
		if (*some && !*all)
			return 0;
		/* The next vector, the first argument turning fastest. */
		for (i = 0; i < PROFILE_MAX_ARGS; i++) {
			if (q->args[i].n && ++at[i] < q->args[i].n)
				break;
			at[i] = 0;
		}
		if (i == PROFILE_MAX_ARGS)
			return 0;
	}
}

/* Whether @name (number @nr on @arch) runs for some arguments, and for all. */
static int call_runs(const struct applied *a, uint32_t arch, int nr, const char *name,
		     bool *some, bool *all, struct error *err)
{
	struct probe q;
	int ret;

	if (probe_start(&q, a, arch, nr, name) < 0) {
		probe_clear(&q);
		return error_set(err, ENOMEM, "score `%s`", name);
	}
	ret = probe_run(a, &q, name, some, all, err);
	probe_clear(&q);
	return ret;
}

/* --- the calls of an ABI ------------------------------------------------------------- */

struct abi_call {
	int nr;
	char *name;
	bool canonical; /* libseccomp numbers @name @nr here (else: a multiplexed call's own nr) */
};

struct abi_calls {
	struct abi_call *v;
	size_t n;
};

static void abi_calls_clear(struct abi_calls *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].name);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/*
 * Every number libseccomp names on @arch. A name it numbers otherwise there is left out, but
 * when its own number is a pseudo-call (i386's socket, reached through socketcall) the direct
 * number is kept apart: the kernel has it, and so does the filter.
 */
static int abi_calls_of(uint32_t arch, struct abi_calls *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t r = 0; r < N_ELEMS(nr_ranges); r++) {
		for (uint32_t k = 0; k < nr_ranges[r].count; k++) {
			int nr = (int)(nr_ranges[r].first + k);
			char *name = seccomp_syscall_resolve_num_arch(arch, nr);
			struct abi_call *bigger;
			int own;

			if (!name)
				continue;
			own = seccomp_syscall_resolve_name_arch(arch, name);
			if (own != nr && own >= 0) {
				free(name);
				continue;
			}
			bigger = realloc(out->v, (out->n + 1) * sizeof(*bigger));
			if (!bigger) {
				free(name);
				abi_calls_clear(out);
				return error_set(err, ENOMEM, "list the calls of %s",
						 syscalls_arch_name(arch));
			}
			out->v = bigger;
			out->v[out->n++] = (struct abi_call){ nr, name, own == nr };
		}
	}
	return 0;
}

/* --- the score ------------------------------------------------------------------------ */

static int push_name(char ***v, size_t *n, const char *name)
{
	char **bigger = realloc(*v, (*n + 1) * sizeof(*bigger));

	if (!bigger)
		return -1;
	*v = bigger;
	bigger[*n] = strdup(name);
	if (!bigger[*n])
		return -1;
	(*n)++;
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_names(char **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), compare_names);
}

static int score_abi(const struct applied *p, const struct applied *def,
		     const struct abi_calls *calls, struct profile_score_abi *abi,
		     struct error *err)
{
	uint32_t arch = syscalls_arch_from_name(abi->arch);

	abi->compared = def && covers(def, arch);
	for (size_t i = 0; i < calls->n; i++) {
		const struct abi_call *c = &calls->v[i];
		bool some, all, def_some = false, def_all;

		if (!c->canonical)
			continue;
		abi->known++;
		if (call_runs(p, arch, c->nr, c->name, &some, &all, err) < 0)
			return -1;
		abi->allowed += some;
		abi->conditional += some && !all;
		if (!abi->compared)
			continue;
		if (call_runs(def, arch, c->nr, c->name, &def_some, &def_all, err) < 0)
			return error_prefix(err, "the default: ");
		abi->default_allowed += def_some;
		if ((def_some && !some && push_name(&abi->blocked, &abi->n_blocked, c->name) < 0) ||
		    (some && !def_some && push_name(&abi->extra, &abi->n_extra, c->name) < 0))
			return error_set(err, ENOMEM, "score %s", abi->arch);
	}
	sort_names(abi->blocked, abi->n_blocked);
	sort_names(abi->extra, abi->n_extra);
	return 0;
}

/* The values of clone's flags that create a namespace: each CLONE_NEW* flag or'ed into each
 * value the profile's conditions single out. */
static int clone_new_values(struct probe *q, uint32_t index)
{
	struct values in = q->args[index], out = { 0 };
	int ret = 0;

	if (!in.n) {
		static const uint64_t zero = 0;

		in.v = (uint64_t *)&zero;
		in.n = 1;
	}
	for (size_t i = 0; i < in.n; i++)
		for (size_t f = 0; f < N_ELEMS(clone_new_flags); f++)
			ret |= values_add(&out, in.v[i] | clone_new_flags[f]);
	if (ret == 0)
		ret = probe_pin(q, index, out.v, out.n);
	free(out.v);
	return ret;
}

/* Where clone() takes its flags: s390 swaps the first two arguments. */
static uint32_t clone_flags_index(uint32_t arch)
{
	return arch == SCMP_ARCH_S390 || arch == SCMP_ARCH_S390X ? 1 : 0;
}

/* Whether risk @r runs on @arch through the call @c; @conditional: only for some arguments. */
static int risk_runs_via(const struct applied *p, const struct risk *r, uint32_t arch,
			 const struct abi_call *c, bool socketcall, bool *runs, bool *conditional,
			 struct error *err)
{
	struct probe q;
	bool some = false, all = false;
	int ret = -1;

	if (probe_start(&q, p, arch, c->nr, c->name) < 0)
		goto nomem;
	if (socketcall) {
		/* socketcall(SYS_SOCKET, args): the family is behind a pointer, out of sight. */
		uint64_t call = SYS_SOCKET;

		if (probe_pin(&q, 0, &call, 1) < 0)
			goto nomem;
	} else if (r->kind == RISK_SOCKET_FAMILY) {
		if (probe_pin(&q, 0, &r->value, 1) < 0)
			goto nomem;
	} else if (r->kind == RISK_CLONE_NEW) {
		if (clone_new_values(&q, clone_flags_index(arch)) < 0)
			goto nomem;
	}
	ret = probe_run(p, &q, c->name, &some, &all, err);
	*runs = some;
	*conditional = some && !all && r->kind == RISK_CALL;
	probe_clear(&q);
	return ret;
nomem:
	probe_clear(&q);
	return error_set(err, ENOMEM, "score `%s`", r->id);
}

static int score_risks(const struct applied *p, uint32_t arch, const struct abi_calls *calls,
		       struct profile_score *s, struct error *err)
{
	const char *arch_name = syscalls_arch_name(arch);

	for (size_t i = 0; i < s->n_risks; i++) {
		const struct risk *r = &risks[i];
		struct profile_score_risk *out = &s->risks[i];
		bool direct = false, socketcall = false;

		for (size_t j = 0; j < calls->n; j++) {
			const struct abi_call *c = &calls->v[j];
			bool via = r->kind == RISK_SOCKET_FAMILY && c->canonical &&
				   strcmp(c->name, "socketcall") == 0;
			bool runs = false, conditional = false;

			if (!via && strcmp(c->name, r->call) != 0)
				continue;
			if (risk_runs_via(p, r, arch, c, via, &runs, &conditional, err) < 0)
				return -1;
			if (via)
				socketcall |= runs;
			else
				direct |= runs;
			out->conditional |= conditional;
		}
		if (((direct || socketcall) &&
		     push_name(&out->arches, &out->n_arches, arch_name) < 0) ||
		    (!direct && socketcall &&
		     push_name(&out->socketcall_arches, &out->n_socketcall_arches, arch_name) < 0))
			return error_set(err, ENOMEM, "score `%s`", r->id);
	}
	return 0;
}

/* The ABIs scored: those @a lists, once each, or the native one. */
static int score_abis(const struct applied *a, struct profile_score *s, struct error *err)
{
	size_t n = a->view.n_arches ? a->view.n_arches : 1;

	s->abis = calloc(n, sizeof(*s->abis));
	if (!s->abis)
		return error_set(err, ENOMEM, "score the profile");
	for (size_t i = 0; i < n; i++) {
		uint32_t arch = a->view.n_arches ? syscalls_arch_from_name(a->view.arches[i]) :
						   syscalls_native_arch();
		const char *name = syscalls_arch_name(arch);
		bool seen = false;

		for (size_t j = 0; j < s->n_abis && !seen; j++)
			seen = strcmp(s->abis[j].arch, name) == 0;
		if (!seen && name)
			s->abis[s->n_abis++].arch = name;
	}
	return 0;
}

int profile_score(const struct profile *p, const struct profile *def, struct profile_score *out,
		  struct error *err)
{
	struct applied ap = { 0 }, ad = { 0 };
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->default_action = p->default_action;
	out->runs_by_default = profile_action_runs(p->default_action);
	out->compared = def != NULL;
	out->n_risks = N_ELEMS(risks);
	out->risks = calloc(out->n_risks, sizeof(*out->risks));
	if (!out->risks) {
		error_set(err, ENOMEM, "score the profile");
		goto out;
	}
	for (size_t i = 0; i < out->n_risks; i++) {
		out->risks[i].id = risks[i].id;
		out->risks[i].call = risks[i].call;
		out->risks[i].reason = risks[i].reason;
	}
	if (apply(p, "the profile", &ap, err) < 0 ||
	    (def && apply(def, "the default", &ad, err) < 0))
		goto out;
	if (score_abis(&ap, out, err) < 0)
		goto out;
	for (size_t i = 0; i < out->n_abis; i++) {
		struct abi_calls calls;
		uint32_t arch = syscalls_arch_from_name(out->abis[i].arch);

		if (abi_calls_of(arch, &calls, err) < 0)
			goto out;
		ret = score_abi(&ap, def ? &ad : NULL, &calls, &out->abis[i], err);
		if (ret == 0)
			ret = score_risks(&ap, arch, &calls, out, err);
		abi_calls_clear(&calls);
		if (ret < 0)
			goto out;
		ret = -1;
	}
	for (size_t i = 0; i < out->n_risks; i++)
		out->risks_allowed += out->risks[i].n_arches > 0;
	ret = 0;
out:
	applied_clear(&ap);
	applied_clear(&ad);
	if (ret < 0)
		profile_score_clear(out);
	return ret;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void profile_score_clear(struct profile_score *s)
{
	for (size_t i = 0; i < s->n_abis; i++) {
		free_names(s->abis[i].blocked, s->abis[i].n_blocked);
		free_names(s->abis[i].extra, s->abis[i].n_extra);
	}
	for (size_t i = 0; i < s->n_risks; i++) {
		free_names(s->risks[i].arches, s->risks[i].n_arches);
		free_names(s->risks[i].socketcall_arches, s->risks[i].n_socketcall_arches);
	}
	free(s->abis);
	free(s->risks);
	memset(s, 0, sizeof(*s));
}

/* --- reports ---------------------------------------------------------------------------- */

static void text_names(FILE *f, char *const *v, size_t n)
{
	for (size_t i = 0; i < n && i < SCORE_TEXT_MAX_NAMES; i++)
		fprintf(f, "%s%s", i ? ", " : "", v[i]);
	if (n > SCORE_TEXT_MAX_NAMES)
		fprintf(f, " and %zu more (--json lists them)", n - SCORE_TEXT_MAX_NAMES);
}

static void text_abi(FILE *f, const struct profile_score *s, const struct profile_score_abi *a)
{
	fprintf(f, "%s: allows %zu of the %zu calls libseccomp knows", a->arch, a->allowed,
		a->known);
	if (a->conditional)
		fprintf(f, " (%zu only under argument conditions)", a->conditional);
	fputs("\n", f);
	if (!s->compared)
		return;
	if (!a->compared) {
		fprintf(f, "  the default does not cover %s: nothing to compare\n", a->arch);
		return;
	}
	fprintf(f, "  the default allows %zu: this profile blocks %zu of them", a->default_allowed,
		a->n_blocked);
	if (a->n_extra) {
		fprintf(f, ";\n  it allows %zu the default blocks: ", a->n_extra);
		text_names(f, a->extra, a->n_extra);
	}
	fputs("\n", f);
}

static bool names_include(char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return true;
	return false;
}

static void text_risk(FILE *f, const struct profile_score_risk *r)
{
	fprintf(f, "  %-19s %s (", r->id, r->reason);
	for (size_t i = 0; i < r->n_arches; i++) {
		fprintf(f, "%s%s", i ? ", " : "", r->arches[i]);
		if (names_include(r->socketcall_arches, r->n_socketcall_arches, r->arches[i]))
			fputs(" through socketcall", f);
	}
	if (r->conditional)
		fputs("; under argument conditions", f);
	fputs(")\n", f);
}

int profile_score_text(const struct profile_score *s, const char *path, const char *default_path,
		       char **out, size_t *len, struct error *err)
{
	FILE *f;

	*out = NULL;
	f = open_memstream(out, len);
	if (!f)
		return error_set(err, errno, "format the score");
	fprintf(f, "Profile `%s`: defaultAction %s\n", path, s->default_action);
	if (s->runs_by_default)
		fprintf(f, "defaultAction %s lets every call run that no rule blocks: each "
			"high-risk call not blocked counts.\n", s->default_action);
	if (s->compared)
		fprintf(f, "Compared with `%s`, as podman applies it (default capabilities).\n",
			default_path);
	else
		fputs("Compared with no default: give one with --against.\n", f);
	fputs("\n", f);
	for (size_t i = 0; i < s->n_abis; i++)
		text_abi(f, s, &s->abis[i]);
	fputs("\n", f);
	if (!s->risks_allowed) {
		fprintf(f, "High-risk calls allowed: none of the %zu in the set.\n", s->n_risks);
	} else {
		fprintf(f, "High-risk calls allowed: %zu of the %zu in the set:\n",
			s->risks_allowed, s->n_risks);
		for (size_t i = 0; i < s->n_risks; i++)
			if (s->risks[i].n_arches)
				text_risk(f, &s->risks[i]);
	}
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return error_set(err, ENOMEM, "format the score");
	}
	return 0;
}

static void json_names(struct json_writer *w, const char *key, char *const *v, size_t n)
{
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++)
		json_w_string(w, v[i]);
	json_w_array_end(w);
}

static void json_abi(struct json_writer *w, const struct profile_score_abi *a)
{
	json_w_object_begin(w);
	json_w_key(w, "architecture");
	json_w_string(w, a->arch);
	json_w_key(w, "known");
	json_w_uint(w, a->known);
	json_w_key(w, "allowed");
	json_w_uint(w, a->allowed);
	json_w_key(w, "conditional");
	json_w_uint(w, a->conditional);
	json_w_key(w, "default");
	if (!a->compared) {
		json_w_value(w, NULL);
	} else {
		json_w_object_begin(w);
		json_w_key(w, "allowed");
		json_w_uint(w, a->default_allowed);
		json_w_key(w, "blocked");
		json_w_uint(w, a->n_blocked);
		json_names(w, "blockedCalls", a->blocked, a->n_blocked);
		json_w_key(w, "extra");
		json_w_uint(w, a->n_extra);
		json_names(w, "extraCalls", a->extra, a->n_extra);
		json_w_object_end(w);
	}
	json_w_object_end(w);
}

static void json_risk(struct json_writer *w, const struct profile_score_risk *r)
{
	json_w_object_begin(w);
	json_w_key(w, "id");
	json_w_string(w, r->id);
	json_w_key(w, "call");
	json_w_string(w, r->call);
	json_w_key(w, "reason");
	json_w_string(w, r->reason);
	json_w_key(w, "allowed");
	json_w_bool(w, r->n_arches > 0);
	json_names(w, "architectures", r->arches, r->n_arches);
	json_w_key(w, "conditional");
	json_w_bool(w, r->conditional);
	json_names(w, "throughSocketcall", r->socketcall_arches, r->n_socketcall_arches);
	json_w_object_end(w);
}

int profile_score_json(const struct profile_score *s, const char *path, const char *default_path,
		       char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();

	if (!w)
		return error_set(err, ENOMEM, "format the score");
	json_w_object_begin(w);
	json_w_key(w, "profile");
	json_w_string(w, path);
	json_w_key(w, "defaultAction");
	json_w_string(w, s->default_action);
	json_w_key(w, "runsByDefault");
	json_w_bool(w, s->runs_by_default);
	json_w_key(w, "default");
	if (s->compared)
		json_w_string(w, default_path);
	else
		json_w_value(w, NULL);
	json_w_key(w, "abis");
	json_w_array_begin(w);
	for (size_t i = 0; i < s->n_abis; i++)
		json_abi(w, &s->abis[i]);
	json_w_array_end(w);
	json_w_key(w, "highRisk");
	json_w_object_begin(w);
	json_w_key(w, "allowed");
	json_w_uint(w, s->risks_allowed);
	json_w_key(w, "total");
	json_w_uint(w, s->n_risks);
	json_w_key(w, "entries");
	json_w_array_begin(w);
	for (size_t i = 0; i < s->n_risks; i++)
		json_risk(w, &s->risks[i]);
	json_w_array_end(w);
	json_w_object_end(w);
	json_w_object_end(w);
	return json_writer_finish(w, out, len, err);
}
