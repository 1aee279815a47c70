// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The BPF lifecycle. One program serves every recording on the host: the first tracer loads
 * it and pins it (bpf_pins.c), the others open the pins and take a slot in its maps, and the
 * last one to finish unpins it, which detaches it. Read top to bottom: the locks, open, the
 * slots, tagging, collect, end, close.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "base/hash.h"
#include "profile/arg_specs.h"
#include "trace/arg_table.h"
#include "trace/bpf_env.h"
#include "trace/bpf_loader.h"
#include "trace/bpf_pins.h"
#include "trace/mapped_files.h"
#include "base/cleanup.h"
#include "config.h"
#include "base/fs.h"
#include "base/log.h"
#include "recorder.h"
#include "profile/syscalls.h"
#include "trace/ns_registry.h"
#include "trace/recorder_config.h"
#include "trace/tracer.h"

/*
 * Setup lock: tracers start and end one at a time. Users lock: each tracer holds it shared
 * while it uses the program; the one that can take it alone is the last and unpins. Slot
 * locks: a tracer holds byte SLOT while recording SLOT, so a slot whose byte nobody holds
 * belongs to a tracer that died, and is taken back. The kernel releases OFD locks when their
 * holder dies, however it dies.
 */
enum { LOCK_SETUP = MAX_RECORDINGS, LOCK_USERS = MAX_RECORDINGS + 1 };
/* One lock file per program build: the bytes below are that program's slots. */
#define LOCK_FILE_FORMAT "%s/bpf-%016llx.lock"
#define LOCK_POLL_US 2000
#define LOCK_WAIT_US (10 * 1000 * 1000)

struct tracer {
	struct recorder_objects obj;
	struct bpf_pins pins;
	bool shared;			      /* pinned, and shared with every tracer on the host */
	int lock_fd;			      /* the lock file; -1 for a private program */
	bool owned[MAX_RECORDINGS];	      /* the slots this tracer records in */
	uint32_t owned_gen[MAX_RECORDINGS];   /* ... and their generations */
	uint32_t ns_cells[MAX_RECORDINGS][2]; /* ... and their registry cells (ns_registry.h) */
};

static int ofd_lock(int fd, short type, off_t byte)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };

	return fcntl(fd, F_OFD_SETLK, &fl);
}

/* Whether another tracer (a live one: the kernel drops a dead one's locks) holds @byte. */
static bool held_by_another(int fd, off_t byte)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };

	if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
		return true; /* cannot tell: never take a slot that may be in use */
	return fl.l_type != F_UNLCK;
}

/* The setup lock, waited for a bounded time: a hook must not hang behind a stuck tracer. */
static int setup_lock(struct tracer *t, struct error *err)
{
	if (t->lock_fd < 0)
		return 0;
	for (long waited = 0;; waited += LOCK_POLL_US) {
		if (ofd_lock(t->lock_fd, F_WRLCK, LOCK_SETUP) == 0)
			return 0;
		if (errno != EAGAIN && errno != EACCES && errno != EINTR)
			return error_set(err, errno, "lock the tracers' lock file in `%s`",
					 RUNSTATEDIR);
		if (waited >= LOCK_WAIT_US)
			return error_set(
				err, 0,
				"another tracer held the lock file in `%s` for %d s: giving up",
				RUNSTATEDIR, LOCK_WAIT_US / 1000000);
		usleep(LOCK_POLL_US);
	}
}

static void setup_unlock(struct tracer *t)
{
	if (t->lock_fd >= 0)
		ofd_lock(t->lock_fd, F_UNLCK, LOCK_SETUP);
}

static int open_lock_file(unsigned long long digest, struct error *err)
{
	char path[PATH_MAX];

	if (mkdir(RUNSTATEDIR, 0700) < 0 && errno != EEXIST)
		return error_set(err, errno, "create `%s`", RUNSTATEDIR);
	snprintf(path, sizeof(path), LOCK_FILE_FORMAT, RUNSTATEDIR, digest);
	return fs_open_own_file(path, O_RDWR, err);
}

