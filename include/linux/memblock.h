/* SPDX-License-Identifier: MIT */
/*
 * linux/memblock.h - the boot-time memory map and allocator
 * (include/linux/memblock.h, mm/memblock.c).
 *
 * Valid from boot until mem_init() hands the free memory to the buddy
 * allocator with memblock_free_all(); a program reaches this phase through
 * the hook it passes to ukmem_boot_hook().  Afterwards memblock_alloc*()
 * warns once and hands out kzalloc_node(size, GFP_NOWAIT, nid) memory, as
 * the kernel's memblock_alloc_internal() does once slab_is_available();
 * memblock_phys_alloc*() warn and return 0.
 */
#ifndef _LINUX_MEMBLOCK_H
#define _LINUX_MEMBLOCK_H

#include <ukmem/kernel_types.h>
#include <asm/page.h>
#include <linux/mmzone.h>

UKMEM_C_BEGIN

#define INIT_MEMBLOCK_REGIONS		128
#define MEMBLOCK_ALLOC_ANYWHERE		(~(phys_addr_t)0)
#define MEMBLOCK_ALLOC_ACCESSIBLE	0
#define MEMBLOCK_ALLOC_NOLEAKTRACE	1
#define MEMBLOCK_LOW_LIMIT		0
#define ARCH_LOW_ADDRESS_LIMIT		0xffffffffUL

enum memblock_flags {
	MEMBLOCK_NONE		= 0x0,
	MEMBLOCK_HOTPLUG	= 0x1,
	MEMBLOCK_MIRROR		= 0x2,
	MEMBLOCK_NOMAP		= 0x4,
	MEMBLOCK_DRIVER_MANAGED	= 0x8,
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
	int nid;
};

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region *regions;
	const char *name;
};

struct memblock {
	bool bottom_up;
	phys_addr_t current_limit;
	struct memblock_type memory;
	struct memblock_type reserved;
};

UKMEM_API_BEGIN
extern struct memblock memblock;

int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags);
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
void memblock_free(void *ptr, size_t size);
bool memblock_is_reserved(phys_addr_t addr);
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_map_memory(phys_addr_t addr);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size);
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
/* Pages memory holds minus those reserved: the page allocator's future share. */
unsigned long memblock_estimated_nr_free_pages(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
void memblock_set_bottom_up(bool enable);
bool memblock_bottom_up(void);
void memblock_set_current_limit(phys_addr_t limit);
int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type, int nid);

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align,
			     phys_addr_t min_addr, phys_addr_t max_addr, int nid);
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
				 phys_addr_t min_addr, phys_addr_t max_addr, int nid);
void *__memblock_alloc_or_panic(phys_addr_t size, phys_addr_t align, const char *func);

void memblock_free_all(void);
/* After boot: the whole pages of [base, base+size) go to the page allocator. */
void memblock_free_late(phys_addr_t base, phys_addr_t size);
void memblock_dump_all(void);
void __next_mem_range(u64 *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);
void __next_mem_range_rev(u64 *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);
void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid);
/* Kept for the kernel's boot code: memblock's arrays here can always grow. */
void memblock_allow_resize(void);
/*
 * Free memory of [@start, @end) on @nid (NUMA_NO_NODE: any; @exact_nid:
 * that node only), top-down unless memblock_set_bottom_up(true), reserved
 * at once; its physical address, or 0.
 */
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				     phys_addr_t end, int nid, bool exact_nid);
/* True until memblock_free_all() has run. */
bool memblock_is_active(void);
/* Region flags (MEMBLOCK_HOTPLUG, MEMBLOCK_MIRROR, MEMBLOCK_NOMAP). */
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_mark_mirror(phys_addr_t base, phys_addr_t size);
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size);
void memblock_trim_memory(phys_addr_t align);
void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size);
void memblock_mem_limit_remove_map(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);
/* As memblock_alloc_try_nid_raw, but never from another node. */
void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
				   phys_addr_t min_addr, phys_addr_t max_addr, int nid);
UKMEM_API_END

static inline phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}
static inline void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}
static inline void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT,
					  MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}
static inline void *memblock_alloc_from(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr)
{
	return memblock_alloc_try_nid(size, align, min_addr, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}
static inline void *memblock_alloc_low(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE);
}
static inline void *memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
}
#define memblock_alloc_or_panic(size, align) \
	__memblock_alloc_or_panic(size, align, __func__)

