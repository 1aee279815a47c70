// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmark's floor: an empty program on the recorder's tracepoint. What a system call pays
 * with it attached is the price of any program there (the tracepoint's slow path, the call into
 * the program); the recorder's own share is what it costs on top.
 *
 * And the least a recorder must do for a task it records: find the task's tag. storage_sys_enter
 * does only that lookup in task local storage, so its run time next to the empty program's is
 * the price of telling a recorded task from another on this machine.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct;

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u32);
} tagged SEC(".maps");

SEC("tp_btf/sys_enter")
int empty_sys_enter(void *ctx)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int storage_sys_enter(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return bpf_task_storage_get(&tagged, task, 0, 0) ? 1 : 0;
}
