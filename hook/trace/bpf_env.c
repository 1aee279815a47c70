// SPDX-License-Identifier: GPL-2.0-or-later
/* The reasons a BPF load cannot work here, each checked and named before trying. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/membarrier.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "trace/bpf_env.h"
#include "base/cleanup.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define LOCKDOWN_FILE "/sys/kernel/security/lockdown"
/* The inode of the initial user namespace (PROC_USER_INIT_INO, fixed in the kernel). */
#define INIT_USER_NS_INO 0xEFFFFFFDU

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool has_capability(const struct __user_cap_data_struct *data, int cap)
{
	return data[cap / 32].effective & (1U << (cap % 32));
}

static bool lockdown_confidentiality(void)
{
	char buf[256] = "";
	cleanup_file FILE *f = fopen(LOCKDOWN_FILE, "re");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	return strstr(buf, "[confidentiality]") != NULL;
}

int bpf_env_check(struct error *err)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };
	struct stat st;

	if (access(VMLINUX_BTF, R_OK) < 0)
		return error_set(err, 0,
				 "this kernel exposes no BTF (%s is missing): the recorder needs a "
				 "kernel built with CONFIG_DEBUG_INFO_BTF=y",
				 VMLINUX_BTF);
	if (stat("/proc/self/ns/user", &st) == 0 && st.st_ino != INIT_USER_NS_INO)
		return error_set(
			err, 0,
			"running in a user namespace (rootless podman?): BPF programs need "
			"root on the host; record with rootful podman");
	if (syscall(SYS_capget, &header, data) < 0)
		return error_set(err, errno, "read this process's capabilities");
	if (!has_capability(data, CAP_SYS_ADMIN) &&
	    !(has_capability(data, CAP_BPF) && has_capability(data, CAP_PERFMON)))
		return error_set(err, 0,
				 "loading the BPF program needs root (CAP_BPF and CAP_PERFMON, or "
				 "CAP_SYS_ADMIN); running as uid %u without them",
				 (unsigned)geteuid());
	if (lockdown_confidentiality())
		return error_set(err, 0,
				 "the kernel is locked down (lockdown=confidentiality): it refuses "
				 "BPF programs that read kernel memory");
	return 0;
}

void bpf_wait_running_programs(void)
{
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) < 0)
		usleep(10000);
}
