/* SPDX-License-Identifier: MIT */
/*
 * mm/mm_init.c - setting up nodes, zones and mem_map, handing boot memory
 * to the buddy allocator, watermarks (mm/mm_init.c, mm/page_alloc.c of 6.x:
 * free_area_init, build_all_zonelists, memblock_free_pages, mem_init,
 * __setup_per_zone_wmarks, init_per_zone_wmark_min,
 * setup_per_zone_lowmem_reserve, calculate_totalreserve_pages).
 *
 * Deferred struct page initialisation: like CONFIG_DEFERRED_STRUCT_PAGE_INIT,
 * whole max-order blocks of free memory are not initialised at boot.  The
 * kernel finishes them in boot threads; ukmem finishes each block on demand,
 * when the allocator first needs it (deferred_take_block_locked), so a
 * process that uses 10 MiB of a 24 GiB machine touches neither the memory
 * nor the struct pages of the rest.  Such blocks count as free
 * MIGRATE_MOVABLE blocks of MAX_PAGE_ORDER in every statistic.
 */
#include <string.h>

#include <linux/bitmap.h>
#include <linux/nodemask.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/log2.h>
#include <linux/kmemleak.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "arch/host.h"
#include "kernel/locking.h"
#include "mm/internal.h"

struct pglist_data *node_data[MAX_NUMNODES];
int nr_online_nodes = 1;
/* The kernel's node states; N_CPU is filled by kernel/smp.c as it deals the CPUs. */
nodemask_t node_states[NR_NODE_STATES] = {
	[N_POSSIBLE] = { { 1UL } },
	[N_ONLINE] = { { 1UL } },
	[N_NORMAL_MEMORY] = { { 1UL } },
	[N_MEMORY] = { { 1UL } },
	[N_CPU] = { { 1UL } },
};
unsigned long max_low_pfn, max_pfn, min_low_pfn;
struct page *mem_map;
unsigned long ukmem_ram_pfns;
atomic_long_t _totalram_pages;
unsigned long totalreserve_pages;
unsigned long totalhigh_pages_count;
void *high_memory;
unsigned long ukmem_physpages;
unsigned long ukmem_reserved_pages_at_boot;

int min_free_kbytes = 1024;
int user_min_free_kbytes = -1;
int watermark_scale_factor = 10;
/* mm/page_alloc.c: DMA 256, DMA32 256, Normal 32, HighMem 0, Movable 0. */
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = { 256, 256, 32, 0, 0 };
bool ukmem_has_zone[MAX_NR_ZONES];
struct zone *ukmem_zone_table[1 << (NODES_SHIFT + ZONES_SHIFT)];

/* One bit per max-order block: set while the block is in the deferred pool. */
unsigned long *deferred_map;		/* mm/internal.h */

const char * const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable",
};

const char * const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

bool zone_type_configured(enum zone_type type)
{
	ukmem_ensure_booted();
	return ukmem_has_zone[type];
}

struct zone *ukmem_first_zone(void)
{
	ukmem_ensure_booted();	/* the nodes are the boot's */
	return NODE_DATA(0) ? NODE_DATA(0)->node_zones : NULL;
}

struct zone *ukmem_next_zone(struct zone *zone)
{
	pg_data_t *pgdat = zone->zone_pgdat;

	if (zone < pgdat->node_zones + MAX_NR_ZONES - 1)
		return zone + 1;
	if (pgdat->node_id + 1 < nr_online_nodes)
		return NODE_DATA(pgdat->node_id + 1)->node_zones;
	return NULL;
}

/* ---- NUMA: fake nodes, whole max-order blocks each ---- */

/*
 * numa=fake=<size> and NU lay nodes of numa_fake_node_bytes from address
 * 0 up, as mm/numa_emulation.c split_nodes_size_interleave_uniform()
 * does on one physical node with no holes: a node that would leave less
 * than 32 MiB of ZONE_DMA32 after it extends to 4 GiB; in the <size>
 * form, one that would leave less than a node's size extends to the end
 * of RAM; in the NU form the last node is what is left.  The size is a
 * multiple of 32 MiB, so every node is whole max-order blocks.
 */
phys_addr_t numa_fake_node_end(phys_addr_t start, phys_addr_t ram)
{
	phys_addr_t size = boot_config.numa_fake_node_bytes;
	phys_addr_t dma32_end = 4ULL << 30, end = start + size;

	if (end < dma32_end && min(ram, dma32_end) - min(end, ram) < FAKE_NODE_MIN_SIZE)
		end = dma32_end;
	if (!boot_config.numa_fake_uniform && ram - min(end, ram) < size)
		end = ram;
	return min(end, ram);
}

/* numa=fake=<size> or NU: the nodes numa_fake_node_end() lays out. */
static void numa_fake_sized(int nodes)
{
	phys_addr_t start = 0, end;
	int nid;

	for (nid = 0; nid < nodes; nid++, start = end) {
		end = nid == nodes - 1 ? ukmem_ram_size : numa_fake_node_end(start, ukmem_ram_size);
		memblock_set_node(start, end - start, &memblock.memory, nid);
		pr_info("Faking node %d at [mem %#018llx-%#018llx] (%lluMB)\n", nid,
			(unsigned long long)start, (unsigned long long)end - 1,
			(unsigned long long)((end - start) >> 20));
	}
}

/*
 * numa=N and numa=fake=N: N nodes of equal size in max-order blocks, the
 * last one taking the rest (the kernel's split_nodes_interleave() makes
 * some nodes 32 MiB larger than the others instead).
 */
static void numa_fake_counted(int nodes)
{
	phys_addr_t block = (phys_addr_t)PAGE_SIZE << MAX_PAGE_ORDER;
	phys_addr_t per_node = ALIGN_DOWN(ukmem_ram_size / nodes, block);
	int nid;

	for (nid = 0; nid < nodes; nid++) {
		phys_addr_t start = per_node * nid;
		phys_addr_t end = nid == nodes - 1 ? ukmem_ram_size : start + per_node;

		memblock_set_node(start, end - start, &memblock.memory, nid);
		if (nodes > 1)
			pr_info("Faking node %d at [mem %#018llx-%#018llx] (%lluMB)\n", nid,
				(unsigned long long)start, (unsigned long long)end - 1,
				(unsigned long long)((end - start) >> 20));
	}
}

