/* SPDX-License-Identifier: MIT */
/*
 * Memory pressure (mm/shrinker.c, mm/list_lru.c, mm/vmscan.c,
 * mm/page_alloc_slow.c, mm/oom_kill.c, kernel/sysctl.c, /proc/vmstat):
 *
 *  - shrink_slab() asks each shrinker for exactly what the kernel's
 *    do_shrink_slab() computes (priority, seeks, batch, deferred work),
 *    and an allocation under pressure gets its first scan at the priority
 *    and with the nr_to_scan that computation gives;
 *  - SHRINK_STOP ends a shrinker's turn and defers the work;
 *  - kswapd stays asleep above the low watermark, wakes when an
 *    allocation crosses it, reclaims until the high watermark, and sleeps;
 *    it is never started with kswapd=off, survives fork (a new one in the
 *    child) and is stopped at exit;
 *  - GFP_ATOMIC and memalloc_noreclaim_save() never reclaim (the latter
 *    uses the reserves), memalloc_nofs_save() strips __GFP_FS from what
 *    shrinkers see;
 *  - out of memory: one OOM report, then NULL without another; an OOM
 *    notifier that frees memory saves the allocation; vm.panic_on_oom
 *    panics; __GFP_NOFAIL waits and is satisfied after another thread's
 *    free;
 *  - vm.drop_caches=2 empties shrinker caches and slab reclaimable memory;
 *    the watermark sysctls move the watermarks at run time;
 *  - /proc/vmstat has the kernel's "name value" lines and its reclaim
 *    counters move; meminfo's SReclaimable/KReclaimable/MemAvailable
 *    follow SLAB_RECLAIM_ACCOUNT caches;
 *  - list_lru keeps per-node lists and walks them with every lru_status;
 *  - shrinkers can be registered and freed while reclaim runs them.
 *
 * Each case boots its own machine in a child (ktest_child); waits for an
 * event report no progress, so the hang detector names a case whose event
 * never comes.
 */
#include "slab_test.h"
#include <errno.h>
#include <pthread.h>
#include <regex.h>
#include <sys/syscall.h>

#include <linux/gfp.h>
#include <linux/list_lru.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/vmstat.h>
#include <ukmem/sysctl.h>
#include "mm/internal.h"

static void boot(const char *cmdline)
{
	ukmem_set_console(stderr);
	if (ukmem_boot(cmdline))
		_exit(3);
}

static int gettid_(void)
{
	return (int)syscall(SYS_gettid);
}

static long vm_event(enum vm_event_item item)
{
	return atomic_long_read(&ukmem_vm_events[item]);
}

/* ---- a cache of objects with a shrinker (the shape of the kernel's) ---- */

#define TOBJ_SIZE	2048

struct tobj {
	struct list_head lru;
	char payload[TOBJ_SIZE - sizeof(struct list_head)];
};

struct tcache {
	struct kmem_cache *cache;
	struct list_lru lru;
	struct shrinker *shrinker;
	int stop;			/* scan answers SHRINK_STOP */
	int stop_without_fs;		/* ... when __GFP_FS is not allowed */
	long counts, scans, freed;
	long other_thread_scans;	/* scans not from the test's thread */
	int main_tid;
	gfp_t last_gfp;
	unsigned long first_nr_to_scan;
	long counts_before_first_scan;
};

static struct tcache tc;

static enum lru_status tobj_isolate(struct list_head *item, struct list_lru_one *list,
				    spinlock_t *lock, void *arg)
{
	list_lru_isolate_move(list, item, arg);
	return LRU_REMOVED;
}

static unsigned long tc_count(struct shrinker *s, struct shrink_control *sc)
{
	__atomic_fetch_add(&tc.counts, 1, __ATOMIC_RELAXED);
	return list_lru_shrink_count(&tc.lru, sc);
}

