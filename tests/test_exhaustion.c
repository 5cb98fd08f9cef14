/* SPDX-License-Identifier: MIT */
/*
 * Running out of memory on mem=64M, step by step, with the kernel's
 * watermark arithmetic checked to the page:
 *
 *  1. GFP_KERNEL|__GFP_NORETRY until NULL: every zone ends exactly at its
 *     min watermark plus its lowmem reserve for ZONE_NORMAL requests
 *     (batch is 1 on zones this small, so nothing hides on a pcp list);
 *  2. GFP_NOWAIT (no reserves) fails there; __GFP_RETRY_MAYFAIL fails once
 *     reclaim (the pcp lists, a wait for other threads' frees) brings no
 *     zone back to its min watermark (should_reclaim_retry), without the
 *     OOM report;
 *  3. a plain GFP_KERNEL allocation prints the OOM killer's header, "Out of
 *     memory and no killable processes...", then the page allocation
 *     failure report, and returns NULL; the allocations after it fail at
 *     once, without waiting and without another report, until memory is
 *     back above the low watermark (one report per OOM episode); GFP_NOFS
 *     fails without the report, as the kernel does not OOM-kill for it;
 *  4. __GFP_HIGH (ALLOC_MIN_RESERVE) goes on below min to min - min/2,
 *     GFP_ATOMIC (ALLOC_MIN_RESERVE|ALLOC_NON_BLOCK) further, to
 *     min - min/2 - (min - min/2)/4, i.e. 37.5% of it: exactly that many
 *     pages more each;
 *  5. __GFP_NOFAIL without direct reclaim warns and fails (7.x: the order
 *     is no reason for a warning, as it was in v6.12); with it, and even the __GFP_HIGH
 *     reserve gone, it takes the last reserves (no watermark, one warning:
 *     the OOM killer found nothing to kill), and with those gone too it
 *     sleeps until another thread frees memory (200 ms later) and then
 *     succeeds;
 *  6. orders above MAX_PAGE_ORDER fail;
 * and the census (free + pcp + allocated == managed) holds throughout.
 * At the end everything is freed and MemFree is what it was; then four
 * threads exhaust the machine with kmalloc and kmem_cache_alloc and free
 * everything, round after round: what the slab caches keep (per-CPU
 * stacks, barns, empty slabs up to min_partial, pcp lists) goes back with
 * kmem_cache_shrink_all() and drain_all_pages(), to the page.
 */
#include <pthread.h>
#include <sys/prctl.h>
#include <time.h>

#include <linux/gfp.h>
#include <linux/vmstat.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "ktest.h"

#define MAX_HELD	20000

static struct page *held[MAX_HELD];
static int nr_held;
static long memfree_at_start;
static char logbuf[1 << 17];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static long meminfo_kb(const char *field)
{
	char *buf = NULL, *p;
	size_t size = 0;
	long kb = -1;
	FILE *f = open_memstream(&buf, &size);

	ukmem_show("meminfo", f);
	fclose(f);
	p = strstr(buf, field);
	if (p)
		kb = strtol(p + strlen(field), NULL, 10);
	free(buf);
	return kb;
}

static long meminfo_memfree(void)
{
	return meminfo_kb("MemFree:");
}

static void check_census(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
	CHECK_EQ(c.managed, totalram_pages());
}

static struct zone *zone_of(enum zone_type z)
{
	return &NODE_DATA(0)->node_zones[z];
}

/* Where GFP_KERNEL (highest zone Normal) must stop in @zone. */
static unsigned long kernel_floor(struct zone *zone)
{
	return min_wmark_pages(zone) + (unsigned long)zone->lowmem_reserve[ZONE_NORMAL];
}

/* __zone_watermark_ok() with ALLOC_MIN_RESERVE|ALLOC_NON_BLOCK. */
static unsigned long atomic_min(unsigned long min)
{
	min -= min / 2;
	min -= min / 4;
	return min;
}

static int hold_until_null(gfp_t gfp)
{
	int n = 0;

	while (nr_held < MAX_HELD) {
		struct page *p = alloc_page(gfp);

		if (!p)
			break;
		held[nr_held++] = p;
		n++;
	}
	return n;
}

