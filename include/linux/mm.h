/* SPDX-License-Identifier: MIT */
/*
 * linux/mm.h - struct page helpers: pfn and address conversions, reference
 * counts, the page's zone and node (include/linux/mm.h and friends).
 *
 * mem_map is one flat array (FLATMEM): pfn_to_page() and page_to_pfn() are
 * pointer arithmetic, virt_to_page() is two instructions.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <sys/sysinfo.h>
#include <ukmem/kernel_types.h>
#include <ukmem/boot.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>
#include <linux/mmzone.h>
#include <linux/vmstat.h>
#include <linux/gfp.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/mmdebug.h>
#include <linux/log2.h>
#include <asm/page.h>

UKMEM_C_BEGIN

UKMEM_API_BEGIN
extern struct page *mem_map;
extern unsigned long ukmem_ram_pfns;	/* pfns covered by mem_map */
extern atomic_long_t _totalram_pages;
extern unsigned long totalreserve_pages;
extern unsigned long totalhigh_pages_count;
extern void *high_memory;
void put_page(struct page *page);
void __put_page(struct page *page);
unsigned long nr_free_pages(void);
/* Memory figures in the kernel's struct sysinfo (units of mem_unit = PAGE_SIZE). */
void si_meminfo(struct sysinfo *val);
/* Pages that could be handed out without swapping: /proc/meminfo's MemAvailable. */
long si_mem_available(void);
/*
 * Pages above the high watermark in the zones GFP_USER may use (lowmem):
 * what drivers size their tables by (nr_free_buffer_pages()).
 */
unsigned long nr_free_buffer_pages(void);
/*
 * Reserved pages (PG_reserved: memblock's, or mark_page_reserved()'s) and
 * the page allocator: free_reserved_page() hands one over and counts it
 * managed, mark_page_reserved() takes one out of the count,
 * free_reserved_area() frees the reserved pages of [start, end) (whole
 * pages), filling them with @poison first if it is a byte value (-1:
 * not), says "Freeing @s memory: NK" if @s, and returns how many.
 */
void adjust_managed_page_count(struct page *page, long count);
void free_reserved_page(struct page *page);
void mark_page_reserved(struct page *page);
unsigned long free_reserved_area(void *start, void *end, int poison, const char *s);
/* What @object is (slab object, vmalloc area, ...), continuing the caller's line. */
void mem_dump_obj(void *object);
bool ukmem_is_ram_pfn(unsigned long pfn);
/*
 * show_mem - print the kernel's "Mem-Info:" report (per-zone counters,
 * free areas, totals) to the log, as the OOM killer and a page allocation
 * failure do.  The v6.5+ form, without arguments.
 */
void show_mem(void);
/* Committed address space in pages: meminfo's Committed_AS (pages handed out here). */
unsigned long vm_memory_committed(void);
/* si_meminfo() for node @nid: its managed, free and highmem pages. */
void si_meminfo_node(struct sysinfo *val, int nid);
/* init_on_alloc=1 / init_on_free=1 (exported, as the kernel's static keys). */
extern bool init_on_alloc;
extern bool init_on_free;
UKMEM_API_END

/* Is the memory an allocation gets zeroed: always with init_on_alloc, else for __GFP_ZERO. */
static inline bool want_init_on_alloc(gfp_t flags)
{
	if (READ_ONCE(init_on_alloc))
		return true;
	return !!(flags & __GFP_ZERO);
}
/* Is freed memory zeroed (init_on_free=1)? */
static inline bool want_init_on_free(void)
{
	return READ_ONCE(init_on_free);
}
/* page_poison=on (CONFIG_PAGE_POISONING); the _static form is the same read here. */
UKMEM_API_BEGIN
bool page_poisoning_enabled(void);
UKMEM_API_END
static inline bool page_poisoning_enabled_static(void)
{
	return page_poisoning_enabled();
}
/*
 * debug_pagealloc=on (mm/debug_page_alloc.c): free pages leave the linear
 * map, so any access to one faults and is reported as the kernel's oops.
 * _enabled_early is what the command line asked for; _enabled is set once
 * the boot has turned it on (false where the host cannot).
 */
