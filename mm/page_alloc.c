/* SPDX-License-Identifier: MIT */
/*
 * mm/page_alloc.c - the zoned buddy page allocator (mm/page_alloc.c).
 *
 * Design, in the kernel's terms:
 *
 * 1. Free memory sits in per-zone free lists, one per order 0..MAX_PAGE_ORDER
 *    and per migratetype.  A free block's head page has PG_buddy and its
 *    order in page->private.  Freeing merges a block with its buddy
 *    (pfn ^ (1 << order)) while the buddy is free at the same order;
 *    allocating takes the smallest suitable block and splits it, queueing
 *    the upper halves (expand).
 * 2. Blocks are grouped by mobility in pageblocks of 2 MiB; when a
 *    migratetype's lists are empty, the allocator steals from the others in
 *    the kernel's fallback order, largest blocks first, re-labelling whole
 *    pageblocks when it takes most of one (anti-fragmentation).
 * 3. Orders up to PAGE_ALLOC_COSTLY_ORDER (and the THP order) go through
 *    per-CPU lists (pcp) that are filled and drained a batch at a time.  A
 *    pcp list is protected by a per-CPU lock taken with trylock only: when
 *    it is busy (two threads on one CPU, or a thread preempted inside),
 *    the allocation or free goes straight to the zone, as the kernel does
 *    when pcp_spin_trylock fails.  Their setup, counts, drains and the
 *    fork step are in mm/page_pcp.c; order-0 pages pass through per-CPU
 *    stacks in front of them first (mm/page_alloc_hot.c).
 * 4. Watermarks decide whether a zone may serve a request: the fast path
 *    needs the low mark; the slow path drops to min, and GFP_ATOMIC or
 *    __GFP_HIGH requests may go below it (ALLOC_MIN_RESERVE, NON_BLOCK).
 * 5. Requests that may sleep and find nothing reclaim (try_reclaim: the pcp
 *    lists, the high-atomic reserves, a short wait for other threads'
 *    frees; issue 14's shrinkers go there) and retry by the kernel's
 *    should_reclaim_retry() rules, with __GFP_NORETRY, costly orders and
 *    __GFP_RETRY_MAYFAIL deciding when to stop; small GFP_KERNEL requests
 *    end in the OOM report (mm/oom_kill.c, once per episode) and fail.
 *    Only __GFP_NOFAIL waits for ever.
 *
 * Always-on checks on the free path: a page freed twice, a page freed with
 * an order other than it was allocated with, a reserved page, a tail page,
 * or an address that is no page at all gets the kernel's "BUG: Bad page
 * state" (or a WARN), and the page is left alone: nothing else is lost.
 *
 * Lock order: pcp->lock, then zone->lock.  Nothing here sleeps while
 * holding either.
 */
#include <errno.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/memblock.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include "arch/host.h"
#include <linux/highmem.h>
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/pcp_hot.h"

struct ukmem_page_stats page_stats;
u32 ukmem_free_wait_seq;
atomic_t ukmem_free_waiters;

/* Free-path flags (FPI_*). */
#define FPI_NONE	0
#define FPI_TO_TAIL	1
#define FPI_REPORTED	2	/* the block comes back from page reporting */


/* ---- pageblock types (the tables: mm/page_alloc_tables.c) ---- */

/*
 * Read without zone->lock by the free path (as the kernel's
 * get_pfnblock_flags_mask reads the bitmap): a block stolen meanwhile
 * gives either type, and the free puts the page on a list under the lock.
 */
static inline int get_pfnblock_migratetype(unsigned long pfn)
{
	return READ_ONCE(pageblock_mt[pfn >> pageblock_order]);
}

/*
 * The free list a page freed under zone->lock goes to: its pageblock's, an
 * isolated or otherwise special block's page to MOVABLE (high-atomic
 * blocks keep theirs).
 */
static inline int free_list_type(unsigned long pfn)
{
	int mt = get_pfnblock_migratetype(pfn);

	return unlikely(mt >= MIGRATE_PCPTYPES && mt != MIGRATE_HIGHATOMIC) ? MIGRATE_MOVABLE : mt;
}

/* ---- free lists ---- */

static inline void set_buddy_order(struct page *page, unsigned int order)
{
	set_page_private(page, order);
	__SetPageBuddy(page);
}

static inline unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page_private(page);
}

static inline bool page_is_buddy(const struct page *page, const struct page *buddy,
				 unsigned int order)
{
	if (!PageBuddy(buddy) || buddy_order(buddy) != order)
		return false;
	/*
	 * Same node and zone (the top bits of flags).  @page may be someone
	 * else's too (buddy_merge_likely looks one order up), whose owner
	 * may be writing the low bits: one marked read of each word.
	 */
	return ((READ_ONCE(page->flags) ^ READ_ONCE(buddy->flags)) >> ZONES_PGSHIFT) == 0;
}

static inline void add_to_free_list(struct page *page, struct zone *zone,
				    unsigned int order, int migratetype, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	if (tail)
		list_add_tail(&page->lru, &area->free_list[migratetype]);
	else
		list_add(&page->lru, &area->free_list[migratetype]);
	/* The watermark check reads nr_free without zone->lock. */
	WRITE_ONCE(area->nr_free, area->nr_free + 1);
}

static inline void move_to_free_list(struct page *page, struct zone *zone,
				     unsigned int order, int migratetype)
{
	list_move_tail(&page->lru, &zone->free_area[order].free_list[migratetype]);
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone,
					   unsigned int order)
{
	list_del(&page->lru);
	__ClearPageBuddy(page);
	set_page_private(page, 0);
	WRITE_ONCE(zone->free_area[order].nr_free, zone->free_area[order].nr_free - 1);
}

/* Put one deferred block on the MOVABLE list; nr_free already counts it. */
static bool deferred_materialize(struct zone *zone)
{
	struct page *page = deferred_take_block_locked(zone);

	if (!page)
		return false;
	set_buddy_order(page, MAX_PAGE_ORDER);
	list_add_tail(&page->lru, &zone->free_area[MAX_PAGE_ORDER].free_list[MIGRATE_MOVABLE]);
	return true;
}

/*
 * The first block of a free list, made usable: a deferred block is
 * initialised, a block given back to the host is taken back.  NULL when
 * the list is empty or the host refuses the memory (strict overcommit).
 */
static struct page *get_page_from_free_area(struct zone *zone, unsigned int order, int mt)
{
	struct list_head *list = &zone->free_area[order].free_list[mt];
	struct page *page;

	if (list_empty(list)) {
		if (order != MAX_PAGE_ORDER || mt != MIGRATE_MOVABLE ||
		    !zone->nr_deferred || !deferred_materialize(zone))
			return NULL;
	}
	page = list_first_entry(list, struct page, lru);
	if (unlikely(PageReported(page)) && !page_reporting_reclaim(zone, page))
		return NULL;
	return page;
}

