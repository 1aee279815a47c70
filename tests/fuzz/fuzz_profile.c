// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the profile readers the way profiles go through the recorder: profile_parse (a base
 * profile, if:) and profile_parse_any (diff, merge, --base: OCI or SeccompProfile), then
 * compile with libseccomp, write in every format, write the log variant, extend with
 * recorded calls. Memory errors are the sanitizers' to find; here, a profile that parses
 * must respect the limits of json.h and profile.h, and what is written must read back: to the
 * same text (OCI), and to the same seccomp filter (SeccompProfile, which profile_format.h
 * promises never to write as a different filter).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "fuzz_checks.h"
#include "base/log.h"
#include "profile/profile.h"
#include "profile/profile_format.h"
#include "profile/syscalls.h"

#define WHAT "profile `fuzz`"
#define SPO_NAME "fuzz"

static void check_model(const struct profile *p)
{
	CHECK(p->tree && p->default_action);
	CHECK(!p->has_default_errno_ret || p->default_errno_ret <= 4095);
	CHECK(p->n_rules <= PROFILE_MAX_RULES);
	for (size_t i = 0; i < p->n_arches; i++)
		CHECK(syscalls_arch_from_name(p->arches[i]) != 0);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		CHECK(r->action && r->source);
		CHECK(r->n_args <= PROFILE_MAX_ARGS);
		CHECK(!r->has_errno_ret || r->errno_ret <= 4095);
		for (size_t j = 0; j < r->n_args; j++)
			CHECK(r->args[j].index < PROFILE_MAX_ARGS);
		for (size_t j = 0; j < r->n_names; j++)
			CHECK(strlen(r->names[j]) >= 1 &&
			      strlen(r->names[j]) <= PROFILE_MAX_NAME_LEN);
	}
}

struct bpf {
	char *code; /* NULL when libseccomp refused the profile */
	size_t len;
};

/* What profile_save checks before writing: libseccomp accepts the rules and generates BPF. */
static struct bpf compile(const struct profile *p)
{
	static int fd = -1;
	struct bpf out = { 0 };
	struct error err = { 0 };
	scmp_filter_ctx ctx;
	off_t end;
	int ret;

