/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's nodemask (__alloc_pages(gfp, order, nid, nodemask),
 * __alloc_pages_bulk(), __folio_alloc(), alloc_contig_pages()): pages come
 * only from zones of the nodes in the mask, as the kernel's zonelist walk
 * (for_each_zone_zonelist_nodemask) gives them.
 *
 * - A preferred node outside the mask: the walk starts at the zonelist's
 *   first zone inside it (first_zones_zonelist()), orders 0 and above.
 * - The mask's nodes exhausted while others have memory: GFP_KERNEL and
 *   GFP_NOWAIT fail (the report names the mask, "nodemask=1"), the OOM
 *   report shows only the mask's nodes and vm.panic_on_oom=1 does not
 *   panic (a memory policy's OOM, CONSTRAINT_MEMORY_POLICY); GFP_ATOMIC
 *   and __GFP_MEMALLOC requests drop the mask in the slow path, as the
 *   kernel's "memory policies can be ignored" reset does.  The OOM
 *   report shows the zones gfp_zone() allows (no HighMem for GFP_KERNEL).
 * - An empty mask, or one of offline nodes: NULL with the failure report
 *   ("nodemask=,cpuset"), silent with __GFP_NOWARN, GFP_ATOMIC included.
 * - __GFP_THISNODE with a mask: the preferred node only, if it is in it.
 * - A NULL mask: every node, as before.
 * - No zone the gfp allows on a __GFP_THISNODE node (GFP_DMA on node 1),
 *   mask or not: NULL, not a crash in reclaim.
 * - One node (per-CPU page stacks on): a mask without node 0 gets nothing,
 *   not even the pages this CPU's stack holds.
 * Each case boots in a child of its own.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <ukmem/boot.h>
#include <ukmem/sysctl.h>
#include "ktest.h"

#define BOOT2	"mem=128M numa=fake=2 kfence.sample_interval=0 kswapd=off"
#define BOOT4	"mem=128M numa=fake=4 kfence.sample_interval=0 kswapd=off"

static char *console_text;
static size_t console_len;
static FILE *console;

/* Boot with the console kept in memory (console_text after console_read()). */
static void boot(const char *cmdline)
{
	console = open_memstream(&console_text, &console_len);
	CHECK(console != NULL);
	ukmem_set_console(console);
	CHECK_EQ(ukmem_boot(cmdline), 0);
}

static const char *console_read(void)
{
	fflush(console);
	return console_text ? console_text : "";
}

/* @n pages of @order for @nid within @mask: how many were on a node outside it (or NULL). */
static int alloc_check_free(gfp_t gfp, unsigned int order, int nid, nodemask_t *mask, int n)
{
	struct page *pages[64];
	int i, wrong = 0;

	for (i = 0; i < n; i++) {
		pages[i] = __alloc_pages(gfp, order, nid, mask);
		wrong += !pages[i] || (mask && !node_isset(page_to_nid(pages[i]), *mask));
	}
	for (i = 0; i < n; i++)
		if (pages[i])
			__free_pages(pages[i], order);
	return wrong;
}

/* numa=fake=2: a mask of node 1 asked for on node 0, orders 0 and above. */
static void mask_node1(void *arg)
{
	nodemask_t mask1 = nodemask_of_node(1), both = NODE_MASK_NONE;
	struct page *page;
	struct folio *folio;
	unsigned int order;

	(void)arg;
	boot(BOOT2);
	CHECK_EQ(num_online_nodes(), 2);
	node_set(0, both);
	node_set(1, both);
	for (order = 0; order <= 5; order++) {
		CHECK_EQ(alloc_check_free(GFP_KERNEL, order, 0, &mask1, 48), 0);
		CHECK_EQ(alloc_check_free(GFP_ATOMIC, order, 0, &mask1, 16), 0);
		CHECK_EQ(alloc_check_free(GFP_KERNEL | __GFP_ZERO, order, 1, &mask1, 16), 0);
	}
	/* The preferred node, in the mask, comes first. */
	page = __alloc_pages(GFP_KERNEL, 0, 1, &both);
	CHECK(page && page_to_nid(page) == 1);
	__free_page(page);
	page = __alloc_pages(GFP_KERNEL, 3, 0, &both);
	CHECK(page && page_to_nid(page) == 0);
	__free_pages(page, 3);
	/* __folio_alloc() passes the mask on. */
	folio = __folio_alloc(GFP_KERNEL, 2, 0, &mask1);
	CHECK(folio && folio_nid(folio) == 1);
	if (folio)
		folio_put(folio);
	/* A NULL mask: every node, the preferred one first, as before. */
	page = __alloc_pages(GFP_KERNEL, 0, 1, NULL);
	CHECK(page && page_to_nid(page) == 1);
	if (page)
		__free_page(page);
	page = __alloc_pages(GFP_KERNEL, 2, 0, NULL);
	CHECK(page && page_to_nid(page) == 0);
	if (page)
		__free_pages(page, 2);
	folio = __folio_alloc_node(GFP_KERNEL, 1, 1);
	CHECK(folio && folio_nid(folio) == 1);
	if (folio)
		folio_put(folio);
	CHECK_EQ(alloc_check_free(GFP_KERNEL, 0, 1, NULL, 32), 0);
	/* alloc_contig_pages() walks the mask's zones only. */
	page = alloc_contig_pages(16, GFP_KERNEL, 0, &mask1);
	CHECK(page && page_to_nid(page) == 1 && page_to_nid(page + 15) == 1);
	if (page)
		free_contig_range(page_to_pfn(page), 16);
}

static void test_mask_node1(void)
{
	ktest_child_case(mask_node1, NULL);
}

/* __alloc_pages_bulk(): every page of the call within the mask. */
static void bulk_mask(void *arg)
{
	nodemask_t mask1 = nodemask_of_node(1);
	struct page *pages[96] = { NULL };
	int nids[] = { NUMA_NO_NODE, 0, 1 };
	unsigned int i, k;
	int wrong;

	(void)arg;
	boot(BOOT2);
	for (k = 0; k < ARRAY_SIZE(nids); k++) {
		CHECK_EQ(__alloc_pages_bulk(GFP_KERNEL, nids[k], &mask1, 96, pages), 96);
		for (i = 0, wrong = 0; i < 96; i++) {
			wrong += !pages[i] || page_to_nid(pages[i]) != 1;
			if (pages[i])
				__free_page(pages[i]);
			pages[i] = NULL;
		}
		CHECK_EQ(wrong, 0);
	}
	/* An empty mask: nothing, and the slots stay empty. */
	{
		nodemask_t none = NODE_MASK_NONE;

		CHECK_EQ(__alloc_pages_bulk(GFP_KERNEL | __GFP_NOWARN, NUMA_NO_NODE, &none, 8, pages), 0);
		CHECK(pages[0] == NULL && pages[7] == NULL);
	}
}

static void test_bulk_mask(void)
{
	ktest_child_case(bulk_mask, NULL);
}

/* numa=fake=4: the walk starts at the preferred node's nearest zone inside the mask. */
static void four_nodes(void *arg)
{
	nodemask_t m23 = NODE_MASK_NONE, m12 = NODE_MASK_NONE, m13 = NODE_MASK_NONE;
	struct page *page;
	unsigned int order;

	(void)arg;
	boot(BOOT4);
	CHECK_EQ(num_online_nodes(), 4);
	node_set(2, m23);
	node_set(3, m23);
	node_set(1, m12);
	node_set(2, m12);
	node_set(1, m13);
	node_set(3, m13);
	for (order = 0; order <= 4; order += 2) {
		/* Node 0's zonelist: 0, 1, 2, 3; node 3's: 3, 2, 1, 0. */
		page = __alloc_pages(GFP_KERNEL, order, 0, &m23);
		CHECK(page && page_to_nid(page) == 2);
		if (page)
			__free_pages(page, order);
		page = __alloc_pages(GFP_KERNEL, order, 3, &m12);
		CHECK(page && page_to_nid(page) == 2);
		if (page)
			__free_pages(page, order);
		page = __alloc_pages(GFP_KERNEL, order, 3, &m13);
		CHECK(page && page_to_nid(page) == 3);
		if (page)
			__free_pages(page, order);
		page = __alloc_pages(GFP_KERNEL, order, 0, &m13);
		CHECK(page && page_to_nid(page) == 1);
		if (page)
			__free_pages(page, order);
		CHECK_EQ(alloc_check_free(GFP_KERNEL, order, 0, &m23, 32), 0);
	}
}

static void test_four_nodes(void)
{
	ktest_child_case(four_nodes, NULL);
}

#define MAX_HELD	20000

static struct page *held[MAX_HELD];
static unsigned int held_order[MAX_HELD];
static int nr_held;

/* Take every page the mask's nodes give @gfp (largest blocks first); false if any was outside. */
static bool exhaust(gfp_t gfp, int nid, nodemask_t *mask)
{
	bool inside = true;
	int order;

	for (order = MAX_PAGE_ORDER; order >= 0; order--) {
		struct page *page;

		while (nr_held < MAX_HELD &&
		       (page = __alloc_pages(gfp | __GFP_NOWARN, (unsigned int)order, nid, mask))) {
			inside &= node_isset(page_to_nid(page), *mask);
			held[nr_held] = page;
			held_order[nr_held++] = (unsigned int)order;
		}
	}
	CHECK(nr_held < MAX_HELD);
	return inside;
}

static unsigned long held_pages(void)
{
	unsigned long pages = 0;
	int i;

	for (i = 0; i < nr_held; i++)
		pages += 1UL << held_order[i];
	return pages;
}

static void release_all(void)
{
	while (nr_held > 0) {
		nr_held--;
		__free_pages(held[nr_held], held_order[nr_held]);
	}
}

static unsigned long node_free_pages(int nid)
{
	unsigned long free = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		free += zone_page_state(&NODE_DATA(nid)->node_zones[z], NR_FREE_PAGES);
	return free;
}

/*
 * Node 1 exhausted through a mask of node 1 while node 0 has most of its
 * memory free: requests that keep the mask fail; GFP_ATOMIC and
 * __GFP_MEMALLOC fall back outside it, as in the kernel.
 */
static void exhausted_mask(void *arg)
{
	nodemask_t mask1 = nodemask_of_node(1);
	struct page *page;
	int i, wrong = 0, on0 = 0;

	(void)arg;
	boot(BOOT2);
	CHECK(exhaust(GFP_KERNEL | __GFP_NORETRY, 0, &mask1));
	CHECK(held_pages() > 8192);
	CHECK(node_free_pages(0) > 8192);
	/* Requests that keep the mask: nothing. */
	CHECK(__alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0, 0, &mask1) == NULL);
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 2, 1, &mask1) == NULL);
	page = NULL;
	CHECK(__alloc_pages_bulk(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 1, &mask1, 1, &page) == 0);
	/* The failure report names the mask. */
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_NORETRY, 0, 0, &mask1) == NULL);
	CHECK_STR_CONTAINS(console_read(), "page allocation failure: order:0, mode:0x");
	CHECK_STR_CONTAINS(console_read(), "nodemask=1,cpuset=/,mems_allowed=0-1\n");
	/* No mask, and a mask of node 0: node 0's memory, as before. */
	page = __alloc_pages(GFP_KERNEL | __GFP_NORETRY, 0, 1, NULL);
	CHECK(page && page_to_nid(page) == 0);
	if (page)
		__free_page(page);
	page = alloc_pages(GFP_KERNEL, 3);
	CHECK(page && page_to_nid(page) == 0);
	if (page)
		__free_pages(page, 3);
	/* __GFP_MEMALLOC may ignore the mask: the walk from node 0's zonelist. */
	page = __alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0, 0, &mask1);
	CHECK(page && page_to_nid(page) == 0);
	if (page)
		__free_page(page);
	/* GFP_ATOMIC: node 1's reserves first, then the mask is dropped. */
	for (i = 0; i < 2048; i++) {
		page = __alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0, 1, &mask1);
		wrong += !page;
		if (!page)
			break;
		on0 += page_to_nid(page) == 0;
		held[nr_held] = page;
		held_order[nr_held++] = 0;
	}
	CHECK_EQ(wrong, 0);
	CHECK(on0 > 1024);
	release_all();
	/* Memory back on node 1: the mask gets it again. */
	CHECK_EQ(alloc_check_free(GFP_KERNEL, 0, 0, &mask1, 32), 0);
}

