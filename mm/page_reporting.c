/* SPDX-License-Identifier: MIT */
/*
 * mm/page_reporting.c - handing free memory back to the host
 * (mm/page_reporting.c, the kernel's free page reporting to a hypervisor).
 *
 * When a free block of page_reporting_order or more forms (the kernel's
 * page_reporting.page_reporting_order; pageblock_order there, MAX_PAGE_ORDER
 * (4 MiB) here unless the command line says otherwise) and the zone holds
 * more than page_reporting.keep max-order blocks' worth of free memory that
 * the host still backs, the block is "reported": its memory goes back to
 * the host (RSS and commit charge fall) and it moves to the tail of its
 * free list with PG_reported, so that allocations prefer memory that is
 * still there.  Taking a reported block off a list asks the host for the
 * memory again; under strict overcommit that can fail, and the allocation
 * fails cleanly.
 *
 * A reported block that merges with a freed buddy makes the merged block
 * half gone: it is reported whole, whatever the keep count says, so a
 * listed block is either all backed or all handed back.
 *
 * The kernel reports from a worker two seconds after the fact; ukmem does it
 * at once, under zone->lock, and relies on the keep count for hysteresis.
 * "Backed" is counted as free pages that are neither reported nor in the
 * deferred pool of never-touched max-order blocks; it includes committed
 * pages that were never written, so it errs towards keeping memory.
 */
#include <linux/mm.h>
#include "arch/host.h"
#include "mm/internal.h"

static unsigned long zone_backed_free_pages(struct zone *zone)
{
	long free = atomic_long_read(&zone->vm_stat[NR_FREE_PAGES]);
	long backed = free - (long)(zone->nr_deferred << MAX_PAGE_ORDER) -
		      (long)zone->nr_reported_pages;

	return backed > 0 ? (unsigned long)backed : 0;
}

void page_reporting_merged(struct zone *zone, struct page *buddy, unsigned int order)
{
	__ClearPageReported(buddy);
	zone->nr_reported--;
	zone->nr_reported_pages -= 1UL << order;
}

void page_reporting_notify_free(struct zone *zone, struct page *page, unsigned int order,
				bool merged_reported)
{
	int mt;

	if (PageReported(page))
		return;
	if (!merged_reported &&
	    zone_backed_free_pages(zone) <= boot_config.page_reporting_keep * MAX_ORDER_NR_PAGES)
		return;
	if (PageHighMem(page))
		return;		/* no permanent mapping to hand back */
	arch_decommit(page_address(page), PAGE_SIZE << order);
	vmalloc_linear_decommit(page_to_pfn(page), 1UL << order);	/* vmalloc'd once */
	__SetPageReported(page);
	zone->nr_reported++;
	zone->nr_reported_pages += 1UL << order;
	mt = get_pageblock_migratetype(page);
	list_move_tail(&page->lru, &zone->free_area[order].free_list[mt]);
}

bool page_reporting_reclaim(struct zone *zone, struct page *page)
{
	unsigned int order = (unsigned int)page_private(page);	/* buddy_order() */

	if (arch_commit(page_address(page), PAGE_SIZE << order))
		return false;
	__ClearPageReported(page);
	zone->nr_reported--;
	zone->nr_reported_pages -= 1UL << order;
	return true;
}
