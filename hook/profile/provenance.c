// SPDX-License-Identifier: GPL-2.0-or-later
/* PROFILE.why.json read back: the first caller of each call, or why it was added. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/json.h"
#include "profile/provenance.h"
#include "profile/syscalls.h"

char *provenance_path(const char *profile_path)
{
	char *path;

	if (asprintf(&path, "%s" PROVENANCE_SUFFIX, profile_path) < 0)
		return NULL;
	return path;
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

static int read_entry(const struct json *v, struct provenance_entry *e, const char *what, size_t i,
		      struct error *err)
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
	cleanup_free char *path = provenance_path(profile_path);
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
		ret = asprintf(&text, "%s (%s, pid %lld in its namespace, %lld on the host)",
			       e->exe, e->comm ? e->comm : "?", (long long)e->ns_pid,
			       (long long)e->pid);
	else if (e->enosys)
		ret = asprintf(&text, "answered ENOSYS: %s", e->enosys);
	else
		ret = asprintf(&text, "%s", e->added ? e->added : "unknown");
	return ret < 0 ? NULL : text;
}
