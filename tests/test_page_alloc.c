/* SPDX-License-Identifier: MIT */
/*
 * Page allocator API semantics on a small machine (mem=256M): addresses and
 * pfns, orders, zones, __GFP_ZERO, compound pages, split_page,
 * alloc_pages_exact, refcounts, the pcp lists, bad input and the
 * invariant checker after every step.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "ktest.h"

static char logbuf[1 << 16];

static const char *log_since_clear(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static void check_invariants(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
	CHECK_EQ(c.managed, totalram_pages());
}

static void test_boot_layout(void)
{
	struct zone *dma = &NODE_DATA(0)->node_zones[ZONE_DMA];
	struct zone *dma32 = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	struct zone *normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];

	CHECK(ukmem_booted());
	CHECK_EQ(max_pfn, (256UL << 20) >> PAGE_SHIFT);
	CHECK_EQ(dma->zone_start_pfn, 0);
	CHECK_EQ(dma->spanned_pages, 4096);
	CHECK_EQ(dma32->zone_start_pfn, 4096);
	CHECK_EQ(dma32->spanned_pages, max_pfn - 4096);
	CHECK_EQ(normal->present_pages, 0);
	/* pfn 0 is reserved, mem_map and friends come from memblock. */
	CHECK(PageReserved(pfn_to_page(0)));
	CHECK(totalram_pages() < max_pfn);
	CHECK(totalram_pages() > max_pfn - max_pfn / 16);
	/* Watermarks ordered and lowmem_reserve as the kernel computes it. */
	CHECK(min_wmark_pages(dma32) < low_wmark_pages(dma32));
	CHECK(low_wmark_pages(dma32) < high_wmark_pages(dma32));
	CHECK_EQ(dma->lowmem_reserve[ZONE_DMA32], zone_managed_pages(dma32) / 256);
	CHECK_EQ(dma32->lowmem_reserve[ZONE_DMA32], 0);
	CHECK_STR_CONTAINS(log_since_clear(), "Memory: ");
	check_invariants();
}

static void test_address_conversions(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *addr;

	CHECK(page != NULL);
	addr = page_address(page);
	CHECK(addr != NULL);
	CHECK(virt_to_page(addr) == page);
	CHECK(pfn_to_page(page_to_pfn(page)) == page);
	CHECK_EQ(virt_to_phys(addr), PFN_PHYS(page_to_pfn(page)));
	CHECK(phys_to_virt(virt_to_phys(addr)) == addr);
	CHECK(__va(__pa(addr)) == addr);
	CHECK(virt_addr_valid(addr));
	CHECK_EQ(page_ref_count(page), 1);
	get_page(page);
	CHECK_EQ(page_ref_count(page), 2);
	put_page(page);
	CHECK_EQ(page_ref_count(page), 1);
	memset(addr, 0xab, PAGE_SIZE);	/* the memory is usable */
	put_page(page);			/* last reference frees it */
	check_invariants();
}

static void test_orders(void)
{
	unsigned int order;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *page = alloc_pages(GFP_KERNEL, order);

		CHECK(page != NULL);
		if (!page)
			continue;
		CHECK_EQ(page_to_pfn(page) & ((1UL << order) - 1), 0);
		memset(page_address(page), (int)order, PAGE_SIZE << order);
		__free_pages(page, order);
	}
	CHECK_EQ(get_order(1), 0);
	CHECK_EQ(get_order(4096), 0);
	CHECK_EQ(get_order(4097), 1);
	CHECK_EQ(get_order(8192), 1);
	CHECK_EQ(get_order(4UL << 20), 10);
	check_invariants();
}

