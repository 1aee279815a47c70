// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A profile's score computed: per ABI, the calls it lets run and how they compare with a
 * default's, and where the high-risk set runs. What runs is what libseccomp's filter for the
 * profile says (profile_probe.h): the score cannot disagree with the filter the runtime loads,
 * however the rules overlap. profile_score_report.c writes it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/net.h>
#include <linux/sched.h>
#include "base/strv.h"
#include "profile/profile_probe.h"
#include "profile/profile_score.h"
#include "profile/syscalls.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum risk_kind {
	RISK_CALL,	    /* the call with any arguments */
	RISK_SOCKET_FAMILY, /* socket() with family @value */
	RISK_CLONE_NEW,	    /* clone() with a CLONE_NEW* flag */
};

/* A call that is a risk whatever its arguments: its id is its name. */
#define CALL_RISK(name, reason)                  \
	{                                        \
		name, name, RISK_CALL, 0, reason \
	}

static const struct risk {
	const char *id;
	const char *call;
	enum risk_kind kind;
	uint64_t value;
	const char *reason;
} risks[] = {
	CALL_RISK("bpf", "load BPF programs into the kernel, read kernel memory"),
	CALL_RISK("perf_event_open",
		  "observe the kernel and other processes; a frequent source of kernel bugs"),
	CALL_RISK("ptrace", "read and write other processes' memory"),
	CALL_RISK("process_vm_writev", "write other processes' memory"),
	CALL_RISK("process_vm_readv", "read other processes' memory"),
	CALL_RISK("keyctl", "the kernel keyrings, which are not namespaced"),
	CALL_RISK("add_key", "add keys to the kernel keyrings (not namespaced)"),
	CALL_RISK("request_key", "request keys from the kernel keyrings (not namespaced)"),
	CALL_RISK("userfaultfd",
		  "stall the kernel on a page fault: widens the race windows exploits need"),
	CALL_RISK("io_uring_setup",
		  "io_uring: a large kernel surface whose operations seccomp does not see"),
	CALL_RISK("unshare", "new namespaces, user namespaces too: kernel code meant for root"),
	CALL_RISK("setns", "join other namespaces"),
	CALL_RISK("mount", "change the mount table"),
	CALL_RISK("umount2", "unmount filesystems, uncovering what they hid"),
	CALL_RISK("pivot_root", "change the root filesystem"),
	CALL_RISK("open_by_handle_at", "open files by handle, outside the container's root"),
	CALL_RISK("name_to_handle_at", "file handles for open_by_handle_at"),
	CALL_RISK("kexec_load", "load a new kernel"),
	CALL_RISK("kexec_file_load", "load a new kernel from a file"),
	CALL_RISK("init_module", "load a kernel module"),
	CALL_RISK("finit_module", "load a kernel module from a file"),
	CALL_RISK("delete_module", "unload a kernel module"),
	CALL_RISK("fsopen", "the mount API: open a filesystem to configure"),
	CALL_RISK("fsmount", "the mount API: create a mount"),
	CALL_RISK("move_mount", "the mount API: attach a mount"),
	CALL_RISK("open_tree", "the mount API: clone a mount tree"),
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

/* --- the score ------------------------------------------------------------------------ */

static void sort_names(char **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), strv_compare);
}

static int score_abi(const struct profile_applied *p, const struct profile_applied *def,
		     const struct profile_abi_calls *calls, struct profile_score_abi *abi,
		     struct error *err)
{
	uint32_t arch = syscalls_arch_from_name(abi->arch);

	abi->compared = def && profile_applied_covers(def, arch);
	for (size_t i = 0; i < calls->n; i++) {
		const struct profile_abi_call *c = &calls->v[i];
		bool some, all, def_some = false, def_all;

		if (!c->canonical)
			continue;
		abi->known++;
		if (profile_probe_call(p, arch, c->nr, c->name, &some, &all, err) < 0)
			return -1;
		abi->allowed += some;
		abi->conditional += some && !all;
		if (!abi->compared)
			continue;
		if (profile_probe_call(def, arch, c->nr, c->name, &def_some, &def_all, err) < 0)
			return error_prefix(err, "the default: ");
		abi->default_allowed += def_some;
		if ((def_some && !some &&
		     strv_array_append(&abi->blocked, &abi->n_blocked, c->name) < 0) ||
		    (some && !def_some &&
		     strv_array_append(&abi->extra, &abi->n_extra, c->name) < 0))
			return error_set(err, ENOMEM, "score %s", abi->arch);
	}
	sort_names(abi->blocked, abi->n_blocked);
	sort_names(abi->extra, abi->n_extra);
	return 0;
}

/* The values of clone's flags that create a namespace: each CLONE_NEW* flag or'ed into each
 * value the profile's conditions single out. */
