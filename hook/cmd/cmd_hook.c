// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `hook`: the OCI hook. The stage comes from the state's status: "stopped" is the poststop
 * stage, which waits for the container's tracer and reports how it ended; anything else is
 * prestart, which validates the annotation and starts the detached tracer.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "base/log.h"
#include "base/process.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "config.h"
#include "oci/annotation.h"
#include "oci/container_tracer.h"
#include "oci/history.h"
#include "oci/hook_target.h"
#include "oci/oci_state.h"
#include "oci/path_policy.h"
#include "oci/profile_dir.h"
#include "oci/profile_retention.h"
#include "oci/publish.h"
#include "oci/runstate.h"
#include "oci/tenant_limit.h"
#include "oci/tracer_handshake.h"
#include "oci/workload.h"
#include "profile/profile_target.h"
#include "recorder.h"
#include "trace/bpf_env.h"

#define DEFAULT_ATTACH_TIMEOUT_MS 5000
#define DEFAULT_FINISH_TIMEOUT_MS 10000
#define DEFAULT_PRESTART_TIMEOUT_MS 15000
#define MAX_RETENTION_DAYS 36500
#define PRESTART_MARGIN_MS 5000 /* beyond --attach-timeout, when no --prestart-timeout is given */

struct hook_options {
	const char *log_file;
	const char *state_dir;
	int attach_timeout_ms;
	int finish_timeout_ms;
	int prestart_timeout_ms;
	struct path_policy policy; /* --allowed-dir */
	char *profile_dir; /* --profile-dir, resolved; NULL when the annotation names paths */
	int max_per_namespace;
	bool nerdctl_names; /* --nerdctl-names: outside Kubernetes, DIR/NAME.json (nerdctl/name) */
	struct profile_retention retention; /* --retention-days, --max-profiles-per-namespace */
	mode_t file_mode;		    /* --file-mode */
	struct publish_request publish;	    /* --publish, --tls-verify, --publish-timeout */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder hook [OPTIONS] < STATE.json\n\n"
		"OCI hook for the prestart and poststop stages (see hooks.d/). Records the\n"
		"container when its annotation " TRACE_ANNOTATION " is `of:PATH[;if:BASE]`.\n\n"
		"      --log-file PATH        also log to PATH (the tracer logs to syslog "
		"otherwise)\n"
		"      --log-level LVL        error, warning (default), info or debug\n"
		"      --profile-dir DIR      node mode: the annotation says `on` and the profile\n"
		"                             goes to DIR/NAMESPACE/POD/CONTAINER.json "
		"(Kubernetes)\n"
		"                             or DIR/NAME.json; `of:` is refused;\n"
		"                             `on;workload:NAME` also adds to\n"
		"                             DIR/NAMESPACE/NAME/CONTAINER.json\n"
		"      --max-per-namespace N  node mode: recordings one Kubernetes namespace may "
		"run\n"
		"                             at once on this node (default 32)\n"
		"      --retention-days N     node mode: a recorded profile untouched N days is\n"
		"                             removed (default 30; 0: never)\n"
		"      --max-profiles-per-namespace N  node mode: the oldest recorded profiles of "
		"a\n"
		"                             namespace go beyond N (default 1024)\n"
		"      --nerdctl-names        node mode outside Kubernetes: DIR/NAME.json with\n"
		"                             nerdctl's nerdctl/name (default: the container id;\n"
		"                             only where nerdctl is the one engine)\n"
		"      --allowed-dir DIR      of: and if: must lie below DIR (repeatable; "
		"default:\n"
		"                             any absolute path, but none for a Kubernetes pod)\n"
		"      --state-dir DIR        tracer state (default " RUNSTATEDIR ")\n"
		"      --attach-timeout SECS  prestart: wait for the tracer to attach (default 5)\n"
		"      --finish-timeout SECS  poststop: wait for the profile (default 10)\n"
		"      --prestart-timeout SECS  prestart: give up after SECS in all (default 15,\n"
		"                             or the attach timeout + 5 when that is longer)\n"
		"      --publish docker://HOST/REPO  node mode: push each profile written as\n"
		"                             REPO:NAMESPACE.POD.CONTAINER (status: its digest);\n"
		"                             --tls-verify=false, --publish-timeout SECS (60)\n"
		"      --file-mode MODE       permission bits of a new profile, octal (default "
		"0644;\n"
		"                             a profile that exists keeps its own)\n"
		"  -s                         accepted for oci-seccomp-bpf-hook configurations\n"
		"  -h, --help                 this text\n"
		"  -V, --version              the version\n");
}

