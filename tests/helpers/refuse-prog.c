// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper, preloaded into the recorder: each BPF_PROG_LOAD of the program named
 * $REFUSE_PROG gets its first exit instruction replaced by a read above the stack
 * (r0 = *(u64 *)(r10 + 8)), so this kernel's own verifier refuses it, after walking the path
 * to that exit, with a log of some KiB. The recorder must say the verifier's reason.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#define EXIT_CODE (BPF_JMP | BPF_EXIT)

static void refuse(union bpf_attr *attr)
{
	const char *name = getenv("REFUSE_PROG");
	struct bpf_insn *insns;
	size_t n = attr->insn_cnt;

	if (!name || strncmp(attr->prog_name, name, sizeof(attr->prog_name) - 1) != 0)
		return;
	insns = malloc(n * sizeof(*insns)); /* kept: the load may be retried with it */
	if (!insns)
		return;
	memcpy(insns, (void *)(unsigned long)attr->insns, n * sizeof(*insns));
	for (size_t i = 0; i < n; i++) {
		if (insns[i].code != EXIT_CODE)
			continue;
		insns[i] = (struct bpf_insn){ .code = BPF_LDX | BPF_MEM | BPF_DW,
					      .dst_reg = BPF_REG_0,
					      .src_reg = BPF_REG_10,
					      .off = 8 };
		break;
	}
	attr->insns = (unsigned long)insns;
}

long syscall(long nr, ...)
{
	long (*real)(long, ...) = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_bpf && a[0] == BPF_PROG_LOAD)
		refuse((union bpf_attr *)a[1]);
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