static int clone_new_values(struct profile_probe *q, uint32_t index)
{
	struct probe_values in = q->args[index], out = { 0 };
	int ret = 0;

	if (!in.n) {
		static const uint64_t zero = 0;

		in.v = (uint64_t *)&zero;
		in.n = 1;
	}
	for (size_t i = 0; i < in.n; i++)
		for (size_t f = 0; f < N_ELEMS(clone_new_flags); f++)
			ret |= probe_values_add(&out, in.v[i] | clone_new_flags[f]);
	if (ret == 0)
		ret = profile_probe_pin(q, index, out.v, out.n);
	free(out.v);
	return ret;
}

/* Where clone() takes its flags: s390 swaps the first two arguments. */
static uint32_t clone_flags_index(uint32_t arch)
{
	return arch == SCMP_ARCH_S390 || arch == SCMP_ARCH_S390X ? 1 : 0;
}

/* Whether risk @r runs on @arch through the call @c; @conditional: only for some arguments. */
static int risk_runs_via(const struct profile_applied *p, const struct risk *r, uint32_t arch,
			 const struct profile_abi_call *c, bool socketcall, bool *runs,
			 bool *conditional, struct error *err)
{
	struct profile_probe q;
	bool some = false, all = false;
	int ret = -1;

	if (profile_probe_start(&q, p, arch, c->nr, c->name) < 0)
		goto nomem;
	if (socketcall) {
		/* socketcall(SYS_SOCKET, args): the family is behind a pointer, out of sight. */
		uint64_t call = SYS_SOCKET;

		if (profile_probe_pin(&q, 0, &call, 1) < 0)
			goto nomem;
	} else if (r->kind == RISK_SOCKET_FAMILY) {
		if (profile_probe_pin(&q, 0, &r->value, 1) < 0)
			goto nomem;
	} else if (r->kind == RISK_CLONE_NEW) {
		if (clone_new_values(&q, clone_flags_index(arch)) < 0)
			goto nomem;
	}
	ret = profile_probe_run(p, &q, c->name, &some, &all, err);
	*runs = some;
	*conditional = some && !all && r->kind == RISK_CALL;
	profile_probe_clear(&q);
	return ret;
nomem:
	profile_probe_clear(&q);
	return error_set(err, ENOMEM, "score `%s`", r->id);
}

static int score_risks(const struct profile_applied *p, uint32_t arch,
		       const struct profile_abi_calls *calls, struct profile_score *s,
		       struct error *err)
{
	const char *arch_name = syscalls_arch_name(arch);

	for (size_t i = 0; i < s->n_risks; i++) {
		const struct risk *r = &risks[i];
		struct profile_score_risk *out = &s->risks[i];
		bool direct = false, socketcall = false;

		for (size_t j = 0; j < calls->n; j++) {
			const struct profile_abi_call *c = &calls->v[j];
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
		     strv_array_append(&out->arches, &out->n_arches, arch_name) < 0) ||
		    (!direct && socketcall &&
		     strv_array_append(&out->socketcall_arches, &out->n_socketcall_arches,
				       arch_name) < 0))
			return error_set(err, ENOMEM, "score `%s`", r->id);
	}
	return 0;
}

/* The ABIs scored: those @a lists, once each, or the native one. */
static int score_abis(const struct profile_applied *a, struct profile_score *s, struct error *err)
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
	struct profile_applied ap = { 0 }, ad = { 0 };
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
	if (profile_apply(p, "the profile", &ap, err) < 0 ||
	    (def && profile_apply(def, "the default", &ad, err) < 0))
		goto out;
	if (score_abis(&ap, out, err) < 0)
		goto out;
	for (size_t i = 0; i < out->n_abis; i++) {
		struct profile_abi_calls calls;
		uint32_t arch = syscalls_arch_from_name(out->abis[i].arch);

		if (profile_abi_calls_of(arch, &calls, err) < 0)
			goto out;
		ret = score_abi(&ap, def ? &ad : NULL, &calls, &out->abis[i], err);
		if (ret == 0)
			ret = score_risks(&ap, arch, &calls, out, err);
		profile_abi_calls_clear(&calls);
		if (ret < 0)
			goto out;
		ret = -1;
	}
	for (size_t i = 0; i < out->n_risks; i++)
		out->risks_allowed += out->risks[i].n_arches > 0;
	ret = 0;
out:
	profile_applied_clear(&ap);
	profile_applied_clear(&ad);
	if (ret < 0)
		profile_score_clear(out);
	return ret;
}

void profile_score_clear(struct profile_score *s)
{
	for (size_t i = 0; i < s->n_abis; i++) {
		strv_array_free(s->abis[i].blocked, s->abis[i].n_blocked);
		strv_array_free(s->abis[i].extra, s->abis[i].n_extra);
	}
	for (size_t i = 0; i < s->n_risks; i++) {
		strv_array_free(s->risks[i].arches, s->risks[i].n_arches);
		strv_array_free(s->risks[i].socketcall_arches, s->risks[i].n_socketcall_arches);
	}
	free(s->abis);
	free(s->risks);
	memset(s, 0, sizeof(*s));
}
