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
 * When: a max-order block as soon as it forms, with the keep count as
 * hysteresis (there are few of them, and a program that frees 4 MiB wants
 * it back soon or not at all).  Smaller blocks as the kernel reports
 * everything: a pass over the free lists page_reporting.delay_ms (2 s, the
 * kernel's PAGE_REPORTING_DELAY) after a block was freed, so blocks that are
 * freed and taken again in between cost nothing.  ukmem has no worker: the
 * pass is due on the first free of such a block once the delay is over.
 *
 * The system calls are made outside zone->lock, as the kernel's
 * page_reporting_cycle() reports outside it: the free that finds work sets
 * zone->reporting_work, and whoever releases the lock next takes up to
 * REPORTING_BATCH blocks off the free lists (isolated: no one can allocate
 * or merge them), releases the lock, hands their memory back, and puts
 * them back on their lists' tails marked reported, merging with whatever
 * buddies were freed meanwhile.
 *
 * How: where the host keeps no strict account of commit charge, the pages
 * are discarded (MADV_DONTNEED) and the range stays mapped, so taking a
 * reported block back is free, and a reported block that merges with a
 * freed buddy simply stops being reported, as in the kernel, and waits for
 * the next pass.  Under strict overcommit (vm.overcommit_memory=2) the
 * range is unmapped, which is what gives the charge back; taking it again
 * maps it, and a merged block is reported whole, whatever the keep count
 * says, so a listed block is either all mapped or all handed back.
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

/*
 * The keep adapts to reuse.  A fixed keep trades a fixed amount of RSS
 * for system calls: a program whose heap swings by more than the keep
 * (asyncio's 1 MiB buffers) had every swing handed back and faulted in
 * again, 1400 madvise calls where glibc made 26.  So the keep grows by
 * what a program takes back of what was reported (page_reporting_reclaim),
 * to at most page_reporting.adapt_max blocks, and shrinks by one block
 * for every page_reporting.adapt_ms (10 s) that passes without a re-take,
 * looked at when a max-order block forms or a pass begins: a heap that
 * swings keeps its swing, one that shrank for good gives the boost back,
 * as mimalloc's purge delay and the kernel's delayed reporting let reuse
 * decide.  A single burst freed never grows it: nothing was re-taken.
 */
static unsigned long zone_keep_pages(const struct zone *zone)
{
	return boot_config.page_reporting_keep * MAX_ORDER_NR_PAGES + zone->reporting_boost;
}

static bool over_keep(struct zone *zone)
{
	return zone_backed_free_pages(zone) > zone_keep_pages(zone);
}

/*
 * 10 s: asyncio's SSL tests go quiet for a few seconds between bursts;
 * with the 2 s of the reporting delay the boost lapsed in between and 4x
 * as many blocks were handed back (145 madvise calls at 10 s, 639 at 2 s).
 */
static unsigned long reporting_adapt_jiffies(void)
{
	return max(boot_config.page_reporting_adapt_ms * HZ / 1000, 1UL);
}

/* The boost shrinks with the time since the last re-take (zone->lock held). */
static void reporting_adapt_decay(struct zone *zone)
{
	unsigned long now, periods;

	if (!zone->reporting_boost)
		return;
	now = arch_jiffies();
	periods = (now - zone->reporting_stamp) / reporting_adapt_jiffies();
	if (!periods)
		return;
	zone->reporting_boost -= min(zone->reporting_boost, periods * MAX_ORDER_NR_PAGES);
	zone->reporting_stamp = now;
}

/* A reported block of 2^@order pages is allocated again (zone->lock held). */
static void reporting_retake_adapt(struct zone *zone, unsigned int order)
{
	unsigned long max = boot_config.page_reporting_adapt_max * MAX_ORDER_NR_PAGES;

	zone->nr_retaken++;
	zone->reporting_boost = min(zone->reporting_boost + (1UL << order), max);
	zone->reporting_stamp = arch_jiffies();
}

/*
 * How a reported block's memory goes back.  Under strict overcommit its
 * range is unmapped (PROT_NONE), which is what uncharges it, and taking
 * the block again maps it back.  Elsewhere the pages are discarded and the
 * range stays mapped: taking a reported block back costs nothing, and a
 * block that merges with a reported buddy is simply usable memory, as in
 * the kernel (where PG_reported is only a hint for the next pass).
 */
static bool reporting_unmaps(void)
{
	if (boot_config.page_reporting_unmap >= 0)
		return boot_config.page_reporting_unmap;
	return arch_strict_overcommit();
}

#define REPORTING_MAX	1U	/* a max-order block formed while the zone is over its keep */
#define REPORTING_PASS	2U	/* the delayed pass over every reportable order is due */
#define REPORTING_BATCH	32U	/* blocks per round (the kernel's PAGE_REPORTING_CAPACITY) */

/* The block's memory goes back; it is isolated, so no lock is needed. */
static void discard_block(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), nr = 1UL << order;
	/* A page vmapped once is mapped from the physical memory file here. */
	bool shared = vmalloc_linear_shared(pfn, nr), replaced;

	if (reporting_unmaps())
		replaced = arch_decommit(page_address(page), PAGE_SIZE << order);
	else
		replaced = arch_discard(page_address(page), PAGE_SIZE << order, shared);
	/*
	 * Only a linear range that no longer maps the file forgets it: if the
	 * host refused (its map limit), the pages stay file-backed, which
	 * fork() must keep copying for the child.
	 */
	if (shared && replaced)
		vmalloc_linear_decommit(pfn, nr);
	/*
	 * A fresh mapping has no guard marks: a free block is unmapped again
	 * (debug_pagealloc).  The read-write of a re-take (arch_commit, an
	 * mprotect) keeps them.
	 */
	if (replaced)
		debug_pagealloc_unmap_pages(page, 1 << order);
}

