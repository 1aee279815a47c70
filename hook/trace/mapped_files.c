// SPDX-License-Identifier: GPL-2.0-or-later
/* The files a recording's tasks mapped executable, read out of the BPF map and forgotten. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "base/cleanup.h"
#include "trace/mapped_files.h"

bool mapped_file_path(const struct mapped_file *m, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	if (m->flags & (CALLER_NO_EXE | CALLER_EXE_ANON | CALLER_EXE_TRUNCATED |
			CALLER_PART_TRUNCATED) ||
	    !m->parts || m->parts > MAPPED_PATH_PARTS)
		return false;
	for (uint32_t i = m->parts; i-- > 0 && used < size;) {
		char part[MAPPED_PART_LEN];

		memcpy(part, m->path[i], MAPPED_PART_LEN);
		part[MAPPED_PART_LEN - 1] = '\0';
		used += (size_t)snprintf(out + used, size - used, "/%s", part);
	}
	return used < size;
}

int mapped_files_take(int map_fd, uint32_t slot, uint32_t gen, struct strv *out, struct error *err)
{
	cleanup_free struct mapped_key *keys = calloc(MAX_MAPPED_FILES, sizeof(*keys));
	struct mapped_key key, *prev = NULL;
	size_t n_keys = 0;
	int ret = 0;

	if (!keys)
		return err ? error_set(err, ENOMEM, "the mapped files") : -1;
	/* As take_callers (tracer.c): the keys first, a walk longer than twice the table cut. */
	for (size_t steps = 0; n_keys < MAX_MAPPED_FILES && steps < 2 * MAX_MAPPED_FILES; steps++) {
		if (bpf_map_get_next_key(map_fd, prev, &key) < 0)
			break;
		if (key.slot == slot)
			keys[n_keys++] = key;
		prev = &key;
	}
	for (size_t i = 0; i < n_keys; i++) {
		struct mapped_file m;
		char path[MAPPED_PATH_PARTS * MAPPED_PART_LEN + 8];

		if (out && ret == 0 && keys[i].gen == gen &&
		    bpf_map_lookup_elem(map_fd, &keys[i], &m) == 0 &&
		    mapped_file_path(&m, path, sizeof(path)) && strv_add_unique(out, path) < 0)
			ret = err ? error_set(err, ENOMEM, "the mapped files") : -1;
		bpf_map_delete_elem(map_fd, &keys[i]);
	}
	if (out)
		strv_sort(out);
	return ret;
}
