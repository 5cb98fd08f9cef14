/* SPDX-License-Identifier: MIT */
/*
 * Contiguous page ranges (mm/page_contig.c): alloc_contig_pages() hands
 * out runs of any length, each page its own order-0 allocation, and
 * free_contig_range() gives every page back (counted in nr_free_pages);
 * alloc_contig_range() of a range with a page in use is -EBUSY and takes
 * nothing, and succeeds once that page is freed (through the per-CPU
 * lists, which it drains); the frozen calls (v7.0+) make one compound page
 * with __GFP_COMP, also above the buddy's largest order, and refuse a range
 * that is not an aligned power of two, where the plain calls warn and
 * refuse __GFP_COMP; free_contig_range() drops a reference per page; the kernel's gfp and range refusals (-EINVAL); __GFP_ZERO;
 * the zone asked for; a request larger than RAM; four threads taking and
 * freeing runs while another allocates single pages; from a signal
 * handler (refused, no deadlock); and alloc_contig_pages() as a process's
 * first call.  Each case runs under five boot lines (the page hooks, page
 * reporting giving blocks back to the host at once, a highmem layout).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include <ukmem/context.h>
#include "ktest_boot.h"
#include "slab_test.h"

static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

static const char *dmesg(void)
{
	static char buf[8192];

	ukmem_dmesg(buf, sizeof(buf));
	return buf;
}

/* Fill or check every page of a run with a pattern of @tag (through kmap: highmem). */
static bool run_pattern(struct page *page, unsigned long nr, unsigned char tag, bool check)
{
	unsigned long i;
	bool ok = true;

	for (i = 0; i < nr; i++) {
		unsigned char *p = kmap_local_page(page + i);

		if (check)
			ok &= p[0] == tag && p[PAGE_SIZE - 1] == (unsigned char)(tag + i);
		else {
			p[0] = tag;
			p[PAGE_SIZE - 1] = (unsigned char)(tag + i);
		}
		kunmap_local(p);
	}
	return ok;
}

static void test_runs(void)
{
	unsigned long before = free_pages_now(), pfn, i;
	struct page *page = alloc_contig_pages(37, GFP_KERNEL, NUMA_NO_NODE, NULL);
	bool ok = true;

	CHECK(page != NULL);
	if (!page)
		return;
	pfn = page_to_pfn(page);
	CHECK_EQ(pfn % 37, 0);			/* candidates are multiples of the length */
	CHECK_EQ(free_pages_now(), before - 37);
	for (i = 0; i < 37; i++)
		ok &= page_count(page + i) == 1 && !PageHead(page + i) && !PageTail(page + i) &&
		      page_zone(page + i) == page_zone(page);
	CHECK(ok);
	run_pattern(page, 37, 0x5a, false);
	CHECK(run_pattern(page, 37, 0x5a, true));
	free_contig_range(pfn, 37);
	CHECK_EQ(free_pages_now(), before);

	/* A page of a run may be freed alone: each is its own allocation. */
	page = alloc_contig_pages(4, GFP_KERNEL, NUMA_NO_NODE, NULL);
	CHECK(page != NULL);
	if (!page)
		return;
	__free_page(page + 3);
	free_contig_range(page_to_pfn(page), 3);
	CHECK_EQ(free_pages_now(), before);
}

static void test_busy_range(void)
{
	unsigned long before = free_pages_now(), pfn;
	struct page *page = alloc_contig_pages(8, GFP_KERNEL, NUMA_NO_NODE, NULL);
	int i;

	CHECK(page != NULL);
	if (!page)
		return;
	pfn = page_to_pfn(page);
	for (i = 0; i < 8; i++)
		if (i != 3)
			__free_page(page + i);	/* onto this CPU's lists */
	ukmem_dmesg_clear();
	CHECK_EQ(alloc_contig_range(pfn, pfn + 8, ACR_FLAGS_NONE, GFP_KERNEL), -EBUSY);
	CHECK_EQ(free_pages_now(), before - 1);	/* nothing taken, nothing lost */
	CHECK_EQ(dmesg()[0], 0);
	__free_page(page + 3);
	/* Freed to the per-CPU lists: the retry after the drain finds them. */
	CHECK_EQ(alloc_contig_range(pfn, pfn + 8, ACR_FLAGS_NONE, GFP_KERNEL), 0);
	CHECK_EQ(free_pages_now(), before - 8);
	CHECK_EQ(page_count(page + 3), 1);
	/* Taken already: busy now, and the run stays allocated. */
	CHECK_EQ(alloc_contig_range(pfn + 2, pfn + 5, ACR_FLAGS_NONE, GFP_KERNEL), -EBUSY);
	free_contig_range(pfn, 8);
	CHECK_EQ(free_pages_now(), before);
	/* Unaligned inside a larger free block: the block's other parts stay free. */
	CHECK_EQ(alloc_contig_range(pfn + 1, pfn + 6, ACR_FLAGS_NONE, GFP_KERNEL), 0);
	CHECK_EQ(free_pages_now(), before - 5);
	free_contig_range(pfn + 1, 5);
	CHECK_EQ(free_pages_now(), before);
}