/* ---- freeing into the buddy lists ---- */

bool page_alloc_shuffle;	/* page_alloc.shuffle= (kernel/params.c) */

/* Is the next-order buddy free too?  Then queue at the tail: it may merge soon. */
static inline bool buddy_merge_likely(unsigned long pfn, unsigned long buddy_pfn,
				      struct page *page, unsigned int order)
{
	unsigned long higher_pfn, higher_buddy_pfn;

	if (order >= MAX_PAGE_ORDER - 1)
		return false;
	higher_pfn = buddy_pfn & pfn;
	higher_buddy_pfn = higher_pfn ^ (1UL << (order + 1));
	if (higher_buddy_pfn >= ukmem_ram_pfns)
		return false;
	return page_is_buddy(page + (higher_pfn - pfn),
			     page + (higher_buddy_pfn - pfn), order + 1);
}

static void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
			    unsigned int order, int migratetype, int fpi_flags)
{
	unsigned long buddy_pfn = 0;
	bool to_tail, merged_reported = false, reported = fpi_flags & FPI_REPORTED;

	VM_BUG_ON(!zone_spans_pfn(zone, pfn));
	VM_BUG_ON(pfn & ((1UL << order) - 1));

	while (order < MAX_PAGE_ORDER) {
		struct page *buddy;
		unsigned long combined_pfn;

		buddy_pfn = pfn ^ (1UL << order);
		if (buddy_pfn >= ukmem_ram_pfns)
			break;
		buddy = page + (buddy_pfn - pfn);
		if (!page_is_buddy(page, buddy, order))
			break;
		/* A high-atomic or isolated pageblock keeps its own free blocks. */
		if (order >= pageblock_order &&
		    get_pfnblock_migratetype(buddy_pfn) != get_pfnblock_migratetype(pfn) &&
		    (get_pfnblock_migratetype(buddy_pfn) == MIGRATE_ISOLATE ||
		     migratetype == MIGRATE_ISOLATE))
			break;
		/*
		 * The result is reported only if every part was; a mix is
		 * merged_reported, which page reporting decides about.
		 */
		if (unlikely(PageReported(buddy))) {
			page_reporting_merged(zone, buddy, order);
			merged_reported |= !reported;
		} else if (unlikely(reported)) {
			reported = false;
			merged_reported = true;
		}
		del_page_from_free_list(buddy, zone, order);
		combined_pfn = buddy_pfn & pfn;
		page = page + (combined_pfn - pfn);
		pfn = combined_pfn;
		order++;
	}
	set_buddy_order(page, order);
	if (unlikely(reported)) {
		/* Reported blocks sit at the tails: allocations prefer backed memory. */
		add_to_free_list(page, zone, order, migratetype, true);
		page_reporting_mark(zone, page, order);
		return;
	}
	/* page_alloc.shuffle=1: a max-order block goes to either end at random (shuffle_pick_tail()). */
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else if (order >= SHUFFLE_ORDER && page_alloc_shuffle_enabled())
		to_tail = ukmem_random_u32() & 1;
	else
		to_tail = buddy_merge_likely(pfn, pfn ^ (1UL << order), page, order);
	add_to_free_list(page, zone, order, migratetype, to_tail);
	if (order >= boot_config.page_reporting_order || merged_reported)
		page_reporting_notify_free(zone, page, order, merged_reported);
}

void __wake_free_waiters(void)
{
	/* An open OOM episode counts as a waiter: it needs no wake-up call. */
	oom_check_free();
	if (atomic_read(&ukmem_free_waiters) <= (int)oom_episode_open())
		return;
	__atomic_add_fetch(&ukmem_free_wait_seq, 1, __ATOMIC_RELEASE);
	arch_wake_all(&ukmem_free_wait_seq);
}

/*
 * zone->lock from ukmem's interrupt context (a signal handler run through
 * ukmem_sigaction): the interrupted code may hold the lock on this very
 * thread, so a handler only tries it.  Allocations then fail (GFP_ATOMIC
 * may fail); frees are parked on zone->irq_deferred_free and finished by
 * the next holder of the lock.
 */
static inline bool zone_lock_irqsafe(struct zone *zone)
{
	/* Where only tried (spin_lock_or_try()), the caller parks its free or fails. */
	return spin_lock_or_try(&zone->lock);
}

static noinline void free_irq_deferred(struct zone *zone)
{
	struct page *page = __atomic_exchange_n(&zone->irq_deferred_free, NULL, __ATOMIC_ACQUIRE);

	while (page) {
		struct page *next = (struct page *)page->lru.next;
		unsigned long pfn = page_to_pfn(page);
		unsigned int order = (unsigned int)page_private(page);

		set_page_private(page, 0);
		__free_one_page(page, pfn, zone, order, free_list_type(pfn), FPI_NONE);
		atomic_long_add(1L << order, &zone->vm_stat[NR_FREE_PAGES]);
		page = next;
	}
}

void __zone_lock(struct zone *zone)
{
	spin_lock(&zone->lock);
}

/* zone->lock released, with the frees a signal handler parked meanwhile. */
static __always_inline void zone_unlock_plain(struct zone *zone)
{
	if (unlikely(READ_ONCE(zone->irq_deferred_free)))
		free_irq_deferred(zone);
	spin_unlock(&zone->lock);
}

void __zone_unlock_plain(struct zone *zone)
{
	zone_unlock_plain(zone);
}

/* ... and then page reporting's system calls, outside it (mm/page_reporting.c). */
static inline void zone_unlock(struct zone *zone)
{
	zone_unlock_plain(zone);
	if (unlikely(READ_ONCE(zone->reporting_work)))
		page_reporting_run(zone);
}

/*
 * Off its free list and out of the free count, as the kernel's
 * __isolate_free_page(): neither allocated nor merged until it is put back.
 */
void __isolate_free_block(struct zone *zone, struct page *page, unsigned int order)
{
	del_page_from_free_list(page, zone, order);
	atomic_long_sub(1L << order, &zone->vm_stat[NR_FREE_PAGES]);
}

/* Back after reporting (the kernel's __putback_isolated_page()), merging as any free. */
void __putback_reported_block(struct zone *zone, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	__free_one_page(page, pfn, zone, order, get_pfnblock_migratetype(pfn), FPI_REPORTED);
	atomic_long_add(1L << order, &zone->vm_stat[NR_FREE_PAGES]);
}

/*
 * alloc_contig_range() (mm/page_contig.c), zone->lock held: the deferred
 * block holding @pfn joins the free lists; false if the host refused it.
 */
