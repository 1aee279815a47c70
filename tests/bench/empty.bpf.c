// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmark's floor: an empty program on the recorder's tracepoint. What a system call pays
 * with it attached is the price of any program there (the tracepoint's slow path, the call into
 * the program); the recorder's own share is what it costs on top.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int empty_sys_enter(void *ctx)
{
	return 0;
}