static unsigned long tc_scan(struct shrinker *s, struct shrink_control *sc)
{
	LIST_HEAD(dispose);
	unsigned long n;
	struct tobj *o, *t;

	if (!__atomic_fetch_add(&tc.scans, 1, __ATOMIC_RELAXED)) {
		__atomic_store_n(&tc.first_nr_to_scan, sc->nr_to_scan, __ATOMIC_RELAXED);
		__atomic_store_n(&tc.counts_before_first_scan,
				 __atomic_load_n(&tc.counts, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
	}
	if (gettid_() != tc.main_tid)
		__atomic_fetch_add(&tc.other_thread_scans, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&tc.last_gfp, sc->gfp_mask, __ATOMIC_RELAXED);
	if (tc.stop || (tc.stop_without_fs && !(sc->gfp_mask & __GFP_FS)))
		return SHRINK_STOP;
	n = list_lru_shrink_walk(&tc.lru, sc, tobj_isolate, &dispose);
	list_for_each_entry_safe(o, t, &dispose, lru)
		kmem_cache_free(tc.cache, o);
	__atomic_fetch_add(&tc.freed, (long)n, __ATOMIC_RELAXED);
	return n;
}

static void tc_init(bool reclaimable)
{
	memset(&tc, 0, sizeof(tc));
	tc.main_tid = gettid_();
	tc.cache = kmem_cache_create("tobj", sizeof(struct tobj), 0,
				     reclaimable ? SLAB_RECLAIM_ACCOUNT : 0, NULL);
	CHECK(tc.cache != NULL);
	CHECK_EQ(list_lru_init(&tc.lru), 0);
	tc.shrinker = shrinker_alloc(0, "tobj");
	CHECK(tc.shrinker != NULL);
	tc.shrinker->count_objects = tc_count;
	tc.shrinker->scan_objects = tc_scan;
	tc.shrinker->seeks = DEFAULT_SEEKS;
	shrinker_register(tc.shrinker);
}

/* One object for the cache, or false (@gfp decides how hard to try). */
static bool tc_add(gfp_t gfp)
{
	struct tobj *o = kmem_cache_alloc(tc.cache, gfp);

	if (!o)
		return false;
	INIT_LIST_HEAD(&o->lru);
	list_lru_add_obj(&tc.lru, &o->lru);
	return true;
}

/* Neither kswapd nor reclaim nor reserves: stops at the min watermark. */
#define FILL_GFP	(__GFP_IO | __GFP_FS | __GFP_NOWARN | __GFP_NOMEMALLOC)

static unsigned long tc_fill(void)
{
	unsigned long n = 0;

	while (tc_add(FILL_GFP))
		n++;
	return n;
}

/* ---- pages held by a test ---- */

#define MAX_HELD	65536
static struct page *held[MAX_HELD];
static int nr_held;

static int hold(gfp_t gfp, int max)
{
	int n = 0;
	struct page *p;

	while (n < max && nr_held < MAX_HELD && (p = alloc_page(gfp))) {
		held[nr_held++] = p;
		n++;
	}
	return n;
}

static void release(int n)
{
	while (n-- > 0 && nr_held)
		__free_page(held[--nr_held]);
}

/* ---- do_shrink_slab's arithmetic ---- */

struct fake {
	struct shrinker *s;
	unsigned long freeable;
	unsigned long calls, to_scan[4096];
	unsigned long ret;		/* what scan returns; 0: nr_to_scan */
	bool stop;
};
static struct fake fk;

static unsigned long fake_count(struct shrinker *s, struct shrink_control *sc)
{
	return fk.freeable;
}

static unsigned long fake_scan(struct shrinker *s, struct shrink_control *sc)
{
	if (fk.calls < ARRAY_SIZE(fk.to_scan))
		fk.to_scan[fk.calls] = sc->nr_to_scan;
	fk.calls++;
	if (fk.stop)
		return SHRINK_STOP;
	return fk.ret ? fk.ret : sc->nr_to_scan;
}

/* The kernel's computation, as a model: the calls it makes and the work it defers. */
static unsigned long model(unsigned long freeable, long *deferred, int priority, int seeks,
			   long batch, unsigned long *to_scan, unsigned long max)
{
	long nr = *deferred, total, scanned = 0, next;
	unsigned long long delta;
	unsigned long calls = 0;

	if (seeks)
		delta = (unsigned long long)(freeable >> priority) * 4 / (unsigned)seeks;
	else
		delta = freeable / 2;
	total = (nr >> priority) + (long)delta;
	if (total > (long)(2 * freeable))
		total = (long)(2 * freeable);
	while (total >= batch || total >= (long)freeable) {
		long n = total < batch ? total : batch;

		if (calls < max)
			to_scan[calls] = (unsigned long)n;
		calls++;
		total -= n;
		scanned += n;
	}
	next = nr + (long)delta - scanned;
	if (next < 0)
		next = 0;
	if (next > (long)(2 * freeable))
		next = (long)(2 * freeable);
	*deferred = next;
	return calls;
}

static void scan_targets_child(void *arg)
{
	static unsigned long want[4096];
	static const struct { unsigned long freeable; int seeks; long batch; } cfg[] = {
		{ 100000, DEFAULT_SEEKS, 0 }, { 100000, 0, 0 }, { 10, DEFAULT_SEEKS, 0 },
		{ 5000, 1, 50 }, { 3, DEFAULT_SEEKS, 0 }, { 1 << 20, 4, 1000 },
	};
	size_t c;
	int p;

	boot("mem=64M kswapd=off");
	for (c = 0; c < ARRAY_SIZE(cfg); c++) {
		long deferred = 0;
		long batch = cfg[c].batch ? cfg[c].batch : 128;

		memset(&fk, 0, sizeof(fk));
		fk.freeable = cfg[c].freeable;
		fk.s = shrinker_alloc(0, "fake-%zu", c);
		fk.s->count_objects = fake_count;
		fk.s->scan_objects = fake_scan;
		fk.s->seeks = cfg[c].seeks;
		fk.s->batch = cfg[c].batch;
		shrinker_register(fk.s);
		/* Every priority from gentle to everything, twice: deferred work carries over. */
		for (p = 12; p >= 0; p--) {
			int round;

			for (round = 0; round < 2; round++) {
				unsigned long calls, i;

				fk.calls = 0;
				calls = model(fk.freeable, &deferred, p, cfg[c].seeks, batch, want,
					      ARRAY_SIZE(want));
				shrink_slab(GFP_KERNEL, 0, NULL, p);
				CHECK_EQ(fk.calls, calls);
				for (i = 0; i < calls && i < ARRAY_SIZE(want); i++)
					if (fk.to_scan[i] != want[i]) {
						CHECK_EQ(fk.to_scan[i], want[i]);
						break;
					}
				CHECK_EQ(atomic_long_read(&fk.s->nr_deferred[0]), deferred);
			}
		}
		shrinker_free(fk.s);
		ktest_progress();
	}
	/* SHRINK_EMPTY and 0: no scan at all. */
	memset(&fk, 0, sizeof(fk));
	fk.s = shrinker_alloc(0, "empty");
	fk.s->count_objects = fake_count;
	fk.s->scan_objects = fake_scan;
	shrinker_register(fk.s);
	fk.freeable = SHRINK_EMPTY;
	CHECK_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 0), 0);
	fk.freeable = 0;
	CHECK_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 0), 0);
	CHECK_EQ(fk.calls, 0);
	shrinker_free(fk.s);
}

static void test_scan_targets(void)
{
	CHECK(ktest_exited_with(ktest_child(scan_targets_child, NULL), 0));
}

/* SHRINK_STOP ends the shrinker's turn at once and keeps the work for later. */
static void shrink_stop_child(void *arg)
{
	boot("mem=64M kswapd=off");
	memset(&fk, 0, sizeof(fk));
	fk.freeable = 1000;
	fk.stop = true;
	fk.s = shrinker_alloc(0, "stopper");
	fk.s->count_objects = fake_count;
	fk.s->scan_objects = fake_scan;
	fk.s->seeks = DEFAULT_SEEKS;
	shrinker_register(fk.s);
	CHECK_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 0), 0);
	CHECK_EQ(fk.calls, 1);
	/* delta = 1000 * 4 / 2, nothing scanned: all of it deferred, at most 2 * freeable. */
	CHECK_EQ(atomic_long_read(&fk.s->nr_deferred[0]), 2000);
	CHECK_EQ(shrink_slab(GFP_KERNEL, 0, NULL, 0), 0);
	CHECK_EQ(fk.calls, 2);
	CHECK_EQ(fk.to_scan[1], 128);
	CHECK_EQ(atomic_long_read(&fk.s->nr_deferred[0]), 2000);
	/* Now it scans: the deferred work is done at once (priority 0). */
	fk.stop = false;
	fk.calls = 0;
	shrink_slab(GFP_KERNEL, 0, NULL, 0);
	CHECK_EQ(fk.calls, 2000 / 128);
	shrinker_free(fk.s);
}

