/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable vector of strings it owns: append a copy, ask, sort once each, free. */
#ifndef STRV_H
#define STRV_H

#include <stdbool.h>
#include <stddef.h>

struct strv {
	char **v; /* v[n] is NULL once anything was appended */
	size_t n;
	size_t cap;
};

/* Append a copy of @s. Returns 0, or -1 when out of memory (@sv unchanged). */
int strv_append(struct strv *sv, const char *s);
/* Append @s itself, which @sv then owns; freed when out of memory. */
int strv_take(struct strv *sv, char *s);
/* Append a copy of @s unless @sv holds it already. */
int strv_add_unique(struct strv *sv, const char *s);
/* Whether @sv holds @s, by a linear search. */
bool strv_contains(const struct strv *sv, const char *s);
/* Sort by strcmp and keep each string once. */
void strv_sort_unique(struct strv *sv);
/* Sort by strcmp, duplicates kept. */
void strv_sort(struct strv *sv);
/* Whether @sv, sorted by strv_sort(_unique), holds @s: a binary search. */
bool strv_sorted_contains(const struct strv *sv, const char *s);
/* Hand the array over (NULL-terminated, NULL when empty) and leave @sv empty. */
char **strv_steal(struct strv *sv);
/* Free every string and the array; @sv is empty after. */
void strv_free(struct strv *sv);

/*
 * The same on a bare array of @n strings, one a struct strv handed over (strv_steal), or NULL:
 * where a struct keeps its names as `char **v; size_t n;`.
 */
int strv_array_append(char ***v, size_t *n, const char *s);
void strv_array_free(char **v, size_t n);

/* strcmp for qsort and bsearch over arrays of char *. */
int strv_compare(const void *a, const void *b);

static inline void cleanup_strvp(struct strv *sv)
{
	strv_free(sv);
}
#define cleanup_strv __attribute__((cleanup(cleanup_strvp)))

#endif /* STRV_H */