/*
 * What two tracers must agree on to share a program and its lock file: the program build and
 * its config, the argument table user space fills, and where the lock file is.
 */
static unsigned long long sharing_digest(const struct recorder_config *cfg)
{
	return hash_fnv1a_str(bpf_loader_digest(cfg) ^ arg_specs_digest(), RUNSTATEDIR);
}

/*
 * Under the setup lock: what is pinned and cannot be opened (a part left by a tracer that died
 * while pinning, a foreign object) is removed, but only when no tracer uses the program: the
 * pins are what keeps it attached for them. Returns false when the pins must stay.
 */
static bool remove_unusable_pins(struct tracer *t)
{
	if (ofd_lock(t->lock_fd, F_WRLCK, LOCK_USERS) < 0)
		return false;
	bpf_pins_remove(&t->pins);
	ofd_lock(t->lock_fd, F_UNLCK, LOCK_USERS);
	return true;
}

/* Load a program for this tracer (to pin it, or to keep it private): its argument table filled. */
static int load_program(struct tracer *t, enum bpf_loader_kind kind,
			const struct recorder_config *cfg, struct error *err)
{
	if (bpf_loader_load(kind, cfg, &t->obj, err) < 0)
		return -1;
	return arg_table_fill(t->obj.arg_specs, err);
}

/* Under the setup lock: open the pinned program, or load it and pin it for the others. */
static int open_shared(struct tracer *t, enum bpf_loader_kind kind,
		       const struct recorder_config *cfg, unsigned long long digest,
		       struct error *err)
{
	struct error pin_err = { 0 };

	if (bpf_pins_locate(&t->pins, RUNSTATEDIR, digest, &pin_err) == 0) {
		if (bpf_pins_complete(&t->pins)) {
			if (bpf_pins_open(&t->pins, &t->obj, &pin_err) == 0) {
				log_debug("using the BPF program pinned in `%s`", t->pins.dir);
				t->shared = true;
				return 0;
			}
			log_warning("%s: loading a new program", pin_err.msg);
		}
		if (remove_unusable_pins(t))
			pin_err.msg[0] = '\0';
		else
			error_set(&pin_err, 0,
				  "the program pinned in `%s` is in use, but this tracer "
				  "cannot open it",
				  t->pins.dir);
	}
	if (load_program(t, kind, cfg, err) < 0)
		return -1;
	if (!pin_err.msg[0] && bpf_pins_create(&t->pins, &t->obj, &pin_err) == 0) {
		log_debug("loaded the BPF program and pinned it in `%s`", t->pins.dir);
		t->shared = true;
	} else {
		log_info("this recording keeps its BPF program to itself: %s", pin_err.msg);
	}
	/* Pinned, the links need no descriptor; private, they stay open with the tracer. */
	if (t->shared)
		recorder_objects_close_links(&t->obj);
	return 0;
}

/* A tracer not handed out, or at its end: its descriptors closed (its locks with them). */
static void tracer_discard(struct tracer **t)
{
	if (!*t)
		return;
	recorder_objects_close(&(*t)->obj);
	cleanup_closep(&(*t)->lock_fd);
	free(*t);
}

#define cleanup_tracer_draft __attribute__((cleanup(tracer_discard)))

