// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `hook`: the OCI hook. The stage comes from the state's status: "stopped" is the poststop
 * stage, which waits for the container's tracer and reports how it ended; anything else is
 * prestart, which validates the annotation and starts the detached tracer.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "oci/annotation.h"
#include "trace/bpf_env.h"
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "config.h"
#include "oci/container_tracer.h"
#include "oci/history.h"
#include "base/fs.h"
#include "recording/implicit_calls.h"
#include "base/log.h"
#include "oci/oci_state.h"
#include "oci/path_policy.h"
#include "base/process.h"
#include "profile/profile.h"
#include "oci/profile_dir.h"
#include "profile/profile_format.h"
#include "recorder.h"
#include "oci/runstate.h"
#include "oci/tenant_limit.h"

#define DEFAULT_ATTACH_TIMEOUT_MS 5000
#define DEFAULT_FINISH_TIMEOUT_MS 10000
#define DEFAULT_PRESTART_TIMEOUT_MS 15000
#define PRESTART_MARGIN_MS 5000 /* beyond --attach-timeout, when no --prestart-timeout is given */

struct hook_options {
	const char *log_file;
	const char *state_dir;
	int attach_timeout_ms;
	int finish_timeout_ms;
	int prestart_timeout_ms;
	struct path_policy policy; /* --allowed-dir */
	char *profile_dir;	   /* --profile-dir, resolved; NULL when the annotation names paths */
	int max_per_namespace;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder hook [OPTIONS] < STATE.json\n\n"
		"OCI hook for the prestart and poststop stages (see hooks.d/). Records the\n"
		"container when its annotation " TRACE_ANNOTATION " is `of:PATH[;if:BASE]`.\n\n"
		"      --log-file PATH        also log to PATH (the tracer logs to syslog otherwise)\n"
		"      --log-level LVL        error, warning (default), info or debug\n"
		"      --profile-dir DIR      node mode: the annotation says `on` and the profile\n"
		"                             goes to DIR/NAMESPACE/POD/CONTAINER.json (Kubernetes)\n"
		"                             or DIR/NAME.json; `of:` is refused\n"
		"      --max-per-namespace N  node mode: recordings one Kubernetes namespace may run\n"
		"                             at once on this node (default 32)\n"
		"      --allowed-dir DIR      of: and if: must lie below DIR (repeatable; default:\n"
		"                             any absolute path, but none for a Kubernetes pod)\n"
		"      --state-dir DIR        tracer state (default " RUNSTATEDIR ")\n"
		"      --attach-timeout SECS  prestart: wait for the tracer to attach (default 5)\n"
		"      --finish-timeout SECS  poststop: wait for the profile (default 10)\n"
		"      --prestart-timeout SECS  prestart: give up after SECS in all (default 15,\n"
		"                             or the attach timeout + 5 when that is longer)\n"
		"      --file-mode MODE       permission bits of a new profile, octal (default 0644;\n"
		"                             a profile that exists keeps its own)\n"
		"  -s                         accepted for oci-seccomp-bpf-hook configurations\n"
		"  -h, --help                 this text\n"
		"  -V, --version              the version\n");
}

/* A new profile's permission bits: read and write only (a profile is data, never run). */
static int parse_file_mode(const char *text)
{
	char *end;
	unsigned long mode;

	if (!*text || strspn(text, "01234567") != strlen(text))
		return -1;
	mode = strtoul(text, &end, 8);
	if (*end != '\0' || (mode & ~0666UL))
		return -1;
	profile_set_file_mode((mode_t)mode);
	return 0;
}

static int parse_count(const char *text, int *n)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end != '\0' || v < 1 || v > MAX_RECORDINGS)
		return -1;
	*n = (int)v;
	return 0;
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

/* Open /proc/@pid/ns/@kind; *@inum gets the namespace's number. */
static int open_ns(pid_t pid, const char *kind, int *fd, uint32_t *inum, struct error *err)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, kind);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st) < 0)
		return error_set(err, errno, "read the %s namespace of pid %d", kind, (int)pid);
	*inum = (uint32_t)st.st_ino;
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * The container's namespaces that the tracer registers, held open (ct->pid_ns_fd, mnt_ns_fd)
 * so that their numbers stay theirs. The host's own are never recorded. A pid namespace is
 * registered only when the container shares the host's mount namespace: otherwise its own
 * mount namespace tells its tasks apart, and a sidecar that shares its pid namespace without
 * being recorded stays out. @pidfd, opened before, proves the files read were the container's
 * and not those of a process that got its pid after it died.
 */