UKMEM_API_BEGIN
extern bool _debug_pagealloc_enabled_early;
extern bool _debug_pagealloc_enabled;
void __kernel_map_pages(struct page *page, int numpages, int enable);
UKMEM_API_END
static inline bool debug_pagealloc_enabled(void)
{
	return __atomic_load_n(&_debug_pagealloc_enabled_early, __ATOMIC_RELAXED);
}
static inline bool debug_pagealloc_enabled_static(void)
{
	return __atomic_load_n(&_debug_pagealloc_enabled, __ATOMIC_RELAXED);
}
static inline void debug_pagealloc_map_pages(struct page *page, int numpages)
{
	if (debug_pagealloc_enabled_static())
		__kernel_map_pages(page, numpages, 1);
}
static inline void debug_pagealloc_unmap_pages(struct page *page, int numpages)
{
	if (debug_pagealloc_enabled_static())
		__kernel_map_pages(page, numpages, 0);
}
/* region_intersects(): how a range meets the resources of a kind (linux/ioport.h). */
enum {
	REGION_INTERSECTS,	/* only resources of the kind (or holes) */
	REGION_DISJOINT,	/* none of the kind */
	REGION_MIXED,		/* the kind and another */
};
UKMEM_API_BEGIN
int region_intersects(resource_size_t offset, size_t size, unsigned long flags,
		      unsigned long desc);
UKMEM_API_END
/* 1 if @pfn is System RAM (memblock's memory, reserved parts included), else 0. */
static inline int page_is_ram(unsigned long pfn)
{
	return ukmem_is_ram_pfn(pfn);
}

#define ARCH_PFN_OFFSET	0UL
#define pfn_to_page(pfn)	(mem_map + ((pfn) - ARCH_PFN_OFFSET))
#define page_to_pfn(page)	((unsigned long)((page) - mem_map) + ARCH_PFN_OFFSET)
#define pfn_valid(pfn)		((unsigned long)(pfn) < ukmem_ram_pfns)
#define page_to_phys(page)	PFN_PHYS(page_to_pfn(page))
#define phys_to_page(phys)	pfn_to_page(PHYS_PFN(phys))
#define virt_to_pfn(kaddr)	PHYS_PFN(__pa(kaddr))
#define virt_to_page(kaddr)	pfn_to_page(virt_to_pfn(kaddr))
#define virt_addr_valid(kaddr)	\
	((unsigned long)(kaddr) >= PAGE_OFFSET && \
	 (unsigned long)(kaddr) < (unsigned long)high_memory && \
	 ukmem_is_ram_pfn(virt_to_pfn(kaddr)))
#define nth_page(page, n)	((page) + (n))

/* Set by the boot: a first call boots the machine (ukmem/boot.h). */
static inline unsigned long totalram_pages(void)
{
	if (__builtin_expect(!atomic_long_read(&_totalram_pages), 0))
		ukmem_boot_slow();
	return (unsigned long)atomic_long_read(&_totalram_pages);
}
static inline unsigned long totalhigh_pages(void) { return totalhigh_pages_count; }
/* Balloon drivers' adjustments of the total (adjust_managed_page_count() also moves the zone's). */
static inline void totalram_pages_add(long count) { atomic_long_add(count, &_totalram_pages); }
static inline void totalram_pages_inc(void) { atomic_long_inc(&_totalram_pages); }
static inline void totalram_pages_dec(void) { atomic_long_dec(&_totalram_pages); }

static inline int page_to_nid(const struct page *page)
{
	return (int)((page->flags >> NODES_PGSHIFT) & NODES_MASK);
}
/*
 * The node of page frame @pfn, by the nodes' spans: the frames that hold
 * mem_map itself have struct pages nobody initialises (docs/page_alloc.md),
 * and they answer too.  0 outside every node, as without NUMA.
 */