bool __materialize_deferred_at(struct zone *zone, unsigned long pfn)
{
	struct page *page = deferred_take_block_at_locked(zone, pfn);

	if (!page)
		return false;
	set_buddy_order(page, MAX_PAGE_ORDER);	/* nr_free already counts it */
	list_add_tail(&page->lru, &zone->free_area[MAX_PAGE_ORDER].free_list[MIGRATE_MOVABLE]);
	return true;
}

/*
 * alloc_contig_range(), zone->lock held: the free block @page of @order
 * leaves the lists; its parts outside [@start, @end) go back as the
 * largest aligned blocks that fit, merging as any free.
 */
void __take_free_block_range(struct zone *zone, struct page *page, unsigned int order,
			     unsigned long start, unsigned long end)
{
	unsigned long pfn = page_to_pfn(page), last = pfn + (1UL << order);
	unsigned long parts[2][2] = { { pfn, max(pfn, start) }, { min(last, end), last } };
	int i;

	__isolate_free_block(zone, page, order);
	for (i = 0; i < 2; i++) {
		unsigned long lo = parts[i][0], hi = parts[i][1];

		while (lo < hi) {
			unsigned int o = aligned_run_order(lo, hi - lo);

			__free_one_page(pfn_to_page(lo), lo, zone, o, free_list_type(lo), FPI_NONE);
			atomic_long_add(1L << o, &zone->vm_stat[NR_FREE_PAGES]);
			lo += 1UL << o;
		}
	}
}

static noinline void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
			  unsigned int order, int migratetype, int fpi_flags)
{
	if (unlikely(!zone_lock_irqsafe(zone))) {
		struct page *head = READ_ONCE(zone->irq_deferred_free);

		set_page_private(page, order);
		do {
			page->lru.next = (struct list_head *)head;
		} while (!__atomic_compare_exchange_n(&zone->irq_deferred_free, &head, page, false,
						      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
		return;
	}
	__free_one_page(page, pfn, zone, order, migratetype, fpi_flags);
	atomic_long_add(1L << order, &zone->vm_stat[NR_FREE_PAGES]);
	zone_unlock(zone);
	wake_free_waiters();
}

/* Boot: memblock hands a block to the buddy allocator (no checks, no pcp). */
void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);

	atomic_long_add(1L << order, &zone->managed_pages);
	debug_pagealloc_unmap_pages(page, 1 << order);	/* free_pages_prepare()'s, in the kernel */
	free_one_page(zone, page, pfn, order, get_pfnblock_migratetype(pfn), FPI_TO_TAIL);
}

/* ---- checks at free time ---- */

/*
 * Everything the free path checks and clears (free_pages_prepare): the
 * page's counts, mapping and flags, and the order it was allocated with.
 * The common case - an order-0 page in the expected state, no hooks - is
 * one compare; anything else takes free_the_page_slow() as a whole, so
 * that the fast path calls nothing it must come back from (and saves no
 * registers for).
 */
static __always_inline bool free_page_plain(const struct page *page, unsigned int order)
{
	unsigned long flags = page->flags & (PAGE_FLAGS_CHECK_AT_FREE | ALLOC_ORDER_MASK);

	return likely(!order && flags == (1UL << ALLOC_ORDER_PGSHIFT) &&
		      page_expected_state(page, 0) && !data_race(page_free_hooks));
}

static __always_inline void free_pages_clear(struct page *page)
{
	__page_flags_store(page, page->flags & ~(((1UL << __NR_PAGEFLAGS) - 1) | ALLOC_ORDER_MASK));
}

/* ---- per-CPU page lists ---- */

static inline bool pcp_allowed_order(unsigned int order)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER || order == pageblock_order;
}

static inline unsigned int order_to_pindex(int migratetype, unsigned int order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return NR_LOWORDER_PCP_LISTS;
	return (MIGRATE_PCPTYPES * order) + (unsigned int)migratetype;
}

static inline unsigned int pindex_to_order(unsigned int pindex)
{
	if (pindex == NR_LOWORDER_PCP_LISTS)
		return pageblock_order;
	return pindex / MIGRATE_PCPTYPES;
}

