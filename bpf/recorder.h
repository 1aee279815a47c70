/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one header both halves include: ABI ids, map keys and values, limits. */
#ifndef RECORDER_H
#define RECORDER_H

/* Bits per ABI in a recording's bitmap: every syscall number below this is recorded exactly. */
#define MAX_SYSCALL_NR 1024
#define SYSCALL_WORDS (MAX_SYSCALL_NR / 64)

/* Concurrent recordings the one program on the host can serve. */
#define MAX_RECORDINGS 256

/*
 * The namespace registry: a container's namespace (its mount namespace, or its pid namespace when
 * it shares the host's mount namespace) is a cell in the bucket its inode number hashes to. One
 * bucket is one cache line, so the program finds a task's namespace, or learns it is none, in
 * one array read. A cell is live while its generation is its recording's: stale cells are
 * reused, never cleared. A namespace whose bucket is full goes to the next bucket with room
 * (linear probing), at most NS_MAX_PROBE further, and its home bucket's `probe` says how far the
 * program must look: 0, one read, unless a bucket of that home filled up. Each recording holds
 * at most two cells, so with MAX_RECORDINGS of them no NS_MAX_PROBE + 1 buckets in a row are
 * ever full: no registration is refused below the node's slot count.
 */
#define NS_BUCKET_BITS 10
#define NS_BUCKETS (1U << NS_BUCKET_BITS)
#define NS_BUCKET_CELLS 4
#define NS_CELLS_PER_RECORDING 2
#define NS_MAX_PROBE (MAX_RECORDINGS * NS_CELLS_PER_RECORDING / NS_BUCKET_CELLS - 1)

/* x86's x32 ABI marks its syscall numbers with this bit. */
#define X32_SYSCALL_BIT 0x40000000

enum recorder_abi {
	ABI_NATIVE = 0, /* x86_64 on x86, aarch64 on arm64 */
	ABI_COMPAT = 1, /* i386 on x86_64, arm (AArch32) on arm64 */
	ABI_X32 = 2,	/* x32 on x86_64 */
	ABI_COUNT = 3,
};

enum recording_state {
	RECORDING_FREE = 0,
	RECORDING_ARMED = 1,   /* tasks are tagged, calls are not recorded yet */
	RECORDING_STARTED = 2, /* the workload began: every call is recorded */
};

/* Which hot path the program takes (its read-only config; the benchmark runs both). */
enum recorder_design {
	DESIGN_STORAGE = 0, /* every call of a tagged task looks up its task_tag */
	DESIGN_NAMESPACE =
		1, /* the task's namespace and seccomp filter first: see recorder.bpf.c */
};

enum task_tag_flags {
	TAG_FILTER_PENDING = 1, /* the task installed a filter: its next call reads which */
};

/* Stored on each task that belongs to a recording (task local storage). */
struct task_tag {
	__u32 slot;	     /* index into the recordings map */
	__u32 gen;	     /* must equal recordings[slot].gen, or the tag is stale */
	__u32 started;	     /* this task's calls are recorded: see recorder.bpf.c */
	__u32 flags;	     /* enum task_tag_flags */
	__u64 filter_before; /* with TAG_FILTER_PENDING: the task's filter before it installed one
			      */
};

/* What started a recording. */
enum recording_start {
	STARTED_BY_EXEC = 1,   /* the workload's execve */
	STARTED_BY_FILTER = 2, /* a seccomp filter installed before it: runtime code runs after */
};

/* A recording: one per `record` run or traced container. */
struct recording {
	__u32 gen; /* bumped when the recording ends and when the slot is taken again */
	__u32 state;
	__u32 started_by;
	__u32 args;	 /* also keep the flag-like argument values of the calls in arg_specs */
	__u32 explain;	 /* also keep the first caller of each call (first_callers) */
	__u32 exec_done; /* a started task's execve succeeded: the workload ran (not only its
			  * runtime's last steps under the filter) */
	__u32 callers; /* first callers this recording tried to keep (MAX_CALLERS_PER_RECORDING) */
	__u32 hints;   /* also keep the files its tasks mapped executable (mapped_files) */
	__u32 mapped;  /* mapped files this recording tried to keep (MAX_MAPPED_PER_RECORDING) */
	__u32 pad;
	/* The seccomp filter the runtime installed as its start: whoever holds it is recorded. */
	__u64 fast_filter;
	__u64 bits[ABI_COUNT][SYSCALL_WORDS];
};

/*
 * Argument recording (opt-in per recording). The calls whose flag-like argument is kept; user
 * space fills arg_specs[abi * MAX_SYSCALL_NR + nr] with the argument and mask per ABI.
 */
enum arg_spec_id {
	ARG_SOCKET,	 /* domain */
	ARG_SOCKETPAIR,	 /* domain */
	ARG_PERSONALITY, /* persona */
	ARG_CLONE,	 /* flags & the CLONE_NEW* bits */
	ARG_PRCTL,	 /* option */
	ARG_IOCTL,	 /* request */
	ARG_MMAP,	 /* prot & PROT_EXEC (mmap, and mmap2 where it exists) */
	ARG_MPROTECT,	 /* prot & PROT_EXEC */
	ARG_SPECS,
};