/* A new profile's permission bits: read and write only (a profile is data, never run). */
static int parse_file_mode(const char *text, mode_t *out)
{
	char *end;
	unsigned long mode;

	if (!*text || strspn(text, "01234567") != strlen(text))
		return -1;
	mode = strtoul(text, &end, 8);
	if (*end != '\0' || (mode & ~0666UL))
		return -1;
	*out = (mode_t)mode;
	return 0;
}

static int parse_number(const char *text, long min, long max, int *n)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end != '\0' || v < min || v > max)
		return -1;
	*n = (int)v;
	return 0;
}

static int parse_count(const char *text, int *n)
{
	return parse_number(text, 1, MAX_RECORDINGS, n);
}

static int parse_seconds(const char *text, int *ms)
{
	char *end;
	double s = strtod(text, &end);

	if (*end != '\0' || !(s > 0) || s > 3600)
		return -1;
	*ms = (int)(s * 1000);
	return 0;
}

/* The tracer forked by this prestart, killed with it when the deadline passes. */
static volatile sig_atomic_t prestart_tracer;

static void prestart_deadline(int sig)
{
	static const char msg[] = "oci-seccomp-recorder hook: prestart did not finish within its "
				  "deadline (--prestart-timeout): giving up\n";

	(void)sig;
	if (prestart_tracer > 0)
		kill((pid_t)prestart_tracer, SIGKILL);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to say */
	}
	_exit(1);
}

