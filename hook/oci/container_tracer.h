/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The detached process that records one container from prestart until its init exits. */
#ifndef CONTAINER_TRACER_H
#define CONTAINER_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "profile/profile.h"
#include "base/fs.h"
#include "profile/profile_format.h"
#include "trace/tracer.h"

struct container_trace {
	const char *id;
	pid_t pid;	   /* the container's init */
	int pidfd;	   /* ... and its pidfd */
	uint32_t runtime;  /* enum runtime_kind of its init, read at prestart */
	uint32_t pid_ns;   /* pid namespace to record, 0 when the container shares the host's */
	uint32_t mnt_ns;   /* mount namespace to record, 0 when shared with the host */
	struct profile *profile; /* the base (if:) or a new profile; extended at the end */
	const char *output;	 /* of: */
	enum profile_format format; /* fmt:, or chosen by of:'s extension */
	const char *spo_name;	 /* metadata.name of a SeccompProfile, NULL for OCI */
	int report_fd;		 /* "ok\n" or "error: ...\n" goes here once, then it is closed */
	int state_fd;		 /* the locked runstate file */
	/*
	 * Held while the namespaces are registered, so that the kernel cannot give their numbers
	 * to another container meanwhile; -1 for a namespace not registered.
	 */
	int pid_ns_fd;
	int mnt_ns_fd;
	int tenant_fd;		 /* the tenant's recording place (tenant_limit.h), or -1 */
	int history_fd;		 /* recordings.log (history.h), or -1 */
	struct fs_reservation reserved; /* the profile's room, taken at prestart */
	const char *log_file;	 /* NULL for none */
	struct recording_options opts; /* args:on, explain:on */
	bool no_fallbacks;		/* fallbacks:off */
};

/* Detach (session, /dev/null stdio, no inherited descriptors), record, write. Never returns. */
void container_tracer_run(struct container_trace *ct) __attribute__((noreturn));

#endif /* CONTAINER_TRACER_H */
