/* SPDX-License-Identifier: MIT */
/* lib/sort.h - the library's own in-place sort (lib/sort.c). */
#ifndef _LIB_SORT_H
#define _LIB_SORT_H

#include <stddef.h>

/* Sort @num elements of @size bytes at @base by @cmp, in place, taking no memory. */
void ukmem_sort(void *base, size_t num, size_t size, int (*cmp)(const void *, const void *));

#endif /* _LIB_SORT_H */