/*
 * Under zone->lock, for the one case that cannot wait: under strict
 * overcommit a block that merged with a reported (unmapped) buddy is
 * reported whole at once.
 */
static void report_block(struct zone *zone, struct page *page, unsigned int order)
{
	int mt = get_pageblock_migratetype(page);

	discard_block(page, order);
	page_reporting_mark(zone, page, order);
	zone->nr_reports++;
	list_move_tail(&page->lru, &zone->free_area[order].free_list[mt]);
}

/*
 * Up to REPORTING_BATCH unreported blocks off the free lists, largest
 * first, while the zone is over its keep (isolating a block takes it out
 * of the free count, so the keep is met as they go).  Unreported blocks
 * are at the list heads (reported ones go back to the tails), so each list
 * is looked at from its head to the first reported block.  zone->lock held.
 */
static unsigned int isolate_for_reporting(struct zone *zone, unsigned int work,
					  struct page **pages, unsigned int *orders)
{
	int lowest = (work & REPORTING_PASS) ? (int)boot_config.page_reporting_order :
					       MAX_PAGE_ORDER;
	unsigned int n = 0;
	int order, mt;

	for (order = MAX_PAGE_ORDER; order >= lowest; order--)
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *list = &zone->free_area[order].free_list[mt];

			if (mt == MIGRATE_ISOLATE)
				continue;	/* being taken offline: leave it be */
			while (!list_empty(list)) {
				struct page *page = list_first_entry(list, struct page, lru);

				if (PageReported(page) || !over_keep(zone))
					break;
				if (n == REPORTING_BATCH)
					return n;
				__isolate_free_block(zone, page, (unsigned int)order);
				pages[n] = page;
				orders[n++] = (unsigned int)order;
			}
		}
	return n;
}

void page_reporting_run(struct zone *zone)
{
	struct page *pages[REPORTING_BATCH];
	unsigned int orders[REPORTING_BATCH];
	unsigned int work, n, i, rounds;

	/*
	 * Not from a signal handler: it may have interrupted this thread's own
	 * zone->lock section, and the work keeps until the next unlock.
	 */
	if (in_hardirq())
		return;
	for (rounds = 0; rounds < 64; rounds++) {
		__zone_lock(zone);
		/* Written under zone->lock, peeked at by zone_unlock() without it. */
		work = zone->reporting_work;
		WRITE_ONCE(zone->reporting_work, 0);
		if (work && !rounds)
			reporting_adapt_decay(zone);
		n = work ? isolate_for_reporting(zone, work, pages, orders) : 0;
		zone->nr_reports += n;
		if (n == REPORTING_BATCH)
			WRITE_ONCE(zone->reporting_work, work);	/* there may be more */
		__zone_unlock_plain(zone);
		if (!n)
			return;
		for (i = 0; i < n; i++)
			discard_block(pages[i], orders[i]);
		__zone_lock(zone);
		for (i = 0; i < n; i++)
			__putback_reported_block(zone, pages[i], orders[i]);
		__zone_unlock_plain(zone);
		wake_free_waiters();	/* they may have missed these while isolated */
	}
}

void page_reporting_mark(struct zone *zone, struct page *page, unsigned int order)
{
	__SetPageReported(page);
	zone->nr_reported++;
	zone->nr_reported_pages += 1UL << order;
}

void page_reporting_notify_free(struct zone *zone, struct page *page, unsigned int order,
				bool merged_reported)
{
	unsigned long now;

	if (PageReported(page) || PageHighMem(page))
		return;		/* highmem: no permanent mapping to hand back */
	/* Unmapped, the reported part forces the merged block's hand. */
	if (merged_reported && reporting_unmaps()) {
		report_block(zone, page, order);
		return;
	}
	if (order >= MAX_PAGE_ORDER) {
		reporting_adapt_decay(zone);
		if (over_keep(zone))
			WRITE_ONCE(zone->reporting_work, zone->reporting_work | REPORTING_MAX);
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
	WRITE_ONCE(zone->reporting_work, zone->reporting_work | REPORTING_PASS);
}

bool page_reporting_reclaim(struct zone *zone, struct page *page)
{
	unsigned int order = (unsigned int)page_private(page);	/* buddy_order() */

	if (reporting_unmaps() && arch_commit(page_address(page), PAGE_SIZE << order))
		return false;
	__ClearPageReported(page);
	zone->nr_reported--;
	zone->nr_reported_pages -= 1UL << order;
	reporting_retake_adapt(zone, order);
	return true;
}
