// SPDX-License-Identifier: GPL-2.0-or-later
/* PROFILE.why.json: the first caller of each call a recording allowed, or why it was added. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/fallbacks.h"
#include "recording/implicit_calls.h"
#include "base/json.h"
#include "profile/profile.h"
#include "profile/provenance.h"
#include "profile/syscalls.h"

#define NOT_KEPT "its first caller was not kept: the host's table of first callers was full"
#define BY_BASE "added by --base: what the runtime needs"

static char *why_path(const char *profile_path)
{
	char *path;

	if (asprintf(&path, "%s" PROVENANCE_SUFFIX, profile_path) < 0)
		return NULL;
	return path;
}

static const struct first_caller *find_caller(const struct syscall_set *set, uint32_t abi,
					      uint32_t nr)
{
	for (size_t i = 0; i < set->n_callers; i++)
		if (set->callers[i].abi == abi && set->callers[i].nr == nr)
			return &set->callers[i].caller;
	return NULL;
}

/* The executable's path from its components, the file's own name first in @c. */
static void caller_exe(const struct first_caller *c, char *out, size_t size)
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

static void write_entry(struct json_writer *w, const char *name, const char *arch,
			const struct first_caller *c, const char *added)
{
	char exe[CALLER_EXE_PARTS * CALLER_PART_LEN + 8];
	char comm[CALLER_COMM_LEN + 1];

	json_w_object_begin(w);
	json_w_key(w, "name");
	json_w_string(w, name);
	json_w_key(w, "arch");
	json_w_string(w, arch);
	if (c) {
		caller_exe(c, exe, sizeof(exe));
		memcpy(comm, c->comm, CALLER_COMM_LEN);
		comm[CALLER_COMM_LEN] = '\0';
		json_w_key(w, "first");
		json_w_object_begin(w);
		json_w_key(w, "executable");
		json_w_string(w, exe);
		json_w_key(w, "comm");
		json_w_string(w, comm);
		json_w_key(w, "pid");
		json_w_uint(w, c->pid);
		json_w_key(w, "pidInNamespace");
		json_w_uint(w, c->ns_pid);
		json_w_object_end(w);
	} else {
		json_w_key(w, "addedUnseen");
		json_w_string(w, added);
	}
	json_w_object_end(w);
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
		     const struct syscall_set *set,
		     const uint64_t seen[ABI_COUNT][SYSCALL_WORDS], const char *const *enosys,
		     size_t n_enosys, struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	cleanup_free struct named *calls = calloc(ABI_COUNT * MAX_SYSCALL_NR, sizeof(*calls));
	cleanup_free char *path = why_path(profile_path);
	cleanup_free char *text = NULL;
	const char *base = strrchr(profile_path, '/');
	size_t n = 0, len;
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
	json_w_key(w, "profile");
	json_w_string(w, base ? base + 1 : profile_path);
	json_w_key(w, "calls");
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		const char *arch = syscalls_arch_name(syscalls_abi_arch(calls[i].abi));
		bool was_seen = (seen[calls[i].abi][calls[i].nr / 64] >> (calls[i].nr % 64)) & 1;
		const struct first_caller *c = find_caller(set, calls[i].abi, calls[i].nr);
		const char *added = implicit_calls_reason(calls[i].name, set);

		if (was_seen)
			write_entry(w, calls[i].name, arch ? arch : "?", c, c ? NULL : NOT_KEPT);
		else
			write_entry(w, calls[i].name, arch ? arch : "?", NULL,
				    added ? added : BY_BASE);
	}
	for (size_t i = 0; i < n_enosys; i++) {
		const char *reason = fallbacks_reason(enosys[i]);

		json_w_object_begin(w);
		json_w_key(w, "name");
		json_w_string(w, enosys[i]);
		json_w_key(w, "answeredEnosys");
		json_w_string(w, reason ? reason : "its callers fall back on ENOSYS");
		json_w_object_end(w);
	}
	json_w_array_end(w);
	json_w_object_end(w);
	ret = json_writer_finish(w, &text, &len, err);
	for (size_t i = 0; i < n; i++)
		free(calls[i].name);
	if (ret < 0)
		return -1;
	return profile_write_text(path, links, text, len, mode, err);
}

