/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The OCI state JSON a runtime gives a hook on stdin. */
#ifndef OCI_STATE_H
#define OCI_STATE_H

#include <stdbool.h>
#include <sys/types.h>
#include "base/error.h"

#define OCI_STATE_MAX_BYTES (1024 * 1024)
#define OCI_ID_MAX 256
#define TRACE_ANNOTATION "io.containers.trace-syscall"

/*
 * Whose container this is, from the annotations the engine puts in the spec. The Kubernetes
 * names come as a set of three (CRI-O's or containerd's keys), or not at all.
 */
struct oci_owner {
	char *k8s_namespace; /* the pod's namespace */
	char *k8s_pod;	     /* the pod's name */
	char *k8s_container; /* the container's name in the pod */
	char *name;	     /* a name the engine gave the container (nerdctl), NULL when none */
	bool kubernetes;     /* the spec carries Kubernetes annotations: a pod author wrote it */
	bool sandbox;	     /* a pod's sandbox (pause) container */
	bool k8s_both;	     /* names of both CRI-O's and containerd's keys: refused in node mode */
};

struct oci_state {
	char *id;	  /* validated: [A-Za-z0-9_.-], at most OCI_ID_MAX characters */
	char *status;	  /* "creating", "created", "running", "stopped" */
	pid_t pid;	  /* 0 when absent (poststop) */
	char *annotation; /* value of TRACE_ANNOTATION, NULL when absent */
	struct oci_owner owner;
};

int oci_state_parse(const char *text, size_t len, struct oci_state *state, struct error *err);
/* Read stdin (at most OCI_STATE_MAX_BYTES) and parse it. */
int oci_state_read(int fd, struct oci_state *state, struct error *err);
void oci_state_release(struct oci_state *state);

#endif /* OCI_STATE_H */