	if (profile_build_filter(p, &ctx, NULL, &err) < 0) {
		check_message(&err);
		return out;
	}
	if (fd < 0)
		fd = memfd_create("fuzz-bpf", MFD_CLOEXEC);
	CHECK(fd >= 0 && ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
	ret = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (ret < 0)
		return out;
	end = lseek(fd, 0, SEEK_CUR);
	CHECK(end >= 0);
	out.len = (size_t)end;
	out.code = malloc(out.len + 1);
	CHECK(out.code && pread(fd, out.code, out.len, 0) == (ssize_t)out.len);
	return out;
}

/* OCI: serialize, parse, serialize: the same text, or the writer lost or added something. */
static void check_oci_round_trip(const struct profile *p)
{
	struct profile *again = NULL;
	char *text = NULL, *text2 = NULL;
	struct error err = { 0 };
	size_t len, len2;

	CHECK(profile_serialize(p, &text, &len, &err) == 0);
	CHECK(strlen(text) == len);
	if (profile_parse(text, len, WHAT, &again, &err) < 0) {
		fprintf(stderr, "the profile written does not parse: %s\n", err.msg);
		abort();
	}
	CHECK(again->n_rules == p->n_rules && again->n_arches == p->n_arches);
	CHECK(strcmp(again->default_action, p->default_action) == 0);
	CHECK(profile_serialize(again, &text2, &len2, &err) == 0);
	CHECK(len2 == len && memcmp(text, text2, len) == 0);
	free(text);
	free(text2);
	profile_free(again);
}

/* A SeccompProfile is written, or refused; written, it reads back as the same filter. */
static void check_spo_round_trip(const struct profile *p, enum profile_format fmt,
				 const struct bpf *filter)
{
	enum profile_format found = PROFILE_FORMAT_OCI;
	struct profile *again = NULL;
	char *text = NULL, *text2 = NULL;
	struct error err = { 0 };
	size_t len, len2;
	struct bpf filter2;

	if (profile_serialize_as(p, fmt, SPO_NAME, &text, &len, &err) < 0) {
		check_message(&err);
		return;
	}
	CHECK(strlen(text) == len);
	if (profile_parse_any(text, len, WHAT, &again, &found, &err) < 0) {
		fprintf(stderr, "the SeccompProfile written does not parse: %s\n", err.msg);
		abort();
	}
	CHECK(found == fmt);
	CHECK(profile_serialize_as(again, fmt, SPO_NAME, &text2, &len2, &err) == 0);
	CHECK(len2 == len && memcmp(text, text2, len) == 0);
	if (fmt == PROFILE_FORMAT_SPO && filter->code) {
		filter2 = compile(again);
		CHECK(filter2.code && filter2.len == filter->len &&
		      memcmp(filter2.code, filter->code, filter->len) == 0);
		free(filter2.code);
	}
	free(text);
	free(text2);
	profile_free(again);
}

/* profile_variant.h: the same rules with SCMP_ACT_LOG by default, without defaultErrnoRet. */
static void check_log_variant(const struct profile *p)
{
	struct profile variant = *p, *again = NULL;
	struct error err = { 0 };
	char *text = NULL;
	size_t len;

	variant.default_action = (char *)"SCMP_ACT_LOG";
	variant.has_default_errno_ret = false;
	CHECK(profile_serialize(&variant, &text, &len, &err) == 0);
	if (profile_parse(text, len, WHAT, &again, &err) < 0) {
		fprintf(stderr, "the log variant written does not parse: %s\n", err.msg);
		abort();
	}
	CHECK(strcmp(again->default_action, "SCMP_ACT_LOG") == 0 && !again->has_default_errno_ret &&
	      again->n_rules == p->n_rules);
	free(text);
	profile_free(again);
}

static void exercise(struct profile *p)
{
	static char *const recorded[] = { "read", "write", "exit_group" };
	struct error err = { 0 };
	const char *native;
	struct bpf filter;

	check_depth(p->tree, 0);
	check_model(p);
	filter = compile(p);
	check_oci_round_trip(p);
	check_spo_round_trip(p, PROFILE_FORMAT_SPO, &filter);
	check_spo_round_trip(p, PROFILE_FORMAT_SPO_V1BETA1, &filter);
	check_log_variant(p);
	free(filter.code);

	/* What the recorder does to a base profile: add the native arch and the calls seen. */
	native = syscalls_arch_name(syscalls_native_arch());
	CHECK(native && profile_add_arch(p, native, &err) == 0);
	if (profile_add_rule(p, "SCMP_ACT_ALLOW", recorded, 3, &err) < 0) {
		/* Refused only at the reader's limit: a rule more could not be read back. */
		check_message(&err);
		CHECK(p->n_rules >= PROFILE_MAX_RULES);
		return;
	}
	CHECK(profile_mentions(p, "exit_group"));
	check_oci_round_trip(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* profile_parse_any warns about accepted input (baseProfileName): keep stderr quiet. */
	log_set_level(LOG_LEVEL_ERROR);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum profile_format fmt = PROFILE_FORMAT_OCI;
	struct profile *p = NULL, *any = NULL;
	struct error err = { 0 };
	int ret;

	/* The hook's if: and record's --input: OCI only. */
	ret = profile_parse((const char *)data, size, WHAT, &p, &err);
	if (ret < 0) {
		check_message(&err);
		CHECK(!p);
	} else {
		exercise(p);
	}

	/* diff, merge and --base: either format; an OCI document reads as profile_parse reads it.
	 */
	memset(&err, 0, sizeof(err));
	if (profile_parse_any((const char *)data, size, WHAT, &any, &fmt, &err) < 0) {
		check_message(&err);
		CHECK(!any);
	} else {
		CHECK(fmt != PROFILE_FORMAT_OCI || ret == 0);
		if (fmt != PROFILE_FORMAT_OCI)
			exercise(any);
		profile_free(any);
	}
	profile_free(p);
	return 0;
}
