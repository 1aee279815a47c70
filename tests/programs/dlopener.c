// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A dynamic program that dlopen()s the module named by its first argument and runs its
 * plugin_run with the rest ("dlopener /lib/plugin.so [sync FILE]"). It imports no call the
 * module makes: only the module, which no DT_NEEDED names, can tell hints of fdatasync
 * (hints.bats).
 */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	void *module = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
	int (*run)(int, char **);

	if (!module) {
		fprintf(stderr, "dlopener: %s\n", argc > 1 ? dlerror() : "usage: dlopener MODULE");
		return 2;
	}
	*(void **)&run = dlsym(module, "plugin_run");
	if (!run) {
		fprintf(stderr, "dlopener: %s\n", dlerror());
		return 2;
	}
	return run(argc - 2, argv + 2);
}
