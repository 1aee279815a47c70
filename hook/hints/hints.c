// SPDX-License-Identifier: GPL-2.0-or-later
/* The executables of a recording and their libraries, read inside the root: the calls they can
 * make. */
#include <errno.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <seccomp.h>
#include "base/cleanup.h"
#include "base/escape.h"
#include "base/log.h"
#include "hints/code_scan.h"
#include "hints/elf_object.h"
#include "hints/hints.h"
#include "hints/libc_table.h"

/* More objects than this are not read (a process maps a few dozen). */
#define MAX_OBJECTS 256
#define FROM_LEN 512

/* Where the loader looks after DT_RUNPATH (Debian's multiarch folders first). */
static const char *const x86_64_dirs[] = {
	"/lib/x86_64-linux-gnu",
	"/usr/lib/x86_64-linux-gnu",
	"/usr/local/lib/x86_64-linux-gnu",
	"/lib64",
	"/usr/lib64",
	"/lib",
	"/usr/lib",
	"/usr/local/lib",
	NULL,
};
static const char *const aarch64_dirs[] = {
	"/lib/aarch64-linux-gnu",
	"/usr/lib/aarch64-linux-gnu",
	"/usr/local/lib/aarch64-linux-gnu",
	"/lib64",
	"/usr/lib64",
	"/lib",
	"/usr/lib",
	"/usr/local/lib",
	NULL,
};

struct walk {
	int root_fd;
	struct elf_object objs[MAX_OBJECTS];
	size_t n;
	struct strv tried; /* paths opened or skipped, once each */
	struct hints *out;
	int32_t index[2][MAX_SYSCALL_NR]; /* (machine, number) -> 1 + its place in out->v */
	struct timespec start;
	bool over_budget;
};

bool hints_mode_parse(const char *value, enum hints_mode *out)
{
	if (strcmp(value, "on") == 0)
		*out = HINTS_ON;
	else if (strcmp(value, "log") == 0)
		*out = HINTS_LOG;
	else if (strcmp(value, "off") == 0)
		*out = HINTS_OFF;
	else
		return false;
	return true;
}

static uint64_t elapsed_ms(const struct walk *w)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - w->start.tv_sec) * 1000 +
	       (uint64_t)((now.tv_nsec - w->start.tv_nsec) / 1000000);
}

static bool out_of_time(struct walk *w)
{
	if (!w->over_budget && elapsed_ms(w) > HINTS_BUDGET_MS) {
		w->over_budget = true;
		log_warning(
			"hints: the analysis took over %d ms and stopped: the hints are partial",
			HINTS_BUDGET_MS);
	}
	return w->over_budget;
}

/* Read @path once; the object's index, or -1 when it was skipped (logged) or seen. */
static long load(struct walk *w, const char *path, uint16_t machine, bool quiet)
{
	struct error err = { 0 };

	if (strv_contains(&w->tried, path) || w->n >= MAX_OBJECTS || out_of_time(w))
		return -1;
	if (strv_append(&w->tried, path) < 0)
		return -1;
	if (elf_object_open(w->root_fd, path, &w->objs[w->n], &err) < 0) {
		if (!quiet) {
			w->out->skipped++;
			log_info("hints: %s: skipped", err.msg);
		}
		return -1;
	}
	if (machine && w->objs[w->n].machine != machine) {
		elf_object_release(&w->objs[w->n]);
		return -1; /* the loader passes over a library of another machine, too */
	}
	w->out->objects++;
	return (long)w->n++;
}

static bool is_loaded(const struct walk *w, const char *path)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->objs[i].path, path) == 0)
			return true;
	return false;
}

/* $ORIGIN in a DT_RUNPATH entry is the folder of the object that has it. */
static void expand_origin(const char *entry, const char *obj_path, char *out, size_t size)
{
	const char *slash = strrchr(obj_path, '/');
	int dir_len = slash ? (int)(slash - obj_path) : 0;
	const char *at = strstr(entry, "$ORIGIN");

	if (!at) {
		snprintf(out, size, "%s", entry);
		return;
	}
	snprintf(out, size, "%.*s%.*s%s", (int)(at - entry), entry, dir_len, obj_path,
		 at + strlen("$ORIGIN"));
}

