/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the profile tools' unit tests share: documents written with ' for ", parsed and written. */
#ifndef PROFILE_TEST_H
#define PROFILE_TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "base/cleanup.h"
#include "profile/profile.h"
#include "profile/profile_format.h"
#include "profile/syscalls.h"

#define WHAT "profile `t.json`"
#define X86_64 "SCMP_ARCH_X86_64"
#define X86 "SCMP_ARCH_X86"

/* Test documents are written with ' for " to stay readable; none needs a real '. */
static inline char *dq(const char *text)
{
	char *s = strdup(text);

	for (char *c = s; c && *c; c++)
		if (*c == '\'')
			*c = '"';
	return s;
}

/* Parse @text (with ' for "), which the test expects to be a valid profile of either format. */
static inline struct profile *parse_ok(const char *text, const char *desc)
{
	cleanup_free char *doc = dq(text);
	struct profile *p = NULL;
	struct error err = { 0 };
	int ret = profile_parse_any(doc, strlen(doc), WHAT, &p, NULL, &err);

	if (!is_int(ret, 0, "%s: parses", desc))
		diag("error: %s", err.msg);
	return ret == 0 ? p : NULL;
}

static inline char *serialize_as(const struct profile *p, enum profile_format fmt, const char *name,
				 struct error *err)
{
	char *out = NULL;
	size_t len;

	if (!p || profile_serialize_as(p, fmt, name, &out, &len, err) < 0)
		return NULL;
	return out;
}

#define DENY(arches, rules)                                                                      \
	"{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': [" arches "], 'syscalls': [" rules \
	"]}"
#define ALLOW(names) "{'names': [" names "], 'action': 'SCMP_ACT_ALLOW'}"
#define PERSONALITY(action, args) \
	"{'names': ['personality'], 'action': '" action "', 'args': [" args "]}"
#define EQ(i, v) "{'index': " #i ", 'value': " #v ", 'op': 'SCMP_CMP_EQ'}"

static inline bool x86_64_host(void)
{
	return syscalls_native_arch() == SCMP_ARCH_X86_64;
}

/* The native architecture's name, for profiles that list it. */
static inline const char *native(void)
{
	return syscalls_arch_name(syscalls_native_arch());
}

/* A default-deny profile for the native architecture with @rules (' for "). */
static inline struct profile *deny(const char *rules, const char *desc)
{
	cleanup_free char *doc = NULL;

	if (asprintf(&doc,
		     "{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['%s'], "
		     "'syscalls': [%s]}",
		     native(), rules) < 0)
		return NULL;
	return parse_ok(doc, desc);
}

#endif /* PROFILE_TEST_H */