static int container_namespaces(pid_t pid, int pidfd, struct container_trace *ct,
				struct error *err)
{
	cleanup_close int own_pid_fd = -1;
	cleanup_close int own_mnt_fd = -1;
	uint32_t own_pid_ns, own_mnt_ns;

	if (open_ns(pid, "pid", &ct->pid_ns_fd, &ct->pid_ns, err) < 0 ||
	    open_ns(pid, "mnt", &ct->mnt_ns_fd, &ct->mnt_ns, err) < 0 ||
	    open_ns(getpid(), "pid", &own_pid_fd, &own_pid_ns, err) < 0 ||
	    open_ns(getpid(), "mnt", &own_mnt_fd, &own_mnt_ns, err) < 0)
		goto fail;
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0) {
		error_set(err, errno == ESRCH ? 0 : errno,
			  errno == ESRCH ? "container pid %d exited while its namespaces were read" :
					   "check that container pid %d still runs", (int)pid);
		goto fail;
	}
	if (ct->mnt_ns == own_mnt_ns) {
		ct->mnt_ns = 0;
		close_fd(&ct->mnt_ns_fd);
	}
	if (ct->pid_ns == own_pid_ns || ct->mnt_ns) {
		ct->pid_ns = 0;
		close_fd(&ct->pid_ns_fd);
	}
	if (!ct->pid_ns && !ct->mnt_ns) {
		error_set(err, 0, "container pid %d shares the host's pid and mount namespaces: "
				  "refusing to record the host", (int)pid);
		goto fail;
	}
	return 0;
fail:
	close_fd(&ct->pid_ns_fd);
	close_fd(&ct->mnt_ns_fd);
	return -1;
}

#define COMM_READ_MAX 64 /* a task's comm is 16 bytes: more is not a comm */

/*
 * Which runtime the container's init is, from its comm at prestart: the process that will run
 * the runtime's last steps under the container's filter. runc renames it "runc:[2:INIT]"; crun
 * keeps its own name. Read before container_namespaces, whose pidfd check proves it was the
 * container's. Unreadable or unrecognised: RUNTIME_UNKNOWN, which implicit_calls.c handles.
 */
static uint32_t container_runtime(pid_t pid)
{
	cleanup_close int fd = -1;
	cleanup_free char *comm = NULL;
	struct error ignored = { 0 };
	char path[64];
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fs_read_fd(fd, path, COMM_READ_MAX, &comm, &len, &ignored) < 0)
		return RUNTIME_UNKNOWN;
	comm[strcspn(comm, "\n")] = '\0';
	return implicit_calls_runtime(comm);
}

