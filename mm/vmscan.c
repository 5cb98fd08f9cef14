/* SPDX-License-Identifier: MIT */
/*
 * mm/vmscan.c - getting memory back: direct reclaim, kswapd, drop_caches
 * (the kernel's mm/vmscan.c, and the slab reaping of 2.4's kmem_cache_reap).
 *
 * 1. What reclaim frees.  A process has no page cache and no swap, so the
 *    kernel's LRU lists have nothing to hold.  What memory can be had back
 *    is (a) objects that shrinkers free - the program's caches, registered
 *    with shrinker_alloc() - and (b) free objects the slab allocator keeps
 *    in per-CPU stacks and barns, and empty slabs on partial lists
 *    (kmem_cache_reap(), mm/slub_shrink.c).  (b) is also what makes (a)
 *    count: an object a shrinker frees lands in the freeing CPU's stack,
 *    and only when its slab empties and is reaped does a page come back.
 *    Pages are counted as the kernel counts slab pages freed in reclaim
 *    (current->reclaim_state, filled by the slab allocator).  Per-CPU page
 *    lists are drained by the page allocator's slow path when reclaim has
 *    run and the allocation still fails (mm/page_alloc_slow.c).
 *
 * 2. Direct reclaim, try_to_free_pages(): called by the page allocator's
 *    slow path for a request that may sleep.  It runs under PF_MEMALLOC
 *    (its own allocations take the reserves and never recurse into
 *    reclaim), from priority DEF_PRIORITY (12) down to 0, each level
 *    calling the shrinkers of every node (preferred node first) and then
 *    reaping the slab caches if the shrinkers freed anything (or once
 *    anyway), until SWAP_CLUSTER_MAX (32) pages are back.  It returns the
 *    pages it got back: the slow path's did_some_progress.
 *
 * 3. kswapd, one thread per node.  An allocation that finds every zone it
 *    may use below the low watermark wakes the node's kswapd from the slow
 *    path (nothing on the fast path: the fast path's only test is the low
 *    watermark it already had); kswapd then reclaims at rising priority
 *    until some eligible zone is above its high watermark plus its boost
 *    (watermark_boost, raised when the page allocator steals a pageblock
 *    across migratetypes, and given back after the run), and sleeps - first
 *    for HZ/10, counting kswapd_low_wmark_hit_quickly if woken before, then
 *    until woken, counting kswapd_high_wmark_hit_quickly if the node was
 *    below high again before it could.  A node where 16 runs in a row got
 *    nothing back is left to direct reclaim until reclaim makes progress.
 *    Started on the first wake from a context that may start a thread (not
 *    a signal handler), or at boot with kswapd=boot; kswapd=off keeps it
 *    away (kernel/params.c).  The kernel starts kswapd at boot; a library
 *    that did would make every program multi-threaded, which changes
 *    fork(), unshare() and signal delivery for programs that never run
 *    short.  Stopped at exit, after the run in hand.  In a fork child the
 *    thread is gone; the next wake starts another.
 *
 * 4. drop_caches (vm.drop_caches=2 or 3): every shrinker at priority 0
 *    until they free little, then every slab cache reaped and the per-CPU
 *    page lists drained.  The kernel's drop_slab() only calls the
 *    shrinkers: SLUB gives empty slabs back by itself, where here the
 *    per-CPU stacks keep objects until reaped.
 *
 * Lock order: shrinker_lock (a leaf) and the per-node kswapd words;
 * reclaim holds no lock of its own while it calls shrinkers or reaps, and
 * takes slab_mutex only with trylock (a thread creating a cache allocates
 * with it held).  Threads: kswapd and whoever allocates.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/vmstat.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "mm/internal.h"

#define SWAP_CLUSTER_MAX	32UL
#define MAX_RECLAIM_RETRIES	16
/* kswapd's short sleep before the full one (kswapd_try_to_sleep). */
#define KSWAPD_SHORT_SLEEP_NS	(100 * 1000 * 1000L)	/* HZ/10 */

/* kswapd's per-node words are read and written without a lock: relaxed atomics. */
#define kswapd_read(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define kswapd_write(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

