/* SPDX-License-Identifier: MIT */
/*
 * linux/bootmem.h - the 2.6-era boot allocator API, as LDD3 lists it, on top
 * of memblock (the kernel's CONFIG_NO_BOOTMEM shim, mm/nobootmem.c).
 *
 * Memory comes back zeroed and stays reserved: it never reaches the buddy
 * allocator unless free_bootmem() returns it before mem_init().  "low" means
 * below ARCH_LOW_ADDRESS_LIMIT (4 GiB); the plain forms prefer memory above
 * the ISA DMA limit (BOOTMEM_LOW_LIMIT, 16 MiB) so they leave ZONE_DMA alone.
 * A failure prints "bootmem alloc of N bytes failed!" and panics, as the
 * 2.6 kernel did; the _nopanic forms return NULL instead.
 */
#ifndef _LINUX_BOOTMEM_H
#define _LINUX_BOOTMEM_H

#include <linux/memblock.h>
#include <linux/mmzone.h>

UKMEM_C_BEGIN

#define BOOTMEM_LOW_LIMIT	(16UL << 20)	/* __pa(MAX_DMA_ADDRESS) on x86 */
#define BOOTMEM_DEFAULT		0
#define BOOTMEM_EXCLUSIVE	(1 << 0)

UKMEM_API_BEGIN
void *__alloc_bootmem(unsigned long size, unsigned long align, unsigned long goal);
void *__alloc_bootmem_nopanic(unsigned long size, unsigned long align, unsigned long goal);
void *__alloc_bootmem_node(pg_data_t *pgdat, unsigned long size, unsigned long align,
			   unsigned long goal);
void *__alloc_bootmem_low(unsigned long size, unsigned long align, unsigned long goal);
void free_bootmem(unsigned long physaddr, unsigned long size);
int reserve_bootmem(unsigned long addr, unsigned long size, int flags);
unsigned long free_all_bootmem(void);
UKMEM_API_END

#define alloc_bootmem(x)		__alloc_bootmem(x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_align(x, align)	__alloc_bootmem(x, align, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_nopanic(x)	__alloc_bootmem_nopanic(x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_pages(x)		__alloc_bootmem(x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_pages_nopanic(x)	__alloc_bootmem_nopanic(x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_node(pgdat, x)	__alloc_bootmem_node(pgdat, x, SMP_CACHE_BYTES, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_pages_node(pgdat, x) __alloc_bootmem_node(pgdat, x, PAGE_SIZE, BOOTMEM_LOW_LIMIT)
#define alloc_bootmem_low(x)		__alloc_bootmem_low(x, SMP_CACHE_BYTES, 0)
#define alloc_bootmem_low_pages(x)	__alloc_bootmem_low(x, PAGE_SIZE, 0)

UKMEM_C_END

#endif /* _LINUX_BOOTMEM_H */
