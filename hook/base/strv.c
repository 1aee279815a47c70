// SPDX-License-Identifier: GPL-2.0-or-later
/* The string vector: the one way a list of names is grown, sorted and freed. */
#include <stdlib.h>
#include <string.h>
#include "base/strv.h"

#define STRV_FIRST_CAP 16

int strv_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int strv_take(struct strv *sv, char *s)
{
	if (!s)
		return -1;
	/* One slot more than the strings: the array stays NULL-terminated. */
	if (sv->n + 1 >= sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : STRV_FIRST_CAP;
		char **bigger = realloc(sv->v, cap * sizeof(*bigger));

		if (!bigger) {
			free(s);
			return -1;
		}
		sv->v = bigger;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

int strv_append(struct strv *sv, const char *s)
{
	return strv_take(sv, strdup(s));
}

bool strv_contains(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

int strv_add_unique(struct strv *sv, const char *s)
{
	return strv_contains(sv, s) ? 0 : strv_append(sv, s);
}

void strv_sort(struct strv *sv)
{
	if (sv->n > 1) /* qsort's array may not be NULL, even empty */
		qsort(sv->v, sv->n, sizeof(*sv->v), strv_compare);
}

void strv_sort_unique(struct strv *sv)
{
	size_t kept = 0;

	strv_sort(sv);
	for (size_t i = 0; i < sv->n; i++) {
		if (kept && strcmp(sv->v[kept - 1], sv->v[i]) == 0)
			free(sv->v[i]);
		else
			sv->v[kept++] = sv->v[i];
	}
	sv->n = kept;
	if (sv->v)
		sv->v[kept] = NULL;
}

bool strv_sorted_contains(const struct strv *sv, const char *s)
{
	return sv->n && bsearch(&s, sv->v, sv->n, sizeof(*sv->v), strv_compare) != NULL;
}

char **strv_steal(struct strv *sv)
{
	char **v = sv->v;

	sv->v = NULL;
	sv->n = sv->cap = 0;
	return v;
}

void strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

int strv_array_append(char ***v, size_t *n, const char *s)
{
	/* Its capacity is not known: claim it full, and the append grows it. */
	struct strv sv = { .v = *v, .n = *n, .cap = *n + 1 };
	int ret = strv_append(&sv, s);

	*v = sv.v;
	*n = sv.n;
	return ret;
}

void strv_array_free(char **v, size_t n)
{
	struct strv sv = { .v = v, .n = n };

	strv_free(&sv);
}