static void test_shrink_stop(void)
{
	CHECK(ktest_exited_with(ktest_child(shrink_stop_child, NULL), 0));
}

/*
 * Under pressure: the cache fills memory to the min watermark, then a
 * GFP_KERNEL allocation reclaims: the shrinker is called from this thread,
 * with the allocation's gfp, first scanning at the priority the model
 * says, with the model's nr_to_scan, and the allocation succeeds.
 */
static void pressure_child(void *arg)
{
	unsigned long n, freeable, want[4];
	long deferred = 0, counts = 0;
	int p;
	struct page *page;

	boot("mem=128M kswapd=off");
	tc_init(true);
	n = tc_fill();
	CHECK(n > 20000);
	CHECK_EQ(tc.scans, 0);
	freeable = list_lru_count(&tc.lru);
	CHECK_EQ(freeable, n);
	ukmem_dmesg_clear();
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	CHECK(tc.scans > 0);
	CHECK_EQ(tc.other_thread_scans, 0);
	CHECK_EQ(tc.last_gfp, GFP_KERNEL);
	/* The first scan comes at the first priority whose target reaches a batch. */
	for (p = 12; p >= 0; p--) {
		counts++;
		if (model(freeable, &deferred, p, DEFAULT_SEEKS, 128, want, ARRAY_SIZE(want)))
			break;
	}
	CHECK_EQ(tc.counts_before_first_scan, counts);
	CHECK_EQ(tc.first_nr_to_scan, want[0]);
	CHECK(vm_event(ALLOCSTALL_NORMAL) > 0);
	CHECK(vm_event(PGSTEAL_DIRECT) > 0);
	CHECK(vm_event(SLABS_SCANNED) >= (long)tc.first_nr_to_scan);
	CHECK(strstr(log_text(), "invoked oom-killer") == NULL);
	__free_page(page);
}

static void test_shrinker_called_under_pressure(void)
{
	CHECK(ktest_exited_with(ktest_child(pressure_child, NULL), 0));
}

/*
 * Far below min (GFP_ATOMIC took the reserves too): one reclaim round
 * gives back less than the way up to min, but the shrinker's slab is
 * reclaimable, so should_reclaim_retry() keeps going instead of calling
 * the OOM killer after the first round.
 */
static void deep_child(void *arg)
{
	struct page *page;

	boot("mem=64M kswapd=off");
	tc_init(true);
	tc_fill();
	hold(GFP_ATOMIC | __GFP_NOWARN, MAX_HELD);
	ukmem_dmesg_clear();
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	CHECK(strstr(log_text(), "invoked oom-killer") == NULL);
	CHECK(tc.scans > 1);
	if (page)
		__free_page(page);
}

static void test_reclaim_far_below_min(void)
{
	CHECK(ktest_exited_with(ktest_child(deep_child, NULL), 0));
}

/* ---- contexts that must not reclaim ---- */

static void no_reclaim_child(void *arg)
{
	unsigned int flags;
	struct page *page;
	long scans;

	boot("mem=64M kswapd=off");
	tc_init(false);
	tc_fill();
	CHECK_EQ(tc.scans + tc.counts, 0);
	/* GFP_ATOMIC goes into the reserves and fails: no reclaim on the way. */
	CHECK(hold(GFP_ATOMIC | __GFP_NOWARN, 1 << 20) > 0);
	CHECK(alloc_page(GFP_ATOMIC | __GFP_NOWARN) == NULL);
	CHECK_EQ(tc.scans + tc.counts, 0);
	release(nr_held);
	/* Reclaim's own context: the reserves, and no recursion into reclaim. */
	flags = memalloc_noreclaim_save();
	CHECK(current->flags & PF_MEMALLOC);
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	CHECK_EQ(tc.scans + tc.counts, 0);
	memalloc_noreclaim_restore(flags);
	CHECK(!(current->flags & PF_MEMALLOC));
	if (page)
		__free_page(page);
	/* NOFS: the shrinker sees no __GFP_FS and says it cannot help. */
	tc.stop_without_fs = 1;
	flags = memalloc_nofs_save();
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_NOFS);
	page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	memalloc_nofs_restore(flags);
	CHECK(tc.scans > 0);
	CHECK(!(tc.last_gfp & __GFP_FS));
	CHECK_EQ(tc.freed, 0);
	if (page)
		__free_page(page);
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_KERNEL);
	flags = memalloc_noio_save();
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_NOIO);
	memalloc_noio_restore(flags);
	/* An ordinary GFP_KERNEL allocation, down at min again, reclaims. */
	tc.stop_without_fs = 0;
	tc_fill();
	scans = tc.scans;
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	CHECK(tc.scans > scans && tc.freed > 0);
	if (page)
		__free_page(page);
}

static void test_no_reclaim_atomic_noreclaim(void)
{
	CHECK(ktest_exited_with(ktest_child(no_reclaim_child, NULL), 0));
}

/* ---- kswapd ---- */

/*
 * Some zone meets watermark @wmark (plus @margin pages) for a GFP_KERNEL
 * page: what the fast path asks of the low watermark.
 */
static bool some_above_by(int wmark, unsigned long margin)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		if (zone_watermark_ok(zone, 0, wmark_pages(zone, wmark) + margin, ZONE_NORMAL, 0))
			return true;
	return false;
}

static bool some_above(int wmark)
{
	return some_above_by(wmark, 0);
}

/* kswapd done: asleep (its full sleep) with the node balanced. */
static void wait_kswapd_asleep(pg_data_t *pgdat, long runs)
{
	while (vm_event(PAGEOUTRUN) < runs ||
	       __atomic_load_n(&pgdat->kswapd_sleeping, __ATOMIC_ACQUIRE) != 1)
		ktest_sleep_ms(1);
}

