/* SPDX-License-Identifier: MIT */
/*
 * A plugin opened with RTLD_DEEPBIND, as PHP opens its extensions, by a
 * relative name that only this program's RUNPATH finds: the program's
 * blocks are freed by the plugin and the plugin's by the program, a
 * thousand times each.  On the front end the flag is dropped (malloc/
 * preload/dlopen.c), so both sides use the same malloc; without that, the
 * plugin's free() is glibc's and aborts on the first block.  The lookup
 * through RUNPATH proves the wrapper hands dlopen() its caller's address.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	void *h = dlopen("libdlopen_plug.so", RTLD_NOW | RTLD_DEEPBIND);
	void (*plug_free)(void *);
	void *(*plug_malloc)(size_t);
	int i;

	if (!h) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return 1;
	}
	plug_free = (void (*)(void *))dlsym(h, "plug_free");
	plug_malloc = (void *(*)(size_t))dlsym(h, "plug_malloc");
	if (!plug_free || !plug_malloc) {
		fprintf(stderr, "dlsym: %s\n", dlerror());
		return 1;
	}
	for (i = 0; i < 1000; i++) {
		char *p = malloc(100 + i * 97), *q;

		memset(p, 1, 100 + i * 97);
		plug_free(p);
		q = plug_malloc(100 + i * 97);
		memset(q, 2, 100 + i * 97);
		free(q);
	}
	dlclose(h);
	puts("ok");
	return 0;
}
