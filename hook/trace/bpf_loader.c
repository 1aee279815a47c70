// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Two ways to load the same object. The light skeleton hands the kernel a loader program that
 * creates the maps, applies the CO-RE relocations against the kernel's own BTF and loads the
 * programs: no vmlinux BTF is parsed in user space (a few ms, and no 10 MiB peak). libbpf's
 * full skeleton does the same work in user space; it runs where the light loader cannot
 * (kernels before 5.17 apply no CO-RE relocations themselves) and says why a load failed.
 * Either way only descriptors are kept: the skeleton, and libbpf's copy of the BTF, are freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "base/hash.h"
#include "trace/bpf_loader.h"
#include "trace/bpf_log.h"
#include "base/log.h"
#include "recorder.h"
#include "recorder.lskel.h"
#include "recorder.skel.h"

#define LOADER_ENV "OCI_SECCOMP_RECORDER_LOADER"

int bpf_loader_from_env(enum bpf_loader_kind *kind, struct error *err)
{
	const char *value = getenv(LOADER_ENV);

	if (!value || !*value || !strcmp(value, "auto"))
		*kind = BPF_LOADER_AUTO;
	else if (!strcmp(value, "light"))
		*kind = BPF_LOADER_LIGHT;
	else if (!strcmp(value, "libbpf"))
		*kind = BPF_LOADER_LIBBPF;
	else
		return error_set(err, 0, "%s=`%.32s`: expected auto, light or libbpf", LOADER_ENV,
				 value);
	return 0;
}

#define DESIGN_ENV "OCI_SECCOMP_RECORDER_DESIGN"

/*
 * The benchmark's switch between the two hot paths. DESIGN_STORAGE stays the default: the
 * namespace design did not halve the cost inside a container here (README, Performance).
 */
int bpf_loader_design_from_env(unsigned int *design, struct error *err)
{
	const char *value = getenv(DESIGN_ENV);

	if (!value || !*value || !strcmp(value, "storage"))
		*design = DESIGN_STORAGE;
	else if (!strcmp(value, "namespace"))
		*design = DESIGN_NAMESPACE;
	else
		return error_set(err, 0, "%s=`%.32s`: expected storage or namespace", DESIGN_ENV,
				 value);
	return 0;
}

/* The two skeletons name their read-only data alike: one assignment for both. */
#define SET_RODATA(rodata, cfg)                                             \
	do {                                                                \
		(rodata)->nr_execve = (cfg)->nr_execve;                     \
		(rodata)->nr_execveat = (cfg)->nr_execveat;                 \
		(rodata)->nr_seccomp = (cfg)->nr_seccomp;                   \
		(rodata)->nr_prctl = (cfg)->nr_prctl;                       \
		(rodata)->nr_mmap = (cfg)->nr_mmap;                         \
		(rodata)->design = (cfg)->design;                           \
		(rodata)->running_abis = (cfg)->running_abis;               \
		memcpy((void *)(rodata)->caller_calls, (cfg)->caller_calls, \
		       sizeof((rodata)->caller_calls));                     \
	} while (0)

/* Keep a copy of each descriptor the tracer needs; the skeleton's own are closed with it. */
static int keep(int fd, int *out)
{
	*out = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return *out < 0 ? -1 : 0;
}

/*
 * Each skeleton's attach and keep steps are made from the rows of bpf_objects.h: a row whose
 * map or program a skeleton lacks does not compile. Each step ends in `||`: a chain of them
 * stops at the first that fails.
 */
#define LIGHT_ATTACH(prog, pin) recorder_lskel__##prog##__attach(skel) < 0 ||
#define LIGHT_KEEP_MAP(map, ...) keep(skel->maps.map.map_fd, &kept.map) ||
#define LIGHT_KEEP_ITER(prog) keep(skel->progs.prog.prog_fd, &kept.prog) ||
#define LIGHT_KEEP_LINK(prog, pin) keep(skel->links.prog##_fd, &kept.links.prog) ||

#define LIBBPF_ATTACH(prog, pin) !(skel->links.prog = bpf_program__attach(skel->progs.prog)) ||
#define LIBBPF_KEEP_MAP(map, ...) keep(bpf_map__fd(skel->maps.map), &kept.map) ||
#define LIBBPF_KEEP_ITER(prog) keep(bpf_program__fd(skel->progs.prog), &kept.prog) ||
#define LIBBPF_KEEP_LINK(prog, pin) keep(bpf_link__fd(skel->links.prog), &kept.links.prog) ||

static void cleanup_lskelp(struct recorder_lskel **skel)
{
	recorder_lskel__destroy(*skel);
}

static void cleanup_skelp(struct recorder_bpf **skel)
{
	recorder_bpf__destroy(*skel);
}

#define cleanup_lskel __attribute__((cleanup(cleanup_lskelp)))
#define cleanup_skel __attribute__((cleanup(cleanup_skelp)))

