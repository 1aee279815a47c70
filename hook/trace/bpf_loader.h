/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Load and attach a fresh copy of the recorder's BPF program; what is kept of it is descriptors. */
#ifndef BPF_LOADER_H
#define BPF_LOADER_H

#include "base/error.h"

/* The native syscall numbers that start a recording (the program's read-only config). */
struct recorder_config {
	int nr_execve;
	int nr_execveat;
	int nr_seccomp;
	int nr_prctl;
};

enum recorder_link {
	RECORDER_LINK_SYS_ENTER,
	RECORDER_LINK_FORK,
	RECORDER_LINK_EXEC,
	RECORDER_LINKS,
};

/* Everything a tracer uses of a loaded program; -1 where absent. */
struct recorder_objects {
	int task_tags;
	int recordings;
	int counters;
	int namespaces;
	int arg_specs;  /* filled once, by the tracer that loads the program */
	int arg_values;
	int first_callers;	      /* the first caller of each call, for recordings that explain */
	int tag_iter_prog;	      /* the task iterator, attached per use */
	int links[RECORDER_LINKS]; /* the attached programs (absent when opened from pins) */
};

/* Which loader: the light skeleton (the kernel applies CO-RE), libbpf's, or the first that works. */
enum bpf_loader_kind { BPF_LOADER_AUTO, BPF_LOADER_LIGHT, BPF_LOADER_LIBBPF };

void recorder_objects_init(struct recorder_objects *o);
void recorder_objects_close(struct recorder_objects *o);

/* The loader named by OCI_SECCOMP_RECORDER_LOADER (light, libbpf; default auto). */
int bpf_loader_from_env(enum bpf_loader_kind *kind, struct error *err);

/* Load and attach the program with @cfg. On success @o holds new descriptors (close them). */
int bpf_loader_load(enum bpf_loader_kind kind, const struct recorder_config *cfg,
		    struct recorder_objects *o, struct error *err);

/* A digest of the program's object and @cfg: two tracers may share a program when equal. */
unsigned long long bpf_loader_digest(const struct recorder_config *cfg);

#endif /* BPF_LOADER_H */