static void kswapd_child(void *arg)
{
	pg_data_t *pgdat;
	unsigned long objs;
	int crossed = 0;

	boot("mem=128M");
	pgdat = NODE_DATA(0);
	/*
	 * No watermark boost: a fallback during the fill would raise the
	 * marks, and the wake would then be the boost's (test_kswapd_boost).
	 */
	CHECK_EQ(ukmem_sysctl("vm.watermark_boost_factor", "0"), 0);
	tc_init(true);
	/* Fill with the cache down to a little above the low watermark ... */
	objs = 0;
	while (some_above_by(WMARK_LOW, 64) && tc_add(FILL_GFP))
		objs++;
	CHECK(objs > 10000);
	/* ... and take pages while the fast path may: no wake. */
	while (some_above(WMARK_LOW) && hold(GFP_KERNEL, 1) == 1)
		;
	CHECK_EQ(pgdat->kswapd_state, KSWAPD_NONE);
	CHECK_EQ(vm_event(PAGEOUTRUN), 0);
	CHECK_EQ(tc.scans, 0);
	/* Now every page is taken below low: the slow path wakes (starts) kswapd. */
	while (pgdat->kswapd_state == KSWAPD_NONE && crossed < 1000)
		crossed += hold(GFP_KERNEL, 1);
	CHECK(crossed <= 1);
	CHECK(pgdat->kswapd_state == KSWAPD_RUNNING);
	wait_kswapd_asleep(pgdat, 1);
	/* It reclaimed (from its own thread) until a zone was above high, and stopped there. */
	CHECK(some_above(WMARK_HIGH));
	CHECK(tc.other_thread_scans > 0);
	CHECK(vm_event(PGSTEAL_KSWAPD) > 0);
	CHECK(list_lru_count(&tc.lru) > objs / 2);
	/* Asleep above low, it is not woken by allocations that stay above low. */
	{
		long runs = vm_event(PAGEOUTRUN);

		release(nr_held);
		hold(GFP_KERNEL, 16);
		ktest_sleep_ms(150);	/* past its short sleep */
		CHECK_EQ(vm_event(PAGEOUTRUN), runs);
	}
}

static void test_kswapd_low_to_high(void)
{
	CHECK(ktest_exited_with(ktest_child(kswapd_child, NULL), 0));
}

static unsigned long boost_of(pg_data_t *pgdat)
{
	unsigned long sum = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		sum += __atomic_load_n(&pgdat->node_zones[i].watermark_boost, __ATOMIC_RELAXED);
	return sum;
}

/*
 * A fallback that splits another migratetype's pageblock boosts the
 * watermarks (boost_watermark); the raised low mark wakes kswapd early,
 * and its run gives the boost back whether or not reclaim found anything.
 */
static void kswapd_boost_child(void *arg)
{
	pg_data_t *pgdat;
	unsigned long objs = 0;
	int crossed = 0;

	boot("mem=128M");
	pgdat = NODE_DATA(0);
	tc_init(true);
	/* Reclaimable slabs and unmovable pages, interleaved, fragment the blocks. */
	while (!boost_of(pgdat) && tc_add(FILL_GFP) && hold(FILL_GFP, 1) == 1)
		objs++;
	CHECK(boost_of(pgdat) > 0);
	CHECK_EQ(pgdat->kswapd_state, KSWAPD_NONE);
	while (pgdat->kswapd_state == KSWAPD_NONE && crossed < 100000)
		crossed += hold(GFP_KERNEL, 1);
	CHECK(pgdat->kswapd_state == KSWAPD_RUNNING);
	wait_kswapd_asleep(pgdat, 1);
	CHECK_EQ(boost_of(pgdat), 0);
	release(nr_held);
}

static void test_kswapd_boost(void)
{
	CHECK(ktest_exited_with(ktest_child(kswapd_boost_child, NULL), 0));
}

/*
 * zone_watermark_fast(): an order-0 __GFP_HIGH request (GFP_ATOMIC),
 * checked against the min watermark, ignores the boost.  GFP_ATOMIC
 * until NULL on a small machine, whose fallbacks boost the marks by a
 * pageblock and more: it must get as far below the unboosted min as
 * without a boost.  It stopped at the boosted min (237 pages free against
 * a min of 118 on mem=16M).
 */
static void atomic_ignores_boost_child(void *arg)
{
	pg_data_t *pgdat;
	int round, judged = 0;

	(void)arg;
	boot("mem=16M loglevel=0");
	pgdat = NODE_DATA(0);
	for (round = 0; round < 5 && !judged; round++) {
		struct zone *zone;
		bool boosted;

		hold(GFP_ATOMIC | __GFP_NOWARN, MAX_HELD);
		/* kswapd gives the boost back when it runs: judge a round that kept it. */
		boosted = boost_of(pgdat) > 0;
		for_each_populated_zone(zone) {
			unsigned long free = zone_page_state(zone, NR_FREE_PAGES);

			if (boosted)
				CHECK(free < READ_ONCE(zone->_watermark[WMARK_MIN]) +
					     (unsigned long)zone->lowmem_reserve[ZONE_NORMAL]);
		}
		judged = boosted;
		release(nr_held);
		ktest_progress();
	}
	if (!judged)
		_exit(KTEST_SKIP_CODE);	/* kswapd cleared every boost first: nothing to judge */
}

static void test_atomic_ignores_boost(void)
{
	int status = ktest_child(atomic_ignores_boost_child, NULL);

	if (ktest_exited_with(status, KTEST_SKIP_CODE))
		KTEST_SKIP("kswapd gave every boost back before the check");
	else
		CHECK(ktest_exited_with(status, 0));
}

/* kswapd=off: a crossing starts nothing; direct reclaim still works. */
static void kswapd_off_child(void *arg)
{
	struct page *page;

	boot("mem=64M kswapd=off");
	tc_init(false);
	tc_fill();
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	CHECK(tc.freed > 0);
	CHECK_EQ(NODE_DATA(0)->kswapd_state, KSWAPD_NONE);
	CHECK_EQ(vm_event(PAGEOUTRUN), 0);
	CHECK_EQ(tc.other_thread_scans, 0);
}

static void test_kswapd_off(void)
{
	CHECK(ktest_exited_with(ktest_child(kswapd_off_child, NULL), 0));
}