static void test_setup(void)
{
	struct zone *zone;

	drain_all_pages(NULL);
	memfree_at_start = meminfo_memfree();
	CHECK_EQ(memfree_at_start, (long)nr_free_pages() * 4);
	CHECK_EQ(max_pfn, 16384);
	/*
	 * zone_batchsize(): min(managed >> 10, 256) / 4, then
	 * rounddown_pow_of_two(b + b / 2) - 1: 1 for zones of 64M and less.
	 */
	for_each_populated_zone(zone)
		CHECK_EQ(zone->pageset_batch, 1);
	check_census();
}

static void test_noretry_until_null(void)
{
	struct zone *zone;
	int n = hold_until_null(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);

	CHECK(n > 14000);
	CHECK(nr_held < MAX_HELD);
	for_each_populated_zone(zone) {
		unsigned long free = zone_page_state(zone, NR_FREE_PAGES);

		/* In the reserve region: below low, at min, both + lowmem_reserve. */
		CHECK(free <= low_wmark_pages(zone) + (unsigned long)zone->lowmem_reserve[ZONE_NORMAL]);
		CHECK(free < low_wmark_pages(zone) || zone->lowmem_reserve[ZONE_NORMAL]);
		CHECK_EQ(free, kernel_floor(zone));
	}
	/* ZONE_DMA is kept for ZONE_DMA allocations by its lowmem reserve. */
	CHECK(zone_of(ZONE_DMA)->lowmem_reserve[ZONE_NORMAL] > 0);
	check_census();
}

static void test_nowait_fails(void)
{
	CHECK(alloc_page(GFP_NOWAIT) == NULL);
	CHECK(alloc_page(GFP_NOWAIT | __GFP_NOWARN) == NULL);
	/* A DMA request has a lower reserve to respect: it still succeeds. */
	{
		struct page *dma = alloc_page(GFP_NOWAIT | GFP_DMA);

		CHECK(dma != NULL);
		if (dma) {
			CHECK_EQ(page_zonenum(dma), ZONE_DMA);
			__free_page(dma);
		}
	}
	drain_all_pages(NULL);
	CHECK_EQ(zone_page_state(zone_of(ZONE_DMA), NR_FREE_PAGES), kernel_floor(zone_of(ZONE_DMA)));
	check_census();
}

static void test_retry_mayfail(void)
{
	long retries = atomic_long_read(&page_stats.retries);
	long fails = atomic_long_read(&page_stats.alloc_fail);
	struct page *p;

	ukmem_dmesg_clear();
	p = alloc_page(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	CHECK(p == NULL);
	/* It gave other threads a moment to free (once), then gave up without OOM. */
	CHECK_EQ(atomic_long_read(&page_stats.retries) - retries, 1);
	CHECK_EQ(atomic_long_read(&page_stats.alloc_fail) - fails, 1);
	CHECK(strstr(dmesg_now(), "oom-killer") == NULL);
	CHECK(strstr(logbuf, "page allocation failure") == NULL);
	check_census();
}

static void test_default_kernel_oom(void)
{
	char comm[17] = "", want[160];
	const char *oom, *nomem, *fail;
	struct page *p;

	prctl(PR_GET_NAME, comm);
	ukmem_dmesg_clear();
	p = alloc_page(GFP_KERNEL);
	CHECK(p == NULL);
	dmesg_now();
	snprintf(want, sizeof(want), "%s invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
		 "oom_score_adj=0\n", comm);
	CHECK_STR_CONTAINS(logbuf, want);
	CHECK_STR_CONTAINS(logbuf, "Out of memory and no killable processes...\n");
	snprintf(want, sizeof(want), "%s: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL), "
		 "nodemask=(null),cpuset=/,mems_allowed=0\n", comm);
	CHECK_STR_CONTAINS(logbuf, want);
	CHECK_STR_CONTAINS(logbuf, "Mem-Info:\n");
	/* v7.x's node and zone lines. */
	CHECK_STR_CONTAINS(logbuf, " anon_thp:0kB kernel_stack:0kB ");
	CHECK_STR_CONTAINS(logbuf, " all_unreclaimable? no Balloon:0kB gpu_active:0kB gpu_reclaim:0kB\n");
	CHECK_STR_CONTAINS(logbuf, " reserved_highatomic:");
	CHECK_STR_CONTAINS(logbuf, "KB free_highatomic:");
	CHECK_STR_CONTAINS(logbuf, " zspages:0kB present:");
	/* dump_header()'s tail: the unreclaimable caches (ukmem has no LRU pages), the tasks. */
	/* Slab pages in use (none here: the census freed them): the table; else none. */
	if (global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B)) {
		CHECK_STR_CONTAINS(logbuf, "Unreclaimable slab info:\n");
		CHECK_STR_CONTAINS(logbuf, "Name                      Used          Total\n");
	} else {
		CHECK(strstr(logbuf, "Unreclaimable slab info:") == NULL);
	}
	CHECK_STR_CONTAINS(logbuf, "Tasks state (memory values in pages):\n");
	CHECK_STR_CONTAINS(logbuf, "[  pid  ]   uid  tgid total_vm      rss rss_anon ");
	oom = strstr(logbuf, "invoked oom-killer");
	nomem = strstr(logbuf, "Out of memory and no killable processes");
	fail = strstr(logbuf, "page allocation failure");
	CHECK(oom && nomem && fail && oom < nomem && nomem < fail);
	/* A NULL, and the machine is intact. */
	check_census();
}