static void test_zones(void)
{
	struct page *dma = alloc_page(GFP_KERNEL | GFP_DMA);
	struct page *dma32 = alloc_page(GFP_KERNEL | GFP_DMA32);
	unsigned long addr;

	CHECK(dma && page_zonenum(dma) == ZONE_DMA);
	CHECK(dma && page_to_pfn(dma) < 4096);
	CHECK(dma32 && page_zonenum(dma32) <= ZONE_DMA32);
	__free_page(dma);
	__free_page(dma32);
	addr = __get_dma_pages(GFP_KERNEL, 1);
	CHECK(addr && __pa(addr) < (16UL << 20));
	free_pages(addr, 1);
	CHECK_EQ(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	CHECK_EQ(gfp_zone(GFP_DMA), ZONE_DMA);
	CHECK_EQ(gfp_zone(GFP_DMA32), ZONE_DMA32);
	CHECK_EQ(gfp_zone(GFP_HIGHUSER), ZONE_NORMAL);	/* no highmem on 64-bit */
	CHECK_EQ(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	check_invariants();
}

static void test_zero_and_compound(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned char *p;
	unsigned long i;
	bool zero = true;

	CHECK(page != NULL);
	memset(page_address(page), 0x5a, 4 * PAGE_SIZE);
	__free_pages(page, 2);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	p = page_address(page);
	for (i = 0; i < 4 * PAGE_SIZE; i++)
		zero &= p[i] == 0;
	CHECK(zero);
	__free_pages(page, 2);

	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	CHECK(page && PageHead(page));
	CHECK_EQ(compound_order(page), 3);
	CHECK_EQ(page_size(page), 8 * PAGE_SIZE);
	for (i = 1; i < 8; i++) {
		CHECK(PageTail(page + i));
		CHECK(compound_head(page + i) == page);
	}
	CHECK(virt_to_head_page((char *)page_address(page) + 5 * PAGE_SIZE + 17) == page);
	get_page(page + 3);		/* a tail reference pins the head */
	CHECK_EQ(page_ref_count(page), 2);
	put_page(page + 3);
	put_page(page);			/* frees the whole compound page */
	check_invariants();
}

static void test_split_and_exact(void)
{
	unsigned long before;
	struct page *page;
	void *exact;
	int i;

	drain_all_pages(NULL);
	before = nr_free_pages();
	page = alloc_pages(GFP_KERNEL, 2);
	split_page(page, 2);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(page_ref_count(page + i), 1);
		__free_page(page + i);
	}
	exact = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL);
	CHECK(exact != NULL);
	memset(exact, 1, 5 * PAGE_SIZE);
	/* Five pages used, the other three of the order-3 block given back. */
	free_pages_exact(exact, 5 * PAGE_SIZE);
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), before);
	/* Size 0 is an order past MAX_PAGE_ORDER (its one warning is test_order_too_large's). */
	CHECK(alloc_pages_exact(0, GFP_KERNEL | __GFP_NOWARN) == NULL);
	check_invariants();
}

/*
 * split_page_run()/free_pages_run(): the tail of an order-4 block, then
 * parts of its head, freed as aligned parts, leave the allocator as it was,
 * and the parts merge back into blocks as large as before.
 */
static void test_free_pages_run(void)
{
	unsigned long before, largest_before = 0, largest = 0;
	struct zone *zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	struct page *page;
	unsigned int order;

	drain_all_pages(NULL);
	before = nr_free_pages();
	for (order = 0; order <= MAX_PAGE_ORDER; order++)
		if (zone->free_area[order].nr_free)
			largest_before = order;
	page = alloc_pages(GFP_KERNEL, 4);
	CHECK(page != NULL);
	split_page_run(page, 11);		/* 0-7, 8-9, 10 */
	split_page_run(page + 11, 5);		/* 11, 12-15 */
	CHECK_EQ(page_ref_count(page + 8), 1);
	CHECK_EQ(page_ref_count(page + 12), 1);
	CHECK_EQ(page_ref_count(page + 13), 0);
	free_pages_run(page + 11, 5);
	check_invariants();
	CHECK_EQ(page_ref_count(page), 1);
	memset(page_address(page), 0x5a, 11 * PAGE_SIZE);
	split_page_run(page, 6);		/* refined: 0-3, 4-5 | 6-7, 8-9, 10 */
	split_page_run(page + 6, 5);
	free_pages_run(page + 6, 5);
	check_invariants();
	__free_pages(page + 4, 1);
	__free_pages(page, 2);
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), before);
	for (order = 0; order <= MAX_PAGE_ORDER; order++)
		if (zone->free_area[order].nr_free)
			largest = order;
	CHECK_EQ(largest, largest_before);
	check_invariants();
}