int tracer_open(struct tracer **out, struct error *err)
{
	cleanup_tracer_draft struct tracer *t = calloc(1, sizeof(*t));
	struct recorder_config cfg = { 0 };
	struct error lock_err = { 0 };
	enum bpf_loader_kind kind;
	unsigned long long digest;

	if (!t)
		return error_set(err, ENOMEM, "tracer");
	t->obj = RECORDER_OBJECTS_NONE;
	t->lock_fd = -1;
	if (bpf_env_check(err) < 0 || bpf_loader_from_env(&kind, err) < 0 ||
	    bpf_loader_design_from_env(&cfg.design, err) < 0)
		return -1;
	recorder_config_host(&cfg);

	digest = sharing_digest(&cfg);
	t->lock_fd = open_lock_file(digest, &lock_err);
	if (t->lock_fd < 0) {
		log_info("this recording keeps its BPF program to itself: %s", lock_err.msg);
		if (load_program(t, kind, &cfg, err) < 0)
			return -1;
		*out = TAKE_PTR(t);
		return 0;
	}
	if (setup_lock(t, err) < 0 || open_shared(t, kind, &cfg, digest, err) < 0)
		return -1;
	/* A user of the program from now on: the last tracer to end will not unpin it under us. */
	if (t->shared && ofd_lock(t->lock_fd, F_RDLCK, LOCK_USERS) < 0)
		return error_set(err, errno,
				 "take the users lock of the BPF program pinned in `%s`",
				 t->pins.dir);
	setup_unlock(t);
	if (!t->shared)
		close(TAKE_FD(t->lock_fd));
	*out = TAKE_PTR(t);
	return 0;
}

static int read_slot(struct tracer *t, uint32_t slot, struct recording *value, struct error *err)
{
	if (bpf_map_lookup_elem(t->obj.recordings, &slot, value) < 0)
		return error_set(err, errno, "read recording slot %u", slot);
	return 0;
}

/*
 * Under the setup lock: forget the first callers kept for @slot (by any generation: those of a
 * tracer that died too). With @out, those of generation @gen are handed over first (malloc'ed, @n
 * of them).
 */
static int take_callers(struct tracer *t, uint32_t slot, uint32_t gen, struct caller_entry **out,
			size_t *n, struct error *err)
{
	cleanup_free struct caller_key *keys = calloc(MAX_FIRST_CALLERS, sizeof(*keys));
	cleanup_free struct caller_entry *entries = NULL;
	struct caller_key key, *prev = NULL;
	size_t n_keys = 0, n_entries = 0;

	if (out)
		entries = calloc(MAX_FIRST_CALLERS, sizeof(*entries));
	if (!keys || (out && !entries))
		return err ? error_set(err, ENOMEM, "first callers") : -1;
	/* Keys first (a deleted key restarts the walk); under the setup lock no other tracer
	 * deletes, and the program only adds: a walk longer than twice the table is cut. */
	for (size_t steps = 0; n_keys < MAX_FIRST_CALLERS && steps < 2 * MAX_FIRST_CALLERS;
	     steps++) {
		if (bpf_map_get_next_key(t->obj.first_callers, prev, &key) < 0)
			break;
		if (key.slot == slot)
			keys[n_keys++] = key;
		prev = &key;
	}
	for (size_t i = 0; i < n_keys; i++) {
		struct caller_entry *e = entries ? &entries[n_entries] : NULL;

		if (e && keys[i].gen == gen &&
		    bpf_map_lookup_elem(t->obj.first_callers, &keys[i], &e->caller) == 0) {
			e->abi = keys[i].abi;
			e->nr = keys[i].nr;
			n_entries++;
		}
		bpf_map_delete_elem(t->obj.first_callers, &keys[i]);
	}
	if (out) {
		*out = TAKE_PTR(entries);
		*n = n_entries;
	}
	return 0;
}

static uint32_t next_gen(uint32_t gen)
{
	return gen + 1 ? gen + 1 : 1;
}

/*
 * End what @slot records: a new generation makes every task tag and namespace cell of the old
 * one stale.
 */
static void free_slot(struct tracer *t, uint32_t slot, uint32_t gen)
{
	struct recording value = { .gen = next_gen(gen), .state = RECORDING_FREE };

	take_callers(t, slot, 0, NULL, NULL, NULL);
	mapped_files_take(t->obj.mapped_files, slot, 0, NULL, NULL);
	if (bpf_map_update_elem(t->obj.recordings, &slot, &value, BPF_ANY) < 0)
		log_warning("free recording slot %u: %s", slot, strerror(errno));
}

