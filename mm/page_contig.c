// SPDX-License-Identifier: MIT
/*
 * mm/page_contig.c - physically contiguous runs of pages of any length:
 * alloc_contig_range(), alloc_contig_pages(), free_contig_range() and their
 * frozen forms, the kernel's CONFIG_CONTIG_ALLOC interface (mm/page_alloc.c,
 * as of v7.0).
 *
 * Design
 * 1. The kernel isolates the range's pageblocks, migrates the movable
 *    pages in it elsewhere and then takes the free pages off the buddy
 *    lists.  ukmem cannot move a page in use: its address is a pointer the
 *    program holds.  So a range is taken only when every page of it is
 *    free, and one page in use makes it -EBUSY, as an unmovable page does
 *    in the kernel.  Free pages held on the per-CPU lists and stacks count
 *    as in use until they are drained back, so a busy range is tried once
 *    more after drain_all_pages() of its zone (the kernel drains them too,
 *    when it isolates).
 * 2. Under zone->lock, a first pass makes every part of the range usable
 *    without taking anything: deferred max-order blocks are initialised
 *    and listed, blocks given back to the host are taken back.  Only when
 *    all of it is free does the second pass take the free blocks off the
 *    lists; the parts of the first and last block outside the range go
 *    straight back, as the largest aligned blocks that fit.  A failure so
 *    leaves the free lists as they were.
 * 3. The pages come out as order-0 allocations, each with its own
 *    reference (free_contig_range() drops them one by one, and a caller
 *    may free any of them alone), or, from the frozen calls (v7.0+), with
 *    no reference; with __GFP_COMP, which only the frozen calls take since
 *    v7.0, as one compound page
 *    of the range's order: the range must then be a power of two of pages,
 *    aligned to its size.  The order record in page->flags has four bits,
 *    so a compound page is at most order 14 (64 MiB); the kernel also
 *    builds gigantic ones.  A compound page above the buddy's largest order
 *    is freed as max-order blocks (page_alloc.c, free_the_page()).
 * 4. alloc_contig_pages() scans each zone of the zonelist from its start,
 *    in steps of the request (candidates aligned to it), skipping past the
 *    first page in use of a candidate.  The kernel's candidates are
 *    ALIGN(start, nr_pages), a power-of-two rounding; here a length that
 *    is not a power of two is aligned to a multiple of itself.  A
 *    @nodemask leaves out the zones of the nodes outside it, as the
 *    kernel's for_each_zone_zonelist_nodemask() walk does.
 */
#include <errno.h>

#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include "mm/internal.h"

/* The order record in page->flags holds order + 1 in four bits. */
#define CONTIG_COMPOUND_MAX_ORDER	14

/*
 * The kernel's __alloc_contig_verify_gfp_mask(): placement hints are
 * ignored (the range is given), reclaim flags and a few action flags are
 * allowed, anything else (__GFP_NOFAIL, __GFP_NORETRY, __GFP_HIGH, ...)
 * is -EINVAL.
 */
static bool contig_gfp_ok(gfp_t gfp)
{
	const gfp_t ignored = GFP_ZONEMASK | __GFP_RECLAIMABLE | __GFP_WRITE | __GFP_HARDWALL |
			      __GFP_THISNODE | __GFP_MOVABLE;
	const gfp_t reclaim = __GFP_IO | __GFP_FS | __GFP_RECLAIM;
	const gfp_t action = __GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN | __GFP_ZERO |
			     __GFP_ZEROTAGS | __GFP_SKIP_ZERO;

	return !(gfp & ~(ignored | reclaim | action));
}

/* The free block holding @pfn, and its order; NULL if @pfn is in use.  zone->lock held. */
static struct page *free_block_of(unsigned long pfn, unsigned int *order)
{
	unsigned int o;

	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *head = pfn_to_page(pfn & ~((1UL << o) - 1));

		/* Only a block's first page is marked; a block of order >= o covers @pfn. */
		if (PageBuddy(head) && page_private(head) >= o) {
			*order = (unsigned int)page_private(head);
			return head;
		}
	}
	return NULL;
}

/* The first page of [start, end) in use, or @end; deferred blocks are free.  zone->lock held. */
static unsigned long first_busy_locked(unsigned long start, unsigned long end)
{
	unsigned long pfn = start;

	while (pfn < end) {
		struct page *head;
		unsigned int order;

		if (pfn_deferred(pfn)) {
			pfn = ALIGN(pfn + 1, MAX_ORDER_NR_PAGES);
			continue;
		}
		head = free_block_of(pfn, &order);
		if (!head)
			return pfn;
		pfn = page_to_pfn(head) + (1UL << order);
	}
	return end;
}

