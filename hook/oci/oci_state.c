// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading and validating the OCI state: id, status, pid, the trace annotation, and
 * whose container it is (the Kubernetes names, a sandbox, an engine's name).
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/cleanup.h"
#include "base/fs.h"
#include "base/json.h"
#include "oci/oci_state.h"

static bool valid_id(const char *id)
{
	size_t len = strlen(id);

	if (len == 0 || len > OCI_ID_MAX || id[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static int copy_string(const struct json *v, const char *field, bool required, char **out,
		       struct error *err)
{
	*out = NULL;
	if (!v)
		return required ? error_set(err, 0, "OCI state has no `%s`", field) : 0;
	if (!json_string(v))
		return error_set(err, 0, "OCI state: `%s` must be a string, not %s", field,
				 json_type_name(v));
	*out = strdup(json_string(v));
	return *out ? 0 : error_set(err, ENOMEM, "OCI state");
}

/* The three names of a Kubernetes container, as one runtime spells their keys. */
struct k8s_keys {
	const char *namespace, *pod, *container;
	const char *type; /* its value is "sandbox" on a pod's pause container */
};

static const struct k8s_keys k8s_runtimes[] = {
	{ "io.kubernetes.pod.namespace", "io.kubernetes.pod.name", "io.kubernetes.container.name",
	  "io.kubernetes.cri-o.ContainerType" }, /* CRI-O */
	{ "io.kubernetes.cri.sandbox-namespace", "io.kubernetes.cri.sandbox-name",
	  "io.kubernetes.cri.container-name", "io.kubernetes.cri.container-type" }, /* containerd */
};

#define K8S_PREFIX "io.kubernetes."
#define NERDCTL_NAME "nerdctl/name"

/* podman puts these two on every container it runs: they say nothing about Kubernetes. */
static bool podman_own_key(const char *key)
{
	return strcmp(key, "io.kubernetes.cri-o.Created") == 0 ||
	       strcmp(key, "io.kubernetes.cri-o.TTY") == 0;
}

static int parse_owner(const struct json *annotations, struct oci_owner *owner, struct error *err)
{
	for (size_t i = 0; i < json_len(annotations); i++) {
		const char *key = json_key_at(annotations, i);

		if (strncmp(key, K8S_PREFIX, strlen(K8S_PREFIX)) == 0 && !podman_own_key(key))
			owner->kubernetes = true;
	}
	for (size_t i = 0; i < sizeof(k8s_runtimes) / sizeof(k8s_runtimes[0]); i++) {
		const struct k8s_keys *k = &k8s_runtimes[i];
		const char *type = json_string(json_get(annotations, k->type));
		bool has_names = json_get(annotations, k->namespace) ||
				 json_get(annotations, k->pod) ||
				 json_get(annotations, k->container);

		if (type && strcmp(type, "sandbox") == 0)
			owner->sandbox = true;
		/*
		 * Both sets: a handler that passes a pod's io.kubernetes.* annotations lets its
		 * author write the other runtime's names, and neither set can be trusted then.
		 */
		if (has_names && (owner->k8s_namespace || owner->k8s_pod || owner->k8s_container))
			owner->k8s_both = true;
		if (owner->k8s_namespace || owner->k8s_pod || owner->k8s_container)
			continue;
		if (copy_string(json_get(annotations, k->namespace), k->namespace, false,
				&owner->k8s_namespace, err) < 0 ||
		    copy_string(json_get(annotations, k->pod), k->pod, false, &owner->k8s_pod,
				err) < 0 ||
		    copy_string(json_get(annotations, k->container), k->container, false,
				&owner->k8s_container, err) < 0)
			return -1;
	}
	return copy_string(json_get(annotations, NERDCTL_NAME), NERDCTL_NAME, false, &owner->name,
			   err);
}

/*
 * The trace annotation of this container: `io.containers.trace-syscall/NAME` when NAME is its
 * Kubernetes container name, else the bare key. A pod's annotation for one of its containers
 * reaches every container of the pod through containerd's pod_annotations; CRI-O gives it to
 * NAME alone as the bare key. A key for another container is no annotation of this one.
 */
static int read_trace_annotation(const struct json *annotations, struct oci_state *state,
				 struct error *err)
{
	const char *name = state->owner.k8s_container;
	cleanup_free char *key = NULL;

	if (name && *name && !strchr(name, '/') &&
	    asprintf(&key, "%s/%s", TRACE_ANNOTATION, name) < 0)
		return error_set(err, ENOMEM, "OCI state");
	if (key && json_get(annotations, key))
		return copy_string(json_get(annotations, key),
				   "annotations." TRACE_ANNOTATION "/NAME", false,
				   &state->annotation, err);
	return copy_string(json_get(annotations, TRACE_ANNOTATION), "annotations." TRACE_ANNOTATION,
			   false, &state->annotation, err);
}

int oci_state_parse(const char *text, size_t len, struct oci_state *state, struct error *err)
{
	cleanup_json struct json *doc = NULL;
	const struct json *pid, *annotations;
	int64_t n;

	memset(state, 0, sizeof(*state));
	if (json_parse(text, len, "OCI state on stdin", &doc, err) < 0)
		return -1;
	if (json_type(doc) != JSON_OBJECT)
		return error_set(err, 0, "OCI state on stdin is %s, not an object",
				 json_type_name(doc));
	if (copy_string(json_get(doc, "id"), "id", true, &state->id, err) < 0 ||
	    copy_string(json_get(doc, "status"), "status", true, &state->status, err) < 0)
		goto fail;
	if (!valid_id(state->id)) {
		error_set(err, 0,
			  "OCI state: container id is not 1 to %d characters of "
			  "[A-Za-z0-9_.-]",
			  OCI_ID_MAX);
		goto fail;
	}
	/* A stopped container has no pid: runc leaves it out, crun's poststop state says 0. */
	pid = json_get(doc, "pid");
	if (pid) {
		if (!json_int64(pid, &n) || n < 0 || n > INT32_MAX ||
		    (n == 0 && strcmp(state->status, "stopped") != 0)) {
			error_set(err, 0, "OCI state: `pid` must be a positive process id");
			goto fail;
		}
		state->pid = (pid_t)n;
	}
	annotations = json_get(doc, "annotations");
	if (annotations && json_type(annotations) != JSON_OBJECT &&
	    json_type(annotations) != JSON_NULL) {
		error_set(err, 0, "OCI state: `annotations` must be an object");
		goto fail;
	}
	if (parse_owner(annotations, &state->owner, err) < 0 ||
	    read_trace_annotation(annotations, state, err) < 0)
		goto fail;
	return 0;
fail:
	oci_state_release(state);
	return -1;
}

int oci_state_read(int fd, struct oci_state *state, struct error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	if (fs_read_fd(fd, "the OCI state on stdin", OCI_STATE_MAX_BYTES, &text, &len, err) < 0)
		return -1;
	return oci_state_parse(text, len, state, err);
}

void oci_state_release(struct oci_state *state)
{
	free(state->id);
	free(state->status);
	free(state->annotation);
	free(state->owner.k8s_namespace);
	free(state->owner.k8s_pod);
	free(state->owner.k8s_container);
	free(state->owner.name);
	memset(state, 0, sizeof(*state));
}