static void test_exhausted_mask(void)
{
	ktest_child_case(exhausted_mask, NULL);
}

/*
 * GFP_KERNEL (retries, then the OOM path) on an exhausted mask: NULL, an
 * OOM report of node 1 only, and vm.panic_on_oom=1 does not panic for a
 * mask that leaves out node 0 (the kernel's CONSTRAINT_MEMORY_POLICY).
 */
static void oom_in_mask(void *arg)
{
	nodemask_t mask1 = nodemask_of_node(1);
	const char *text, *oom;

	(void)arg;
	boot(BOOT2);
	CHECK_EQ(ukmem_sysctl("vm.panic_on_oom", "1"), 0);
	CHECK(exhaust(GFP_KERNEL | __GFP_NORETRY, 0, &mask1));
	CHECK(__alloc_pages(GFP_KERNEL, 0, 0, &mask1) == NULL);
	text = console_read();
	oom = strstr(text, "invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0");
	CHECK(oom != NULL);
	if (oom) {
		CHECK(strstr(oom, "Node 1 active_anon:") != NULL);
		CHECK(strstr(oom, "Node 0 active_anon:") == NULL);
		CHECK(strstr(oom, "Out of memory and no killable processes...") != NULL);
	}
	CHECK_STR_CONTAINS(text, "nodemask=1,cpuset=/");
	CHECK(node_free_pages(0) > 8192);
	release_all();
}