/* Is every page of [start, end), in @zone, free (per-CPU lists aside)? */
bool contig_range_free(struct zone *zone, unsigned long start, unsigned long end)
{
	unsigned long busy;

	__zone_lock(zone);
	busy = first_busy_locked(start, end);
	__zone_unlock_plain(zone);
	return busy == end;
}

/* Design 2: all of [start, end) off the free lists, or nothing.  zone->lock held. */
static int take_range_locked(struct zone *zone, unsigned long start, unsigned long end)
{
	unsigned long pfn, next;
	struct page *head;
	unsigned int order;

	for (pfn = start; pfn < end; pfn = next) {
		if (pfn_deferred(pfn) && !__materialize_deferred_at(zone, pfn))
			return -ENOMEM;
		head = free_block_of(pfn, &order);
		if (!head)
			return -EBUSY;
		if (PageReported(head) && !page_reporting_reclaim(zone, head))
			return -ENOMEM;
		next = page_to_pfn(head) + (1UL << order);
	}
	for (pfn = start; pfn < end; pfn = next) {
		head = free_block_of(pfn, &order);
		next = page_to_pfn(head) + (1UL << order);
		__take_free_block_range(zone, head, order, start, end);
	}
	return 0;
}

static int take_range(struct zone *zone, unsigned long start, unsigned long end)
{
	int ret;

	__zone_lock(zone);
	ret = take_range_locked(zone, start, end);
	__zone_unlock_plain(zone);
	if (READ_ONCE(zone->reporting_work))
		page_reporting_run(zone);
	return ret;
}

/* The range taken, its pages prepared with a reference each (or the head's, compound). */
static int contig_take(unsigned long start, unsigned long end, gfp_t gfp)
{
	unsigned long nr = end - start;
	unsigned int order = 0;
	struct zone *zone;
	int ret;

	ukmem_ensure_booted();
	if (!contig_gfp_ok(gfp) || start >= end || end > ukmem_ram_pfns)
		return -EINVAL;
	/* "The below functions must be run on a range from a single zone." */
	zone = pfn_to_zone(start);
	if (!zone || !zone_spans_pfn(zone, end - 1))
		return -EINVAL;
	if (gfp & __GFP_COMP) {
		if (!is_power_of_2(nr) || (start & (nr - 1)) ||
		    ilog2(nr) > CONTIG_COMPOUND_MAX_ORDER)
			return -EINVAL;
		order = (unsigned int)ilog2(nr);
	}
	might_sleep();
	/* Interrupt context: the interrupted code may hold zone->lock. */
	if (in_hardirq())
		return -EBUSY;
	ret = take_range(zone, start, end);
	if (ret == -EBUSY) {
		drain_all_pages(zone);
		ret = take_range(zone, start, end);
	}
	if (ret)
		return ret;
	__prep_contig_pages(pfn_to_page(start), nr, order, gfp);
	return 0;
}

/*
 * Frozen pages (v7.0+) carry no reference: what the kernel's frozen
 * allocations hand out, for callers that set up the refcount themselves
 * or free them as they are.  Here the range is taken with references and
 * they are dropped, which leaves the same pages.
 */
static void contig_freeze(struct page *page, unsigned long nr, gfp_t gfp)
{
	unsigned long i;

	if (gfp & __GFP_COMP)
		nr = 1;		/* the head holds the compound page's count */
	for (i = 0; i < nr; i++)
		set_page_count(page + i, 0);
}

int alloc_contig_frozen_range_noprof(unsigned long start, unsigned long end,
				     acr_flags_t alloc_flags, gfp_t gfp)
{
	int ret;

	(void)alloc_flags;	/* CMA areas are not modelled: every range is ordinary */
	ret = contig_take(start, end, gfp);
	if (!ret)
		contig_freeze(pfn_to_page(start), end - start, gfp);
	return ret;
}

/* v7.0+: a compound range is a frozen one's business (the WARN_ON's -EINVAL). */
int alloc_contig_range_noprof(unsigned long start, unsigned long end, acr_flags_t alloc_flags,
			      gfp_t gfp)
{
	(void)alloc_flags;
	if (WARN_ON(gfp & __GFP_COMP))
		return -EINVAL;
	return contig_take(start, end, gfp);
}

/* Design 4: the first candidate of @zone whose pages are all free, taken. */
static struct page *contig_from_zone(struct zone *zone, unsigned long nr, gfp_t gfp)
{
	unsigned long pfn = roundup(zone->zone_start_pfn, nr);