struct scan_control {
	unsigned long nr_to_reclaim;	/* pages wanted */
	unsigned long nr_reclaimed;	/* pages got back (reclaim_state) */
	unsigned long nr_scanned;	/* partial slab pages looked at and kept */
	unsigned long freed_objects;	/* by shrinkers, not yet reaped */
	gfp_t gfp_mask;
	int order;
	int priority;
	bool reaped;			/* the slab caches were reaped at least once */
};

/* ---- the work: shrinkers, then the slab caches ---- */

/*
 * Two reclaimers do not reap at once: the second finds slab_mutex taken
 * and goes on without (kmem_cache_reap), its freed objects left for the
 * next reap.  Serialising them was tried: direct reclaimers then queued
 * behind kswapd's reaps and kswapd ran a fifth as often (the demo).
 */
static void reap(struct scan_control *sc, struct reclaim_state *rs)
{
	sc->nr_scanned += kmem_cache_reap();
	sc->nr_reclaimed = rs->reclaimed;
	sc->freed_objects = 0;
	sc->reaped = true;
}

/*
 * One level: the shrinkers of @nid (all nodes for NUMA_NO_NODE, @first
 * before the others), then the slab caches when the shrinkers freed
 * something or they have not been reaped yet.
 */
static void shrink_nodes(struct scan_control *sc, struct reclaim_state *rs, int first,
			 const nodemask_t *nodemask)
{
	int nid;

	sc->freed_objects += shrink_slab(sc->gfp_mask, first, NULL, sc->priority);
	for_each_online_node(nid)
		if (nid != first && (!nodemask || node_isset(nid, *nodemask)))
			sc->freed_objects += shrink_slab(sc->gfp_mask, nid, NULL, sc->priority);
	if (sc->freed_objects || !sc->reaped)
		reap(sc, rs);
}

/* Reclaim's context: PF_MEMALLOC and the page count; returns what to restore. */
static unsigned int reclaim_enter(struct reclaim_state *rs, struct reclaim_state **saved)
{
	rs->reclaimed = 0;
	*saved = current->reclaim_state;
	current->reclaim_state = rs;
	return memalloc_noreclaim_save();
}

static void reclaim_exit(unsigned int noreclaim, struct reclaim_state *saved)
{
	memalloc_noreclaim_restore(noreclaim);
	current->reclaim_state = saved;
}

/* Reclaim made progress somewhere: kswapd may try the node again. */
static void reclaim_progress(void)
{
	int nid;

	for_each_online_node(nid)
		if (kswapd_read(NODE_DATA(nid)->kswapd_failures))
			kswapd_write(NODE_DATA(nid)->kswapd_failures, 0);
}

/**
 * try_to_free_pages - direct reclaim for an allocation of @order with @gfp
 * whose preferred node is @nid and highest zone @highest_zoneidx; of the
 * other nodes, only those in @nodemask (when not NULL) are shrunk, as the
 * kernel's shrink_zones() walks the zonelist with the request's mask.
 * Returns the pages got back.  May sleep (and call shrinkers, which may).
 */
unsigned long try_to_free_pages(gfp_t gfp, unsigned int order, int nid,
				enum zone_type highest_zoneidx, const nodemask_t *nodemask)
{
	struct reclaim_state rs, *saved;
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp,
		.order = (int)order,
	};
	unsigned int noreclaim;

	__count_zid_vm_events(ALLOCSTALL, highest_zoneidx, 1);
	noreclaim = reclaim_enter(&rs, &saved);
	for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
		shrink_nodes(&sc, &rs, nid, nodemask);
		if (sc.nr_reclaimed >= sc.nr_to_reclaim)
			break;
	}
	reclaim_exit(noreclaim, saved);
	/* Looked at: the slab pages kept, and every page taken. */
	count_vm_events(PGSCAN_DIRECT, (long)(sc.nr_scanned + sc.nr_reclaimed));
	count_vm_events(PGSTEAL_DIRECT, (long)sc.nr_reclaimed);
	if (sc.nr_reclaimed)
		reclaim_progress();
	return sc.nr_reclaimed;
}

/* ---- kswapd ---- */

