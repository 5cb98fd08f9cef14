/* SPDX-License-Identifier: MIT */
/*
 * Both orders of ukmem's and the system's linux/ headers in one program
 * (system_first.c, ukmem_first.c): built with ukmem's include directory
 * first, as pkg-config's cflags put it, the build passing is most of the
 * test; running it checks that what each side defined works.
 */
#include <stdio.h>

int system_first(void);
int ukmem_first(void);

int main(void)
{
	int rc = system_first() | ukmem_first();

	printf("system headers and ukmem's: %s\n", rc ? "FAILED" : "ok");
	return rc;
}
