// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table of bpf_objects.h against the BPF object it describes: every map and program of the
 * object has a row and every row its map or program, with the type, key, value and entries the
 * program declares. The object is opened, never loaded: root-free.
 */
#include "tap.h"
#include <errno.h>
#include <bpf/libbpf.h>
#include "trace/bpf_objects.h"
#include "recorder.lskel.h"
#include "recorder.skel.h"

#define PROGRAM_MAP_NAME(name) #name,
static const char *const program_maps[] = { RECORDER_PROGRAM_MAPS(PROGRAM_MAP_NAME) };
#define N_PROGRAM_MAPS (sizeof(program_maps) / sizeof(program_maps[0]))

/* libbpf's warnings as TAP comments; its debug narration dropped. */
static int libbpf_to_diag(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	diag("libbpf: %s", line);
	return 0;
}

static const struct recorder_object *find_row(const char *name, bool program)
{
	for (size_t i = 0; i < recorder_object_count; i++) {
		const struct recorder_object *row = &recorder_object_table[i];

		if ((row->kind != RECORDER_MAP) == program && !strcmp(row->name, name))
			return row;
	}
	return NULL;
}

static bool is_program_map(const char *name)
{
	for (size_t i = 0; i < N_PROGRAM_MAPS; i++)
		if (!strcmp(program_maps[i], name))
			return true;
	return false;
}

/* Each map of the object is a row, or a map only the program uses; never both. */
static void object_maps_have_rows(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map (map, obj) {
		const char *name = bpf_map__name(map);

		if (bpf_map__is_internal(map))
			continue; /* .rodata and the like: the skeleton's, not ours */
		ok(!!find_row(name, false) != is_program_map(name),
		   "the object's map %s has one row: in RECORDER_MAPS or in RECORDER_PROGRAM_MAPS",
		   name);
	}
}

/* Each map row names a map of the object, which is what the row says a pin must be. */
static void map_rows_match_the_object(struct bpf_object *obj)
{
	for (size_t i = 0; i < recorder_object_count; i++) {
		const struct recorder_object *row = &recorder_object_table[i];
		struct bpf_map *map;

		if (row->kind != RECORDER_MAP)
			continue;
		map = bpf_object__find_map_by_name(obj, row->name);
		if (!ok(map != NULL, "the row %s names a map of the object", row->name))
			continue;
		is_uint(bpf_map__type(map), row->map_type, "map %s: its type", row->name);
		is_uint(bpf_map__key_size(map), row->key_size, "map %s: its key size", row->name);
		is_uint(bpf_map__value_size(map), row->value_size, "map %s: its value size",
			row->name);
		is_uint(bpf_map__max_entries(map), row->max_entries, "map %s: its entries",
			row->name);
	}
	for (size_t i = 0; i < N_PROGRAM_MAPS; i++)
		ok(bpf_object__find_map_by_name(obj, program_maps[i]) != NULL,
		   "the program's own map %s is a map of the object", program_maps[i]);
}

/* Each program is a row (an iterator or an attached program) and each such row a program. */
static void programs_match_rows(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program (prog, obj)
		ok(find_row(bpf_program__name(prog), true) != NULL,
		   "the object's program %s has a row in RECORDER_ITERS or RECORDER_LINKS",
		   bpf_program__name(prog));
	for (size_t i = 0; i < recorder_object_count; i++) {
		const struct recorder_object *row = &recorder_object_table[i];

		if (row->kind == RECORDER_MAP)
			continue;
		prog = bpf_object__find_program_by_name(obj, row->name);
		if (!ok(prog != NULL, "the row %s names a program of the object", row->name))
			continue;
		/* bpf_pins.c checks a pinned iterator is a tracing program; tracer.c attaches it
		 * so. */
		if (row->kind == RECORDER_ITER) {
			is_uint(bpf_program__type(prog), BPF_PROG_TYPE_TRACING,
				"program %s: a tracing program", row->name);
			is_uint(bpf_program__expected_attach_type(prog), BPF_TRACE_ITER,
				"program %s: an iterator", row->name);
		}
	}
}

/* Two rows never share a pin, nor a descriptor. */
static void pins_and_descriptors_are_distinct(void)
{
	bool distinct = true;

	for (size_t i = 0; i < recorder_object_count; i++)
		for (size_t j = i + 1; j < recorder_object_count; j++)
			if (!strcmp(recorder_object_table[i].pin, recorder_object_table[j].pin) ||
			    recorder_object_table[i].fd_offset ==
				    recorder_object_table[j].fd_offset) {
				diag("rows %s and %s share a pin or a descriptor",
				     recorder_object_table[i].name, recorder_object_table[j].name);
				distinct = false;
			}
	ok(distinct, "every row has a pin and a descriptor of its own");
}

/*
 * The light skeleton names its maps and programs as members, which bpf_loader.c reaches by the
 * rows' names (a row it lacks does not compile); here its counts, against the object's.
 */
static void light_skeleton_matches(struct bpf_object *obj)
{
	struct recorder_lskel *light = NULL;
	struct bpf_program *prog;
	struct bpf_map *map;
	size_t maps = 0, progs = 0;

	bpf_object__for_each_map (map, obj)
		maps++;
	bpf_object__for_each_program (prog, obj)
		progs++;
	is_uint(sizeof(light->maps) / sizeof(struct bpf_map_desc), maps,
		"the light skeleton has the object's maps");
	is_uint(sizeof(light->progs) / sizeof(struct bpf_prog_desc), progs,
		"the light skeleton has the object's programs");
}

/* The descriptors start at -1, one per row and nothing else. */
static void objects_start_empty_and_close(void)
{
	struct recorder_objects o = RECORDER_OBJECTS_NONE;
	bool none = true;

	for (size_t i = 0; i < recorder_object_count; i++)
		none = none && *recorder_object_fd(&o, &recorder_object_table[i]) == -1;
	ok(none, "RECORDER_OBJECTS_NONE holds no descriptor");
	is_uint(sizeof(o), recorder_object_count * sizeof(int),
		"struct recorder_objects holds one descriptor per row");
	recorder_objects_close(&o); /* -1 everywhere: closes nothing */
}

int main(void)
{
	struct recorder_bpf *skel;

	libbpf_set_print(libbpf_to_diag);
	skel = recorder_bpf__open();
	if (!ok(skel != NULL, "the BPF object opens (not loaded)")) {
		diag("recorder_bpf__open: %s", strerror(errno));
		return done_testing();
	}
	object_maps_have_rows(skel->obj);
	map_rows_match_the_object(skel->obj);
	programs_match_rows(skel->obj);
	light_skeleton_matches(skel->obj);
	recorder_bpf__destroy(skel);
	pins_and_descriptors_are_distinct();
	objects_start_empty_and_close();
	return done_testing();
}
