/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BPF objects of the recorder that user space keeps, one row each. Both loaders, the
 * descriptors of struct recorder_objects, the pins and the tests' list of pin names are made
 * from these lists: a new map is one row here, plus its declaration in bpf/recorder.bpf.c.
 * A row the skeletons lack does not compile (bpf_loader.c); a map or program of the object
 * that has no row, or a row that says otherwise than the object, fails
 * tests/unit/test_bpf_objects.c.
 */
#ifndef BPF_OBJECTS_H
#define BPF_OBJECTS_H

#include <stddef.h>
#include <linux/bpf.h>
#include <linux/types.h>
#include "recorder.h"

/*
 * The maps, pinned under their own names: name, then what the program declares, which a pinned
 * map must be (type, key, value, entries; task storage has no entries).
 */
#define RECORDER_MAPS(X)                                                                         \
	X(task_tags, BPF_MAP_TYPE_TASK_STORAGE, int, struct task_tag, 0)                         \
	X(recordings, BPF_MAP_TYPE_ARRAY, __u32, struct recording, MAX_RECORDINGS)               \
	X(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, struct recording_counters, MAX_RECORDINGS) \
	X(namespaces, BPF_MAP_TYPE_ARRAY, __u32, struct ns_bucket, NS_BUCKETS)                   \
	X(arg_specs, BPF_MAP_TYPE_ARRAY, __u32, struct arg_spec, ABI_COUNT *MAX_SYSCALL_NR)      \
	X(arg_values, BPF_MAP_TYPE_ARRAY, __u32, struct recording_args, MAX_RECORDINGS)          \
	X(first_callers, BPF_MAP_TYPE_HASH, struct caller_key, struct first_caller,              \
	  MAX_FIRST_CALLERS)                                                                     \
	X(mapped_files, BPF_MAP_TYPE_HASH, struct mapped_key, struct mapped_file, MAX_MAPPED_FILES)

/* The maps only the program uses (its scratch space): no descriptor kept, nothing pinned. */
#define RECORDER_PROGRAM_MAPS(X) X(caller_scratch) X(mapped_scratch)

/* The programs loaded but not attached, pinned under their own names: attached per use. */
#define RECORDER_ITERS(X) X(tag_existing_tasks)

/* The programs attached at load, and the name their link is pinned under. */
#define RECORDER_LINKS(X)                   \
	X(record_sys_enter, link_sys_enter) \
	X(record_fork, link_fork)           \
	X(record_exec, link_exec)

#define RECORDER_FD_FIELD(name, ...) int name;
#define RECORDER_FD_NONE(name, ...) .name = -1,

/* Everything a tracer uses of a loaded program, one descriptor per row; -1 where absent. */
struct recorder_objects {
	RECORDER_MAPS(RECORDER_FD_FIELD)
	RECORDER_ITERS(RECORDER_FD_FIELD)
	/* the attached programs, by program name (absent when opened from pins) */
	struct {
		RECORDER_LINKS(RECORDER_FD_FIELD)
	} links;
};

/* No descriptor at all: the initializer of every struct recorder_objects. */
#define RECORDER_OBJECTS_NONE                                                    \
	((struct recorder_objects){                                              \
		RECORDER_MAPS(RECORDER_FD_NONE) RECORDER_ITERS(RECORDER_FD_NONE) \
			.links = { RECORDER_LINKS(RECORDER_FD_NONE) },           \
	})

enum recorder_object_kind { RECORDER_MAP, RECORDER_ITER, RECORDER_LINK };

/* One row of the lists above, for the code that walks them all (the pins, the tests). */
struct recorder_object {
	const char *name; /* in the BPF object: the map's or the program's */
	const char *pin;  /* the file name of its pin */
	enum recorder_object_kind kind;
	size_t fd_offset; /* where struct recorder_objects keeps its descriptor */
	/* maps only: what the program declares */
	unsigned int map_type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
};

/* Every row: the maps, the iterators, the links, in the order of the lists. */
extern const struct recorder_object recorder_object_table[];
extern const size_t recorder_object_count;

/* The descriptor of @o that @row names. */
static inline int *recorder_object_fd(struct recorder_objects *o, const struct recorder_object *row)
{
	return (int *)((char *)o + row->fd_offset);
}

/* Close every descriptor of @o (those of the links too) and set it to -1. */
void recorder_objects_close(struct recorder_objects *o);

/* Close the links of @o only: once they are pinned, they keep the programs attached. */
void recorder_objects_close_links(struct recorder_objects *o);

/* Hand on the descriptors of @o: returns them, and @o holds none. */
struct recorder_objects recorder_objects_take(struct recorder_objects *o);

#define cleanup_recorder_objects __attribute__((cleanup(recorder_objects_close)))

#endif /* BPF_OBJECTS_H */