void numa_init(void)
{
	phys_addr_t block = (phys_addr_t)PAGE_SIZE << MAX_PAGE_ORDER;
	int nodes = boot_config.numa_nodes, nid;

	if ((phys_addr_t)nodes * block > ukmem_ram_size) {
		pr_warn("numa: %d nodes do not fit in %lluMB; using %llu\n", nodes,
			(unsigned long long)(ukmem_ram_size >> 20),
			(unsigned long long)(ukmem_ram_size / block));
		nodes = (int)(ukmem_ram_size / block);
		boot_config.numa_nodes = nodes;
		smp_deal_cpus_to_nodes(nodes);
	}
	if (boot_config.numa_fake_node_bytes && nodes > 1)
		numa_fake_sized(nodes);
	else
		numa_fake_counted(nodes);
	/* Every node is possible, online and has memory. */
	for (nid = 0; nid < nodes; nid++) {
		node_set(nid, node_states[N_POSSIBLE]);
		node_set(nid, node_states[N_ONLINE]);
		node_set(nid, node_states[N_NORMAL_MEMORY]);
		node_set(nid, node_states[N_MEMORY]);
	}
	/* Read before the boot by a first allocation on another thread (alloc_pages). */
	WRITE_ONCE(nr_online_nodes, nodes);
}

/* ---- zone layout ---- */

static void zone_limits(unsigned long max_zone_pfn[MAX_NR_ZONES])
{
	unsigned long dma = min(PHYS_PFN(16UL << 20), max_pfn);

	memset(max_zone_pfn, 0, sizeof(unsigned long) * MAX_NR_ZONES);
	if (boot_config.layout_32bit) {
		/* i386: DMA below 16 MiB, Normal to ~896 MiB, HighMem above. */
		unsigned long lowmem = min(PHYS_PFN(896UL << 20), max_pfn);

		max_zone_pfn[ZONE_DMA] = dma;
		max_zone_pfn[ZONE_DMA32] = dma;
		max_zone_pfn[ZONE_NORMAL] = lowmem;
		max_zone_pfn[ZONE_HIGHMEM] = max_pfn;
		max_low_pfn = lowmem;
	} else {
		max_zone_pfn[ZONE_DMA] = dma;
		max_zone_pfn[ZONE_DMA32] = min(PHYS_PFN(4UL << 30), max_pfn);
		max_zone_pfn[ZONE_NORMAL] = max_pfn;
		max_zone_pfn[ZONE_HIGHMEM] = max_pfn;
		max_low_pfn = max_pfn;
	}
	max_zone_pfn[ZONE_MOVABLE] = max_pfn;
	ukmem_has_zone[ZONE_DMA] = true;
	ukmem_has_zone[ZONE_DMA32] = !boot_config.layout_32bit;
	ukmem_has_zone[ZONE_NORMAL] = true;
	ukmem_has_zone[ZONE_HIGHMEM] = boot_config.layout_32bit;
	ukmem_has_zone[ZONE_MOVABLE] = true;
}

static unsigned long absent_pages_in_range(unsigned long start, unsigned long end)
{
	unsigned long spfn, epfn, present = 0;
	int i;

	for_each_mem_pfn_range(i, NUMA_NO_NODE, &spfn, &epfn, NULL) {
		spfn = clamp(spfn, start, end);
		epfn = clamp(epfn, start, end);
		present += epfn - spfn;
	}
	return (end - start) - present;
}

/*
 * ZONE_MOVABLE (kernelcore= / movablecore=): where it starts on each node
 * (0: none there), and the zone it takes its pages from - the highest
 * populated zone (the kernel's movable_zone).
 */
static unsigned long zone_movable_pfn[MAX_NUMNODES];
static int movable_zone;

/*
 * The kernel's find_zone_movable_pfns_for_nodes(): the memory asked for
 * the kernel (kernelcore=, or all but movablecore=) is spread evenly over
 * the nodes, from each node's lowest memory up; the rest of each node's
 * movable_zone is ZONE_MOVABLE, from a max-order-aligned pfn.  Memory in
 * the zones below movable_zone counts as the kernel's.  A node without
 * enough memory for its share leaves the rest to the others.
 */
