/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few kernel types the BPF program reads, instead of a generated vmlinux.h.
 * Each is marked preserve_access_index: libbpf relocates every field access against the
 * running kernel's BTF, so only the fields named here need to exist, at any offset.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <linux/types.h>
#include <linux/bpf.h>

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

/* x86's: status tells an i386 call (arm64 tells AArch32 tasks by pstate, in pt_regs). */
struct thread_info {
	__u32 status;
};

struct ns_common {
	unsigned int inum;
};

struct pid_namespace {
	struct ns_common ns;
};

struct mnt_namespace {
	struct ns_common ns;
};

struct nsproxy {
	struct mnt_namespace *mnt_ns;
};

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[1];
};

struct qstr {
	const unsigned char *name;
};

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
};

struct vfsmount {
	struct dentry *mnt_root;
};

/* fs/mount.h: what a vfsmount is embedded in, to climb from one mount to its parent. */
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct inode;

struct file {
	struct path f_path;
	struct inode *f_inode;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

struct mm_struct {
	struct file *exe_file;
};

struct fs_struct {
	struct path root;
};

struct seccomp_filter;
struct bpf_local_storage;

struct seccomp {
	int mode;
	struct seccomp_filter *filter;
};

struct task_struct {
	struct thread_info thread_info;
	int pid;
	int tgid;
	struct nsproxy *nsproxy;
	struct pid *thread_pid;
	struct mm_struct *mm;
	struct fs_struct *fs;
	struct files_struct *files;
	struct seccomp seccomp;
	struct bpf_local_storage *bpf_storage; /* NULL: no task storage of any program */
};

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long bp;
	unsigned long bx;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
};
#elif defined(__TARGET_ARCH_arm64)
/* The user registers at the call (user_pt_regs, in an anonymous union there), then orig_x0. */
struct pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
	__u64 orig_x0;
	__s32 syscallno;
};
#else
#error "oci-seccomp-recorder: BPF program written for x86 and arm64 only"
#endif

struct linux_binprm {
	struct file *file;
};

struct bpf_iter_meta {
	void *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
};

#pragma clang attribute pop

#endif /* KERNEL_TYPES_H */