/* Give @count pages from the pcp lists back to the buddy lists, round robin. */
noinline void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp,
			       unsigned int pindex)
{
	int freed = 0;

	count = min(pcp->count, count);
	if (unlikely(!zone_lock_irqsafe(zone)))
		return;		/* a handler: the lists stay above high for now */
	while (count > 0) {
		struct list_head *list;
		unsigned int order;

		do {
			if (++pindex > NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list));
		order = pindex_to_order(pindex);
		do {
			struct page *page = list_last_entry(list, struct page, lru);
			unsigned long pfn = page_to_pfn(page);
			/*
			 * The pageblock's type now, not when the page was freed
			 * (as 6.10+ does): a page follows its block when the
			 * block is stolen in the meantime.
			 */
			int mt = free_list_type(pfn);

			list_del(&page->lru);
			count -= 1 << order;
			WRITE_ONCE(pcp->count, pcp->count - (1 << order));
			freed += 1 << order;
			__free_one_page(page, pfn, zone, order, mt, FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
	atomic_long_add(freed, &zone->vm_stat[NR_FREE_PAGES]);
	zone_unlock(zone);
}

static int nr_pcp_free(struct per_cpu_pages *pcp, int high, int batch, bool free_high)
{
	int min_nr_free, max_nr_free;

	if (unlikely(free_high))
		return pcp->count;	/* a run of high-order frees: everything */
	if (unlikely(high < batch))
		return 1;
	min_nr_free = batch;
	max_nr_free = high - batch;
	batch <<= pcp->free_factor;
	if (batch < max_nr_free && pcp->free_factor < 16)
		pcp->free_factor++;
	return clamp(batch, min_nr_free, max_nr_free);
}

static __always_inline void free_unref_page_commit(struct zone *zone, struct per_cpu_pages *pcp,
				   struct page *page, int migratetype, unsigned int order,
				   bool tail)
{
	unsigned int pindex = order_to_pindex(migratetype, order);

	if (likely(!tail))
		list_add(&page->lru, &pcp->lists[pindex]);
	else
		list_add_tail(&page->lru, &pcp->lists[pindex]);
	WRITE_ONCE(pcp->count, pcp->count + (1 << order));	/* drains peek without the lock */
	/*
	 * 6.0+ (f26b3fa04611): a CPU that frees high-order pages without
	 * allocating in between (free_factor raised by an earlier drain, not
	 * yet halved by an allocation) keeps none of them: high-order pages on
	 * a list fragment the zone, and here they are memory the host cannot
	 * have back.  A CPU that only frees slabs (a consumer) thus stops
	 * hoarding them after its first drain.
	 */
	if (unlikely(order && order <= PAGE_ALLOC_COSTLY_ORDER && pcp->free_factor)) {
		free_pcppages_bulk(zone, nr_pcp_free(pcp, 0, pcp->batch, true), pcp, pindex);
		return;
	}
	if (unlikely(pcp->count >= pcp->high)) {
		int high = pcp->high, batch = pcp->batch;

		free_pcppages_bulk(zone, nr_pcp_free(pcp, high, batch, false), pcp, pindex);
	}
}

/* The pcp lists' half of free_unref_page(), out of line: the fast path stays lean. */
static noinline void free_unref_page_lists(struct page *page, unsigned long pfn, int migratetype,
					   unsigned int order, bool tail)
{
	struct zone *zone = page_zone(page);
	struct per_cpu_pages *pcp;

	if (unlikely(migratetype >= MIGRATE_PCPTYPES)) {
		if (migratetype == MIGRATE_ISOLATE) {
			free_one_page(zone, page, pfn, order, migratetype, FPI_NONE);
			return;
		}
		migratetype = MIGRATE_MOVABLE;
	}
	pcp = &zone->per_cpu_pageset[raw_smp_processor_id()];
	if (likely(spin_trylock_owned(&pcp->lock))) {
		if (!order && data_race(pcp_hot.rseq))
			pcp_hot_flush(zone, pcp, migratetype);	/* a full stack: its older half */
		free_unref_page_commit(zone, pcp, page, migratetype, order, tail);
		arch_spin_unlock(&pcp->lock);
		wake_free_waiters();
	} else {
		atomic_long_inc(&page_stats.pcp_trylock_miss);
		free_one_page(zone, page, pfn, order, migratetype, FPI_NONE);
	}
}

static __always_inline void free_unref_page(struct page *page, unsigned int order, bool tail)
{
	unsigned long pfn = page_to_pfn(page);
	int migratetype = get_pfnblock_migratetype(pfn);

	if (likely(!order && !tail && migratetype < MIGRATE_PCPTYPES)) {
		long rseq = data_race(pcp_hot.rseq);

		/* This CPU's stack of order-0 pages (mm/page_alloc_hot.c). */
		if (likely(rseq) &&
		    !arch_rseq_stack_push(&pcp_hot.stacks[page->flags >> ZONES_PGSHIFT][migratetype],
					  rseq, page)) {
			wake_free_waiters();
			return;
		}
	}
	free_unref_page_lists(page, pfn, migratetype, order, tail);
}

static void free_the_page_slow(struct page *page, unsigned int order, bool tail);

static __always_inline void free_the_page(struct page *page, unsigned int order, bool tail)
{
	if (unlikely(!free_page_plain(page, order)))
		return free_the_page_slow(page, order, tail);
	free_pages_clear(page);
	free_unref_page(page, 0, tail);
}

/* Any order, any state, the hooks: checked (and reported) in full first. */
static noinline void free_the_page_slow(struct page *page, unsigned int order, bool tail)
{
	if (!free_pages_check_slow(page, order))
		return;
	free_pages_clear(page);
	if (unlikely(data_race(page_free_hooks)))
		free_pages_hooks(page, order);
	if (likely(pcp_allowed_order(order))) {
		free_unref_page(page, order, tail);
	} else {
		/*
		 * Above the largest buddy order (a compound page from
		 * alloc_contig_range()): max-order blocks, as the kernel's
		 * split_large_buddy().
		 */
		unsigned int o = min(order, (unsigned int)MAX_PAGE_ORDER);
		unsigned long pfn = page_to_pfn(page), i;

		for (i = 0; i < (1UL << order); i += 1UL << o)
			free_one_page(page_zone(page), page + i, pfn + i, o,
				      get_pfnblock_migratetype(pfn + i), FPI_NONE);
	}
}

/* ---- taking blocks out of the buddy lists ---- */

static inline void expand(struct zone *zone, struct page *page, unsigned int low,
			  unsigned int high, int migratetype)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		set_buddy_order(&page[size], high);
		add_to_free_list(&page[size], zone, high, migratetype, false);
	}
}

static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	unsigned int current_order;

	for (current_order = order; current_order < NR_PAGE_ORDERS; ++current_order) {
		struct page *page;

		if (!zone->free_area[current_order].nr_free)
			continue;
		page = get_page_from_free_area(zone, current_order, migratetype);
		if (!page)
			continue;
		del_page_from_free_list(page, zone, current_order);
		expand(zone, page, order, current_order, migratetype);
		return page;
	}
	return NULL;
}

static const int fallbacks[MIGRATE_TYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/* Move the free blocks of the pageblock holding @page to @migratetype's lists. */
static int move_freepages_block(struct zone *zone, struct page *page, int migratetype)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long start_pfn = pfn & ~(pageblock_nr_pages - 1);
	unsigned long end_pfn = start_pfn + pageblock_nr_pages;
	int pages_moved = 0;

	start_pfn = max(start_pfn, zone->zone_start_pfn);
	end_pfn = min(end_pfn, zone_end_pfn(zone));
	for (pfn = start_pfn; pfn < end_pfn;) {
		struct page *p = pfn_to_page(pfn);
		unsigned int order;

		if (!PageBuddy(p)) {
			pfn++;
			continue;
		}
		order = buddy_order(p);
		move_to_free_list(p, zone, order, migratetype);
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}
	return pages_moved;
}

static void change_pageblock_range(struct page *page, unsigned int order, int migratetype)
{
	unsigned long nr = 1UL << (order > pageblock_order ? order - pageblock_order : 0), i;

	for (i = 0; i < nr; i++)
		set_pageblock_migratetype(page + i * pageblock_nr_pages, migratetype);
}

static bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	return order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE;
}

static int find_suitable_fallback(struct zone *zone, unsigned int order, int migratetype,
				  bool *can_steal)
{
	int i;

	*can_steal = false;
	for (i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (free_area_empty(zone, order, fallback_mt))
			continue;
		if (can_steal_fallback(order, migratetype))
			*can_steal = true;
		return fallback_mt;
	}
	return -1;
}

/* vm.watermark_boost_factor: how far a fragmenting fallback raises the watermarks. */
int watermark_boost_factor = 15000;

/*
 * A fallback took a pageblock's pages for another migratetype: raise the
 * zone's watermarks by a pageblock, up to watermark_boost_factor/10000 of
 * the high watermark, so that kswapd reclaims ahead of the next fallback
 * (boost_watermark).  Not in zones of under four pageblocks, and not
 * without kswapd, which is what gives the boost back.  zone->lock held.
 */