static void find_zone_movable_pfns(const unsigned long max_zone_pfn[MAX_NR_ZONES])
{
	unsigned long lowest[MAX_NR_ZONES], start = 0, totalpages = 0, spfn, epfn;
	unsigned long required_kernelcore = boot_config.kernelcore_pages;
	unsigned long required_movablecore = boot_config.movablecore_pages;
	unsigned long kernelcore_node, remaining, usable_startpfn;
	int usable_nodes = nr_online_nodes, i, nid, z;

	memset(zone_movable_pfn, 0, sizeof(zone_movable_pfn));
	for (z = 0; z < MAX_NR_ZONES; z++) {
		lowest[z] = start;
		if (ukmem_has_zone[z] && z != ZONE_MOVABLE)
			start = max(start, max_zone_pfn[z]);
	}
	for (movable_zone = ZONE_MOVABLE - 1; movable_zone > 0; movable_zone--)
		if (ukmem_has_zone[movable_zone] && max_zone_pfn[movable_zone] > lowest[movable_zone])
			break;
	if (boot_config.kernelcore_mirror) {
		pr_warn("The system has no mirror memory, ignore kernelcore=mirror.\n");
		return;
	}
	/*
	 * The i386 layout's movable_zone would be HighMem, and its Movable
	 * zone highmem too (is_highmem_idx()); ukmem keeps ZONE_MOVABLE out
	 * of highmem, so that layout has none.
	 */
	if (movable_zone == ZONE_HIGHMEM) {
		if (boot_config.kernelcore_pages || boot_config.kernelcore_percent ||
		    boot_config.movablecore_pages || boot_config.movablecore_percent)
			pr_warn("kernelcore=/movablecore=: no Movable zone in the highmem layout (ukmem)\n");
		return;
	}
	for_each_mem_pfn_range(i, NUMA_NO_NODE, &spfn, &epfn, NULL)
		totalpages += epfn - spfn;
	if (boot_config.kernelcore_percent)
		required_kernelcore = totalpages * 100 * boot_config.kernelcore_percent / 10000;
	if (boot_config.movablecore_percent)
		required_movablecore = totalpages * 100 * boot_config.movablecore_percent / 10000;
	if (required_movablecore) {
		required_movablecore = min(roundup(required_movablecore, MAX_ORDER_NR_PAGES),
					   totalpages);
		required_kernelcore = max(required_kernelcore, totalpages - required_movablecore);
	}
	if (!required_kernelcore || required_kernelcore >= totalpages)
		return;
	usable_startpfn = lowest[movable_zone];
restart:
	kernelcore_node = required_kernelcore / usable_nodes;
	for (nid = 0; nid < nr_online_nodes; nid++) {
		if (required_kernelcore < kernelcore_node)
			kernelcore_node = required_kernelcore / usable_nodes;
		remaining = kernelcore_node;
		for_each_mem_pfn_range(i, nid, &spfn, &epfn, NULL) {
			unsigned long size;

			spfn = max(spfn, zone_movable_pfn[nid]);
			if (spfn >= epfn)
				continue;
			if (spfn < usable_startpfn) {
				unsigned long kernel_pages = min(epfn, usable_startpfn) - spfn;

				remaining -= min(kernel_pages, remaining);
				required_kernelcore -= min(kernel_pages, required_kernelcore);
				if (epfn <= usable_startpfn) {
					zone_movable_pfn[nid] = epfn;
					continue;
				}
				spfn = usable_startpfn;
			}
			size = min(epfn - spfn, remaining);
			zone_movable_pfn[nid] = spfn + size;
			required_kernelcore -= min(required_kernelcore, size);
			remaining -= size;
			if (!remaining)
				break;
		}
	}
	/* A node that ran out passes the rest of the kernel's share to the others. */
	usable_nodes--;
	if (usable_nodes && required_kernelcore > (unsigned long)usable_nodes)
		goto restart;
	for (nid = 0; nid < nr_online_nodes; nid++) {
		unsigned long nend = 0;

		zone_movable_pfn[nid] = roundup(zone_movable_pfn[nid], MAX_ORDER_NR_PAGES);
		for_each_mem_pfn_range(i, nid, &spfn, &epfn, NULL)
			nend = max(nend, epfn);
		if (zone_movable_pfn[nid] >= nend)
			zone_movable_pfn[nid] = 0;
	}
}

/* adjust_zone_range_for_zone_movable(): zone @z's range on node @nid. */
static void movable_adjust(int nid, int z, unsigned long nend, unsigned long *s,
			   unsigned long *e)
{
	unsigned long mstart = zone_movable_pfn[nid];

	if (!mstart)
		return;
	if (z == ZONE_MOVABLE) {
		*s = mstart;
		*e = nend;
	} else if (*s < mstart && *e > mstart) {
		*e = mstart;
	} else if (*s >= mstart) {
		*s = *e;
	}
}

static void print_zone_ranges(const unsigned long max_zone_pfn[MAX_NR_ZONES])
{
	unsigned long start = 0;
	int i;

	pr_info("Zone ranges:\n");
	for (i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long end = max_zone_pfn[i];

		if (!ukmem_has_zone[i] || i == ZONE_MOVABLE)
			continue;
		if (end <= start)
			pr_info("  %-8s empty\n", zone_names[i]);
		else
			pr_info("  %-8s [mem %#018llx-%#018llx]\n", zone_names[i],
				(unsigned long long)PFN_PHYS(max(start, 1UL)),
				(unsigned long long)PFN_PHYS(end) - 1);
		start = max(start, end);
	}
	pr_info("Movable zone start for each node\n");
	for (i = 0; i < nr_online_nodes; i++)
		if (zone_movable_pfn[i])
			pr_info("  Node %d: %#018llx\n", i,
				(unsigned long long)PFN_PHYS(zone_movable_pfn[i]));
	pr_info("Early memory node ranges\n");
	{
		unsigned long spfn, epfn;
		int nid;

		for_each_mem_pfn_range(i, NUMA_NO_NODE, &spfn, &epfn, &nid)
			pr_info("  node %3d: [mem %#018llx-%#018llx]\n", nid,
				(unsigned long long)PFN_PHYS(spfn),
				(unsigned long long)PFN_PHYS(epfn) - 1);
	}
}

static void zone_init(pg_data_t *pgdat, enum zone_type type, unsigned long start,
		      unsigned long end)
{
	struct zone *zone = &pgdat->node_zones[type];
	int order, t;

	zone->name = zone_names[type];
	zone->zone_pgdat = pgdat;
	zone->node = pgdat->node_id;
	zone->zone_start_pfn = start;
	zone->spanned_pages = end > start ? end - start : 0;
	zone->present_pages = end > start ? zone->spanned_pages - absent_pages_in_range(start, end) : 0;
	spin_lock_init_ranked(&zone->lock, LOCK_RANK_ZONE);
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		for (t = 0; t < MIGRATE_TYPES; t++)
			INIT_LIST_HEAD(&zone->free_area[order].free_list[t]);
		zone->free_area[order].nr_free = 0;
	}
	zone->deferred_cursor = end;
	zone->deferred_end = start;
	zone->initialized = true;
	if (zone->present_pages) {
		zone->per_cpu_pageset = memblock_alloc_node(sizeof(struct per_cpu_pages) * nr_cpu_ids,
							    SMP_CACHE_BYTES, pgdat->node_id);
		if (!zone->per_cpu_pageset)
			panic("%s: cannot allocate per-CPU pagesets", __func__);
		zone_pcp_init(zone);
	}
	if (zone->spanned_pages && zone->present_pages < zone->spanned_pages)
		pr_info("On node %d, zone %s: %lu pages in unavailable ranges\n",
			pgdat->node_id, zone->name, zone->spanned_pages - zone->present_pages);
}

