/* SPDX-License-Identifier: MIT */
/*
 * linux/cacheflush.h - keeping the CPU caches coherent with other views
 * of memory (the kernel's linux/cacheflush.h and asm/cacheflush.h).
 *
 * The host is x86-64, whose caches are physically indexed and coherent
 * with DMA and with every virtual alias of a page, so each of these is a
 * no-op, as the kernel's x86 build makes them (asm-generic/cacheflush.h).
 * They exist so that code written for every architecture compiles: a
 * driver that fills a kmap()ed page calls flush_dcache_page(), one that
 * does I/O through a vmap() alias brackets it with
 * flush_kernel_vmap_range()/invalidate_kernel_vmap_range().
 */
#ifndef _LINUX_CACHEFLUSH_H
#define _LINUX_CACHEFLUSH_H

#include <ukmem/kernel_types.h>
#include <linux/mm_types.h>

UKMEM_C_BEGIN

/* 0 here: no flush_dcache_page() work is needed on this architecture. */
#define ARCH_IMPLEMENTS_FLUSH_DCACHE_PAGE 0

static inline void flush_cache_all(void) { }
static inline void flush_dcache_page(struct page *page) { (void)page; }
static inline void flush_dcache_folio(struct folio *folio) { (void)folio; }
static inline void flush_cache_vmap(unsigned long start, unsigned long end)
{
	(void)start;
	(void)end;
}
static inline void flush_cache_vunmap(unsigned long start, unsigned long end)
{
	(void)start;
	(void)end;
}
static inline void flush_kernel_vmap_range(void *vaddr, int size)
{
	(void)vaddr;
	(void)size;
}
static inline void invalidate_kernel_vmap_range(void *vaddr, int size)
{
	(void)vaddr;
	(void)size;
}
static inline void flush_icache_range(unsigned long start, unsigned long end)
{
	(void)start;
	(void)end;
}

UKMEM_C_END

#endif /* _LINUX_CACHEFLUSH_H */
