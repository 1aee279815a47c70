/* SPDX-License-Identifier: GPL-2.0-or-later */
/* (ABI, syscall number) <-> name and libseccomp architectures, all through libseccomp. */
#ifndef SYSCALLS_H
#define SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "recorder.h"

/* libseccomp's architecture token for an ABI of this host, 0 when the host has no such ABI. */
uint32_t syscalls_abi_arch(enum recorder_abi abi);
/* The host's native architecture token (SCMP_ARCH_NATIVE resolved). */
uint32_t syscalls_native_arch(void);

/* "SCMP_ARCH_X86_64" for SCMP_ARCH_X86_64; NULL for an unknown token. */
const char *syscalls_arch_name(uint32_t arch);
/* The reverse; 0 for an unknown name. */
uint32_t syscalls_arch_from_name(const char *name);

/* Name of syscall @nr of @abi as libseccomp knows it (malloc'ed), NULL when it does not know it. */
char *syscalls_name(enum recorder_abi abi, int nr);
/* Number of @name on @abi as the recorder stores it (x32 bit clear), negative when unknown. */
int syscalls_number(enum recorder_abi abi, const char *name);
/* Number of @name on the host's native ABI, negative when libseccomp does not know it there. */
int syscalls_native_number(const char *name);
/* Whether @name is a real syscall of @arch (not unknown, not a libseccomp pseudo-call). */
bool syscalls_known_on(uint32_t arch, const char *name);
/* Whether @name is a real syscall of any architecture libseccomp supports. */
bool syscalls_known_anywhere(const char *name);

#endif /* SYSCALLS_H */