void free_area_init(void)
{
	unsigned long max_zone_pfn[MAX_NR_ZONES];
	unsigned long nblocks;
	int nid;

	ukmem_ram_pfns = max_pfn;
	zone_limits(max_zone_pfn);
	find_zone_movable_pfns(max_zone_pfn);
	print_zone_ranges(max_zone_pfn);

	/*
	 * mem_map comes from memblock, as in the kernel.  It is fresh memory,
	 * so it reads as zero without being written; a struct page is only
	 * touched when its page is first used.
	 */
	mem_map = memblock_alloc_try_nid_raw(sizeof(struct page) * max_pfn, PAGE_SIZE,
					     MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE,
					     NUMA_NO_NODE);
	if (!mem_map)
		panic("%s: cannot allocate mem_map for %lu pages", __func__, max_pfn);
	page_alloc_init_tables(max_pfn);
	nblocks = DIV_ROUND_UP(max_pfn, MAX_ORDER_NR_PAGES);
	deferred_map = memblock_alloc(BITS_TO_LONGS(nblocks) * sizeof(long), SMP_CACHE_BYTES);
	if (!deferred_map)
		panic("%s: cannot allocate the deferred page map", __func__);

	for (nid = 0; nid < nr_online_nodes; nid++) {
		unsigned long nstart = ~0UL, nend = 0, spfn, epfn, zstart = 0;
		pg_data_t *pgdat;
		int i, n, z;

		for_each_mem_pfn_range(i, nid, &spfn, &epfn, &n) {
			nstart = min(nstart, spfn);
			nend = max(nend, epfn);
		}
		if (nstart > nend)
			nstart = nend = 0;
		pgdat = memblock_alloc_node(sizeof(*pgdat), SMP_CACHE_BYTES, nid);
		if (!pgdat)
			panic("%s: cannot allocate node %d", __func__, nid);
		node_data[nid] = pgdat;
		for (z = 0; z < MAX_NR_ZONES; z++)
			ukmem_zone_table[(nid << ZONES_SHIFT) | z] = &pgdat->node_zones[z];
		pgdat->node_id = nid;
		pgdat->node_start_pfn = nstart;
		pgdat->node_spanned_pages = nend - nstart;
		pgdat->node_present_pages = (nend - nstart) - absent_pages_in_range(nstart, nend);
		pr_info("Initmem setup node %d [mem %#018llx-%#018llx]\n", nid,
			(unsigned long long)PFN_PHYS(nstart), (unsigned long long)PFN_PHYS(nend) - 1);
		for (z = 0; z < MAX_NR_ZONES; z++) {
			unsigned long zend = max_zone_pfn[z];
			unsigned long s = clamp(zstart, nstart, nend);
			unsigned long e = clamp(zend, nstart, nend);

			if (!ukmem_has_zone[z] || (z == ZONE_MOVABLE && !zone_movable_pfn[nid]))
				e = s;
			else
				movable_adjust(nid, z, nend, &s, &e);
			zone_init(pgdat, (enum zone_type)z, s, max(s, e));
			if (ukmem_has_zone[z] && z != ZONE_MOVABLE)
				zstart = max(zstart, zend);
			if (populated_zone(&pgdat->node_zones[z]))
				pgdat->nr_zones = z + 1;
		}
		ukmem_physpages += pgdat->node_present_pages;
	}
	/* fixup_hashdist(): one node of memory, nothing to spread. */
	if (num_node_state(N_MEMORY) == 1)
		hashdist = 0;
}

/* ---- zonelists: local node first, then by distance; zones high to low ---- */

static int build_zonerefs_node(pg_data_t *pgdat, struct zoneref *zonerefs)
{
	int z, nr = 0;

	for (z = MAX_NR_ZONES - 1; z >= 0; z--) {
		struct zone *zone = &pgdat->node_zones[z];

		if (populated_zone(zone)) {
			zonerefs[nr].zone = zone;
			zonerefs[nr].zone_idx = z;
			nr++;
		}
	}
	return nr;
}

void build_all_zonelists(void)
{
	int nid;

	for (nid = 0; nid < nr_online_nodes; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);
		struct zoneref *zrefs = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
		int dist, nr = 0;

		/* Fake nodes: the distance is |a - b|; nearer first, lower id on ties. */
		nr += build_zonerefs_node(pgdat, zrefs + nr);
		for (dist = 1; dist < nr_online_nodes; dist++) {
			if (nid - dist >= 0)
				nr += build_zonerefs_node(NODE_DATA(nid - dist), zrefs + nr);
			if (nid + dist < nr_online_nodes)
				nr += build_zonerefs_node(NODE_DATA(nid + dist), zrefs + nr);
		}
		zrefs[nr].zone = NULL;
		zrefs[nr].zone_idx = 0;

		zrefs = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
		nr = build_zonerefs_node(pgdat, zrefs);
		zrefs[nr].zone = NULL;
		zrefs[nr].zone_idx = 0;
	}
	/* The allocator's starting points (first_zones_zonelist, precomputed). */
	for (nid = 0; nid < nr_online_nodes; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);
		int list, type;

		for (list = 0; list < MAX_ZONELISTS; list++)
			for (type = 0; type < MAX_NR_ZONES; type++) {
				struct zoneref *z = pgdat->node_zonelists[list]._zonerefs;

				while (z->zone && z->zone_idx > type)
					z++;
				pgdat->zonelist_first[list][type] = z;
			}
	}
}

/* ---- struct page initialisation and the hand-over from memblock ---- */

void __init_single_page(struct page *page, unsigned long pfn, enum zone_type zone, int nid)
{
	memset(page, 0, sizeof(*page));
	set_page_zone_node(page, zone, nid);
	atomic_set(&page->_mapcount, -1);
	INIT_LIST_HEAD(&page->lru);
	(void)pfn;
}

/* The zone a pfn belongs to, or NULL (walks the zones: boot, alloc_contig_range). */
struct zone *pfn_to_zone(unsigned long pfn)
{
	int nid, z;

	for (nid = 0; nid < nr_online_nodes; nid++)
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (zone->spanned_pages && zone_spans_pfn(zone, pfn))
				return zone;
		}
	return NULL;
}

/*
 * The pages that hold mem_map itself are left uninitialised: writing their
 * struct pages would touch one page of mem_map for every 64 pages of it
 * (6 MiB of RSS on a 24 GiB machine) for descriptors nobody reads.  They
 * stay zero, refcount 0, so put_page()/__free_pages() on one can never
 * reach the free lists (the count underflows instead of hitting zero);
 * dump_page() shows them with no flags.  The kernel marks them PG_reserved.
 */