static void test_oom_in_mask(void)
{
	ktest_child_case(oom_in_mask, NULL);
}

/*
 * The OOM report's Mem-Info shows the zones the request could use, as the
 * kernel's dump_header() filters by gfp_zone(): a GFP_KERNEL OOM on the
 * i386 layout leaves HighMem out.
 */
static void oom_report_zones(void *arg)
{
	nodemask_t mask0 = nodemask_of_node(0);
	const char *oom, *end;

	(void)arg;
	boot("mem=1G highmem kfence.sample_interval=0 kswapd=off");
	CHECK(exhaust(GFP_KERNEL | __GFP_NORETRY, 0, &mask0));
	CHECK(alloc_page(GFP_KERNEL) == NULL);
	oom = strstr(console_read(), "invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)");
	end = oom ? strstr(oom, "Out of memory and no killable processes") : NULL;
	CHECK(oom && end);
	if (oom && end) {
		const char *normal = strstr(oom, "Node 0 Normal free:");
		const char *high = strstr(oom, "Node 0 HighMem free:");

		CHECK(normal && normal < end);
		CHECK(!high || high > end);
	}
	release_all();
}

static void test_oom_report_zones(void)
{
	ktest_child_case(oom_report_zones, NULL);
}

/* An empty mask, offline nodes only, or __GFP_THISNODE outside the mask: NULL. */
static void empty_mask(void *arg)
{
	nodemask_t none = NODE_MASK_NONE, offline = nodemask_of_node(5);
	nodemask_t mask1 = nodemask_of_node(1);
	struct page *page;

	(void)arg;
	boot(BOOT2);
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0, 0, &none) == NULL);
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_NOWARN, 3, 1, &none) == NULL);
	CHECK(__alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0, 0, &none) == NULL);
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0, 0, &none) == NULL);
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1, 0, &offline) == NULL);
	CHECK(__folio_alloc(GFP_KERNEL | __GFP_NOWARN, 2, 0, &offline) == NULL);
	CHECK(alloc_contig_pages(4, GFP_KERNEL | __GFP_NOWARN, 0, &none) == NULL);
	CHECK(strstr(console_read(), "page allocation failure") == NULL);
	/* __GFP_THISNODE: the preferred node, and only when it is in the mask. */
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0, 0, &mask1) == NULL);
	page = __alloc_pages(GFP_KERNEL | __GFP_THISNODE, 0, 1, &mask1);
	CHECK(page && page_to_nid(page) == 1);
	if (page)
		__free_page(page);
	/*
	 * No zone at all, mask or not: __GFP_THISNODE on node 1, which has no
	 * DMA zone.  The slow path once reclaimed for the missing preferred
	 * zone and crashed; the kernel fails it at the slow path's start.
	 */
	CHECK(__alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_THISNODE | __GFP_NOWARN, 0, 1, NULL) == NULL);
	CHECK(__alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_THISNODE | __GFP_NOWARN, 2, 1, &mask1) == NULL);
	/* Without __GFP_NOWARN: the kernel's report, with the empty mask. */
	CHECK(__alloc_pages(GFP_KERNEL, 0, 0, &none) == NULL);
	CHECK_STR_CONTAINS(console_read(), "page allocation failure: order:0, mode:0xcc0(GFP_KERNEL), "
			   "nodemask=,cpuset=/,mems_allowed=0-1\n");
}

