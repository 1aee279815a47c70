// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The runtime wrapper, for engines that do not read hooks.d (containerd without NRI, Docker):
 * the engine runs it in place of runc, as `oci-seccomp-recorder-runtime [OPTIONS] RUNC-ARGS...`
 * (a link to this binary) or `oci-seccomp-recorder runtime [OPTIONS] [--] RUNC-ARGS...`. Its own
 * OPTIONS come first (Docker puts a runtime's `runtimeArgs` there) and are removed; for every
 * subcommand it then execs the real runtime with RUNC-ARGS unchanged. Only `create` and `run`
 * read anything first:
 *  - without --profile-dir, the hooks.d hooks that match the bundle's config.json are added to
 *    it, as podman and CRI-O would add them; a spec no hook matches is not touched;
 *  - with --profile-dir (Docker, where every container of this runtime is recorded), the node
 *    decides, always: the spec gets the annotation `on` when it has none, and this program's
 *    hook with --profile-dir in every case. A spec's own annotation (Docker >= 24
 *    `--annotation`) may add what `on` takes (args:on, fmt:, if:NAME), never a path: `of:` and
 *    an `if:` path fail `create`, as node mode refuses them. hooks.d is not read: the
 *    package's own file would add the same hook a second time.
 * The spec is written back atomically.
 *
 * Environment: OCI_SECCOMP_RECORDER_RUNTIME, the real runtime (a path, or a name looked up
 * in PATH; default runc; --runtime wins); OCI_SECCOMP_RECORDER_HOOKS_DIRS, the hooks
 * directories separated by `:` (default /usr/share/containers/oci/hooks.d:/etc/containers/oci/
 * hooks.d, the later wins).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "base/fs.h"
#include "oci/annotation.h"
#include "oci/hooks_config.h"
#include "base/json.h"
#include "base/log.h"
#include "oci/oci_state.h"
#include "base/process.h"
#include "oci/profile_dir.h"
#include "profile/profile_format.h"
#include "oci/spec_hooks.h"

#define RUNTIME_ENV "OCI_SECCOMP_RECORDER_RUNTIME"
#define HOOKS_DIRS_ENV "OCI_SECCOMP_RECORDER_HOOKS_DIRS"
#define DEFAULT_RUNTIME "runc"
#define DEFAULT_HOOKS_DIRS "/usr/share/containers/oci/hooks.d:/etc/containers/oci/hooks.d"
#define SPEC_MAX_BYTES (16 * 1024 * 1024)
#define MAX_HOOKS_DIRS 16
/* The hook's own arguments: program, "hook", and up to four options with their values. */
#define MAX_HOOK_ARGS 12

/* The wrapper's own options, taken before the real runtime's arguments. */
struct wrapper_options {
	const char *profile_dir; /* record every container created into this directory */
	bool args;		 /* annotation args:on */
	const char *format;	 /* annotation fmt:FORMAT */
	const char *runtime;	 /* the real runtime; NULL: RUNTIME_ENV, else runc */
	const char *log_file;	 /* passed to the hook */
	const char *log_level;	 /* the wrapper's own level, passed to the hook too */
	const char *state_dir;	 /* passed to the hook */
};

enum wrapper_option_kind { OPT_FLAG, OPT_VALUE };

struct wrapper_option {
	const char *name;
	enum wrapper_option_kind kind;
	size_t offset; /* of the const char * (OPT_VALUE) or bool (OPT_FLAG) it sets */
};

#define OPTION(name, kind, field)                                   \
	{                                                           \
		name, kind, offsetof(struct wrapper_options, field) \
	}

/*
 * None of these is a runc global option, so that the two can follow one another (crun's
 * --log-level is taken as the wrapper's when it comes before the runtime's first argument).
 */
