// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel half: sets one bit per (ABI, syscall number) for every task that belongs to a
 * recording. A task belongs to a recording when it carries a task_tag in task local storage:
 * user space tags the first task (pidfd) or registers a container's namespaces; forks inherit
 * the tag, and a task that execs inside a registered namespace is tagged then.
 *
 * A tagged task's calls are recorded from its own start on: its execve, or the seccomp filter
 * it installs (the runtime's last step before the workload), whichever comes first. Its forks
 * inherit the start. Other threads of the runtime's init (Go's, tagged at registration) install
 * no filter, die at the execve, and are never recorded: they are not the workload.
 *
 * The tag is the rule; DESIGN_NAMESPACE (measured against the default in tests/bench, see
 * README) finds most calls of a container without looking it up, which costs more than the
 * rest of the recording here. When a tagged task's
 * start is a filter it installs without TSYNC, that filter is kept as its recording's
 * fast_filter: only the task and the forks it makes from then on can ever hold it, and all of
 * them are tagged and started. So a task in a registered mount namespace whose filter is its
 * recording's fast_filter is recorded on three fields of its own (its storage, namespace and
 * filter) and one bucket of the registry. Everything else takes the tag's path: host tasks
 * without any task storage leave at its first field, and runtime threads, `podman exec`
 * sessions until their execve, containers without a filter and tasks that left their
 * namespace are decided by their tag as under DESIGN_STORAGE.
 */
#include "kernel_types.h"
#include <linux/seccomp.h>
#include <linux/prctl.h>
#include <linux/mman.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "recorder.h"

char LICENSE[] SEC("license") = "GPL";

/* Native syscall numbers that start a recording, resolved by user space with libseccomp. */
const volatile int nr_execve = -1;
const volatile int nr_execveat = -1;
const volatile int nr_seccomp = -1;
const volatile int nr_prctl = -1;
const volatile int nr_mmap = -1;
/* enum recorder_design: the verifier drops the other one's branches. */
const volatile __u32 design = DESIGN_STORAGE;
/*
 * The ABIs this kernel runs, one bit per enum recorder_abi (x32 needs CONFIG_X86_X32_ABI):
 * a call of another is answered ENOSYS by the kernel, and recorded nowhere.
 */
const volatile __u32 running_abis = 1U << ABI_NATIVE;
/* The calls whose first caller may be kept: those libseccomp names, on a running ABI. */
const volatile __u64 caller_calls[ABI_COUNT][SYSCALL_WORDS] = {};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_tag);
} task_tags SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_RECORDINGS);
	__type(key, __u32);
	__type(value, struct recording);
} recordings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_RECORDINGS);
	__type(key, __u32);
	__type(value, struct recording_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ABI_COUNT *MAX_SYSCALL_NR);
	__type(key, __u32);
	__type(value, struct arg_spec);
} arg_specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_RECORDINGS);
	__type(key, __u32);
	__type(value, struct recording_args);
} arg_values SEC(".maps");

