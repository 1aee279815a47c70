/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hook's half of the detached tracer: what it reads of the container at prestart (its
 * namespaces, its runtime), then the fork and the wait for the tracer's "ok" or its reason.
 */
#ifndef TRACER_HANDSHAKE_H
#define TRACER_HANDSHAKE_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include "base/error.h"
#include "oci/container_tracer.h"

/*
 * The container's namespaces that the tracer registers, held open in @ct (pid_ns_fd, mnt_ns_fd)
 * so that their numbers stay theirs. The host's own are never recorded. A pid namespace is
 * registered only when the container shares the host's mount namespace: otherwise its own
 * mount namespace tells its tasks apart, and a sidecar that shares its pid namespace without
 * being recorded stays out. @ct->pidfd, opened before, proves the files read were the
 * container's and not those of a process that got its pid after it died.
 */
int tracer_handshake_namespaces(struct container_trace *ct, struct error *err);

/*
 * Which runtime the container's init is, from its comm and executable at prestart: the process
 * that will run the runtime's last steps under the container's filter (implicit_calls_runtime).
 * What was read goes to @seen (of @size), for the log. Read before tracer_handshake_namespaces,
 * whose pidfd check proves it was the container's. Unreadable or unrecognised:
 * RUNTIME_UNKNOWN, which implicit_calls.c handles.
 */
uint32_t tracer_handshake_runtime(pid_t pid, char *seen, size_t size);

/*
 * Fork the detached tracer of @ct and wait at most @timeout_ms for its word: "ok" once it is
 * attached, or the reason it failed (then -1, the reason in @err). A tracer that does not answer
 * in time is killed. Its pid goes to *@started as soon as it runs, for a deadline's handler to
 * kill it. On success the tracer holds @ct's reservation: releasing @ct here keeps it.
 */
int tracer_handshake_start(struct container_trace *ct, int timeout_ms,
			   volatile sig_atomic_t *started, struct error *err);

#endif /* TRACER_HANDSHAKE_H */
