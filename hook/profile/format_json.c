// SPDX-License-Identifier: GPL-2.0-or-later
/* The runtime's own profile, the OCI/Docker seccomp JSON: one row of the format table. */
#include "profile/profile_format.h"

static int runtime_json_serialize(const struct profile *p, const struct profile_format_row *f,
				  const char *name, char **out, size_t *len, struct error *err)
{
	(void)f;
	(void)name;
	return profile_serialize(p, out, len, err);
}

/* Any document without a `kind` is read as a profile (profile_parse says what is wrong). */
static int runtime_json_parse(const struct json *doc, const char *text, size_t len,
			      const char *what, struct profile **out, enum profile_format *fmt,
			      struct error *err)
{
	if (json_type(doc) == JSON_OBJECT && json_get(doc, "kind"))
		return 1;
	*fmt = PROFILE_FORMAT_OCI;
	return profile_parse(text, len, what, out, err);
}

const struct profile_format_row profile_format_json_row = {
	.fmt = PROFILE_FORMAT_OCI,
	.name = "oci",
	.extension = ".json",
	.kind = "profile",
	.serialize = runtime_json_serialize,
	.parse = runtime_json_parse,
};