/* DT_NEEDED @name of object @i, searched as ld.so does: RUNPATH, then the system folders. */
static void load_needed(struct walk *w, size_t i, const char *name)
{
	const char *const *dirs = w->objs[i].machine == EM_AARCH64 ? aarch64_dirs : x86_64_dirs;
	uint16_t machine = w->objs[i].machine;
	char path[4096];

	if (strchr(name, '/')) {
		if (!is_loaded(w, name))
			load(w, name, machine, false);
		return;
	}
	for (size_t r = 0; r < w->objs[i].runpath.n + 1; r++) {
		char *list = r < w->objs[i].runpath.n ? w->objs[i].runpath.v[r] : NULL;
		cleanup_free char *copy = list ? strdup(list) : NULL;
		char *dir, *save = NULL;

		if (list && !copy)
			return;
		for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir;
		     dir = strtok_r(NULL, ":", &save)) {
			char expanded[2048];

			expand_origin(dir, w->objs[i].path, expanded, sizeof(expanded));
			snprintf(path, sizeof(path), "%s/%s", expanded, name);
			if (is_loaded(w, path) || load(w, path, machine, true) >= 0)
				return;
		}
	}
	for (size_t d = 0; dirs[d]; d++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[d], name);
		if (is_loaded(w, path) || load(w, path, machine, true) >= 0)
			return;
	}
	log_info("hints: `%s`, needed by `%s`, is not in the container's root", name,
		 w->objs[i].path);
}

static bool is_libc(const struct elf_object *o)
{
	const char *base = strrchr(o->path, '/');
	const char *name = o->soname ? o->soname : base ? base + 1 : o->path;

	return strncmp(name, "libc.so", 7) == 0 || strncmp(name, "libc.musl-", 10) == 0;
}

static bool is_loader(const struct elf_object *o)
{
	const char *name = o->soname ? o->soname : "";

	return strncmp(name, "ld-linux", 8) == 0 || strncmp(name, "ld64.so", 7) == 0;
}

static int cmp_call(const void *a, const void *b)
{
	const struct hint_call *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->arch, y->arch);
}

/* Add @from as a reason for call @nr of @machine (@direct: see struct hint_call). */
static int add_call(struct walk *w, uint16_t machine, int nr, const char *from, bool direct)
{
	uint32_t arch = machine == EM_AARCH64 ? SCMP_ARCH_AARCH64 : SCMP_ARCH_X86_64;
	const char *arch_name = machine == EM_AARCH64 ? "SCMP_ARCH_AARCH64" : "SCMP_ARCH_X86_64";
	int32_t *index = &w->index[machine == EM_AARCH64][nr];
	struct hints *h = w->out;
	struct hint_call *c = *index ? &h->v[*index - 1] : NULL;

	if (*index < 0)
		return 0;
	if (!c) {
		cleanup_free char *name = seccomp_syscall_resolve_num_arch(arch, nr);

		if (!name) {
			*index = -1; /* a number libseccomp does not know cannot be allowed */
			return 0;
		}
		if (h->n == h->cap) {
			size_t n = h->cap ? h->cap * 2 : 64;
			struct hint_call *v = realloc(h->v, n * sizeof(*v));

			if (!v)
				return -1;
			h->v = v;
			h->cap = n;
		}
		c = &h->v[h->n];
		memset(c, 0, sizeof(*c));
		c->name = TAKE_PTR(name);
		c->arch = strdup(arch_name);
		*index = (int32_t)++h->n;
		if (!c->arch)
			return -1;
	}
	c->direct |= direct;
	c->sources++;
	if (c->from.n < HINTS_MAX_FROM) {
		/* The container chose its files' names: they enter in the escape form (escape.h).
		 */
		cleanup_free char *text = escape_dup(from, 0);

		if (!text)
			return -1;
		if (!strv_contains(&c->from, text))
			return strv_take(&c->from, TAKE_PTR(text));
	}
	return 0;
}

/* Each imported function that the libc defines adds the calls it can make. */
static int add_imports(struct walk *w, const struct elf_object *o, const struct libc_table *t)
{
	const char *libc_name = t->libc->soname ? t->libc->soname : "libc";

	for (size_t i = 0; i < o->imports.n; i++) {
		uint64_t bits[SYSCALL_WORDS], own[SYSCALL_WORDS];
		char from[FROM_LEN];

		if (!libc_table_lookup(t, o->imports.v[i], bits, own))
			continue;
		snprintf(from, sizeof(from), "%s: %s@%s", o->path, o->imports.v[i], libc_name);
		for (int nr = 0; nr < MAX_SYSCALL_NR; nr++)
			if ((bits[nr / 64] >> (nr % 64)) & 1 &&
			    add_call(w, o->machine, nr, from, (own[nr / 64] >> (nr % 64)) & 1) < 0)
				return -1;
	}
	return 0;
}

