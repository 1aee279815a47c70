// SPDX-License-Identifier: GPL-2.0-or-later
/* Names and architectures come from libseccomp: there is no syscall table in this project. */
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include "profile/syscalls.h"

static const struct {
	uint32_t arch;
	const char *name;
} arch_names[] = {
	{ SCMP_ARCH_X86, "SCMP_ARCH_X86" },
	{ SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64" },
	{ SCMP_ARCH_X32, "SCMP_ARCH_X32" },
	{ SCMP_ARCH_ARM, "SCMP_ARCH_ARM" },
	{ SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64" },
	{ SCMP_ARCH_MIPS, "SCMP_ARCH_MIPS" },
	{ SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64" },
	{ SCMP_ARCH_MIPS64N32, "SCMP_ARCH_MIPS64N32" },
	{ SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL" },
	{ SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64" },
	{ SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32" },
	{ SCMP_ARCH_PPC, "SCMP_ARCH_PPC" },
	{ SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64" },
	{ SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE" },
	{ SCMP_ARCH_S390, "SCMP_ARCH_S390" },
	{ SCMP_ARCH_S390X, "SCMP_ARCH_S390X" },
	{ SCMP_ARCH_PARISC, "SCMP_ARCH_PARISC" },
	{ SCMP_ARCH_PARISC64, "SCMP_ARCH_PARISC64" },
	{ SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64" },
};

#define N_ARCHES (sizeof(arch_names) / sizeof(arch_names[0]))

uint32_t syscalls_native_arch(void)
{
	return seccomp_arch_native();
}

uint32_t syscalls_abi_arch(enum recorder_abi abi)
{
	uint32_t native = seccomp_arch_native();

	switch (abi) {
	case ABI_NATIVE:
		return native;
	case ABI_COMPAT:
		if (native == SCMP_ARCH_X86_64)
			return SCMP_ARCH_X86;
		if (native == SCMP_ARCH_AARCH64)
			return SCMP_ARCH_ARM;
		return 0;
	case ABI_X32:
		return native == SCMP_ARCH_X86_64 ? SCMP_ARCH_X32 : 0;
	default:
		return 0;
	}
}

const char *syscalls_arch_name(uint32_t arch)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (arch_names[i].arch == arch)
			return arch_names[i].name;
	return NULL;
}

uint32_t syscalls_arch_from_name(const char *name)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (strcmp(arch_names[i].name, name) == 0)
			return arch_names[i].arch;
	return 0;
}

char *syscalls_name(enum recorder_abi abi, int nr)
{
	uint32_t arch = syscalls_abi_arch(abi);

	if (!arch || nr < 0)
		return NULL;
	/* libseccomp numbers x32 calls with the x32 bit set, as the kernel sees them. */
	if (abi == ABI_X32)
		nr |= X32_SYSCALL_BIT;
	return seccomp_syscall_resolve_num_arch(arch, nr);
}

int syscalls_number(enum recorder_abi abi, const char *name)
{
	uint32_t arch = syscalls_abi_arch(abi);
	int nr;

	if (!arch)
		return -1;
	nr = seccomp_syscall_resolve_name_arch(arch, name);
	if (nr < 0)
		return -1;
	return abi == ABI_X32 ? nr & ~X32_SYSCALL_BIT : nr;
}

int syscalls_native_number(const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(seccomp_arch_native(), name);

	return nr == __NR_SCMP_ERROR ? -1 : nr;
}

bool syscalls_known_on(uint32_t arch, const char *name)
{
	/* Negative numbers are libseccomp's pseudo-syscalls: the call does not exist there. */
	return seccomp_syscall_resolve_name_arch(arch, name) >= 0;
}

bool syscalls_known_anywhere(const char *name)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (syscalls_known_on(arch_names[i].arch, name))
			return true;
	return false;
}
