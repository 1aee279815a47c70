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

static int read_bucket(int namespaces_fd, uint32_t b, struct ns_bucket *bucket)
{
	return bpf_map_lookup_elem(namespaces_fd, &b, bucket);
}

static uint32_t bucket_at(uint32_t home, uint32_t d)
{
	return (home + d) & (NS_BUCKETS - 1);
}

/* Set the home bucket's probe (the program reads it before it looks past the home). */
static int set_probe(int namespaces_fd, uint32_t home, uint32_t probe)
{
	struct ns_bucket bucket;

	if (read_bucket(namespaces_fd, home, &bucket) < 0)
		return -1;
	if (bucket.cells[0].probe == probe)
		return 0;
	bucket.cells[0].probe = (uint16_t)probe;
	return write_bucket(namespaces_fd, home, &bucket);
}

int ns_registry_add(int namespaces_fd, int recordings_fd, uint32_t kind, uint32_t inum,
		    const struct task_tag *tag, uint32_t *where, struct error *err)
{
	const char *name = kind == NS_KIND_PID ? "pid" : "mount";
	uint32_t home = ns_bucket_of(inum), probe, b = home, d;
	struct ns_bucket bucket;
	int free_cell = -1;
	struct ns_cell *cell;

	if (read_bucket(namespaces_fd, home, &bucket) < 0)
		return error_set(err, errno, "read the namespace registry for %s namespace %u",
				 name, inum);
	probe = bucket.cells[0].probe;
	/* The namespace may already be anywhere its home's probe reaches. */
	for (d = 0; d <= probe && d <= NS_MAX_PROBE; d++) {
		if (d && read_bucket(namespaces_fd, bucket_at(home, d), &bucket) < 0)
			return error_set(err, errno, "read the namespace registry");
		for (int i = 0; i < NS_BUCKET_CELLS; i++)
			if (bucket.cells[i].inum == inum &&
			    cell_is_live(recordings_fd, &bucket.cells[i]))
				return error_set(err, 0,
						 "%s namespace %u is already being recorded", name,
						 inum);
	}
	/* The first bucket from its home with a cell that is not live. */
	for (d = 0; d <= NS_MAX_PROBE && free_cell < 0; d++) {
		b = bucket_at(home, d);
		if (read_bucket(namespaces_fd, b, &bucket) < 0)
			return error_set(err, errno, "read the namespace registry");
		for (int i = 0; i < NS_BUCKET_CELLS; i++) {
			if (cell_is_live(recordings_fd, &bucket.cells[i]))
				continue;
			/* An empty cell before a stale one: taking a stale one costs a wait. */
			if (free_cell < 0 ||
			    (bucket.cells[free_cell].inum && !bucket.cells[i].inum))
				free_cell = i;
		}
	}
	if (free_cell < 0)
		return error_set(err, ENOSPC,
				 "register %s namespace %u: the %d buckets from its place in the "
				 "registry are full of running recordings",
				 name, inum, NS_MAX_PROBE + 1);
	d--;
	/* The program must look as far as the new cell before it can find it there. */
	if (d > probe) {
		if (set_probe(namespaces_fd, home, d) < 0)
			goto fail;
		order_writes();
		if (read_bucket(namespaces_fd, b, &bucket) < 0)
			goto fail;
	}
	cell = &bucket.cells[free_cell];
	/*
	 * The program reads a cell's fields one by one, without a lock: it must never see a
	 * stale cell's number beside a live recording's slot and generation. So a stale cell
	 * first loses its number, and once no program run can still hold the old one, it gets
	 * the new slot and generation; the number comes last, when those are seen everywhere. The
	 * wait costs a grace period (~10 ms here), paid only when a stale cell is taken again.
	 * A cell's probe belongs to its bucket, not to it: it is left as it is.
	 */
	if (cell->inum) {
		cell->inum = 0;
		if (write_bucket(namespaces_fd, b, &bucket) < 0)
			goto fail;
		bpf_wait_running_programs();
	}
	cell->kind = (uint16_t)kind;
	cell->slot = tag->slot;
	cell->gen = tag->gen;
	if (write_bucket(namespaces_fd, b, &bucket) < 0)
		goto fail;
	order_writes();
	cell->inum = inum;
	if (write_bucket(namespaces_fd, b, &bucket) == 0) {
		*where = b * NS_BUCKET_CELLS + (uint32_t)free_cell + 1;
		return 0;
	}
fail:
	return error_set(err, errno, "register %s namespace %u", name, inum);
}

/* The farthest live cell whose home is @home, once one of them was emptied. */
static uint32_t farthest(int namespaces_fd, int recordings_fd, uint32_t home, uint32_t probe)
{
	struct ns_bucket bucket;
	uint32_t far = 0;

	for (uint32_t d = 1; d <= probe && d <= NS_MAX_PROBE; d++) {
		if (read_bucket(namespaces_fd, bucket_at(home, d), &bucket) < 0)
			return probe; /* unknown: the program keeps looking as far as before */
		for (int i = 0; i < NS_BUCKET_CELLS; i++)
			if (bucket.cells[i].inum && ns_bucket_of(bucket.cells[i].inum) == home &&
			    cell_is_live(recordings_fd, &bucket.cells[i]))
				far = d;
	}
	return far;
}

void ns_registry_forget(int namespaces_fd, int recordings_fd, uint32_t where,
			const struct task_tag *tag)
{
	uint32_t b, i, home;
	struct ns_bucket bucket;
	struct ns_cell *cell;

	if (!where--)
		return;
	b = where / NS_BUCKET_CELLS;
	i = where % NS_BUCKET_CELLS;
	if (read_bucket(namespaces_fd, b, &bucket) < 0)
		return; /* stale already: the next registration takes it with a wait */
	cell = &bucket.cells[i];
	if (!cell->inum || cell->slot != tag->slot || cell->gen != tag->gen)
		return;
	home = ns_bucket_of(cell->inum);
	cell->inum = 0;
	if (write_bucket(namespaces_fd, b, &bucket) < 0 || b == home)
		return;
	/* It lay past its home: the home's probe shrinks to the farthest cell still live. */
	if (read_bucket(namespaces_fd, home, &bucket) == 0 && bucket.cells[0].probe)
		set_probe(namespaces_fd, home,
			  farthest(namespaces_fd, recordings_fd, home, bucket.cells[0].probe));
}
