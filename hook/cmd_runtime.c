// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runtime wrapper, for engines that do not read hooks.d (containerd without NRI): the
 * engine runs it in place of runc, as `oci-seccomp-recorder-runtime RUNC-ARGS...` (a link to
 * this binary) or `oci-seccomp-recorder runtime [--] RUNC-ARGS...`. On `create` and `run` it
 * adds the hooks.d hooks that match the bundle's config.json, as podman and CRI-O would, and
 * writes the spec back atomically; then, for every subcommand, it execs the real runtime with
 * the same arguments. A spec no hook matches is not touched.
 *
 * Environment: OCI_SECCOMP_RECORDER_RUNTIME, the real runtime (a path, or a name looked up
 * in PATH; default runc); OCI_SECCOMP_RECORDER_HOOKS_DIRS, the hooks directories separated by
 * `:` (default /usr/share/containers/oci/hooks.d:/etc/containers/oci/hooks.d, the later wins).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cleanup.h"
#include "commands.h"
#include "fs.h"
#include "hooks_config.h"
#include "json.h"
#include "log.h"
#include "process.h"
#include "spec_hooks.h"

#define RUNTIME_ENV "OCI_SECCOMP_RECORDER_RUNTIME"
#define HOOKS_DIRS_ENV "OCI_SECCOMP_RECORDER_HOOKS_DIRS"
#define DEFAULT_RUNTIME "runc"
#define DEFAULT_HOOKS_DIRS "/usr/share/containers/oci/hooks.d:/etc/containers/oci/hooks.d"
#define SPEC_MAX_BYTES (16 * 1024 * 1024)
#define MAX_HOOKS_DIRS 16

/* runc's global options that take a value (`--root X`, `--root=X`, and `-root X` too). */
static const char *const global_value_options[] = { "--log", "--log-format", "--root",
						     "--criu", "--rootless" };

/* Whether @arg is option @name (`--root`) in any form runc takes: `--root`, `-root`. */
static bool is_option(const char *arg, const char *name)
{
	return strcmp(arg, name) == 0 || (arg[0] == '-' && strcmp(arg, name + 1) == 0);
}

/* @arg is `--name=VALUE` or `-name=VALUE`: VALUE, else NULL. */
static const char *option_value(const char *arg, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(arg, name, len) == 0 && arg[len] == '=')
		return arg + len + 1;
	if (arg[0] == '-' && strncmp(arg, name + 1, len - 1) == 0 && arg[len - 1] == '=')
		return arg + len;
	return NULL;
}

static bool takes_value(const char *arg)
{
	for (size_t i = 0; i < sizeof(global_value_options) / sizeof(*global_value_options); i++)
		if (is_option(arg, global_value_options[i]))
			return true;
	return false;
}

/* The index of the subcommand in @argv (0 is the program), or @argc when there is none. */
static int find_subcommand(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-')
			return i;
		if (takes_value(argv[i]))
			i++;
	}
	return argc;
}

/* The bundle of `create`/`run` (`--bundle DIR`, `-b DIR`, `--bundle=DIR`), "." by default. */
static const char *find_bundle(int argc, char **argv, int sub)
{
	for (int i = sub + 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if ((is_option(argv[i], "--bundle") || strcmp(argv[i], "-b") == 0) && i + 1 < argc)
			return argv[i + 1];
		if (option_value(argv[i], "--bundle"))
			return option_value(argv[i], "--bundle");
		if (strncmp(argv[i], "-b=", 3) == 0)
			return argv[i] + 3;
	}
	return ".";
}

static size_t split_dirs(char *list, const char **dirs)
{
	size_t n = 0;

	for (char *save = NULL, *d = strtok_r(list, ":", &save); d && n < MAX_HOOKS_DIRS;
	     d = strtok_r(NULL, ":", &save))
		dirs[n++] = d;
	return n;
}