/* Free held pages until a zone GFP_KERNEL may use is above its low watermark. */
static void free_until_above_low(void)
{
	struct zone *zone;
	bool above = false;

	while (!above && nr_held > 0) {
		__free_page(held[--nr_held]);
		drain_all_pages(NULL);
		for_each_populated_zone(zone)
			above |= zone_watermark_ok(zone, 0, low_wmark_pages(zone), ZONE_NORMAL, 0);
	}
	CHECK(above);
}

/*
 * One report per OOM episode: after test_default_kernel_oom's report,
 * failures neither wait nor report again, until memory is back above the
 * low watermark; the next exhaustion is a new episode, reported again.
 */
static void test_oom_once_per_episode(void)
{
	long retries = atomic_long_read(&page_stats.retries);
	long fails = atomic_long_read(&page_stats.alloc_fail);
	const char *first;
	int i;

	CHECK(oom_episode_open());
	ukmem_dmesg_clear();
	for (i = 0; i < 50; i++)
		CHECK(alloc_page(GFP_KERNEL) == NULL);
	CHECK(strstr(dmesg_now(), "invoked oom-killer") == NULL);
	CHECK_EQ(atomic_long_read(&page_stats.retries), retries);
	CHECK_EQ(atomic_long_read(&page_stats.alloc_fail) - fails, 50);
	/* GFP_NOFS: no OOM killer for IO-less reclaim, in or out of an episode. */
	CHECK(alloc_page(GFP_NOFS | __GFP_NOWARN) == NULL);
	CHECK(strstr(dmesg_now(), "invoked oom-killer") == NULL);

	free_until_above_low();
	CHECK(!oom_episode_open());
	CHECK(hold_until_null(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN) > 0);
	ukmem_dmesg_clear();
	CHECK(alloc_page(GFP_NOFS | __GFP_NOWARN) == NULL);
	CHECK(strstr(dmesg_now(), "invoked oom-killer") == NULL);
	CHECK(!oom_episode_open());
	for (i = 0; i < 3; i++)
		CHECK(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	first = strstr(dmesg_now(), "invoked oom-killer");
	CHECK(first != NULL);
	CHECK(first && strstr(first + 1, "invoked oom-killer") == NULL);
	CHECK_STR_CONTAINS(logbuf, "Out of memory and no killable processes...\n");
	CHECK(oom_episode_open());
	check_census();
}

/* __GFP_HIGH (ALLOC_MIN_RESERVE) may use half of min: min - min/2. */
static void test_high_half_reserve(void)
{
	unsigned long want = 0;
	struct zone *zone;
	int n;

	for_each_populated_zone(zone)
		want += min_wmark_pages(zone) / 2;	/* min - ceil(min/2) pages more */
	n = hold_until_null(GFP_KERNEL | __GFP_HIGH | __GFP_NORETRY | __GFP_NOWARN);
	CHECK_EQ(n, want);
	for_each_populated_zone(zone)
		CHECK_EQ(zone_page_state(zone, NR_FREE_PAGES),
			 min_wmark_pages(zone) - min_wmark_pages(zone) / 2 +
			 (unsigned long)zone->lowmem_reserve[ZONE_NORMAL]);
	CHECK(alloc_page(GFP_NOWAIT) == NULL);
	check_census();
}

/* GFP_ATOMIC (MIN_RESERVE|NON_BLOCK) goes on to 37.5% of min. */
static void test_atomic_below_min(void)
{
	unsigned long want = 0, before[MAX_NR_ZONES];
	struct zone *zone;
	int n;

	for_each_populated_zone(zone) {
		before[zone_idx(zone)] = zone_page_state(zone, NR_FREE_PAGES);
		want += before[zone_idx(zone)] - (atomic_min(min_wmark_pages(zone)) +
						  (unsigned long)zone->lowmem_reserve[ZONE_NORMAL]);
	}
	n = hold_until_null(GFP_ATOMIC | __GFP_NOWARN);
	CHECK(n > 0);
	CHECK_EQ(n, want);
	for_each_populated_zone(zone) {
		unsigned long free = zone_page_state(zone, NR_FREE_PAGES);

		CHECK(free < before[zone_idx(zone)]);
		CHECK(free < min_wmark_pages(zone) + (unsigned long)zone->lowmem_reserve[ZONE_NORMAL]);
		CHECK_EQ(free, atomic_min(min_wmark_pages(zone)) +
			       (unsigned long)zone->lowmem_reserve[ZONE_NORMAL]);
	}
	/* GFP_NOWAIT has no claim on the reserve at all. */
	CHECK(alloc_page(GFP_NOWAIT) == NULL);
	check_census();
}

/* __GFP_NOFAIL without __GFP_DIRECT_RECLAIM is a caller bug: WARN and NULL. */
static void test_nofail_atomic_warns(void)
{
	ukmem_dmesg_clear();
	CHECK(alloc_page(GFP_ATOMIC | __GFP_NOFAIL | __GFP_NOWARN) == NULL);
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING: ");
	check_census();
}

/*
 * __GFP_NOFAIL above order 1 was reported too in v6.12, once, on the way
 * into the slow path; 7.x dropped that warning.  Runs after the case
 * above, which spent the once of the missing-reclaim warning, so nothing
 * is left to report here.
 */
static void test_nofail_order2_quiet(void)
{
	ukmem_dmesg_clear();
	CHECK(alloc_pages(GFP_ATOMIC | __GFP_NOFAIL | __GFP_NOWARN, 2) == NULL);
	CHECK(!strstr(dmesg_now(), "WARNING: "));
	check_census();
}

/*
 * __GFP_NOFAIL from a task in reclaim (PF_MEMALLOC) is the third misuse
 * the kernel reports on the way into the slow path (v6.12+): it cannot
 * reclaim and can only wait for others.  Its reserves still serve it.
 */
static void test_nofail_pf_memalloc_warns(void)
{
	unsigned int flags;
	struct page *page;

	ukmem_dmesg_clear();
	flags = memalloc_noreclaim_save();
	page = alloc_page(GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN);
	memalloc_noreclaim_restore(flags);
	CHECK(page != NULL);
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING: ");
	if (page)
		__free_page(page);
	check_census();
}

struct freer {
	long start_ms;		/* when to free, relative to the epoch below */
	long freed_at_ms;
	int nr;
};

static long epoch_ms;

static void *freer_thread(void *arg)
{
	struct freer *f = arg;
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	int i;

	nanosleep(&ts, NULL);
	f->freed_at_ms = ktest_now_ms() - epoch_ms;
	for (i = 0; i < f->nr && nr_held > 0; i++)
		__free_page(held[--nr_held]);
	return NULL;
}

/*
 * __GFP_NOFAIL where the kernel's OOM killer would run, and finds nothing
 * to kill: the request takes from the last reserves (no watermark at all,
 * __alloc_pages_may_oom()'s fallback) at once, with one warning
 * (WARN_ON_ONCE_GFP) and no allocation failure report.
 */
static void test_nofail_takes_last_reserves(void)
{
	unsigned long before = nr_free_pages();
	struct zone *zone;
	struct page *p;

	/* Not even the __GFP_HIGH half of the reserve is left. */
	for_each_populated_zone(zone)
		CHECK(zone_page_state(zone, NR_FREE_PAGES) <=
		      min_wmark_pages(zone) - min_wmark_pages(zone) / 2 +
		      (unsigned long)zone->lowmem_reserve[ZONE_NORMAL]);
	CHECK(before > 0);
	ukmem_dmesg_clear();
	p = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p != NULL);
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING: ");
	CHECK_STR_CONTAINS(logbuf, "mm/page_alloc_slow.c");
	CHECK(strstr(logbuf, "page allocation failure") == NULL);
	if (p)
		held[nr_held++] = p;
	/* Once: the next one is quiet. */
	ukmem_dmesg_clear();
	p = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p != NULL);
	CHECK(strstr(dmesg_now(), "WARNING:") == NULL);
	if (p)
		held[nr_held++] = p;
	check_census();
}

