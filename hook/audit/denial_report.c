// SPDX-License-Identifier: GPL-2.0-or-later
/* Denied calls by (ABI, number), named through libseccomp, as a summary or a JSON document. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include "base/cleanup.h"
#include "audit/denial_report.h"
#include "base/escape.h"
#include "base/json.h"
#include "profile/syscalls.h"

static const struct {
	uint32_t action;
	const char *name;
} action_names[] = {
	{ SECCOMP_RET_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS" },
	{ SECCOMP_RET_KILL_THREAD, "SCMP_ACT_KILL_THREAD" },
	{ SECCOMP_RET_TRAP, "SCMP_ACT_TRAP" },
	{ SECCOMP_RET_ERRNO, "SCMP_ACT_ERRNO" },
	{ SECCOMP_RET_USER_NOTIF, "SCMP_ACT_NOTIFY" },
	{ SECCOMP_RET_TRACE, "SCMP_ACT_TRACE" },
	{ SECCOMP_RET_LOG, "SCMP_ACT_LOG" },
	{ SECCOMP_RET_ALLOW, "SCMP_ACT_ALLOW" },
};

const char *denial_action_name(uint32_t action)
{
	for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (action_names[i].action == (action & SECCOMP_RET_ACTION_FULL))
			return action_names[i].name;
	return NULL;
}

/* x32 calls reach seccomp as x86_64 calls with X32_SYSCALL_BIT set. */
static uint32_t abi_of(uint32_t arch, int nr)
{
	if (arch == SCMP_ARCH_X86_64 && ((uint32_t)nr & X32_SYSCALL_BIT))
		return SCMP_ARCH_X32;
	return arch;
}

int denial_resolve(uint32_t arch, int nr, uint32_t *abi, char **name)
{
	*abi = abi_of(arch, nr);
	/* libseccomp numbers x32 calls with the bit set, as the kernel reports them. */
	errno = 0;
	*name = seccomp_syscall_resolve_num_arch(*abi, nr);
	if (!*name && errno == ENOMEM)
		return -1;
	return 0;
}

static struct denial *find(const struct denial_report *r, uint32_t abi, int nr)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].arch == abi && r->v[i].nr == nr)
			return &r->v[i];
	return NULL;
}

static bool has_pid(const struct denial *d, pid_t pid)
{
	for (size_t i = 0; i < d->n_pids; i++)
		if (d->pids[i] == pid)
			return true;
	return false;
}

bool denial_report_wants_comm(const struct denial_report *r, uint32_t arch, int nr, pid_t pid)
{
	const struct denial *d = find(r, abi_of(arch, nr), nr);

	return !d || (!has_pid(d, pid) && !d->comms_truncated);
}

