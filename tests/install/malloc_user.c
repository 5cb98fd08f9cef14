/* SPDX-License-Identifier: MIT */
/*
 * A plain program linked against ukmem::malloc (libukmem-malloc.so): its
 * malloc must be the front end's, found by the dynamic linker before
 * libc's.  No ukmem header is needed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	Dl_info info;
	void *(*volatile alloc)(size_t) = malloc;
	char *p = alloc(100);

	if (!p || !dladdr((void *)alloc, &info) || !info.dli_fname ||
	    !strstr(info.dli_fname, "libukmem-malloc")) {
		fprintf(stderr, "malloc is not the front end's (%s)\n",
			p && info.dli_fname ? info.dli_fname : "?");
		return 1;
	}
	strcpy(p, "malloc from ukmem");
	printf("%s (%s)\n", p, info.dli_fname);
	free(p);
	return 0;
}