static void test_empty_mask(void)
{
	ktest_child_case(empty_mask, NULL);
}

/*
 * One node, the per-CPU page stacks on where rseq works: a mask without
 * node 0 gets nothing, though this CPU's stack holds freed pages; a mask
 * with node 0 gets pages.
 */
static void single_node(void *arg)
{
	nodemask_t mask0 = nodemask_of_node(0), mask1 = nodemask_of_node(1);
	struct page *pages[8];
	int i;

	(void)arg;
	boot("mem=64M kfence.sample_interval=0 kswapd=off");
	CHECK_EQ(num_online_nodes(), 1);
	for (i = 0; i < 8; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	for (i = 0; i < 8; i++)
		if (pages[i])
			__free_page(pages[i]);	/* onto this CPU's stack */
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0, 0, &mask1) == NULL);
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0, 1, &mask1) == NULL);
	CHECK(__alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0, 0, &mask1) == NULL);
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_MOVABLE | __GFP_NOWARN, 0, 0, &mask1) == NULL);
	CHECK(__alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2, 0, &mask1) == NULL);
	CHECK_EQ(alloc_check_free(GFP_KERNEL, 0, 0, &mask0, 32), 0);
	CHECK_EQ(alloc_check_free(GFP_KERNEL | __GFP_MOVABLE, 0, 0, &mask0, 32), 0);
	CHECK_EQ(alloc_check_free(GFP_KERNEL, 3, 0, &mask0, 8), 0);
	CHECK_EQ(alloc_check_free(GFP_KERNEL, 0, 0, NULL, 32), 0);
}

static void test_single_node(void)
{
	ktest_child_case(single_node, NULL);
}

int main(void)
{
	KTEST_RUN(KTEST(test_mask_node1), KTEST(test_bulk_mask), KTEST(test_four_nodes),
		  KTEST(test_exhausted_mask), KTEST(test_oom_in_mask), KTEST(test_oom_report_zones),
		  KTEST(test_empty_mask), KTEST(test_single_node));
}