/* The object's own system call instructions (a static binary's are all it has). */
static int add_raw_sites(struct walk *w, const struct elf_object *o)
{
	struct code_scan scan = { 0 };
	struct error err = { 0 };
	int ret = 0;

	for (size_t i = 0; i < o->n_code && !out_of_time(w); i++) {
		if (!code_scan_may_have_sites(o->machine, o->code[i].bytes, o->code[i].size))
			continue;
		if (code_scan_sites(o->machine, o->code[i].bytes, o->code[i].size, o->code[i].addr,
				    &scan, &err) < 0) {
			code_scan_release(&scan);
			return -1;
		}
	}
	for (size_t i = 0; i < scan.n_sites && ret == 0; i++) {
		char from[FROM_LEN];

		if (scan.sites[i].nr < 0)
			continue;
		snprintf(from, sizeof(from), "%s: syscall instruction at 0x%llx", o->path,
			 (unsigned long long)scan.sites[i].addr);
		ret = add_call(w, o->machine, scan.sites[i].nr, from, true);
	}
	code_scan_release(&scan);
	return ret;
}

static int analyze(struct walk *w, struct error *err)
{
	struct libc_table tables[2] = { 0 }; /* x86_64, aarch64 */
	bool built[2] = { false, false };
	int ret = 0;

	for (size_t i = 0; i < w->n && ret == 0; i++) {
		const struct elf_object *o = &w->objs[i];
		int k = o->machine == EM_AARCH64;

		if (!is_libc(o) || built[k])
			continue;
		if (libc_table_build(o, &tables[k], err) < 0) {
			if (err->errnum == ENOMEM)
				ret = -1;
			else
				log_info("hints: %s", err->msg);
			continue;
		}
		built[k] = true;
		log_debug("hints: `%s`: %zu system call instructions, %zu without a known number",
			  o->path, tables[k].sites, tables[k].unknown_sites);
	}
	for (size_t i = 0; i < w->n && ret == 0 && !out_of_time(w); i++) {
		const struct elf_object *o = &w->objs[i];
		int k = o->machine == EM_AARCH64;

		if (is_libc(o) || is_loader(o))
			continue;
		if (built[k] && add_imports(w, o, &tables[k]) < 0)
			ret = -1;
		else if (add_raw_sites(w, o) < 0)
			ret = -1;
	}
	for (int k = 0; k < 2; k++)
		if (built[k])
			libc_table_release(&tables[k]);
	if (ret < 0 && !err->msg[0])
		error_set(err, ENOMEM, "hints");
	return ret;
}

int hints_collect(int root_fd, const char *const *exes, size_t n_exes, struct hints *out,
		  struct error *err)
{
	struct walk *w = calloc(1, sizeof(*w));
	int ret;

	memset(out, 0, sizeof(*out));
	if (!w)
		return error_set(err, ENOMEM, "hints");
	w->root_fd = root_fd;
	w->out = out;
	clock_gettime(CLOCK_MONOTONIC, &w->start);
	for (size_t i = 0; i < n_exes; i++)
		load(w, exes[i], 0, false);
	/* Breadth first, as the loader orders them; the list grows while it is walked. */
	for (size_t i = 0; i < w->n && !out_of_time(w); i++)
		for (size_t k = 0; k < w->objs[i].needed.n; k++)
			load_needed(w, i, w->objs[i].needed.v[k]);
	ret = analyze(w, err);
	if (ret == 0 && out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_call);
	for (size_t i = 0; i < w->n; i++)
		elf_object_release(&w->objs[i]);
	strv_free(&w->tried);
	out->elapsed_ms = elapsed_ms(w);
	free(w);
	if (ret < 0)
		hints_release(out);
	return ret;
}

void hints_release(struct hints *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].arch);
		strv_free(&h->v[i].from);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

const struct hint_call *hints_find(const struct hints *h, const char *name, const char *arch)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].name, name) == 0 && (!arch || strcmp(h->v[i].arch, arch) == 0))
			return &h->v[i];
	return NULL;
}

void hints_filter(struct hints *h, bool (*keep)(const struct hint_call *c, void *data), void *data)
{
	size_t n = 0;

	for (size_t i = 0; i < h->n; i++) {
		if (keep(&h->v[i], data)) {
			h->v[n++] = h->v[i];
			continue;
		}
		free(h->v[i].name);
		free(h->v[i].arch);
		strv_free(&h->v[i].from);
	}
	h->n = n;
}

/* Stronger first: direct, then more reasons, then by name and arch. */
static int cmp_strength(const void *a, const void *b)
{
	const struct hint_call *x = a, *y = b;

	if (x->direct != y->direct)
		return x->direct ? -1 : 1;
	if (x->sources != y->sources)
		return x->sources > y->sources ? -1 : 1;
	return cmp_call(a, b);
}

size_t hints_rank(struct hints *h, size_t keep)
{
	size_t strong = 0;

	if (!h->n)
		return 0;
	qsort(h->v, h->n, sizeof(*h->v), cmp_strength);
	for (size_t i = 0; i < h->n; i++) {
		h->v[i].weaker = i >= keep;
		strong += !h->v[i].weaker;
	}
	qsort(h->v, h->n, sizeof(*h->v), cmp_call);
	return strong;
}
