/* SPDX-License-Identifier: MIT */
/*
 * linux/page-flags.h - page flag bits and their test/set helpers.
 *
 * The low bits follow the kernel's enum pageflags (6.1 numbering).  PG_buddy
 * and PG_reported are page *types* in recent kernels (stored in _mapcount);
 * here they are plain flag bits above the kernel's range, which keeps the
 * free-path tests one load.  The node and zone numbers live in the top bits,
 * as with the kernel's NODES_PGSHIFT/ZONES_PGSHIFT.
 */
#ifndef _LINUX_PAGE_FLAGS_H
#define _LINUX_PAGE_FLAGS_H

#include <ukmem/kernel_types.h>
#include <linux/mm_types.h>

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_workingset,
	PG_waiters,
	PG_error,
	PG_slab,
	PG_owner_priv_1,
	PG_arch_1,
	PG_reserved,
	PG_private,
	PG_private_2,
	PG_writeback,
	PG_head,
	PG_mappedtodisk,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	PG_hwpoison,
	PG_buddy,		/* free block on a buddy list (a page type upstream) */
	PG_reported,		/* free block handed back to the host (page reporting) */
	PG_offline,		/* in the deferred pool: struct page not yet in use */
	PG_highmem_mapped,	/* ukmem: highmem page with a live kmap */
	PG_vmalloc,		/* ukmem: bytes in the vmalloc file at page->index (mm/vmalloc.c) */
	PG_vmalloc_alias,	/* ukmem: and the linear address maps them there */
	PG_large_kmalloc,	/* a large kmalloc's head page (a page type upstream, v6.18+) */
	__NR_PAGEFLAGS,
};

/* Top bits: node (6 bits) then zone (3 bits). */
#define NODES_SHIFT	6
#define ZONES_SHIFT	3
#define NODES_PGSHIFT	(BITS_PER_LONG - NODES_SHIFT)
#define ZONES_PGSHIFT	(NODES_PGSHIFT - ZONES_SHIFT)
#define NODES_MASK	((1UL << NODES_SHIFT) - 1)
#define ZONES_MASK	((1UL << ZONES_SHIFT) - 1)

/*
 * ukmem: the order a block was allocated with, + 1, in the head page's
 * flags (0 = not allocated).  It lets every free catch a double free or a
 * free with the wrong order; the kernel keeps such facts in page_ext only
 * with debug options.  It lives in struct page, the page's own cache line,
 * so recording it never bounces a line between CPUs.
 */
#define ALLOC_ORDER_PGSHIFT	(ZONES_PGSHIFT - 4)
#define ALLOC_ORDER_MASK	(0xfUL << ALLOC_ORDER_PGSHIFT)

/*
 * The __SetPage/__ClearPage forms are the owner's: no one else changes
 * the word meanwhile, so a plain read-modify-write is enough.  Others may
 * still read it without a lock - the buddy allocator's page_is_buddy()
 * looks at a neighbour that may belong to anyone - so the store is one
 * marked store: the kernel counts on a plain word store being single-copy
 * atomic (KCSAN's ASSUME_PLAIN_WRITES_ATOMIC), ThreadSanitizer is told so.
 */
static inline void __page_flags_store(struct page *page, unsigned long flags)
{
	WRITE_ONCE(page->flags, flags);
}

#define __PAGEFLAG_OPS(uname, lname)					\
static inline bool Page##uname(const struct page *page)			\
{ return (READ_ONCE(page->flags) >> PG_##lname) & 1; }			\
static inline void __SetPage##uname(struct page *page)			\
{ __page_flags_store(page, page->flags | 1UL << PG_##lname); }		\
static inline void __ClearPage##uname(struct page *page)		\
{ __page_flags_store(page, page->flags & ~(1UL << PG_##lname)); }	\
static inline void SetPage##uname(struct page *page)			\
{ __atomic_fetch_or(&page->flags, 1UL << PG_##lname, __ATOMIC_RELAXED); } \
static inline void ClearPage##uname(struct page *page)			\
{ __atomic_fetch_and(&page->flags, ~(1UL << PG_##lname), __ATOMIC_RELAXED); }

__PAGEFLAG_OPS(Locked, locked)
__PAGEFLAG_OPS(Referenced, referenced)
__PAGEFLAG_OPS(Dirty, dirty)
__PAGEFLAG_OPS(LRU, lru)
__PAGEFLAG_OPS(Slab, slab)
__PAGEFLAG_OPS(Reserved, reserved)
__PAGEFLAG_OPS(Private, private)
__PAGEFLAG_OPS(Head, head)
__PAGEFLAG_OPS(Buddy, buddy)
__PAGEFLAG_OPS(Reported, reported)
__PAGEFLAG_OPS(Offline, offline)
__PAGEFLAG_OPS(HWPoison, hwpoison)
__PAGEFLAG_OPS(Vmalloc, vmalloc)
__PAGEFLAG_OPS(VmallocAlias, vmalloc_alias)
__PAGEFLAG_OPS(LargeKmalloc, large_kmalloc)

/*
 * The flags that are page types upstream (PGTY_*, kept in page_type since
 * v6.12): %pGp leaves them out and dump_page() names them on their own
 * "page_type:" line, as the kernel prints them.
 */
#define PAGE_TYPE_FLAGS							\
	(1UL << PG_slab | 1UL << PG_buddy | 1UL << PG_offline |		\
	 1UL << PG_large_kmalloc)

/* The folio forms of the flags a kernel folio is asked about (v5.16+). */
static inline bool folio_test_head(const struct folio *folio) { return PageHead(&folio->page); }
/* More than one page: a compound head. */
static inline bool folio_test_large(const struct folio *folio) { return PageHead(&folio->page); }
static inline bool folio_test_large_kmalloc(const struct folio *folio)
{
	return PageLargeKmalloc(&folio->page);
}
static inline bool folio_test_reserved(const struct folio *folio)
{
	return PageReserved(&folio->page);
}

static inline bool PageTail(const struct page *page)
{
	return READ_ONCE(page->compound_head) & 1;
}

static inline bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (unlikely(head & 1))
		return (struct page *)(head - 1);
	return (struct page *)page;
}

static inline unsigned int compound_order(const struct page *page)
{
	if (!PageHead(page))
		return 0;
	return page[1].compound_order;
}

/* Flags that must be clear when a page is freed or handed out. */
#define PAGE_FLAGS_CHECK_AT_FREE					\
	(1UL << PG_lru | 1UL << PG_locked | 1UL << PG_private |		\
	 1UL << PG_private_2 | 1UL << PG_writeback | 1UL << PG_reserved | \
	 1UL << PG_slab | 1UL << PG_active | 1UL << PG_unevictable |	\
	 1UL << PG_mlocked | 1UL << PG_buddy | 1UL << PG_offline |	\
	 1UL << PG_vmalloc | 1UL << PG_vmalloc_alias | 1UL << PG_large_kmalloc)
#define PAGE_FLAGS_CHECK_AT_PREP	\
	((1UL << __NR_PAGEFLAGS) - 1)

static inline unsigned int page_alloc_order_rec(const struct page *page)
{
	return (unsigned int)((page->flags & ALLOC_ORDER_MASK) >> ALLOC_ORDER_PGSHIFT);
}
static inline void set_page_alloc_order_rec(struct page *page, unsigned int rec)
{
	__page_flags_store(page, (page->flags & ~ALLOC_ORDER_MASK) |
			   ((unsigned long)rec << ALLOC_ORDER_PGSHIFT));
}

#endif /* _LINUX_PAGE_FLAGS_H */