/* kswapd=boot: started at boot, as the kernel does; asleep until needed. */
static void kswapd_boot_child(void *arg)
{
	pg_data_t *pgdat;

	boot("mem=64M kswapd=boot");
	pgdat = NODE_DATA(0);
	CHECK(pgdat->kswapd_state == KSWAPD_RUNNING);
	while (__atomic_load_n(&pgdat->kswapd_sleeping, __ATOMIC_ACQUIRE) != 1)
		ktest_sleep_ms(1);
	CHECK_EQ(vm_event(PAGEOUTRUN), 0);
}

static void test_kswapd_boot(void)
{
	CHECK(ktest_exited_with(ktest_child(kswapd_boot_child, NULL), 0));
}

/* The child of a fork has no kswapd; its first crossing starts its own. */
static void kswapd_fork_child(void *arg)
{
	pg_data_t *pgdat;
	pid_t pid;
	int status;

	boot("mem=128M");
	pgdat = NODE_DATA(0);
	tc_init(true);
	tc_fill();
	hold(GFP_KERNEL, 64);
	CHECK(pgdat->kswapd_state == KSWAPD_RUNNING);
	wait_kswapd_asleep(pgdat, 1);
	pid = fork();
	if (pid == 0) {
		long runs = vm_event(PAGEOUTRUN);

		ktest_failures = 0;
		CHECK_EQ(pgdat->kswapd_state, KSWAPD_NONE);
		tc.main_tid = gettid_();
		tc.other_thread_scans = 0;
		tc_fill();
		hold(GFP_KERNEL, 1 << 20);
		CHECK(pgdat->kswapd_state == KSWAPD_RUNNING);
		wait_kswapd_asleep(pgdat, runs + 1);
		CHECK(tc.other_thread_scans > 0);
		_exit(ktest_failures ? 1 : 0);
	}
	while (waitpid(pid, &status, WNOHANG) == 0)
		ktest_sleep_ms(1);
	CHECK(ktest_exited_with(status, 0));
}

static void test_kswapd_fork(void)
{
	CHECK(ktest_exited_with(ktest_child(kswapd_fork_child, NULL), 0));
}

/* exit(): kswapd is stopped and joined before older atexit handlers run. */
static void check_stopped_at_exit(void)
{
	pg_data_t *pgdat = NODE_DATA(0);

	_exit(pgdat->kswapd_state == KSWAPD_NONE && pgdat->kswapd_sleeping == 0 ? 42 : 43);
}

static void kswapd_exit_child(void *arg)
{
	boot("mem=64M");
	atexit(check_stopped_at_exit);
	tc_init(false);
	tc_fill();
	hold(GFP_KERNEL, 256);
	CHECK(NODE_DATA(0)->kswapd_state == KSWAPD_RUNNING);
	exit(0);
}

static void test_kswapd_stops_at_exit(void)
{
	CHECK(ktest_exited_with(ktest_child(kswapd_exit_child, NULL), 42));
}

/* ---- out of memory ---- */

static unsigned long notifier_calls, notifier_frees;

static int free_some(struct notifier_block *nb, unsigned long action, void *data)
{
	notifier_calls++;
	if (notifier_frees && nr_held) {
		int n = nr_held < 64 ? nr_held : 64;

		release(n);
		*(unsigned long *)data += (unsigned long)n;
		notifier_frees--;
	}
	return NOTIFY_OK;
}

static struct notifier_block oom_nb = { .notifier_call = free_some };

