// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of base/strv: the string vector every list of names is kept in. */
#include "tap.h"
#include "base/strv.h"

static void test_append(void)
{
	cleanup_strv struct strv sv = { 0 };
	char name[] = "read";

	is_int(strv_append(&sv, name), 0, "a string is appended");
	name[0] = 'b';
	is_str(sv.v[0], "read", "as a copy: changing the original does not change it");
	for (int i = 0; i < 100; i++)
		strv_append(&sv, i % 2 ? "write" : "openat");
	is_uint(sv.n, 101, "it grows as far as needed");
	ok(sv.v[sv.n] == NULL, "and stays NULL-terminated");
	ok(strv_contains(&sv, "write") && !strv_contains(&sv, "close"),
	   "contains finds what it holds, and only that");
	is_int(strv_add_unique(&sv, "write"), 0, "adding what it holds once more succeeds");
	is_uint(sv.n, 101, "without a second copy");
	is_int(strv_take(&sv, strdup("close")), 0, "a string can be handed over");
	is_str(sv.v[sv.n - 1], "close", "and is the last one");
	is_int(strv_take(&sv, NULL), -1, "a NULL (out of memory) string is refused");
}

static void test_sort(void)
{
	cleanup_strv struct strv sv = { 0 };
	const char *in[] = { "write", "read", "write", "close", "read" };

	strv_sort_unique(&sv);
	ok(sv.n == 0 && !sv.v, "an empty vector sorts to an empty one");
	ok(!strv_sorted_contains(&sv, "read"), "and holds nothing");
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		strv_append(&sv, in[i]);
	strv_sort(&sv);
	is_uint(sv.n, 5, "a plain sort keeps duplicates");
	is_str(sv.v[0], "close", "and sorts by strcmp");
	strv_sort_unique(&sv);
	is_uint(sv.n, 3, "sort+unique keeps each string once");
	ok(strcmp(sv.v[0], "close") == 0 && strcmp(sv.v[1], "read") == 0 &&
		   strcmp(sv.v[2], "write") == 0 && sv.v[3] == NULL,
	   "in order, NULL-terminated");
	ok(strv_sorted_contains(&sv, "read") && !strv_sorted_contains(&sv, "open"),
	   "a sorted vector is searched by bisection");
}

static void test_steal_and_arrays(void)
{
	struct strv sv = { 0 };
	char **v;
	size_t n = 0;

	strv_append(&sv, "a");
	strv_append(&sv, "b");
	n = sv.n;
	v = strv_steal(&sv);
	ok(sv.v == NULL && sv.n == 0, "stealing leaves the vector empty");
	ok(n == 2 && strcmp(v[1], "b") == 0 && v[2] == NULL, "and hands the array over");
	is_int(strv_array_append(&v, &n, "c"), 0, "a handed-over array can grow");
	ok(n == 3 && strcmp(v[2], "c") == 0 && v[3] == NULL, "and stays NULL-terminated");
	strv_array_free(v, n);
	v = NULL;
	n = 0;
	is_int(strv_array_append(&v, &n, "x"), 0, "a NULL array is grown from nothing");
	is_str(v[0], "x", "and holds the string");
	strv_array_free(v, n);
	strv_free(&sv);
	ok(sv.v == NULL && sv.n == 0 && sv.cap == 0, "freeing an empty vector is harmless");
}

int main(void)
{
	test_append();
	test_sort();
	test_steal_and_arrays();
	return done_testing();
}
