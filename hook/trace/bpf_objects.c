// SPDX-License-Identifier: GPL-2.0-or-later
/* The rows of bpf_objects.h as a table, and the descriptors of struct recorder_objects. */
#include <assert.h>
#include <unistd.h>
#include "trace/bpf_objects.h"

#define MAP_ROW(name_, type, key, value, entries)                \
	{ .name = #name_,                                        \
	  .pin = #name_,                                         \
	  .kind = RECORDER_MAP,                                  \
	  .fd_offset = offsetof(struct recorder_objects, name_), \
	  .map_type = (type),                                    \
	  .key_size = sizeof(key),                               \
	  .value_size = sizeof(value),                           \
	  .max_entries = (entries) },
#define ITER_ROW(name_)          \
	{ .name = #name_,        \
	  .pin = #name_,         \
	  .kind = RECORDER_ITER, \
	  .fd_offset = offsetof(struct recorder_objects, name_) },
#define LINK_ROW(name_, pin_)    \
	{ .name = #name_,        \
	  .pin = #pin_,          \
	  .kind = RECORDER_LINK, \
	  .fd_offset = offsetof(struct recorder_objects, links.name_) },

const struct recorder_object recorder_object_table[] = { RECORDER_MAPS(MAP_ROW) RECORDER_ITERS(
	ITER_ROW) RECORDER_LINKS(LINK_ROW) };
#define N_ROWS (sizeof(recorder_object_table) / sizeof(recorder_object_table[0]))
const size_t recorder_object_count = N_ROWS;

/* Every descriptor of struct recorder_objects has a row: the walks below reach them all. */
static_assert(N_ROWS * sizeof(int) == sizeof(struct recorder_objects),
	      "struct recorder_objects holds a descriptor that no row names");

/* Close the descriptors of @o whose rows are of a kind in @kinds (a mask of 1 << kind). */
static void close_rows(struct recorder_objects *o, unsigned int kinds)
{
	for (size_t i = 0; i < recorder_object_count; i++) {
		const struct recorder_object *row = &recorder_object_table[i];
		int *fd = recorder_object_fd(o, row);

		if ((kinds & (1u << row->kind)) && *fd >= 0) {
			close(*fd);
			*fd = -1;
		}
	}
}

void recorder_objects_close(struct recorder_objects *o)
{
	close_rows(o, ~0u);
}

void recorder_objects_close_links(struct recorder_objects *o)
{
	close_rows(o, 1u << RECORDER_LINK);
}

struct recorder_objects recorder_objects_take(struct recorder_objects *o)
{
	struct recorder_objects taken = *o;

	*o = RECORDER_OBJECTS_NONE;
	return taken;
}
