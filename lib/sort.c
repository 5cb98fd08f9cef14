/* SPDX-License-Identifier: MIT */
/*
 * lib/sort.c - ukmem_sort(): an in-place heap sort of an array, as the kernel's
 * lib/sort.c is (not stable, O(n log n) in the worst case, no memory
 * taken, so it may run where libc's qsort() must not: under the
 * allocator's own locks, in a scan that may not allocate).
 *
 * Internal to the library (lib/sort.h), and not named sort(): a program
 * linked with libukmem.a may well define its own.
 */
#include <stddef.h>
#include <string.h>

#include "lib/sort.h"

static void swap_bytes(void *a, void *b, size_t size)
{
	unsigned char tmp[64];

	while (size) {
		size_t n = size < sizeof(tmp) ? size : sizeof(tmp);

		memcpy(tmp, a, n);
		memcpy(a, b, n);
		memcpy(b, tmp, n);
		a = (char *)a + n;
		b = (char *)b + n;
		size -= n;
	}
}

/* Move element @root down the heap of @n elements until both children are no larger. */
static void sift_down(char *base, size_t root, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + (child + 1) * size, base + child * size) > 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void ukmem_sort(void *base, size_t num, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	size_t i;

	for (i = num / 2; i-- > 0;)
		sift_down(b, i, num, size, cmp);
	for (i = num; i-- > 1;) {
		swap_bytes(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp);
	}
}