static void test_nofail_waits_for_free(void)
{
	struct freer f = { 0, 0, 1000 };
	unsigned int noreclaim;
	struct zone *zone;
	pthread_t t;
	struct page *p;
	long took;

	/* Every page, the last reserves too (PF_MEMALLOC ignores watermarks). */
	noreclaim = memalloc_noreclaim_save();
	drain_all_pages(NULL);
	while (nr_held < MAX_HELD && (p = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		held[nr_held++] = p;
	memalloc_noreclaim_restore(noreclaim);
	for_each_populated_zone(zone)
		CHECK_EQ(zone_page_state(zone, NR_FREE_PAGES), 0);
	ukmem_dmesg_clear();
	epoch_ms = ktest_now_ms();
	CHECK_EQ(pthread_create(&t, NULL, freer_thread, &f), 0);
	p = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	took = ktest_now_ms() - epoch_ms;
	pthread_join(t, NULL);
	CHECK(p != NULL);
	CHECK(took >= 150);
	/* It returned only after the other thread began to free. */
	CHECK(took >= f.freed_at_ms);
	/* The OOM episode was reported already; the warning came once, before. */
	CHECK(strstr(dmesg_now(), "oom-killer") == NULL);
	CHECK(strstr(logbuf, "WARNING:") == NULL);
	CHECK(strstr(logbuf, "page allocation failure") == NULL);
	if (p) {
		memset(page_address(p), 0x5a, PAGE_SIZE);
		held[nr_held++] = p;
	}
	check_census();
}

static void test_order_too_large(void)
{
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
	CHECK(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 31) == NULL);
	check_census();
}

static void test_free_everything(void)
{
	int i;

	for (i = 0; i < nr_held; i++)
		__free_page(held[i]);
	nr_held = 0;
	drain_all_pages(NULL);
	CHECK_EQ(meminfo_memfree(), memfree_at_start);
	check_census();
	/* And it all works again. */
	i = hold_until_null(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	CHECK(i > 14000);
	for (i = 0; i < nr_held; i++)
		__free_page(held[i]);
	nr_held = 0;
	drain_all_pages(NULL);
	CHECK_EQ(meminfo_memfree(), memfree_at_start);
	check_census();
}

/* ---- four threads exhaust the slab caches, free, shrink: round after round ---- */

#define SHRINK_THREADS	4
#define SHRINK_ROUNDS	3
#define PER_THREAD	(40000)

static struct kmem_cache *shrink_cache;

struct exhauster {
	unsigned int seed;
	void *obj[PER_THREAD];
	bool from_cache[PER_THREAD];
	long n;
};

static void *exhaust_thread(void *arg)
{
	struct exhauster *x = arg;
	long i;

	/* GFP_KERNEL, to the OOM report and NULL: the slow path ends. */
	for (x->n = 0; x->n < PER_THREAD; x->n++) {
		unsigned int r = rand_r(&x->seed);

		x->from_cache[x->n] = r % 4 == 0;
		x->obj[x->n] = x->from_cache[x->n] ? kmem_cache_alloc(shrink_cache, GFP_KERNEL) :
			       kmalloc(8 + r % 3000, GFP_KERNEL | __GFP_NOWARN);
		if (!x->obj[x->n])
			break;
		ktest_progress();
	}
	for (i = 0; i < x->n; i++) {
		if (x->from_cache[i])
			kmem_cache_free(shrink_cache, x->obj[i]);
		else
			kfree(x->obj[i]);
	}
	return NULL;
}

/* Returns whether every thread ran out of memory. */
static bool exhaust_round(unsigned int round)
{
	static struct exhauster x[SHRINK_THREADS];
	pthread_t t[SHRINK_THREADS];
	bool all_out = true;
	int i;

	for (i = 0; i < SHRINK_THREADS; i++) {
		x[i].seed = round * SHRINK_THREADS + (unsigned int)i + 1;
		CHECK_EQ(pthread_create(&t[i], NULL, exhaust_thread, &x[i]), 0);
	}
	for (i = 0; i < SHRINK_THREADS; i++) {
		pthread_join(t[i], NULL);
		all_out &= x[i].n < PER_THREAD;
	}
	return all_out;
}

static void shrink_and_drain(void)
{
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
}

static void test_shrink_after_threads(void)
{
	long memfree, slab;
	unsigned int round;

	shrink_cache = kmem_cache_create("exhaust_obj", 200, 0, 0, NULL);
	CHECK(shrink_cache != NULL);
	if (!shrink_cache)
		return;
	/*
	 * A first round gives every cache it touches its per-node barns (cache
	 * metadata, kept for the cache's life, as the kernel's node_barn).
	 */
	exhaust_round(0);
	shrink_and_drain();
	memfree = meminfo_memfree();
	slab = meminfo_kb("Slab:");
	for (round = 1; round <= SHRINK_ROUNDS; round++) {
		CHECK(exhaust_round(round));
		/* Freed, but the caches hold on to objects and slabs. */
		shrink_and_drain();
		CHECK_EQ(meminfo_memfree(), memfree);
		CHECK_EQ(meminfo_kb("Slab:"), slab);
		check_census();
	}
	kmem_cache_destroy(shrink_cache);
}

/*
 * The OOM report of a machine whose memory is mostly unreclaimable slab
 * (ukmem has no LRU pages, so any slab counts): dump_header() lists the
 * caches, "Unreclaimable slab info:" with their bytes in use and in all.
 * In a child of the freshly booted machine: it fills the memory itself.
 */
static void oom_with_slab(void *arg)
{
	static void *objs[4000];
	static struct page *pages[16384];
	int i, n = 0;

	(void)arg;
	for (i = 0; i < 4000; i++)
		objs[i] = kmalloc(1000, GFP_KERNEL);
	ukmem_dmesg_clear();
	while (n < 16384 && (pages[n] = alloc_page(GFP_KERNEL)))
		n++;
	CHECK(n < 16384);
	dmesg_now();
	CHECK_STR_CONTAINS(logbuf, "invoked oom-killer");
	CHECK_STR_CONTAINS(logbuf, "Unreclaimable slab info:\n");
	CHECK_STR_CONTAINS(logbuf, "Name                      Used          Total\n");
	CHECK_STR_CONTAINS(logbuf, "] kmalloc-1k             ");
	for (i = 0; i < n; i++)
		__free_page(pages[i]);
	for (i = 0; i < 4000; i++)
		kfree(objs[i]);
}

static void test_oom_lists_unreclaimable_slab(void)
{
	CHECK(ktest_exited_with(ktest_child(oom_with_slab, NULL), 0));
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	/*
	 * kswapd=off: these cases count pages to the exact watermarks; a
	 * kswapd run between them gives pages back and clears the watermark
	 * boost they count with (tests/test_reclaim.c covers kswapd).
	 */
	if (ukmem_boot("mem=64M kswapd=off")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_oom_lists_unreclaimable_slab), KTEST(test_setup), KTEST(test_noretry_until_null), KTEST(test_nowait_fails),
		  KTEST(test_retry_mayfail), KTEST(test_default_kernel_oom),
		  KTEST(test_oom_once_per_episode),
		  KTEST(test_high_half_reserve), KTEST(test_atomic_below_min),
		  KTEST(test_nofail_atomic_warns), KTEST(test_nofail_order2_quiet),
		  KTEST(test_nofail_pf_memalloc_warns),
		  KTEST(test_nofail_takes_last_reserves), KTEST(test_nofail_waits_for_free),
		  KTEST(test_order_too_large), KTEST(test_free_everything),
		  KTEST(test_shrink_after_threads));
}