/*
 * v7.0+: a compound range comes only frozen (no reference); the plain
 * calls warn and refuse __GFP_COMP, and free_contig_range() of a compound
 * page warns and frees nothing.
 */
static void test_compound(void)
{
	unsigned long before = free_pages_now(), pfn;
	struct page *page = alloc_contig_frozen_pages(16, GFP_KERNEL | __GFP_COMP, NUMA_NO_NODE,
						      NULL);
	/* Above MAX_PAGE_ORDER (4 MiB): freed as max-order blocks. */
	unsigned long big = MAX_ORDER_NR_PAGES * 4;
	struct page *giant;

	CHECK(page != NULL);
	if (!page)
		return;
	pfn = page_to_pfn(page);
	CHECK(PageHead(page) && PageTail(page + 15) && compound_head(page + 15) == page);
	CHECK_EQ(compound_order(page), 4);
	CHECK_EQ(folio_nr_pages(page_folio(page)), 16);
	CHECK_EQ(page_count(page), 0);			/* frozen */
	ukmem_dmesg_clear();
	free_contig_range(pfn, 16);		/* not for compound pages: warned, nothing freed */
	CHECK_STR_CONTAINS(dmesg(), "WARNING:");
	CHECK_EQ(free_pages_now(), before - 16);
	free_contig_frozen_range(pfn + 1, 15);	/* a tail: warned once, nothing freed */
	CHECK_EQ(free_pages_now(), before - 16);
	free_contig_frozen_range(pfn, 16);
	CHECK_EQ(free_pages_now(), before);

	giant = alloc_contig_frozen_pages(big, GFP_KERNEL | __GFP_COMP, NUMA_NO_NODE, NULL);
	CHECK(giant != NULL);
	if (giant) {
		CHECK_EQ(compound_order(giant), MAX_PAGE_ORDER + 2);
		CHECK_EQ(page_to_pfn(giant) % big, 0);
		CHECK_EQ(free_pages_now(), before - big);
		/* Given a reference, the folio way frees it as well. */
		set_page_count(giant, 1);
		folio_put(page_folio(giant));
		CHECK_EQ(free_pages_now(), before);
	}
	/* The range form, then frozen order-0 pages. */
	CHECK_EQ(alloc_contig_frozen_range(pfn, pfn + 16, ACR_FLAGS_NONE, GFP_KERNEL | __GFP_COMP), 0);
	CHECK(PageHead(pfn_to_page(pfn)) && page_count(pfn_to_page(pfn)) == 0);
	free_contig_frozen_range(pfn, 16);
	CHECK_EQ(alloc_contig_frozen_range(pfn, pfn + 5, ACR_FLAGS_NONE, GFP_KERNEL), 0);
	CHECK(!PageHead(pfn_to_page(pfn)) && page_count(pfn_to_page(pfn + 4)) == 0);
	CHECK_EQ(free_pages_now(), before - 5);
	free_contig_frozen_range(pfn, 5);
	CHECK_EQ(free_pages_now(), before);

	/* The plain calls refuse a compound request, with a warning. */
	ukmem_dmesg_clear();
	CHECK(!alloc_contig_pages(16, GFP_KERNEL | __GFP_COMP, NUMA_NO_NODE, NULL));
	CHECK_STR_CONTAINS(dmesg(), "WARNING:");
	CHECK_EQ(alloc_contig_range(pfn, pfn + 16, ACR_FLAGS_NONE, GFP_KERNEL | __GFP_COMP),
		 -EINVAL);
	/* Not a power of two, not aligned, too large a compound page: -EINVAL. */
	CHECK_EQ(alloc_contig_frozen_range(pfn, pfn + 12, ACR_FLAGS_NONE, GFP_KERNEL | __GFP_COMP),
		 -EINVAL);
	CHECK_EQ(alloc_contig_frozen_range(pfn + 4, pfn + 20, ACR_FLAGS_NONE,
					   GFP_KERNEL | __GFP_COMP), -EINVAL);
	CHECK(!alloc_contig_frozen_pages(1UL << 15, GFP_KERNEL | __GFP_COMP, NUMA_NO_NODE, NULL));
	CHECK_EQ(free_pages_now(), before);
}