static int copy_field(const struct json *obj, const char *key, char **out)
{
	const char *s = json_string(json_get(obj, key));

	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : -1;
}

static int read_entry(const struct json *v, struct provenance_entry *e, const char *what,
		      size_t i, struct error *err)
{
	const struct json *first = json_get(v, "first");

	memset(e, 0, sizeof(*e));
	e->pid = e->ns_pid = -1;
	if (json_type(v) != JSON_OBJECT || !json_string(json_get(v, "name")))
		return error_set(err, 0, "%s: calls[%zu] needs a string `name`", what, i);
	if (copy_field(v, "name", &e->name) < 0 || copy_field(v, "arch", &e->arch) < 0 ||
	    copy_field(v, "addedUnseen", &e->added) < 0 ||
	    copy_field(v, "answeredEnosys", &e->enosys) < 0)
		return error_set(err, ENOMEM, "%s", what);
	if (first) {
		if (json_type(first) != JSON_OBJECT)
			return error_set(err, 0, "%s: calls[%zu].first is not an object", what, i);
		if (copy_field(first, "executable", &e->exe) < 0 ||
		    copy_field(first, "comm", &e->comm) < 0)
			return error_set(err, ENOMEM, "%s", what);
		if (!json_int64(json_get(first, "pid"), &e->pid))
			e->pid = -1;
		if (!json_int64(json_get(first, "pidInNamespace"), &e->ns_pid))
			e->ns_pid = -1;
	}
	return 0;
}

int provenance_read(const char *profile_path, enum fs_links links, struct provenance *out,
		    struct error *err)
{
	cleanup_free char *path = why_path(profile_path);
	cleanup_free char *text = NULL;
	cleanup_json struct json *doc = NULL;
	char what[4200];
	const struct json *calls;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (!path)
		return error_set(err, ENOMEM, "the why file of `%s`", profile_path);
	if (fs_read_file(path, links, PROVENANCE_MAX_BYTES, &text, &len, err) < 0) {
		if (err->errnum == ENOENT)
			return 1;
		return -1;
	}
	snprintf(what, sizeof(what), "why file `%s`", path);
	if (json_parse(text, len, what, &doc, err) < 0)
		return -1;
	calls = json_get(doc, "calls");
	if (json_type(doc) != JSON_OBJECT || json_type(calls) != JSON_ARRAY)
		return error_set(err, 0, "%s: needs an object with an array `calls`", what);
	out->v = calloc(json_len(calls) + 1, sizeof(*out->v));
	if (!out->v)
		return error_set(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < json_len(calls); i++) {
		if (read_entry(json_at(calls, i), &out->v[out->n], what, i, err) < 0) {
			out->n++;
			provenance_release(out);
			return -1;
		}
		out->n++;
	}
	return 0;
}

void provenance_release(struct provenance *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].arch);
		free(p->v[i].exe);
		free(p->v[i].comm);
		free(p->v[i].added);
		free(p->v[i].enosys);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

const struct provenance_entry *provenance_find(const struct provenance *p, const char *name)
{
	const char *native = syscalls_arch_name(syscalls_native_arch());
	const struct provenance_entry *any = NULL;

	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].name, name) != 0)
			continue;
		if (native && p->v[i].arch && strcmp(p->v[i].arch, native) == 0)
			return &p->v[i];
		if (!any)
			any = &p->v[i];
	}
	return any;
}

char *provenance_describe(const struct provenance_entry *e)
{
	char *text = NULL;
	int ret;

	if (e->exe)
		ret = asprintf(&text, "%s (%s, pid %lld in its namespace, %lld on the host)", e->exe,
			       e->comm ? e->comm : "?", (long long)e->ns_pid, (long long)e->pid);
	else if (e->enosys)
		ret = asprintf(&text, "answered ENOSYS: %s", e->enosys);
	else
		ret = asprintf(&text, "%s", e->added ? e->added : "unknown");
	return ret < 0 ? NULL : text;
}