/* The slots as one scan under the setup lock left them: which are free, at which generation. */
struct slot_scan {
	bool free[MAX_RECORDINGS];
	uint32_t gen[MAX_RECORDINGS];
};

/*
 * Read every slot once, and take back those of tracers that died without ending their
 * recordings (the program is shared: a private one has no other tracer). What @scan says
 * stays true while the setup lock is held: only its holder frees or takes a slot, and no
 * task tag matches a free slot's generation.
 */
static int scan_slots(struct tracer *t, struct slot_scan *scan, struct error *err)
{
	struct recording value;
	bool reclaimed = false;

	for (uint32_t slot = 0; slot < MAX_RECORDINGS; slot++) {
		if (read_slot(t, slot, &value, err) < 0)
			return -1;
		scan->free[slot] = value.state == RECORDING_FREE;
		scan->gen[slot] = value.gen;
		if (scan->free[slot] || t->lock_fd < 0 || t->owned[slot] ||
		    held_by_another(t->lock_fd, slot))
			continue;
		log_info("recording slot %u belonged to a tracer that died: taking it back", slot);
		free_slot(t, slot, value.gen);
		scan->free[slot] = true;
		scan->gen[slot] = next_gen(value.gen);
		reclaimed = true;
	}
	if (reclaimed)
		bpf_wait_running_programs();
	return 0;
}

static int zero_counters(struct tracer *t, uint32_t slot, struct error *err)
{
	int ncpus = libbpf_num_possible_cpus();
	cleanup_free struct recording_counters *zero = NULL;

	if (ncpus <= 0)
		return error_set(err, -ncpus, "count the possible CPUs");
	zero = calloc((size_t)ncpus, sizeof(*zero));
	if (!zero)
		return error_set(err, ENOMEM, "counters");
	if (bpf_map_update_elem(t->obj.counters, &slot, zero, BPF_ANY) < 0)
		return error_set(err, errno, "reset the counters of recording slot %u", slot);
	return 0;
}

static int zero_arg_values(struct tracer *t, uint32_t slot, struct error *err)
{
	cleanup_free struct recording_args *zero = calloc(1, sizeof(*zero));

	if (!zero)
		return error_set(err, ENOMEM, "argument values");
	if (bpf_map_update_elem(t->obj.arg_values, &slot, zero, BPF_ANY) < 0)
		return error_set(err, errno, "reset the argument values of recording slot %u",
				 slot);
	return 0;
}

static int take_free_slot(struct tracer *t, const struct slot_scan *scan,
			  const struct recording_options *opts, struct recording_handle *rec,
			  struct error *err)
{
	for (uint32_t slot = 0; slot < MAX_RECORDINGS; slot++) {
		struct recording value = { .gen = next_gen(scan->gen[slot]),
					   .state = RECORDING_ARMED,
					   .args = opts->keep_args,
					   .hints = opts->hints, /* and their first callers */
					   .explain = opts->explain || opts->hints };

		if (!scan->free[slot])
			continue;
		if (t->lock_fd >= 0 && ofd_lock(t->lock_fd, F_WRLCK, slot) < 0) {
			if (errno == EAGAIN || errno == EACCES)
				continue; /* held, though free in the map: leave it be */
			return error_set(err, errno, "lock recording slot %u", slot);
		}
		if (zero_counters(t, slot, err) < 0 || zero_arg_values(t, slot, err) < 0) {
			if (t->lock_fd >= 0)
				ofd_lock(t->lock_fd, F_UNLCK, slot);
			return -1;
		}
		if (bpf_map_update_elem(t->obj.recordings, &slot, &value, BPF_ANY) < 0) {
			error_set(err, errno, "reserve recording slot %u", slot);
			if (t->lock_fd >= 0)
				ofd_lock(t->lock_fd, F_UNLCK, slot);
			return -1;
		}
		t->owned[slot] = true;
		memset(t->ns_cells[slot], 0, sizeof(t->ns_cells[slot]));
		t->owned_gen[slot] = value.gen;
		rec->slot = slot;
		rec->gen = value.gen;
		return 0;
	}
	return error_set(err, 0, "all %d recording slots are in use", MAX_RECORDINGS);
}