/*
 * A CPU freeing order-1..3 pages without allocating keeps none of them on
 * its lists once it has drained them once (6.0+ free_high); order-0 pages
 * stay up to pcp->high.
 */
static void test_pcp_free_high(void)
{
	cpu_set_t one, old;
	struct per_cpu_pages *pcp;
	struct page **pages;
	int cpu, n, i;

	sched_getaffinity(0, sizeof(old), &old);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {
		KTEST_SKIP("sched_setaffinity refused: cannot pin to one CPU");
		return;
	}
	cpu = sched_getcpu();
	pcp = &NODE_DATA(0)->node_zones[ZONE_DMA32].per_cpu_pageset[cpu];
	n = pcp->high;			/* 2 * high pages: past high on the way back */
	pages = calloc((size_t)n, sizeof(*pages));
	for (i = 0; i < n; i++)
		pages[i] = alloc_pages(GFP_KERNEL, 1);
	for (i = 0; i < n; i++)
		__free_pages(pages[i], 1);
	CHECK_EQ(pcp->count, 0);
	for (i = 0; i < n; i++)
		pages[i] = alloc_pages(GFP_KERNEL, 0);
	for (i = 0; i < n; i++)
		__free_pages(pages[i], 0);
	CHECK(pcp->count > 0 && pcp->count < pcp->high);
	free(pages);
	sched_setaffinity(0, sizeof(old), &old);
	check_invariants();
}

static void test_get_free_pages(void)
{
	unsigned long addr = get_zeroed_page(GFP_KERNEL);
	unsigned long *w = (unsigned long *)addr;
	struct page *hot, *cold;

	CHECK(addr != 0);
	CHECK(w[0] == 0 && w[511] == 0);
	free_page(addr);
	free_pages(0, 3);		/* no-op */
	hot = alloc_page(GFP_KERNEL);
	cold = alloc_page(GFP_KERNEL);
	free_hot_page(hot);
	free_cold_page(cold);
	/* The hot page comes back first: it went to the head of the pcp list. */
	CHECK(alloc_page(GFP_KERNEL) == hot);
	__free_page(hot);
	check_invariants();
}

static void test_order_too_large(void)
{
	ukmem_dmesg_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
	CHECK(strstr(log_since_clear(), "WARNING") == NULL);
	CHECK(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	CHECK_STR_CONTAINS(log_since_clear(), "WARNING: ");
	check_invariants();
}

static void test_bad_frees(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct page *big = alloc_pages(GFP_KERNEL, 1);
	char stackvar[16];

	/* Double free. */
	__free_page(page);
	ukmem_dmesg_clear();
	__free_page(page);
	CHECK_STR_CONTAINS(log_since_clear(), "BUG: Bad page state in process");
	check_invariants();

	/* Wrong order. */
	ukmem_dmesg_clear();
	__free_pages(big, 0);
	CHECK_STR_CONTAINS(log_since_clear(), "freed with order 0, allocated with order 1");
	check_invariants();

	/* A reserved page (pfn 0). */
	ukmem_dmesg_clear();
	set_page_count(pfn_to_page(0), 1);	/* a bogus reference to a reserved page */
	__free_page(pfn_to_page(0));
	CHECK_STR_CONTAINS(log_since_clear(), "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	check_invariants();

	/* Not a page of this allocator at all. */
	ukmem_dmesg_clear();
	free_page((unsigned long)stackvar);
	CHECK_STR_CONTAINS(log_since_clear(), "is not the address of a page");
	free_pages((unsigned long)page_address(alloc_page(GFP_KERNEL)) + 8, 0);
	CHECK_STR_CONTAINS(log_since_clear(), "is not the address of a page");
	check_invariants();

	/* The allocator goes on. */
	page = alloc_pages(GFP_KERNEL, 4);
	CHECK(page != NULL);
	__free_pages(page, 4);
	check_invariants();
}

/* Random alloc/free sequences with the validator after each round. */
static void test_random_sequences(void)
{
	enum { N = 600 };
	static struct page *pages[N];
	static unsigned int orders[N];
	unsigned int seed = 12345, round, i;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < N; i++) {
			seed = seed * 1103515245 + 12345;
			if (pages[i] && (seed >> 16) % 3 == 0) {
				__free_pages(pages[i], orders[i]);
				pages[i] = NULL;
			} else if (!pages[i]) {
				unsigned int order = (seed >> 8) % 7 == 0 ? (seed >> 12) % 11 : (seed >> 12) % 4;
				gfp_t gfp = (seed >> 20) % 4 == 0 ? GFP_KERNEL | __GFP_RECLAIMABLE :
					    (seed >> 20) % 4 == 1 ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL;

				pages[i] = alloc_pages(gfp | __GFP_NOWARN, order);
				orders[i] = order;
			}
		}
		CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
	}
	for (i = 0; i < N; i++)
		if (pages[i])
			__free_pages(pages[i], orders[i]);
	drain_all_pages(NULL);
	check_invariants();
}