static void boost_watermark(struct zone *zone)
{
	int factor = __atomic_load_n(&watermark_boost_factor, __ATOMIC_RELAXED);	/* a sysctl */
	unsigned long max_boost;

	if (!factor || boot_config.kswapd_mode == KSWAPD_MODE_OFF)
		return;
	if (pageblock_nr_pages * 4 > zone_managed_pages(zone))
		return;
	max_boost = zone->_watermark[WMARK_HIGH] * (unsigned long)factor / 10000;
	if (!max_boost)
		return;
	max_boost = max(pageblock_nr_pages, max_boost);
	__atomic_store_n(&zone->watermark_boost,
			 min(zone->watermark_boost + pageblock_nr_pages, max_boost), __ATOMIC_RELAXED);
}

/* Take over (part of) a pageblock of another migratetype (steal_suitable_fallback). */
static void steal_suitable_fallback(struct zone *zone, struct page *page, int start_type,
				    bool whole_block)
{
	unsigned int current_order = buddy_order(page);
	int free_pages;

	if (current_order >= pageblock_order) {
		change_pageblock_range(page, current_order, start_type);
		move_to_free_list(page, zone, current_order, start_type);
		return;
	}
	/*
	 * The kernel also flags the zone so that the next rmqueue wakes
	 * kswapd; here the raised low watermark sends the next allocations
	 * to the slow path, which wakes it (no test on the fast path).
	 */
	boost_watermark(zone);
	if (!whole_block) {
		move_to_free_list(page, zone, current_order, start_type);
		return;
	}
	free_pages = move_freepages_block(zone, page, start_type);
	/* Claim the block when at least half of it is free (nothing is "alike" here). */
	if (free_pages >= (int)(1 << (pageblock_order - 1)))
		set_pageblock_migratetype(page, start_type);
}

static bool __rmqueue_fallback(struct zone *zone, int order, int start_migratetype)
{
	int current_order, fallback_mt = -1;
	bool can_steal = false;
	struct page *page;

	for (current_order = MAX_PAGE_ORDER; current_order >= order; --current_order) {
		fallback_mt = find_suitable_fallback(zone, (unsigned)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt == -1)
			continue;
		/* Movable requests that cannot steal take the smallest block. */
		if (!can_steal && start_migratetype == MIGRATE_MOVABLE && current_order > order)
			goto find_smallest;
		goto do_steal;
	}
	return false;

find_smallest:
	for (current_order = order; current_order < NR_PAGE_ORDERS; current_order++) {
		fallback_mt = find_suitable_fallback(zone, (unsigned)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	if (current_order >= NR_PAGE_ORDERS)
		return false;
do_steal:
	page = get_page_from_free_area(zone, (unsigned)current_order, fallback_mt);
	if (!page)
		return false;
	steal_suitable_fallback(zone, page, start_migratetype, can_steal);
	return true;
}

static struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype)
{
	struct page *page;
	int tries = 0;

	for (;;) {
		page = __rmqueue_smallest(zone, order, migratetype);
		if (likely(page) || tries++ >= 4)
			return page;
		if (!__rmqueue_fallback(zone, (int)order, migratetype))
			return NULL;
	}
}

/* zone->lock held, after NR_FREE_PAGES went down: a new peak? (no fast path gets here) */
static inline void note_peak_used(struct zone *zone)
{
	long used = (long)zone_managed_pages(zone) - atomic_long_read(&zone->vm_stat[NR_FREE_PAGES]);

	if (used > (long)zone->peak_used)
		WRITE_ONCE(zone->peak_used, (unsigned long)used);
}

static noinline int rmqueue_bulk(struct zone *zone, unsigned int order, int count,
			struct list_head *list, int migratetype)
{
	int i, allocated = 0;

	if (unlikely(!zone_lock_irqsafe(zone)))
		return 0;
	for (i = 0; i < count; ++i) {
		struct page *page = __rmqueue(zone, order, migratetype);

		if (unlikely(!page))
			break;
		list_add_tail(&page->lru, list);
		allocated++;
	}
	atomic_long_sub((long)allocated << order, &zone->vm_stat[NR_FREE_PAGES]);
	note_peak_used(zone);
	zone_unlock(zone);
	return allocated;
}

static __always_inline struct page *rmqueue_pcplist(struct zone *zone, unsigned int order, int migratetype)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[raw_smp_processor_id()];
	struct list_head *list;
	struct page *page;

	if (unlikely(!spin_trylock_owned(&pcp->lock))) {
		atomic_long_inc(&page_stats.pcp_trylock_miss);
		return NULL;
	}
	pcp->free_factor >>= 1;
	list = &pcp->lists[order_to_pindex(migratetype, order)];
	if (unlikely(list_empty(list))) {
		int batch = READ_ONCE(pcp->batch), got;

		if (order)
			batch = max(batch >> order, 2);
		got = rmqueue_bulk(zone, order, batch, list, migratetype);
		WRITE_ONCE(pcp->count, pcp->count + (int)(got << order));
		if (unlikely(!got)) {
			arch_spin_unlock(&pcp->lock);
			return NULL;
		}
	}
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	WRITE_ONCE(pcp->count, pcp->count - (1 << order));
	if (!order && data_race(pcp_hot.rseq))
		pcp_hot_refill(zone, pcp, migratetype);	/* this CPU's stack was empty or busy */
	arch_spin_unlock(&pcp->lock);
	return page;
}

static struct page *rmqueue_buddy(struct zone *zone, unsigned int order,
				  unsigned int alloc_flags, int migratetype)
{
	struct page *page = NULL;

	if (unlikely(!zone_lock_irqsafe(zone)))
		return NULL;
	if (order && (alloc_flags & ALLOC_HIGHATOMIC))
		page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	if (!page) {
		page = __rmqueue(zone, order, migratetype);
		/* Non-blocking and OOM requests may use the high-atomic reserve too. */
		if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	}
	if (page) {
		atomic_long_sub(1L << order, &zone->vm_stat[NR_FREE_PAGES]);
		note_peak_used(zone);
	}
	zone_unlock(zone);
	return page;
}

static __always_inline struct page *rmqueue(struct zone *zone, unsigned int order,
				   unsigned int alloc_flags, int migratetype)
{
	if (likely(pcp_allowed_order(order))) {
		struct page *page = rmqueue_pcplist(zone, order, migratetype);

		if (likely(page))
			return page;
	}
	return rmqueue_buddy(zone, order, alloc_flags, migratetype);
}

/*
 * High-order atomic allocations reserve their pageblock for more of the
 * same.  Often a signal handler's (GFP_ATOMIC): there zone->lock is only
 * tried, since the interrupted code may hold it, and the reservation,
 * an optimisation, is left for a later allocation.
 */
