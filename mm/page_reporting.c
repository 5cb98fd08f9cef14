/* SPDX-License-Identifier: MIT */
/*
 * mm/page_reporting.c - handing free memory back to the host
 * (mm/page_reporting.c, the kernel's free page reporting to a hypervisor).
 *
 * Free blocks of page_reporting_order or more (the kernel's
 * page_reporting.page_reporting_order; pageblock_order there,
 * MAX_PAGE_ORDER (4 MiB) here unless the command line says otherwise) are
 * "reported" once the zone holds more than page_reporting.keep max-order
 * blocks' worth of free memory that the host still backs: their memory
 * goes back to the host (RSS and commit charge fall) and they move to the
 * tail of their free lists with PG_reported, so that allocations prefer
 * memory that is still there.  Taking a reported block off a list asks the
 * host for the memory again; under strict overcommit that can fail, and
 * the allocation fails cleanly.
 *
 * When: a max-order block at once, under zone->lock, with the keep count as
 * hysteresis (there are few of them, and a program that frees 4 MiB wants
 * it back soon or not at all).  Smaller blocks as the kernel reports
 * everything: a pass over the free lists page_reporting.delay_ms (2 s, the
 * kernel's PAGE_REPORTING_DELAY) after a block was freed, so blocks that are
 * freed and taken again in between cost nothing.  ukmem has no worker: the
 * pass runs on the first free of such a block once the delay is over.
 *
 * A reported block that merges with a freed buddy makes the merged block
 * half gone: it is reported whole, whatever the keep count says, so a
 * listed block is either all backed or all handed back.
 *
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

static bool over_keep(struct zone *zone)
{
	return zone_backed_free_pages(zone) > boot_config.page_reporting_keep * MAX_ORDER_NR_PAGES;
}

static void report_block(struct zone *zone, struct page *page, unsigned int order)
{
	int mt = get_pageblock_migratetype(page);

	arch_decommit(page_address(page), PAGE_SIZE << order);
	vmalloc_linear_decommit(page_to_pfn(page), 1UL << order);	/* vmalloc'd once */
	__SetPageReported(page);
	zone->nr_reported++;
	zone->nr_reported_pages += 1UL << order;
	list_move_tail(&page->lru, &zone->free_area[order].free_list[mt]);
}

/*
 * The delayed pass: unreported blocks below max order, largest first, while
 * the zone is over its keep.  Unreported blocks are at the list heads
 * (report_block() moves a block to the tail), so each list is walked from
 * its head to the first reported block.
 */
static void reporting_pass(struct zone *zone)
{
	int order, mt;

	for (order = MAX_PAGE_ORDER - 1; order >= (int)boot_config.page_reporting_order; order--)
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *list = &zone->free_area[order].free_list[mt];

			while (!list_empty(list)) {
				struct page *page = list_first_entry(list, struct page, lru);

				if (PageReported(page) || !over_keep(zone))
					break;
				report_block(zone, page, (unsigned int)order);
			}
		}
}

void page_reporting_notify_free(struct zone *zone, struct page *page, unsigned int order,
				bool merged_reported)
{
	unsigned long now;

	if (PageReported(page) || PageHighMem(page))
		return;		/* highmem: no permanent mapping to hand back */
	if (merged_reported) {
		report_block(zone, page, order);
		return;
	}
	if (order >= MAX_PAGE_ORDER) {
		if (over_keep(zone))
			report_block(zone, page, order);
		return;
	}
	now = arch_jiffies();
	if (!zone->reporting_due) {
		zone->reporting_due = (now + boot_config.page_reporting_delay_ms * HZ / 1000) | 1;
		return;
	}
	if ((long)(now - zone->reporting_due) < 0)
		return;
	zone->reporting_due = 0;
	reporting_pass(zone);
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
