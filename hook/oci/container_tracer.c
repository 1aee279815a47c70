// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The detached tracer. runc waits for EOF on a hook's stdout and stderr, so this process keeps
 * none of the hook's descriptors: /dev/null on 0-2, its own session, everything else closed.
 * It tells the hook "ok" once the BPF program is attached and the container's tasks are
 * tagged, then waits on the container init's pidfd and on a signalfd, and writes the profile.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include "base/cleanup.h"
#include "oci/container_tracer.h"
#include "oci/history.h"
#include "recording/implicit_calls.h"
#include "base/log.h"
#include "base/ns_root.h"
#include "recording/recording.h"
#include "oci/publish.h"
#include "oci/runstate.h"
#include "oci/workload.h"
#include "trace/tracer.h"

/* The descriptors the tracer keeps, renumbered in this order from 3 before the rest is closed. */
static int *kept_fds(struct container_trace *ct, size_t i)
{
	int *fds[] = { &ct->report_fd,	&ct->state_fd,	     &ct->pidfd,
		       &ct->pid_ns_fd,	&ct->mnt_ns_fd,	     &ct->tenant_fd,
		       &ct->history_fd, &ct->reserved.dirfd, &ct->reserved.fd };

	return i < sizeof(fds) / sizeof(fds[0]) ? fds[i] : NULL;
}

#define FIRST_KEPT_FD 3
#define HIGH_FD 100

static int detach(struct container_trace *ct)
{
	int high[16], null_fd, *fd;
	size_t i;

	if (setsid() < 0 || chdir("/") < 0)
		return -1;
	/* Move the kept descriptors above the range they go to, then into place. */
	for (i = 0; (fd = kept_fds(ct, i)); i++) {
		high[i] = *fd < 0 ? -1 : fcntl(*fd, F_DUPFD_CLOEXEC, HIGH_FD);
		if (*fd >= 0 && high[i] < 0)
			return -1;
	}
	for (i = 0; (fd = kept_fds(ct, i)); i++) {
		int target = FIRST_KEPT_FD + (int)i;

		if (high[i] >= 0 && dup3(high[i], target, O_CLOEXEC) < 0)
			return -1;
		*fd = high[i] >= 0 ? target : -1;
	}
	if (syscall(SYS_close_range, FIRST_KEPT_FD + (unsigned int)i, ~0U, 0) < 0) {
		for (int n = FIRST_KEPT_FD + (int)i; n < 1024; n++)
			close(n);
	}
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		return -1;
	for (int n = 0; n <= 2; n++)
		if (dup2(null_fd, n) < 0)
			return -1;
	if (null_fd > 2)
		close(null_fd);
	return 0;
}

static void close_fd(int *fd)
{
	cleanup_closep(fd);
	*fd = -1;
}

/* The container's namespaces may be numbered again once they are gone and these are closed. */
static void release_namespaces(struct container_trace *ct)
{
	close_fd(&ct->pid_ns_fd);
	close_fd(&ct->mnt_ns_fd);
}

void container_trace_release(struct container_trace *ct)
{
	int *fd;

	for (size_t i = 0; (fd = kept_fds(ct, i)); i++)
		if (fd != &ct->reserved.dirfd && fd != &ct->reserved.fd)
			close_fd(fd);
	fs_reservation_release(&ct->reserved);
	publish_job_release(&ct->publish);
	publish_job_release(&ct->publish_workload);
}

static void report(struct container_trace *ct, const char *fmt, const char *msg)
{
	if (ct->report_fd < 0)
		return;
	dprintf(ct->report_fd, fmt, msg);
	close(ct->report_fd);
	ct->report_fd = -1;
}

/* Said everywhere a user may look: the hook, the log, poststop, and `status`. */
static void __attribute__((noreturn)) fail(struct container_trace *ct, const char *msg)
{
	log_error("%s", msg);
	report(ct, "error: %s\n", msg);
	history_append(ct->history_fd, ct->id, HISTORY_FAILED, ct->target->path, msg);
	/* Nothing was added to the workload's union: `status` on it says why too. */
	if (ct->workload)
		history_append(ct->history_fd, ct->id, HISTORY_FAILED, ct->workload->path, msg);
	runstate_finish(ct->state_fd, RUNSTATE_ERROR, ct->target->path, msg);
	fs_reservation_release(&ct->reserved);
	_exit(1);
}

static int signal_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Until the container's init exits, or a signal asks to finish early. */
static void wait_for_end(struct container_trace *ct, int sig_fd)
{
	struct pollfd fds[2] = { { .fd = ct->pidfd, .events = POLLIN },
				 { .fd = sig_fd, .events = POLLIN } };

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("poll on the container's pidfd failed: %s", strerror(errno));
			return;
		}
		if (fds[0].revents) {
			log_debug("container init (pid %d) exited", (int)ct->pid);
			return;
		}
		if (fds[1].revents) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == sizeof(si))
				log_info("signal %u: writing what was recorded so far",
					 si.ssi_signo);
			return;
		}
	}
}

/*
 * The pod's own file is written: add the recording to its workload's union. A failure there is
 * said in the log and for the union's path in `status`; the pod's file stays written.
 */