#define for_each_mem_range(i, p_start, p_end)				\
	for (i = 0, __next_mem_range(&i, NUMA_NO_NODE, MEMBLOCK_NONE, &memblock.memory, \
				     NULL, p_start, p_end, NULL);	\
	     i != (u64)~0ULL;					\
	     __next_mem_range(&i, NUMA_NO_NODE, MEMBLOCK_NONE, &memblock.memory, \
			      NULL, p_start, p_end, NULL))
#define for_each_free_mem_range(i, nid, flags, p_start, p_end, p_nid)	\
	for (i = 0, __next_mem_range(&i, nid, flags, &memblock.memory,	\
				     &memblock.reserved, p_start, p_end, p_nid); \
	     i != (u64)~0ULL;					\
	     __next_mem_range(&i, nid, flags, &memblock.memory,		\
			      &memblock.reserved, p_start, p_end, p_nid))
#define for_each_reserved_mem_range(i, p_start, p_end)			\
	for (i = 0, __next_mem_range(&i, NUMA_NO_NODE, MEMBLOCK_NONE, &memblock.reserved, \
				     NULL, p_start, p_end, NULL);	\
	     i != (u64)~0ULL;					\
	     __next_mem_range(&i, NUMA_NO_NODE, MEMBLOCK_NONE, &memblock.reserved, \
			      NULL, p_start, p_end, NULL))
#define for_each_mem_pfn_range(i, nid, p_start, p_end, p_nid)		\
	for (i = -1, __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid); \
	     i >= 0; __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid))
/* Reverse iterations: from the highest range down (__next_mem_range_rev()). */
#define __for_each_mem_range_rev(i, type_a, type_b, nid, flags, p_start, p_end, p_nid) \
	for (i = ~0ULL, __next_mem_range_rev(&i, nid, flags, type_a, type_b,	\
					      p_start, p_end, p_nid);		\
	     i != ~0ULL;							\
	     __next_mem_range_rev(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid))
#define for_each_mem_range_rev(i, p_start, p_end)				\
	__for_each_mem_range_rev(i, &memblock.memory, NULL, NUMA_NO_NODE,	\
				 MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED,	\
				 p_start, p_end, NULL)
#define for_each_free_mem_range_reverse(i, nid, flags, p_start, p_end, p_nid)	\
	__for_each_mem_range_rev(i, &memblock.memory, &memblock.reserved,	\
				 nid, flags, p_start, p_end, p_nid)

static inline bool memblock_is_nomap(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_NOMAP;
}
static inline int memblock_get_region_node(const struct memblock_region *r)
{
	return r->nid;
}
static inline void memblock_set_region_node(struct memblock_region *r, int nid)
{
	r->nid = nid;
}
/* The whole pages of a memory region; of a reserved one, every page it touches. */
static inline unsigned long memblock_region_memory_base_pfn(const struct memblock_region *reg)
{
	return PFN_UP(reg->base);
}
static inline unsigned long memblock_region_memory_end_pfn(const struct memblock_region *reg)
{
	return PFN_DOWN(reg->base + reg->size);
}
static inline unsigned long memblock_region_reserved_base_pfn(const struct memblock_region *reg)
{
	return PFN_DOWN(reg->base);
}
static inline unsigned long memblock_region_reserved_end_pfn(const struct memblock_region *reg)
{
	return PFN_UP(reg->base + reg->size);
}
/* v6.14: memory the kernel itself uses; the same reservation here. */
static inline int memblock_reserve_kern(phys_addr_t base, phys_addr_t size)
{
	return memblock_reserve(base, size);
}

#define for_each_mem_region(region)					\
	for (region = memblock.memory.regions;				\
	     region < (memblock.memory.regions + memblock.memory.cnt); region++)
#define for_each_reserved_mem_region(region)				\
	for (region = memblock.reserved.regions;			\
	     region < (memblock.reserved.regions + memblock.reserved.cnt); region++)

/* alloc_large_system_hash(): a table sized to memory (mm/mm_init.c). */
#define HASH_EARLY	0x00000001	/* from memblock, before the page allocator runs */
#define HASH_ZERO	0x00000002	/* zeroed */

UKMEM_API_BEGIN
/* Spread large system hashes over the nodes (vmalloc)?  hashdist=N; 0 on one node. */
extern int hashdist;
void *alloc_large_system_hash(const char *tablename, unsigned long bucketsize,
			      unsigned long numentries, int scale, int flags,
			      unsigned int *_hash_shift, unsigned int *_hash_mask,
			      unsigned long low_limit, unsigned long high_limit);
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_MEMBLOCK_H */
