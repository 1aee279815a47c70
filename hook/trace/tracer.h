/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The BPF lifecycle: open, configure, load, attach, register tasks, collect, destroy. */
#ifndef TRACER_H
#define TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "base/error.h"
#include "profile/syscall_set.h"
#include "recording/recording.h"

struct tracer;

/* A recording inside a loaded tracer. */
struct recording_handle {
	uint32_t slot;
	uint32_t gen;
};

/* Check BTF and privileges, then load and attach the BPF program. */
int tracer_open(struct tracer **out, struct error *err);
void tracer_close(struct tracer *t);

/* Reserve a recording; it records nothing until a tagged task execs or installs a filter. */
int tracer_recording_new(struct tracer *t, const struct recording_options *opts,
			 struct recording_handle *rec, struct error *err);

/* Put the process behind @pidfd (and, through forks, its descendants) into @rec. */
int tracer_tag_process(struct tracer *t, const struct recording_handle *rec, int pidfd,
		       struct error *err);

/*
 * Put every task in the pid namespace @pid_ns or the mount namespace @mnt_ns (inode numbers;
 * 0 for none) into @rec: the tasks inside now, their forks, and tasks that exec inside later.
 */
int tracer_tag_namespaces(struct tracer *t, const struct recording_handle *rec, uint32_t pid_ns,
			  uint32_t mnt_ns, struct error *err);

/* Copy what @rec saw so far (release @set with syscall_set_release). */
int tracer_collect(struct tracer *t, const struct recording_handle *rec, struct syscall_set *set,
		   struct error *err);

/* Forget @rec: its namespace cells and its tasks' tags become stale. */
void tracer_recording_end(struct tracer *t, const struct recording_handle *rec);

static inline void cleanup_tracerp(struct tracer **t)
{
	tracer_close(*t);
}
#define cleanup_tracer __attribute__((cleanup(cleanup_tracerp)))

#endif /* TRACER_H */