	drain_all_pages(zone);
	while (pfn + nr > pfn && pfn + nr <= zone_end_pfn(zone)) {
		unsigned long busy;

		__zone_lock(zone);
		busy = first_busy_locked(pfn, pfn + nr);
		__zone_unlock_plain(zone);
		if (busy == pfn + nr) {
			int ret = contig_take(pfn, pfn + nr, gfp);

			if (!ret)
				return pfn_to_page(pfn);
			if (ret != -EBUSY)
				return NULL;
			busy = pfn;	/* taken meanwhile by someone else */
		}
		pfn = roundup(busy + 1, nr);
	}
	return NULL;
}

/* alloc_contig_frozen_pages_noprof() before the pages are frozen. */
static struct page *contig_find(unsigned long nr_pages, gfp_t gfp, int nid, nodemask_t *nodemask)
{
	struct zoneref *z;
	unsigned int highest;

	ukmem_ensure_booted();
	if (!nr_pages || !contig_gfp_ok(gfp))
		return NULL;
	might_sleep();
	if (in_hardirq())
		return NULL;	/* as alloc_contig_range() */
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();
	if (nid < 0 || nid >= MAX_NUMNODES || !NODE_DATA(nid))
		return NULL;
	highest = (unsigned int)gfp_zone(gfp);
	z = NODE_DATA(nid)->zonelist_first[(gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK :
					   ZONELIST_FALLBACK][highest];
	for (; z && z->zone; z++) {
		struct page *page;

		/* Only zones of the nodes in @nodemask, as the kernel's walk. */
		if (!zoneref_allowed(z, highest, nodemask) || !populated_zone(z->zone))
			continue;
		page = contig_from_zone(z->zone, nr_pages, gfp);
		if (page)
			return page;
	}
	return NULL;
}

struct page *alloc_contig_frozen_pages_noprof(unsigned long nr_pages, gfp_t gfp, int nid,
					      nodemask_t *nodemask)
{
	struct page *page = contig_find(nr_pages, gfp, nid, nodemask);

	if (page)
		contig_freeze(page, nr_pages, gfp);
	return page;
}

struct page *alloc_contig_pages_noprof(unsigned long nr_pages, gfp_t gfp, int nid,
				       nodemask_t *nodemask)
{
	if (WARN_ON(gfp & __GFP_COMP))
		return NULL;
	return contig_find(nr_pages, gfp, nid, nodemask);
}

/* Is [@pfn, +@nr_pages) RAM?  (The kernel trusts its caller; a program's bad pfn is warned.) */
static bool contig_range_is_ram(const char *fn, unsigned long pfn, unsigned long nr_pages)
{
	return !WARN(pfn >= ukmem_ram_pfns || nr_pages > ukmem_ram_pfns - pfn,
		     "%s: PFN range [%lu, +%lu) is not RAM\n", fn, pfn, nr_pages);
}

/*
 * v7.0+: a reference dropped from each order-0 page, and the pages whose
 * last it was freed; a page someone still holds stays theirs, silently
 * (v6.12 warned "pages are still in use" and freed it all the same).
 */
void __free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	if (!nr_pages || !contig_range_is_ram(__func__, pfn, nr_pages))
		return;
	for (; nr_pages--; pfn++) {
		struct page *page = pfn_to_page(pfn);

		VM_WARN_ON_ONCE(PageHead(page));
		VM_WARN_ON_ONCE(PageTail(page));
		__free_page(page);
	}
}

/* Only order-0 pages: a compound page is warned about and left allocated (v7.0+). */
void free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	if (!nr_pages || !contig_range_is_ram(__func__, pfn, nr_pages))
		return;
	if (WARN_ON_ONCE(PageHead(pfn_to_page(pfn))))
		return;
	__free_contig_range(pfn, nr_pages);
}

/*
 * Frozen pages back: a compound page as one (@nr_pages should be its
 * size, warned once if not; ukmem frees the page's own order, where the
 * kernel would trust @nr_pages), order-0 pages one by one.  A tail page
 * is warned about and nothing is freed.
 */
void free_contig_frozen_range(unsigned long pfn, unsigned long nr_pages)
{
	struct page *page;

	if (!nr_pages || !contig_range_is_ram(__func__, pfn, nr_pages))
		return;
	page = pfn_to_page(pfn);
	if (WARN_ON_ONCE(page != compound_head(page)))
		return;
	if (PageHead(page)) {
		WARN_ON_ONCE(nr_pages != 1UL << compound_order(page));
		set_page_count(page, 1);
		put_page(page);
		return;
	}
	for (; nr_pages--; page = pfn_to_page(++pfn)) {
		set_page_count(page, 1);
		__free_page(page);
	}
}