static bool pfn_holds_mem_map(unsigned long pfn)
{
	unsigned long first = PFN_DOWN(__pa(mem_map));
	unsigned long last = PFN_UP(__pa(mem_map + max_pfn));

	return pfn >= first && pfn < last;
}

static void init_reserved_range(unsigned long spfn, unsigned long epfn)
{
	struct zone *zone = NULL;
	unsigned long pfn;

	for (pfn = spfn; pfn < epfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		/*
		 * The zone of the page before, if it spans this one too and
		 * there is one node (a node's zones do not overlap; nodes'
		 * spans may): the walk once per zone, not once per page.
		 */
		if (!zone || !zone_spans_pfn(zone, pfn) || nr_online_nodes > 1)
			zone = pfn_to_zone(pfn);
		if (!zone)
			continue;
		if (pfn_holds_mem_map(pfn)) {
			pfn = PFN_UP(__pa(mem_map + max_pfn)) - 1;
			continue;
		}
		__init_single_page(page, pfn, (enum zone_type)zone_idx(zone), zone->node);
		__SetPageReserved(page);
	}
}

/*
 * Reserved ranges and holes keep PG_reserved for ever (the kernel's
 * memmap_init_reserved_pages and init_unavailable_range): freeing such a
 * page is a "Bad page state".
 */
static void memmap_init_reserved_pages(void)
{
	struct memblock_region *r;
	unsigned long prev_end = 0;

	for_each_reserved_mem_region(r)
		init_reserved_range(PFN_DOWN(r->base), PFN_UP(r->base + r->size));
	for_each_mem_region(r) {
		if (PFN_DOWN(r->base) > prev_end)
			init_reserved_range(prev_end, PFN_DOWN(r->base));
		/* NOMAP memory is never handed to the buddy allocator. */
		if (r->flags & MEMBLOCK_NOMAP)
			init_reserved_range(PFN_DOWN(r->base), PFN_UP(r->base + r->size));
		prev_end = PFN_UP(r->base + r->size);
	}
	if (prev_end < max_pfn)
		init_reserved_range(prev_end, max_pfn);
}

static void free_pages_now(struct zone *zone, unsigned long spfn, unsigned long epfn)
{
	unsigned long pfn;

	if (spfn >= epfn)
		return;
	if (ukmem_commit_pfns(spfn, epfn - spfn))	/* highmem: no linear map */
		panic("%s: cannot commit boot memory", __func__);
	for (pfn = spfn; pfn < epfn; pfn++)
		__init_single_page(pfn_to_page(pfn), pfn, (enum zone_type)zone_idx(zone), zone->node);
	/* Largest aligned blocks first, as __free_pages_memory does. */
	while (spfn < epfn) {
		unsigned int order = aligned_run_order(spfn, epfn - spfn);

		__free_pages_core(pfn_to_page(spfn), order);
		spfn += 1UL << order;
	}
}

/*
 * The @nr max-order blocks from @pfn wait, uninitialised, for their first
 * use.  The zone's counters move once for the run, not once a block: on
 * a 24 GiB host the boot of every preloaded process defers 5900 blocks,
 * and two atomic additions each were a fifth of the library's own time
 * in a process as short as `seq 3`.
 */
static void defer_blocks(struct zone *zone, unsigned long pfn, unsigned long nr)
{
	unsigned long idx = pfn >> MAX_PAGE_ORDER;

	if (!nr)
		return;
	bitmap_set(deferred_map, (unsigned int)idx, (unsigned int)nr);
	/* Both read without zone->lock by the watermark check. */
	WRITE_ONCE(zone->nr_deferred, zone->nr_deferred + nr);
	WRITE_ONCE(zone->free_area[MAX_PAGE_ORDER].nr_free,
		   zone->free_area[MAX_PAGE_ORDER].nr_free + nr);
	atomic_long_add((long)(nr * MAX_ORDER_NR_PAGES), &zone->vm_stat[NR_FREE_PAGES]);
	atomic_long_add((long)(nr * MAX_ORDER_NR_PAGES), &zone->managed_pages);
	zone->deferred_cursor = min(zone->deferred_cursor, pfn);
	zone->deferred_end = max(zone->deferred_end, pfn + nr * MAX_ORDER_NR_PAGES);
}

void memblock_free_pages(unsigned long spfn, unsigned long epfn)
{
	while (spfn < epfn) {
		struct zone *zone = pfn_to_zone(spfn);
		unsigned long end, head_end, tail_start;

		if (!zone) {
			spfn++;
			continue;
		}
		end = min(epfn, zone_end_pfn(zone));
		head_end = min(ALIGN(spfn, MAX_ORDER_NR_PAGES), end);
		tail_start = max(ALIGN_DOWN(end, MAX_ORDER_NR_PAGES), head_end);
		free_pages_now(zone, spfn, head_end);
		defer_blocks(zone, head_end, (tail_start - head_end) >> MAX_PAGE_ORDER);
		free_pages_now(zone, tail_start, end);
		spfn = end;
	}
}

/* Deferred block @idx leaves the pool, initialised; zone->lock held.  NULL: no commit. */
static struct page *deferred_take_block_idx(struct zone *zone, unsigned long idx)
{
	unsigned long pfn = idx << MAX_PAGE_ORDER, i;

	/* RAM starts inaccessible: commit the block before anyone writes it. */
	if (ukmem_commit_pfns(pfn, MAX_ORDER_NR_PAGES))	/* highmem: no linear map */
		return NULL;
	/*
	 * An atomic clear (the kernel's clear_bit): a word of the map may hold
	 * the blocks of two zones (a node or zone boundary inside 64 blocks),
	 * whose locks do not exclude each other; a plain read-modify-write
	 * could put back a bit the other zone just cleared, and its block
	 * would be handed out twice.
	 */
	__atomic_fetch_and(&deferred_map[idx / BITS_PER_LONG], ~(1UL << (idx % BITS_PER_LONG)),
			   __ATOMIC_RELAXED);
	WRITE_ONCE(zone->nr_deferred, zone->nr_deferred - 1);
	for (i = 0; i < MAX_ORDER_NR_PAGES; i++)
		__init_single_page(pfn_to_page(pfn + i), pfn + i,
				   (enum zone_type)zone_idx(zone), zone->node);
	/* Free until its allocation maps the part it hands out (debug_pagealloc). */
	debug_pagealloc_unmap_pages(pfn_to_page(pfn), MAX_ORDER_NR_PAGES);
	return pfn_to_page(pfn);
}