static inline int pfn_to_nid(unsigned long pfn)
{
	int nid;

	for_each_online_node(nid)
		if (pfn >= NODE_DATA(nid)->node_start_pfn && pfn < pgdat_end_pfn(NODE_DATA(nid)))
			return nid;
	return 0;
}
static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((page->flags >> ZONES_PGSHIFT) & ZONES_MASK);
}
/* (node, zone) from the top bits of page->flags, one table lookup. */
UKMEM_API_BEGIN
extern struct zone *ukmem_zone_table[1 << (NODES_SHIFT + ZONES_SHIFT)];
UKMEM_API_END
static inline struct zone *page_zone(const struct page *page)
{
	return ukmem_zone_table[page->flags >> ZONES_PGSHIFT];
}
static inline pg_data_t *page_pgdat(const struct page *page)
{
	return NODE_DATA(page_to_nid(page));
}
static inline bool PageHighMem(const struct page *page)
{
	return page_zonenum(page) == ZONE_HIGHMEM;
}
static inline void set_page_zone_node(struct page *page, enum zone_type zone, int nid)
{
	page->flags &= ~((ZONES_MASK << ZONES_PGSHIFT) | (NODES_MASK << NODES_PGSHIFT));
	page->flags |= ((unsigned long)zone << ZONES_PGSHIFT) |
		       ((unsigned long)nid << NODES_PGSHIFT);
}

static inline void *pfn_to_virt(unsigned long pfn)
{
	return __va(PFN_PHYS(pfn));
}
#define page_to_virt(page)	pfn_to_virt(page_to_pfn(page))
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

/* Lowmem pages have a permanent address; highmem ones only while kmapped. */
static inline void *lowmem_page_address(const struct page *page)
{
	return __va(PFN_PHYS(page_to_pfn(page)));
}
/* True in the i386 layout only: page_address() looks at the zone then. */
UKMEM_API_BEGIN
extern bool ukmem_highmem_layout;
UKMEM_API_END
static inline void *page_address(const struct page *page)
{
	if (unlikely(ukmem_highmem_layout) && PageHighMem(page))
		return page->virtual;
	return lowmem_page_address(page);
}

static inline unsigned long page_private(const struct page *page) { return page->private; }
static inline void set_page_private(struct page *page, unsigned long private) { page->private = private; }

static inline int page_ref_count(const struct page *page) { return atomic_read(&page->_refcount); }
static inline void set_page_count(struct page *page, int v) { atomic_set(&page->_refcount, v); }
static inline void init_page_count(struct page *page) { set_page_count(page, 1); }
static inline void page_ref_inc(struct page *page) { atomic_inc(&page->_refcount); }
static inline void page_ref_dec(struct page *page) { atomic_dec(&page->_refcount); }
static inline void page_ref_add(struct page *page, int nr) { atomic_add(nr, &page->_refcount); }
static inline void page_ref_sub(struct page *page, int nr) { atomic_sub(nr, &page->_refcount); }
/* The reference count of the page's compound head (a tail page has none). */
static inline int page_count(const struct page *page) { return page_ref_count(compound_head(page)); }
static inline bool page_ref_dec_and_test(struct page *page) { return atomic_dec_and_test(&page->_refcount); }
static inline bool page_ref_sub_and_test(struct page *page, int nr)
{
	return atomic_sub_and_test(nr, &page->_refcount);
}
static inline bool put_page_testzero(struct page *page)
{
	VM_BUG_ON(page_ref_count(page) == 0);
	return page_ref_dec_and_test(page);
}
static inline bool get_page_unless_zero(struct page *page) { return atomic_inc_not_zero(&page->_refcount); }
static inline int page_ref_inc_return(struct page *page) { return atomic_inc_return(&page->_refcount); }
static inline int page_ref_dec_return(struct page *page) { return atomic_dec_return(&page->_refcount); }
static inline int page_ref_add_return(struct page *page, int nr)
{
	return atomic_add_return(nr, &page->_refcount);
}
static inline int page_ref_sub_return(struct page *page, int nr)
{
	return atomic_sub_return(nr, &page->_refcount);
}
/* Add @nr unless the count is @u; true if it was added. */
static inline bool page_ref_add_unless(struct page *page, int nr, int u)
{
	return atomic_add_unless(&page->_refcount, nr, u);
}
/*
 * page_ref_freeze - set the count to 0 if it is exactly @count (true), so
 * that get_page_unless_zero() fails until page_ref_unfreeze() sets it again.
 */
