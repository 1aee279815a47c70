// SPDX-License-Identifier: GPL-2.0-or-later
/* A profile as podman applies it: includes/excludes for its default container, host arches. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "base/json.h"
#include "profile/profile_podman.h"
#include "profile/syscalls.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The bounding set podman gives a container by default (containers.conf). */
static const char *const podman_default_caps[] = {
	"CAP_CHOWN",   "CAP_DAC_OVERRIDE",     "CAP_FOWNER",	 "CAP_FSETID",
	"CAP_KILL",    "CAP_NET_BIND_SERVICE", "CAP_SETFCAP",	 "CAP_SETGID",
	"CAP_SETPCAP", "CAP_SETUID",	       "CAP_SYS_CHROOT",
};

/* The names `includes.arches` uses (libseccomp-golang's), by token. */
static const struct {
	uint32_t arch;
	const char *name;
} go_arch_names[] = {
	{ SCMP_ARCH_X86, "x86" },
	{ SCMP_ARCH_X86_64, "amd64" },
	{ SCMP_ARCH_X32, "x32" },
	{ SCMP_ARCH_ARM, "arm" },
	{ SCMP_ARCH_AARCH64, "arm64" },
	{ SCMP_ARCH_MIPS, "mips" },
	{ SCMP_ARCH_MIPS64, "mips64" },
	{ SCMP_ARCH_MIPS64N32, "mips64n32" },
	{ SCMP_ARCH_MIPSEL, "mipsel" },
	{ SCMP_ARCH_MIPSEL64, "mipsel64" },
	{ SCMP_ARCH_MIPSEL64N32, "mipsel64n32" },
	{ SCMP_ARCH_PPC, "ppc" },
	{ SCMP_ARCH_PPC64, "ppc64" },
	{ SCMP_ARCH_PPC64LE, "ppc64le" },
	{ SCMP_ARCH_S390, "s390" },
	{ SCMP_ARCH_S390X, "s390x" },
	{ SCMP_ARCH_PARISC, "parisc" },
	{ SCMP_ARCH_PARISC64, "parisc64" },
	{ SCMP_ARCH_RISCV64, "riscv64" },
};

static const char *host_arch_name(void)
{
	uint32_t native = syscalls_native_arch();

	for (size_t i = 0; i < N_ELEMS(go_arch_names); i++)
		if (go_arch_names[i].arch == native)
			return go_arch_names[i].name;
	return "";
}

static bool json_strings_have(const struct json *array, const char *s)
{
	for (size_t i = 0; i < json_len(array); i++) {
		const char *v = json_string(json_at(array, i));

		if (v && strcmp(v, s) == 0)
			return true;
	}
	return false;
}

static bool default_cap(const char *cap)
{
	for (size_t i = 0; i < N_ELEMS(podman_default_caps); i++)
		if (strcmp(podman_default_caps[i], cap) == 0)
			return true;
	return false;
}

/* "5.10.0-21-amd64" or "4.8" as major * 1000 + minor; -1 when it is neither. */
static long kernel_version(const char *s)
{
	unsigned long major, minor;
	char *end;

	if (!s)
		return -1;
	major = strtoul(s, &end, 10);
	if (end == s || *end != '.')
		return -1;
	s = end + 1;
	minor = strtoul(s, &end, 10);
	if (end == s || major > 100000 || minor > 999)
		return -1;
	return (long)(major * 1000 + minor);
}

/*
 * Whether podman keeps @r for a container with its default capabilities on this host: every
 * capability of includes.caps held, none of excludes.caps, this host's arch in includes.arches
 * and not in excludes.arches, this kernel at least includes.minKernel.
 */
static int rule_applies(const struct profile_rule *r, const char *what, size_t index, bool *applies,
			struct error *err)
{
	const struct json *inc = r->source ? json_get(r->source, "includes") : NULL;
	const struct json *exc = r->source ? json_get(r->source, "excludes") : NULL;
	const struct json *caps, *arches, *min;
	const char *host = host_arch_name();