static const struct wrapper_option wrapper_options_table[] = {
	OPTION("--profile-dir", OPT_VALUE, profile_dir),
	OPTION("--args", OPT_FLAG, args),
	OPTION("--format", OPT_VALUE, format),
	OPTION("--runtime", OPT_VALUE, runtime),
	OPTION("--log-file", OPT_VALUE, log_file),
	OPTION("--log-level", OPT_VALUE, log_level),
	OPTION("--state-dir", OPT_VALUE, state_dir),
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The global options of runc and crun that take a value (`--root X`, `--root=X`, and `-root X`
 * too): a value left out of this list would be taken for the subcommand, and hide `create`.
 */
static const char *const global_value_options[] = {
	"--log",
	"--log-format",
	"--root",
	"--criu",
	"--rootless", /* runc and crun */
	"--cgroup-manager",
	"--log-level", /* crun */
};

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
	for (size_t i = 0; i < ARRAY_SIZE(global_value_options); i++)
		if (is_option(arg, global_value_options[i]))
			return true;
	return false;
}

/*
 * Take the wrapper's options from @argv[1...]: `--name VALUE`, `--name=VALUE`, a flag, and
 * a `--` that ends them. The first argument that is none of these is the real runtime's.
 * Returns the index of that argument, or -1.
 */
static int parse_wrapper_options(int argc, char **argv, struct wrapper_options *o,
				 struct error *err)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const struct wrapper_option *opt = NULL;
		const char *value = NULL;

		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		for (size_t k = 0; k < ARRAY_SIZE(wrapper_options_table) && !opt; k++) {
			const char *name = wrapper_options_table[k].name;
			size_t len = strlen(name);

			if (strcmp(argv[i], name) == 0)
				opt = &wrapper_options_table[k];
			else if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=')
				opt = &wrapper_options_table[k], value = argv[i] + len + 1;
		}
		if (!opt)
			break;
		if (opt->kind == OPT_FLAG) {
			if (value)
				return error_set(err, 0, "%s takes no value", opt->name);
			*(bool *)((char *)o + opt->offset) = true;
			continue;
		}
		if (!value) {
			if (i + 1 == argc)
				return error_set(err, 0, "%s needs a value", opt->name);
			value = argv[++i];
		}
		*(const char **)((char *)o + opt->offset) = value;
	}
	return i;
}

/* What can be checked of the options without reading a file. */
static int check_wrapper_options(const struct wrapper_options *o, struct error *err)
{
	enum profile_format fmt;
	enum log_level level;

	if (o->format && profile_format_parse(o->format, &fmt) < 0)
		return error_set(err, 0, "--format `%s`: %s", o->format, profile_format_names());
	if (o->log_level && log_level_parse(o->log_level, &level) < 0)
		return error_set(err, 0, "--log-level `%s`: error, warning, info or debug",
				 o->log_level);
	if (o->log_level)
		log_set_level(level);
	if (o->profile_dir)
		return 0;
	if (o->args || o->format)
		return error_set(err, 0,
				 "%s says how --profile-dir records, and there is no "
				 "--profile-dir (without it, the annotation says how)",
				 o->args ? "--args" : "--format");
	if (o->log_file || o->state_dir)
		return error_set(err, 0,
				 "%s is for the hook that --profile-dir adds, and there is "
				 "no --profile-dir (without it, hooks.d says how the hook runs)",
				 o->log_file ? "--log-file" : "--state-dir");
	return 0;
}

/* The index of the subcommand in @argv (@first is runc's first argument), or @argc. */
static int find_subcommand(int argc, char **argv, int first)
{
	for (int i = first; i < argc; i++) {
		if (argv[i][0] != '-')
			return i;
		if (takes_value(argv[i]))
			i++;
	}
	return argc;
}