static bool add_to_workload(struct container_trace *ct)
{
	struct error err = { 0 };

	if (workload_add(ct->workload, ct->profile, &err) < 0) {
		log_error("%s", err.msg);
		history_append(ct->history_fd, ct->id, HISTORY_FAILED, ct->workload->path, err.msg);
		return false;
	}
	log_info("added to the workload profile `%s`", ct->workload->path);
	history_append(ct->history_fd, ct->id, HISTORY_OK, ct->workload->path,
		       "this recording was added to the workload's profile");
	return true;
}

void container_tracer_run(struct container_trace *ct)
{
	struct profile_saved saved = { 0 };
	bool workload_added;
	struct recording_output out = { .target = ct->target,
					.saved = &saved,
					.no_fallbacks = ct->no_fallbacks,
					.reserved = &ct->reserved,
					.opts = &ct->opts,
					.root_fd = -1 };
	cleanup_close int root_fd = -1;
	struct recording_handle rec;
	struct recording_summary summary;
	struct syscall_set set = { 0 };
	struct tracer *tracer = NULL;
	struct error err = { 0 };
	char context[128];
	int sig_fd;

	signal(SIGPIPE, SIG_IGN);
	/* The hook's log descriptor is reopened below; its number may be reused meanwhile. */
	log_close_file();
	if (detach(ct) < 0)
		fail(ct, "detaching the tracer failed");
	sig_fd = signal_fd();
	if (sig_fd < 0)
		fail(ct, "creating the signalfd failed");
	log_detach();
	snprintf(context, sizeof(context), "container %.64s: ", ct->id);
	log_set_context(context);
	if (ct->log_file && log_open_file(ct->log_file, &err) < 0)
		fail(ct, err.msg);

	if (tracer_open(&tracer, &err) < 0 ||
	    tracer_recording_new(tracer, &ct->opts, &rec, &err) < 0 ||
	    tracer_tag_namespaces(tracer, &rec, ct->pid_ns, ct->mnt_ns, &err) < 0)
		fail(ct, err.msg);
	log_info("attached to pid %d (pid namespace %u, mount namespace %u, runtime %s)",
		 (int)ct->pid, ct->pid_ns, ct->mnt_ns, implicit_calls_runtime_name(ct->runtime));
	if (ct->runtime == RUNTIME_UNKNOWN)
		log_warning("the runtime of pid %d is not recognised (%s): runc's calls are added "
			    "unseen",
			    (int)ct->pid, ct->runtime_seen);
	else
		log_info("pid %d is %s's init (%s)", (int)ct->pid,
			 implicit_calls_runtime_name(ct->runtime), ct->runtime_seen);
	history_append(ct->history_fd, ct->id, HISTORY_STARTED, ct->target->path, NULL);
	report(ct, "%s\n", "ok");

	wait_for_end(ct, sig_fd);

	/*
	 * The recording ends before the profile is built: its namespaces are unregistered and
	 * released, and its slot is free, however long a base profile takes to compile.
	 */
	if (tracer_collect(tracer, &rec, &set, &err) < 0) {
		tracer_recording_end(tracer, &rec);
		tracer_close(tracer);
		fail(ct, err.msg);
	}
	tracer_recording_end(tracer, &rec);
	set.runtime = ct->runtime;
	/* Hints read the container's binaries in its root, held by its mount namespace. */
	if (ct->opts.hints && ct->mnt_ns_fd >= 0) {
		root_fd = ns_open_root(ct->mnt_ns_fd, &err);
		if (root_fd < 0)
			log_warning("hints: %s: no binary is read", err.msg);
		memset(&err, 0, sizeof(err));
		out.root_fd = root_fd >= 0 ? root_fd : RECORDING_NO_ROOT;
	}
	release_namespaces(ct);
	tracer_close(tracer);
	if (recording_finish(&set, ct->profile, &out, &summary, &err) < 0)
		fail(ct, err.msg);
	syscall_set_release(&set);
	snprintf(err.msg, sizeof(err.msg),
		 "%llu calls recorded, %zu names allowed (%zu signal-return and runtime calls "
		 "added unseen; %zu for their argument values only, in %zu rules)",
		 (unsigned long long)set.calls, summary.names_added, summary.names_implicit,
		 summary.names_by_value, summary.value_rules);
	if (ct->opts.hints) {
		size_t used = strlen(err.msg);

		snprintf(err.msg + used, sizeof(err.msg) - used,
			 "; %zu hints%s, the binaries read in %llu ms", summary.hints,
			 summary.names_logged ? " allowed as SCMP_ACT_LOG" : "",
			 (unsigned long long)summary.hints_ms);
	}
	/* An artifact is named by its manifest's digest. */
	if (saved.digest[0])
		snprintf(err.msg + strlen(err.msg), sizeof(err.msg) - strlen(err.msg), "; %s",
			 saved.digest);
	log_info("wrote `%s`: %s", ct->target->path, err.msg);
	history_append(ct->history_fd, ct->id, HISTORY_OK, ct->target->path, err.msg);
	workload_added = ct->workload && add_to_workload(ct);
	runstate_finish(ct->state_fd, RUNSTATE_OK, ct->target->path, err.msg);
	fs_reservation_release(&ct->reserved);
	if (ct->publish.request) {
		/* poststop and the tenant's slot wait for no push: their locks go first. */
		close_fd(&ct->state_fd);
		close_fd(&ct->tenant_fd);
		close_fd(&ct->pidfd);
		publish_profile(&ct->publish, ct->id, ct->history_fd);
		if (ct->workload && workload_added)
			publish_profile(&ct->publish_workload, ct->id, ct->history_fd);
	}
	_exit(0);
}