static inline bool page_ref_freeze(struct page *page, int count)
{
	return atomic_cmpxchg(&page->_refcount, count, 0) == count;
}
static inline void page_ref_unfreeze(struct page *page, int count)
{
	VM_BUG_ON(page_ref_count(page) != 0);
	VM_BUG_ON(count == 0);
	__atomic_store_n(&page->_refcount.counter, count, __ATOMIC_RELEASE);
}
/*
 * v7.x: slab pages and a large kmalloc's pages carry no reference count
 * (they are allocated frozen, page_count() 0); taking a reference to one
 * is a bug the kernel warns about once and ignores, and put_page() of one
 * does nothing.
 */
static inline void get_page(struct page *page)
{
	page = compound_head(page);
	if (WARN_ON_ONCE(PageSlab(page)))
		return;
	if (WARN_ON_ONCE(PageLargeKmalloc(page)))
		return;
	VM_BUG_ON(page_ref_count(page) <= 0);
	page_ref_inc(page);
}
/*
 * try_get_page - get_page() that refuses (WARN, false) a page whose count
 * is already zero or negative instead of resurrecting it.
 */
static inline bool try_get_page(struct page *page)
{
	page = compound_head(page);
	if (WARN_ON_ONCE(page_ref_count(page) <= 0))
		return false;
	page_ref_inc(page);
	return true;
}
static inline int page_mapcount(const struct page *page) { return atomic_read(&page->_mapcount) + 1; }

/* Compound pages (__GFP_COMP). */
static inline unsigned long compound_nr(const struct page *page)
{
	return 1UL << compound_order(page);
}
static inline unsigned long page_size(const struct page *page)
{
	return PAGE_SIZE << compound_order(page);
}
static inline unsigned int page_shift(const struct page *page)
{
	return PAGE_SHIFT + compound_order(page);
}
/* No ZONE_DEVICE here (CONFIG_ZONE_DEVICE=n): never device memory. */
static inline bool is_zone_device_page(const struct page *page)
{
	(void)page;
	return false;
}
/* The pages of every online node, holes left out (the boot's "present" count). */
static inline unsigned long get_num_physpages(void)
{
	unsigned long phys_pages = 0;
	int nid;

	for_each_online_node(nid)
		phys_pages += NODE_DATA(nid)->node_present_pages;
	return phys_pages;
}
static inline struct page *virt_to_head_page(const void *x)
{
	return compound_head(virt_to_page(x));
}

/*
 * Folios (struct folio, linux/mm_types.h): a page and its compound tail as
 * one unit.  folio_alloc() (linux/gfp.h) hands one out, folio_put() drops a
 * reference and frees the whole folio with the last one.
 */