/* As the kernel gave it, without /proc's newline: escaped where it is shown (escape.h). */
static void clean_comm(char *dst, const char *src)
{
	size_t i;

	for (i = 0; i < DENIAL_COMM_LEN - 1 && src[i] && src[i] != '\n'; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/* A comm is the workload's to choose: shown in the escape form, never obeyed. */
static void print_comm(FILE *out, const char *comm)
{
	char text[ESCAPED_SIZE(DENIAL_COMM_LEN)];

	escape_text(comm, text, sizeof(text), 0);
	fputs(text, out);
}

static void add_comm(struct denial *d, const char *comm)
{
	char clean[DENIAL_COMM_LEN];

	clean_comm(clean, comm);
	for (size_t i = 0; i < d->n_comms; i++)
		if (strcmp(d->comms[i], clean) == 0)
			return;
	if (d->n_comms == DENIAL_MAX_COMMS) {
		d->comms_truncated = true;
		return;
	}
	memcpy(d->comms[d->n_comms++], clean, sizeof(clean));
}

static struct denial *new_entry(struct denial_report *r, uint32_t arch, int nr, uint32_t action,
				struct error *err)
{
	struct denial *d;
	uint32_t abi;
	char *name;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct denial *bigger = realloc(r->v, cap * sizeof(*bigger));

		if (!bigger)
			return error_set(err, ENOMEM, "record a denied call"), NULL;
		r->v = bigger;
		r->cap = cap;
	}
	if (denial_resolve(arch, nr, &abi, &name) < 0)
		return error_set(err, ENOMEM, "record a denied call"), NULL;
	d = &r->v[r->n++];
	memset(d, 0, sizeof(*d));
	d->arch = abi;
	d->nr = nr;
	d->name = name;
	d->action = action;
	for (int a = 0; name && a < ABI_COUNT; a++)
		if (syscalls_abi_arch(a) == abi)
			d->arg = arg_spec_find(a, name);
	return d;
}

static void add_arg_value(struct denial *d, const uint64_t *args)
{
	uint64_t value;

	if (!d->arg || !args)
		return;
	value = args[d->arg->index] & d->arg->mask;
	for (size_t i = 0; i < d->n_arg_values; i++)
		if (d->arg_values[i] == value)
			return;
	if (d->n_arg_values < DENIAL_MAX_ARG_VALUES)
		d->arg_values[d->n_arg_values++] = value;
	else
		d->arg_values_truncated = true;
}

int denial_report_add(struct denial_report *r, uint32_t arch, int nr, uint32_t action, pid_t pid,
		      const char *comm, const uint64_t *args, struct error *err)
{
	struct denial *d = find(r, abi_of(arch, nr), nr);

	r->calls++;
	if (!d && r->n == DENIAL_MAX_ENTRIES) {
		r->untracked++;
		return 0;
	}
	if (!d && !(d = new_entry(r, arch, nr, action, err)))
		return -1;
	d->count++;
	if (!has_pid(d, pid)) {
		if (d->n_pids < DENIAL_MAX_PIDS)
			d->pids[d->n_pids++] = pid;
		else
			d->pids_truncated = true;
	}
	if (comm)
		add_comm(d, comm);
	add_arg_value(d, args);
	return 0;
}

static const char *abi_name(uint32_t arch, char *buf, size_t size)
{
	const char *name = syscalls_arch_name(arch);

	if (name)
		return name;
	snprintf(buf, size, "0x%08x", arch);
	return buf;
}

static int compare(const void *pa, const void *pb)
{
	const struct denial *a = pa, *b = pb;
	char ba[16], bb[16];
	int c = strcmp(abi_name(a->arch, ba, sizeof(ba)), abi_name(b->arch, bb, sizeof(bb)));

	if (c)
		return c;
	if (a->name && b->name && (c = strcmp(a->name, b->name)))
		return c;
	if (!a->name != !b->name)
		return a->name ? -1 : 1;
	return a->nr < b->nr ? -1 : a->nr > b->nr;
}

void denial_report_sort(struct denial_report *r)
{
	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), compare);
}