	*applies = false;
	if ((arches = json_get(exc, "arches")) && json_strings_have(arches, host))
		return 0;
	caps = json_get(exc, "caps");
	for (size_t i = 0; i < json_len(caps); i++)
		if (json_string(json_at(caps, i)) && default_cap(json_string(json_at(caps, i))))
			return 0;
	if ((arches = json_get(inc, "arches")) && json_len(arches) &&
	    !json_strings_have(arches, host))
		return 0;
	caps = json_get(inc, "caps");
	for (size_t i = 0; i < json_len(caps); i++)
		if (!json_string(json_at(caps, i)) || !default_cap(json_string(json_at(caps, i))))
			return 0;
	min = json_get(inc, "minKernel");
	if (min && json_type(min) != JSON_NULL) {
		struct utsname u;
		long want = kernel_version(json_string(min));

		if (want < 0)
			return error_set(err, 0,
					 "%s: rule %zu: includes.minKernel is not a kernel "
					 "version (major.minor)",
					 what, index + 1);
		if (uname(&u) == 0 && kernel_version(u.release) >= 0 &&
		    kernel_version(u.release) < want)
			return 0;
	}
	*applies = true;
	return 0;
}

static const struct json *arch_map_of(const struct profile *p)
{
	const struct json *map = json_get(p->tree, "archMap");

	/* A SeccompProfile's spec is the profile. */
	return map ? map : json_get(json_get(p->tree, "spec"), "archMap");
}

/* An archMap is reduced to this host's entry: its architecture and sub-architectures. */
static int applied_arches(const struct profile *p, struct profile *view)
{
	const struct json *map = p->has_arch_map ? arch_map_of(p) : NULL;
	const char *native = syscalls_arch_name(syscalls_native_arch());

	view->arches = calloc(p->n_arches ? p->n_arches : 1, sizeof(*view->arches));
	if (!view->arches)
		return -1;
	view->n_arches = 0;
	view->has_arch_map = false;
	if (!map) {
		for (size_t i = 0; i < p->n_arches; i++)
			view->arches[view->n_arches++] = p->arches[i];
		return 0;
	}
	for (size_t i = 0; i < json_len(map); i++) {
		const struct json *entry = json_at(map, i);
		const struct json *subs = json_get(entry, "subArchitectures");
		const char *a = json_string(json_get(entry, "architecture"));

		if (!a || !native || strcmp(a, native) != 0)
			continue;
		/* Listed by the parser already: borrow its strings. */
		for (size_t j = 0; j < p->n_arches; j++)
			if (strcmp(p->arches[j], a) == 0 || json_strings_have(subs, p->arches[j]))
				view->arches[view->n_arches++] = p->arches[j];
		break;
	}
	return 0;
}

int profile_podman_apply(const struct profile *p, const char *what, struct profile *view,
			 struct error *err)
{
	*view = *p;
	/* The view's own arrays from here, with borrowed elements. */
	view->tree = NULL;
	view->arches = NULL;
	view->n_rules = 0;
	view->rules = calloc(p->n_rules ? p->n_rules : 1, sizeof(*p->rules));
	if (!view->rules)
		return error_set(err, ENOMEM, "apply %s", what);
	for (size_t i = 0; i < p->n_rules; i++) {
		bool applies;

		if (rule_applies(&p->rules[i], what, i, &applies, err) < 0)
			goto fail;
		if (applies)
			view->rules[view->n_rules++] = p->rules[i];
	}
	if (applied_arches(p, view) == 0)
		return 0;
	error_set(err, ENOMEM, "apply %s", what);
fail:
	profile_podman_release(view);
	return -1;
}

void profile_podman_release(struct profile *view)
{
	free(view->rules);
	free(view->arches);
	view->rules = NULL;
	view->arches = NULL;
	view->n_rules = view->n_arches = 0;
}
