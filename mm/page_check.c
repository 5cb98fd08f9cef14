/* SPDX-License-Identifier: MIT */
/*
 * mm/page_check.c - the page allocator's checks: the slow half of the
 * free-time checks (free_pages_prepare() in mm/page_alloc.c tests the
 * common case inline and calls here for anything else), and the
 * whole-structure validator (the expensive assertion level: tests and
 * `ukmem` debugging call it, no allocation path does).
 *
 * The validator checks, zone by zone, under zone->lock and every pcp lock:
 *  - every block on a free list is a PG_buddy head of the list's order,
 *    aligned to it, inside the zone, and not also recorded as allocated;
 *  - no free block has a free buddy of the same order (merging is complete);
 *  - nr_free per order equals the blocks on the lists (+ deferred blocks);
 *  - NR_FREE_PAGES equals the pages in the free blocks;
 *  - free + per-CPU + allocated pages add up to the managed total.
 * Each violation is printed; the return value is their number.
 */
#include <stdio.h>

#include <linux/mm.h>
#include "mm/internal.h"
#include "mm/pcp_hot.h"

/* ---- checks at free time (free_pages_prepare's slow path) ---- */

static const char *page_bad_reason(const struct page *page, unsigned long flags)
{
	if (unlikely(atomic_read(&page->_mapcount) != -1))
		return "nonzero mapcount";
	if (unlikely(page->mapping != NULL))
		return "non-NULL mapping";
	if (unlikely(page_ref_count(page) != 0))
		return "nonzero _refcount";
	if (unlikely(page->flags & flags))
		return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return NULL;
}

static bool free_tail_page_prepare(struct page *head, struct page *page)
{
	const char *reason = NULL;

	if (page->compound_head != (unsigned long)head + 1)
		reason = "compound_head not consistent";
	else if (page_ref_count(page) != 0)
		reason = "nonzero _refcount";
	page->compound_head = 0;
	if (reason) {
		bad_page(page, reason);
		return false;
	}
	return true;
}

/*
 * Report what is wrong with a page that failed the free-time checks
 * (order > 0 or a bad page), or clear the tail pages of a good compound one.
 * Returns false, leaving the page where it is (the kernel leaks it too),
 * when anything was reported.
 */
bool free_pages_check_slow(struct page *page, unsigned int order)
{
	unsigned int recorded = page_alloc_order_rec(page);
	int bad = 0;

	/* The kernel's checks first, so its reasons come out for its cases. */
	if (unlikely(!page_expected_state(page, PAGE_FLAGS_CHECK_AT_FREE))) {
		bad_page(page, page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE));
		return false;
	}
	if (unlikely(recorded != order + 1)) {
		char reason[96];

		if (!recorded)
			snprintf(reason, sizeof(reason), "page freed but not allocated (order %u)", order);
		else
			snprintf(reason, sizeof(reason),
				 "freed with order %u, allocated with order %u", order, recorded - 1);
		bad_page(page, reason);
		return false;
	}
	/*
	 * A compound page's tails point at the head: check and clear them.
	 * The parts of a plain block need no look: the order record above
	 * already proved the block is the one that was handed out.
	 */
	if (order && PageHead(page)) {
		unsigned long i;

		page[1].compound_order = 0;
		for (i = 1; i < (1UL << order); i++)
			if (!free_tail_page_prepare(page, page + i))
				bad++;
		__ClearPageHead(page);
	}
	return !bad;
}

/* ---- the validator ---- */


static unsigned long count_allocated(const struct zone *zone)
{
	unsigned long pfn, end = zone_end_pfn(zone), pages = 0;

	for (pfn = zone->zone_start_pfn; pfn < end; pfn++) {
		unsigned int rec = page_alloc_order_rec(pfn_to_page(pfn));

		if (rec)
			pages += 1UL << (rec - 1);
	}
	return pages;
}

