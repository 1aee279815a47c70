/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Load and attach a fresh copy of the recorder's BPF program; what is kept of it is descriptors. */
#ifndef BPF_LOADER_H
#define BPF_LOADER_H

#include "trace/bpf_objects.h"
#include "base/error.h"
#include "recorder.h"

/* The program's read-only config: what starts a recording, what is recorded (recorder_config.h). */
struct recorder_config {
	int nr_execve;
	int nr_execveat;
	int nr_seccomp;
	int nr_prctl;
	int nr_mmap;		   /* hints keep the files mapped with PROT_EXEC */
	unsigned int design;	   /* the hot path: enum recorder_design (bpf/recorder.h) */
	unsigned int running_abis; /* one bit per enum recorder_abi the kernel runs */
	unsigned long long caller_calls[ABI_COUNT][SYSCALL_WORDS]; /* first callers kept */
};

/* Which loader: the light skeleton (the kernel applies CO-RE), libbpf's, or the first that works.
 */
enum bpf_loader_kind { BPF_LOADER_AUTO, BPF_LOADER_LIGHT, BPF_LOADER_LIBBPF };

/* The loader named by OCI_SECCOMP_RECORDER_LOADER (light, libbpf; default auto). */
int bpf_loader_from_env(enum bpf_loader_kind *kind, struct error *err);

/* Load and attach the program with @cfg. On success @o holds new descriptors (close them). */
int bpf_loader_load(enum bpf_loader_kind kind, const struct recorder_config *cfg,
		    struct recorder_objects *o, struct error *err);

/* The design named by OCI_SECCOMP_RECORDER_DESIGN (storage, namespace; default storage). */
int bpf_loader_design_from_env(unsigned int *design, struct error *err);

/* A digest of the program's object and @cfg: two tracers may share a program when equal. */
unsigned long long bpf_loader_digest(const struct recorder_config *cfg);

#endif /* BPF_LOADER_H */
