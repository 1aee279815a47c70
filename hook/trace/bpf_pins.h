/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the one shared program lives between tracers: a directory of pins in a BPF filesystem. */
#ifndef BPF_PINS_H
#define BPF_PINS_H

#include <limits.h>
#include <stdbool.h>
#include "trace/bpf_loader.h"
#include "base/error.h"

struct bpf_pins {
	char dir[PATH_MAX]; /* .../oci-seccomp-recorder-<digest>, one per program build */
};

/*
 * Choose the pin directory of the program with @digest: under /sys/fs/bpf when a BPF
 * filesystem is mounted there, else under @run_dir/bpffs, mounted there (mode 0700) if needed.
 */
int bpf_pins_locate(struct bpf_pins *pins, const char *run_dir, unsigned long long digest,
		    struct error *err);

/* Whether every object of the program is pinned (a crash while pinning leaves a part). */
bool bpf_pins_complete(const struct bpf_pins *pins);

/* Open the pinned maps and iterator program, checking each is what this build expects. */
int bpf_pins_open(const struct bpf_pins *pins, struct recorder_objects *o, struct error *err);

/* Pin the maps, the iterator program and the three links of a freshly loaded program. */
int bpf_pins_create(const struct bpf_pins *pins, const struct recorder_objects *o,
		    struct error *err);

/* Unpin everything: once the last descriptor closes too, the program is detached and freed. */
void bpf_pins_remove(const struct bpf_pins *pins);

#endif /* BPF_PINS_H */
