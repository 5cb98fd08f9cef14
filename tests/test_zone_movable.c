/* SPDX-License-Identifier: MIT */
/*
 * ZONE_MOVABLE from kernelcore= and movablecore= (mm/mm_init.c, the
 * kernel's find_zone_movable_pfns_for_nodes()): the zone's start on each
 * node and its size, the boot's "Movable zone start for each node" lines,
 * /proc/zoneinfo's Movable zone, and the allocator's rule: only
 * __GFP_MOVABLE | __GFP_HIGHMEM (GFP_HIGHUSER_MOVABLE) may take its pages,
 * so GFP_KERNEL runs out while the Movable zone still has free memory.
 * Each machine boots in a child of its own (ktest_child_case).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest.h"

#define MiB	(1UL << 20)

static char dmesg_buf[1 << 18];

static const char *dmesg_now(void)
{
	ukmem_dmesg(dmesg_buf, sizeof(dmesg_buf));
	return dmesg_buf;
}

static struct zone *zone_of(int nid, enum zone_type z)
{
	return &NODE_DATA(nid)->node_zones[z];
}

static void boot_quiet(const char *line)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot(line), 0);
}

/* movablecore=64M of 256M: the top 64 MiB, from a max-order boundary. */
static void case_movablecore(void)
{
	struct zone *movable, *dma32;
	struct page *page;
	unsigned long kernel = 0, in_movable = 0, movable_pages = 0;

	boot_quiet("mem=256M movablecore=64M");
	movable = zone_of(0, ZONE_MOVABLE);
	dma32 = zone_of(0, ZONE_DMA32);
	CHECK_EQ(movable->zone_start_pfn, (192 * MiB) >> PAGE_SHIFT);
	CHECK_EQ(movable->spanned_pages, (64 * MiB) >> PAGE_SHIFT);
	CHECK_EQ(movable->present_pages, (64 * MiB) >> PAGE_SHIFT);
	CHECK(zone_managed_pages(movable) > 0);
	CHECK_EQ(zone_end_pfn(dma32), movable->zone_start_pfn);
	CHECK(populated_zone(movable));
	CHECK_STR_CONTAINS(dmesg_now(), "Movable zone start for each node\n");
	CHECK_STR_CONTAINS(dmesg_buf, "  Node 0: 0x000000000c000000\n");

	/* A movable user page comes from there. */
	page = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	CHECK(page != NULL);
	if (page) {
		CHECK_EQ(page_zonenum(page), ZONE_MOVABLE);
		__free_pages(page, 0);
	}
	/* GFP_KERNEL runs out without touching it; the movable pages are still there. */
	for (;;) {
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0);
		if (!page)
			break;
		kernel++;
		in_movable += page_zonenum(page) == ZONE_MOVABLE;
	}
	CHECK(kernel > (100 * MiB) >> PAGE_SHIFT);
	CHECK_EQ(in_movable, 0UL);
	CHECK(zone_page_state(movable, NR_FREE_PAGES) > (48 * MiB) >> PAGE_SHIFT);
	/*
	 * A movable request takes them (and, once the zone is empty, may fall
	 * back to the zones below, as in the kernel: whatever reclaim freed
	 * there meanwhile).
	 */
	for (;;) {
		page = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN, 0);
		if (!page)
			break;
		movable_pages += page_zonenum(page) == ZONE_MOVABLE;
	}
	CHECK(movable_pages > (48 * MiB) >> PAGE_SHIFT);
	CHECK(zone_page_state(movable, NR_FREE_PAGES) < (4 * MiB) >> PAGE_SHIFT);
	/* The pages stay allocated: the child exits. */
}

/* kernelcore=30% on two nodes: each node keeps its share, the rest of each is Movable. */
static void case_kernelcore_percent_nodes(void)
{
	unsigned long total = (1024 * MiB) >> PAGE_SHIFT, kernel = 0, nid;
	char *zi = NULL;
	size_t len = 0;
	FILE *f;

	boot_quiet("mem=1G numa=fake=2 kernelcore=30%");
	for (nid = 0; nid < 2; nid++) {
		struct zone *movable = zone_of((int)nid, ZONE_MOVABLE);
		unsigned long node_pages = NODE_DATA(nid)->node_present_pages;

		CHECK(populated_zone(movable));
		CHECK_EQ(movable->zone_start_pfn % MAX_ORDER_NR_PAGES, 0UL);
		CHECK_EQ(zone_end_pfn(movable), NODE_DATA(nid)->node_start_pfn +
						 NODE_DATA(nid)->node_spanned_pages);
		kernel += node_pages - movable->present_pages;
	}
	/* 30% asked, spread evenly; each node's start rounded up to a max-order block. */
	CHECK(kernel >= total * 30 / 100);
	CHECK(kernel <= total * 30 / 100 + 2 * MAX_ORDER_NR_PAGES);
	f = open_memstream(&zi, &len);
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(ukmem_show("zoneinfo", f), 0);
	fclose(f);
	CHECK_STR_CONTAINS(zi, "Node 1, zone  Movable\n  pages free ");
	free(zi);
}

/* movablecore= at least all of memory: no kernel memory left, so no Movable zone. */
static void case_movablecore_all(void)
{
	boot_quiet("mem=128M movablecore=200M");
	CHECK(!populated_zone(zone_of(0, ZONE_MOVABLE)));
	CHECK_STR_CONTAINS(dmesg_now(), "Movable zone start for each node\n");
	CHECK(strstr(dmesg_buf, "  Node 0: 0x") == NULL);
}

/* kernelcore=mirror: the host has no mirrored memory (the kernel's warning). */
static void case_kernelcore_mirror(void)
{
	boot_quiet("mem=128M kernelcore=mirror");
	CHECK(!populated_zone(zone_of(0, ZONE_MOVABLE)));
	CHECK_STR_CONTAINS(dmesg_now(), "The system has no mirror memory, ignore kernelcore=mirror.\n");
}

/* The i386 layout: no Movable zone (it would be highmem), and a line that says so. */
static void case_highmem_layout(void)
{
	boot_quiet("highmem mem=1G movablecore=200M");
	CHECK(!populated_zone(zone_of(0, ZONE_MOVABLE)));
	CHECK_STR_CONTAINS(dmesg_now(),
			   "kernelcore=/movablecore=: no Movable zone in the highmem layout (ukmem)\n");
}

/* Without either: Movable stays empty; a malformed value is reported. */
static void case_default_and_malformed(void)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=128M movablecore=lots"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'movablecore'\n");
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_boot("mem=128M"), 0);
	CHECK(!populated_zone(zone_of(0, ZONE_MOVABLE)));
}

/* Every case boots its own machine: one child each. */
KTEST_CHILD_CASE(case_movablecore)
KTEST_CHILD_CASE(case_kernelcore_percent_nodes)
KTEST_CHILD_CASE(case_movablecore_all)
KTEST_CHILD_CASE(case_kernelcore_mirror)
KTEST_CHILD_CASE(case_highmem_layout)
KTEST_CHILD_CASE(case_default_and_malformed)

int main(void)
{
	KTEST_RUN(KTEST(child_case_movablecore), KTEST(child_case_kernelcore_percent_nodes),
		  KTEST(child_case_movablecore_all), KTEST(child_case_kernelcore_mirror),
		  KTEST(child_case_highmem_layout), KTEST(child_case_default_and_malformed));
}
