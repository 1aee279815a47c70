// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Print the file names a shared program is pinned under, one a line, from the table of
 * bpf_objects.h: the integration tests plant, check and count exactly these.
 */
#include <stdio.h>
#include "trace/bpf_objects.h"

int main(void)
{
	for (size_t i = 0; i < recorder_object_count; i++)
		printf("%s\n", recorder_object_table[i].pin);
	return fflush(stdout) == 0 ? 0 : 1;
}