static int check_zone(struct zone *zone, struct ukmem_page_census *census)
{
	unsigned long free_pages = 0, pcp_pages = 0, allocated;
	unsigned int order, cpu;
	int mt, errors = 0;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		spin_lock_owned(&zone->per_cpu_pageset[cpu].lock);
	/* The per-CPU page stacks hold pcp pages too (mm/page_alloc_hot.c). */
	pcp_pages = pcp_hot_take_zone(zone);
	spin_lock(&zone->lock);

	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long blocks = 0;

		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;

			list_for_each_entry(page, &zone->free_area[order].free_list[mt], lru) {
				unsigned long pfn = page_to_pfn(page);
				unsigned long buddy_pfn = pfn ^ (1UL << order);

				blocks++;
				if (!PageBuddy(page) || page_private(page) != order) {
					pr_err("check: zone %s pfn %#lx on order-%u list: buddy=%d order=%lu\n",
					       zone->name, pfn, order, PageBuddy(page), page_private(page));
					errors++;
				}
				if (pfn & ((1UL << order) - 1) || !zone_spans_pfn(zone, pfn)) {
					pr_err("check: zone %s pfn %#lx misplaced for order %u\n",
					       zone->name, pfn, order);
					errors++;
				}
				if (page_alloc_order_rec(page)) {
					pr_err("check: zone %s pfn %#lx is free and allocated\n",
					       zone->name, pfn);
					errors++;
				}
				if (order < MAX_PAGE_ORDER && buddy_pfn < ukmem_ram_pfns &&
				    zone_spans_pfn(zone, buddy_pfn)) {
					struct page *buddy = pfn_to_page(buddy_pfn);

					if (PageBuddy(buddy) && page_private(buddy) == order &&
					    get_pageblock_migratetype(buddy) != MIGRATE_ISOLATE) {
						pr_err("check: zone %s pfn %#lx and buddy %#lx both free at order %u\n",
						       zone->name, pfn, buddy_pfn, order);
						errors++;
					}
				}
			}
		}
		if (order == MAX_PAGE_ORDER)
			blocks += zone->nr_deferred;
		if (blocks != zone->free_area[order].nr_free) {
			pr_err("check: zone %s order %u: nr_free %lu, %lu blocks listed\n",
			       zone->name, order, zone->free_area[order].nr_free, blocks);
			errors++;
		}
		free_pages += blocks << order;
	}
	if (free_pages != zone_page_state(zone, NR_FREE_PAGES)) {
		pr_err("check: zone %s: NR_FREE_PAGES %lu, free lists hold %lu\n",
		       zone->name, zone_page_state(zone, NR_FREE_PAGES), free_pages);
		errors++;
	}
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		unsigned long listed = 0;
		unsigned int i;

		for (i = 0; i < NR_PCP_LISTS; i++) {
			unsigned int pindex_order = i == NR_LOWORDER_PCP_LISTS ? pageblock_order
									       : i / MIGRATE_PCPTYPES;

			listed += list_count_nodes(&pcp->lists[i]) << pindex_order;
		}
		if (listed != (unsigned long)pcp->count) {
			pr_err("check: zone %s cpu %u: pcp count %d, %lu pages listed\n",
			       zone->name, cpu, pcp->count, listed);
			errors++;
		}
		pcp_pages += listed;
	}
	allocated = count_allocated(zone);
	if (free_pages + pcp_pages + allocated != zone_managed_pages(zone)) {
		pr_err("check: zone %s: free %lu + pcp %lu + allocated %lu != managed %lu\n",
		       zone->name, free_pages, pcp_pages, allocated, zone_managed_pages(zone));
		errors++;
	}
	spin_unlock(&zone->lock);
	pcp_hot_release_zone(zone);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		arch_spin_unlock(&zone->per_cpu_pageset[cpu].lock);

	if (census) {
		census->free += free_pages;
		census->pcp += pcp_pages;
		census->allocated += allocated;
		census->managed += zone_managed_pages(zone);
	}
	return errors;
}

int ukmem_check_page_allocator(struct ukmem_page_census *census)
{
	struct zone *zone;
	int errors = 0;

	if (census)
		*census = (struct ukmem_page_census){ 0 };
	if (system_state != SYSTEM_RUNNING)
		return 0;
	for_each_populated_zone(zone)
		errors += check_zone(zone, census);
	return errors;
}
