// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The namespace registry against real BPF maps (root; CI is): 256 recordings of two namespaces
 * each, every one hashing to the same bucket, are all registered, each cell where it says; an
 * ended one's cell is emptied and its home looks no further than its live cells.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "base/cleanup.h"
#include "trace/ns_registry.h"
#include "tap.h"

#define N_NAMESPACES (2 * MAX_RECORDINGS)

/* Namespace numbers that all land in bucket @home: what an attacker with many starts finds. */
static size_t colliding(uint32_t home, uint32_t *out, size_t n)
{
	size_t got = 0;

	for (uint32_t inum = 4026531840U; got < n && inum; inum++)
		if (ns_bucket_of(inum) == home)
			out[got++] = inum;
	return got;
}

int main(void)
{
	static uint32_t inums[N_NAMESPACES], where[N_NAMESPACES];
	cleanup_close int namespaces = -1, recordings = -1;
	struct error err = { 0 };
	struct ns_bucket bucket;
	int added = 0, found = 0;

	if (geteuid() != 0) {
		if (getenv("CI"))
			ok(false, "CI runs as root: this test needs it");
		else
			skip("BPF maps need root");
		return done_testing();
	}
	namespaces = bpf_map_create(BPF_MAP_TYPE_ARRAY, "namespaces", sizeof(uint32_t),
				    sizeof(struct ns_bucket), NS_BUCKETS, NULL);
	recordings = bpf_map_create(BPF_MAP_TYPE_ARRAY, "recordings", sizeof(uint32_t),
				    sizeof(struct recording), MAX_RECORDINGS, NULL);
	if (!ok(namespaces >= 0 && recordings >= 0, "the maps are made (%s)", strerror(errno)))
		return done_testing();
	for (uint32_t slot = 0; slot < MAX_RECORDINGS; slot++) {
		struct recording rec = { .gen = 1, .state = RECORDING_STARTED };

		bpf_map_update_elem(recordings, &slot, &rec, BPF_ANY);
	}
	is_int(colliding(7, inums, N_NAMESPACES), N_NAMESPACES, "%d numbers of bucket 7",
	       N_NAMESPACES);
	/* Every recording registers its pid and its mount namespace, all in one bucket. */
	for (int i = 0; i < N_NAMESPACES; i++) {
		struct task_tag tag = { .slot = (uint32_t)i / 2, .gen = 1 };

		memset(&err, 0, sizeof(err));
		if (ns_registry_add(namespaces, recordings, i % 2 ? NS_KIND_MNT : NS_KIND_PID,
				    inums[i], &tag, &where[i], &err) == 0)
			added++;
		else if (added == i)
			diag("registration %d refused: %s", i + 1, err.msg);
	}
	is_int(added, N_NAMESPACES, "256 recordings register their %d namespaces", N_NAMESPACES);
	for (int i = 0; i < N_NAMESPACES; i++) {
		uint32_t b = (where[i] - 1) / NS_BUCKET_CELLS, c = (where[i] - 1) % NS_BUCKET_CELLS;

		if (where[i] && bpf_map_lookup_elem(namespaces, &b, &bucket) == 0 &&
		    bucket.cells[c].inum == inums[i] && bucket.cells[c].slot == (uint32_t)i / 2)
			found++;
	}
	is_int(found, N_NAMESPACES, "each cell holds its namespace and recording");
	/* Registered twice while live: refused, naming the namespace. */
	{
		struct task_tag tag = { .slot = 0, .gen = 1 };
		uint32_t w = 0;

		memset(&err, 0, sizeof(err));
		is_int(ns_registry_add(namespaces, recordings, NS_KIND_PID, inums[N_NAMESPACES - 1],
				       &tag, &w, &err),
		       -1, "the farthest namespace is found again");
		like(err.msg, "is already being recorded", "and said to be recorded");
	}
#ifdef NS_MAX_PROBE
	{
		uint32_t home = 7;

		bpf_map_lookup_elem(namespaces, &home, &bucket);
		is_int(bucket.cells[0].probe, N_NAMESPACES / NS_BUCKET_CELLS - 1,
		       "the home bucket's probe reaches the farthest cell");
		/* The farthest recordings end: the home looks no further than its live cells. */
		for (int i = N_NAMESPACES - NS_BUCKET_CELLS; i < N_NAMESPACES; i++) {
			struct task_tag tag = { .slot = (uint32_t)i / 2, .gen = 1 };

			ns_registry_forget(namespaces, recordings, where[i], &tag);
		}
		bpf_map_lookup_elem(namespaces, &home, &bucket);
		is_int(bucket.cells[0].probe, N_NAMESPACES / NS_BUCKET_CELLS - 2,
		       "and shrinks when the farthest cells are emptied");
	}
#endif
	return done_testing();
}
