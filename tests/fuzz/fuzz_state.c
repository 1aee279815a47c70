// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the OCI state parser as the hook runs it on stdin: oci_state_parse, then the parse of
 * the trace annotation it found. Memory errors are the sanitizers' to find; a result that
 * breaks what oci_state.h (or json.h, below it) promises aborts here.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oci/annotation.h"
#include "fuzz_checks.h"
#include "base/json.h"
#include "oci/oci_state.h"
#include "profile/profile_format.h"

/* The tree oci_state_parse reads and frees is not ours to see: parse the input once more. */
static void check_json(const uint8_t *data, size_t size)
{
	struct json *doc = NULL;
	struct error err = { 0 };

	if (json_parse((const char *)data, size, "OCI state on stdin", &doc, &err) < 0) {
		check_message(&err);
		return;
	}
	check_depth(doc, 0);
	json_free(doc);
}

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

static void check_state(const struct oci_state *s)
{
	size_t len;

	CHECK(s->id && s->status);
	len = strlen(s->id);
	/* The id names files under the run-state directory: no `/`, no leading `.`. */
	CHECK(len >= 1 && len <= OCI_ID_MAX && s->id[0] != '.');
	for (size_t i = 0; i < len; i++)
		CHECK(id_char(s->id[i]));
	CHECK(s->pid >= 0);
}

static void check_request(const struct trace_request *req)
{
	enum profile_format fmt;

	CHECK(req->output && req->output[0] == '/');
	CHECK(!req->input || req->input[0] == '/');
	CHECK(!req->format || profile_format_parse(req->format, &fmt) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_state state;
	struct trace_request req;
	struct error err = { 0 };

	check_json(data, size);
	if (oci_state_parse((const char *)data, size, &state, &err) < 0) {
		check_message(&err);
		CHECK(!state.id && !state.status && !state.annotation);
		return 0;
	}
	check_state(&state);
	if (state.annotation) {
		memset(&err, 0, sizeof(err));
		if (annotation_parse(state.annotation, &req, &err) < 0) {
			check_message(&err);
		} else {
			check_request(&req);
			annotation_release(&req);
		}
	}
	oci_state_release(&state);
	CHECK(!state.id && !state.annotation);
	return 0;
}
