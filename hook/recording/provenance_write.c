// SPDX-License-Identifier: GPL-2.0-or-later
/* PROFILE.why.json written: each allowed call's first caller, or why it was added unseen. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/escape.h"
#include "base/json.h"
#include "profile/fallbacks.h"
#include "profile/profile.h"
#include "profile/syscalls.h"
#include "recording/implicit_calls.h"
#include "recording/provenance_write.h"

#define NOT_KEPT "its first caller was not kept: the host's table of first callers was full"
#define STR(x) #x
#define XSTR(x) STR(x)
#define OVER_CAP                                                          \
	"its first caller was not kept: a recording keeps at most " XSTR( \
		MAX_CALLERS_PER_RECORDING) " first callers"
#define BY_BASE "added by --base: what the runtime needs"

static const struct first_caller *find_caller(const struct syscall_set *set, uint32_t abi,
					      uint32_t nr)
{
	for (size_t i = 0; i < set->n_callers; i++)
		if (set->callers[i].abi == abi && set->callers[i].nr == nr)
			return &set->callers[i].caller;
	return NULL;
}

/* The executable's path from its components, the file's own name first in @c. */
void provenance_caller_exe(const struct first_caller *c, char *out, size_t size)
{
	size_t used = 0;
	uint32_t parts = c->parts < CALLER_EXE_PARTS ? c->parts : CALLER_EXE_PARTS;

	out[0] = '\0';
	if (c->flags & CALLER_NO_EXE) {
		snprintf(out, size, "(no executable)");
		return;
	}
	if (c->flags & CALLER_EXE_ANON) {
		char part[CALLER_PART_LEN];

		memcpy(part, c->exe[0], CALLER_PART_LEN);
		part[CALLER_PART_LEN - 1] = '\0';
		snprintf(out, size, "%s%s", part, c->flags & CALLER_PART_TRUNCATED ? "..." : "");
		return;
	}
	if (c->flags & CALLER_EXE_TRUNCATED)
		used += (size_t)snprintf(out + used, size - used, "...");
	for (uint32_t i = parts; i-- > 0 && used < size;) {
		char part[CALLER_PART_LEN];

		memcpy(part, c->exe[i], CALLER_PART_LEN);
		part[CALLER_PART_LEN - 1] = '\0';
		used += (size_t)snprintf(out + used, size - used, "/%s", part);
	}
	if (!parts && used < size)
		snprintf(out + used, size - used, "/");
}

/*
 * The names a workload chose (its comm, its executable's path) enter the why file escaped
 * (base/escape.h): valid UTF-8 whatever they hold, and shown as they are, never obeyed.
 */
static int write_first(struct json_writer *w, const struct first_caller *c)
{
	char exe[CALLER_EXE_PARTS * CALLER_PART_LEN + 8];
	char comm[CALLER_COMM_LEN + 1];
	cleanup_free char *exe_text = NULL, *comm_text = NULL;

	provenance_caller_exe(c, exe, sizeof(exe));
	memcpy(comm, c->comm, CALLER_COMM_LEN);
	comm[CALLER_COMM_LEN] = '\0';
	exe_text = escape_dup(exe, 0);
	comm_text = escape_dup(comm, 0);
	if (!exe_text || !comm_text)
		return -1;
	json_w_key(w, "first");
	json_w_object_begin(w);
	json_w_kv_string(w, "executable", exe_text);
	json_w_kv_string(w, "comm", comm_text);
	json_w_kv_uint(w, "pid", c->pid);
	json_w_kv_uint(w, "pidInNamespace", c->ns_pid);
	json_w_object_end(w);
	return 0;
}

static int write_entry(struct json_writer *w, const char *name, const char *arch,
		       const struct first_caller *c, const char *added)
{
	json_w_object_begin(w);
	json_w_kv_string(w, "name", name);
	json_w_kv_string(w, "arch", arch);
	if (c) {
		if (write_first(w, c) < 0)
			return -1;
	} else {
		json_w_kv_string(w, "addedUnseen", added);
	}
	json_w_object_end(w);
	return 0;
}

struct named {
	char *name;
	uint32_t abi;
	uint32_t nr;
};

static int compare_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)x->abi - (int)y->abi;
}

int provenance_write(const char *profile_path, enum fs_links links, mode_t mode,
		     const struct syscall_set *set, const uint64_t seen[ABI_COUNT][SYSCALL_WORDS],
		     const char *const *enosys, size_t n_enosys, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	cleanup_free struct named *calls = calloc(ABI_COUNT * MAX_SYSCALL_NR, sizeof(*calls));
	cleanup_free char *path = provenance_path(profile_path);
	cleanup_free char *text = NULL;
	const char *base = strrchr(profile_path, '/');
	const char *not_kept = set->callers_over_cap ? OVER_CAP : NOT_KEPT;
	size_t n = 0, len;
	bool no_memory = false;
	int ret;

	if (!w || !calls || !path)
		return error_set(err, ENOMEM, "the why file of `%s`", profile_path);
	for (uint32_t abi = 0; abi < ABI_COUNT; abi++)
		for (uint32_t nr = 0; nr < MAX_SYSCALL_NR; nr++) {
			if (!syscall_set_has(set, abi, (int)nr))
				continue;
			calls[n].name = syscalls_name(abi, (int)nr);
			if (!calls[n].name)
				continue; /* unknown to libseccomp: not in the profile either */
			calls[n].abi = abi;
			calls[n].nr = nr;
			n++;
		}
	qsort(calls, n, sizeof(*calls), compare_named);
	json_w_object_begin(w);
	json_w_kv_string(w, "profile", base ? base + 1 : profile_path);
	json_w_key(w, "calls");
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		const char *arch = syscalls_arch_name(syscalls_abi_arch(calls[i].abi));
		bool was_seen = (seen[calls[i].abi][calls[i].nr / 64] >> (calls[i].nr % 64)) & 1;
		const struct first_caller *c = find_caller(set, calls[i].abi, calls[i].nr);
		const char *added = implicit_calls_reason(calls[i].name, set);

		if (write_entry(w, calls[i].name, arch ? arch : "?", was_seen ? c : NULL,
				was_seen ? not_kept :
				added	 ? added :
					   BY_BASE) < 0) {
			no_memory = true;
			break;
		}
	}
	for (size_t i = 0; i < n_enosys; i++) {
		const char *reason = fallbacks_reason(enosys[i]);

		json_w_object_begin(w);
		json_w_kv_string(w, "name", enosys[i]);
		json_w_kv_string(w, "answeredEnosys",
				 reason ? reason : "its callers fall back on ENOSYS");
		json_w_object_end(w);
	}
	json_w_array_end(w);
	json_w_object_end(w);
	ret = no_memory ? error_set(err, ENOMEM, "the why file of `%s`", profile_path) :
			  json_writer_finish(w, &text, &len, err);
	for (size_t i = 0; i < n; i++)
		free(calls[i].name);
	if (ret < 0)
		return -1;
	return profile_write_text(path, links, text, len, mode, err);
}
