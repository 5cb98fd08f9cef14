/* SPDX-License-Identifier: MIT */
/*
 * The kernel's node, zone and batch helpers on a machine of two nodes
 * (mem=256M numa=fake=2): a device's node (dev_to_node(), set_dev_node(),
 * device_initialize()) steering devm_kmalloc() and dma_alloc_coherent();
 * the node iterators and pfn ranges; si_meminfo_node();
 * zone_watermark_ok(); the vmstat names and all_vm_events(); the debug
 * predicates (page_poisoning_enabled() also in a page_poison=on child);
 * struct folio_batch, folios_put_refs(), free_pages_bulk() and
 * kvfree_atomic(), each checked against the page allocator's census.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/folio_batch.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/memblock.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/mmdebug.h>
#include <linux/nodemask.h>
#include <linux/pagevec.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <ukmem/boot.h>
#include <ukmem/iomem.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "ktest.h"

static int nid_of(const void *p)
{
	return page_to_nid(virt_to_page(p));
}

/* Pages the census counts as allocated (the per-CPU lists' pages are not). */
static unsigned long allocated_pages(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	return c.allocated;
}

static void test_device_node(void)
{
	struct device dev, zeroed;
	dma_addr_t handle;
	u64 mask = DMA_BIT_MASK(32);
	void *p, *big, *coherent;

	memset(&dev, 0xff, sizeof(dev));
	dev.init_name = "node1dev";
	device_initialize(&dev);
	dev.driver = NULL;
	dev.dma_mask = &mask;
	dev.coherent_dma_mask = DMA_BIT_MASK(32);
	dev.driver_data = NULL;
	CHECK_EQ(dev_to_node(&dev), NUMA_NO_NODE);
	set_dev_node(&dev, 1);
	CHECK_EQ(dev_to_node(&dev), 1);

	/* Managed memory and coherent DMA memory come from the device's node. */
	p = devm_kmalloc(&dev, 100, GFP_KERNEL);
	big = devm_kzalloc(&dev, 3 * PAGE_SIZE, GFP_KERNEL);
	coherent = dma_alloc_coherent(&dev, 2 * PAGE_SIZE, &handle, GFP_KERNEL);
	CHECK(p && big && coherent);
	if (p && big && coherent) {
		CHECK_EQ(nid_of(p), 1);
		CHECK_EQ(nid_of(big), 1);
		CHECK_EQ(nid_of(coherent), 1);
	}
	p = devm_krealloc(&dev, p, 2000, GFP_KERNEL);
	CHECK(p != NULL);
	if (p)
		CHECK_EQ(nid_of(p), 1);
	if (coherent)
		dma_free_coherent(&dev, 2 * PAGE_SIZE, coherent, handle);
	CHECK_EQ(devres_release_all(&dev), 2);

	/* A zeroed device says node 0. */
	memset(&zeroed, 0, sizeof(zeroed));
	CHECK_EQ(dev_to_node(&zeroed), 0);
	p = devm_kmalloc(&zeroed, 64, GFP_KERNEL);
	CHECK(p != NULL);
	if (p)
		CHECK_EQ(nid_of(p), 0);
	CHECK_EQ(devres_release_all(&zeroed), 1);
}

static void test_nodes_and_pfns(void)
{
	struct pglist_data *pgdat;
	unsigned long present = 0;
	struct zone *zone;
	int n = 0;

	CHECK_EQ(first_online_node, 0);
	CHECK_EQ(first_memory_node, 0);
	for_each_online_pgdat(pgdat) {
		CHECK_EQ(pgdat->node_id, n);
		CHECK_EQ(node_start_pfn(n), pgdat->node_start_pfn);
		CHECK_EQ(node_end_pfn(n), pgdat_end_pfn(pgdat));
		CHECK(node_spanned_pages(n) >= node_present_pages(n));
		present += node_present_pages(n);
		n++;
	}
	CHECK_EQ(n, 2);
	CHECK_EQ(node_end_pfn(0), node_start_pfn(1));
	CHECK_EQ(node_end_pfn(1), max_pfn);
	CHECK_EQ(present, node_present_pages(0) + node_present_pages(1));
	CHECK_EQ(pfn_to_nid(node_start_pfn(1)), 1);
	CHECK_EQ(pfn_to_nid(node_end_pfn(0) - 1), 0);
	/* The last frame holds mem_map itself: its struct page was never set up. */
	CHECK_EQ(pfn_to_nid(node_end_pfn(1) - 1), 1);
	CHECK_EQ(pfn_to_nid(max_pfn + 10), 0);
	for_each_populated_zone(zone)
		CHECK_EQ(zone_to_nid(zone), zone->zone_pgdat->node_id);
}