static void print_action(const struct denial *d, FILE *out)
{
	const char *name = denial_action_name(d->action);

	if (!name)
		fprintf(out, "0x%08x", d->action);
	else if ((d->action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
		fprintf(out, "%s(%u)", name, d->action & SECCOMP_RET_DATA);
	else
		fputs(name, out);
}

/*
 * The calls the profile allows and logs (SCMP_ACT_LOG: a hints:log profile's hinted calls):
 * they run, but say that the recording missed a path this run took.
 */
static void print_logged(const struct denial_report *r, FILE *out)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct denial *d = &r->v[i];

		if ((d->action & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_LOG)
			continue;
		fprintf(out, "%s", n++ ? ", " : "  used, and allowed as SCMP_ACT_LOG (hinted): ");
		if (d->name)
			fputs(d->name, out);
		else
			fprintf(out, "#%d", d->nr);
	}
	if (n)
		fputc('\n', out);
}

void denial_report_print(const struct denial_report *r, bool enforce, FILE *out)
{
	if (r->calls == 0) {
		fprintf(out, "oci-seccomp-recorder: run: no call the profile denies was made\n");
		return;
	}
	fprintf(out,
		"oci-seccomp-recorder: run: %llu call%s the profile denies (%zu distinct), %s:\n",
		(unsigned long long)r->calls, r->calls == 1 ? "" : "s", r->n,
		enforce ? "answered as the profile says" : "each allowed (audit mode)");
	for (size_t i = 0; i < r->n; i++) {
		const struct denial *d = &r->v[i];
		char buf[16];

		fprintf(out, "  %s ", abi_name(d->arch, buf, sizeof(buf)));
		if (d->name)
			fputs(d->name, out);
		else
			fprintf(out, "#%d", d->nr);
		if (d->n_arg_values) {
			fprintf(out, " arg%u(%s)=", d->arg->index, d->arg->what);
			for (size_t j = 0; j < d->n_arg_values; j++)
				fprintf(out, "%s0x%llx", j ? "," : "",
					(unsigned long long)d->arg_values[j]);
			fputs(d->arg_values_truncated ? ",..." : "", out);
		}
		fprintf(out, " count=%llu action=", (unsigned long long)d->count);
		print_action(d, out);
		fputs(" pids=", out);
		for (size_t j = 0; j < d->n_pids; j++)
			fprintf(out, "%s%d", j ? "," : "", (int)d->pids[j]);
		fputs(d->pids_truncated ? ",..." : "", out);
		fputs(" comms=", out);
		for (size_t j = 0; j < d->n_comms; j++) {
			fputs(j ? "," : "", out);
			print_comm(out, d->comms[j]);
		}
		fputs(d->comms_truncated ? ",...\n" : "\n", out);
	}
	if (r->untracked)
		fprintf(out,
			"  and %llu calls of further syscalls (more than %d distinct: not "
			"tracked one by one)\n",
			(unsigned long long)r->untracked, DENIAL_MAX_ENTRIES);
	print_logged(r, out);
}

static void write_pid(struct json_writer *w, const void *pid)
{
	json_w_int(w, *(const pid_t *)pid);
}

static void write_comm(struct json_writer *w, const void *comm)
{
	char text[ESCAPED_SIZE(DENIAL_COMM_LEN)];

	escape_text(comm, text, sizeof(text), 0);
	json_w_string(w, text);
}

static void write_value(struct json_writer *w, const void *value)
{
	json_w_uint(w, *(const uint64_t *)value);
}

/* "KEY": [v...], "KEY_truncated": B, for a bounded list. */
static void write_bounded_list(struct json_writer *w, const char *key, const void *v, size_t n,
			       size_t size, void (*each)(struct json_writer *w, const void *item),
			       bool truncated)
{
	char truncated_key[64];

	json_w_list(w, key, v, n, size, each);
	snprintf(truncated_key, sizeof(truncated_key), "%s_truncated", key);
	json_w_kv_bool(w, truncated_key, truncated);
}

static void write_denial(struct json_writer *w, const void *item)
{
	const struct denial *d = item;
	const char *action = denial_action_name(d->action);
	char buf[16], hex[16];

	json_w_object_begin(w);
	json_w_key(w, "name");
	if (d->name)
		json_w_string(w, d->name);
	else
		json_w_value(w, NULL); /* no value: null */
	json_w_kv_string(w, "arch", abi_name(d->arch, buf, sizeof(buf)));
	json_w_kv_int(w, "nr", d->nr);
	snprintf(hex, sizeof(hex), "0x%08x", d->action);
	json_w_kv_string(w, "action", action ? action : hex);
	if ((d->action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
		json_w_kv_uint(w, "errno", d->action & SECCOMP_RET_DATA);
	json_w_kv_uint(w, "count", d->count);
	write_bounded_list(w, "pids", d->pids, d->n_pids, sizeof(*d->pids), write_pid,
			   d->pids_truncated);
	write_bounded_list(w, "comms", d->comms, d->n_comms, sizeof(*d->comms), write_comm,
			   d->comms_truncated);
	if (d->n_arg_values) {
		json_w_key(w, "argument");
		json_w_object_begin(w);
		json_w_kv_uint(w, "index", d->arg->index);
		json_w_kv_string(w, "name", d->arg->what);
		if (arg_spec_is_masked(d->arg))
			json_w_kv_uint(w, "mask", d->arg->mask);
		write_bounded_list(w, "values", d->arg_values, d->n_arg_values,
				   sizeof(*d->arg_values), write_value, d->arg_values_truncated);
		json_w_object_end(w);
	}
	json_w_object_end(w);
}

int denial_report_json(const struct denial_report *r, const struct denial_report_info *info,
		       char **out, size_t *len, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();

	if (!w)
		return error_set(err, ENOMEM, "write the report");
	json_w_object_begin(w);
	json_w_kv_string(w, "profile", info->profile);
	json_w_kv_string(w, "mode", info->enforce ? "enforce" : "audit");
	json_w_list(w, "denied", r->v, r->n, sizeof(*r->v), write_denial);
	json_w_kv_uint(w, "calls", r->calls);
	json_w_kv_uint(w, "untracked_calls", r->untracked);
	json_w_kv_int(w, "exit_status", info->exit_status);
	json_w_object_end(w);
	if (json_writer_finish(w, out, len, err) < 0)
		return error_prefix(err, "the JSON report: ");
	return 0;
}

void denial_report_release(struct denial_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	memset(r, 0, sizeof(*r));
}
