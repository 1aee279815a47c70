// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the io.containers.trace-syscall annotation as the hook handles it: annotation_parse
 * (grammar only, no file system access), the --allowed-dir check of its paths, the format
 * (fmt: or of:'s extension) and the SeccompProfile name made of of:. Besides memory errors,
 * a result that breaks what annotation.h, path_policy.h or profile_format.h promise aborts,
 * and path_normalize is compared with a plain reference (an escape from an allowed directory
 * would start there).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oci/annotation.h"
#include "fuzz_checks.h"
#include "oci/path_policy.h"
#include "oci/profile_dir.h"
#include "profile/profile_format.h"

#define ALLOWED_DIR "/var/lib/seccomp"

static void check_path(const char *path)
{
	CHECK(path && path[0] == '/');
	for (const char *c = path; *c; c++)
		CHECK((unsigned char)*c >= 0x20 && *c != 0x7f && *c != ';');
}

/* The reference: split on `/`, drop `` and `.`, `..` pops (never above the root), join. */
static char *reference_normalize(const char *path)
{
	char *out = malloc(strlen(path) + 2);
	size_t len = 0;
	const char *in = path;

	CHECK(out);
	while (*in) {
		const char *end;
		size_t n;

		while (*in == '/')
			in++;
		end = strchrnul(in, '/');
		n = (size_t)(end - in);
		if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (len > 0 && out[--len] != '/')
				;
		} else if (n > 0 && !(n == 1 && in[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, in, n);
			len += n;
		}
		in = end;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

static void check_policy(const struct path_policy *policy, const char *path)
{
	char *normal = strdup(path), *again, *expected = reference_normalize(path);
	struct error err = { 0 };
	size_t len;

	CHECK(normal);
	if (path_policy_check(policy, "of:", normal, &err) < 0) {
		check_message(&err);
		CHECK(policy->n_dirs > 0);
		free(normal);
		free(expected);
		return;
	}
	CHECK(strcmp(normal, expected) == 0);
	len = strlen(normal);
	CHECK(normal[0] == '/' && (len == 1 || normal[len - 1] != '/'));
	CHECK(!strstr(normal, "//") && !strstr(normal, "/./") && !strstr(normal, "/../"));
	CHECK(strcmp(normal + (len >= 2 ? len - 2 : 0), "/.") != 0);
	CHECK(strcmp(normal + (len >= 3 ? len - 3 : 0), "/..") != 0);
	/* Strictly below the allowed directory, never the directory itself. */
	if (policy->n_dirs > 0)
		CHECK(strncmp(normal, ALLOWED_DIR "/", strlen(ALLOWED_DIR "/")) == 0 &&
		      normal[strlen(ALLOWED_DIR "/")] != '\0');
	again = strdup(normal);
	CHECK(again && path_normalize(again) == 0 && strcmp(again, normal) == 0);
	free(again);
	free(normal);
	free(expected);
}

/* A SeccompProfile's metadata.name: valid, and a valid name is kept as it is. */
static void check_spo_name(const char *output)
{
	struct error err = { 0 };
	char *name = NULL, *again;

	if (profile_spo_name_for(NULL, output, &name, &err) < 0) {
		check_message(&err);
		return;
	}
	CHECK(profile_spo_name_valid(name) && strlen(name) <= PROFILE_SPO_NAME_MAX);
	again = profile_spo_name_sanitize(name);
	CHECK(again && strcmp(again, name) == 0);
	free(again);
	free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct path_policy none, allowed;
	struct trace_request req;
	struct error err = { 0 };
	enum profile_format fmt;
	char *value, *name;

	if (allowed.n_dirs == 0)
		CHECK(path_policy_add(&allowed, ALLOWED_DIR "/./", &err) == 0);
	/* The annotation is a C string (a JSON string without NUL): the input up to its first NUL.
	 */
	value = malloc(size + 1);
	CHECK(value);
	memcpy(value, data, size);
	value[size] = '\0';
	/* The sanitizer takes any text: what it makes of the whole input must be a valid name. */
	name = profile_spo_name_sanitize(value);
	CHECK(!name || profile_spo_name_valid(name));
	free(name);
	if (annotation_parse(value, &req, &err) < 0) {
		check_message(&err);
		CHECK(!req.output && !req.input && !req.format);
		free(value);
		return 0;
	}
	/* `on` or `of:`, never both; a relative if: is a valid name in the node's folder. */
	CHECK(!req.node != !req.output);
	if (req.input && req.input_is_name)
		CHECK(profile_dir_valid_name(req.input) && req.input[0] != '.' &&
		      req.input[0] != '/' && !strstr(req.input, "/.") && !strstr(req.input, "//"));
	else if (req.input)
		check_path(req.input);
	if (req.node) {
		CHECK(!req.format || profile_format_parse(req.format, &fmt) == 0);
		annotation_release(&req);
		free(value);
		return 0;
	}
	check_path(req.output);
	fmt = profile_format_for_path(req.output);
	CHECK(!req.format || profile_format_parse(req.format, &fmt) == 0);
	if (profile_format_is_spo(fmt))
		check_spo_name(req.output);
	CHECK(strlen(req.output) <= strlen(value));
	check_policy(&none, req.output);
	check_policy(&allowed, req.output);
	if (req.input && !req.input_is_name)
		check_policy(&allowed, req.input);
	annotation_release(&req);
	free(value);
	return 0;
}