static inline int kswapd_state(pg_data_t *pgdat)
{
	return __atomic_load_n(&pgdat->kswapd_state, __ATOMIC_ACQUIRE);
}

/* Some eligible zone meets its high watermark (boost included) for @order. */
static bool pgdat_balanced(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	bool any = false;
	int i;

	for (i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!managed_zone(zone))
			continue;
		any = true;
		if (zone_watermark_ok(zone, (unsigned int)order, high_wmark_pages(zone),
				      highest_zoneidx, 0))
			return true;
	}
	return !any;	/* nothing to balance */
}

static bool pgdat_watermark_boosted(pg_data_t *pgdat, int highest_zoneidx)
{
	int i;

	for (i = highest_zoneidx; i >= 0; i--)
		if (kswapd_read(pgdat->node_zones[i].watermark_boost))
			return true;
	return false;
}

static int kswapd_highest_zoneidx(pg_data_t *pgdat, int prev)
{
	int curr = kswapd_read(pgdat->kswapd_highest_zoneidx);

	return curr == MAX_NR_ZONES ? prev : curr;
}

/*
 * Reclaim until the node is balanced (balance_pgdat).  Returns the order
 * it reclaimed for: lower than asked when it gave up on high orders.
 */
static int balance_pgdat(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	unsigned long zone_boosts[MAX_NR_ZONES] = { 0 }, nr_boost_reclaim = 0;
	struct reclaim_state rs, *saved;
	struct scan_control sc = { .gfp_mask = GFP_KERNEL, .order = order };
	unsigned int noreclaim;
	bool boosted, first = true;
	int i;

	count_vm_event(PAGEOUTRUN);
	for (i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!managed_zone(zone))
			continue;
		zone_boosts[i] = kswapd_read(zone->watermark_boost);
		nr_boost_reclaim += zone_boosts[i];
	}
	boosted = nr_boost_reclaim;
	noreclaim = reclaim_enter(&rs, &saved);
	for (sc.priority = DEF_PRIORITY; sc.priority >= 1; ) {
		unsigned long before = sc.nr_reclaimed, target = 0;

		if (pgdat_balanced(pgdat, sc.order, highest_zoneidx) && !nr_boost_reclaim)
			break;
		if (first) {
			kswapd_write(pgdat->kswapd_reclaim_ns, arch_clock_ns());
			first = false;
		}
		for (i = 0; i <= highest_zoneidx; i++) {
			struct zone *zone = &pgdat->node_zones[i];

			if (managed_zone(zone))
				target += max(high_wmark_pages(zone), SWAP_CLUSTER_MAX);
		}
		sc.nr_to_reclaim = target;
		shrink_nodes(&sc, &rs, pgdat->node_id, NULL);
		if (nr_boost_reclaim) {
			nr_boost_reclaim -= min(nr_boost_reclaim, sc.nr_reclaimed - before);
			/* A boost is a hint: stop when reclaim gives nothing for it. */
			if (sc.nr_reclaimed == before)
				nr_boost_reclaim = 0;
		}
		/* Not enough at this level: look harder. */
		if (sc.nr_reclaimed - before < target)
			sc.priority--;
	}
	reclaim_exit(noreclaim, saved);
	if (!sc.nr_reclaimed)
		__atomic_fetch_add(&pgdat->kswapd_failures, 1, __ATOMIC_RELAXED);
	else
		reclaim_progress();
	/* The boost is spent: give the watermarks back their usual height. */
	if (boosted) {
		for (i = 0; i <= highest_zoneidx; i++) {
			struct zone *zone = &pgdat->node_zones[i];

			if (!zone_boosts[i])
				continue;
			spin_lock(&zone->lock);
			kswapd_write(zone->watermark_boost,
				     zone->watermark_boost - min(zone->watermark_boost, zone_boosts[i]));
			spin_unlock(&zone->lock);
		}
	}
	count_vm_events(PGSCAN_KSWAPD, (long)(sc.nr_scanned + sc.nr_reclaimed));
	count_vm_events(PGSTEAL_KSWAPD, (long)sc.nr_reclaimed);
	return sc.order;
}