/* Preallocated: a tracing program may not allocate map elements on every kernel it loads on. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FIRST_CALLERS);
	__type(key, struct caller_key);
	__type(value, struct first_caller);
} first_callers SEC(".maps");

/* Where a first caller is put together: too large for the program's stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct first_caller);
} caller_scratch SEC(".maps");

/* Hints: the files each recording's tasks mapped executable (preallocated, as first_callers). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_MAPPED_FILES);
	__type(key, struct mapped_key);
	__type(value, struct mapped_file);
} mapped_files SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mapped_file);
} mapped_scratch SEC(".maps");

/* Written by user space only (tracer.c), under the tracers' setup lock. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NS_BUCKETS);
	__type(key, __u32);
	__type(value, struct ns_bucket);
} namespaces SEC(".maps");

#if defined(__TARGET_ARCH_x86)
#define TS_COMPAT 0x0002 /* thread_info.status: an i386 syscall is active */
static __always_inline unsigned long syscall_arg0(struct pt_regs *regs)
{
	return regs->di;
}
static __always_inline unsigned long syscall_arg1(struct pt_regs *regs)
{
	return regs->si;
}
/* Argument @index of the call, by the ABI's calling convention. */
static __always_inline __u64 syscall_arg(struct pt_regs *regs, __u32 abi, __u32 index)
{
	if (abi == ABI_COMPAT) {
		switch (index) {
		case 0:
			return (__u32)regs->bx;
		case 1:
			return (__u32)regs->cx;
		case 2:
			return (__u32)regs->dx;
		case 3:
			return (__u32)regs->si;
		case 4:
			return (__u32)regs->di;
		default:
			return (__u32)regs->bp;
		}
	}
	switch (index) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	case 2:
		return regs->dx;
	case 3:
		return regs->r10;
	case 4:
		return regs->r8;
	default:
		return regs->r9;
	}
}
static __always_inline __u32 syscall_abi(struct pt_regs *regs, struct task_struct *task, long *nr)
{
	if (*nr & X32_SYSCALL_BIT) {
		*nr &= ~(long)X32_SYSCALL_BIT;
		return ABI_X32;
	}
	if (task->thread_info.status & TS_COMPAT)
		return ABI_COMPAT;
	return ABI_NATIVE;
}
#elif defined(__TARGET_ARCH_arm64)
/* pstate of a task in AArch32 state (arch/arm64/include/uapi/asm/ptrace.h): its compat calls. */
#define PSR_MODE32_BIT 0x10
static __always_inline unsigned long syscall_arg0(struct pt_regs *regs)
{
	return regs->orig_x0;
}
static __always_inline unsigned long syscall_arg1(struct pt_regs *regs)
{
	return regs->regs[1];
}
/*
 * Argument @index of the call: x0 (kept in orig_x0, as x0 becomes the return value) to x5;
 * AArch32 tasks keep r0 to r5 in the same registers. One constant offset per argument: the
 * verifier refuses a variable offset into pt_regs (regs->regs[index]).
 */
static __always_inline __u64 syscall_arg(struct pt_regs *regs, __u32 abi, __u32 index)
{
	__u64 value;

	switch (index) {
	case 0:
		value = regs->orig_x0;
		break;
	case 1:
		value = regs->regs[1];
		break;
	case 2:
		value = regs->regs[2];
		break;
	case 3:
		value = regs->regs[3];
		break;
	case 4:
		value = regs->regs[4];
		break;
	default:
		value = regs->regs[5];
		break;
	}
	return abi == ABI_COMPAT ? (__u32)value : value;
}
/* arm64 has one native ABI; an AArch32 task (the kernel's COMPAT) makes arm's EABI calls. */
static __always_inline __u32 syscall_abi(struct pt_regs *regs, struct task_struct *task, long *nr)
{
	if (regs->pstate & PSR_MODE32_BIT)
		return ABI_COMPAT;
	return ABI_NATIVE;
}
#endif

/* The workload begins with its execve, or with the runtime installing the container's filter. */
enum start_kind { NOT_A_START, START_AT_THIS_CALL, START_AFTER_THIS_CALL };

static __always_inline enum start_kind start_kind(struct pt_regs *regs, long nr, __u32 abi)
{
	if (abi != ABI_NATIVE)
		return NOT_A_START;
	if (nr == nr_execve || nr == nr_execveat)
		return START_AT_THIS_CALL;
	if (nr == nr_seccomp && syscall_arg0(regs) == SECCOMP_SET_MODE_FILTER)
		return START_AFTER_THIS_CALL;
	if (nr == nr_prctl && syscall_arg0(regs) == PR_SET_SECCOMP &&
	    syscall_arg1(regs) == SECCOMP_MODE_FILTER)
		return START_AFTER_THIS_CALL;
	return NOT_A_START;
}

/* A filter installed for every thread of the process: threads that never started hold it too. */
static __always_inline int start_syncs_threads(struct pt_regs *regs, long nr)
{
	return nr == nr_seccomp && (syscall_arg1(regs) & SECCOMP_FILTER_FLAG_TSYNC);
}

/* The live cell of namespace @inum of @kind in @bucket: its slot and generation in @cell. */
static __always_inline struct recording *bucket_find(struct ns_bucket *bucket, __u32 kind,
						     __u32 inum, struct ns_cell *cell)
{
	struct recording *rec;
	__u32 i, slot, gen;

	for (i = 0; i < NS_BUCKET_CELLS; i++) {
		if (bucket->cells[i].inum != inum || bucket->cells[i].kind != kind)
			continue;
		slot = bucket->cells[i].slot;
		gen = bucket->cells[i].gen;
		rec = bpf_map_lookup_elem(&recordings, &slot);
		if (rec && rec->gen == gen) {
			cell->slot = slot;
			cell->gen = gen;
			return rec;
		}
	}
	return NULL;
}