/* Reference counts, bulk allocation, address helpers, sysinfo figures. */
static void test_refcounts_bulk_sysinfo(void)
{
	struct page *pages[64] = { NULL }, *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	unsigned long free_before, populated, i;
	struct sysinfo si;
	char *va;

	CHECK(page != NULL);
	if (!page)
		return;
	CHECK_EQ(page_count(page), 1);
	CHECK_EQ(page_count(page + 3), 1);	/* a tail page reports its head's count */
	get_page(page + 1);
	CHECK_EQ(page_count(page), 2);
	page_ref_add(page, 3);
	CHECK_EQ(page_ref_count(page), 5);
	page_ref_sub(page, 3);
	put_page(page);
	CHECK_EQ(page_count(page), 1);
	va = page_to_virt(page);
	CHECK(va == page_address(page));
	CHECK_EQ(offset_in_page(va + 4097), 1);
	CHECK(pfn_to_virt(page_to_pfn(page)) == va);
	SetPageReserved(page);
	CHECK(PageReserved(page));
	ClearPageReserved(page);
	__free_pages(page, 2);

	/* Bulk: empty slots are filled, a populated one is kept and counted. */
	free_before = nr_free_pages();
	pages[5] = alloc_page(GFP_KERNEL);
	page = pages[5];
	populated = alloc_pages_bulk(GFP_KERNEL, 64, pages);
	CHECK_EQ(populated, 64);
	CHECK(pages[5] == page);
	for (i = 0; i < 64; i++) {
		CHECK(pages[i] != NULL);
		if (pages[i] && i && pages[i] == pages[i - 1])
			CHECK(0);
	}
	si_meminfo(&si);
	CHECK_EQ(si.mem_unit, PAGE_SIZE);
	CHECK_EQ(si.totalram, totalram_pages());
	CHECK_EQ(si.freeram, nr_free_pages());
	CHECK(si.freeram + 64 <= free_before + 8);	/* pcp lists may hold a few */
	for (i = 0; i < 64; i++)
		__free_pages(pages[i], 0);
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	if (ukmem_boot("mem=256M")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	ukmem_set_console(quiet);
	KTEST_RUN(KTEST(test_boot_layout), KTEST(test_address_conversions), KTEST(test_orders),
		  KTEST(test_zones), KTEST(test_zero_and_compound), KTEST(test_split_and_exact),
		  KTEST(test_free_pages_run), KTEST(test_pcp_free_high),
		  KTEST(test_get_free_pages), KTEST(test_order_too_large), KTEST(test_bad_frees),
		  KTEST(test_random_sequences), KTEST(test_refcounts_bulk_sysinfo));
}