/* The value of runc's global option @name before the subcommand @sub, else NULL. */
static const char *find_global(int first, int sub, char **argv, const char *name)
{
	for (int i = first; i < sub; i++) {
		if (is_option(argv[i], name) && i + 1 < sub)
			return argv[i + 1];
		if (option_value(argv[i], name))
			return option_value(argv[i], name);
	}
	return NULL;
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

static int read_spec(const char *path, struct json **spec, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	if (fs_read_file(path, FS_LINKS_FOLLOW_DIRS, SPEC_MAX_BYTES, &text, &len, err) < 0)
		return -1;
	return json_parse(text, len, path, spec, err);
}

/* Add the hooks of @hooks that match BUNDLE/config.json to it. */
static int write_hooks(const char *path, const struct json *spec, const struct hooks_config *hooks,
		       struct error *err)
{
	cleanup_free char *spec_text = NULL;
	size_t len, added;

	if (spec_add_hooks(spec, hooks, &spec_text, &len, &added, err) < 0)
		return error_prefix(err, "`%s`: ", path);
	if (!added)
		return 0;
	log_debug("adding %zu hooks to `%s`", added, path);
	return fs_write_atomic(path, FS_LINKS_FOLLOW_DIRS, spec_text, len, 0600, err);
}

/* Add the matching hooks.d hooks to @path, the bundle's config.json. */
static int inject_hooks_d(const char *path, struct error *err)
{
	cleanup_free char *dirs_list = strdup(getenv(HOOKS_DIRS_ENV) ? getenv(HOOKS_DIRS_ENV) :
								       DEFAULT_HOOKS_DIRS);
	cleanup_json struct json *spec = NULL;
	struct hooks_config hooks = { 0 };
	const char *dirs[MAX_HOOKS_DIRS];
	size_t n_dirs;
	int ret;

	if (!dirs_list)
		return error_set(err, ENOMEM, "runtime wrapper");
	n_dirs = split_dirs(dirs_list, dirs);
	if (hooks_config_load(dirs, n_dirs, &hooks, err) < 0)
		return -1;
	if (hooks.n == 0) {
		hooks_config_release(&hooks);
		return 0;
	}
	ret = read_spec(path, &spec, err);
	if (ret == 0)
		ret = write_hooks(path, spec, &hooks, err);
	hooks_config_release(&hooks);
	return ret;
}

/* This program's path, for the hook runc runs (the link's target: the installed program). */
static int self_path(char *buf, size_t size, struct error *err)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	if (n < 0)
		return error_set(err, errno, "readlink `/proc/self/exe`");
	buf[n] = '\0';
	return 0;
}

/* The annotation --profile-dir records with: `on`, and what --args and --format add. */
static int recording_annotation(const struct wrapper_options *o, char **out, struct error *err)
{
	if (asprintf(out, "on%s%s%s", o->args ? ";args:on" : "", o->format ? ";fmt:" : "",
		     o->format ? o->format : "") < 0) {
		*out = NULL;
		return error_set(err, ENOMEM, "annotation");
	}
	return 0;
}

/*
 * A spec's own annotation under --profile-dir: what node mode refuses (a path) fails `create`
 * now, with the reason in runc's log for Docker, instead of the hook at prestart.
 */
static int check_own_annotation(const char *path, const struct wrapper_options *o,
				const char *value, struct error *err)
{
	struct trace_request req;
	int ret;

	if (annotation_parse(value, &req, err) < 0)
		return error_prefix(err, "`%s`: ", path);
	ret = profile_dir_check_request(o->profile_dir, &req, err);
	annotation_release(&req);
	return ret < 0 ? error_prefix(err, "`%s`: ", path) : 0;
}

/* A hooks.d-shaped entry that always matches: this program's hook at prestart and poststop. */
static int recorder_hook(const char *program, const struct wrapper_options *o, struct json **doc,
			 struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	const char *args[MAX_HOOK_ARGS];
	cleanup_free char *text = NULL;
	size_t n = 0, len;

	if (!w)
		return error_set(err, ENOMEM, "hook");
	args[n++] = "oci-seccomp-recorder";
	args[n++] = "hook";
	args[n++] = "--profile-dir", args[n++] = o->profile_dir;
	if (o->log_file)
		args[n++] = "--log-file", args[n++] = o->log_file;
	if (o->log_level)
		args[n++] = "--log-level", args[n++] = o->log_level;
	if (o->state_dir)
		args[n++] = "--state-dir", args[n++] = o->state_dir;
	json_w_object_begin(w);
	json_w_key(w, "version");
	json_w_string(w, "1.0.0");
	json_w_key(w, "hook");
	json_w_object_begin(w);
	json_w_key(w, "path");
	json_w_string(w, program);
	json_w_key(w, "args");
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++)
		json_w_string(w, args[i]);
	json_w_array_end(w);
	json_w_object_end(w);
	json_w_key(w, "when");
	json_w_object_begin(w);
	json_w_key(w, "always");
	json_w_bool(w, true);
	json_w_object_end(w);
	json_w_object_end(w);
	if (json_writer_finish(w, &text, &len, err) < 0)
		return -1;
	return json_parse(text, len, "the recorder's hook", doc, err);
}

