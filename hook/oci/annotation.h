/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The io.containers.trace-syscall annotation: `of:PATH` or `on`, `if:PATH` (or `if:NAME` on a
 * node that decides where profiles go), `workload:NAME` (with `on`), `fmt:FORMAT`, `args:on`,
 * `explain:on`, `fallbacks:off`, `;`-separated.
 */
#ifndef ANNOTATION_H
#define ANNOTATION_H

#include <stdbool.h>
#include "base/error.h"

#define ANNOTATION_MAX_LEN 8192

struct trace_request {
	char *output; /* of: absolute path of the profile to write; NULL with `on` */
	char *input;  /* if: absolute path of a base profile, or a NAME (below); NULL when none */
	bool input_is_name; /* if: is a profile's name in the node's profile folder, not a path */
	bool node;	    /* on: record into the place the node's --profile-dir gives */
	char *workload;	    /* workload:NAME (with `on`): also add to the workload's union, one
			     * component; NULL when not given */
	char *format;	/* fmt: a profile_format name, NULL when not given (of:'s extension decides)
			 */
	bool args;	/* args:on: keep argument values (arg_specs.h) */
	bool explain;	/* explain:on: keep each call's first caller (provenance.h) */
	bool fallbacks; /* fallbacks:off clears it: no ENOSYS rule (fallbacks.h); default on */
};

/* Parse the grammar only (no file system access); messages name the annotation. */
int annotation_parse(const char *value, struct trace_request *req, struct error *err);
void annotation_release(struct trace_request *req);

#endif /* ANNOTATION_H */