static noinline void reserve_highatomic_pageblock(struct page *page, struct zone *zone)
{
	unsigned long max_managed = zone_managed_pages(zone) / 100 + pageblock_nr_pages;
	int mt;

	if (READ_ONCE(zone->nr_reserved_highatomic) >= max_managed)
		return;
	if (!zone_lock_irqsafe(zone))
		return;
	mt = get_pageblock_migratetype(page);
	if (zone->nr_reserved_highatomic < max_managed &&
	    mt != MIGRATE_HIGHATOMIC && mt != MIGRATE_ISOLATE) {
		WRITE_ONCE(zone->nr_reserved_highatomic,
			   zone->nr_reserved_highatomic + pageblock_nr_pages);
		set_pageblock_migratetype(page, MIGRATE_HIGHATOMIC);
		move_freepages_block(zone, page, MIGRATE_HIGHATOMIC);
	}
	zone_unlock(zone);
}

/* Under pressure, give a high-atomic pageblock back to ordinary use. */
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
{
	struct zoneref *z;

	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		unsigned int order;

		if (!zoneref_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;
		if (!force && READ_ONCE(zone->nr_reserved_highatomic) <= pageblock_nr_pages)
			continue;
		spin_lock(&zone->lock);
		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			struct list_head *list = &zone->free_area[order].free_list[MIGRATE_HIGHATOMIC];
			struct page *page;

			if (list_empty(list))
				continue;
			page = list_first_entry(list, struct page, lru);
			if (get_pageblock_migratetype(page) == MIGRATE_HIGHATOMIC) {
				WRITE_ONCE(zone->nr_reserved_highatomic,
					   zone->nr_reserved_highatomic -
					   min(pageblock_nr_pages, zone->nr_reserved_highatomic));
			}
			set_pageblock_migratetype(page, ac->migratetype);
			move_freepages_block(zone, page, ac->migratetype);
			spin_unlock(&zone->lock);
			return true;
		}
		spin_unlock(&zone->lock);
	}
	return false;
}

/* ---- watermarks (the full check: mm/page_alloc_slow.c) ---- */

static inline bool zone_watermark_fast(struct zone *z, unsigned int order, unsigned long mark,
				       int highest_zoneidx, unsigned int alloc_flags)
{
	long free_pages = atomic_long_read(&z->vm_stat[NR_FREE_PAGES]);

	if (likely(!order)) {
		long usable = free_pages - (long)READ_ONCE(z->nr_reserved_highatomic);

		if (usable > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}
	if (__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;
	/* The kernel's exception: order-0 __GFP_HIGH at min ignores the boost (it only wakes kswapd). */
	if (unlikely(!order && (alloc_flags & ALLOC_MIN_RESERVE) && READ_ONCE(z->watermark_boost) &&
		     (alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN))
		return __zone_watermark_ok(z, 0, READ_ONCE(z->_watermark[WMARK_MIN]),
					   highest_zoneidx, alloc_flags, free_pages);
	return false;
}

/* ---- allocation ---- */

static void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	__SetPageHead(page);
	for (i = 1; i < nr; i++)
		page[i].compound_head = (unsigned long)page + 1;
	page[1].compound_order = (unsigned char)order;
}

/* An allocated page's count, private word and order record. */
static __always_inline void prep_new_page_state(struct page *page, unsigned int order)
{
	VM_BUG_ON(page_alloc_order_rec(page) != 0);
	set_page_private(page, 0);
	set_page_count(page, 1);
	__page_flags_store(page, page->flags | (unsigned long)(order + 1) << ALLOC_ORDER_PGSHIFT);
}

/*
 * The hot path's hooks (init_on_alloc, __GFP_ZERO, the tools): out of
 * line, then the page (never NULL: so the caller's call is a tail call).
 */
static noinline __attribute__((returns_nonnull))
struct page *prep_new_page0_hooked(struct page *page, gfp_t gfp)
{
	prep_new_page_hooks(page, 0, gfp);
	return page;
}

static inline void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	prep_new_page_state(page, order);
	if (unlikely(gfp_hits_hooks(gfp, data_race(page_alloc_hook_gfp))))
		prep_new_page_hooks(page, order, gfp);
	if (order && (gfp & __GFP_COMP))
		prep_compound_page(page, order);
}

/* alloc_contig_range(): pages taken off the lists become allocated ones. */
void __prep_contig_pages(struct page *page, unsigned long nr, unsigned int order, gfp_t gfp)
{
	unsigned long i;

	if (gfp & __GFP_COMP)
		return prep_new_page(page, order, gfp);
	for (i = 0; i < nr; i++)
		prep_new_page(page + i, 0, gfp);
}

static __always_inline struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags,
					   const struct alloc_context *ac)
{
	/* Read once: a constant NULL where the caller's request has no mask. */
	const nodemask_t *nodemask = ac->nodemask;
	struct zoneref *z;

	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		struct page *page;

		if (unlikely(!zoneref_allowed(z, ac->highest_zoneidx, nodemask)))
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			unsigned long mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);

			if (!zone_watermark_fast(zone, order, mark, (int)ac->highest_zoneidx,
						 alloc_flags))
				continue;
		}
		page = rmqueue(zone, order, alloc_flags, ac->migratetype);
		if (likely(page)) {
			prep_new_page(page, order, gfp);
			if (unlikely(order && (alloc_flags & ALLOC_HIGHATOMIC)))
				reserve_highatomic_pageblock(page, zone);
			return page;
		}
	}
	return NULL;
}

/* The slow path's way in: not inlined there (mm/page_alloc_slow.c). */
struct page *get_page_from_freelist_slow(gfp_t gfp, unsigned int order,
					 unsigned int alloc_flags, const struct alloc_context *ac)
{
	return get_page_from_freelist(gfp, order, alloc_flags, ac);
}

/* Boot on first use, and refuse impossible orders; false: return NULL. */
static noinline bool alloc_pages_unusual(gfp_t gfp, unsigned int order)
{
	if (system_state != SYSTEM_RUNNING) {
		ukmem_boot_slow();
		if (system_state != SYSTEM_RUNNING)
			return false;
	}
	if (order > MAX_PAGE_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			WARN_ON_ONCE(order > MAX_PAGE_ORDER);
		atomic_long_inc(&page_stats.alloc_fail);
		return false;
	}
	return true;
}

/* A node past nr_online_nodes: before the boot there is only node 0. */
static noinline bool node_after_boot(int nid)
{
	ukmem_ensure_booted();
	return nid >= 0 && nid < nr_online_nodes;
}

/*
 * Order 0 from this CPU's stack of pages for the gfp's zone and
 * migratetype (mm/page_alloc_hot.c), behind the same order-0 watermark
 * test get_page_from_freelist() makes; NULL: take the lists' path.
 */
