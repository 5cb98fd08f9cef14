/* SPDX-License-Identifier: MIT */
/*
 * linux/gfp.h - the page allocator's API (include/linux/gfp.h).
 *
 * Context rules, as in the kernel: allocations whose gfp has
 * __GFP_DIRECT_RECLAIM (GFP_KERNEL, GFP_NOFS, GFP_NOIO, GFP_USER) may sleep;
 * GFP_ATOMIC and GFP_NOWAIT never sleep and never wait for memory.  Freeing
 * never sleeps.
 */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <ukmem/kernel_types.h>
#include <linux/cleanup.h>
#include <linux/gfp_types.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/topology.h>	/* numa_node_id(), numa_mem_id(): the kernel's gfp.h brings them */
#include <linux/bug.h>
#include <linux/alloc_tag.h>

UKMEM_C_BEGIN

static inline bool gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

/*
 * gfpflags_allow_spinning - may the allocation spin on a lock (v6.15)?
 * Every GFP_* mask has a reclaim bit, GFP_NOWAIT and GFP_ATOMIC kswapd's;
 * only alloc_pages_nolock()'s and kmalloc_nolock()'s requests have none,
 * and they must only try locks.
 */
static inline bool gfpflags_allow_spinning(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_RECLAIM);
}

/* Reclaim may start IO and call into file systems (not GFP_NOIO, GFP_NOFS). */
/* Does @gfp have every flag of @flags? */
static inline bool gfp_has_flags(gfp_t gfp, gfp_t flags)
{
	return (gfp & flags) == flags;
}

static inline bool gfp_has_io_fs(gfp_t gfp)
{
	return (gfp & (__GFP_IO | __GFP_FS)) == (__GFP_IO | __GFP_FS);
}

/*
 * v6.8+: may the request compact memory to make a high-order block?  The
 * kernel's answer is "__GFP_IO, if built with CONFIG_COMPACTION"; ukmem
 * has no compaction, so it answers as a kernel built without it.
 */
static inline bool gfp_compaction_allowed(gfp_t gfp_mask)
{
	(void)gfp_mask;
	return false;
}

/*
 * gfp_nested_mask - the gfp for an allocation made on behalf of another
 * one (a debugging tool's metadata, v6.11): the context bits of @flags
 * (GFP_KERNEL's and GFP_ATOMIC's, and __GFP_NOLOCKDEP), made quiet and
 * unable to dig deep: __GFP_NORETRY, __GFP_NOMEMALLOC, __GFP_NOWARN.
 */
static inline gfp_t gfp_nested_mask(gfp_t flags)
{
	return (flags & (GFP_KERNEL | GFP_ATOMIC | __GFP_NOLOCKDEP)) |
	       (__GFP_NORETRY | __GFP_NOMEMALLOC | __GFP_NOWARN);
}

/* The zonelist a request walks: __GFP_THISNODE stays on its node. */
static inline int gfp_zonelist(gfp_t flags)
{
	if (unlikely(flags & __GFP_THISNODE))
		return ZONELIST_NOFALLBACK;
	return ZONELIST_FALLBACK;
}

/* Node @nid's zonelist for @flags (the zones, preferred first, as alloc_pages walks them). */
static inline struct zonelist *node_zonelist(int nid, gfp_t flags)
{
	return NODE_DATA(nid)->node_zonelists + gfp_zonelist(flags);
}

/*
 * default_gfp(...): the gfp argument a caller gave, or GFP_KERNEL when it
 * gave none (v7.0; the optional last argument of kmalloc_obj() and its
 * family, linux/slab.h).  The empty first argument lets the GNU ", ##"
 * paste drop the comma when there is no argument, so the second slot
 * holds either the caller's flags or GFP_KERNEL.
 */
#define __default_gfp_pick(_empty, _gfp, ...)	_gfp
#define default_gfp(...)	__default_gfp_pick(, ##__VA_ARGS__, GFP_KERNEL)

#define GFP_MOVABLE_MASK	(__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT	3

