/* SPDX-License-Identifier: MIT */
/*
 * asm/page.h - page size and the linear map (arch/x86/include/asm/page*.h).
 *
 * ukmem's "physical memory" is one reserved range of the process's address
 * space; a physical address is an offset into it.  PAGE_OFFSET is where that
 * range starts (the kernel's linear map), so __pa()/__va() are one addition
 * or subtraction, as on x86-64.  PAGE_OFFSET is chosen at boot, like the
 * kernel's with CONFIG_RANDOMIZE_MEMORY.
 */
#ifndef _ASM_PAGE_H
#define _ASM_PAGE_H

#include <ukmem/kernel_types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGN_DOWN(addr)	ALIGN_DOWN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define PFN_ALIGN(x)	(((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))

/* x86's page_64.h: a whole page, zeroed or copied (for a mapped page). */
static inline void clear_page(void *page)
{
	__builtin_memset(page, 0, PAGE_SIZE);
}

static inline void copy_page(void *to, void *from)
{
	__builtin_memcpy(to, from, PAGE_SIZE);
}

#define L1_CACHE_SHIFT	6
#define L1_CACHE_BYTES	(1 << L1_CACHE_SHIFT)
#define SMP_CACHE_BYTES	L1_CACHE_BYTES

UKMEM_C_BEGIN
UKMEM_API_BEGIN
/* Start of the linear map; set once at boot, never changes afterwards. */
extern unsigned long ukmem_page_offset;
UKMEM_API_END
UKMEM_C_END

/* Set once by the boot; read before it by a racing first call (0, or the value). */
#define PAGE_OFFSET	data_race(ukmem_page_offset)
#define __pa(x)		((phys_addr_t)((unsigned long)(x) - PAGE_OFFSET))
#define __va(x)		((void *)((unsigned long)(x) + PAGE_OFFSET))
#define __pa_symbol(x)	__pa(x)

static inline phys_addr_t virt_to_phys(const volatile void *address)
{
	return __pa(address);
}

static inline void *phys_to_virt(phys_addr_t address)
{
	return __va(address);
}

/* asm-generic/getorder.h: smallest order whose block holds @size bytes. */
static inline __attribute__((__const__)) int get_order(unsigned long size)
{
	if (__builtin_constant_p(size) && size == 0)
		return BITS_PER_LONG - PAGE_SHIFT;
	size--;
	size >>= PAGE_SHIFT;
	return size ? BITS_PER_LONG - __builtin_clzl(size) : 0;
}

#endif /* _ASM_PAGE_H */
