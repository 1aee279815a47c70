/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Node mode (`hook --profile-dir DIR`): the node decides where profiles go. A container's
 * profile is DIR/NAMESPACE/POD/CONTAINER.json for a Kubernetes container, DIR/NAME.json
 * otherwise (the engine's name for it, else its id), every component checked, every directory
 * made by the hook for root alone. A pod's `workload:NAME` adds each recording of the container
 * to DIR/NAMESPACE/NAME/CONTAINER.json as well (workload.h).
 */
#ifndef PROFILE_DIR_H
#define PROFILE_DIR_H

#include <stdbool.h>
#include "base/error.h"
#include "oci/oci_state.h"

/* The longest component: a Kubernetes pod name (a DNS-1123 subdomain) is up to 253. */
#define PROFILE_DIR_COMPONENT_MAX 253
/* Components of an `if:NAME` below the tenant's folder (POD/CONTAINER.json at most). */
#define PROFILE_DIR_NAME_DEPTH 2

/* One component: 1 to 253 of [A-Za-z0-9_.-], beginning with a letter or digit. */
bool profile_dir_valid_component(const char *s);

/* A profile's name relative to a folder: 1 to PROFILE_DIR_NAME_DEPTH valid components. */
bool profile_dir_valid_name(const char *name);

/* Where one container's recording goes. */
struct profile_place {
	char *output;	/* the profile to write */
	char *input;	/* the base profile (if:NAME in the tenant's folder), NULL when none */
	char *tenant;	/* the Kubernetes namespace, NULL outside Kubernetes */
	char *folder;	/* the tenant's folder: DIR/NAMESPACE, or DIR */
	char *workload; /* the workload's union: DIR/NAMESPACE/NAME/CONTAINER.json, or NULL */
};

/*
 * The place of @state's container below @dir (absolute, without symlinks, as
 * profile_dir_check left it), its file ending @ext (".json"). @input_name is an annotation's
 * `if:NAME` or NULL. Pure: nothing is created.
 */
int profile_dir_place(const char *dir, const struct oci_state *state, const char *ext,
		      const char *input_name, struct profile_place *place, struct error *err);
void profile_place_release(struct profile_place *place);

/*
 * The union of the workload @name (a valid component) that @state's container belongs to,
 * beside its pods' folders: @place->workload, a file ending @ext. Only a Kubernetes container
 * has one (a namespace to keep it in and a container name for the file), and the workload must
 * not be named as its pod is (the pod's own file would be the union).
 */
int profile_dir_workload(const char *dir, const struct oci_state *state, const char *ext,
			 const char *name, struct profile_place *place, struct error *err);

/*
 * Make the directories between @dir and @place->output (and @place->workload) that are
 * missing, mode 0700; every one
 * that exists must be a directory of this user that others cannot write (no symlinks).
 */
int profile_dir_make_parents(const char *dir, const struct profile_place *place, struct error *err);

/*
 * The admin's --profile-dir: made absolute and free of symlinks (realpath), created 0700 when
 * missing, and refused unless a directory of this user that others cannot write. @out gets
 * the resolved path.
 */
int profile_dir_check(const char *dir, char **out, struct error *err);

#endif /* PROFILE_DIR_H */