/* --- the light skeleton --------------------------------------------------------------------- */

static int load_light(const struct recorder_config *cfg, struct recorder_objects *out,
		      struct error *err)
{
	cleanup_lskel struct recorder_lskel *skel = recorder_lskel__open();
	cleanup_recorder_objects struct recorder_objects kept = RECORDER_OBJECTS_NONE;
	int ret;

	if (!skel)
		return error_set(err, ENOMEM, "opening the BPF program's light skeleton");
	SET_RODATA(skel->rodata, cfg);

	ret = recorder_lskel__load(skel);
	if (ret)
		return error_set(err, ret < 0 ? -ret : EINVAL,
				 "the kernel's BPF loader program failed to load the recorder");
	/* The iterator is attached per use; only the tracepoint programs are attached now. */
	if (RECORDER_LINKS(LIGHT_ATTACH) false)
		return error_set(err, errno, "attaching the BPF program to sys_enter failed");
	if (RECORDER_MAPS(LIGHT_KEEP_MAP) RECORDER_ITERS(LIGHT_KEEP_ITER)
		    RECORDER_LINKS(LIGHT_KEEP_LINK) false)
		return error_set(err, errno, "duplicating the BPF program's descriptors");
	*out = recorder_objects_take(&kept);
	return 0;
}

/* --- libbpf's skeleton ---------------------------------------------------------------------- */

/*
 * Why libbpf's load failed: the verifier's last lines when it refused a program (the whole log
 * is at debug level), else libbpf's last warning.
 */
static int explain_load_failure(int ret, struct error *err)
{
	char tail[ERROR_MSG_MAX / 2];
	int e = ret < 0 ? -ret : ret;

	if (bpf_log_tail(bpf_log_verifier(), BPF_LOG_TAIL_LINES, tail, sizeof(tail)))
		return error_set(err, 0,
				 "the kernel refused the BPF program: %s; the verifier's log ends: "
				 "%s (--log-level debug shows it whole)",
				 e == EPERM || e == EACCES ? "permission denied" : strerror(e),
				 tail);
	if (e == EPERM || e == EACCES)
		return error_set(err, 0,
				 "the kernel refused the BPF program: permission denied (%s)",
				 bpf_log_reason());
	return error_set(err, 0, "loading the BPF program failed: %s (%s)", strerror(e),
			 bpf_log_reason());
}

static int load_libbpf(const struct recorder_config *cfg, struct recorder_objects *out,
		       struct error *err)
{
	cleanup_skel struct recorder_bpf *skel = NULL;
	cleanup_recorder_objects struct recorder_objects kept = RECORDER_OBJECTS_NONE;
	int ret;

	bpf_log_reset();
	libbpf_set_print(bpf_log_libbpf_print);
	skel = recorder_bpf__open();
	if (!skel)
		return error_set(err, errno, "opening the BPF object failed");
	SET_RODATA(skel->rodata, cfg);

	ret = recorder_bpf__load(skel);
	if (ret)
		return explain_load_failure(ret, err);
	if (RECORDER_LINKS(LIBBPF_ATTACH) false)
		return error_set(err, errno, "attaching the BPF program to sys_enter failed (%s)",
				 bpf_log_reason());
	if (RECORDER_MAPS(LIBBPF_KEEP_MAP) RECORDER_ITERS(LIBBPF_KEEP_ITER)
		    RECORDER_LINKS(LIBBPF_KEEP_LINK) false)
		return error_set(err, errno, "duplicating the BPF program's descriptors");
	*out = recorder_objects_take(&kept);
	return 0;
}

/* The object and the kernel's BTF libbpf parsed for it were ~10 MiB: give them back. */
static int load_libbpf_trimmed(const struct recorder_config *cfg, struct recorder_objects *o,
			       struct error *err)
{
	int ret = load_libbpf(cfg, o, err);

	malloc_trim(0);
	return ret;
}

int bpf_loader_load(enum bpf_loader_kind kind, const struct recorder_config *cfg,
		    struct recorder_objects *o, struct error *err)
{
	*o = RECORDER_OBJECTS_NONE;
	if (kind == BPF_LOADER_LIBBPF)
		return load_libbpf_trimmed(cfg, o, err);
	if (load_light(cfg, o, err) == 0) {
		log_debug("BPF program loaded by the kernel's loader (light skeleton)");
		return 0;
	}
	if (kind == BPF_LOADER_LIGHT)
		return -1;
	log_debug("%s; loading it with libbpf instead", err->msg);
	return load_libbpf_trimmed(cfg, o, err);
}

unsigned long long bpf_loader_digest(const struct recorder_config *cfg)
{
	size_t size;
	const void *elf = recorder_bpf__elf_bytes(&size);

	return hash_fnv1a(hash_fnv1a(HASH_FNV1A_INIT, elf, size), cfg, sizeof(*cfg));
}
