// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The registry of recorded namespaces (the `namespaces` map): NS_BUCKETS buckets of
 * NS_BUCKET_CELLS cells, one cache line each, found by a hash of the namespace's number. A cell
 * counts while its generation is its recording's: it goes stale with its recording, as task
 * tags do, and is taken again by the next registration that needs its place.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <bpf/bpf.h>
#include "trace/bpf_env.h"
#include "trace/ns_registry.h"

/* A cell whose recording cannot be read is taken as live: it is never overwritten then. */
static bool cell_is_live(int recordings_fd, const struct ns_cell *cell)
{
	struct recording value;
	uint32_t slot = cell->slot;

	if (!cell->inum)
		return false;
	if (bpf_map_lookup_elem(recordings_fd, &slot, &value) < 0)
		return true;
	return value.gen == cell->gen;
}

/*
 * Between two writes of a cell: a program that sees the second sees the first. x86 keeps stores
 * in order and loads in order (TSO), and the program reads the number first; elsewhere, wait.
 */
static void order_writes(void)
{
#if !defined(__x86_64__) && !defined(__i386__)
	bpf_wait_running_programs();
#endif
}

static int write_bucket(int namespaces_fd, uint32_t b, const struct ns_bucket *bucket)
{
	return bpf_map_update_elem(namespaces_fd, &b, bucket, BPF_ANY);
}

int ns_registry_add(int namespaces_fd, int recordings_fd, uint32_t kind, uint32_t inum,
		    const struct task_tag *tag, uint32_t *where, struct error *err)
{
	const char *name = kind == NS_KIND_PID ? "pid" : "mount";
	uint32_t b = ns_bucket_of(inum);
	struct ns_bucket bucket;
	int free_cell = -1;

	if (bpf_map_lookup_elem(namespaces_fd, &b, &bucket) < 0)
		return error_set(err, errno, "read the namespace registry for %s namespace %u",
				 name, inum);
	for (int i = 0; i < NS_BUCKET_CELLS; i++) {
		if (!cell_is_live(recordings_fd, &bucket.cells[i])) {
			/* An empty cell before a stale one: taking a stale one costs a wait. */
			if (free_cell < 0 ||
			    (bucket.cells[free_cell].inum && !bucket.cells[i].inum))
				free_cell = i;
		} else if (bucket.cells[i].inum == inum) {
			return error_set(err, 0, "%s namespace %u is already being recorded", name,
					 inum);
		}
	}
	if (free_cell < 0)
		return error_set(
			err, ENOSPC,
			"register %s namespace %u: the %d recordings whose namespaces share "
			"its place in the registry are all running; try again when one ends",
			name, inum, NS_BUCKET_CELLS);
	/*
	 * The program reads a cell's fields one by one, without a lock: it must never see a
	 * stale cell's number beside a live recording's slot and generation. So a stale cell
	 * first loses its number, and once no program run can still hold the old one, it gets
	 * the new slot and generation; the number comes last, when those are seen everywhere. The
	 * wait costs a grace period (~10 ms here), paid only when a stale cell is taken again.
	 */
	if (bucket.cells[free_cell].inum) {
		bucket.cells[free_cell].inum = 0;
		if (write_bucket(namespaces_fd, b, &bucket) < 0)
			goto fail;
		bpf_wait_running_programs();
	}
	bucket.cells[free_cell] =
		(struct ns_cell){ .kind = kind, .slot = tag->slot, .gen = tag->gen };
	if (write_bucket(namespaces_fd, b, &bucket) < 0)
		goto fail;
	order_writes();
	bucket.cells[free_cell].inum = inum;
	if (write_bucket(namespaces_fd, b, &bucket) == 0) {
		*where = b * NS_BUCKET_CELLS + (uint32_t)free_cell + 1;
		return 0;
	}
fail:
	return error_set(err, errno, "register %s namespace %u", name, inum);
}

void ns_registry_forget(int namespaces_fd, uint32_t where, const struct task_tag *tag)
{
	uint32_t b, i;
	struct ns_bucket bucket;
	struct ns_cell *cell;

	if (!where--)
		return;
	b = where / NS_BUCKET_CELLS;
	i = where % NS_BUCKET_CELLS;
	if (bpf_map_lookup_elem(namespaces_fd, &b, &bucket) < 0)
		return; /* stale already: the next registration takes it with a wait */
	cell = &bucket.cells[i];
	if (!cell->inum || cell->slot != tag->slot || cell->gen != tag->gen)
		return;
	cell->inum = 0;
	write_bucket(namespaces_fd, b, &bucket);
}