/* Whatever hangs (a file, a lock, the tracer), prestart ends within its deadline. */
static void arm_prestart_deadline(int timeout_ms)
{
	struct sigaction sa = { .sa_handler = prestart_deadline };
	struct itimerval it = { .it_value = { .tv_sec = timeout_ms / 1000,
					      .tv_usec = (timeout_ms % 1000) * 1000 } };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static int prestart(const struct hook_options *o, const struct oci_state *state, struct error *err)
{
	const struct hook_target_policy policy = { .profile_dir = o->profile_dir,
						   .nerdctl_names = o->nerdctl_names,
						   .allowed = &o->policy,
						   .file_mode = o->file_mode };
	cleanup_container_trace struct container_trace ct = CONTAINER_TRACE_INIT;
	cleanup_profile_target struct profile_target target = { 0 }, workload = { 0 };
	cleanup_profile struct profile *profile = NULL;
	cleanup_free char *base_text = NULL;
	struct profile_place place = { 0 };
	struct trace_request req;
	size_t base_len = 0;
	int ret = -1;

	arm_prestart_deadline(o->prestart_timeout_ms);
	if (annotation_parse(state->annotation, &req, err) < 0)
		return -1;
	if (hook_target_choose(&policy, state, &req, &place, &target, &workload, err) < 0)
		goto out;
	if (bpf_env_check(err) < 0) {
		error_prefix(err, "container %s cannot be recorded: ", state->id);
		goto out;
	}
	if (!state->pid) {
		error_set(err, 0, "OCI state of container %s has no `pid` at stage `%s`", state->id,
			  state->status);
		goto out;
	}
	if (place.tenant) {
		ct.tenant_fd = tenant_limit_take(o->state_dir, place.tenant, o->max_per_namespace,
						 err);
		if (ct.tenant_fd < 0) {
			error_prefix(err, "container %s: ", state->id);
			goto out;
		}
	}
	if (o->profile_dir && profile_retention_apply(place.folder, place.tenant != NULL,
						      target.path, &o->retention, err) < 0) {
		log_warning("container %s: %s", state->id, err->msg);
		memset(err, 0, sizeof(*err));
	}
	if (o->profile_dir && profile_dir_make_parents(o->profile_dir, &place, err) < 0) {
		error_prefix(err, "container %s: the profile's folder: ", state->id);
		goto out;
	}
	if (profile_target_check_writable(&target, err) < 0 ||
	    (workload.path && profile_target_check_writable(&workload, err) < 0)) {
		error_prefix(err, "annotation " TRACE_ANNOTATION ": of: ");
		goto out;
	}
	if (req.input) {
		if (profile_read_file(req.input, FS_LINKS_NONE, &profile, err) < 0) {
			error_prefix(err, "annotation " TRACE_ANNOTATION ": if: ");
			goto out;
		}
	} else if (!(profile = profile_new())) {
		error_set(err, ENOMEM, "new profile");
		goto out;
	}
	/* A base the format cannot express is refused now, not when the container has run. */
	if (profile_target_check(&target, profile, req.input ? &base_text : NULL,
				 req.input ? &base_len : NULL, err) < 0) {
		error_prefix(err, "annotation " TRACE_ANNOTATION ": fmt:%s: ",
			     profile_format_name(target.format));
		goto out;
	}
	/* A base that does not compile is known now; its size bounds the room to reserve. */
	if (req.input && profile_check_compiles(profile, target.path, err) < 0) {
		error_prefix(err, "annotation " TRACE_ANNOTATION ": if: ");
		goto out;
	}
	ct.history_fd = history_open(o->state_dir, err);
	if (ct.history_fd < 0)
		goto out;
	/* A layout is written blob by blob: its directory was made above, no one file's room. */
	if (!profile_target_is_directory(&target) &&
	    fs_reserve(target.path, target.links, PROFILE_RESERVE_BYTES + 2 * base_len,
		       &ct.reserved, err) < 0) {
		error_prefix(err, "annotation " TRACE_ANNOTATION ": of: ");
		goto out;
	}
	ct.pidfd = pidfd_open_pid(state->pid);
	if (ct.pidfd < 0) {
		error_set(err, errno == ESRCH ? 0 : errno,
			  errno == ESRCH ? "container %s: its pid %d is not running" :
					   "container %s: pidfd_open of pid %d",
			  state->id, (int)state->pid);
		goto out;
	}
	ct.id = state->id;
	ct.pid = state->pid;
	ct.runtime = tracer_handshake_runtime(state->pid, ct.runtime_seen, sizeof(ct.runtime_seen));
	if (tracer_handshake_namespaces(&ct, err) < 0) {
		error_prefix(err, "container %s: ", state->id);
		goto out;
	}
	ct.state_fd = runstate_create(o->state_dir, state->id, target.path, ct.reserved.tmp, err);
	if (ct.state_fd < 0)
		goto out;
	ct.log_file = o->log_file;
	ct.profile = profile;
	ct.target = &target;
	ct.workload = workload.path ? &workload : NULL;
	ct.opts.keep_args = req.args;
	ct.opts.explain = req.explain;
	ct.opts.hints = req.hints;
	ct.no_fallbacks = !req.fallbacks;
	if (o->publish.repo &&
	    (publish_job_prepare(&ct.publish, &o->publish, o->profile_dir, &target, err) < 0 ||
	     (workload.path && publish_job_prepare(&ct.publish_workload, &o->publish,
						   o->profile_dir, &workload, err) < 0)))
		goto out;
	ret = tracer_handshake_start(&ct, o->attach_timeout_ms, &prestart_tracer, err);
	if (ret < 0)
		error_prefix(err, "container %s: ", state->id);
out:
	/* Every refusal whose target is known goes to recordings.log, whichever check it was. */
	if (ret < 0 && hook_target_refused_path(&req, &place, &target))
		history_report_failure(o->state_dir, &ct.history_fd, state->id,
				       hook_target_refused_path(&req, &place, &target), err->msg);
	profile_place_release(&place);
	annotation_release(&req);
	return ret;
}

static int poststop(const struct hook_options *o, const struct oci_state *state, struct error *err)
{
	struct runstate_result result;
	int ret = runstate_wait(o->state_dir, state->id, o->finish_timeout_ms, &result, err);

	if (ret < 0)
		return error_prefix(err, "container %s: no profile: ", state->id);
	if (ret == 1)
		return error_set(
			err, 0,
			"container %s: no tracer state in `%s`: the prestart stage did not "
			"record it",
			state->id, o->state_dir);
	switch (result.state) {
	case RUNSTATE_OK:
		log_info("container %s: profile written to `%s` (%s)", state->id, result.path,
			 result.message);
		return 0;
	case RUNSTATE_RUNNING:
		runstate_discard_reservation(&result);
		/* A failure the tracer could not record itself, for `status`. */
		history_report_failure(o->state_dir, NULL, state->id, result.path,
				       HISTORY_TRACER_DIED);
		return error_set(err, 0, "container %s: `%s`: " HISTORY_TRACER_DIED, state->id,
				 result.path);
	default:
		return error_set(err, 0, "container %s: no profile written to `%s`: %s", state->id,
				 result.path, result.message);
	}
}

static int run_stage(const struct hook_options *o, struct error *err)
{
	struct oci_state state;
	int ret;

	if (oci_state_read(STDIN_FILENO, &state, err) < 0)
		return -1;
	if (!state.annotation) {
		log_info("container %s has no " TRACE_ANNOTATION " annotation: nothing to record",
			 state.id);
		ret = 0;
	} else if (state.owner.sandbox) {
		log_info("container %s is a pod's sandbox (pause) container: it is never recorded",
			 state.id);
		ret = 0;
	} else if (strcmp(state.status, "stopped") == 0) {
		ret = poststop(o, &state, err);
	} else {
		ret = prestart(o, &state, err);
	}
	oci_state_release(&state);
	return ret;
}

/* The hook's own option @opt: what main's table cannot say of a value. */
static int own_option(int opt, const char *arg, void *data)
{
	struct hook_options *o = data;
	struct error err = { 0 };

	switch (opt) {
	case 's':
		return 0;
	case 'F':
		o->log_file = arg;
		if (log_open_file(arg, &err) < 0) {
			log_error("%s", err.msg);
			return 1;
		}
		return 0;
	case 'D':
		o->state_dir = arg;
		return 0;
	case 'n':
		o->nerdctl_names = true;
		return 0;
	case 'R':
	case 'C':
		if (parse_number(arg, opt == 'R' ? 0 : 1, opt == 'R' ? MAX_RETENTION_DAYS : INT_MAX,
				 opt == 'R' ? &o->retention.days : &o->retention.max_profiles) <
		    0) {
			log_error("--%s takes a number from %d to %d, not `%s`",
				  opt == 'R' ? "retention-days" : "max-profiles-per-namespace",
				  opt == 'R' ? 0 : 1, opt == 'R' ? MAX_RETENTION_DAYS : INT_MAX,
				  arg);
			return EXIT_USAGE;
		}
		return 0;
	case 'P':
		if (path_policy_add(&o->policy, arg, &err) < 0) {
			log_error("%s", err.msg);
			return EXIT_USAGE;
		}
		return 0;
	case 'O':
		free(o->profile_dir);
		o->profile_dir = NULL;
		if (profile_dir_check(arg, &o->profile_dir, &err) < 0) {
			log_error("%s", err.msg);
			return EXIT_USAGE;
		}
		return 0;
	case 'N':
		if (parse_count(arg, &o->max_per_namespace) < 0) {
			log_error("--max-per-namespace takes a number from 1 to %d, not `%s`",
				  MAX_RECORDINGS, arg);
			return EXIT_USAGE;
		}
		return 0;
	case 'A':
	case 'T':
	case 'S':
		if (parse_seconds(arg, opt == 'A' ? &o->attach_timeout_ms :
				       opt == 'T' ? &o->finish_timeout_ms :
						    &o->prestart_timeout_ms) < 0) {
			log_error("--%s takes seconds from 0 to 3600, not `%s`",
				  opt == 'A' ? "attach-timeout" :
				  opt == 'T' ? "finish-timeout" :
					       "prestart-timeout",
				  arg);
			return EXIT_USAGE;
		}
		return 0;
	case 'U':
	case 'L':
	case 'W':
		if (publish_option(&o->publish,
				   opt == 'U' ? "publish" :
				   opt == 'L' ? "tls-verify" :
						"publish-timeout",
				   arg, &err) < 0) {
			log_error("hook: %s", err.msg);
			return EXIT_USAGE;
		}
		return 0;
	case 'M':
		if (parse_file_mode(arg, &o->file_mode) < 0) {
			log_error("--file-mode takes permission bits in octal, 0 to 0666 (no "
				  "execute, setuid or sticky bit), not `%s`",
				  arg);
			return EXIT_USAGE;
		}
		return 0;
	}
	return OPTIONS_UNKNOWN;
}

static int parse(int argc, char **argv, struct hook_options *o)
{
	static const struct option longopts[] = {
		{ "log-file", required_argument, NULL, 'F' },
		{ "state-dir", required_argument, NULL, 'D' },
		{ "allowed-dir", required_argument, NULL, 'P' },
		{ "profile-dir", required_argument, NULL, 'O' },
		{ "max-per-namespace", required_argument, NULL, 'N' },
		{ "nerdctl-names", no_argument, NULL, 'n' },
		{ "retention-days", required_argument, NULL, 'R' },
		{ "max-profiles-per-namespace", required_argument, NULL, 'C' },
		{ "prestart-timeout", required_argument, NULL, 'S' },
		{ "attach-timeout", required_argument, NULL, 'A' },
		{ "finish-timeout", required_argument, NULL, 'T' },
		{ "file-mode", required_argument, NULL, 'M' },
		{ "publish", required_argument, NULL, 'U' },
		{ "tls-verify", required_argument, NULL, 'L' },
		{ "publish-timeout", required_argument, NULL, 'W' },
		COMMON_OPTIONS,
	};
	const struct command_line c = { .name = "hook",
					.usage = usage,
					.shortopts = "shV",
					.longopts = longopts,
					.log_level = LOG_LEVEL_WARNING,
					.own = own_option };
	int status = options_parse(&c, argc, argv, o, NULL);

	if (status != OPTIONS_RUN)
		return status;
	if (optind < argc) {
		log_error("hook: unexpected argument `%s`", argv[optind]);
		return EXIT_USAGE;
	}
	/* Not given: the default, but never shorter than the wait for the tracer it includes. */
	if (!o->prestart_timeout_ms)
		o->prestart_timeout_ms = o->attach_timeout_ms + PRESTART_MARGIN_MS >
							 DEFAULT_PRESTART_TIMEOUT_MS ?
						 o->attach_timeout_ms + PRESTART_MARGIN_MS :
						 DEFAULT_PRESTART_TIMEOUT_MS;
	if (o->publish.repo && !o->profile_dir) {
		log_error("hook: --publish is node mode's: it needs --profile-dir (the profiles it "
			  "pushes are the node's, named after their pods)");
		return EXIT_USAGE;
	}
	if (o->profile_dir && o->policy.n_dirs) {
		log_error("hook: --profile-dir and --allowed-dir exclude each other: in node mode "
			  "the "
			  "annotation names no path");
		return EXIT_USAGE;
	}
	return OPTIONS_RUN;
}

int cmd_hook(int argc, char **argv)
{
	struct hook_options o = { .state_dir = RUNSTATEDIR,
				  .attach_timeout_ms = DEFAULT_ATTACH_TIMEOUT_MS,
				  .finish_timeout_ms = DEFAULT_FINISH_TIMEOUT_MS,
				  .max_per_namespace = TENANT_LIMIT_DEFAULT,
				  .retention = { .days = RETENTION_DEFAULT_DAYS,
						 .max_profiles = RETENTION_DEFAULT_MAX_PROFILES },
				  .file_mode = PROFILE_FILE_MODE,
				  .publish = { .registry = { .tls_verify = true,
							     .timeout_ms = PUBLISH_TIMEOUT_MS } } };
	struct error err = { 0 };
	int status = parse(argc, argv, &o);

	if (status == OPTIONS_RUN) {
		status = run_stage(&o, &err) < 0 ? 1 : 0;
		if (status)
			log_error("%s", err.msg);
	}
	path_policy_release(&o.policy);
	free(o.profile_dir);
	return status;
}