/* What bpf_loop's probe past a full home bucket looks for, and what it found. */
struct ns_probe {
	__u32 home, kind, inum, probe;
	struct ns_cell found; /* slot and generation; found.inum != 0 once found */
};

/*
 * Bucket @d past the home: one call of bpf_loop. A loop the verifier would unroll
 * NS_MAX_PROBE times made the program take ~170 ms to load; bpf_loop's callback is verified once.
 */
static long ns_probe_bucket(__u32 d, void *data)
{
	struct ns_probe *p = data;
	struct ns_bucket *bucket;
	struct ns_cell cell = {};
	__u32 b;

	if (d > p->probe)
		return 1;
	b = (p->home + d) & (NS_BUCKETS - 1);
	bucket = bpf_map_lookup_elem(&namespaces, &b);
	if (!bucket)
		return 1;
	if (!bucket_find(bucket, p->kind, p->inum, &cell))
		return 0;
	p->found.slot = cell.slot;
	p->found.gen = cell.gen;
	p->found.inum = p->inum;
	return 1;
}

/* The live recording that registered namespace @inum of @kind, its slot and generation in @cell. */
static __always_inline struct recording *registered_ns(__u32 kind, __u32 inum, struct ns_cell *cell)
{
	struct ns_probe p = { .home = ns_bucket_of(inum), .kind = kind, .inum = inum };
	struct ns_bucket *bucket;
	struct recording *rec;
	__u32 slot;

	/* Defined on every path: clang may read a cell left undefined from any register. */
	cell->slot = 0;
	cell->gen = 0;
	bucket = bpf_map_lookup_elem(&namespaces, &p.home);
	if (!bucket || !inum)
		return NULL;
	rec = bucket_find(bucket, kind, inum, cell);
	/* Past its home only when a bucket there filled up: see NS_MAX_PROBE. */
	p.probe = bucket->cells[0].probe;
	if (rec || !p.probe)
		return rec;
	bpf_loop(NS_MAX_PROBE + 1, ns_probe_bucket, &p, 0);
	if (!p.found.inum)
		return NULL;
	slot = p.found.slot;
	rec = bpf_map_lookup_elem(&recordings, &slot);
	if (!rec || rec->gen != p.found.gen)
		return NULL;
	cell->slot = slot;
	cell->gen = p.found.gen;
	return rec;
}

/* Keep the flag-like argument of a call in arg_specs, once per distinct value (bounded). */
static __always_inline void record_arg(struct pt_regs *regs, __u32 slot, __u32 abi, long nr)
{
	__u32 key = abi * MAX_SYSCALL_NR + (__u32)nr, id, i, n;
	struct recording_args *ra;
	struct arg_spec *spec;
	struct arg_set *set;
	__u64 value;

	spec = bpf_map_lookup_elem(&arg_specs, &key);
	if (!spec || !spec->id_plus_one)
		return;
	id = spec->id_plus_one - 1;
	ra = bpf_map_lookup_elem(&arg_values, &slot);
	if (!ra || id >= ARG_SPECS || abi >= ABI_COUNT)
		return;
	set = &ra->sets[abi][id];
	n = set->n;
	if (n > MAX_ARG_VALUES)
		return; /* too many values already: the call goes by name */
	value = syscall_arg(regs, abi, spec->index) & spec->mask;
	for (i = 0; i < MAX_ARG_VALUES && i < n; i++)
		if (((set->written >> i) & 1) && set->values[i] == value)
			return;
	i = __sync_fetch_and_add(&set->n, 1);
	if (i < MAX_ARG_VALUES) {
		set->values[i] = value;
		__sync_fetch_and_or(&set->written, 1ULL << i);
	}
}

static __always_inline struct upid *task_upid(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);

	/* numbers[] grows with the pid's depth; the task's own namespace is the deepest one. */
	return (void *)&pid->numbers[0] + (__u64)(level & 31) * bpf_core_type_size(struct upid);
}

/*
 * The path of @d on @vmnt as @task sees it (from its root, crossing mounts), component by
 * component from the file up: @max components of @len bytes each at @parts (@max a power of
 * two), their count in @n. Returns enum caller_flags.
 */