/*
 * --profile-dir: the container is recorded into the directory, or as its own annotation says.
 * @o->profile_dir is resolved here (created when missing, refused when others can write it),
 * so that a bad directory fails `create` with its reason instead of the hook.
 */
static int inject_recorder(const char *path, struct wrapper_options *o, char **resolved_dir,
			   struct error *err)
{
	cleanup_json struct json *spec = NULL, *annotated = NULL, *doc = NULL;
	cleanup_free char *value = NULL;
	struct hook_config hook = { .file = (char *)"recorder" };
	struct hooks_config hooks = { .v = &hook, .n = 1 };
	const struct json *annotations, *own;
	char program[PATH_MAX];

	if (profile_dir_check(o->profile_dir, resolved_dir, err) < 0)
		return -1;
	o->profile_dir = *resolved_dir;
	if (self_path(program, sizeof(program), err) < 0 || read_spec(path, &spec, err) < 0)
		return -1;
	if (spec_has_prestart_hook(spec, program)) {
		log_debug("`%s` already has the recorder's hook", path);
		return 0;
	}
	annotations = json_get(spec, "annotations");
	own = annotations && json_type(annotations) == JSON_OBJECT ?
		      json_get(annotations, TRACE_ANNOTATION) :
		      NULL;
	if (own) {
		if (!json_string(own))
			return error_set(err, 0,
					 "`%s`: annotation " TRACE_ANNOTATION " is not a string",
					 path);
		if (check_own_annotation(path, o, json_string(own), err) < 0)
			return -1;
	} else if (recording_annotation(o, &value, err) < 0 ||
		   spec_with_annotation(spec, TRACE_ANNOTATION, value, &annotated, err) < 0) {
		return error_prefix(err, "`%s`: ", path);
	}
	if (recorder_hook(program, o, &doc, err) < 0)
		return -1;
	hook.doc = doc;
	hook.hook = json_get(doc, "hook");
	hook.stages[HOOK_PRESTART] = hook.stages[HOOK_POSTSTOP] = true;
	return write_hooks(path, own ? spec : annotated, &hooks, err);
}

/* The real runtime's path; never this program (a wrapper installed as `runc` would loop). */
static int real_runtime(const char *option, char **out, struct error *err)
{
	const char *name = option	       ? option :
			   getenv(RUNTIME_ENV) ? getenv(RUNTIME_ENV) :
						 DEFAULT_RUNTIME;
	const char *what = option ? "--runtime" : RUNTIME_ENV;
	char self[PATH_MAX], target[PATH_MAX];

	*out = NULL;
	if (!*name)
		return error_set(err, 0, "%s is empty", what);
	int e = command_resolve(name, out);

	if (e)
		return error_set(err, e, "the real runtime `%s` (%s)", name, what);
	if (self_path(self, sizeof(self), err) == 0 && realpath(*out, target) &&
	    strcmp(self, target) == 0) {
		free(*out);
		*out = NULL;
		return error_set(err, 0,
				 "the real runtime `%s` is this wrapper: set %s to runc's "
				 "path",
				 name, what);
	}
	return 0;
}

/*
 * The engine reads a failed runtime's reason from runc's --log file (containerd's shim does,
 * with --log-format json, and says "unknown" without it): the wrapper's own error goes there
 * too, as runc would write it.
 */
