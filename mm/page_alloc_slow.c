/* SPDX-License-Identifier: MIT */
/*
 * mm/page_alloc_slow.c - the page allocator's slow path (mm/page_alloc.c
 * __alloc_pages_slowpath, should_reclaim_retry, __alloc_pages_direct_reclaim),
 * and the full watermark check it and reclaim use (__zone_watermark_ok),
 * and a request for a node that is not online (alloc_offline_node).
 *
 * Entered when the fast path found no zone above its low watermark: the
 * node's kswapd is woken (mm/vmscan.c), then the min watermark and the
 * reserves the gfp allows; then, for requests that may sleep, reclaim
 * (try_reclaim: direct reclaim - shrinkers and the slab caches - then the
 * pcp lists and the high-atomic reserves, then a short wait for other
 * threads' frees) and the kernel's retry rules; then the OOM killer's
 * report (mm/oom_kill.c), and NULL with the allocation failure report.
 * Every request that cannot be satisfied ends, except __GFP_NOFAIL, which
 * waits for frees for ever.
 *
 * The task's scoped constraints (memalloc_nofs_save() and friends,
 * linux/sched/mm.h) are applied here, at the entry, where the kernel
 * applies them before its fast path: only reclaim looks at __GFP_FS and
 * __GFP_IO.  A task in reclaim (PF_MEMALLOC) may use every reserve and
 * never reclaims again.
 *
 * Nothing here holds a lock across a wait; the zone and pcp locks are taken
 * inside the helpers of mm/page_alloc.c.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include "arch/host.h"
#include "mm/internal.h"

/*
 * The watermark check in full (mm/page_alloc.c's __zone_watermark_ok):
 * the reserves a gfp may use, and above order 0 a free block of the order
 * or larger in a list the request may take from.  The fast path's order-0
 * test is zone_watermark_fast() in mm/page_alloc.c.
 */
static inline long __zone_watermark_unusable_free(struct zone *z, unsigned int order,
						  unsigned int alloc_flags)
{
	long unusable_free = (1L << order) - 1;

	if (likely(!(alloc_flags & ALLOC_RESERVES)))
		unusable_free += (long)READ_ONCE(z->nr_reserved_highatomic);
	return unusable_free;
}

bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;
	unsigned int o;

	free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);
	if (unlikely(alloc_flags & ALLOC_RESERVES)) {
		/* __GFP_HIGH may use half the reserve, GFP_ATOMIC 62.5% of it. */
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (o = order; o < NR_PAGE_ORDERS; o++) {
		int mt;

		if (!READ_ONCE(z->free_area[o].nr_free))
			continue;
		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!free_area_empty(z, o, mt))
				return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    !free_area_empty(z, o, MIGRATE_HIGHATOMIC))
			return true;
	}
	return false;
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state(z, NR_FREE_PAGES));
}

/* How long a sleeping allocation waits for a free before retrying. */
#define FREE_WAIT_NS		(20 * 1000 * 1000L)	/* HZ/50, the old congestion_wait */
#define MAX_RECLAIM_RETRIES	16

static unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH is ALLOC_MIN_RESERVE and __GFP_KSWAPD_RECLAIM ALLOC_KSWAPD. */
	alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp & __GFP_NOMEMALLOC)) {
			alloc_flags |= ALLOC_NON_BLOCK;
			if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
				alloc_flags |= ALLOC_HIGHATOMIC;
		}
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	}
	return alloc_flags;
}

