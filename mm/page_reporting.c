/* SPDX-License-Identifier: MIT */
/*
 * mm/page_reporting.c - handing free memory back to the host
 * (mm/page_reporting.c, the kernel's free page reporting to a hypervisor).
 *
 * When a free block of MAX_PAGE_ORDER (4 MiB) forms and the zone already
 * holds page_reporting.keep such blocks with memory behind them, the new one
 * is "reported": its memory goes back to the host (RSS and commit charge
 * fall) and it moves to the tail of its free list with PG_reported, so that
 * allocations prefer blocks that still have memory.  Taking a reported block
 * off a list asks the host for the memory again; under strict overcommit
 * that can fail, and the allocation fails cleanly.
 *
 * The kernel reports from a worker two seconds after the fact; ukmem does it
 * at once, under zone->lock, and relies on the keep count for hysteresis.
 */
#include <linux/mm.h>
#include "arch/host.h"
#include "mm/internal.h"

void page_reporting_notify_free(struct zone *zone, struct page *page)
{
	unsigned long committed_free;
	int mt;

	if (PageReported(page))
		return;
	committed_free = zone->free_area[MAX_PAGE_ORDER].nr_free - zone->nr_deferred -
			 zone->nr_reported;
	if (committed_free <= boot_config.page_reporting_keep)
		return;
	if (PageHighMem(page))
		return;		/* no permanent mapping to hand back */
	arch_decommit(page_address(page), PAGE_SIZE << MAX_PAGE_ORDER);
	vmalloc_linear_decommit(page_to_pfn(page), MAX_ORDER_NR_PAGES);	/* vmalloc'd once */
	__SetPageReported(page);
	zone->nr_reported++;
	mt = get_pageblock_migratetype(page);
	list_move_tail(&page->lru, &zone->free_area[MAX_PAGE_ORDER].free_list[mt]);
}

bool page_reporting_reclaim(struct zone *zone, struct page *page)
{
	if (arch_commit(page_address(page), PAGE_SIZE << MAX_PAGE_ORDER))
		return false;
	__ClearPageReported(page);
	zone->nr_reported--;
	return true;
}