/* The first deferred block in [idx, end_idx), or end_idx. */
static unsigned long next_deferred(unsigned long idx, unsigned long end_idx)
{
	for (; idx < end_idx; idx++) {
		unsigned long word = __atomic_load_n(&deferred_map[idx / BITS_PER_LONG],
						     __ATOMIC_RELAXED);

		if (!word) {
			idx |= BITS_PER_LONG - 1;	/* skip the whole word */
			continue;
		}
		if (word & (1UL << (idx % BITS_PER_LONG)))
			return idx;
	}
	return end_idx;
}

/*
 * The zone's next deferred block, in address order; under
 * page_alloc.shuffle=1 a random one (the kernel shuffles the max-order
 * free lists at boot, shuffle_free_memory(): here the blocks not yet on
 * them are drawn at random).  Blocks below the cursor are all taken.
 */
struct page *deferred_take_block_locked(struct zone *zone)
{
	unsigned long idx, end_idx, first;
	struct page *page;

	if (!zone->nr_deferred)
		return NULL;
	first = next_deferred(zone->deferred_cursor >> MAX_PAGE_ORDER,
			      zone->deferred_end >> MAX_PAGE_ORDER);
	end_idx = zone->deferred_end >> MAX_PAGE_ORDER;
	if (first >= end_idx)
		return NULL;
	idx = first;
	if (page_alloc_shuffle_enabled() && end_idx - first > 1) {
		idx = next_deferred(first + ukmem_random_u32() % (end_idx - first), end_idx);
		if (idx >= end_idx)
			idx = first;
	}
	page = deferred_take_block_idx(zone, idx);
	if (page)
		zone->deferred_cursor = (idx == first ? idx + 1 : first) << MAX_PAGE_ORDER;
	return page;
}

struct page *deferred_take_block_at_locked(struct zone *zone, unsigned long pfn)
{
	if (!pfn_deferred(pfn))
		return NULL;
	/* The cursor stays: blocks below it are all taken, this one is above it. */
	return deferred_take_block_idx(zone, pfn >> MAX_PAGE_ORDER);
}

/* ---- watermarks (6.1 formulas) ---- */

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* ---- what the boot needs ---- */

/*
 * What free_area_init() and the page allocator's tables take from
 * memblock for @pfns pages of RAM on @nodes nodes with @cpus CPUs:
 * mem_map, the pageblock and deferred-block maps, the node structures, and
 * a set of pcp lists per CPU in every zone of every node (counted as if
 * each node spanned every zone the RAM spans: an upper bound).  KFENCE's
 * pool is not counted: it is taken only where there is room beside this
 * (init/main.c).
 */
unsigned long mm_boot_bytes(unsigned long pfns, int nodes, unsigned int cpus)
{
	unsigned long zones = 1, bytes;

	if (pfns > PHYS_PFN(16UL << 20))
		zones++;		/* DMA32, or Normal in the i386 layout */
	if (pfns > PHYS_PFN(4UL << 30) || (boot_config.layout_32bit && pfns > PHYS_PFN(896UL << 20)))
		zones++;		/* Normal, or HighMem */
	bytes = PAGE_ALIGN(pfns * sizeof(struct page));
	bytes += DIV_ROUND_UP(pfns, pageblock_nr_pages) + SMP_CACHE_BYTES;
	bytes += BITS_TO_LONGS(DIV_ROUND_UP(pfns, MAX_ORDER_NR_PAGES)) * sizeof(long) + SMP_CACHE_BYTES;
	bytes += (unsigned long)nodes * (sizeof(pg_data_t) + SMP_CACHE_BYTES);
	bytes += (unsigned long)nodes * zones * (sizeof(struct per_cpu_pages) * cpus + SMP_CACHE_BYTES);
	return bytes;
}

/*
 * The watermarks of a machine with @pages of lowmem (init_per_zone_wmark_min
 * and setup_per_zone_wmarks summed over its zones): its high watermark, the
 * free memory below which allocations leave the fast path.
 */
unsigned long boot_high_wmark_pages(unsigned long pages)
{
	unsigned long kbytes = pages * (PAGE_SIZE >> 10), min, step;
	long user = boot_config.min_free_kbytes;

	min = user >= 0 ? (unsigned long)user : clamp(int_sqrt(kbytes * 16), 128UL, 262144UL);
	min >>= PAGE_SHIFT - 10;
	step = max(min >> 2, pages * (unsigned long)boot_config.watermark_scale_factor / 10000);
	return min + 2 * step;
}

void setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	for_each_zone(zone)
		if (zone_idx(zone) != ZONE_HIGHMEM && zone_idx(zone) != ZONE_MOVABLE)
			lowmem_pages += zone_managed_pages(zone);

	for_each_zone(zone) {
		unsigned long managed = zone_managed_pages(zone);
		unsigned long tmp, min;

		spin_lock(&zone->lock);
		tmp = lowmem_pages ? (unsigned long)((u64)pages_min * managed / lowmem_pages) : 0;
		if (zone_idx(zone) == ZONE_HIGHMEM || zone_idx(zone) == ZONE_MOVABLE) {
			/* Highmem needs little: __GFP_HIGH cannot dip into it anyway. */
			unsigned long min_pages = managed / 1024;

			min = managed ? clamp(min_pages, 32UL, 128UL) : 0;
		} else {
			min = tmp;
		}
		tmp = max_t(u64, tmp >> 2, (u64)managed * (unsigned)watermark_scale_factor / 10000);
		/* Allocators read these without the lock (wmark_pages()): one store each. */
		WRITE_ONCE(zone->watermark_boost, 0);
		WRITE_ONCE(zone->_watermark[WMARK_MIN], min);
		WRITE_ONCE(zone->_watermark[WMARK_LOW], min + tmp);
		WRITE_ONCE(zone->_watermark[WMARK_HIGH], min + 2 * tmp);
		WRITE_ONCE(zone->_watermark[WMARK_PROMO], min + 3 * tmp);
		spin_unlock(&zone->lock);
	}
	calculate_totalreserve_pages();
	/* 5.14+: pcp->high follows the low watermark, so it moves with it. */
	for_each_zone(zone)
		if (populated_zone(zone))
			zone_set_pageset_high_and_batch(zone);
}