static bool kswapd_should_stop(pg_data_t *pgdat)
{
	return __atomic_load_n(&pgdat->kswapd_state, __ATOMIC_ACQUIRE) != KSWAPD_RUNNING;
}

/* Is there work?  Balanced nodes sleep; a hopeless one waits for a wake too. */
static bool prepare_kswapd_sleep(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	if (kswapd_read(pgdat->kswapd_failures) >= MAX_RECLAIM_RETRIES)
		return true;
	return pgdat_balanced(pgdat, order, highest_zoneidx);
}

static void kswapd_try_to_sleep(pg_data_t *pgdat, int reclaim_order, int highest_zoneidx)
{
	bool woken = false;
	u32 seq;

	if (kswapd_should_stop(pgdat))
		return;
	/* Announce the sleep before the last look: a waker sees one or the other. */
	seq = __atomic_load_n(&pgdat->kswapd_wait, __ATOMIC_ACQUIRE);
	__atomic_store_n(&pgdat->kswapd_sleeping, 1, __ATOMIC_SEQ_CST);
	if (prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
		arch_wait(&pgdat->kswapd_wait, seq, KSWAPD_SHORT_SLEEP_NS);
		woken = __atomic_load_n(&pgdat->kswapd_wait, __ATOMIC_ACQUIRE) != seq;
		if (woken) {
			/* Woken early: keep the request that woke it. */
			kswapd_write(pgdat->kswapd_highest_zoneidx,
				   kswapd_highest_zoneidx(pgdat, highest_zoneidx));
			if (kswapd_read(pgdat->kswapd_order) < reclaim_order)
				kswapd_write(pgdat->kswapd_order, reclaim_order);
		}
	}
	if (!woken && prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
		seq = __atomic_load_n(&pgdat->kswapd_wait, __ATOMIC_ACQUIRE);
		if (!kswapd_should_stop(pgdat) &&
		    prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx))
			arch_wait(&pgdat->kswapd_wait, seq, -1);
	} else if (woken) {
		count_vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY);
	} else {
		count_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
	}
	__atomic_store_n(&pgdat->kswapd_sleeping, 0, __ATOMIC_SEQ_CST);
}

static void *kswapd(void *arg)
{
	pg_data_t *pgdat = arg;
	int alloc_order, reclaim_order, highest_zoneidx = MAX_NR_ZONES - 1;

	current->flags |= PF_MEMALLOC | PF_KSWAPD | PF_KTHREAD;
	/*
	 * The kernel's kswapd is asleep from boot, and a wake always ends in a
	 * balance_pgdat run, even if the node looks balanced by then (a boost
	 * is reclaimed for, and the run is counted).  Here the thread is
	 * started by its first wake, which left its request (order, zone):
	 * that start is the wake, so it runs before it first sleeps.  Started
	 * at boot (kswapd=boot), no request is pending and it sleeps first.
	 */
	if (kswapd_read(pgdat->kswapd_highest_zoneidx) != MAX_NR_ZONES)
		goto kswapd_woken;
	for (;;) {
		alloc_order = reclaim_order = kswapd_read(pgdat->kswapd_order);
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
kswapd_try_sleep:
		kswapd_try_to_sleep(pgdat, reclaim_order, highest_zoneidx);
kswapd_woken:
		alloc_order = kswapd_read(pgdat->kswapd_order);
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
		kswapd_write(pgdat->kswapd_order, 0);
		kswapd_write(pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES);
		if (kswapd_should_stop(pgdat))
			break;
		reclaim_order = balance_pgdat(pgdat, alloc_order, highest_zoneidx);
		if (reclaim_order < alloc_order)
			goto kswapd_try_sleep;
	}
	__atomic_store_n(&pgdat->kswapd_sleeping, -1, __ATOMIC_RELEASE);	/* gone */
	arch_wake_all((u32 *)&pgdat->kswapd_sleeping);
	return NULL;
}

static void kswapd_stop_all(void);

/**
 * kswapd_run - start node @nid's kswapd if it is not running.  0, or
 * -errno when the host refused a thread (then the next wake tries again).
 * Not from a signal handler.
 */