/*
 * v7.0+: free_contig_range() drops one reference from each page; a page
 * somebody still holds stays allocated, without the v6.12 warning.
 */
static void test_extra_reference(void)
{
	unsigned long before = free_pages_now(), pfn;
	struct page *page = alloc_contig_pages(4, GFP_KERNEL, NUMA_NO_NODE, NULL);

	CHECK(page != NULL);
	if (!page)
		return;
	pfn = page_to_pfn(page);
	get_page(page + 2);
	ukmem_dmesg_clear();
	free_contig_range(pfn, 4);
	CHECK_EQ(dmesg()[0], 0);
	CHECK_EQ(free_pages_now(), before - 1);
	CHECK_EQ(page_count(page + 2), 1);
	__free_contig_range(pfn + 2, 1);
	CHECK_EQ(free_pages_now(), before);
}

static void test_refusals(void)
{
	unsigned long before = free_pages_now();
	struct page *page = alloc_contig_pages(4, GFP_KERNEL, NUMA_NO_NODE, NULL);
	unsigned long pfn, dma_end = (16UL << 20) >> PAGE_SHIFT;

	CHECK(page != NULL);
	if (!page)
		return;
	pfn = page_to_pfn(page);
	free_contig_range(pfn, 4);
	/* Only reclaim and a few action flags (__alloc_contig_verify_gfp_mask). */
	CHECK_EQ(alloc_contig_range(pfn, pfn + 4, ACR_FLAGS_NONE, GFP_ATOMIC), -EINVAL);
	CHECK_EQ(alloc_contig_range(pfn, pfn + 4, ACR_FLAGS_NONE, GFP_KERNEL | __GFP_NOFAIL),
		 -EINVAL);
	CHECK_EQ(alloc_contig_range(pfn, pfn + 4, ACR_FLAGS_NONE, GFP_KERNEL | __GFP_NORETRY),
		 -EINVAL);
	CHECK(!alloc_contig_pages(4, GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE, NULL));
	CHECK(!alloc_contig_pages(0, GFP_KERNEL, NUMA_NO_NODE, NULL));
	/* Empty, past RAM, across a zone boundary. */
	CHECK_EQ(alloc_contig_range(pfn, pfn, ACR_FLAGS_NONE, GFP_KERNEL), -EINVAL);
	CHECK_EQ(alloc_contig_range(max_pfn - 2, max_pfn + 2, ACR_FLAGS_NONE, GFP_KERNEL), -EINVAL);
	CHECK_EQ(alloc_contig_range(dma_end - 2, dma_end + 2, ACR_FLAGS_NONE, GFP_KERNEL), -EINVAL);
	/* More than the machine has. */
	CHECK(!alloc_contig_pages(totalram_pages() + 1, GFP_KERNEL, NUMA_NO_NODE, NULL));
	/* Placement hints are ignored, the allowed flags accepted. */
	CHECK_EQ(alloc_contig_range(pfn, pfn + 4, ACR_FLAGS_CMA,
				    GFP_KERNEL | __GFP_MOVABLE | __GFP_NOWARN | __GFP_RETRY_MAYFAIL), 0);
	free_contig_range(pfn, 4);
	CHECK_EQ(free_pages_now(), before);
}