static void test_si_meminfo_node(void)
{
	struct sysinfo all, node[2];
	unsigned long managed;
	struct zone *zone;
	int nid;

	si_meminfo(&all);
	for (nid = 0; nid < 2; nid++) {
		memset(&node[nid], 0x5a, sizeof(node[nid]));
		si_meminfo_node(&node[nid], nid);
		managed = 0;
		for_each_zone(zone)
			if (zone_to_nid(zone) == nid)
				managed += zone_managed_pages(zone);
		CHECK_EQ(node[nid].totalram, managed);
		CHECK_EQ(node[nid].freeram, sum_zone_node_page_state(nid, NR_FREE_PAGES));
		CHECK(node[nid].freeram > 0);
		CHECK_EQ(node[nid].totalhigh, 0UL);
		CHECK_EQ(node[nid].sharedram, 0UL);
		CHECK_EQ(node[nid].mem_unit, (unsigned int)PAGE_SIZE);
	}
	CHECK_EQ(node[0].totalram + node[1].totalram, all.totalram);
}

static void test_watermark_ok(void)
{
	struct zone *zone = &NODE_DATA(1)->node_zones[ZONE_DMA32];

	CHECK(populated_zone(zone));
	CHECK(zone_watermark_ok(zone, 0, low_wmark_pages(zone), ZONE_DMA32, 0));
	CHECK(zone_watermark_ok(zone, 3, high_wmark_pages(zone), ZONE_DMA32, 0));
	/* Above everything the zone has: no. */
	CHECK(!zone_watermark_ok(zone, 0, zone_managed_pages(zone) + 1, ZONE_DMA32, 0));
}

static void test_vmstat_names(void)
{
	unsigned long before[NR_VM_EVENT_ITEMS], after[NR_VM_EVENT_ITEMS];

	CHECK_STR_EQ(zone_stat_name(NR_FREE_PAGES), "nr_free_pages");
	CHECK_STR_EQ(zone_stat_name(NR_MLOCK), "nr_mlock");
	CHECK_STR_EQ(node_stat_name(NR_SLAB_RECLAIMABLE_B), "nr_slab_reclaimable");
	CHECK_STR_EQ(node_stat_name(NR_VMALLOC), "nr_vmalloc");
	CHECK_STR_EQ(vm_event_name(DROP_SLAB), "drop_slab");
	CHECK_STR_EQ(vm_event_name(PGSCAN_DIRECT), "pgscan_direct");
	CHECK(zone_stat_name(NR_VM_ZONE_STAT_ITEMS) == NULL);
	CHECK(vm_event_name(NR_VM_EVENT_ITEMS) == NULL);
	all_vm_events(before);
	count_vm_events(OOM_KILL, 3);
	all_vm_events(after);
	CHECK_EQ(after[OOM_KILL], before[OOM_KILL] + 3);
	CHECK_EQ(after[DROP_SLAB], before[DROP_SLAB]);
	/* Undo, for the counters' other readers. */
	count_vm_events(OOM_KILL, -3);
}

