/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The program's read-only config for this host: what only the kernel and libseccomp know. */
#ifndef RECORDER_CONFIG_H
#define RECORDER_CONFIG_H

#include <stdint.h>
#include "trace/bpf_loader.h"

/*
 * The ABIs this kernel runs, one bit per enum recorder_abi: each asked of the kernel itself,
 * by a child making a harmless call on it (getpid), since x32 needs CONFIG_X86_X32_ABI and
 * i386 IA32 emulation. An ABI the host's architecture does not have is never running.
 */
uint32_t recorder_running_abis(void);

/*
 * Fill @cfg but its design: the native numbers that start a recording, the ABIs this kernel
 * runs, and the calls whose first caller may be kept (those libseccomp names on them).
 */
void recorder_config_host(struct recorder_config *cfg);

#endif /* RECORDER_CONFIG_H */