#define page_folio(p)		((struct folio *)compound_head(p))
#define folio_page(folio, n)	(&(folio)->page + (n))
static inline struct folio *virt_to_folio(const void *x) { return page_folio(virt_to_page(x)); }
static inline struct folio *pfn_folio(unsigned long pfn) { return page_folio(pfn_to_page(pfn)); }
static inline unsigned long folio_pfn(const struct folio *folio) { return page_to_pfn(&folio->page); }
static inline void *folio_address(const struct folio *folio) { return page_address(&folio->page); }
static inline bool folio_test_slab(const struct folio *folio) { return PageSlab(&folio->page); }
static inline bool folio_test_highmem(const struct folio *folio) { return PageHighMem(&folio->page); }
static inline unsigned int folio_order(const struct folio *folio)
{
	return compound_order(&folio->page);
}
static inline long folio_nr_pages(const struct folio *folio) { return 1L << folio_order(folio); }
/* The pages of a folio known to be large (order > 0). */
static inline unsigned long folio_large_nr_pages(const struct folio *folio)
{
	return (unsigned long)folio_nr_pages(folio);
}
static inline size_t folio_size(const struct folio *folio) { return PAGE_SIZE << folio_order(folio); }
static inline unsigned int folio_shift(const struct folio *folio)
{
	return PAGE_SHIFT + folio_order(folio);
}
/* The index of @page within @folio. */
static inline unsigned long folio_page_idx(const struct folio *folio, const struct page *page)
{
	return (unsigned long)(page - &folio->page);
}
static inline int folio_nid(const struct folio *folio) { return page_to_nid(&folio->page); }
static inline struct zone *folio_zone(const struct folio *folio) { return page_zone(&folio->page); }
static inline enum zone_type folio_zonenum(const struct folio *folio)
{
	return page_zonenum(&folio->page);
}
static inline pg_data_t *folio_pgdat(const struct folio *folio) { return page_pgdat(&folio->page); }

static inline int folio_ref_count(const struct folio *folio) { return page_ref_count(&folio->page); }
static inline void folio_ref_inc(struct folio *folio) { page_ref_inc(&folio->page); }
static inline void folio_ref_dec(struct folio *folio) { page_ref_dec(&folio->page); }
static inline void folio_ref_add(struct folio *folio, int nr) { page_ref_add(&folio->page, nr); }
static inline void folio_ref_sub(struct folio *folio, int nr) { page_ref_sub(&folio->page, nr); }
static inline bool folio_ref_dec_and_test(struct folio *folio)
{
	return page_ref_dec_and_test(&folio->page);
}
static inline bool folio_ref_sub_and_test(struct folio *folio, int nr)
{
	return page_ref_sub_and_test(&folio->page, nr);
}
static inline int folio_ref_inc_return(struct folio *folio) { return page_ref_inc_return(&folio->page); }
static inline int folio_ref_dec_return(struct folio *folio) { return page_ref_dec_return(&folio->page); }
static inline int folio_ref_add_return(struct folio *folio, int nr)
{
	return page_ref_add_return(&folio->page, nr);
}
static inline int folio_ref_sub_return(struct folio *folio, int nr)
{
	return page_ref_sub_return(&folio->page, nr);
}
static inline bool folio_ref_add_unless(struct folio *folio, int nr, int u)
{
	return page_ref_add_unless(&folio->page, nr, u);
}
/* @nr more references, unless the count is 0 (the page is being freed). */
static inline bool page_ref_add_unless_zero(struct page *page, int nr)
{
	return page_ref_add_unless(page, nr, 0);
}
static inline bool folio_ref_add_unless_zero(struct folio *folio, int nr)
{
	return page_ref_add_unless_zero(&folio->page, nr);
}
static inline bool folio_ref_try_add(struct folio *folio, int count)
{
	return folio_ref_add_unless_zero(folio, count);
}
static inline void folio_set_count(struct folio *folio, int v) { set_page_count(&folio->page, v); }
static inline bool folio_ref_freeze(struct folio *folio, int count)
{
	return page_ref_freeze(&folio->page, count);
}
static inline void folio_ref_unfreeze(struct folio *folio, int count)
{
	page_ref_unfreeze(&folio->page, count);
}
static inline bool folio_is_zone_device(const struct folio *folio)
{
	return is_zone_device_page(&folio->page);
}
/* Drop a reference; true if it was the last (the caller then frees the folio). */
static inline bool folio_put_testzero(struct folio *folio) { return put_page_testzero(&folio->page); }
/* A reference, unless the folio is already on its way back to the allocator. */
static inline bool folio_try_get(struct folio *folio) { return get_page_unless_zero(&folio->page); }
static inline void folio_get(struct folio *folio)
{
	VM_BUG_ON(folio_ref_count(folio) <= 0);
	folio_ref_inc(folio);
}
/* Drop a reference; the last one frees the folio, all its pages. */
static inline void folio_put(struct folio *folio) { put_page(&folio->page); }
/* Free a folio whose last reference is gone (after folio_ref_dec_and_test() and the like). */
static inline void __folio_put(struct folio *folio) { __put_page(&folio->page); }
/* Drop @refs references at once. */
static inline void folio_put_refs(struct folio *folio, int refs)
{
	VM_BUG_ON(folio_ref_count(folio) < refs);
	if (folio_ref_sub_and_test(folio, refs))
		__put_page(&folio->page);
}