/* Wait for the tracer's first word; on timeout it is killed. */
static int wait_attached(int fd, pid_t tracer, int timeout_ms, struct error *err)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char msg[ERROR_MSG_MAX + 16];
	ssize_t n;
	int ret;

	while ((ret = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (ret == 0) {
		kill(tracer, SIGKILL);
		return error_set(err, 0, "the tracer did not attach within %d ms", timeout_ms);
	}
	n = read(fd, msg, sizeof(msg) - 1);
	if (n <= 0)
		return error_set(err, n < 0 ? errno : 0, "the tracer ended before it attached");
	msg[n] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	if (strcmp(msg, "ok") == 0)
		return 0;
	return error_set(err, 0, "the tracer failed: %s",
			 strncmp(msg, "error: ", 7) == 0 ? msg + 7 : msg);
}

/*
 * fmt:, or the extension of of: (.yaml/.yml: a SeccompProfile). A base the format cannot
 * express is refused now, not when the container has run.
 */
static int choose_format(const struct trace_request *req, const struct profile *base,
			 enum profile_format *fmt, char **spo_name, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	*fmt = profile_format_for_path(req->output);
	if (req->format && profile_format_parse(req->format, fmt) < 0)
		return error_set(err, 0, "annotation " TRACE_ANNOTATION ": unknown format `%s`",
				 req->format);
	if (!profile_format_is_spo(*fmt))
		return 0;
	if (profile_spo_name_for(NULL, req->output, spo_name, err) < 0 ||
	    profile_serialize_as(base, *fmt, *spo_name, &text, &len, err) < 0)
		return error_prefix(err, "annotation " TRACE_ANNOTATION ": fmt:%s: ",
				    profile_format_name(*fmt));
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

/*
 * Where this container's profile goes and which base it extends. A node with --profile-dir
 * builds the path itself from the runtime's names; otherwise the annotation names absolute
 * paths, held to --allowed-dir. A Kubernetes pod's annotation is written by its author, who
 * must not choose where root writes: without either option it is refused.
 */
static int choose_paths(const struct hook_options *o, const struct oci_state *state,
			struct trace_request *req, struct profile_place *place, struct error *err)
{
	enum profile_format fmt;

	memset(place, 0, sizeof(*place));
	if (state->owner.kubernetes && !o->profile_dir && !o->policy.n_dirs)
		return error_set(err, 0,
				 "container %s belongs to a Kubernetes pod, whose author wrote the "
				 "annotation " TRACE_ANNOTATION ", and this hook has neither "
				 "--profile-dir nor --allowed-dir: refusing to let it choose where root "
				 "writes", state->id);
	if (!o->profile_dir) {
		if (req->node)
			return error_set(err, 0,
					 "annotation " TRACE_ANNOTATION ": `on` needs a hook configured "
					 "with --profile-dir (where the node keeps profiles); name the "
					 "profile with `of:PATH`");
		if (req->input_is_name)
			return error_set(err, 0,
					 "annotation " TRACE_ANNOTATION ": `if:%s` names no absolute path, "
					 "and this hook has no --profile-dir to look it up in",
					 req->input);
		if (path_policy_check(&o->policy, "of:", req->output, err) < 0 ||
		    (req->input && path_policy_check(&o->policy, "if:", req->input, err) < 0))
			return error_prefix(err, "annotation " TRACE_ANNOTATION ": ");
		return 0;
	}
	if (req->output)
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION ": `of:` is refused on this node: "
				 "profiles go where --profile-dir `%s` puts them; use `on`",
				 o->profile_dir);
	if (req->input && !req->input_is_name)
		return error_set(err, 0,
				 "annotation " TRACE_ANNOTATION ": `if:` must name a profile in this "
				 "node's profile folder (if:NAME), not a path");
	fmt = PROFILE_FORMAT_OCI;
	if (req->format && profile_format_parse(req->format, &fmt) < 0)
		return error_set(err, 0, "annotation " TRACE_ANNOTATION ": unknown format `%s`",
				 req->format);
	if (profile_dir_place(o->profile_dir, state,
			      profile_format_is_spo(fmt) ? ".yaml" : ".json",
			      req->input_is_name ? req->input : NULL, place, err) < 0)
		return error_prefix(err, "container %s: ", state->id);
	free(req->output);
	free(req->input);
	req->output = strdup(place->output);
	req->input = place->input ? strdup(place->input) : NULL;
	req->input_is_name = false;
	if (!req->output || (place->input && !req->input))
		return error_set(err, ENOMEM, "profile path");
	return 0;
}

static int prestart(const struct hook_options *o, const struct oci_state *state,
		    struct error *err)
{
	struct trace_request req;
	struct profile_place place = { 0 };
	struct container_trace ct = { .id = state->id, .pid = state->pid, .log_file = o->log_file,
				      .pid_ns_fd = -1, .mnt_ns_fd = -1, .tenant_fd = -1,
				      .reserved = { .dirfd = -1, .fd = -1 } };
	cleanup_profile struct profile *profile = NULL;
	cleanup_free char *spo_name = NULL, *base_text = NULL;
	cleanup_close int pidfd = -1;
	cleanup_close int state_fd = -1;
	cleanup_close int tenant_fd = -1;
	cleanup_close int history_fd = -1;
	bool forked = false;
	size_t base_len;
	int report[2];
	pid_t tracer;
	int ret;

	arm_prestart_deadline(o->prestart_timeout_ms);
	if (annotation_parse(state->annotation, &req, err) < 0)
		return -1;
	ret = -1;
	if (choose_paths(o, state, &req, &place, err) < 0)
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
		tenant_fd = tenant_limit_take(o->state_dir, place.tenant, o->max_per_namespace, err);
		if (tenant_fd < 0) {
			error_prefix(err, "container %s: ", state->id);
			goto out;
		}
	}
	if (o->profile_dir && profile_dir_make_parents(o->profile_dir, &place, err) < 0) {
		error_prefix(err, "container %s: the profile's folder: ", state->id);
		goto out;
	}
	if (fs_check_writable(req.output, FS_LINKS_NONE, err) < 0) {
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
	if (choose_format(&req, profile, &ct.format, &spo_name, err) < 0)
		goto out;
	ct.spo_name = spo_name;
	/* A base that does not compile is known now; its size bounds the room to reserve. */
	base_len = 0;
	if (req.input && profile_render_as(profile, req.output, ct.format, spo_name, &base_text,
					   &base_len, err) < 0) {
		error_prefix(err, "annotation " TRACE_ANNOTATION ": if: ");
		goto out;
	}
	history_fd = history_open(o->state_dir, err);
	if (history_fd < 0)
		goto out;
	if (fs_reserve(req.output, FS_LINKS_NONE, PROFILE_RESERVE_BYTES + 2 * base_len,
		       &ct.reserved, err) < 0) {
		error_prefix(err, "annotation " TRACE_ANNOTATION ": of: ");
		goto out;
	}
	pidfd = pidfd_open_pid(state->pid);
	if (pidfd < 0) {
		error_set(err, errno == ESRCH ? 0 : errno,
			  errno == ESRCH ? "container %s: its pid %d is not running" :
					   "container %s: pidfd_open of pid %d", state->id,
			  (int)state->pid);
		goto out;
	}
	ct.runtime = container_runtime(state->pid);
	if (container_namespaces(state->pid, pidfd, &ct, err) < 0) {
		error_prefix(err, "container %s: ", state->id);
		goto out;
	}
	state_fd = runstate_create(o->state_dir, state->id, req.output, ct.reserved.tmp, err);
	if (state_fd < 0)
		goto out;
	if (pipe2(report, O_CLOEXEC) < 0) {
		error_set(err, errno, "pipe");
		goto out;
	}
	ct.pidfd = pidfd;
	ct.state_fd = state_fd;
	ct.tenant_fd = tenant_fd;
	ct.history_fd = history_fd;
	ct.report_fd = report[1];
	ct.profile = profile;
	ct.output = req.output;
	ct.opts.keep_args = req.args;
	ct.opts.explain = req.explain;
	ct.no_fallbacks = !req.fallbacks;
	fflush(NULL);
	tracer = fork();
	if (tracer < 0) {
		error_set(err, errno, "fork the tracer");
		close(report[0]);
		close(report[1]);
		goto out;
	}
	if (tracer == 0) {
		close(report[0]);
		container_tracer_run(&ct);
	}
	prestart_tracer = tracer;
	forked = true;
	close(report[1]);
	ret = wait_attached(report[0], tracer, o->attach_timeout_ms, err);
	close(report[0]);
	if (ret < 0)
		error_prefix(err, "container %s: ", state->id);
out:
	if (ret < 0 && req.output)
		history_append(history_fd, state->id, HISTORY_FAILED, req.output, err->msg);
	/* The tracer holds the reservation now; a prestart that failed gives it back. */
	if (forked && ret == 0)
		ct.reserved.tmp[0] = '\0';
	fs_reservation_release(&ct.reserved);
	close_fd(&ct.pid_ns_fd);
	close_fd(&ct.mnt_ns_fd);
	profile_place_release(&place);
	annotation_release(&req);
	return ret;
}

/* A failure the tracer could not record itself, for `status`. */
static void report_failure(const struct hook_options *o, const char *id, const char *path,
			   const char *msg)
{
	struct error err = { 0 };
	int fd = history_open(o->state_dir, &err);

	if (fd < 0) {
		log_warning("%s", err.msg);
		return;
	}
	history_append(fd, id, HISTORY_FAILED, path, msg);
	close(fd);
}

static int poststop(const struct hook_options *o, const struct oci_state *state,
		    struct error *err)
{
	struct runstate_result result;
	int ret = runstate_wait(o->state_dir, state->id, o->finish_timeout_ms, &result, err);

	if (ret < 0)
		return error_prefix(err, "container %s: no profile: ", state->id);
	if (ret == 1)
		return error_set(err, 0,
				 "container %s: no tracer state in `%s`: the prestart stage did not "
				 "record it", state->id, o->state_dir);
	switch (result.state) {
	case RUNSTATE_OK:
		log_info("container %s: profile written to `%s` (%s)", state->id, result.path,
			 result.message);
		return 0;
	case RUNSTATE_RUNNING:
		runstate_discard_reservation(&result);
		report_failure(o, state->id, result.path, HISTORY_TRACER_DIED);
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

int cmd_hook(int argc, char **argv)
{
	static const struct option options[] = {
		{ "log-file", required_argument, NULL, 'F' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "state-dir", required_argument, NULL, 'D' },
		{ "allowed-dir", required_argument, NULL, 'P' },
		{ "profile-dir", required_argument, NULL, 'O' },
		{ "max-per-namespace", required_argument, NULL, 'N' },
		{ "prestart-timeout", required_argument, NULL, 'S' },
		{ "attach-timeout", required_argument, NULL, 'A' },
		{ "finish-timeout", required_argument, NULL, 'T' },
		{ "file-mode", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct hook_options o = { .state_dir = RUNSTATEDIR,
				  .attach_timeout_ms = DEFAULT_ATTACH_TIMEOUT_MS,
				  .finish_timeout_ms = DEFAULT_FINISH_TIMEOUT_MS,
				  .prestart_timeout_ms = 0,
				  .max_per_namespace = TENANT_LIMIT_DEFAULT };
	struct error err = { 0 };
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "shV", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			break;
		case 'F':
			o.log_file = optarg;
			if (log_open_file(optarg, &err) < 0) {
				log_error("%s", err.msg);
				ret = 1;
				goto out;
			}
			break;
		case 'L':
			if (log_set_level_named(optarg) < 0) {
				ret = 2;
				goto out;
			}
			break;
		case 'D':
			o.state_dir = optarg;
			break;
		case 'P':
			if (path_policy_add(&o.policy, optarg, &err) < 0) {
				log_error("%s", err.msg);
				ret = 2;
				goto out;
			}
			break;
		case 'O':
			free(o.profile_dir);
			o.profile_dir = NULL;
			if (profile_dir_check(optarg, &o.profile_dir, &err) < 0) {
				log_error("%s", err.msg);
				ret = 2;
				goto out;
			}
			break;
		case 'N':
			if (parse_count(optarg, &o.max_per_namespace) < 0) {
				log_error("--max-per-namespace takes a number from 1 to %d, not `%s`",
					  MAX_RECORDINGS, optarg);
				ret = 2;
				goto out;
			}
			break;
		case 'A':
		case 'T':
		case 'S':
			if (parse_seconds(optarg, opt == 'A' ? &o.attach_timeout_ms :
						  opt == 'T' ? &o.finish_timeout_ms :
							       &o.prestart_timeout_ms) < 0) {
				log_error("--%s takes seconds from 0 to 3600, not `%s`",
					  opt == 'A' ? "attach-timeout" :
					  opt == 'T' ? "finish-timeout" : "prestart-timeout", optarg);
				ret = 2;
				goto out;
			}
			break;
		case 'M':
			if (parse_file_mode(optarg) < 0) {
				log_error("--file-mode takes permission bits in octal, 0 to 0666 (no "
					  "execute, setuid or sticky bit), not `%s`", optarg);
				ret = 2;
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			ret = 0;
			goto out;
		case 'V':
			print_version();
			ret = 0;
			goto out;
		default:
			usage(stderr);
			ret = 2;
			goto out;
		}
	}
	if (optind < argc) {
		log_error("hook: unexpected argument `%s`", argv[optind]);
		ret = 2;
		goto out;
	}
	/* Not given: the default, but never shorter than the wait for the tracer it includes. */
	if (!o.prestart_timeout_ms)
		o.prestart_timeout_ms = o.attach_timeout_ms + PRESTART_MARGIN_MS >
						DEFAULT_PRESTART_TIMEOUT_MS ?
					o.attach_timeout_ms + PRESTART_MARGIN_MS :
					DEFAULT_PRESTART_TIMEOUT_MS;
	if (o.profile_dir && o.policy.n_dirs) {
		log_error("hook: --profile-dir and --allowed-dir exclude each other: in node mode the "
			  "annotation names no path");
		ret = 2;
		goto out;
	}
	ret = run_stage(&o, &err) < 0 ? 1 : 0;
	if (ret)
		log_error("%s", err.msg);
out:
	path_policy_release(&o.policy);
	free(o.profile_dir);
	return ret;
}