static __always_inline __u32 path_parts(struct task_struct *task, struct dentry *d,
					struct vfsmount *vmnt, char *parts, __u32 len, __u32 max,
					__u32 *n)
{
	__u64 mnt_offset = bpf_core_field_offset(struct mount, mnt);
	struct dentry *root_d = BPF_CORE_READ(task, fs, root.dentry);
	struct vfsmount *root_mnt = BPF_CORE_READ(task, fs, root.mnt);
	struct mount *mnt = (void *)vmnt - mnt_offset, *parent;
	__u32 flags = CALLER_EXE_TRUNCATED; /* cleared when the walk reaches the root */
	struct dentry *mnt_root;
	__u32 i;
	long got;

	*n = 0;
	/* Steps: components plus mounts crossed on the way to the task's root. */
	for (i = 0; i < max + 4; i++) {
		if (d == root_d && vmnt == root_mnt)
			return flags & ~CALLER_EXE_TRUNCATED;
		mnt_root = BPF_CORE_READ(vmnt, mnt_root);
		if (d == mnt_root) {
			/* The top of this mount: go on from where it is mounted. */
			parent = BPF_CORE_READ(mnt, mnt_parent);
			if (parent == mnt) {
				flags &= ~CALLER_EXE_TRUNCATED;
				/* A file of no mounted file system (runc's memfd copy) */
				if (*n == 0) {
					flags |= CALLER_EXE_ANON;
					bpf_probe_read_kernel_str(parts, len,
								  BPF_CORE_READ(d, d_name.name));
					*n = 1;
				}
				return flags;
			}
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = parent;
			vmnt = (void *)parent + mnt_offset;
			continue;
		}
		if (*n >= max)
			break;
		got = bpf_probe_read_kernel_str(parts + (*n & (max - 1)) * len, len,
						BPF_CORE_READ(d, d_name.name));
		if (got == len)
			flags |= CALLER_PART_TRUNCATED;
		(*n)++;
		d = BPF_CORE_READ(d, d_parent);
	}
	return flags;
}

/*
 * Keep who made a call first: the thread, its name, and its executable's path as the task
 * sees it.
 */
static __always_inline void record_first_caller(struct task_struct *task, struct recording *rec,
						__u32 slot, __u32 gen, __u32 abi, long nr)
{
	struct caller_key key = { .slot = slot, .gen = gen, .abi = abi, .nr = (__u32)nr };
	struct first_caller *c;
	struct file *exe;
	__u32 zero = 0;

	/* A recording's share of the host's table: the others' first callers stay kept. */
	if (__sync_fetch_and_add(&rec->callers, 1) >= MAX_CALLERS_PER_RECORDING)
		return;
	c = bpf_map_lookup_elem(&caller_scratch, &zero);
	if (!c)
		return;
	c->pid = task->pid;
	c->ns_pid = BPF_CORE_READ(task_upid(task), nr);
	c->parts = 0;
	c->flags = 0;
	bpf_get_current_comm(c->comm, sizeof(c->comm));
	exe = BPF_CORE_READ(task, mm, exe_file);
	if (!exe) {
		c->flags = CALLER_NO_EXE;
		bpf_map_update_elem(&first_callers, &key, c, BPF_NOEXIST);
		return;
	}
	c->flags = path_parts(task, BPF_CORE_READ(exe, f_path.dentry),
			      BPF_CORE_READ(exe, f_path.mnt), (char *)c->exe, CALLER_PART_LEN,
			      CALLER_EXE_PARTS, &c->parts);
	bpf_map_update_elem(&first_callers, &key, c, BPF_NOEXIST);
}

/* Keep @file, mapped executable by @task, once per recording (hints read it at the end). */
static __always_inline void record_mapped(struct task_struct *task, struct recording *rec,
					  __u32 slot, __u32 gen, struct file *file)
{
	struct mapped_key key = { .slot = slot, .gen = gen };
	struct mapped_file *m;
	__u32 zero = 0;

	if (!file)
		return;
	key.inode = (__u64)BPF_CORE_READ(file, f_inode);
	if (bpf_map_lookup_elem(&mapped_files, &key))
		return;
	if (__sync_fetch_and_add(&rec->mapped, 1) >= MAX_MAPPED_PER_RECORDING)
		return;
	m = bpf_map_lookup_elem(&mapped_scratch, &zero);
	if (!m)
		return;
	m->flags = path_parts(task, BPF_CORE_READ(file, f_path.dentry),
			      BPF_CORE_READ(file, f_path.mnt), (char *)m->path, MAPPED_PART_LEN,
			      MAPPED_PATH_PARTS, &m->parts);
	bpf_map_update_elem(&mapped_files, &key, m, BPF_NOEXIST);
}