static void report_to_runtime_log(char **argv, int first, int sub, const char *msg)
{
	const char *path = find_global(first, sub, argv, "--log");
	const char *format = find_global(first, sub, argv, "--log-format");
	cleanup_json_writer struct json_writer *w = NULL;
	cleanup_free char *text = NULL, *line = NULL;
	cleanup_close int fd = -1;
	struct error err = { 0 };
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t len;

	if (!path || !format || strcmp(format, "json") != 0)
		return;
	w = json_writer_new();
	if (!w || !gmtime_r(&now, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return;
	json_w_object_begin(w);
	json_w_key(w, "level");
	json_w_string(w, "error");
	json_w_key(w, "msg");
	json_w_string(w, msg);
	json_w_key(w, "time");
	json_w_string(w, when);
	json_w_object_end(w);
	if (json_writer_finish(w, &text, &len, &err) < 0)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		log_warning("runtime wrapper: the runtime log `%s`: %s", path, strerror(errno));
}

/*
 * @argv[0] is the program; its options, then the real runtime's arguments, passed as they
 * are: the last of the wrapper's own arguments is replaced by the real runtime's path.
 */
static int wrap(int argc, char **argv)
{
	cleanup_free char *runtime = NULL, *profile_dir = NULL, *path = NULL;
	struct wrapper_options o;
	struct error err = { 0 };
	int first, sub;

	first = parse_wrapper_options(argc, argv, &o, &err);
	if (first < 0) {
		first = argc;
		goto fail;
	}
	if (real_runtime(o.runtime, &runtime, &err) < 0)
		goto fail;
	sub = find_subcommand(argc, argv, first);
	/* The options are checked where they act: a container made before they changed can
	 * still be stopped and deleted. */
	if (sub < argc && (strcmp(argv[sub], "create") == 0 || strcmp(argv[sub], "run") == 0)) {
		if (check_wrapper_options(&o, &err) < 0)
			goto fail;
		if (asprintf(&path, "%s/config.json", find_bundle(argc, argv, sub)) < 0) {
			path = NULL;
			error_set(&err, ENOMEM, "runtime wrapper");
			goto fail;
		}
		if (o.profile_dir ? inject_recorder(path, &o, &profile_dir, &err) < 0 :
				    inject_hooks_d(path, &err) < 0)
			goto fail;
	}
	argv[first - 1] = runtime;
	execv(runtime, argv + first - 1);
	error_set(&err, errno, "exec `%s`", runtime);
fail:
	log_error("runtime wrapper: %s", err.msg);
	error_prefix(&err, "oci-seccomp-recorder runtime wrapper: ");
	report_to_runtime_log(argv, first, find_subcommand(argc, argv, first), err.msg);
	return EXIT_RECORDER_FAILED;
}

int cmd_runtime_wrapper(int argc, char **argv)
{
	return wrap(argc, argv);
}

static void usage(void)
{
	printf("Usage: oci-seccomp-recorder runtime [OPTIONS] [--] RUNC-ARGS...\n"
	       "       oci-seccomp-recorder-runtime [OPTIONS] [--] RUNC-ARGS...\n\n"
	       "Run the real OCI runtime with RUNC-ARGS. On create and run, first add to the\n"
	       "bundle's config.json the hooks.d hooks that match it or, with --profile-dir,\n"
	       "this program's hook, which records the container into DIR/<container id>.json.\n"
	       "OPTIONS come first (Docker's runtimeArgs):\n\n"
	       "  --profile-dir DIR  record every container created into DIR (node mode, always):\n"
	       "                     annotation `on`, or the spec's own, which may not name a\n"
	       "                     path (of:, if:PATH); hooks.d is not read\n"
	       "  --args             keep argument values (annotation args:on)\n"
	       "  --format FMT       oci (default), spo or spo-v1beta1 (annotation fmt:)\n"
	       "  --runtime PATH     the real runtime (default: %s, else runc in PATH)\n"
	       "  --log-file PATH    the hook's log file\n"
	       "  --log-level LVL    error, warning (default), info or debug: the wrapper's and\n"
	       "                     the hook's\n"
	       "  --state-dir DIR    the hook's tracer state\n\n"
	       "  %s   hooks directories, `:`-separated, without --profile-dir\n"
	       "        (default: %s)\n",
	       RUNTIME_ENV, HOOKS_DIRS_ENV, DEFAULT_HOOKS_DIRS);
}

int cmd_runtime(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage();
		return 0;
	}
	return wrap(argc, argv);
}