void init_per_zone_wmark_min(void)
{
	unsigned long lowmem_kbytes = 0;
	struct zone *zone;
	int new_min;

	/* nr_free_buffer_pages(): managed minus high watermark, up to Normal. */
	for_each_zone(zone)
		if (zone_idx(zone) <= ZONE_NORMAL) {
			unsigned long managed = zone_managed_pages(zone);
			unsigned long high = high_wmark_pages(zone);

			if (managed > high)
				lowmem_kbytes += (managed - high) * (PAGE_SIZE >> 10);
		}
	new_min = (int)int_sqrt(lowmem_kbytes * 16);
	if (new_min > user_min_free_kbytes) {
		min_free_kbytes = clamp(new_min, 128, 262144);
	} else {
		pr_warn("min_free_kbytes is not updated to %d because user defined value %d is preferred\n",
			new_min, user_min_free_kbytes);
	}
	setup_per_zone_wmarks();
	setup_per_zone_lowmem_reserve();
}

void setup_per_zone_lowmem_reserve(void)
{
	int nid, i, j;

	for (nid = 0; nid < nr_online_nodes; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = sysctl_lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone_managed_pages(zone);
			unsigned long managed = 0;

			for (j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += zone_managed_pages(&pgdat->node_zones[j]);
				zone->lowmem_reserve[j] = clear ? 0 : (long)(managed / (unsigned)ratio);
			}
		}
	}
	calculate_totalreserve_pages();
}

void calculate_totalreserve_pages(void)
{
	unsigned long reserve_pages = 0;
	int nid, i, j;

	for (nid = 0; nid < nr_online_nodes; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		pgdat->totalreserve_pages = 0;
		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			long max = 0;
			unsigned long managed = zone_managed_pages(zone);

			for (j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			max += (long)high_wmark_pages(zone);
			if ((unsigned long)max > managed)
				max = (long)managed;
			pgdat->totalreserve_pages += (unsigned long)max;
			reserve_pages += (unsigned long)max;
		}
	}
	totalreserve_pages = reserve_pages;
}

/* ---- mem_init ---- */

void mem_init_print_info(void)
{
	struct arch_image_sizes img;
	unsigned long physpages = ukmem_physpages;
	unsigned long total = totalram_pages();
	unsigned long init_kb = 0;

	arch_image_sizes(&img);
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
		"%luK init, %luK bss, %luK reserved, %luK cma-reserved%s)\n",
		nr_free_pages() << (PAGE_SHIFT - 10), physpages << (PAGE_SHIFT - 10),
		img.text >> 10, img.data >> 10, img.rodata >> 10, init_kb, img.bss >> 10,
		(physpages - total) << (PAGE_SHIFT - 10), 0UL,
		boot_config.layout_32bit ? "" : "");
	if (boot_config.layout_32bit)
		pr_info("Memory: %luK highmem\n", totalhigh_pages() << (PAGE_SHIFT - 10));
}

void mem_init(void)
{
	unsigned long total = 0;
	struct zone *zone;

	memmap_init_reserved_pages();
	memblock_dump_all();
	memblock_free_all();
	for_each_zone(zone) {
		total += zone_managed_pages(zone);
		if (zone_idx(zone) == ZONE_HIGHMEM)
			totalhigh_pages_count += zone_managed_pages(zone);
	}
	atomic_long_set(&_totalram_pages, (long)total);
	ukmem_reserved_pages_at_boot = ukmem_physpages - total;
	watermark_scale_factor = boot_config.watermark_scale_factor;
	init_per_zone_wmark_min();
	/*
	 * min_free_kbytes= acts as the sysctl written once the boot's own
	 * value is set (min_free_kbytes_sysctl_handler): it wins, smaller or
	 * larger, and the watermarks and pcp limits follow it.
	 */
	if (boot_config.min_free_kbytes >= 0) {
		user_min_free_kbytes = boot_config.min_free_kbytes;
		min_free_kbytes = boot_config.min_free_kbytes;
		setup_per_zone_wmarks();
	}
	pr_info("Built %d zonelists, mobility grouping on.  Total pages: %lu\n",
		nr_online_nodes, total);
	mem_init_print_info();
}

/* ---- reserved pages given to the page allocator later ---- */

/*
 * The kernel's adjust_managed_page_count(): @page's zone and the totals
 * gain (or lose) @count managed pages; the watermarks stay as they are,
 * as there.
 */
void adjust_managed_page_count(struct page *page, long count)
{
	atomic_long_add(count, &page_zone(page)->managed_pages);
	atomic_long_add(count, &_totalram_pages);
	if (PageHighMem(page))
		__atomic_add_fetch(&totalhigh_pages_count, (unsigned long)count, __ATOMIC_RELAXED);
}

/*
 * A PG_reserved page (memblock kept it, or mark_page_reserved() took it)
 * becomes an ordinary free page.  Reserved memory that memblock never
 * handed out is not usable host memory yet (RAM starts inaccessible,
 * DESIGN.md): it is made so first.
 */
void free_reserved_page(struct page *page)
{
	if (WARN_ON_ONCE(!PageReserved(page)))
		return;
	if (WARN_ON_ONCE(ukmem_commit_pfns(page_to_pfn(page), 1)))
		return;
	ClearPageReserved(page);
	init_page_count(page);
	/* The free path checks the order a page was allocated with: order 0. */
	set_page_alloc_order_rec(page, 1);
	__free_page(page);
	adjust_managed_page_count(page, 1);
}

/*
 * An allocated page leaves the allocator for good: it stops being managed,
 * and stops being an allocation (its order record goes, so that the
 * census of ukmem_check_page_allocator() does not count it twice, and
 * free_reserved_page() can give it back as it gives back boot memory).
 */