static void test_zone_and_zero(void)
{
	unsigned long before = free_pages_now(), pfn, i, dirty = 0;
	struct page *page = alloc_contig_pages(32, GFP_KERNEL | GFP_DMA, NUMA_NO_NODE, NULL);

	CHECK(page != NULL);
	if (!page)
		return;
	pfn = page_to_pfn(page);
	CHECK_EQ(page_zonenum(page), ZONE_DMA);
	for (i = 0; i < 32; i++) {
		char *p = kmap_local_page(page + i);

		memset(p, 0xaa, PAGE_SIZE);
		kunmap_local(p);
	}
	free_contig_range(pfn, 32);
	CHECK_EQ(alloc_contig_range(pfn, pfn + 32, ACR_FLAGS_NONE, GFP_KERNEL | __GFP_ZERO), 0);
	for (i = 0; i < 32; i++) {
		char *p = kmap_local_page(page + i);

		dirty += nonzero_bytes(p, PAGE_SIZE);
		kunmap_local(p);
	}
	CHECK_EQ(dirty, 0);
	free_contig_range(pfn, 32);
	/* The last max-order block of RAM: deferred at boot on a larger machine. */
	pfn = ALIGN_DOWN(max_pfn - 1, MAX_ORDER_NR_PAGES);
	if (alloc_contig_range(pfn, pfn + MAX_ORDER_NR_PAGES, ACR_FLAGS_NONE, GFP_KERNEL) == 0) {
		CHECK_EQ(free_pages_now(), before - MAX_ORDER_NR_PAGES);
		free_contig_range(pfn, MAX_ORDER_NR_PAGES);
	}
	CHECK_EQ(free_pages_now(), before);
}

#define NR_THREADS 4
#define ROUNDS 150

static void *contig_worker(void *arg)
{
	unsigned char tag = (unsigned char)(uintptr_t)arg;
	long bad = 0;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		unsigned long nr = 1 + (unsigned long)(i + tag) % 9;
		struct page *page = alloc_contig_pages(nr, GFP_KERNEL, NUMA_NO_NODE, NULL);

		if (!page)
			continue;	/* the others hold the candidates: may happen */
		run_pattern(page, nr, (unsigned char)(tag * 16 + i), false);
		sched_yield();
		bad += !run_pattern(page, nr, (unsigned char)(tag * 16 + i), true);
		free_contig_range(page_to_pfn(page), nr);
	}
	return (void *)bad;
}

static void *single_pages(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < ROUNDS * 20; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (page)
			__free_page(page);
	}
	return NULL;
}

static void test_threads(void)
{
	unsigned long before = free_pages_now();
	pthread_t t[NR_THREADS + 1];
	long bad = 0;
	int i;

	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&t[i], NULL, contig_worker, (void *)(uintptr_t)(i + 1));
	pthread_create(&t[NR_THREADS], NULL, single_pages, NULL);
	for (i = 0; i <= NR_THREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		bad += (long)ret;
	}
	CHECK_EQ(bad, 0);			/* no two runs ever shared a page */
	CHECK_EQ(free_pages_now(), before);
}

static volatile int handler_ret;

static void contig_in_handler(int sig)
{
	(void)sig;
	handler_ret = alloc_contig_range(1, 2, ACR_FLAGS_NONE, GFP_KERNEL);
}

/* Interrupt context may not sleep nor wait for zone->lock: refused. */
static void test_signal_handler(void)
{
	struct sigaction sa = { .sa_handler = contig_in_handler };

	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	handler_ret = 1;
	raise(SIGUSR1);
	CHECK_EQ(handler_ret, -EBUSY);
}

static void contig_child(void *arg)
{
	child_boot("mem=256M loglevel=4", arg);
	test_runs();
	test_busy_range();
	test_compound();
	test_extra_reference();
	test_refusals();
	test_zone_and_zero();
	test_threads();
	test_signal_handler();
}

static void test_modes(void)
{
	static const char *const modes[] = {
		"", "init_on_free=1 init_on_alloc=1", "page_reporting.keep=0 page_reporting.delay_ms=0",
		"pcp_rseq=0", "mem=1G highmem",
	};

	run_cmdlines(contig_child, modes, ARRAY_SIZE(modes));
}

static void first_call(void *arg)
{
	struct page *page;

	(void)arg;
	page = alloc_contig_pages(5, GFP_KERNEL, NUMA_NO_NODE, NULL);
	CHECK(page != NULL);
	if (page)
		free_contig_range(page_to_pfn(page), 5);
	_exit(ktest_failures ? 1 : 0);
}

int main(void)
{
	ktest_first_call(first_call);
	KTEST_RUN(KTEST(test_modes));
}
