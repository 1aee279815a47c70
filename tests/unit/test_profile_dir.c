// SPDX-License-Identifier: GPL-2.0-or-later
/* Node mode's paths: built from the runtime's names, each one path component, or refused. */
#include <stdlib.h>
#include <string.h>
#include "oci/oci_state.h"
#include "oci/profile_dir.h"
#include "tap.h"

#define DIR "/var/lib/seccomp-profiles"

static struct oci_state state_of(const char *annotations)
{
	char text[4096];
	struct oci_state state;
	struct error err = { 0 };

	snprintf(text, sizeof(text),
		 "{\"ociVersion\":\"1.0.2\",\"id\":\"c0ffee\",\"status\":\"creating\",\"pid\":1,"
		 "\"annotations\":{%s}}",
		 annotations);
	if (oci_state_parse(text, strlen(text), &state, &err) < 0) {
		diag("parse: %s", err.msg);
		memset(&state, 0, sizeof(state));
	}
	return state;
}

static void places(const char *annotations, const char *input, const char *output,
		   const char *in_path, const char *tenant)
{
	struct oci_state state = state_of(annotations);
	struct profile_place place;
	struct error err = { 0 };

	if (!is_int(profile_dir_place(DIR, &state, ".json", input, &place, &err), 0,
		    "{%.60s} has a place", annotations)) {
		diag("error: %s", err.msg);
		oci_state_release(&state);
		return;
	}
	is_str(place.output, output, "the profile is %s", output);
	is_str(place.input, in_path, "the base is %s", in_path ? in_path : "none");
	is_str(place.tenant, tenant, "the tenant is %s", tenant ? tenant : "none");
	profile_place_release(&place);
	oci_state_release(&state);
}

static void refused(const char *annotations, const char *message)
{
	struct oci_state state = state_of(annotations);
	struct profile_place place;
	struct error err = { 0 };

	is_int(profile_dir_place(DIR, &state, ".json", NULL, &place, &err), -1,
	       "{%.60s} is refused", annotations);
	like(err.msg, message, "the message says: %s", message);
	ok(!place.output && !place.input && !place.tenant && !place.folder,
	   "nothing left allocated");
	oci_state_release(&state);
}

#define CRIO(ns, pod, ctr)                                                                   \
	"\"io.kubernetes.pod.namespace\":\"" ns "\",\"io.kubernetes.pod.name\":\"" pod "\"," \
	"\"io.kubernetes.container.name\":\"" ctr "\""
#define CONTAINERD(ns, pod, ctr)                        \
	"\"io.kubernetes.cri.sandbox-namespace\":\"" ns \
	"\",\"io.kubernetes.cri.sandbox-name\":\"" pod  \
	"\",\"io.kubernetes.cri.container-name\":\"" ctr "\""

/* workload:NAME: DIR/NAMESPACE/NAME/CONTAINER.json, or refused with @message. */
static void workload(const char *annotations, const char *name, const char *ext, const char *path,
		     const char *message)
{
	struct oci_state state = state_of(annotations);
	struct profile_place place = { 0 };
	struct error err = { 0 };
	int ret = profile_dir_workload(DIR, &state, ext, name, &place, &err);

	if (path) {
		if (is_int(ret, 0, "workload:%s of {%.60s} has a place", name, annotations))
			is_str(place.workload, path, "the workload's union is %s", path);
		else
			diag("error: %s", err.msg);
	} else {
		is_int(ret, -1, "workload:%s of {%.60s} is refused", name, annotations);
		like(err.msg, message, "the message says: %s", message);
		like(err.msg, "annotation io.containers.trace-syscall", "and names the annotation");
	}
	profile_place_release(&place);
	oci_state_release(&state);
}

int main(void)
{
	struct oci_state state;
	char long_name[300];

	places(CRIO("team-a", "web-1", "app"), NULL, DIR "/team-a/web-1/app.json", NULL, "team-a");
	places(CONTAINERD("team-b", "api.v2", "srv"), "base.json", DIR "/team-b/api.v2/srv.json",
	       DIR "/team-b/base.json", "team-b");
	places(CRIO("team-a", "web-1", "app"), "web-1/app.json", DIR "/team-a/web-1/app.json",
	       DIR "/team-a/web-1/app.json", "team-a");
	places("\"io.kubernetes.cri-o.Created\":\"now\",\"io.kubernetes.cri-o.TTY\":\"false\"",
	       NULL, DIR "/c0ffee.json", NULL, NULL);
	places("\"nerdctl/name\":\"web\"", "base.json", DIR "/web.json", DIR "/base.json", NULL);
	places("\"nerdctl/name\":\"../x\"", NULL, DIR "/c0ffee.json", NULL, NULL);

	workload(CRIO("team-a", "web-6d9f-x", "app"), "web", ".json", DIR "/team-a/web/app.json",
		 NULL);
	workload(CONTAINERD("team-b", "api-1", "srv"), "api", ".yaml", DIR "/team-b/api/srv.yaml",
		 NULL);
	workload("\"nerdctl/name\":\"web\"", "web", ".json", NULL,
		 "`workload:web` needs a Kubernetes pod");
	workload(CRIO("team-a", "web", "app"), "web", ".json", NULL,
		 "`workload:web` is the name of the pod itself");
	refused(CRIO("..", "web-1", "app"), "`pod namespace` is not a name");
	refused(CRIO("a/b", "web-1", "app"), "`pod namespace` is not a name");
	refused(CRIO("team-a", ".x", "app"), "`pod name` is not a name");
	refused(CRIO("team-a", "web-1", ""), "`container name` is not a name");
	refused(CRIO("team-a", "web-1", "a\\u202eb"), "`container name` is not a name");
	refused("\"io.kubernetes.pod.namespace\":\"team-a\"",
		"the spec has no annotation `pod name`");
	refused("\"io.kubernetes.pod.uid\":\"1234\"", "has Kubernetes annotations but not");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ok(!profile_dir_valid_component(long_name), "a component of 299 characters is refused");
	long_name[PROFILE_DIR_COMPONENT_MAX] = '\0';
	ok(profile_dir_valid_component(long_name), "one of 253 is accepted");
	ok(profile_dir_valid_name("a/b.json") && !profile_dir_valid_name("a/b/c.json") &&
		   !profile_dir_valid_name("/a") && !profile_dir_valid_name("a/") &&
		   !profile_dir_valid_name("a/../b") && !profile_dir_valid_name(""),
	   "names: at most two components, none empty, none `..`");

	state = state_of("\"io.kubernetes.cri.container-type\":\"sandbox\"");
	ok(state.owner.sandbox && state.owner.kubernetes, "containerd's sandbox is a sandbox");
	oci_state_release(&state);
	state = state_of("\"io.kubernetes.cri-o.ContainerType\":\"sandbox\"");
	ok(state.owner.sandbox, "CRI-O's sandbox is a sandbox");
	oci_state_release(&state);
	state = state_of("\"io.kubernetes.cri-o.ContainerType\":\"container\"");
	ok(!state.owner.sandbox && state.owner.kubernetes, "CRI-O's container is no sandbox");
	oci_state_release(&state);
	state = state_of("\"io.kubernetes.cri-o.Created\":\"x\",\"io.kubernetes.cri-o.TTY\":\"x\"");
	ok(!state.owner.kubernetes, "podman's own two io.kubernetes keys are no pod");
	oci_state_release(&state);
	return done_testing();
}