static inline unsigned int gfp_pfmemalloc_flags(gfp_t gfp)
{
	if (unlikely(gfp & __GFP_NOMEMALLOC))
		return 0;
	if (gfp & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	/* Reclaim's own allocations (not a signal handler that interrupted it). */
	if (!in_interrupt() && (current->flags & PF_MEMALLOC))
		return ALLOC_NO_WATERMARKS;
	return 0;
}

bool gfp_pfmemalloc_allowed(gfp_t gfp_mask)
{
	return !!gfp_pfmemalloc_flags(gfp_mask);
}

static u32 free_seq_snapshot(void)
{
	return __atomic_load_n(&ukmem_free_wait_seq, __ATOMIC_ACQUIRE);
}

/* Sleep until some memory is freed (or the timeout passes). */
static void wait_for_free_pages(u32 seq)
{
	atomic_inc(&ukmem_free_waiters);
	if (free_seq_snapshot() == seq)
		arch_wait(&ukmem_free_wait_seq, seq, FREE_WAIT_NS);
	atomic_dec(&ukmem_free_waiters);
	atomic_long_inc(&page_stats.retries);
}

static unsigned long zonelist_free_pages(const struct alloc_context *ac)
{
	unsigned long free = 0;
	struct zoneref *z;

	for (z = ac->preferred_zoneref; z->zone; z++)
		if (zoneref_allowed(z, ac->highest_zoneidx, ac->nodemask))
			free += zone_page_state(z->zone, NR_FREE_PAGES);
	return free;
}

/*
 * Direct reclaim (__alloc_pages_direct_reclaim): shrinkers and the slab
 * caches (try_to_free_pages, mm/vmscan.c); then, the first time or when
 * that got nothing, the high-atomic reserves and the pcp lists; then, for
 * a request that would otherwise retry or end in the OOM report, a wait of
 * up to FREE_WAIT_NS for memory other threads free - unless an OOM
 * episode is open, when that has been tried already.  Returns whether
 * memory came back (did_some_progress): pages this thread got back, or
 * more free pages than before (kswapd, or another reclaimer whose slab
 * reap this one waited for, freed them).
 */
static bool try_reclaim(gfp_t gfp, unsigned int order, const struct alloc_context *ac,
			bool first, bool may_wait, u32 seq)
{
	unsigned long before = zonelist_free_pages(ac);
	bool progress;

	progress = try_to_free_pages(gfp, order, ac->preferred_zoneref->zone->node,
				     ac->highest_zoneidx, ac->nodemask) != 0;
	if (first || !progress) {
		unreserve_highatomic_pageblock(ac, false);
		drain_all_pages(NULL);
	}
	progress |= zonelist_free_pages(ac) > before;
	if (may_wait && !progress && !oom_episode_open()) {
		wait_for_free_pages(seq);
		progress = free_seq_snapshot() != seq;
	}
	return progress;
}

/*
 * The kernel's should_reclaim_retry(): retry while reclaim makes progress
 * (for orders up to PAGE_ALLOC_COSTLY_ORDER) and at most
 * MAX_RECLAIM_RETRIES times without, and only while some zone could meet
 * its min watermark for @order with its free and reclaimable pages.  The
 * kernel's reclaimable pages are those on its LRU lists; a process has
 * none, and what reclaim can give back here is slab memory of
 * SLAB_RECLAIM_ACCOUNT caches (what shrinkers free), which is kept per
 * node: each zone of the node counts all of it (zone_reclaimable_pages).
 * Before giving up, the high-atomic reserves go back to general use.
 */
static unsigned long zone_reclaimable_pages(const struct zone *zone)
{
	return node_page_state_pages(zone->zone_pgdat, NR_SLAB_RECLAIMABLE_B);
}

static bool should_reclaim_retry(gfp_t gfp, unsigned int order, const struct alloc_context *ac,
				 unsigned int alloc_flags, bool progress, int *no_progress_loops)
{
	struct zoneref *z;

	if (progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops <= MAX_RECLAIM_RETRIES) {
		for (z = ac->preferred_zoneref; z->zone; z++) {
			struct zone *zone = z->zone;
			long available = (long)(zone_page_state(zone, NR_FREE_PAGES) +
						zone_reclaimable_pages(zone));

			if (!zoneref_allowed(z, ac->highest_zoneidx, ac->nodemask))
				continue;
			if (__zone_watermark_ok(zone, order, min_wmark_pages(zone),
						(int)ac->highest_zoneidx, alloc_flags, available))
				return true;
		}
	}
	return unreserve_highatomic_pageblock(ac, true);
}

/*
 * The kernel's __alloc_pages_slowpath, with the steps it has here:
 * the min watermark (and the reserves the gfp allows), reclaim, the retry
 * rules, the OOM report, then __GFP_NOFAIL's endless wait or NULL with the
 * allocation failure report.  Only __GFP_NOFAIL waits for ever.
 */
noinline struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order,
					    struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	/* Requests that retry or end in the OOM report give other threads a moment. */
	bool may_wait = !(gfp & __GFP_NORETRY) && (!costly_order || (gfp & __GFP_RETRY_MAYFAIL));
	unsigned int alloc_flags, reserve_flags;
	int no_progress_loops = 0, oom_retries = 0;
	bool reclaimed = false, progress;
	struct page *page;
	u32 seq;

	gfp = current_gfp_context(gfp);
	can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	/*
	 * __GFP_NOFAIL misuse is reported on the way in, once per kind and
	 * whatever __GFP_NOWARN says, as 7.x does: no direct reclaim (a
	 * request that cannot wait for memory), or a task in reclaim
	 * (PF_MEMALLOC: it cannot reclaim, only wait for others).  v6.12's
	 * third, any order above 1, is gone in 7.x.
	 */
	if (unlikely(gfp & __GFP_NOFAIL)) {
		WARN_ON_ONCE(!can_direct_reclaim);
		WARN_ON_ONCE(current->flags & PF_MEMALLOC);
	}
	alloc_flags = gfp_to_alloc_flags(gfp, order);
retry:
	seq = free_seq_snapshot();
	/*
	 * No zone in the request's mask (an empty one, or one of nodes not
	 * online): nothing to wake, reclaim or wait for (the kernel's check
	 * after first_zones_zonelist() at its restart).
	 */
	if (unlikely(!ac->preferred_zoneref->zone))
		goto nopage;
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	page = get_page_from_freelist_slow(gfp, order, alloc_flags, ac);
	if (page)
		goto got_pg;
	reserve_flags = gfp_pfmemalloc_flags(gfp);
	/*
	 * Requests that may ignore memory policies drop the mask once a try
	 * inside it failed, as the kernel resets its nodemask and zonelist
	 * iterator: GFP_ATOMIC-style ones (no ALLOC_CPUSET) and those that may
	 * take every reserve.  From then on they walk the whole zonelist.
	 */
	if (unlikely(ac->nodemask) && (!(alloc_flags & ALLOC_CPUSET) || reserve_flags)) {
		ac->nodemask = NULL;
		ac->preferred_zoneref = ac->zonelist;
		if (!reserve_flags) {
			page = get_page_from_freelist_slow(gfp, order, alloc_flags, ac);
			if (page)
				goto got_pg;
		}
	}
	if (reserve_flags) {
		page = get_page_from_freelist_slow(gfp, order, reserve_flags, ac);
		if (page)
			return page;
	}
	if (!can_direct_reclaim)
		goto nopage;
	/* Reclaim allocating for itself: the reserves were its last resort. */
	if (current->flags & PF_MEMALLOC)
		goto nopage;

	progress = try_reclaim(gfp, order, ac, !reclaimed, may_wait, seq);
	reclaimed = true;
	page = get_page_from_freelist_slow(gfp, order, alloc_flags, ac);
	if (page)
		goto got_pg;
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (costly_order && !(gfp & __GFP_RETRY_MAYFAIL))
		goto nopage;
	if (should_reclaim_retry(gfp, order, ac, alloc_flags, progress, &no_progress_loops))
		goto retry;
	/*
	 * Nothing to kill: the report (once an episode), no progress.  An OOM
	 * notifier that freed something earns a retry, MAX_RECLAIM_RETRIES
	 * times at most: nothing but __GFP_NOFAIL loops for ever.
	 */
	if (out_of_memory(gfp, order, ac->preferred_zoneref, ac->highest_zoneidx, ac->nodemask) &&
	    ++oom_retries <= MAX_RECLAIM_RETRIES) {
		no_progress_loops = 0;
		goto retry;
	}
	/*
	 * __GFP_NOFAIL where the kernel runs the OOM killer: it then lets the
	 * request take from every reserve (__alloc_pages_may_oom()'s
	 * ALLOC_NO_WATERMARKS fallback), warning once when the OOM killer
	 * found nothing to kill (WARN_ON_ONCE_GFP), which is always so here;
	 * a request without __GFP_FS gets the reserves without the warning
	 * (the kernel's out_of_memory() answers true for it).  Only when they
	 * are gone too does it wait for frees, below.
	 */
	if ((gfp & __GFP_NOFAIL) && oom_may_help(gfp, order, ac->highest_zoneidx)) {
		WARN_ON_ONCE((gfp & __GFP_FS) && !(gfp & __GFP_NOWARN));
		page = get_page_from_freelist_slow(gfp, order, ALLOC_NO_WATERMARKS, ac);
		if (page)
			return page;
	}
nopage:
	if (gfp & __GFP_NOFAIL) {
		/* A non-sleeping NOFAIL request (warned about above) fails. */
		if (!can_direct_reclaim)
			goto fail;
		page = get_page_from_freelist_slow(gfp, order, ALLOC_MIN_RESERVE | ALLOC_WMARK_MIN, ac);
		if (page)
			return page;
		wait_for_free_pages(seq);
		no_progress_loops = 0;
		goto retry;
	}
fail:
	atomic_long_inc(&page_stats.alloc_fail);
	if (!(gfp & __GFP_NOWARN))
		warn_alloc(gfp, ac->nodemask, "page allocation failure: order:%u", order);
	return NULL;
got_pg:
	/* Above the min watermark again: an OOM episode is over. */
	if (unlikely(oom_episode_open()) && !(alloc_flags & ALLOC_RESERVES))
		oom_episode_end();
	return page;
}

/*
 * The node an allocation asked for is not online (numa=fake made fewer,
 * or none has that number): with __GFP_THISNODE nothing is found, as the
 * kernel's no-fallback zonelist of such a node is empty, and the failure
 * is reported as any other (with __GFP_NOWARN, warn_if_node_offline()'s
 * line instead); anything else falls back to node 0.
 */
int alloc_offline_node(int nid, gfp_t gfp, unsigned int order)
{
	if (!(gfp & __GFP_THISNODE))
		return 0;
	if (gfp & __GFP_NOWARN) {
		pr_warn("%pGg allocation from offline node %d\n", &gfp, nid);
		dump_stack();
	} else {
		warn_alloc(gfp, NULL, "page allocation failure: order:%u", order);
	}
	return -1;
}