/* Distinct values kept per call and ABI; one more and the call is allowed by name. */
#define MAX_ARG_VALUES 16

struct arg_spec {
	__u32 id_plus_one; /* enum arg_spec_id + 1; 0: nothing kept for this call */
	__u32 index;	   /* the argument, 0-5 */
	__u64 mask;	   /* what of it is kept */
};

/* The distinct values of one argument: lock-free, duplicates possible under a race. */
struct arg_set {
	__u32 n;       /* entries claimed; above MAX_ARG_VALUES: too many values */
	__u32 by_name; /* user space only: the call is allowed by name whatever was kept */
	__u64 written; /* bit i: values[i] holds its value */
	__u64 values[MAX_ARG_VALUES];
};

/* arg_values[slot] */
struct recording_args {
	struct arg_set sets[ABI_COUNT][ARG_SPECS];
};

/* Per-CPU counters of a recording. */
struct recording_counters {
	__u64 calls;	    /* calls recorded (after the start) */
	__u64 unrecordable; /* calls whose number did not fit the bitmap */
	__u64 foreign_abi;  /* calls of an ABI this kernel does not run (recorder_config.h) */
};

/*
 * Provenance (opt-in per recording): the first task that made each call, kept when the call's
 * bit is first set, so that a warm recording never pays for it.
 */
#define MAX_FIRST_CALLERS 4096 /* for every recording on the host together */
/*
 * For one recording: no recording takes more than its share of the host's table (16 of them
 * at their limit fill it). Only calls libseccomp names, on an ABI the kernel runs, are kept.
 */
#define MAX_CALLERS_PER_RECORDING 256
#define CALLER_EXE_PARTS 8 /* path components of the executable kept, leaf first */
#define CALLER_PART_LEN 32 /* bytes per component, NUL included */
#define CALLER_COMM_LEN 16

enum caller_flags {
	CALLER_EXE_TRUNCATED = 1,  /* the path has more components than were kept */
	CALLER_PART_TRUNCATED = 2, /* a component was longer than CALLER_PART_LEN - 1 */
	CALLER_NO_EXE = 4,	   /* the task has no executable (a kernel thread) */
	CALLER_EXE_ANON = 8,	   /* not on a mounted file system (a memfd): exe[0] is its name */
};

struct caller_key {
	__u32 slot;
	__u32 gen;
	__u32 abi;
	__u32 nr;
};

struct first_caller {
	__u32 pid;    /* the thread's id on the host */
	__u32 ns_pid; /* ... and in its own pid namespace */
	__u32 parts;  /* components in exe[], the file's own name first */
	__u32 flags;  /* enum caller_flags */
	char comm[CALLER_COMM_LEN];
	char exe[CALLER_EXE_PARTS][CALLER_PART_LEN];
};

/*
 * Hints (opt-in per recording): every file its tasks mapped executable, once each (by inode):
 * each binary exec'ed and each file mmap'ed with PROT_EXEC (the libraries the loader maps, the
 * modules a process dlopen()s), so that hints read the code that really ran. Paths as the task
 * saw them, from its root, like a first caller's executable but with longer components
 * (Python's extension modules are named `_json.cpython-311-x86_64-linux-gnu.so`).
 */
#define MAX_MAPPED_FILES 4096	     /* for every recording on the host together */
#define MAX_MAPPED_PER_RECORDING 256 /* a recording's share */
#define MAPPED_PATH_PARTS 8	     /* path components kept, leaf first */
#define MAPPED_PART_LEN 64	     /* bytes per component, NUL included */

struct mapped_key {
	__u32 slot;
	__u32 gen;
	__u64 inode; /* the file's inode, as the kernel's address of it: one entry per file */
};

struct mapped_file {
	__u32 parts; /* components in path[], the file's own name first */
	__u32 flags; /* enum caller_flags */
	char path[MAPPED_PATH_PARTS][MAPPED_PART_LEN];
};

enum ns_kind {
	NS_KIND_PID = 1,
	NS_KIND_MNT = 2,
};

struct ns_cell {
	__u32 inum;  /* 0: an empty cell */
	__u16 kind;  /* enum ns_kind */
	__u16 probe; /* in cells[0] only: how many buckets past this one hold cells whose home it is
		      */
	__u32 slot;
	__u32 gen;
};

struct ns_bucket {
	struct ns_cell cells[NS_BUCKET_CELLS];
};

/* The bucket of namespace @inum (Fibonacci hashing: inode numbers are handed out in sequence). */
static inline __u32 ns_bucket_of(__u32 inum)
{
	return (__u32)(inum * 2654435769U) >> (32 - NS_BUCKET_BITS);
}

#endif /* RECORDER_H */