int tracer_recording_new(struct tracer *t, const struct recording_options *opts,
			 struct recording_handle *rec, struct error *err)
{
	struct slot_scan scan;
	int ret;

	if (setup_lock(t, err) < 0)
		return -1;
	ret = scan_slots(t, &scan, err);
	if (ret == 0)
		ret = take_free_slot(t, &scan, opts, rec, err);
	setup_unlock(t);
	return ret;
}

int tracer_tag_process(struct tracer *t, const struct recording_handle *rec, int pidfd,
		       struct error *err)
{
	struct task_tag tag = { .slot = rec->slot, .gen = rec->gen };

	if (bpf_map_update_elem(t->obj.task_tags, &pidfd, &tag, BPF_ANY) < 0)
		return error_set(err, errno, "tag the process to record");
	return 0;
}

/* Tag the tasks already inside the registered namespaces (threads included). */
static int run_tag_iterator(struct tracer *t, struct error *err)
{
	cleanup_close int link_fd = bpf_link_create(t->obj.tag_existing_tasks, 0, BPF_TRACE_ITER,
						    NULL);
	cleanup_close int iter_fd = -1;
	char buf[64];
	ssize_t n;

	if (link_fd < 0)
		return error_set(err, errno, "attach the task iterator");
	iter_fd = bpf_iter_create(link_fd);
	if (iter_fd < 0)
		return error_set(err, errno, "create the task iterator");
	while ((n = read(iter_fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
	if (n < 0)
		return error_set(err, errno, "run the task iterator");
	return 0;
}

int tracer_tag_namespaces(struct tracer *t, const struct recording_handle *rec, uint32_t pid_ns,
			  uint32_t mnt_ns, struct error *err)
{
	struct task_tag tag = { .slot = rec->slot, .gen = rec->gen };
	int ret = -1;

	/* Cells are claimed under the setup lock: two tracers never take the same one. */
	if (setup_lock(t, err) < 0)
		return -1;
	/*
	 * A pid namespace another recording has (`--pid=container:X`, a pod sharing one): this
	 * container's tasks are told apart by their mount namespace, which the program checks
	 * first.
	 */
	if (pid_ns && ns_registry_add(t->obj.namespaces, t->obj.recordings, NS_KIND_PID, pid_ns,
				      &tag, &t->ns_cells[rec->slot][0], err) < 0) {
		if (!mnt_ns || err->errnum)
			goto out;
		log_warning("%s: this container is recorded by its mount namespace (%u) alone",
			    err->msg, mnt_ns);
		memset(err, 0, sizeof(*err));
	}
	if (mnt_ns && ns_registry_add(t->obj.namespaces, t->obj.recordings, NS_KIND_MNT, mnt_ns,
				      &tag, &t->ns_cells[rec->slot][1], err) < 0)
		goto out;
	ret = 0;
out:
	setup_unlock(t);
	return ret < 0 ? ret : run_tag_iterator(t, err);
}

int tracer_collect(struct tracer *t, const struct recording_handle *rec, struct syscall_set *set,
		   struct error *err)
{
	int ncpus = libbpf_num_possible_cpus();
	cleanup_free struct recording_counters *per_cpu = NULL;
	struct recording value;
	uint32_t slot = rec->slot;

	if (ncpus <= 0)
		return error_set(err, -ncpus, "count the possible CPUs");
	if (bpf_map_lookup_elem(t->obj.recordings, &slot, &value) < 0)
		return error_set(err, errno, "read recording slot %u", slot);
	if (value.gen != rec->gen)
		return error_set(err, 0, "recording slot %u was taken over (generation %u, not %u)",
				 slot, value.gen, rec->gen);
	memset(set, 0, sizeof(*set));
	memcpy(set->bits, value.bits, sizeof(set->bits));
	set->started_by = value.state == RECORDING_STARTED ? value.started_by : 0;
	set->workload_ran = value.exec_done;
	set->args_kept = value.args;
	if (value.args && bpf_map_lookup_elem(t->obj.arg_values, &slot, &set->args) < 0)
		return error_set(err, errno, "read the argument values of recording slot %u", slot);
	set->callers_kept = value.explain;
	set->callers_over_cap = value.callers > MAX_CALLERS_PER_RECORDING;
	if (value.explain || value.hints) {
		int ret = 0;

		if (setup_lock(t, err) < 0)
			return -1;
		if (value.explain) /* hints take the mapped files too (mapped_files.h) */
			ret = take_callers(t, slot, rec->gen, &set->callers, &set->n_callers, err);
		if (ret == 0 && value.hints)
			ret = mapped_files_take(t->obj.mapped_files, slot, rec->gen, &set->mapped,
						err);
		setup_unlock(t);
		if (ret < 0)
			return -1;
	}

	per_cpu = calloc((size_t)ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return error_set(err, ENOMEM, "read counters");
	if (bpf_map_lookup_elem(t->obj.counters, &slot, per_cpu) < 0)
		return error_set(err, errno, "read the counters of recording slot %u", slot);
	for (int cpu = 0; cpu < ncpus; cpu++) {
		set->calls += per_cpu[cpu].calls;
		set->unrecordable += per_cpu[cpu].unrecordable;
		set->foreign_abi += per_cpu[cpu].foreign_abi;
	}
	return 0;
}

/* Once @slot's generation changed and the runs in flight were waited out: empty its cells. */
static void forget_namespaces(struct tracer *t, uint32_t slot, uint32_t gen)
{
	struct task_tag tag = { .slot = slot, .gen = gen };

	for (int k = 0; k < 2; k++) {
		ns_registry_forget(t->obj.namespaces, t->obj.recordings, t->ns_cells[slot][k],
				   &tag);
		t->ns_cells[slot][k] = 0;
	}
}

void tracer_recording_end(struct tracer *t, const struct recording_handle *rec)
{
	struct error err = { 0 };
	bool locked = setup_lock(t, &err) == 0;

	if (!locked)
		log_warning("%s: ending recording slot %u without it", err.msg, rec->slot);
	free_slot(t, rec->slot, rec->gen);
	bpf_wait_running_programs();
	if (locked)
		forget_namespaces(t, rec->slot, rec->gen);
	t->owned[rec->slot] = false;
	if (t->lock_fd >= 0)
		ofd_lock(t->lock_fd, F_UNLCK, rec->slot);
	if (locked)
		setup_unlock(t);
}

void tracer_close(struct tracer *t)
{
	struct slot_scan scan;
	struct error err = { 0 };

	if (!t)
		return;
	if (t->lock_fd >= 0 && setup_lock(t, &err) == 0) {
		bool freed = false;

		/* Recordings not ended (`record` ends its own here, at exit). */
		for (uint32_t slot = 0; slot < MAX_RECORDINGS; slot++) {
			if (!t->owned[slot])
				continue;
			free_slot(t, slot, t->owned_gen[slot]);
			t->owned[slot] = false;
			freed = true;
		}
		if (freed) {
			bpf_wait_running_programs();
			for (uint32_t slot = 0; slot < MAX_RECORDINGS; slot++)
				forget_namespaces(t, slot, t->owned_gen[slot]);
		}
		/* Alone on the users byte: no other tracer uses the program, nor can start to. */
		if (ofd_lock(t->lock_fd, F_WRLCK, LOCK_USERS) == 0) {
			log_debug("last tracer: unpinning the BPF program from `%s`", t->pins.dir);
			bpf_pins_remove(&t->pins);
		} else if (scan_slots(t, &scan, &err) < 0) {
			log_warning("%s", err.msg);
		}
	} else if (t->lock_fd >= 0) {
		log_warning("%s: leaving the BPF program pinned in `%s`", err.msg, t->pins.dir);
	}
	tracer_discard(&t); /* closing the lock file releases every lock this tracer held */
}
