/* SPDX-License-Identifier: MIT */
/*
 * malloc/aligned.c - the aligned entry points of the malloc front end:
 * posix_memalign, aligned_alloc, memalign, valloc, pvalloc and glibc's
 * __libc_ names for them.  Each sorts out glibc's answers for its
 * arguments (EINVAL, ENOMEM, the rounding of an alignment that is not a
 * power of two, which glibc's version decides) and leaves the block to
 * malloc_memalign() (malloc/malloc.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

#include <linux/log2.h>
#include <linux/mm.h>
#include "malloc/malloc_internal.h"

#define UKMEM_EXPORT	__attribute__((visibility("default")))

UKMEM_EXPORT int posix_memalign(void **memptr, size_t alignment, size_t size)
{
	void *p;

	if (alignment % sizeof(void *) || !is_power_of_2(alignment))
		return EINVAL;
	/* The result is the return value; errno is left as glibc leaves it (ENOMEM). */
	p = malloc_memalign(alignment, size);
	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

/*
 * glibc up to 2.37 treats aligned_alloc as memalign; 2.38 made an alignment
 * that is not a power of two EINVAL.  Follow the glibc we run on.
 */
static bool aligned_alloc_strict(void)
{
	static int strict = -1;

	if (strict < 0) {
		const char *v = gnu_get_libc_version();
		unsigned long major = strtoul(v, (char **)&v, 10), minor = 0;

		if (*v == '.')
			minor = strtoul(v + 1, NULL, 10);
		strict = major > 2 || (major == 2 && minor >= 38);
	}
	return strict;
}

UKMEM_EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
	if (!is_power_of_2(alignment) && aligned_alloc_strict()) {
		errno = EINVAL;
		return NULL;
	}
	return memalign(alignment, size);
}

UKMEM_EXPORT void *memalign(size_t alignment, size_t size)
{
	/*
	 * glibc rounds a non-power-of-two alignment up; an absurd one is
	 * ENOMEM, and one above SIZE_MAX / 2 + 1, which no power of two is,
	 * EINVAL (_mid_memalign's order of checks).
	 */
	if (alignment > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	if (alignment > (SIZE_MAX >> 2)) {
		errno = ENOMEM;
		return NULL;
	}
	if (!is_power_of_2(alignment))
		alignment = alignment <= 1 ? 1 : roundup_pow_of_two(alignment);
	return malloc_memalign(alignment, size);
}

UKMEM_EXPORT void *valloc(size_t size)
{
	return malloc_memalign(PAGE_SIZE, size);
}

UKMEM_EXPORT void *pvalloc(size_t size)
{
	if (size > SIZE_MAX - PAGE_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	return malloc_memalign(PAGE_SIZE, size ? PAGE_ALIGN(size) : PAGE_SIZE);
}

UKMEM_EXPORT void *__libc_memalign(size_t alignment, size_t size) { return memalign(alignment, size); }
UKMEM_EXPORT void *__libc_valloc(size_t size) { return valloc(size); }
UKMEM_EXPORT void *__libc_pvalloc(size_t size) { return pvalloc(size); }