/* mmap(addr, len, prot, flags, fd, off) of a file with PROT_EXEC: its file, from the fd table. */
static __always_inline void record_mmap(struct pt_regs *regs, struct task_struct *task,
					struct recording *rec, __u32 slot, __u32 gen)
{
	int fd = (int)syscall_arg(regs, ABI_NATIVE, 4);
	struct file *file = NULL, **fds;
	struct fdtable *fdt;

	if (!(syscall_arg(regs, ABI_NATIVE, 2) & PROT_EXEC) ||
	    (syscall_arg(regs, ABI_NATIVE, 3) & MAP_ANONYMOUS) || fd < 0)
		return;
	fdt = BPF_CORE_READ(task, files, fdt);
	if ((unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	record_mapped(task, rec, slot, gen, file);
}

/* Record call @nr of @abi in @rec (slot @slot, generation @gen). */
static __always_inline int record_call(struct pt_regs *regs, struct task_struct *task,
				       struct recording *rec, __u32 slot, __u32 gen, __u32 abi,
				       long nr)
{
	struct recording_counters *count;
	__u64 *word, bit, w;

	count = bpf_map_lookup_elem(&counters, &slot);
	if (nr < 0 || nr >= MAX_SYSCALL_NR || abi >= ABI_COUNT) {
		if (count)
			count->unrecordable++;
		return 0;
	}
	w = ((__u64)nr / 64) & (SYSCALL_WORDS - 1);
	word = &rec->bits[abi][w];
	bit = 1ULL << ((__u64)nr % 64);
	/* A warm recording only reads: the first sighting of a call sets its bit. */
	if (!(*word & bit)) {
		/* Never set for an ABI the kernel lacks: its calls always come this way. */
		if (!((running_abis >> abi) & 1)) {
			if (count)
				count->foreign_abi++;
			return 0;
		}
		if (!(__sync_fetch_and_or(word, bit) & bit) && rec->explain &&
		    (caller_calls[abi][w] & bit))
			record_first_caller(task, rec, slot, gen, abi, nr);
	}
	if (count)
		count->calls++;
	if (rec->args)
		record_arg(regs, slot, abi, nr);
	/* Hints: only an mmap pays, and only in a recording with hints. */
	if (nr == nr_mmap && abi == ABI_NATIVE && rec->hints)
		record_mmap(regs, task, rec, slot, gen);
	return 0;
}

/*
 * The first call after a tagged task installed a filter as its start: if the install worked,
 * the new filter becomes its recording's fast_filter (the first one only: one per recording).
 */
static __always_inline void adopt_filter(struct task_struct *task, struct task_tag *tag,
					 struct recording *rec)
{
	__u64 filter = (__u64)task->seccomp.filter;

	tag->flags &= ~TAG_FILTER_PENDING;
	if (filter && filter != tag->filter_before)
		__sync_val_compare_and_swap(&rec->fast_filter, 0, filter);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(record_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct recording *rec;
	struct task_tag *tag;
	struct ns_cell cell;
	__u32 slot, abi;
	long nr = id;

	if (design == DESIGN_NAMESPACE) {
		/* No program stored anything on this task: it is in no recording (the host). */
		if (!task->bpf_storage)
			return 0;
		rec = registered_ns(NS_KIND_MNT, task->nsproxy->mnt_ns->ns.inum, &cell);
		if (rec && rec->fast_filter && rec->fast_filter == (__u64)task->seccomp.filter) {
			abi = syscall_abi(regs, task, &nr);
			return record_call(regs, task, rec, cell.slot, cell.gen, abi, nr);
		}
	}

	/* DESIGN_STORAGE: every syscall on the host pays for this lookup, NULL unless tagged. */
	tag = bpf_task_storage_get(&task_tags, task, 0, 0);
	if (!tag)
		return 0;
	slot = tag->slot;
	rec = bpf_map_lookup_elem(&recordings, &slot);
	if (!rec || rec->gen != tag->gen) {
		/* Its recording ended: the task stops paying for the lookups above. */
		bpf_task_storage_delete(&task_tags, task);
		return 0;
	}

	abi = syscall_abi(regs, task, &nr);
	if (!tag->started) {
		enum start_kind kind = start_kind(regs, nr, abi);

		if (kind == NOT_A_START)
			return 0;
		tag->started = 1;
		if (rec->state != RECORDING_STARTED) {
			rec->started_by = kind == START_AFTER_THIS_CALL ? STARTED_BY_FILTER :
									  STARTED_BY_EXEC;
			rec->state = RECORDING_STARTED;
		}
		if (kind == START_AFTER_THIS_CALL) {
			if (design == DESIGN_NAMESPACE && !start_syncs_threads(regs, nr)) {
				tag->filter_before = (__u64)task->seccomp.filter;
				tag->flags |= TAG_FILTER_PENDING;
			}
			return 0;
		}
	} else if (design == DESIGN_NAMESPACE && (tag->flags & TAG_FILTER_PENDING)) {
		adopt_filter(task, tag, rec);
	}
	return record_call(regs, task, rec, slot, tag->gen, abi, nr);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(record_fork, struct task_struct *parent, struct task_struct *child)
{
	struct task_tag *tag = bpf_task_storage_get(&task_tags, parent, 0, 0);

	if (tag)
		bpf_task_storage_get(&task_tags, child, tag, BPF_LOCAL_STORAGE_GET_F_CREATE);
	return 0;
}

static __always_inline unsigned int task_pid_ns_inum(struct task_struct *task)
{
	return BPF_CORE_READ(task_upid(task), ns, ns.inum);
}

/* A tag whose recording has ended (or whose slot was taken again) counts as no tag. */
static __always_inline int tag_is_live(const struct task_tag *tag)
{
	__u32 slot = tag->slot;
	struct recording *rec = bpf_map_lookup_elem(&recordings, &slot);

	return rec && rec->gen == tag->gen;
}

/*
 * Tag a task that lives in a registered mount or pid namespace; @started: see task_tag. The
 * mount namespace is checked first: containers that share a pid namespace keep their own. A
 * stale tag (left by an ended recording) is overwritten, never mistaken for a live one.
 */
static __always_inline void tag_if_in_registered_ns(struct task_struct *task, __u32 started)
{
	struct task_tag *tag, init = {};
	struct ns_cell cell;

	tag = bpf_task_storage_get(&task_tags, task, 0, 0);
	if (tag && tag_is_live(tag))
		return;
	if (!registered_ns(NS_KIND_MNT, BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum), &cell) &&
	    !registered_ns(NS_KIND_PID, task_pid_ns_inum(task), &cell))
		return;
	init.slot = cell.slot;
	init.gen = cell.gen;
	init.started = started;
	tag = bpf_task_storage_get(&task_tags, task, &init, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tag)
		return;
	tag->slot = cell.slot;
	tag->gen = cell.gen;
	tag->started = started;
	tag->flags = 0;
	tag->filter_before = 0;
}

/*
 * A process that enters a container (`podman exec`) arrives with setns and an execve: its start.
 * A started task whose execve succeeded is the workload: a runtime that installed the filter and
 * died before it leaves exec_done 0, and its recording is no profile (recording.c).
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(record_exec, struct task_struct *task, int old_pid, struct linux_binprm *bprm)
{
	struct recording *rec;
	struct task_tag *tag;
	__u32 slot;

	tag_if_in_registered_ns(task, 1);
	tag = bpf_task_storage_get(&task_tags, task, 0, 0);
	if (!tag || !tag->started)
		return 0;
	slot = tag->slot;
	rec = bpf_map_lookup_elem(&recordings, &slot);
	if (!rec || rec->gen != tag->gen)
		return 0;
	if (!rec->exec_done)
		rec->exec_done = 1;
	if (rec->hints)
		record_mapped(task, rec, slot, tag->gen, BPF_CORE_READ(bprm, file));
	return 0;
}

/* Run once by user space after registering namespaces: tags the tasks already inside. */
SEC("iter/task")
int tag_existing_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (task)
		tag_if_in_registered_ns(task, 0);
	return 0;
}