static inline int gfp_migratetype(const gfp_t gfp_flags)
{
	return (int)((gfp_flags & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}

UKMEM_API_BEGIN
/* The highest zone an allocation may use; BUG for impossible combinations. */
enum zone_type gfp_zone(gfp_t flags);

/*
 * __alloc_pages - @order pages from @preferred_nid's zonelist (its zones
 * first, then the other nodes' by distance), limited to the zones of the
 * nodes in @nodemask when it is not NULL, as the kernel's zonelist walk
 * (for_each_zone_zonelist_nodemask) is: a preferred node outside the mask
 * starts the walk at the list's first zone inside it; a mask with no
 * online node fails (NULL, with the allocation failure report unless
 * __GFP_NOWARN).  As in the kernel, a request that may ignore memory
 * policies (GFP_ATOMIC-style: __GFP_HIGH without direct reclaim; or one
 * allowed every reserve, __GFP_MEMALLOC or PF_MEMALLOC) drops the mask in
 * the slow path once its first try inside the mask failed.
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   nodemask_t *nodemask);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp_mask);
void *alloc_pages_exact(size_t size, gfp_t gfp_mask) __alloc_size(1);
void *alloc_pages_exact_nid(int nid, size_t size, gfp_t gfp_mask) __alloc_size(2);
void free_pages_exact(void *virt, size_t size);
/*
 * alloc_pages_nolock - zeroed (compound) pages from any context, never
 * waiting: every allocator lock is only tried (v6.15; @gfp_flags v6.18,
 * where only __GFP_ACCOUNT may be given).  Orders up to
 * PAGE_ALLOC_COSTLY_ORDER (and pageblock_order); NULL, unreported, when
 * none is free without waiting.  Free with free_pages_nolock() (or
 * __free_pages() where waiting is allowed).
 */
struct page *alloc_pages_nolock(gfp_t gfp_flags, int nid, unsigned int order);
void free_pages_nolock(struct page *page, unsigned int order);
/*
 * gfp_pfmemalloc_allowed - may an allocation with @gfp_mask, made now by
 * this thread, use the reserves below the min watermark?  Yes with
 * __GFP_MEMALLOC, or in a PF_MEMALLOC thread (memalloc_noreclaim_save(),
 * reclaim's own allocations) outside interrupt context; never with
 * __GFP_NOMEMALLOC.
 */
bool gfp_pfmemalloc_allowed(gfp_t gfp_mask);
void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
void split_page(struct page *page, unsigned int order);
void drain_local_pages(struct zone *zone);
void drain_all_pages(struct zone *zone);
/* LDD3-era name: free an order-0 page to the hot end of the pcp list. */
void free_hot_page(struct page *page);
void free_cold_page(struct page *page);

/*
 * Physically contiguous runs of pages (CONFIG_CONTIG_ALLOC; mm/page_contig.c).
 * The range must lie in one zone.  ukmem cannot migrate a page (its
 * address is the program's pointer): a range with a page in use is -EBUSY,
 * as an unmovable page makes it in the kernel.  acr_flags_t is v6.17's
 * (before: a migratetype, MIGRATE_MOVABLE or MIGRATE_CMA, in its place).
 */
typedef unsigned int acr_flags_t;
#define ACR_FLAGS_NONE	((acr_flags_t)0)	/* an ordinary allocation */
#define ACR_FLAGS_CMA	((acr_flags_t)1)	/* on behalf of a CMA area */
int alloc_contig_range_noprof(unsigned long start, unsigned long end, acr_flags_t alloc_flags,
			      gfp_t gfp_mask);
struct page *alloc_contig_pages_noprof(unsigned long nr_pages, gfp_t gfp_mask, int nid,
				       nodemask_t *nodemask);
void free_contig_range(unsigned long pfn, unsigned long nr_pages);
/*
 * v7.0+: the same without references ("frozen" pages, refcount 0), the
 * only way to a compound range (__GFP_COMP: the plain calls warn and
 * refuse it); freed with free_contig_frozen_range().  __free_contig_range()
 * drops a reference from each order-0 page of a run.
 */
int alloc_contig_frozen_range_noprof(unsigned long start, unsigned long end,
				     acr_flags_t alloc_flags, gfp_t gfp_mask);
struct page *alloc_contig_frozen_pages_noprof(unsigned long nr_pages, gfp_t gfp_mask, int nid,
					      nodemask_t *nodemask);
void free_contig_frozen_range(unsigned long pfn, unsigned long nr_pages);
void __free_contig_range(unsigned long pfn, unsigned long nr_pages);
/*
 * Drop a reference to each of @nr_pages order-0 pages, freeing those it
 * was the last of (alloc_pages_bulk()'s counterpart, v7.0+).
 */
void free_pages_bulk(struct page **page_array, unsigned long nr_pages);
UKMEM_API_END
#define alloc_contig_range(...)		alloc_contig_range_noprof(__VA_ARGS__)
#define alloc_contig_pages(...)		alloc_contig_pages_noprof(__VA_ARGS__)
#define alloc_contig_frozen_range(...)	alloc_contig_frozen_range_noprof(__VA_ARGS__)
#define alloc_contig_frozen_pages(...)	alloc_contig_frozen_pages_noprof(__VA_ARGS__)

/*
 * Folios (linux/mm.h): compound pages handed out as one unit, as the
 * kernel's folio_alloc() family does (__GFP_COMP added; order 0 is a
 * single page).  Free with folio_put().
 */
static inline struct folio *__folio_alloc(gfp_t gfp, unsigned int order, int preferred_nid,
					  nodemask_t *nodemask)
{
	return (struct folio *)__alloc_pages(gfp | __GFP_COMP, order, preferred_nid, nodemask);
}
static inline struct folio *__folio_alloc_node(gfp_t gfp, unsigned int order, int nid)
{
	return __folio_alloc(gfp, order, nid, NULL);
}
static inline struct folio *folio_alloc(gfp_t gfp, unsigned int order)
{
	return (struct folio *)alloc_pages(gfp | __GFP_COMP, order);
}
static inline struct folio *folio_alloc_node(gfp_t gfp, unsigned int order, int nid)
{
	return (struct folio *)alloc_pages_node(nid, gfp | __GFP_COMP, order);
}
#define folio_alloc_noprof		folio_alloc

#define alloc_page(gfp_mask)		alloc_pages(gfp_mask, 0)
#define __get_free_page(gfp_mask)	__get_free_pages((gfp_mask), 0)
#define __get_dma_pages(gfp_mask, order) __get_free_pages((gfp_mask) | GFP_DMA, (order))
#define __free_page(page)		__free_pages((page), 0)
#define free_page(addr)			free_pages((addr), 0)
#define alloc_pages_node_noprof		alloc_pages_node
#define alloc_pages_nolock_noprof	alloc_pages_nolock
/* v6.10+ allocation-profiling names (linux/alloc_tag.h): the calls themselves. */
#define alloc_pages_noprof		alloc_pages
#define __alloc_pages_noprof		__alloc_pages
#define __get_free_pages_noprof		__get_free_pages
#define get_zeroed_page_noprof		get_zeroed_page
#define alloc_pages_exact_noprof	alloc_pages_exact
#define alloc_pages_exact_nid_noprof	alloc_pages_exact_nid
#define __folio_alloc_noprof		__folio_alloc
#define __alloc_pages_node_noprof	__alloc_pages_node
/*
 * __alloc_pages_node - alloc_pages_node() for a caller that names a real
 * node: no NUMA_NO_NODE (the kernel's VM_BUG_ON; a warning here, then the
 * local node), no fallback to this CPU's node.
 */
static inline struct page *__alloc_pages_node(int nid, gfp_t gfp_mask, unsigned int order)
{
	if (WARN_ON_ONCE(nid < 0 || nid >= MAX_NUMNODES))
		return alloc_pages(gfp_mask, order);
	return __alloc_pages(gfp_mask, order, nid, NULL);
}

/**
 * __alloc_pages_bulk - fill the empty (NULL) slots of @page_array with order-0 pages
 * @gfp: as for alloc_pages(); may sleep only if @gfp allows it
 * @preferred_nid: the node to take them from first, or NUMA_NO_NODE (this CPU's)
 * @nodemask: the nodes whose zones may give the pages, or NULL for any (as for
 *	__alloc_pages(); with NUMA_NO_NODE the walk starts at this CPU's node)
 * @nr_pages: slots in @page_array
 * @page_array: slots already holding a page are left alone
 *
 * Returns how many slots, from the first on, hold a page: @nr_pages, or
 * the index of the first slot left empty when memory ran out (the
 * kernel's walk stops there, and callers retry from it: a slot after it
 * that held a page already is not counted, so a sparse array never reads
 * as full).
 * Fault injection (fail_page_alloc, fail-nth) is asked once for the
 * call, as the kernel's prepare_alloc_pages() asks it, not for each page;
 * a forced failure leaves every empty slot empty.
 * alloc_pages_bulk() and alloc_pages_bulk_node() (v6.14 names; before,
 * alloc_pages_bulk_array()) are its usual forms.
 */
UKMEM_API_BEGIN
unsigned long __alloc_pages_bulk(gfp_t gfp, int preferred_nid, nodemask_t *nodemask,
				 unsigned long nr_pages, struct page **page_array);
UKMEM_API_END

#define alloc_pages_bulk(gfp, nr_pages, page_array) \
	__alloc_pages_bulk(gfp, NUMA_NO_NODE, NULL, nr_pages, page_array)
#define alloc_pages_bulk_node(gfp, nid, nr_pages, page_array) \
	__alloc_pages_bulk(gfp, nid, NULL, nr_pages, page_array)
#define alloc_pages_bulk_array(gfp, nr_pages, page_array) \
	alloc_pages_bulk(gfp, nr_pages, page_array)
#define alloc_pages_bulk_array_node(gfp, nid, nr_pages, page_array) \
	alloc_pages_bulk_node(gfp, nid, nr_pages, page_array)
#define alloc_pages_bulk_noprof		__alloc_pages_bulk
#define alloc_pages_bulk_node_noprof(gfp, nid, nr_pages, page_array) \
	__alloc_pages_bulk(gfp, nid, NULL, nr_pages, page_array)
/* v6.15's name of alloc_pages_nolock(), which had no gfp argument then. */
#define try_alloc_pages(nid, order)	alloc_pages_nolock(0, nid, order)
#define try_alloc_pages_noprof		try_alloc_pages

/* __free(free_page) (linux/cleanup.h): a __get_free_page() address; 0 is nothing. */
DEFINE_FREE(free_page, void *, free_page((unsigned long)_T))

UKMEM_C_END

#endif /* _LINUX_GFP_H */
