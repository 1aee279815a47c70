// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A dynamic program whose only libc imports besides its start are fatal ones (assert, abort):
 * its hints name no call of theirs (test_hints: libc's fatal paths are not followed).
 */
#include <assert.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	(void)argv;
	assert(argc < 100);
	if (argc > 50)
		abort();
	return 0;
}
