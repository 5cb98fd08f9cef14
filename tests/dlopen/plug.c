/* SPDX-License-Identifier: MIT */
/* tests/dlopen: a plugin that frees what its host allocated, and the reverse. */
#include <stdlib.h>

void plug_free(void *p)
{
	free(p);
}

void *plug_malloc(size_t n)
{
	return malloc(n);
}