void mark_page_reserved(struct page *page)
{
	SetPageReserved(page);
	if (page_alloc_order_rec(page) == 1)
		set_page_alloc_order_rec(page, 0);
	adjust_managed_page_count(page, -1);
}

unsigned long free_reserved_area(void *start, void *end, int poison, const char *s)
{
	unsigned long addr = PAGE_ALIGN((unsigned long)start);
	unsigned long last = (unsigned long)end & PAGE_MASK, pages = 0;

	for (; addr < last; addr += PAGE_SIZE) {
		struct page *page = virt_to_page((void *)addr);

		if (!PageReserved(page))	/* freed already: leave it */
			continue;
		/* Poison before the free, so nobody sees the old bytes. */
		if ((unsigned int)poison <= 0xFF &&
		    !ukmem_commit_pfns(page_to_pfn(page), 1))
			memset((void *)addr, poison, PAGE_SIZE);
		free_reserved_page(page);
		pages++;
	}
	if (pages && s)
		pr_info("Freeing %s memory: %luK\n", s, pages << (PAGE_SHIFT - 10));
	return pages;
}

/*
 * The zero page: the kernel's is a page of its image (empty_zero_page),
 * outside the managed count and never freed.  Here it is a page taken on
 * first use and then reserved (mark_page_reserved()), so it counts and
 * behaves the same; a freeing of it is the kernel's "Bad page state".
 */
static struct page *zero_page;

struct page *ukmem_zero_page(void)
{
	struct page *page = __atomic_load_n(&zero_page, __ATOMIC_ACQUIRE), *expected = NULL;

	if (likely(page))
		return page;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOFAIL);
	if (!__atomic_compare_exchange_n(&zero_page, &expected, page, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		__free_page(page);	/* another thread's came first */
		return expected;
	}
	mark_page_reserved(page);
	return page;
}

/* ---- alloc_large_system_hash() (the kernel's, in mm/mm_init.c too) ---- */

/*
 * hashdist (hashdist=N on the command line; the kernel's HASHDIST_DEFAULT
 * on 64-bit NUMA is 1): large system hashes come from vmalloc, spread over
 * the nodes.  The boot clears it on a machine of one memory node.
 */
int hashdist = 1;

/* Past 64 GiB of memory a table grows 4 times slower: one more halving per 4x. */
#define HASH_ADAPT_BASE_PAGES	((64ULL << 30) >> PAGE_SHIFT)
#define HASH_ADAPT_SHIFT	2

/*
 * A hash table of @bucketsize-byte buckets, sized to memory: without
 * @numentries, one bucket per 2^@scale bytes of low memory (at least a
 * page's worth), rounded up to a power of two, kept within [@low_limit,
 * @high_limit] (no high limit: a sixteenth of memory).  HASH_EARLY before
 * the page allocator runs takes it from memblock; a table above the
 * largest block, or any table while hashdist is set (a machine of several
 * nodes), comes from vmalloc; the rest from alloc_pages_exact().
 * HASH_ZERO zeroes it.  If the memory is not there, half the size is
 * tried, down to a page; then
 * panic, as the kernel does.  @_hash_shift and @_hash_mask (if given) get
 * log2 of the number of buckets and that number minus one.  Prints the
 * kernel's "<name> hash table entries: ..." line.
 */
void *alloc_large_system_hash(const char *tablename, unsigned long bucketsize,
			      unsigned long numentries, int scale, int flags,
			      unsigned int *_hash_shift, unsigned int *_hash_mask,
			      unsigned long low_limit, unsigned long high_limit)
{
	bool early = (flags & HASH_EARLY) && !slab_is_available();
	gfp_t gfp = (flags & HASH_ZERO) ? GFP_ATOMIC | __GFP_ZERO : GFP_ATOMIC;
	unsigned long long max = high_limit;
	unsigned long low_pages, all_pages, log2qty, size;
	const char *kind;
	void *table;

	if (early) {
		low_pages = all_pages = memblock_estimated_nr_free_pages();
	} else {
		ukmem_ensure_booted();
		all_pages = totalram_pages();
		low_pages = all_pages - totalhigh_pages();
	}
	if (!numentries) {
		numentries = round_up(low_pages, SZ_1M / PAGE_SIZE);
		if (!high_limit) {
			unsigned long long adapt;

			for (adapt = HASH_ADAPT_BASE_PAGES; adapt < numentries;
			     adapt <<= HASH_ADAPT_SHIFT)
				scale++;
		}
		if (scale > PAGE_SHIFT)
			numentries >>= (scale - PAGE_SHIFT);
		else
			numentries <<= (PAGE_SHIFT - scale);
		if (numentries * bucketsize < PAGE_SIZE)
			numentries = PAGE_SIZE / bucketsize;
	}
	numentries = roundup_pow_of_two(numentries);
	if (!max)
		max = (((unsigned long long)all_pages << PAGE_SHIFT) >> 4) / bucketsize;
	max = min(max, 0x80000000ULL);
	if (numentries < low_limit)
		numentries = low_limit;
	if (numentries > max)
		numentries = (unsigned long)max;
	log2qty = ilog2(numentries);
	do {
		size = bucketsize << log2qty;
		kind = "linear";
		if (early) {
			table = (flags & HASH_ZERO) ? memblock_alloc(size, SMP_CACHE_BYTES) :
						      memblock_alloc_raw(size, SMP_CACHE_BYTES);
		} else if (get_order(size) > MAX_PAGE_ORDER || READ_ONCE(hashdist)) {
			table = vmalloc_huge(size, gfp);
			kind = "vmalloc";
		} else {
			table = alloc_pages_exact(size, gfp);
			if (table)
				kmemleak_alloc(table, size, 1, gfp);
		}
	} while (!table && size > PAGE_SIZE && --log2qty);
	if (!table)
		panic("Failed to allocate %s hash table\n", tablename);
	pr_info("%s hash table entries: %ld (order: %d, %lu bytes, %s)\n", tablename,
		1L << log2qty, get_order(size), size, kind);
	if (_hash_shift)
		*_hash_shift = (unsigned int)log2qty;
	if (_hash_mask)
		*_hash_mask = (1U << log2qty) - 1;
	return table;
}