static __always_inline struct page *alloc_page_hot_by(gfp_t gfp, long rseq,
						      const struct pcp_hot_route *route)
{
	struct zone *zone = route->zone;
	struct page *page;
	long usable;

	if (unlikely(!zone))
		return NULL;
	usable = atomic_long_read(&zone->vm_stat[NR_FREE_PAGES]) -
		 (long)READ_ONCE(zone->nr_reserved_highatomic);
	if (unlikely(usable <= (long)wmark_pages(zone, WMARK_LOW) +
				 zone->lowmem_reserve[route->highest_zoneidx]))
		return NULL;
	page = arch_rseq_stack_pop(route->stacks, rseq);
	if (unlikely(!page))
		return NULL;
	prep_new_page_state(page, 0);
	/* A tail call: the fast path keeps nothing across a call. */
	if (unlikely(gfp_hits_hooks(gfp, data_race(page_alloc_hook_gfp))))
		return prep_new_page0_hooked(page, gfp);
	return page;
}

/*
 * The fast path's routes have no zone for __GFP_MOVABLE requests: those
 * come here, out of line, to apply memalloc_pin_save()'s scope before a
 * route is chosen (a pinned section gets no movable page), so the common
 * request pays nothing for the scope's check.
 */
static __always_inline struct page *alloc_page_hot(gfp_t gfp, long rseq)
{
	if (!rseq)
		return NULL;
	return alloc_page_hot_by(gfp, rseq, &pcp_hot.route[gfp & PCP_HOT_ROUTE_MASK]);
}

/* The debugging checks and fault injection every allocation passes; false: fail it. */
static __always_inline bool alloc_pages_hooks(gfp_t gfp, unsigned int order)
{
	might_sleep_if(gfpflags_allow_blocking(gfp));
	return !should_fail_alloc_page(gfp, order);
}

/* What every allocation passes first; false: fail it. */
static __always_inline bool alloc_pages_checks(gfp_t gfp, unsigned int order)
{
	if (unlikely(system_state != SYSTEM_RUNNING || order > MAX_PAGE_ORDER) &&
	    !alloc_pages_unusual(gfp, order))
		return false;
	return alloc_pages_hooks(gfp, order);
}

/*
 * memalloc_pin_save()'s scope: the kernel applies current_gfp_context()
 * before its fast path, so a pinned section gets no movable page.  Only a
 * request with __GFP_MOVABLE reads the task flags, and only off the fast
 * path (alloc_page_hot_movable(), alloc_pages_lists()); the rest of the
 * scope (NOFS, NOIO) matters only to reclaim, in the slow path.
 */
static __always_inline gfp_t alloc_gfp_pin_scope(gfp_t gfp)
{
	if (unlikely(gfp & __GFP_MOVABLE) && (current->flags & PF_MEMALLOC_PIN))
		gfp &= ~__GFP_MOVABLE;
	return gfp;
}

/* The stack an order-0 request of @gfp (after the pin scope) is routed to. */
static inline const struct pcp_hot_route *pcp_hot_route_of(gfp_t gfp)
{
	return (gfp & __GFP_MOVABLE) ? &pcp_hot.movable_route[gfp & PCP_HOT_ROUTE_MASK] :
				       &pcp_hot.route[gfp & PCP_HOT_ROUTE_MASK];
}

/* An order-0 __GFP_MOVABLE request's stack, chosen after the pin scope. */
static noinline struct page *alloc_page_hot_movable(gfp_t gfp)
{
	long rseq = data_race(pcp_hot.rseq);

	if (!rseq)
		return NULL;
	gfp = alloc_gfp_pin_scope(gfp);
	return alloc_page_hot_by(gfp, rseq, pcp_hot_route_of(gfp));
}

/*
 * The zonelist walk (from its first zone of a node in @nodemask, if any:
 * first_zones_zonelist()), the lists, the slow path: after alloc_pages_checks().
 */
static __always_inline struct page *alloc_pages_lists(gfp_t gfp, unsigned int order,
						      int preferred_nid, nodemask_t *nodemask)
{
	struct alloc_context ac;
	struct page *page;
	pg_data_t *pgdat;
	int list;

	gfp = alloc_gfp_pin_scope(gfp);
	pgdat = NODE_DATA(preferred_nid);
	list = (gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK : ZONELIST_FALLBACK;
	ac.highest_zoneidx = __gfp_zone(gfp);
	ac.zonelist = pgdat->zonelist_first[list][ac.highest_zoneidx];
	ac.preferred_zoneref = ac.zonelist;
	ac.nodemask = nodemask;
	if (nodemask)
		ac.preferred_zoneref = first_zoneref_allowed(ac.preferred_zoneref,
							     ac.highest_zoneidx, nodemask);
	ac.migratetype = gfp_migratetype(gfp);

	page = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW, &ac);
	if (likely(page))
		return page;
	return __alloc_pages_slowpath(gfp, order, &ac);
}

/*
 * Order 0 past the fast path's table: a movable request's stack (the
 * table has no route for it), then the lists.
 */
static __always_inline struct page *alloc_page_past_table(gfp_t gfp, int nid)
{
	if (unlikely(gfp & __GFP_MOVABLE)) {
		struct page *page = alloc_page_hot_movable(gfp);

		if (page)
			return page;
	}
	return alloc_pages_lists(gfp, 0, nid, NULL);
}

static __always_inline struct page *alloc_pages_common(gfp_t gfp, unsigned int order,
						       int preferred_nid)
{
	struct page *page;

	if (!alloc_pages_checks(gfp, order))
		return NULL;
	if (!order) {
		page = alloc_page_hot(gfp, data_race(pcp_hot.rseq));
		if (likely(page))
			return page;
		return alloc_page_past_table(gfp, preferred_nid);
	}
	return alloc_pages_lists(gfp, order, preferred_nid, NULL);
}

/* alloc_pages()'s way past the stack: out of line, so its fast path stays lean. */
static noinline struct page *alloc_page_lists(gfp_t gfp)
{
	int nid = likely(READ_ONCE(nr_online_nodes) <= 1) ? 0 : numa_node_id();

	return alloc_page_past_table(gfp, nid);
}

/* Orders above 0, and order 0 before the boot or without the page stacks. */
static noinline struct page *alloc_pages_order(gfp_t gfp, unsigned int order)
{
	/* Marked: this may run before the boot, while another thread boots. */
	int nid = likely(READ_ONCE(nr_online_nodes) <= 1) ? 0 : numa_node_id();

	/* Two copies of the inline path: order 0 gets its constants folded. */
	if (likely(!order))
		return alloc_pages_common(gfp, 0, nid);
	return alloc_pages_common(gfp, order, nid);
}

/*
 * Order 0 with a nodemask: this CPU's stack only if its zone's node is in
 * the mask (stacks are off on NUMA machines: mm/page_alloc_hot.c).
 */