static void oom_child(void *arg)
{
	long kills;

	boot("mem=64M kswapd=off");
	CHECK(hold(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, MAX_HELD) > 10000);
	CHECK_EQ(register_oom_notifier(&oom_nb), 0);
	/* The notifier frees: the allocation is saved, no report. */
	notifier_frees = 1;
	ukmem_dmesg_clear();
	kills = vm_event(OOM_KILL);
	CHECK(alloc_page(GFP_KERNEL) != NULL);
	CHECK_EQ(notifier_calls, 1);
	CHECK(strstr(log_text(), "invoked oom-killer") == NULL);
	CHECK_EQ(vm_event(OOM_KILL), kills);
	CHECK(hold(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, MAX_HELD) >= 0);
	/* Nothing left to free: one report, NULL; then NULL without another. */
	ukmem_dmesg_clear();
	CHECK(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_EQ(count_substr(log_text(), "invoked oom-killer"), 1);
	CHECK_EQ(count_substr(log_text(), "Out of memory and no killable processes...\n"), 1);
	CHECK_EQ(vm_event(OOM_KILL), kills + 1);
	CHECK(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_EQ(count_substr(log_text(), "invoked oom-killer"), 1);
	CHECK_EQ(vm_event(OOM_KILL), kills + 1);
	CHECK_EQ(unregister_oom_notifier(&oom_nb), 0);
	CHECK_EQ(unregister_oom_notifier(&oom_nb), -ENOENT);
	release(nr_held);
}

static void test_oom_once_then_null(void)
{
	CHECK(ktest_exited_with(ktest_child(oom_child, NULL), 0));
}

static void panic_child(void)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	boot("mem=64M kswapd=off");
	CHECK_EQ(ukmem_sysctl("vm.panic_on_oom", "1"), 0);
	hold(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, MAX_HELD);
	alloc_page(GFP_KERNEL | __GFP_NOWARN);
	_exit(5);	/* not reached */
}

static void test_panic_on_oom(void)
{
	static char out[1 << 17];
	int status = run_in_child(panic_child, out, sizeof(out));

	CHECK(status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK_STR_CONTAINS(out, "invoked oom-killer");
	CHECK_STR_CONTAINS(out, "Kernel panic - not syncing: Out of memory: system-wide "
				"panic_on_oom is enabled\n");
}

static int nofail_done;

static void *nofail_fn(void *arg)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_NOFAIL);

	*(struct page **)arg = p;
	__atomic_store_n(&nofail_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void nofail_child(void *arg)
{
	struct page *got = NULL;
	pthread_t t;

	boot("mem=64M kswapd=off");
	/*
	 * Everything, the last reserves included, which __GFP_NOFAIL would
	 * take (PF_MEMALLOC ignores watermarks, as NOFAIL at OOM does).
	 */
	hold(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, MAX_HELD);
	hold(GFP_ATOMIC | __GFP_NOWARN, MAX_HELD);
	{
		unsigned int noreclaim = memalloc_noreclaim_save();

		do
			drain_all_pages(NULL);	/* the per-CPU lists' pages too */
		while (hold(GFP_KERNEL | __GFP_NOWARN, MAX_HELD));
		memalloc_noreclaim_restore(noreclaim);
	}
	pthread_create(&t, NULL, nofail_fn, &got);
	ktest_sleep_ms(100);
	CHECK(!__atomic_load_n(&nofail_done, __ATOMIC_ACQUIRE));
	release(nr_held);	/* another thread frees */
	pthread_join(t, NULL);
	CHECK(got != NULL);
	if (got)
		__free_page(got);
}

static void test_nofail_waits_for_free(void)
{
	CHECK(ktest_exited_with(ktest_child(nofail_child, NULL), 0));
}

/* ---- drop_caches, sysctls, vmstat, meminfo ---- */

static void drop_caches_child(void *arg)
{
	struct kmem_cache *rcl;
	void *objs[2000];
	long srecl, drops;
	char buf[32];
	int i;

	boot("mem=128M kswapd=off");
	tc_init(true);
	for (i = 0; i < 5000; i++)
		tc_add(GFP_KERNEL);
	/* Freed objects of a reclaimable cache sit in its per-CPU stack and slabs. */
	rcl = kmem_cache_create("rcl_objs", 512, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	for (i = 0; i < 2000; i++)
		objs[i] = kmem_cache_alloc(rcl, GFP_KERNEL);
	for (i = 0; i < 2000; i++)
		kmem_cache_free(rcl, objs[i]);
	srecl = meminfo_kb("SReclaimable");
	CHECK(srecl >= 5000 * TOBJ_SIZE / 1024);
	drops = vm_event(DROP_SLAB);
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_sysctl("vm.drop_caches", "2"), 0);
	CHECK_EQ(list_lru_count(&tc.lru), 0);
	CHECK_EQ(tc.freed, 5000);
	CHECK(meminfo_kb("SReclaimable") < srecl / 20);
	CHECK_EQ(vm_event(DROP_SLAB), drops + 1);
	CHECK_STR_CONTAINS(log_text(), ": drop_caches: 2\n");
	/* The other names, 4 silences the line, the range, and no reading. */
	CHECK_EQ(ukmem_sysctl("/proc/sys/vm/drop_caches", "4\n"), 0);
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_sysctl("vm/drop_caches", "3"), 0);
	CHECK(strstr(log_text(), "drop_caches") == NULL);
	CHECK_EQ(vm_event(DROP_SLAB), drops + 2);
	CHECK_EQ(vm_event(DROP_PAGECACHE), 1);
	CHECK_EQ(ukmem_sysctl("vm.drop_caches", "5"), -EINVAL);
	CHECK_EQ(ukmem_sysctl("vm.drop_caches", "0"), -EINVAL);
	CHECK_EQ(ukmem_sysctl("vm.drop_caches", "two"), -EINVAL);
	CHECK_EQ(ukmem_sysctl_read("vm.drop_caches", buf, sizeof(buf)), -EACCES);
	kmem_cache_destroy(rcl);
}

static void test_drop_caches(void)
{
	CHECK(ktest_exited_with(ktest_child(drop_caches_child, NULL), 0));
}

static void sysctl_child(void *arg)
{
	struct zone *zone = NULL, *z;
	unsigned long min_before, gap;
	char buf[32];

	boot("mem=256M kswapd=off");
	for_each_populated_zone(z)
		zone = z;	/* the largest, last */
	min_before = min_wmark_pages(zone);
	CHECK(ukmem_sysctl_read("vm.min_free_kbytes", buf, sizeof(buf)) > 0);
	CHECK_EQ(atol(buf), min_free_kbytes);
	CHECK_EQ(ukmem_sysctl("vm.min_free_kbytes", "8192"), 0);
	CHECK(min_wmark_pages(zone) > min_before);
	CHECK_EQ(ukmem_sysctl_read("/proc/sys/vm/min_free_kbytes", buf, sizeof(buf)), 5);
	CHECK(!strcmp(buf, "8192\n"));
	/* 1% of the zone between watermarks. */
	CHECK_EQ(ukmem_sysctl("vm.watermark_scale_factor", "100"), 0);
	gap = low_wmark_pages(zone) - min_wmark_pages(zone);
	CHECK_EQ(gap, max(min_wmark_pages(zone) / 4, zone_managed_pages(zone) * 100 / 10000));
	CHECK_EQ(high_wmark_pages(zone) - low_wmark_pages(zone), gap);
	CHECK_EQ(ukmem_sysctl("vm.watermark_scale_factor", "0"), -EINVAL);
	CHECK_EQ(ukmem_sysctl("vm.watermark_scale_factor", "3001"), -EINVAL);
	CHECK_EQ(ukmem_sysctl("vm.watermark_scale_factor", "0x10"), 0);
	CHECK_EQ(watermark_scale_factor, 16);
	CHECK_EQ(ukmem_sysctl("vm.no_such_thing", "1"), -ENOENT);
	CHECK_EQ(ukmem_sysctl("vm.panic_on_oom", "3"), -EINVAL);
	CHECK_EQ(ukmem_sysctl("vm.watermark_boost_factor", "0"), 0);
	CHECK_EQ(ukmem_sysctl_read("vm.panic_on_oom", buf, 3), 2);
	CHECK_EQ(ukmem_sysctl_read("vm.panic_on_oom", buf, 2), -ENOSPC);
	CHECK_EQ(ukmem_sysctl_read("vm.watermark_boost_factor", buf, 1), -ENOSPC);
	CHECK(ukmem_sysctl_names()[0] != NULL);
}

static void test_sysctls(void)
{
	CHECK(ktest_exited_with(ktest_child(sysctl_child, NULL), 0));
}

static long vmstat_value(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtol(p + n + 1, NULL, 10);
	return -1;
}

static void vmstat_child(void *arg)
{
	static const char *const names[] = {
		"nr_free_pages", "nr_slab_reclaimable", "nr_slab_unreclaimable",
		"pgpgin", "pswpout", "allocstall_dma", "allocstall_dma32", "allocstall_normal",
		"allocstall_movable", "pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd",
		"pgscan_direct", "slabs_scanned", "kswapd_low_wmark_hit_quickly",
		"kswapd_high_wmark_hit_quickly", "pageoutrun", "drop_pagecache", "drop_slab",
		"oom_kill", "balloon_inflate", "balloon_deflate",
	};
	char *text, *line, *save = NULL;
	regex_t re;
	size_t i;

	boot("mem=64M kswapd=off");
	tc_init(false);
	tc_fill();
	alloc_page(GFP_KERNEL);
	text = report_text("vmstat");
	CHECK(text != NULL);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		CHECK(vmstat_value(text, names[i]) >= 0);
	CHECK_EQ(vmstat_value(text, "nr_free_pages"), (long)nr_free_pages());
	CHECK(vmstat_value(text, "allocstall_normal") > 0);
	CHECK(vmstat_value(text, "pgsteal_direct") > 0);
	CHECK(vmstat_value(text, "slabs_scanned") > 0);
	CHECK(regcomp(&re, "^[a-z0-9_]+ [0-9]+$", REG_EXTENDED | REG_NOSUB) == 0);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		CHECK(regexec(&re, line, 0, NULL, 0) == 0);
	regfree(&re);
	free(text);
}

static void test_vmstat(void)
{
	CHECK(ktest_exited_with(ktest_child(vmstat_child, NULL), 0));
}

static void meminfo_child(void *arg)
{
	struct kmem_cache *rcl, *plain;
	long srecl, krecl, avail, sunrecl;
	void *a[512], *b[512], *k[512];
	int i;

	boot("mem=128M kswapd=off");
	rcl = kmem_cache_create("m_rcl", 4096, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	plain = kmem_cache_create("m_plain", 4096, 0, 0, NULL);
	srecl = meminfo_kb("SReclaimable");
	krecl = meminfo_kb("KReclaimable");
	sunrecl = meminfo_kb("SUnreclaim");
	avail = meminfo_kb("MemAvailable");
	for (i = 0; i < 512; i++) {
		a[i] = kmem_cache_alloc(rcl, GFP_KERNEL);
		k[i] = kmalloc(2048, GFP_KERNEL | __GFP_RECLAIMABLE);
	}
	/* 2 MiB of 4 KiB objects and 1 MiB of kmalloc-rcl-2k. */
	CHECK(meminfo_kb("SReclaimable") - srecl >= 3 * 1024);
	CHECK(meminfo_kb("KReclaimable") - krecl >= 3 * 1024);
	CHECK(meminfo_kb("SUnreclaim") - sunrecl < 512);
	/* MemAvailable counts reclaimable slab (half of it, at most): it goes down less. */
	CHECK(avail - meminfo_kb("MemAvailable") < 3 * 1024);
	for (i = 0; i < 512; i++)
		b[i] = kmem_cache_alloc(plain, GFP_KERNEL);
	CHECK(meminfo_kb("SUnreclaim") - sunrecl >= 2 * 1024);
	for (i = 0; i < 512; i++) {
		kmem_cache_free(rcl, a[i]);
		kmem_cache_free(plain, b[i]);
		kfree(k[i]);
	}
	kmem_cache_destroy(rcl);
	kmem_cache_destroy(plain);
}

static void test_meminfo_reclaimable(void)
{
	CHECK(ktest_exited_with(ktest_child(meminfo_child, NULL), 0));
}

/* ---- list_lru per node ---- */

struct lobj {
	struct list_head lru;
	int id;
	int rotate, skip;
};

static enum lru_status lobj_isolate(struct list_head *item, struct list_lru_one *list,
				    spinlock_t *lock, void *arg)
{
	struct lobj *o = container_of(item, struct lobj, lru);

	if (o->id == 50)
		return LRU_STOP;
	if (o->skip)
		return LRU_SKIP;
	if (o->rotate) {
		o->rotate = 0;
		return LRU_ROTATE;
	}
	if (o->id % 10 == 7) {
		/* Drop the lock on the way: the walk starts over. */
		list_lru_isolate_move(list, item, arg);
		spin_unlock(lock);
		spin_lock(lock);
		return LRU_REMOVED_RETRY;
	}
	list_lru_isolate_move(list, item, arg);
	return LRU_REMOVED;
}

static void list_lru_child(void *arg)
{
	struct list_lru lru;
	struct lobj *o[100];
	unsigned long walk;
	LIST_HEAD(dispose);
	int i;

	boot("mem=128M numa=fake=2 kswapd=off");
	CHECK_EQ(list_lru_init(&lru), 0);
	for (i = 0; i < 100; i++) {
		o[i] = kmalloc_node(sizeof(struct lobj), GFP_KERNEL | __GFP_ZERO, i % 2);
		o[i]->id = i;
		INIT_LIST_HEAD(&o[i]->lru);
		CHECK(list_lru_add_obj(&lru, &o[i]->lru));
	}
	CHECK(!list_lru_add_obj(&lru, &o[0]->lru));	/* already on a list */
	CHECK_EQ(list_lru_count_node(&lru, 0), 50);
	CHECK_EQ(list_lru_count_node(&lru, 1), 50);
	CHECK_EQ(list_lru_count(&lru), 100);
	CHECK(list_lru_del_obj(&lru, &o[2]->lru));
	CHECK(!list_lru_del_obj(&lru, &o[2]->lru));
	CHECK_EQ(list_lru_count_one(&lru, 0, NULL), 49);
	/* Node 0 holds the even ids: skip 4, rotate 6, stop at 50. */
	o[4]->skip = 1;
	o[6]->rotate = 1;
	walk = 1000;
	CHECK_EQ(list_lru_walk_node(&lru, 0, lobj_isolate, &dispose, &walk), 22);
	CHECK_EQ(list_lru_count_node(&lru, 0), 49 - 22);
	CHECK_EQ(list_lru_count_one(&lru, 0, NULL), 49 - 22);
	CHECK_EQ(list_lru_count_node(&lru, 1), 50);
	/* A walk bounded by nr_to_walk, on node 1 (odd ids, 7s retry). */
	walk = 10;
	CHECK_EQ(list_lru_walk_node(&lru, 1, lobj_isolate, &dispose, &walk), 10);
	CHECK_EQ(walk, 0);
	CHECK_EQ(list_lru_count_node(&lru, 1), 40);
	CHECK_EQ(list_lru_count(&lru), 67);
	list_lru_destroy(&lru);

	/* v7.0's caller-locked forms: lock node 1's sublist, add and delete under it. */
	CHECK_EQ(list_lru_init(&lru), 0);
	{
		struct mem_cgroup *memcg = NULL;
		struct list_lru_one *l = list_lru_lock(&lru, 1, &memcg);
		unsigned long flags;

		for (i = 1; i < 11; i += 2) {
			INIT_LIST_HEAD(&o[i]->lru);
			CHECK(__list_lru_add(&lru, l, &o[i]->lru, 1, NULL));
		}
		CHECK(!__list_lru_add(&lru, l, &o[1]->lru, 1, NULL));
		CHECK(__list_lru_del(&lru, l, &o[3]->lru, 1));
		CHECK(!__list_lru_del(&lru, l, &o[3]->lru, 1));
		CHECK_EQ(l->nr_items, 4);
		list_lru_unlock(l);
		CHECK_EQ(list_lru_count_node(&lru, 1), 4);
		CHECK_EQ(list_lru_count_node(&lru, 0), 0);
		INIT_LIST_HEAD(&o[0]->lru);
		CHECK(list_lru_add_irq(&lru, &o[0]->lru, 0, NULL));
		l = list_lru_lock_irqsave(&lru, 0, &memcg, &flags);
		CHECK(__list_lru_del(&lru, l, &o[0]->lru, 0));
		list_lru_unlock_irqrestore(l, &flags);
		l = list_lru_lock_irq(&lru, 1, &memcg);
		CHECK_EQ(l->nr_items, 4);
		list_lru_unlock_irq(l);
		/* The lock is free again: a plain add takes it. */
		CHECK(list_lru_add(&lru, &o[3]->lru, 1, NULL));
		CHECK_EQ(list_lru_count(&lru), 5);
	}
	list_lru_destroy(&lru);
	for (i = 0; i < 100; i++)
		kfree(o[i]);
}

static void test_list_lru(void)
{
	CHECK(ktest_exited_with(ktest_child(list_lru_child, NULL), 0));
}

/* ---- registration against running reclaim ---- */

static int blocker_inside, blocker_release, stop_churn;

static unsigned long blocker_count(struct shrinker *s, struct shrink_control *sc)
{
	return 1000;
}

static unsigned long blocker_scan(struct shrinker *s, struct shrink_control *sc)
{
	__atomic_store_n(&blocker_inside, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&blocker_release, __ATOMIC_ACQUIRE))
		ktest_sleep_ms(1);
	return SHRINK_STOP;
}

static void *shrink_once(void *arg)
{
	shrink_slab(GFP_KERNEL, 0, NULL, 0);
	return NULL;
}

static int free_done;

static void *free_it(void *arg)
{
	shrinker_free(arg);
	__atomic_store_n(&free_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *shrink_loop(void *arg)
{
	while (!__atomic_load_n(&stop_churn, __ATOMIC_ACQUIRE))
		shrink_slab(GFP_KERNEL, 0, NULL, 0);
	return NULL;
}

static void registration_child(void *arg)
{
	struct shrinker *blocker;
	struct shrinker old = { 0 };
	pthread_t a, b, loops[2];
	int i;

	boot("mem=64M kswapd=off");
	blocker = shrinker_alloc(0, "blocker");
	blocker->count_objects = blocker_count;
	blocker->scan_objects = blocker_scan;
	shrinker_register(blocker);
	pthread_create(&a, NULL, shrink_once, NULL);
	while (!__atomic_load_n(&blocker_inside, __ATOMIC_ACQUIRE))
		ktest_sleep_ms(1);
	/* Freed while it runs: shrinker_free() waits for the run to end. */
	pthread_create(&b, NULL, free_it, blocker);
	ktest_sleep_ms(100);
	CHECK(!__atomic_load_n(&free_done, __ATOMIC_ACQUIRE));
	__atomic_store_n(&blocker_release, 1, __ATOMIC_RELEASE);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK(free_done);

	/* Churn: both interfaces registered and removed under two reclaim loops. */
	tc_init(false);
	for (i = 0; i < 2; i++)
		pthread_create(&loops[i], NULL, shrink_loop, NULL);
	for (i = 0; i < 2000; i++) {
		struct shrinker *s = shrinker_alloc(SHRINKER_NUMA_AWARE, "churn-%d", i);

		s->count_objects = tc_count;
		s->scan_objects = tc_scan;
		shrinker_register(s);
		tc_add(GFP_KERNEL);
		shrinker_free(s);
		old.count_objects = tc_count;
		old.scan_objects = tc_scan;
		old.seeks = DEFAULT_SEEKS;
		CHECK_EQ(register_shrinker(&old, "old-%d", i), 0);
		unregister_shrinker(&old);
		memset(&old, 0xa5, sizeof(old));	/* the caller's to reuse now */
		memset(&old, 0, sizeof(old));
		if (!(i % 100))
			ktest_progress();
	}
	__atomic_store_n(&stop_churn, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(loops[i], NULL);
	synchronize_shrinkers();
	rcu_barrier();
	CHECK_EQ(rcu_pending_callbacks(), 0);
}

static void test_register_while_shrinking(void)
{
	CHECK(ktest_exited_with(ktest_child(registration_child, NULL), 0));
}

int main(void)
{
	KTEST_RUN(KTEST(test_scan_targets), KTEST(test_shrink_stop),
		  KTEST(test_shrinker_called_under_pressure), KTEST(test_reclaim_far_below_min),
		  KTEST(test_no_reclaim_atomic_noreclaim), KTEST(test_kswapd_low_to_high),
		  KTEST(test_kswapd_boost), KTEST(test_atomic_ignores_boost),
		  KTEST(test_kswapd_off), KTEST(test_kswapd_boot), KTEST(test_kswapd_fork), KTEST(test_kswapd_stops_at_exit),
		  KTEST(test_oom_once_then_null), KTEST(test_panic_on_oom),
		  KTEST(test_nofail_waits_for_free), KTEST(test_drop_caches), KTEST(test_sysctls),
		  KTEST(test_vmstat), KTEST(test_meminfo_reclaimable), KTEST(test_list_lru),
		  KTEST(test_register_while_shrinking));
}
