/* SPDX-License-Identifier: MIT */
/*
 * tests/memblock_test.h - what test_memblock and test_memblock_kernel
 * check of every memblock array after each step.
 */
#ifndef _UKMEM_MEMBLOCK_TEST_H
#define _UKMEM_MEMBLOCK_TEST_H

#include <linux/memblock.h>
#include "ktest.h"

/* Sorted, disjoint, merged, and total_size is the sum of the sizes. */
static inline void check_type(const struct memblock_type *type)
{
	phys_addr_t total = 0;
	unsigned long i;

	CHECK(type->cnt <= type->max);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		CHECK(r->size > 0);
		total += r->size;
		if (i + 1 < type->cnt) {
			const struct memblock_region *n = r + 1;

			CHECK(r->base + r->size <= n->base);
			/* Touching neighbours that agree must have been merged. */
			CHECK(!(r->base + r->size == n->base && r->nid == n->nid &&
				r->flags == n->flags));
		}
	}
	CHECK_EQ(total, type->total_size);
}

#endif /* _UKMEM_MEMBLOCK_TEST_H */
