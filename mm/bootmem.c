/* SPDX-License-Identifier: MIT */
/*
 * mm/bootmem.c - the 2.6-era bootmem API on top of memblock (the kernel's
 * mm/nobootmem.c shim, used with CONFIG_NO_BOOTMEM until 4.20).
 *
 * Valid only in the boot phase (a hook passed to ukmem_boot_hook()).
 * Allocations are zeroed, reserved for ever, and panic when they cannot be
 * satisfied, as alloc_bootmem() did; "goal" is a preferred lowest address
 * that is dropped when nothing fits above it.
 */
#include <errno.h>
#include <string.h>

#include <linux/bootmem.h>
#include <linux/mm.h>
#include "mm/internal.h"

static void *bootmem_alloc(unsigned long size, unsigned long align, unsigned long goal,
			   phys_addr_t limit, int nid, bool may_panic)
{
	void *ptr;

	if (!align)
		align = SMP_CACHE_BYTES;
	ptr = memblock_alloc_try_nid(size, align, goal, limit, nid);
	if (!ptr && goal)
		ptr = memblock_alloc_try_nid(size, align, 0, limit, nid);
	if (!ptr && may_panic) {
		pr_alert("bootmem alloc of %lu bytes failed!\n", size);
		panic("Out of memory");
	}
	return ptr;
}

void *__alloc_bootmem(unsigned long size, unsigned long align, unsigned long goal)
{
	return bootmem_alloc(size, align, goal, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, true);
}

void *__alloc_bootmem_nopanic(unsigned long size, unsigned long align, unsigned long goal)
{
	return bootmem_alloc(size, align, goal, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, false);
}

void *__alloc_bootmem_node(pg_data_t *pgdat, unsigned long size, unsigned long align,
			   unsigned long goal)
{
	int nid = pgdat ? pgdat->node_id : NUMA_NO_NODE;

	return bootmem_alloc(size, align, goal, MEMBLOCK_ALLOC_ACCESSIBLE, nid, true);
}

/* "low": below ARCH_LOW_ADDRESS_LIMIT, as CONFIG_NO_BOOTMEM defined it. */
void *__alloc_bootmem_low(unsigned long size, unsigned long align, unsigned long goal)
{
	return bootmem_alloc(size, align, goal, ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE, true);
}

void free_bootmem(unsigned long physaddr, unsigned long size)
{
	memblock_phys_free(physaddr, size);
}

int reserve_bootmem(unsigned long addr, unsigned long size, int flags)
{
	if ((flags & BOOTMEM_EXCLUSIVE) && memblock_is_region_reserved(addr, size))
		return -EBUSY;
	return memblock_reserve(addr, size);
}

/* The old name of memblock_free_all(); boot runs it, so here it only counts. */
unsigned long free_all_bootmem(void)
{
	return totalram_pages();
}