static void test_debug_predicates(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	CHECK(!page_poisoning_enabled());
	CHECK(!page_poisoning_enabled_static());
	CHECK(!debug_pagealloc_enabled());
	CHECK(!debug_pagealloc_enabled_static());
	CHECK(gfp_has_flags(GFP_KERNEL, __GFP_IO | __GFP_FS));
	CHECK(!gfp_has_flags(GFP_NOFS, __GFP_IO | __GFP_FS));
	CHECK_EQ(MB_TO_PAGES(2UL), 512UL);
	CHECK_EQ(PAGES_TO_MB(768UL), 3UL);
	CHECK_EQ(INVALID_PHYS_ADDR, ~(phys_addr_t)0);
	/* Without UKMEM_DEBUG the conditions are not even evaluated. */
	VM_WARN_ON_ONCE_PAGE(page_ref_count(page) != 1, page);
	VM_BUG_ON_PAGE(!page, page);
	CHECK(!is_zero_folio(page_folio(page)));
	CHECK(is_zero_folio(page_folio(ZERO_PAGE(0))));
	__free_page(page);
	/* The zero page left the allocator's books (it was counted twice). */
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

/* An allocated page marked reserved leaves the managed pages; freeing it brings it back. */
static void test_mark_page_reserved(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long managed = totalram_pages(), zone_managed;

	CHECK(page != NULL);
	if (!page)
		return;
	zone_managed = zone_managed_pages(page_zone(page));
	mark_page_reserved(page);
	CHECK(PageReserved(page));
	CHECK_EQ(totalram_pages(), managed - 1);
	CHECK_EQ(zone_managed_pages(page_zone(page)), zone_managed - 1);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
	free_reserved_page(page);
	CHECK(!PageReserved(page));
	CHECK_EQ(totalram_pages(), managed);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

static void test_folio_batch(void)
{
	struct folio_batch fbatch;
	struct page *pages[FOLIO_BATCH_SIZE];
	unsigned long before;
	unsigned int refs[4] = { 1, 2, 1, 2 };
	int i, in_order = 1;

	CHECK_EQ(PAGEVEC_SIZE, 31);
	drain_all_pages(NULL);
	before = allocated_pages();
	folio_batch_init(&fbatch);
	for (i = 0; i < FOLIO_BATCH_SIZE; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		CHECK(pages[i] != NULL);
		if (!pages[i])
			return;
		CHECK_EQ(folio_batch_add(&fbatch, page_folio(pages[i])),
			 (unsigned int)(FOLIO_BATCH_SIZE - 1 - i));
	}
	CHECK_EQ(folio_batch_count(&fbatch), (unsigned int)FOLIO_BATCH_SIZE);
	CHECK_EQ(folio_batch_space(&fbatch), 0U);
	for (i = 0; i < FOLIO_BATCH_SIZE; i++)
		in_order &= folio_batch_next(&fbatch) == page_folio(pages[i]);
	CHECK(in_order);
	CHECK(folio_batch_next(&fbatch) == NULL);
	/* Ten of them have a second holder: they stay. */
	for (i = 0; i < 10; i++)
		get_page(pages[i]);
	CHECK_EQ(allocated_pages(), before + FOLIO_BATCH_SIZE);
	folio_batch_release(&fbatch);
	CHECK_EQ(folio_batch_count(&fbatch), 0U);
	drain_all_pages(NULL);
	CHECK_EQ(allocated_pages(), before + 10);
	for (i = 0; i < 10; i++)
		CHECK_EQ(page_ref_count(pages[i]), 1);

	/* folios_put_refs(): the i-th folio loses refs[i] references. */
	folio_batch_init(&fbatch);
	for (i = 0; i < 4; i++) {
		if (refs[i] == 2)
			get_page(pages[i]);
		folio_batch_add(&fbatch, page_folio(pages[i]));
	}
	folios_put_refs(&fbatch, refs);
	CHECK_EQ(folio_batch_count(&fbatch), 0U);
	drain_all_pages(NULL);
	CHECK_EQ(allocated_pages(), before + 6);
	for (i = 4; i < 10; i++)
		__free_page(pages[i]);
	drain_all_pages(NULL);
	CHECK_EQ(allocated_pages(), before);
}

static void test_bulk_and_copies(void)
{
	struct page *pages[16] = { NULL };
	struct page *src, *dst;
	unsigned long before, got, nr_vmalloc;
	void *v, *k;

	drain_all_pages(NULL);
	before = allocated_pages();
	got = alloc_pages_bulk(GFP_KERNEL, 16, pages);
	CHECK_EQ(got, 16UL);
	get_page(pages[3]);
	free_pages_bulk(pages, got);
	drain_all_pages(NULL);
	CHECK_EQ(allocated_pages(), before + 1);
	CHECK_EQ(page_ref_count(pages[3]), 1);
	__free_page(pages[3]);

	/* folio_copy(), memcpy_folio(), clear_pages(). */
	src = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	dst = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	CHECK(src && dst);
	if (src && dst) {
		memset(page_address(src), 0x3c, 2 * PAGE_SIZE);
		memset(page_address(dst), 0, 2 * PAGE_SIZE);
		folio_copy(page_folio(dst), page_folio(src));
		CHECK_EQ(memcmp(page_address(dst), page_address(src), 2 * PAGE_SIZE), 0);
		CHECK_EQ(folio_mc_copy(page_folio(dst), page_folio(src)), 0);
		clear_pages(page_address(dst), 2);
		CHECK_EQ(((unsigned char *)page_address(dst))[2 * PAGE_SIZE - 1], 0);
		memcpy_folio(page_folio(dst), PAGE_SIZE - 10, page_folio(src), 5, 20);
		CHECK_EQ(((unsigned char *)page_address(dst))[PAGE_SIZE - 11], 0);
		CHECK_EQ(((unsigned char *)page_address(dst))[PAGE_SIZE - 10], 0x3c);
		CHECK_EQ(((unsigned char *)page_address(dst))[PAGE_SIZE + 9], 0x3c);
		CHECK_EQ(((unsigned char *)page_address(dst))[PAGE_SIZE + 10], 0);
		get_page(src);
		folio_release_kmap(page_folio(src), kmap_local_folio(page_folio(src), 0));
		CHECK_EQ(page_ref_count(src), 1);
	}
	if (src)
		__free_pages(src, 1);
	if (dst)
		__free_pages(dst, 1);

	/* kvfree_atomic(): vmalloc memory goes back at the next vmalloc call. */
	nr_vmalloc = global_node_page_state(NR_VMALLOC);
	v = vmalloc(8 * PAGE_SIZE);
	k = kmalloc(64, GFP_KERNEL);
	CHECK(v && k);
	CHECK_EQ(global_node_page_state(NR_VMALLOC), nr_vmalloc + 8);
	kvfree_atomic(v);
	kvfree_atomic(k);
	vfree(vmalloc(PAGE_SIZE));	/* the deferred free is done here */
	CHECK_EQ(global_node_page_state(NR_VMALLOC), nr_vmalloc);
}

/* The log so far (the "dmesg" report), for a line's check. */
static bool log_has(const char *line)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	bool found;

	if (!f)
		return false;
	ukmem_show("dmesg", f);
	fclose(f);
	found = text && strstr(text, line);
	free(text);
	return found;
}

static void test_hash_and_refs(void)
{
	unsigned int shift = 0, mask = 0;
	unsigned long want, *table;
	char line[160];
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	size_t i, nonzero = 0;

	/* Sized to memory: one 8-byte bucket per 2^17 bytes of low memory. */
	want = roundup_pow_of_two(round_up(totalram_pages() - totalhigh_pages(), 256UL) >> 5);
	table = alloc_large_system_hash("test_hash", 8, 0, 17, HASH_ZERO, &shift, &mask, 0, 0);
	CHECK(table != NULL);
	CHECK_EQ(1UL << shift, want);
	CHECK_EQ((unsigned long)mask, want - 1);
	for (i = 0; i < want; i++)
		nonzero += table[i] != 0;
	CHECK_EQ(nonzero, 0UL);
	/* Two nodes: spread by vmalloc, as the kernel's hashdist does. */
	CHECK_EQ(hashdist, 1);
	CHECK(is_vmalloc_addr(table));
	snprintf(line, sizeof(line), "test_hash hash table entries: %lu (order: %d, %lu bytes, vmalloc)",
		 want, get_order(want * 8), want * 8);
	CHECK(log_has(line));
	vfree(table);
	/* The limits win over the count asked for. */
	table = alloc_large_system_hash("test_small", 16, 100, 0, 0, &shift, NULL, 1UL << 9, 0);
	CHECK_EQ(shift, 9U);
	vfree(table);
	table = alloc_large_system_hash("test_capped", 16, 1UL << 20, 0, 0, &shift, &mask, 0, 4096);
	CHECK_EQ(shift, 12U);
	CHECK_EQ(mask, 4095U);
	vfree(table);
	/* hashdist=0 on the command line (or cleared here): linear memory, as one node has. */
	hashdist = 0;
	table = alloc_large_system_hash("test_linear", 8, 64, 0, HASH_ZERO, &shift, NULL, 0, 0);
	CHECK(table != NULL && !is_vmalloc_addr(table));
	CHECK(log_has("test_linear hash table entries: 64 (order: 0, 512 bytes, linear)"));
	free_pages_exact(table, 512);
	hashdist = 1;

	CHECK(page != NULL);
	if (!page)
		return;
	CHECK_EQ(folio_large_nr_pages(page_folio(page)), 4UL);
	CHECK(page_ref_add_unless_zero(page, 2));
	CHECK_EQ(page_ref_count(page), 3);
	CHECK(folio_ref_try_add(page_folio(page), 1));
	folio_put_refs(page_folio(page), 3);
	CHECK_EQ(page_ref_count(page), 1);
	CHECK(page_ref_freeze(page, 1));
	CHECK(!page_ref_add_unless_zero(page, 1));
	CHECK(!folio_ref_add_unless_zero(page_folio(page), 1));
	page_ref_unfreeze(page, 1);
	__free_pages(page, 2);
	CHECK_EQ(DEF_PRIORITY, 12);
}

static void *pool_alloc(gfp_t gfp, void *data)
{
	(*(int *)data)++;
	return kmalloc(32, gfp);
}

static void pool_free(void *element, void *data)
{
	(void)data;
	kfree(element);
}

/* mempool_alloc_noreserve(): the pool's allocator, never the reserve. */
static void test_mempool_noreserve(void)
{
	int calls = 0;
	mempool_t *pool = mempool_create(4, pool_alloc, pool_free, &calls);
	void *p;

	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK_EQ(calls, 4);		/* the reserve */
	p = mempool_alloc_noreserve(pool, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(calls, 5);
	CHECK_EQ(pool->curr_nr, 4);	/* the reserve untouched */
	mempool_free(p, pool);
	mempool_destroy(pool);
}

/*
 * __GFP_THISNODE reaches the slab's pages (new_slab() keeps the gfp's
 * GFP_CONSTRAINT_MASK): once node 0 has no page left, a slab object
 * asked for on node 0 with it is NULL, not node 1's memory (every
 * kmalloc_node() call came from node 1 before).  In a child: it takes
 * every page of node 0.
 */
static void thisnode_exhausted_child(void *arg)
{
	/* No reclaim: each failure would scan and wait (a minute for 2000). */
	gfp_t gfp = GFP_NOWAIT | __GFP_THISNODE | __GFP_NOWARN;
	struct kmem_cache *c = kmem_cache_create("thisnode_test", 256, 0, 0, NULL);
	unsigned int wrong = 0, got = 0;
	LIST_HEAD(taken);
	struct page *page;

	(void)arg;
	CHECK(c != NULL);
	while ((page = alloc_pages_node(0, gfp, 0)))
		list_add(&page->lru, &taken);
	for (int i = 0; i < 500; i++) {
		void *o = kmem_cache_alloc_node(c, gfp, 0), *k = kmalloc_node(200, gfp, 0);

		got += !!o + !!k;
		wrong += (o && page_to_nid(virt_to_page(o)) != 0) +
			 (k && page_to_nid(virt_to_page(k)) != 0);
		ktest_progress();
	}
	CHECK_EQ(wrong, 0);
	/* Without the node constraint node 1 serves. */
	page = alloc_pages_node(0, GFP_KERNEL | __GFP_NOWARN, 0);
	CHECK(page != NULL && page_to_nid(page) == 1);
	printf("node 0 full: %u objects of node 0 still served, %u from another node\n", got, wrong);
}

/*
 * A node that is not online (numa=fake=2 makes nodes 0 and 1): with
 * __GFP_THISNODE nothing, as the kernel's empty no-fallback zonelist of
 * such a node gives, and with __GFP_NOWARN too the kernel's
 * warn_if_node_offline() line; without it the allocation falls back.
 * Node 3's THISNODE requests were served from node 0.
 */
static void test_offline_node(void)
{
	struct page *p;

	ukmem_dmesg_clear();
	CHECK(alloc_pages_node(3, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0) == NULL);
	CHECK(log_has("GFP_KERNEL|__GFP_NOWARN|__GFP_THISNODE allocation from offline node 3\n"));
	CHECK(__alloc_pages_node(3, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 1) == NULL);
	ukmem_dmesg_clear();
	CHECK(alloc_pages_node(3, GFP_KERNEL | __GFP_THISNODE, 0) == NULL);
	CHECK(log_has("page allocation failure: order:0, mode:0x200cc0(GFP_KERNEL|__GFP_THISNODE)"));
	p = alloc_pages_node(3, GFP_KERNEL, 0);
	CHECK(p != NULL && page_to_nid(p) == 0);
	if (p)
		__free_page(p);
}

static void test_thisnode_exhausted(void)
{
	int status = ktest_child(thisnode_exhausted_child, NULL);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

struct ram_walk {
	int calls;
	unsigned long first_pfn, pages;
	int stop_with;
};

static int ram_walk_fn(unsigned long pfn, unsigned long nr_pages, void *arg)
{
	struct ram_walk *w = arg;

	if (!w->calls++)
		w->first_pfn = pfn;
	w->pages += nr_pages;
	return w->stop_with;
}

/* walk_system_ram_range() and region_intersects() against RAM and a device region. */
static void test_resources(void)
{
	struct ram_walk w = { 0 };
	phys_addr_t ram_end = (phys_addr_t)max_pfn << PAGE_SHIFT, dev = 1ULL << 30;
	int fd = memfd_create("test_node_api_dev", 0);

	/* RAM is one run, although the node boundary splits memblock's regions. */
	CHECK_EQ(walk_system_ram_range(0, max_pfn, &w, ram_walk_fn), 0);
	CHECK_EQ(w.calls, 1);
	CHECK_EQ(w.first_pfn, 0UL);
	CHECK_EQ(w.pages, max_pfn);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(walk_system_ram_range(max_pfn / 2 - 3, 6, &w, ram_walk_fn), 0);
	CHECK_EQ(w.first_pfn, max_pfn / 2 - 3);
	CHECK_EQ(w.pages, 6UL);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(walk_system_ram_range(max_pfn, 100, &w, ram_walk_fn), -EINVAL);
	CHECK_EQ(w.calls, 0);
	w.stop_with = 7;
	CHECK_EQ(walk_system_ram_range(0, max_pfn, &w, ram_walk_fn), 7);

	CHECK_EQ(region_intersects(0, PAGE_SIZE, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE),
		 REGION_INTERSECTS);
	CHECK_EQ(region_intersects(ram_end, PAGE_SIZE, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE),
		 REGION_DISJOINT);
	/* A hole does not make it mixed. */
	CHECK_EQ(region_intersects(ram_end - PAGE_SIZE, 2 * PAGE_SIZE, IORESOURCE_SYSTEM_RAM,
				   IORES_DESC_NONE), REGION_INTERSECTS);
	CHECK_EQ(region_intersects(0, PAGE_SIZE, IORESOURCE_SYSTEM_RAM,
				   IORES_DESC_PERSISTENT_MEMORY), REGION_DISJOINT);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(ftruncate(fd, 2 * PAGE_SIZE), 0);
	CHECK_EQ(ukmem_register_device_region(dev, 2 * PAGE_SIZE, fd, 0, "testdev"), 0);
	CHECK_EQ(region_intersects(dev, PAGE_SIZE, IORESOURCE_MEM, IORES_DESC_NONE),
		 REGION_INTERSECTS);
	CHECK_EQ(region_intersects(dev, PAGE_SIZE, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE),
		 REGION_DISJOINT);
	/* RAM's last page through the device: mixed for RAM, one kind for any memory. */
	CHECK_EQ(region_intersects(ram_end - PAGE_SIZE, dev - ram_end + 2 * PAGE_SIZE,
				   IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE), REGION_MIXED);
	CHECK_EQ(region_intersects(ram_end - PAGE_SIZE, dev - ram_end + 2 * PAGE_SIZE,
				   IORESOURCE_MEM, IORES_DESC_NONE), REGION_INTERSECTS);
	CHECK_EQ(ukmem_unregister_device_region(dev), 0);
	CHECK_EQ(region_intersects(dev, PAGE_SIZE, IORESOURCE_MEM, IORES_DESC_NONE),
		 REGION_DISJOINT);
	close(fd);
}

int main(int argc, char **argv)
{
	FILE *quiet = fopen("/dev/null", "w");
	pid_t pid;
	int status = 0;

	(void)argc;
	(void)argv;
	ukmem_set_console(getenv("TEST_VERBOSE") ? stderr : quiet);
	/* page_poison=on first, in a child: a booted process cannot boot again. */
	pid = fork();
	if (pid == 0)
		_exit(ukmem_boot("mem=64M page_poison=on") == 0 && page_poisoning_enabled() ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	if (ukmem_boot("mem=256M numa=fake=2 kfence.sample_interval=0 kswapd=off")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_device_node), KTEST(test_nodes_and_pfns), KTEST(test_si_meminfo_node),
		  KTEST(test_watermark_ok), KTEST(test_vmstat_names), KTEST(test_debug_predicates), KTEST(test_mark_page_reserved),
		  KTEST(test_folio_batch), KTEST(test_bulk_and_copies), KTEST(test_hash_and_refs),
		  KTEST(test_mempool_noreserve), KTEST(test_resources), KTEST(test_thisnode_exhausted),
		  KTEST(test_offline_node));
}