static noinline struct page *alloc_page_hot_in(gfp_t gfp, const nodemask_t *nodemask)
{
	long rseq = data_race(pcp_hot.rseq);
	const struct pcp_hot_route *route;

	if (!rseq)
		return NULL;
	gfp = alloc_gfp_pin_scope(gfp);
	route = pcp_hot_route_of(gfp);
	if (!route->zone || !node_isset(route->zone->node, *nodemask))
		return NULL;
	return alloc_page_hot_by(gfp, rseq, route);
}

/* __alloc_pages() with a nodemask: out of line, so that NULL costs one test. */
static noinline struct page *alloc_pages_nodemask(gfp_t gfp, unsigned int order,
						  int preferred_nid, nodemask_t *nodemask)
{
	if (!alloc_pages_checks(gfp, order))
		return NULL;
	if (!order) {
		struct page *page = alloc_page_hot_in(gfp, nodemask);

		if (page)
			return page;
	}
	return alloc_pages_lists(gfp, order, preferred_nid, nodemask);
}

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   nodemask_t *nodemask)
{
	/* Marked: this may run before the boot, while another thread boots. */
	if (unlikely((unsigned int)preferred_nid >= (unsigned int)READ_ONCE(nr_online_nodes)) &&
	    !node_after_boot(preferred_nid) &&
	    (preferred_nid = alloc_offline_node(preferred_nid, gfp, order)) < 0)
		return NULL;
	if (unlikely(nodemask))
		return alloc_pages_nodemask(gfp, order, preferred_nid, nodemask);
	return alloc_pages_common(gfp, order, preferred_nid);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	long rseq = data_race(pcp_hot.rseq);
	struct page *page;

	/*
	 * Order 0 with the stacks on (so booted): inline down to this CPU's
	 * stack; the rest out of line.
	 */
	if (likely(!order) && likely(rseq)) {
		/* A report due or fault injection on: the whole order-0 path, out of line. */
		if (unlikely((gfpflags_allow_blocking(gfp) && might_sleep_reports()) ||
			     READ_ONCE(fail_page_alloc_live)))
			return alloc_pages_order(gfp, 0);
		page = alloc_page_hot(gfp, rseq);
		if (likely(page))
			return page;
		return alloc_page_lists(gfp);
	}
	return alloc_pages_order(gfp, order);
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	if (nid == NUMA_NO_NODE)
		nid = likely(READ_ONCE(nr_online_nodes) <= 1) ? 0 : numa_mem_id();
	else if (WARN_ON_ONCE(nid < 0 || nid >= MAX_NUMNODES))
		return NULL;
	else if (unlikely(nid >= READ_ONCE(nr_online_nodes)) && !node_after_boot(nid) &&
		 (nid = alloc_offline_node(nid, gfp, order)) < 0)
		return NULL;
	return alloc_pages_common(gfp, order, nid);
}

/* ---- freeing ---- */

/* Is @page a struct page of mem_map at all? */
static inline bool page_in_mem_map(const struct page *page)
{
	unsigned long off = (unsigned long)page - (unsigned long)mem_map;

	return off < ukmem_ram_pfns * sizeof(struct page) &&
	       !(off & (sizeof(struct page) - 1));
}

/*
 * Someone else still holds page 0 of a non-compound block: free the upper
 * parts now; page 0 alone goes when its last reference does.
 */
static noinline void free_upper_parts(struct page *page, unsigned int order)
{
	if (page_alloc_order_rec(page) != order + 1)
		return;		/* reported when page 0 is finally freed */
	while (order-- > 0) {
		set_page_alloc_order_rec(page + (1UL << order), order + 1);
		free_the_page(page + (1UL << order), order, false);
	}
	set_page_alloc_order_rec(page, 1);
}

static noinline void free_pages_bad_ref(struct page *page)
{
	if (!page_in_mem_map(page)) {
		WARN(1, "__free_pages: %p is not a struct page of this allocator\n", page);
		return;
	}
	/* Already free, a tail page, or never allocated: undo our decrement. */
	atomic_inc(&page->_refcount);
	bad_page(page, "VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
}

/*
 * __free_pages() of a non-compound block of order > 0.  If ours is the
 * only reference, the block goes back whole.  If someone else also holds
 * page 0 (the page cache's speculative get_page(), lib/test_free_pages.c),
 * the upper parts go back now and page 0 when its last reference goes,
 * as an order-0 page.  The split must happen while our reference still
 * pins page 0: the kernel only reads page 0 before its put, and here the
 * split also rewrites page 0's order record, which the other holder's
 * put_page() checks as it frees it.  Done after our put, the split raced
 * that free, saw a record already cleared and left the seven upper pages
 * allocated for good.  So: take the last reference with a compare and
 * swap, or split first and then drop ours.
 */
static noinline void free_pages_noncompound(struct page *page, unsigned int order, bool tail)
{
	int ref = atomic_read(&page->_refcount), old;

	while (ref == 1) {
		if (__atomic_compare_exchange_n(&page->_refcount.counter, &ref, 0, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return free_the_page(page, order, tail);
	}
	if (ref > 1) {
		free_upper_parts(page, order);
		order = 0;
	}
	old = __atomic_fetch_sub(&page->_refcount.counter, 1, __ATOMIC_ACQ_REL);
	if (old == 1)
		free_the_page(page, order, tail);
	else if (old <= 0)
		free_pages_bad_ref(page);
}

static __always_inline void __free_pages_tail(struct page *page, unsigned int order, bool tail)
{
	int old;

	if (unlikely(!page_in_mem_map(page)))
		return free_pages_bad_ref(page);
	if (order && !PageHead(page))
		return free_pages_noncompound(page, order, tail);
	old = __atomic_fetch_sub(&page->_refcount.counter, 1, __ATOMIC_ACQ_REL);
	if (likely(old == 1))
		return free_the_page(page, order, tail);
	if (unlikely(old <= 0))
		return free_pages_bad_ref(page);
}

void __free_pages(struct page *page, unsigned int order)
{
	if (likely(!order))
		__free_pages_tail(page, 0, false);
	else
		__free_pages_tail(page, order, false);
}

void free_hot_page(struct page *page)
{
	__free_pages_tail(page, 0, false);
}

void free_cold_page(struct page *page)
{
	__free_pages_tail(page, 0, true);
}

void __put_page(struct page *page)
{
	free_the_page(page, compound_order(page), false);
}

void put_page(struct page *page)
{
	page = compound_head(page);
	/* v7.x: no references on slab and large kmalloc pages (get_page()). */
	if (unlikely(READ_ONCE(page->flags) & (1UL << PG_slab | 1UL << PG_large_kmalloc)))
		return;
	if (unlikely(page_ref_count(page) <= 0)) {
		bad_page(page, "VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
		return;
	}
	if (put_page_testzero(page))
		__put_page(page);
}
