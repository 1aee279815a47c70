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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "base/hash.h"
#include "trace/bpf_loader.h"
#include "base/log.h"
#include "recorder.lskel.h"
#include "recorder.skel.h"

#define LOADER_ENV "OCI_SECCOMP_RECORDER_LOADER"

void recorder_objects_init(struct recorder_objects *o)
{
	o->task_tags = o->recordings = o->counters = o->namespaces = o->tag_iter_prog = -1;
	o->arg_specs = o->arg_values = o->first_callers = -1;
	for (int i = 0; i < RECORDER_LINKS; i++)
		o->links[i] = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void recorder_objects_close(struct recorder_objects *o)
{
	close_fd(&o->task_tags);
	close_fd(&o->recordings);
	close_fd(&o->counters);
	close_fd(&o->namespaces);
	close_fd(&o->arg_specs);
	close_fd(&o->arg_values);
	close_fd(&o->first_callers);
	close_fd(&o->tag_iter_prog);
	for (int i = 0; i < RECORDER_LINKS; i++)
		close_fd(&o->links[i]);
}

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

/* The two skeletons name their read-only data alike: one assignment for both. */
#define SET_RODATA(rodata, cfg)                           \
	do {                                              \
		(rodata)->nr_execve = (cfg)->nr_execve;     \
		(rodata)->nr_execveat = (cfg)->nr_execveat; \
		(rodata)->nr_seccomp = (cfg)->nr_seccomp;   \
		(rodata)->nr_prctl = (cfg)->nr_prctl;       \
	} while (0)

/* Keep a copy of each descriptor the tracer needs; the skeleton's own are closed with it. */
static int keep(int fd, int *out)
{
	*out = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return *out < 0 ? -1 : 0;
}

/* --- the light skeleton --------------------------------------------------------------------- */

static int load_light(const struct recorder_config *cfg, struct recorder_objects *o,
		      struct error *err)
{
	struct recorder_lskel *skel = recorder_lskel__open();
	int ret, saved;

	if (!skel)
		return error_set(err, ENOMEM, "opening the BPF program's light skeleton");
	SET_RODATA(skel->rodata, cfg);

	ret = recorder_lskel__load(skel);
	if (ret) {
		recorder_lskel__destroy(skel);
		return error_set(err, ret < 0 ? -ret : EINVAL,
				 "the kernel's BPF loader program failed to load the recorder");
	}
	/* The iterator is attached per use; only the three tracepoint programs are attached now. */
	if (recorder_lskel__record_sys_enter__attach(skel) < 0 ||
	    recorder_lskel__record_fork__attach(skel) < 0 ||
	    recorder_lskel__record_exec__attach(skel) < 0) {
		saved = errno;
		recorder_lskel__destroy(skel);
		return error_set(err, saved, "attaching the BPF program to sys_enter failed");
	}
	ret = keep(skel->maps.task_tags.map_fd, &o->task_tags) ||
	      keep(skel->maps.recordings.map_fd, &o->recordings) ||
	      keep(skel->maps.counters.map_fd, &o->counters) ||
	      keep(skel->maps.namespaces.map_fd, &o->namespaces) ||
	      keep(skel->maps.arg_specs.map_fd, &o->arg_specs) ||
	      keep(skel->maps.arg_values.map_fd, &o->arg_values) ||
	      keep(skel->maps.first_callers.map_fd, &o->first_callers) ||
	      keep(skel->progs.tag_existing_tasks.prog_fd, &o->tag_iter_prog) ||
	      keep(skel->links.record_sys_enter_fd, &o->links[RECORDER_LINK_SYS_ENTER]) ||
	      keep(skel->links.record_fork_fd, &o->links[RECORDER_LINK_FORK]) ||
	      keep(skel->links.record_exec_fd, &o->links[RECORDER_LINK_EXEC]);
	saved = errno;
	recorder_lskel__destroy(skel);
	if (ret) {
		recorder_objects_close(o);
		return error_set(err, saved, "duplicating the BPF program's descriptors");
	}
	return 0;
}

/* --- libbpf's skeleton ---------------------------------------------------------------------- */

/* libbpf's last warning, kept to say why a load failed. */
static char libbpf_reason[512];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	size_t len;

	vsnprintf(line, sizeof(line), fmt, ap);
	len = strlen(line);
	while (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (level == LIBBPF_WARN && len)
		snprintf(libbpf_reason, sizeof(libbpf_reason), "%s", line);
	/* libbpf's debug level narrates every relocation: only warnings and notes are kept. */
	if (level != LIBBPF_DEBUG)
		log_debug("%s", line);
	return 0;
}

static const char *reason(void)
{
	return libbpf_reason[0] ? libbpf_reason : "no reason given";
}

static int explain_load_failure(int ret, struct error *err)
{
	int e = ret < 0 ? -ret : ret;

	if (e == EPERM || e == EACCES)
		return error_set(err, 0, "the kernel refused the BPF program: permission denied (%s)",
				 reason());
	return error_set(err, 0, "loading the BPF program failed: %s (%s)", strerror(e), reason());
}

static int load_libbpf(const struct recorder_config *cfg, struct recorder_objects *o,
		       struct error *err)
{
	struct recorder_bpf *skel;
	int ret, saved;

	libbpf_reason[0] = '\0';
	libbpf_set_print(libbpf_print);
	skel = recorder_bpf__open();
	if (!skel)
		return error_set(err, errno, "opening the BPF object failed");
	SET_RODATA(skel->rodata, cfg);

	ret = recorder_bpf__load(skel);
	if (ret) {
		recorder_bpf__destroy(skel);
		return explain_load_failure(ret, err);
	}
	skel->links.record_sys_enter = bpf_program__attach(skel->progs.record_sys_enter);
	skel->links.record_fork = bpf_program__attach(skel->progs.record_fork);
	skel->links.record_exec = bpf_program__attach(skel->progs.record_exec);
	if (!skel->links.record_sys_enter || !skel->links.record_fork ||
	    !skel->links.record_exec) {
		saved = errno;
		recorder_bpf__destroy(skel);
		return error_set(err, saved, "attaching the BPF program to sys_enter failed (%s)",
				 reason());
	}
	ret = keep(bpf_map__fd(skel->maps.task_tags), &o->task_tags) ||
	      keep(bpf_map__fd(skel->maps.recordings), &o->recordings) ||
	      keep(bpf_map__fd(skel->maps.counters), &o->counters) ||
	      keep(bpf_map__fd(skel->maps.namespaces), &o->namespaces) ||
	      keep(bpf_map__fd(skel->maps.arg_specs), &o->arg_specs) ||
	      keep(bpf_map__fd(skel->maps.arg_values), &o->arg_values) ||
	      keep(bpf_map__fd(skel->maps.first_callers), &o->first_callers) ||
	      keep(bpf_program__fd(skel->progs.tag_existing_tasks), &o->tag_iter_prog) ||
	      keep(bpf_link__fd(skel->links.record_sys_enter), &o->links[RECORDER_LINK_SYS_ENTER]) ||
	      keep(bpf_link__fd(skel->links.record_fork), &o->links[RECORDER_LINK_FORK]) ||
	      keep(bpf_link__fd(skel->links.record_exec), &o->links[RECORDER_LINK_EXEC]);
	saved = errno;
	recorder_bpf__destroy(skel);
	/* The object and the kernel's BTF libbpf parsed for it were ~10 MiB: give them back. */
	malloc_trim(0);
	if (ret) {
		recorder_objects_close(o);
		return error_set(err, saved, "duplicating the BPF program's descriptors");
	}
	return 0;
}

int bpf_loader_load(enum bpf_loader_kind kind, const struct recorder_config *cfg,
		    struct recorder_objects *o, struct error *err)
{
	recorder_objects_init(o);
	if (kind == BPF_LOADER_LIBBPF)
		return load_libbpf(cfg, o, err);
	if (load_light(cfg, o, err) == 0) {
		log_debug("BPF program loaded by the kernel's loader (light skeleton)");
		return 0;
	}
	if (kind == BPF_LOADER_LIGHT)
		return -1;
	log_debug("%s; loading it with libbpf instead", err->msg);
	return load_libbpf(cfg, o, err);
}

unsigned long long bpf_loader_digest(const struct recorder_config *cfg)
{
	size_t size;
	const void *elf = recorder_bpf__elf_bytes(&size);

	return hash_fnv1a(hash_fnv1a(HASH_FNV1A_INIT, elf, size), cfg, sizeof(*cfg));
}