int kswapd_run(int nid)
{
	static bool atexit_done;
	pg_data_t *pgdat = NODE_DATA(nid);
	int state = KSWAPD_NONE, err;
	char name[16];

	if (!__atomic_compare_exchange_n(&pgdat->kswapd_state, &state, KSWAPD_STARTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
	    (state != KSWAPD_FAILED ||
	     !__atomic_compare_exchange_n(&pgdat->kswapd_state, &state, KSWAPD_STARTING, false,
					  __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)))
		return 0;
	snprintf(name, sizeof(name), "kswapd%d", nid);
	kswapd_write(pgdat->kswapd_wake_ns, arch_clock_ns());	/* its first wake */
	__atomic_store_n(&pgdat->kswapd_sleeping, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pgdat->kswapd_state, KSWAPD_RUNNING, __ATOMIC_RELEASE);
	pgdat->kswapd_pid = arch_getpid();
	err = arch_thread_create((arch_thread_t *)&pgdat->kswapd, kswapd, pgdat, name);
	if (err) {
		__atomic_store_n(&pgdat->kswapd_state, KSWAPD_FAILED, __ATOMIC_RELEASE);
		pr_err("Failed to start kswapd on node %d, ret=%d\n", nid, err);
		return err;
	}
	if (!__atomic_exchange_n(&atexit_done, true, __ATOMIC_ACQ_REL))
		arch_atexit(kswapd_stop_all);
	return 0;
}

/**
 * kswapd_stop - stop node @nid's kswapd after the run in hand.  Waits up
 * to a second for it (a shrinker may be waiting for a lock the caller
 * holds); after that the thread is left to end on its own.
 */
void kswapd_stop(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	int state = KSWAPD_RUNNING, i;

	if (!__atomic_compare_exchange_n(&pgdat->kswapd_state, &state, KSWAPD_NONE, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	if (pgdat->kswapd_pid != arch_getpid())
		return;		/* a fork child the fork hooks did not reach: no thread here */
	__atomic_add_fetch(&pgdat->kswapd_wait, 1, __ATOMIC_RELEASE);
	arch_wake_all(&pgdat->kswapd_wait);
	for (i = 0; i < 10; i++) {
		int s = __atomic_load_n(&pgdat->kswapd_sleeping, __ATOMIC_ACQUIRE);

		if (s == -1)
			break;
		arch_wait((u32 *)&pgdat->kswapd_sleeping, (u32)s, 100 * 1000 * 1000L);
	}
	if (__atomic_load_n(&pgdat->kswapd_sleeping, __ATOMIC_ACQUIRE) == -1) {
		arch_thread_join((arch_thread_t)pgdat->kswapd);
		__atomic_store_n(&pgdat->kswapd_sleeping, 0, __ATOMIC_RELAXED);
	} else {
		pr_warn("kswapd%d: still busy, left to end with the process\n", nid);
	}
}

static void kswapd_stop_all(void)
{
	int nid;

	for_each_online_node(nid)
		kswapd_stop(nid);
}

/**
 * wakeup_kswapd - an allocation of @order found @zone below its low
 * watermark: wake its node's kswapd (starting it if it never ran).  Never
 * sleeps; any context (a signal handler only wakes a running kswapd).
 */
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx)
{
	pg_data_t *pgdat;
	int curr;

	if (!managed_zone(zone))
		return;
	pgdat = zone->zone_pgdat;
	curr = kswapd_read(pgdat->kswapd_highest_zoneidx);
	if (curr == MAX_NR_ZONES || curr < (int)highest_zoneidx)
		kswapd_write(pgdat->kswapd_highest_zoneidx, (int)highest_zoneidx);
	if (kswapd_read(pgdat->kswapd_order) < order)
		kswapd_write(pgdat->kswapd_order, order);
	if (unlikely(kswapd_state(pgdat) != KSWAPD_RUNNING)) {
		if (boot_config.kswapd_mode == KSWAPD_MODE_OFF || in_hardirq() ||
		    kswapd_state(pgdat) == KSWAPD_STARTING)
			return;
		if (kswapd_state(pgdat) == KSWAPD_FAILED &&
		    !(gfp_flags & __GFP_DIRECT_RECLAIM))
			return;		/* a later request that may sleep retries */
		kswapd_run(pgdat->node_id);
		return;			/* it looks at the node before it sleeps */
	}
	if (__atomic_load_n(&pgdat->kswapd_sleeping, __ATOMIC_SEQ_CST) <= 0)
		return;			/* awake: it sees the request */
	/* A hopeless node is left to direct reclaim; a balanced one needs nothing. */
	if (kswapd_read(pgdat->kswapd_failures) >= MAX_RECLAIM_RETRIES ||
	    (pgdat_balanced(pgdat, order, (int)highest_zoneidx) &&
	     !pgdat_watermark_boosted(pgdat, (int)highest_zoneidx)))
		return;
	kswapd_write(pgdat->kswapd_wake_ns, arch_clock_ns());
	__atomic_add_fetch(&pgdat->kswapd_wait, 1, __ATOMIC_RELEASE);
	arch_wake_all(&pgdat->kswapd_wait);
}

/* The slow path's wake: each node of the request's zonelist once. */
void wake_all_kswapds(unsigned int order, gfp_t gfp_mask, const struct alloc_context *ac)
{
	pg_data_t *last = NULL;
	struct zoneref *z;

	for (z = ac->preferred_zoneref; z->zone; z++) {
		if (!zoneref_allowed(z, ac->highest_zoneidx, ac->nodemask) ||
		    z->zone->zone_pgdat == last)
			continue;
		last = z->zone->zone_pgdat;
		wakeup_kswapd(z->zone, gfp_mask, (int)order, ac->highest_zoneidx);
	}
}

/* ---- drop_caches ---- */

/* drop_slab(): every shrinker until the caches are (nearly) empty, then reap. */
void drop_slab(void)
{
	struct reclaim_state rs, *saved;
	unsigned int noreclaim;
	int nid;

	for_each_online_node(nid) {
		unsigned long freed;
		int shift = 0;

		do {
			freed = shrink_slab(GFP_KERNEL, nid, NULL, 0);
		} while ((freed >> shift++) > 1);
	}
	noreclaim = reclaim_enter(&rs, &saved);
	kmem_cache_reap();
	reclaim_exit(noreclaim, saved);
	drain_all_pages(NULL);
}

/* vm.drop_caches: 1 page cache (there is none), 2 slab, 3 both; 4 silences the line. */
int drop_caches_sysctl(int value)
{
	static int stfu;
	char comm[16];

	if (value < 1 || value > 4)
		return -EINVAL;
	if (value & 1)
		count_vm_event(DROP_PAGECACHE);
	if (value & 2) {
		drop_slab();
		count_vm_event(DROP_SLAB);
	}
	if (!stfu) {
		arch_comm(comm);
		pr_info("%s (%d): drop_caches: %d\n", comm, arch_getpid(), value);
	}
	stfu |= value & 4;
	return 0;
}

/* ---- boot and fork ---- */

extern spinlock_t shrinker_lock;

/* The child has no kswapd (the next wake starts one), and no reclaim runs. */
static void vmscan_fork_child(void)
{
	int nid;

	shrinker_fork_child();

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		pgdat->kswapd_state = KSWAPD_NONE;
		pgdat->kswapd_sleeping = 0;
		/* The parent's pending request was for its own kswapd. */
		pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
		pgdat->kswapd_order = 0;
	}
}

/* shrinker_lock (a leaf) is held across fork, so the list is whole in the child. */
static const struct fork_step vmscan_fork_step = {
	.name = "vmscan",
	.order = FORK_ORDER_RECLAIM,
	.spinlock = &shrinker_lock,
	.child = vmscan_fork_child,
};

void vmscan_init(void)
{
	int nid;

	for_each_online_node(nid)
		NODE_DATA(nid)->kswapd_highest_zoneidx = MAX_NR_ZONES;
	fork_register_step(&vmscan_fork_step);
	oom_fork_init();
}

/* After the boot: kswapd=boot starts the threads now, as the kernel does. */
void vmscan_boot_done(void)
{
	int nid;

	if (boot_config.kswapd_mode != KSWAPD_MODE_BOOT || in_hardirq())
		return;
	for_each_online_node(nid)
		kswapd_run(nid);
}
