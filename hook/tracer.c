// SPDX-License-Identifier: GPL-2.0-or-later
/* The BPF lifecycle, read top to bottom: open, set rodata, load, attach, use, destroy. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpf_env.h"
#include "cleanup.h"
#include "log.h"
#include "recorder.skel.h"
#include "syscalls.h"
#include "tracer.h"


struct tracer {
	struct recorder_bpf *skel;
	uint32_t next_gen;
};

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

static int explain_load_failure(int ret, struct error *err)
{
	int e = ret < 0 ? -ret : ret;

	if (e == EPERM || e == EACCES)
		return error_set(err, 0, "the kernel refused the BPF program: permission denied (%s)",
				 libbpf_reason[0] ? libbpf_reason : "no reason given");
	return error_set(err, 0, "loading the BPF program failed: %s (%s)", strerror(e),
			 libbpf_reason[0] ? libbpf_reason : "no reason given");
}

static int native_nr(const char *name)
{
	return syscalls_native_number(name);
}

int tracer_open(struct tracer **out, struct error *err)
{
	cleanup_free struct tracer *t = calloc(1, sizeof(*t));
	int ret;

	if (!t)
		return error_set(err, ENOMEM, "tracer");
	if (bpf_env_check(err) < 0)
		return -1;
	libbpf_reason[0] = '\0';
	libbpf_set_print(libbpf_print);

	t->skel = recorder_bpf__open();
	if (!t->skel)
		return error_set(err, errno, "opening the BPF object failed");
	t->skel->rodata->nr_execve = native_nr("execve");
	t->skel->rodata->nr_execveat = native_nr("execveat");
	t->skel->rodata->nr_seccomp = native_nr("seccomp");
	t->skel->rodata->nr_prctl = native_nr("prctl");

	ret = recorder_bpf__load(t->skel);
	if (ret) {
		recorder_bpf__destroy(t->skel);
		return explain_load_failure(ret, err);
	}
	ret = recorder_bpf__attach(t->skel);
	if (ret) {
		recorder_bpf__destroy(t->skel);
		return error_set(err, -ret, "attaching the BPF program to sys_enter failed (%s)",
				 libbpf_reason[0] ? libbpf_reason : "no reason given");
	}
	t->next_gen = 1;
	*out = TAKE_PTR(t);
	return 0;
}

void tracer_close(struct tracer *t)
{
	if (!t)
		return;
	recorder_bpf__destroy(t->skel);
	free(t);
}

int tracer_recording_new(struct tracer *t, struct recording_handle *rec, struct error *err)
{
	int fd = bpf_map__fd(t->skel->maps.recordings);
	struct recording value;

	for (uint32_t slot = 0; slot < MAX_RECORDINGS; slot++) {
		if (bpf_map_lookup_elem(fd, &slot, &value) < 0)
			return error_set(err, errno, "read recording slot %u", slot);
		if (value.state != RECORDING_FREE)
			continue;
		memset(&value, 0, sizeof(value));
		value.gen = t->next_gen++;
		value.state = RECORDING_ARMED;
		if (bpf_map_update_elem(fd, &slot, &value, BPF_ANY) < 0)
			return error_set(err, errno, "reserve recording slot %u", slot);
		rec->slot = slot;
		rec->gen = value.gen;
		return 0;
	}
	return error_set(err, 0, "all %d recording slots are in use", MAX_RECORDINGS);
}

int tracer_tag_process(struct tracer *t, const struct recording_handle *rec, int pidfd,
		       struct error *err)
{
	struct task_tag tag = { .slot = rec->slot, .gen = rec->gen };

	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.task_tags), &pidfd, &tag, BPF_ANY) < 0)
		return error_set(err, errno, "tag the process to record");
	return 0;
}

static int register_ns(struct tracer *t, uint32_t kind, uint32_t inum, const struct task_tag *tag,
		       struct error *err)
{
	struct ns_key key = { .kind = kind, .inum = inum };

	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.namespaces), &key, tag, BPF_NOEXIST) < 0)
		return error_set(err, errno == EEXIST ? 0 : errno,
				 errno == EEXIST ? "%s namespace %u is already being recorded" :
						   "register %s namespace %u",
				 kind == NS_KIND_PID ? "pid" : "mount", inum);
	return 0;
}

/* Tag the tasks already inside the registered namespaces (threads included). */
static int run_tag_iterator(struct tracer *t, struct error *err)
{
	struct bpf_link *link = bpf_program__attach_iter(t->skel->progs.tag_existing_tasks, NULL);
	cleanup_close int iter_fd = -1;
	char buf[64];
	ssize_t n;

	if (!link)
		return error_set(err, errno, "attach the task iterator (%s)",
				 libbpf_reason[0] ? libbpf_reason : "no reason given");
	iter_fd = bpf_iter_create(bpf_link__fd(link));
	if (iter_fd < 0) {
		int saved = errno;

		bpf_link__destroy(link);
		return error_set(err, saved, "create the task iterator");
	}
	while ((n = read(iter_fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
	bpf_link__destroy(link);
	if (n < 0)
		return error_set(err, errno, "run the task iterator");
	return 0;
}

int tracer_tag_namespaces(struct tracer *t, const struct recording_handle *rec,
			  uint32_t pid_ns, uint32_t mnt_ns, struct error *err)
{
	struct task_tag tag = { .slot = rec->slot, .gen = rec->gen };

	if (pid_ns && register_ns(t, NS_KIND_PID, pid_ns, &tag, err) < 0)
		return -1;
	if (mnt_ns && register_ns(t, NS_KIND_MNT, mnt_ns, &tag, err) < 0)
		return -1;
	return run_tag_iterator(t, err);
}

int tracer_collect(struct tracer *t, const struct recording_handle *rec, struct syscall_set *set,
		   struct error *err)
{
	int ncpus = libbpf_num_possible_cpus();
	cleanup_free struct recording_counters *per_cpu = NULL;
	struct recording value;
	uint32_t slot = rec->slot;

	if (ncpus <= 0)
		return error_set(err, -ncpus, "count the possible CPUs");
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.recordings), &slot, &value) < 0)
		return error_set(err, errno, "read recording slot %u", slot);
	if (value.gen != rec->gen)
		return error_set(err, 0, "recording slot %u was taken over (generation %u, not %u)",
				 slot, value.gen, rec->gen);
	memset(set, 0, sizeof(*set));
	memcpy(set->bits, value.bits, sizeof(set->bits));
	set->started_by = value.state == RECORDING_STARTED ? value.started_by : 0;

	per_cpu = calloc((size_t)ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return error_set(err, ENOMEM, "read counters");
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.counters), &slot, per_cpu) < 0)
		return error_set(err, errno, "read the counters of recording slot %u", slot);
	for (int cpu = 0; cpu < ncpus; cpu++) {
		set->calls += per_cpu[cpu].calls;
		set->unrecordable += per_cpu[cpu].unrecordable;
	}
	return 0;
}

void tracer_recording_end(struct tracer *t, const struct recording_handle *rec)
{
	int ns_fd = bpf_map__fd(t->skel->maps.namespaces);
	struct ns_key keys[MAX_NAMESPACES], key, *prev = NULL;
	struct recording value = { 0 };
	uint32_t slot = rec->slot;
	struct task_tag tag;
	size_t n = 0;

	/* Collect this recording's keys first: deleting while walking would restart the walk. */
	while (n < MAX_NAMESPACES && bpf_map_get_next_key(ns_fd, prev, &key) == 0) {
		if (bpf_map_lookup_elem(ns_fd, &key, &tag) == 0 && tag.slot == rec->slot &&
		    tag.gen == rec->gen)
			keys[n++] = key;
		prev = &key;
	}
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(ns_fd, &keys[i]);
	/* Freeing the slot makes every task tag of this generation stale. */
	bpf_map_update_elem(bpf_map__fd(t->skel->maps.recordings), &slot, &value, BPF_ANY);
}
