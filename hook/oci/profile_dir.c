// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Node mode: profile paths built from the names a runtime puts in the spec, never from a path a
 * pod author wrote. Each name is checked as one path component before it is joined, so no
 * annotation can reach `..`, `/`, a hidden file or another tenant's folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "oci/profile_dir.h"

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool profile_dir_valid_component(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > PROFILE_DIR_COMPONENT_MAX || !is_alnum(s[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

bool profile_dir_valid_name(const char *name)
{
	char part[PROFILE_DIR_COMPONENT_MAX + 1];
	int depth = 0;

	for (const char *p = name;; depth++) {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (depth == PROFILE_DIR_NAME_DEPTH || len == 0 || len >= sizeof(part))
			return false;
		memcpy(part, p, len);
		part[len] = '\0';
		if (!profile_dir_valid_component(part))
			return false;
		if (!*end)
			return true;
		p = end + 1;
	}
}

/* @value is one path component, or the message names @key and why it is refused. */
static int check_component(const char *key, const char *value, struct error *err)
{
	if (!value)
		return error_set(err, 0, "the spec has no annotation `%s`", key);
	if (!profile_dir_valid_component(value))
		return error_set(
			err, 0,
			"annotation `%s` is not a name the profile directory can hold (1 to "
			"%d of [A-Za-z0-9_.-], beginning with a letter or digit)",
			key, PROFILE_DIR_COMPONENT_MAX);
	return 0;
}

static int join(char **out, struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int join(char **out, struct error *err, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(out, fmt, ap);
	va_end(ap);
	if (len < 0) {
		*out = NULL;
		return error_set(err, ENOMEM, "profile path");
	}
	if (len > PATH_MAX - 1)
		return error_set(err, ENAMETOOLONG, "profile path");
	return 0;
}

int profile_dir_place(const char *dir, const struct oci_state *state, const char *ext,
		      const char *input_name, struct profile_place *place, struct error *err)
{
	const struct oci_owner *o = &state->owner;

	memset(place, 0, sizeof(*place));
	if (o->k8s_namespace || o->k8s_pod || o->k8s_container) {
		if (check_component("pod namespace", o->k8s_namespace, err) < 0 ||
		    check_component("pod name", o->k8s_pod, err) < 0 ||
		    check_component("container name", o->k8s_container, err) < 0)
			return -1;
		if (join(&place->tenant, err, "%s", o->k8s_namespace) < 0 ||
		    join(&place->folder, err, "%s/%s", dir, o->k8s_namespace) < 0 ||
		    join(&place->output, err, "%s/%s/%s%s", place->folder, o->k8s_pod,
			 o->k8s_container, ext) < 0)
			goto fail;
	} else if (o->kubernetes) {
		error_set(
			err, 0,
			"the spec has Kubernetes annotations but not the pod's namespace, pod and "
			"container names (CRI-O's io.kubernetes.pod.* or containerd's "
			"io.kubernetes.cri.*): no place for its profile");
		return -1;
	} else {
		const char *name = o->name && profile_dir_valid_component(o->name) ? o->name :
										     state->id;

		if (join(&place->folder, err, "%s", dir) < 0 ||
		    join(&place->output, err, "%s/%s%s", dir, name, ext) < 0)
			goto fail;
	}
	if (input_name && join(&place->input, err, "%s/%s", place->folder, input_name) < 0)
		goto fail;
	return 0;
fail:
	profile_place_release(place);
	return -1;
}

int profile_dir_workload(const char *dir, const struct oci_state *state, const char *ext,
			 const char *name, struct profile_place *place, struct error *err)
{
	const struct oci_owner *o = &state->owner;

	if (!o->k8s_namespace)
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION
				 ": `workload:%s` needs a Kubernetes "
				 "pod (its namespace and container name): this container has none",
				 name);
	if (strcmp(name, o->k8s_pod) == 0)
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION
				 ": `workload:%s` is the name of the "
				 "pod itself, whose own folder it would be: name the workload",
				 name);
	return join(&place->workload, err, "%s/%s/%s/%s%s", dir, o->k8s_namespace, name,
		    o->k8s_container, ext);
}

void profile_place_release(struct profile_place *place)
{
	free(place->workload);
	free(place->output);
	free(place->input);
	free(place->tenant);
	free(place->folder);
	memset(place, 0, sizeof(*place));
}

static int make_parents(const char *dir, const char *path, struct error *err);

int profile_dir_make_parents(const char *dir, const struct profile_place *place, struct error *err)
{
	if (make_parents(dir, place->output, err) < 0)
		return -1;
	return place->workload ? make_parents(dir, place->workload, err) : 0;
}

static int make_parents(const char *dir, const char *path, struct error *err)
{
	cleanup_free char *rel = NULL;
	cleanup_close int dirfd = fs_open_dir(dir, FS_LINKS_NONE, err);
	char *slash, *part, *save = NULL;
	size_t len = strlen(dir);

	if (dirfd < 0)
		return -1;
	if (fs_check_own_dir(dirfd, dir, err) < 0)
		return -1;
	if (strncmp(path, dir, len) != 0 || path[len] != '/')
		return error_set(err, 0, "`%s` is not below `%s`", path, dir);
	rel = strdup(path + len + 1);
	if (!rel)
		return error_set(err, ENOMEM, "profile path");
	slash = strrchr(rel, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	for (part = strtok_r(rel, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		int fd;

		if (mkdirat(dirfd, part, 0700) < 0 && errno != EEXIST)
			return error_set(err, errno, "create `%s` in `%s`", part, dir);
		fd = openat(dirfd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return error_set(err, errno == ELOOP ? 0 : errno,
					 errno == ELOOP ?
						 "`%s` in `%s` is a symlink, which is refused" :
						 "open `%s` in `%s`",
					 part, dir);
		close(dirfd);
		dirfd = fd;
		if (fs_check_own_dir(dirfd, part, err) < 0)
			return -1;
	}
	return 0;
}

int profile_dir_check(const char *dir, char **out, struct error *err)
{
	cleanup_free char *real = NULL;
	cleanup_close int fd = -1;

	if (dir[0] != '/')
		return error_set(err, 0, "--profile-dir `%s` is not an absolute path", dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return error_set(err, errno, "--profile-dir: create `%s`", dir);
	real = realpath(dir, NULL);
	if (!real)
		return error_set(err, errno, "--profile-dir `%s`", dir);
	fd = open(real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "--profile-dir: open `%s`", real);
	if (fs_check_own_dir(fd, real, err) < 0)
		return error_prefix(err, "--profile-dir: ");
	*out = TAKE_PTR(real);
	return 0;
}
