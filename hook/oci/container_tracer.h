/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The detached process that records one container from prestart until its init exits. */
#ifndef CONTAINER_TRACER_H
#define CONTAINER_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "profile/profile.h"
#include "base/fs.h"
#include "profile/profile_target.h"
#include "oci/publish.h"
#include "trace/tracer.h"

#define CONTAINER_RUNTIME_SEEN_MAX 320

struct container_trace {
	const char *id;
	pid_t pid;	  /* the container's init */
	int pidfd;	  /* ... and its pidfd */
	uint32_t runtime; /* enum runtime_kind of its init, read at prestart */
	char runtime_seen[CONTAINER_RUNTIME_SEEN_MAX]; /* what told it: the init's comm, exe */
	uint32_t pid_ns; /* pid namespace to record, 0 when the container shares the host's */
	uint32_t mnt_ns; /* mount namespace to record, 0 when shared with the host */
	struct profile *profile; /* the base (if:) or a new profile; extended at the end */
	const struct profile_target *target;   /* of: (or --profile-dir's place), fmt:, the mode */
	const struct profile_target *workload; /* workload:NAME's union (workload.h), or NULL */
	int report_fd; /* "ok\n" or "error: ...\n" goes here once, then it is closed */
	int state_fd;  /* the locked runstate file */
	/*
	 * Held while the namespaces are registered, so that the kernel cannot give their numbers
	 * to another container meanwhile; -1 for a namespace not registered.
	 */
	int pid_ns_fd;
	int mnt_ns_fd;
	int tenant_fd;			/* the tenant's recording place (tenant_limit.h), or -1 */
	int history_fd;			/* recordings.log (history.h), or -1 */
	struct fs_reservation reserved; /* the profile's room, taken at prestart */
	const char *log_file;		/* NULL for none */
	struct recording_options opts;	/* args:on, explain:on */
	bool no_fallbacks;		/* fallbacks:off */
	struct publish_job publish;	/* --publish: the profile's push */
	struct publish_job publish_workload; /* ... and the workload union's */
};

/* Every descriptor closed (-1); id, pid, profile and target are set by the caller. */
#define CONTAINER_TRACE_INIT                                                                    \
	{                                                                                       \
		.pidfd = -1, .report_fd = -1, .state_fd = -1, .pid_ns_fd = -1, .mnt_ns_fd = -1, \
		.tenant_fd = -1, .history_fd = -1, .reserved = {                                \
			.dirfd = -1,                                                            \
			.fd = -1                                                                \
		}                                                                               \
	}

/* Close what @ct holds and give back its reservation (unless its tmp[] was cleared). */
void container_trace_release(struct container_trace *ct);
#define cleanup_container_trace __attribute__((cleanup(container_trace_release)))

/* Detach (session, /dev/null stdio, no inherited descriptors), record, write. Never returns. */
void container_tracer_run(struct container_trace *ct) __attribute__((noreturn));

#endif /* CONTAINER_TRACER_H */
