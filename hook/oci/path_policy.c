// SPDX-License-Identifier: GPL-2.0-or-later
/* Lexical normalization and the allowed-directory check for the paths of an annotation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oci/path_policy.h"

int path_normalize(char *path)
{
	char *out = path, *in = path;

	if (path[0] != '/')
		return -1;
	while (*in) {
		char *end;
		size_t len;

		while (*in == '/')
			in++;
		if (!*in)
			break;
		end = strchrnul(in, '/');
		len = (size_t)(end - in);
		if (len == 1 && in[0] == '.') {
			/* nothing */
		} else if (len == 2 && in[0] == '.' && in[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, in, len);
			out += len;
		}
		in = end;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
	return 0;
}

int path_policy_add(struct path_policy *p, const char *dir, struct error *err)
{
	char *copy;

	if (dir[0] != '/')
		return error_set(err, 0, "--allowed-dir `%s` is not an absolute path", dir);
	if (p->n_dirs == PATH_POLICY_MAX_DIRS)
		return error_set(err, 0, "more than %d --allowed-dir options",
				 PATH_POLICY_MAX_DIRS);
	copy = strdup(dir);
	if (!copy)
		return error_set(err, ENOMEM, "--allowed-dir");
	path_normalize(copy);
	p->dirs[p->n_dirs++] = copy;
	return 0;
}

static bool below(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[1] != '\0';
	return strncmp(path, dir, len) == 0 && path[len] == '/' && path[len + 1] != '\0';
}

int path_policy_check(const struct path_policy *p, const char *what, char *path, struct error *err)
{
	char allowed[512] = "";
	size_t used = 0;

	if (path_normalize(path) < 0)
		return error_set(err, 0, "%s path `%s` is not absolute", what, path);
	if (p->n_dirs == 0)
		return 0;
	for (size_t i = 0; i < p->n_dirs; i++) {
		if (below(path, p->dirs[i]))
			return 0;
		if (used < sizeof(allowed))
			used += (size_t)snprintf(allowed + used, sizeof(allowed) - used, "%s%s",
						 i ? ", " : "", p->dirs[i]);
	}
	return error_set(err, 0, "%s path `%s` is outside the allowed directories (%s)", what, path,
			 allowed);
}

void path_policy_release(struct path_policy *p)
{
	for (size_t i = 0; i < p->n_dirs; i++)
		free(p->dirs[i]);
	p->n_dirs = 0;
}