/* The folio that follows @folio in memory (v6.x); @folio's byte offset of @p. */
static inline struct folio *folio_next(struct folio *folio)
{
	return (struct folio *)folio_page(folio, folio_nr_pages(folio));
}
#define offset_in_folio(folio, p)	((unsigned long)(p) & (folio_size(folio) - 1))

/*
 * release_pages - drop a reference on each of @nr pages or folios (v6.x:
 * an array of either, as the kernel's release_pages_arg union takes);
 * NULL slots are skipped.  The usual way to give back what
 * alloc_pages_bulk() filled.
 */
typedef union {
	struct page **pages;
	struct folio **folios;
} release_pages_arg __attribute__((__transparent_union__));

static inline void release_pages(release_pages_arg arg, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (arg.pages[i])
			put_page(arg.pages[i]);
}

/*
 * put_pages_list - drop a reference on each page strung on @pages through
 * page->lru (a driver's own list of the pages it allocated), freeing
 * those it was the last of; @pages is left empty.
 */
static inline void put_pages_list(struct list_head *pages)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, pages, lru) {
		list_del(&page->lru);
		put_page(page);
	}
	INIT_LIST_HEAD(pages);
}

UKMEM_API_BEGIN
/*
 * The shared zeroed page (the kernel's empty_zero_page): reserved and
 * never freed, made on first use.  Context: may sleep on the first call.
 */
struct page *ukmem_zero_page(void);
UKMEM_API_END
#define ZERO_PAGE(vaddr)	((void)(vaddr), ukmem_zero_page())
static inline bool is_zero_page(const struct page *page)
{
	return page == ukmem_zero_page();
}
static inline bool is_zero_pfn(unsigned long pfn)
{
	return pfn == page_to_pfn(ukmem_zero_page());
}
static inline unsigned long my_zero_pfn(unsigned long addr)
{
	(void)addr;
	return page_to_pfn(ukmem_zero_page());
}
static inline bool is_zero_folio(const struct folio *folio)
{
	return is_zero_page(&folio->page);
}

#define PAGES_TO_MB(pages)	((pages) >> (20 - PAGE_SHIFT))
#define MB_TO_PAGES(mb)		((mb) << (20 - PAGE_SHIFT))
/* "No physical address" (a lookup that found none). */
#define INVALID_PHYS_ADDR	(~(phys_addr_t)0)

/* Zero @npages pages from @addr (kernel memory, not a user mapping); @npages >= 1. */
static inline void clear_pages(void *addr, unsigned int npages)
{
	memset(addr, 0, (size_t)npages * PAGE_SIZE);
}

/* Copy @src's pages into @dst's (folios of the same size), highmem or not. */
UKMEM_API_BEGIN
void folio_copy(struct folio *dst, struct folio *src);
UKMEM_API_END
/* The same, surviving machine-check errors: there are none here, so 0. */
static inline int folio_mc_copy(struct folio *dst, struct folio *src)
{
	folio_copy(dst, src);
	return 0;
}

UKMEM_C_END

/*
 * kvmalloc(), kvzalloc(), kvfree() ... were declared in linux/mm.h from
 * v4.12 until they moved to linux/slab.h: code of those years includes
 * only this header for them.
 */
#include <linux/slab.h>

#endif /* _LINUX_MM_H */