/* Add the matching hooks to BUNDLE/config.json. */
static int inject_hooks(const char *bundle, struct error *err)
{
	cleanup_free char *dirs_list = strdup(getenv(HOOKS_DIRS_ENV) ? getenv(HOOKS_DIRS_ENV) :
									DEFAULT_HOOKS_DIRS);
	cleanup_free char *path = NULL, *text = NULL, *spec_text = NULL;
	cleanup_json struct json *spec = NULL;
	struct hooks_config hooks = { 0 };
	const char *dirs[MAX_HOOKS_DIRS];
	size_t n_dirs, len, added;
	int ret;

	if (!dirs_list || asprintf(&path, "%s/config.json", bundle) < 0)
		return error_set(err, ENOMEM, "runtime wrapper");
	n_dirs = split_dirs(dirs_list, dirs);
	if (hooks_config_load(dirs, n_dirs, &hooks, err) < 0)
		return -1;
	if (hooks.n == 0) {
		hooks_config_release(&hooks);
		return 0;
	}
	if (fs_read_file(path, FS_LINKS_FOLLOW_DIRS, SPEC_MAX_BYTES, &text, &len, err) < 0 ||
	    json_parse(text, len, path, &spec, err) < 0) {
		hooks_config_release(&hooks);
		return -1;
	}
	ret = spec_add_hooks(spec, &hooks, &spec_text, &len, &added, err);
	hooks_config_release(&hooks);
	if (ret < 0)
		return error_prefix(err, "`%s`: ", path);
	if (!added)
		return 0;
	log_debug("adding %zu hooks.d hooks to `%s`", added, path);
	return fs_write_atomic(path, FS_LINKS_FOLLOW_DIRS, spec_text, len, 0600, err);
}

/* The real runtime's path; never this program (a wrapper installed as `runc` would loop). */
static int real_runtime(char **out, struct error *err)
{
	const char *name = getenv(RUNTIME_ENV) ? getenv(RUNTIME_ENV) : DEFAULT_RUNTIME;
	char self[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	*out = NULL;
	if (!*name)
		return error_set(err, 0, "%s is empty", RUNTIME_ENV);
	int e = command_resolve(name, out);

	if (e)
		return error_set(err, e, "the real runtime `%s` (%s)", name, RUNTIME_ENV);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0 && realpath(*out, target)) {
		self[n] = '\0';
		if (strcmp(self, target) == 0) {
			free(*out);
			*out = NULL;
			return error_set(err, 0,
					 "the real runtime `%s` is this wrapper: set %s to runc's path",
					 name, RUNTIME_ENV);
		}
	}
	return 0;
}

/* @argv[0] is replaced by the real runtime; the rest are runc's arguments, passed as they are. */
static int wrap(int argc, char **argv)
{
	cleanup_free char *runtime = NULL;
	struct error err = { 0 };
	int sub = find_subcommand(argc, argv);

	if (real_runtime(&runtime, &err) < 0) {
		log_error("runtime wrapper: %s", err.msg);
		return EXIT_RECORDER_FAILED;
	}
	if (sub < argc && (strcmp(argv[sub], "create") == 0 || strcmp(argv[sub], "run") == 0) &&
	    inject_hooks(find_bundle(argc, argv, sub), &err) < 0) {
		log_error("runtime wrapper: %s", err.msg);
		return EXIT_RECORDER_FAILED;
	}
	argv[0] = runtime;
	execv(runtime, argv);
	log_error("runtime wrapper: exec `%s`: %s", runtime, strerror(errno));
	return EXIT_RECORDER_FAILED;
}

int cmd_runtime_wrapper(int argc, char **argv)
{
	return wrap(argc, argv);
}

int cmd_runtime(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage: oci-seccomp-recorder runtime [--] RUNC-ARGS...\n"
		       "       oci-seccomp-recorder-runtime RUNC-ARGS...\n\n"
		       "Run the real OCI runtime with RUNC-ARGS, after adding to the bundle's\n"
		       "config.json, on create and run, the hooks.d hooks that match it.\n\n"
		       "  %s   the real runtime (default: runc in PATH)\n"
		       "  %s   hooks directories, `:`-separated\n"
		       "        (default: %s)\n",
		       RUNTIME_ENV, HOOKS_DIRS_ENV, DEFAULT_HOOKS_DIRS);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--") == 0) {
		argv[1] = argv[0];
		return wrap(argc - 1, argv + 1);
	}
	return wrap(argc, argv);
}
