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
#include "trace/ns_registry.h"

static bool cell_is_live(int recordings_fd, const struct ns_cell *cell)
{
	struct recording value;
	uint32_t slot = cell->slot;

	return cell->inum && bpf_map_lookup_elem(recordings_fd, &slot, &value) == 0 &&
	       value.gen == cell->gen;
}

int ns_registry_add(int namespaces_fd, int recordings_fd, uint32_t kind, uint32_t inum,
		    const struct task_tag *tag, struct error *err)
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
			if (free_cell < 0)
				free_cell = i;
		} else if (bucket.cells[i].inum == inum) {
			return error_set(err, 0, "%s namespace %u is already being recorded", name,
					 inum);
		}
	}
	if (free_cell < 0)
		return error_set(err, ENOSPC,
				 "register %s namespace %u: its bucket of the registry is full",
				 name, inum);
	bucket.cells[free_cell] =
		(struct ns_cell){ .kind = kind, .slot = tag->slot, .gen = tag->gen };
	if (bpf_map_update_elem(namespaces_fd, &b, &bucket, BPF_ANY) == 0) {
		bucket.cells[free_cell].inum = inum;
		if (bpf_map_update_elem(namespaces_fd, &b, &bucket, BPF_ANY) == 0)
			return 0;
	}
	return error_set(err, errno, "register %s namespace %u", name, inum);
}
