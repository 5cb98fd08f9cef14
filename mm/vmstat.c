/* SPDX-License-Identifier: MIT */
/*
 * mm/vmstat.c - the zone reports: /proc/buddyinfo, /proc/pagetypeinfo,
 * /proc/zoneinfo and /proc/vmstat (the report half of the kernel's
 * mm/vmstat.c), and the vm event counters.
 *
 * Entry points: show_buddyinfo(), show_pagetypeinfo(), show_zoneinfo(),
 * show_vmstat(), each writing one report to a FILE, byte for byte in the
 * kernel's format (docs/reports.md explains every line and where its
 * numbers come from; docs/reclaim.md the reclaim counters).
 *
 * Which zones: nodes in order, then zone types in enum order, leaving out
 * the types that the boot layout does not have (zone_type_configured()), as
 * a kernel built without them would.  buddyinfo and pagetypeinfo show
 * populated zones only; zoneinfo shows every zone of the layout, the
 * unpopulated ones cut short after their protection line.
 *
 * ukmem differences the reports absorb:
 *  - A zone's deferred pool (zone->nr_deferred max-order blocks, free but
 *    not yet on a free list) is part of free_area[MAX_PAGE_ORDER].nr_free
 *    already; pagetypeinfo adds it to the Movable list of the top order,
 *    the list those blocks join when they are first touched.
 *  - Slab counters are kept in bytes (the *_B node items) and shown in
 *    pages, as the kernel shows them.
 *  - There are no per-CPU vmstat differentials, so "vm stats threshold" is
 *    the value the kernel's calculate_normal_threshold() would give.
 *
 * Locking: each zone's numbers are copied under zone->lock (the kernel holds
 * it while it prints); printing happens after the lock is dropped, because
 * stdio may allocate and may block.  Free-list walks are capped at 100000
 * entries, as in the kernel, and the lock is dropped between lists.  The
 * pageblock walk reads types without the lock.  Per-CPU counts are read
 * without their locks, as the kernel reads them.
 */
#include <stdio.h>
#include <string.h>
#include <linux/vmstat.h>
#include "internal.h"

atomic_long_t ukmem_vm_events[NR_VM_EVENT_ITEMS];

/* ---- the counters' API (include/linux/vmstat.h) ---- */

/*
 * The kernel keeps a global copy of each counter beside the zones' and
 * nodes' (vm_zone_stat, vm_node_stat) and folds per-CPU differences into
 * both; here each zone and node counter is exact, so the global value is
 * their sum, taken when asked.  The first call boots, as nr_free_pages()
 * does: a statistic of an unbooted machine would be a made-up zero.
 */
static bool vmstat_booted(void)
{
	ukmem_ensure_booted();
	return system_state != SYSTEM_OFF;
}

unsigned long global_zone_page_state(enum zone_stat_item item)
{
	struct zone *zone;
	long sum = 0;

	if (!vmstat_booted())
		return 0;
	for_each_zone(zone)
		sum += atomic_long_read(&zone->vm_stat[item]);
	return sum < 0 ? 0 : (unsigned long)sum;
}

unsigned long global_node_page_state_pages(enum node_stat_item item)
{
	long sum = 0;
	int nid;

	if (!vmstat_booted())
		return 0;
	for_each_online_node(nid)
		if (NODE_DATA(nid))	/* a boot that failed before its nodes were made */
			sum += atomic_long_read(&NODE_DATA(nid)->vm_stat[item]);
	if (sum < 0)
		return 0;
	return vmstat_item_in_bytes(item) ? (unsigned long)sum >> PAGE_SHIFT : (unsigned long)sum;
}

unsigned long global_node_page_state(enum node_stat_item item)
{
	VM_WARN_ON_ONCE(vmstat_item_in_bytes(item));
	return global_node_page_state_pages(item);
}

unsigned long sum_zone_node_page_state(int node, enum zone_stat_item item)
{
	unsigned long sum = 0;
	int z;

	if (!vmstat_booted() || node < 0 || node >= nr_online_nodes)
		return 0;
	for (z = 0; z < MAX_NR_ZONES; z++)
		sum += zone_page_state(&NODE_DATA(node)->node_zones[z], item);
	return sum;
}

/*
 * The writers.  Every counter is one atomic, so the kernel's __ variants
 * (for callers with interrupts off) are the same functions.  A byte item
 * moves by bytes, a whole number of pages (the kernel keeps those items in
 * pages and warns, under CONFIG_DEBUG_VM, about any other delta).
 */
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	atomic_long_add(delta, &zone->vm_stat[item]);
}

void inc_zone_page_state(struct page *page, enum zone_stat_item item)
{
	mod_zone_page_state(page_zone(page), item, 1);
}

void dec_zone_page_state(struct page *page, enum zone_stat_item item)
{
	mod_zone_page_state(page_zone(page), item, -1);
}

void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	if (vmstat_item_in_bytes(item))
		VM_WARN_ON_ONCE(delta & (long)(PAGE_SIZE - 1));
	atomic_long_add(delta, &pgdat->vm_stat[item]);
}

/* One page: a byte item is not counted in pages (the kernel warns and counts one). */
static long node_item_page(enum node_stat_item item)
{
	VM_WARN_ON_ONCE(vmstat_item_in_bytes(item));
	return vmstat_item_in_bytes(item) ? (long)PAGE_SIZE : 1;
}

void inc_node_state(struct pglist_data *pgdat, enum node_stat_item item)
{
	mod_node_page_state(pgdat, item, node_item_page(item));
}

void inc_node_page_state(struct page *page, enum node_stat_item item)
{
	inc_node_state(page_pgdat(page), item);
}

void dec_node_page_state(struct page *page, enum node_stat_item item)
{
	mod_node_page_state(page_pgdat(page), item, -node_item_page(item));
}

/* The kernel's list walk cap in pagetypeinfo. */
#define FREE_LIST_COUNT_CAP	100000UL

static const char *zone_label(const struct zone *zone, int zid)
{
	return zone->name ? zone->name : zone_names[zid];
}

/* Node @nid's data, or NULL for a hole in the node numbering. */
static pg_data_t *report_pgdat(int nid)
{
	return NODE_DATA(nid);
}

static bool node_has_populated_zone(pg_data_t *pgdat)
{
	int zid;

	for (zid = 0; zid < MAX_NR_ZONES; zid++)
		if (zone_type_configured(zid) &&
		    populated_zone(&pgdat->node_zones[zid]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* /proc/buddyinfo                                                      */

static void buddyinfo_zone(FILE *m, pg_data_t *pgdat, struct zone *zone, int zid)
{
	unsigned long nr_free[NR_PAGE_ORDERS];
	int order;

	spin_lock(&zone->lock);
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		nr_free[order] = zone->free_area[order].nr_free;
	spin_unlock(&zone->lock);

	fprintf(m, "Node %d, zone %8s ", pgdat->node_id, zone_label(zone, zid));
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		fprintf(m, "%6lu ", nr_free[order]);
	fputc('\n', m);
}

/**
 * show_buddyinfo - /proc/buddyinfo: free blocks per order, per zone.
 * @m: where to write.
 *
 * Context: may sleep (stdio); takes each zone->lock briefly.
 */
void show_buddyinfo(FILE *m)
{
	int nid, zid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = report_pgdat(nid);

		if (!pgdat)
			continue;
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];

			if (!zone_type_configured(zid) || !populated_zone(zone))
				continue;
			buddyinfo_zone(m, pgdat, zone, zid);
		}
	}
}

/* ------------------------------------------------------------------ */
/* /proc/pagetypeinfo                                                   */

/*
 * Blocks on one free list plus, for the Movable list of the top order, the
 * zone's deferred blocks.  *overflow says the count hit the kernel's cap.
 */
static unsigned long count_free_list_locked(struct zone *zone, int order, int mt)
{
	struct list_head *head = &zone->free_area[order].free_list[mt];
	struct list_head *curr;
	unsigned long count = 0;

	list_for_each(curr, head) {
		if (++count >= FREE_LIST_COUNT_CAP)
			break;
	}
	if (order == MAX_PAGE_ORDER && mt == MIGRATE_MOVABLE)
		count += zone->nr_deferred;
	return count;
}

/*
 * The free pages of @zone's highatomic reserve (the kernel keeps the count
 * as zone->nr_free_highatomic): for the Mem-Info report, which may run
 * with zone->lock held, so only tried; 0 when the lock is busy.
 */
static unsigned long free_highatomic_locked(struct zone *zone)
{
	unsigned long pages = 0;
	unsigned int order;

	for (order = 0; order < NR_PAGE_ORDERS; order++)
		pages += count_free_list_locked(zone, (int)order, MIGRATE_HIGHATOMIC) << order;
	return pages;
}

unsigned long zone_free_highatomic(struct zone *zone)
{
	unsigned long pages;

	if (!zone->nr_reserved_highatomic || !spin_trylock(&zone->lock))
		return 0;
	pages = free_highatomic_locked(zone);
	spin_unlock(&zone->lock);
	return pages;
}

static unsigned long count_free_list(struct zone *zone, int order, int mt,
				     bool *overflow)
{
	unsigned long count;

	*overflow = false;
	spin_lock(&zone->lock);
	count = count_free_list_locked(zone, order, mt);
	spin_unlock(&zone->lock);

	if (count >= FREE_LIST_COUNT_CAP) {
		count = FREE_LIST_COUNT_CAP;
		*overflow = true;
	}
	return count;
}

static void pagetypeinfo_free_zone(FILE *m, pg_data_t *pgdat,
				   struct zone *zone, int zid)
{
	int order, mt;

	for (mt = 0; mt < MIGRATE_TYPES; mt++) {
		fprintf(m, "Node %4d, zone %8s, type %12s ", pgdat->node_id,
			zone_label(zone, zid), migratetype_names[mt]);
		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			bool overflow;
			unsigned long n = count_free_list(zone, order, mt, &overflow);

			fprintf(m, "%s%6lu ", overflow ? ">" : "", n);
		}
		fputc('\n', m);
	}
}

/*
 * A RAM pfn inside the pageblock that starts at @block and lies in
 * [@start, @end), or ULONG_MAX_ when the block has none (a hole).  The
 * kernel asks only whether the block's memory section is online; ukmem's
 * map has no sections, so a block counts when any of its pages is RAM.
 */
static unsigned long pageblock_ram_pfn(unsigned long block, unsigned long start,
				       unsigned long end)
{
	unsigned long pfn = max(block, start);
	unsigned long stop = min(block + pageblock_nr_pages, end);

	for (; pfn < stop; pfn++)
		if (ukmem_is_ram_pfn(pfn))
			return pfn;
	return ULONG_MAX_;
}

/* One zone's row of a per-migratetype table: "Node N, zone NAME" and a count per type. */
static void type_counts_row(FILE *m, pg_data_t *pgdat, struct zone *zone, int zid,
			    const unsigned long count[MIGRATE_TYPES])
{
	int mt;

	fprintf(m, "Node %d, zone %8s ", pgdat->node_id, zone_label(zone, zid));
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		fprintf(m, "%12lu ", count[mt]);
	fputc('\n', m);
}

static void pagetypeinfo_blocks_zone(FILE *m, pg_data_t *pgdat,
				     struct zone *zone, int zid)
{
	unsigned long count[MIGRATE_TYPES] = { 0 };
	unsigned long start = zone->zone_start_pfn;
	unsigned long end = zone_end_pfn(zone);
	unsigned long block;
	int mt;

	/*
	 * Pageblock types live in zone->pageblock_flags, not in struct page,
	 * so this is safe on deferred memory whose struct pages are not
	 * initialised yet.  The kernel holds zone->lock for this walk; here it
	 * reads the types unlocked (a block changing type during the walk is
	 * counted as either), so that the walk, which may be long, does not
	 * hold up allocations and nests no other lock inside zone->lock.
	 */
	for (block = ALIGN_DOWN(start, pageblock_nr_pages); block < end;
	     block += pageblock_nr_pages) {
		unsigned long pfn = pageblock_ram_pfn(block, start, end);

		if (pfn == ULONG_MAX_)
			continue;
		mt = get_pageblock_migratetype(pfn_to_page(pfn));
		if (mt >= 0 && mt < MIGRATE_TYPES)
			count[mt]++;
	}

	type_counts_row(m, pgdat, zone, zid, count);
}

static void pagetypeinfo_node(FILE *m, pg_data_t *pgdat)
{
	int order, mt, zid;

	fprintf(m, "Page block order: %d\n", pageblock_order);
	fprintf(m, "Pages per block:  %lu\n", pageblock_nr_pages);
	fputc('\n', m);

	fprintf(m, "%-43s ", "Free pages count per migrate type at order");
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		fprintf(m, "%6d ", order);
	fputc('\n', m);
	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		if (zone_type_configured(zid) && populated_zone(zone))
			pagetypeinfo_free_zone(m, pgdat, zone, zid);
	}

	fprintf(m, "\n%-23s", "Number of blocks type ");
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		fprintf(m, "%12s ", migratetype_names[mt]);
	fputc('\n', m);
	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		if (zone_type_configured(zid) && populated_zone(zone))
			pagetypeinfo_blocks_zone(m, pgdat, zone, zid);
	}

	/* With page_owner: the blocks holding pages of another migratetype. */
	if (!page_owner_enabled)
		return;
	drain_all_pages(NULL);
	fprintf(m, "\n%-23s", "Number of mixed blocks ");
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		fprintf(m, "%12s ", migratetype_names[mt]);
	fputc('\n', m);
	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];
		unsigned long count[MIGRATE_TYPES] = { 0 };

		if (!zone_type_configured(zid) || !populated_zone(zone))
			continue;
		page_owner_mixed_blocks(zone, count);
		type_counts_row(m, pgdat, zone, zid, count);
	}
}

/**
 * show_pagetypeinfo - /proc/pagetypeinfo: free blocks per order and
 * migratetype, and pageblocks per migratetype, node by node.
 * @m: where to write.
 *
 * As in the kernel, the whole block (headers included) repeats for each
 * node that has memory.  Expensive: it walks every free list (capped) and
 * every pageblock.  Context: may sleep (stdio); takes zone->lock briefly,
 * many times.
 */
void show_pagetypeinfo(FILE *m)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = report_pgdat(nid);

		/* A memoryless node prints nothing (N_MEMORY check). */
		if (pgdat && node_has_populated_zone(pgdat))
			pagetypeinfo_node(m, pgdat);
	}
}

/* ------------------------------------------------------------------ */
/* /proc/zoneinfo                                                       */

/* enum zone_stat_item names, as vmstat_text[] spells them. */
static const char * const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	[NR_FREE_PAGES]		= "nr_free_pages",
	[NR_ZONE_INACTIVE_ANON]	= "nr_zone_inactive_anon",
	[NR_ZONE_ACTIVE_ANON]	= "nr_zone_active_anon",
	[NR_ZONE_INACTIVE_FILE]	= "nr_zone_inactive_file",
	[NR_ZONE_ACTIVE_FILE]	= "nr_zone_active_file",
	[NR_ZONE_UNEVICTABLE]	= "nr_zone_unevictable",
	[NR_ZONE_WRITE_PENDING]	= "nr_zone_write_pending",
	[NR_MLOCK]		= "nr_mlock",
	[NR_BOUNCE]		= "nr_bounce",
	[NR_FREE_CMA_PAGES]	= "nr_free_cma",
};
static_assert(NR_VM_ZONE_STAT_ITEMS == 10, "zone_stat_names needs updating");

/*
 * The zone counters as v7.x lists them: nr_free_pages_blocks (v6.15: free
 * pages in blocks of a pageblock or more) after nr_free_pages, computed
 * from the free lists; no nr_bounce (gone in v6.16).  -1: the computed one.
 */
#define ZONE_ITEM_FREE_BLOCKS	(-1)
static const int zone_items_shown[] = {
	NR_FREE_PAGES, ZONE_ITEM_FREE_BLOCKS, NR_ZONE_INACTIVE_ANON, NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE, NR_ZONE_ACTIVE_FILE, NR_ZONE_UNEVICTABLE, NR_ZONE_WRITE_PENDING,
	NR_MLOCK, NR_FREE_CMA_PAGES,
};

static const char *zone_item_name(int item)
{
	return item == ZONE_ITEM_FREE_BLOCKS ? "nr_free_pages_blocks" : zone_stat_names[item];
}

/* Free pages in blocks of pageblock_order or more; zone->lock held. */
static unsigned long free_pages_in_blocks(const struct zone *zone)
{
	unsigned long pages = 0;
	unsigned int order;

	for (order = pageblock_order; order < NR_PAGE_ORDERS; order++)
		pages += zone->free_area[order].nr_free << order;
	return pages;
}

/*
 * enum node_stat_item, in the order the kernel's enum (and so zoneinfo)
 * has them, which is not ukmem's enum order: nr_vmalloc sits between
 * nr_kernel_misc_reclaimable and nr_page_table_pages there.
 */
static const struct {
	enum node_stat_item item;
	const char *name;
} node_stats[] = {
	{ NR_SLAB_RECLAIMABLE_B,	"nr_slab_reclaimable" },	/* bytes, shown in pages */
	{ NR_SLAB_UNRECLAIMABLE_B,	"nr_slab_unreclaimable" },
	{ NR_KERNEL_MISC_RECLAIMABLE,	"nr_kernel_misc_reclaimable" },
	{ NR_VMALLOC,			"nr_vmalloc" },
	{ NR_PAGETABLE,			"nr_page_table_pages" },
	{ NR_BALLOON_PAGES,		"nr_balloon_pages" },
};
static_assert(ARRAY_SIZE(node_stats) == NR_VM_NODE_STAT_ITEMS, "node_stats needs updating");

/* What zoneinfo prints about one zone, copied under zone->lock. */
struct zone_snapshot {
	unsigned long free, boost, min, low, high, promo;
	unsigned long spanned, present, managed;
	long protection[MAX_NR_ZONES];
	unsigned long stat[NR_VM_ZONE_STAT_ITEMS];
	unsigned long free_blocks;	/* nr_free_pages_blocks */
	unsigned long start_pfn;
	unsigned long reserved_highatomic, free_highatomic;
};

static void snapshot_zone(struct zone *zone, struct zone_snapshot *s)
{
	bool populated = populated_zone(zone);
	int i;

	/* An unpopulated zone has no free lists and may have no lock set up. */
	if (populated)
		spin_lock(&zone->lock);
	s->free = zone_page_state(zone, NR_FREE_PAGES);
	s->boost = READ_ONCE(zone->watermark_boost);	/* kswapd lowers it under zone->lock */
	s->min = min_wmark_pages(zone);
	s->low = low_wmark_pages(zone);
	s->high = high_wmark_pages(zone);
	s->promo = wmark_pages(zone, WMARK_PROMO);
	s->spanned = zone->spanned_pages;
	s->present = zone->present_pages;
	s->managed = zone_managed_pages(zone);
	for (i = 0; i < MAX_NR_ZONES; i++)
		s->protection[i] = zone->lowmem_reserve[i];
	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		s->stat[i] = zone_page_state(zone, i);
	s->start_pfn = zone->zone_start_pfn;
	s->reserved_highatomic = zone->nr_reserved_highatomic;
	s->free_blocks = s->free_highatomic = 0;
	if (populated) {
		s->free_blocks = free_pages_in_blocks(zone);
		s->free_highatomic = free_highatomic_locked(zone);
		spin_unlock(&zone->lock);
	}
}

static int fls_ul(unsigned long x)
{
	return x ? BITS_PER_LONG - __builtin_clzl(x) : 0;
}

/*
 * The kernel's calculate_normal_threshold(): how far a per-CPU vmstat
 * differential may drift before it is folded; grows with the CPU count and
 * the zone's size in 128 MiB units, capped at 125.
 */
static int zone_stat_threshold(const struct zone *zone)
{
	unsigned long mem = zone_managed_pages(zone) >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls_ul(num_online_cpus()) * (1 + fls_ul(mem));

	return min(125, threshold);
}

static bool is_zone_first_populated(pg_data_t *pgdat, struct zone *zone)
{
	int zid;

	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *z = &pgdat->node_zones[zid];

		if (zone_type_configured(zid) && populated_zone(z))
			return z == zone;
	}
	return false;
}

static void zoneinfo_node_stats(FILE *m, pg_data_t *pgdat)
{
	size_t i;

	fprintf(m, "\n  per-node stats");
	for (i = 0; i < ARRAY_SIZE(node_stats); i++) {
		fprintf(m, "\n      %-12s %lu", node_stats[i].name,
			node_page_state_pages(pgdat, node_stats[i].item));
	}
}

static void zoneinfo_pagesets(FILE *m, struct zone *zone)
{
	int threshold = zone_stat_threshold(zone);
	unsigned int cpu;

	fprintf(m, "\n  pagesets");
	if (!zone->per_cpu_pageset)
		return;
	/* Read without the pcp locks, as the kernel reads them. */
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		/* v6.7+: high moves between high_min and high_max; ukmem keeps it at high_min. */
		fprintf(m,
			"\n    cpu: %i"
			"\n              count:    %i"
			"\n              high:     %i"
			"\n              batch:    %i"
			"\n              high_min: %i"
			"\n              high_max: %i",
			(int)cpu, (int)zone_pcp_cpu_count(zone, cpu), READ_ONCE(pcp->high),
			READ_ONCE(pcp->batch), zone->pageset_high, zone->pageset_high_max);
		fprintf(m, "\n  vm stats threshold: %d", threshold);
	}
}

static void zoneinfo_zone(FILE *m, pg_data_t *pgdat, struct zone *zone, int zid)
{
	struct zone_snapshot s;
	bool first = true;
	int i;

	snapshot_zone(zone, &s);

	fprintf(m, "Node %d, zone %8s", pgdat->node_id, zone_label(zone, zid));
	if (is_zone_first_populated(pgdat, zone))
		zoneinfo_node_stats(m, pgdat);
	fprintf(m,
		"\n  pages free     %lu"
		"\n        boost    %lu"
		"\n        min      %lu"
		"\n        low      %lu"
		"\n        high     %lu"
		"\n        promo    %lu"
		"\n        spanned  %lu"
		"\n        present  %lu"
		"\n        managed  %lu"
		"\n        cma      %lu",
		s.free, s.boost, s.min, s.low, s.high, s.promo,
		s.spanned, s.present, s.managed, 0UL);

	/* One entry per zone type of the layout, as the kernel's MAX_NR_ZONES. */
	fprintf(m, "\n        protection: (");
	for (i = 0; i < MAX_NR_ZONES; i++) {
		if (!zone_type_configured(i))
			continue;
		fprintf(m, "%s%ld", first ? "" : ", ", s.protection[i]);
		first = false;
	}
	fputc(')', m);

	/* An unpopulated zone has nothing more worth showing. */
	if (!s.present) {
		fputc('\n', m);
		return;
	}

	for (i = 0; i < (int)ARRAY_SIZE(zone_items_shown); i++) {
		int item = zone_items_shown[i];

		fprintf(m, "\n      %-12s %lu", zone_item_name(item),
			item == ZONE_ITEM_FREE_BLOCKS ? s.free_blocks : s.stat[item]);
	}

	zoneinfo_pagesets(m, zone);

	fprintf(m,
		"\n  node_unreclaimable:  %u"
		"\n  start_pfn:           %lu"
		"\n  reserved_highatomic: %lu"
		"\n  free_highatomic:     %lu",
		0U, s.start_pfn, s.reserved_highatomic, s.free_highatomic);
	fputc('\n', m);
}

/**
 * show_zoneinfo - /proc/zoneinfo: watermarks, sizes, lowmem protection,
 * counters and per-CPU pagesets of every zone.
 * @m: where to write.
 *
 * The layout is v7.x's (pagesets with high_min/high_max, the highatomic
 * lines, nr_free_pages_blocks), without the counters ukmem has no item
 * for (the LRU, workingset and NUMA event counters).  Context: may sleep (stdio);
 * takes each populated zone's lock briefly.
 */
void show_zoneinfo(FILE *m)
{
	int nid, zid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = report_pgdat(nid);

		if (!pgdat)
			continue;
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			if (!zone_type_configured(zid))
				continue;
			zoneinfo_zone(m, pgdat, &pgdat->node_zones[zid], zid);
		}
	}
}

/*
 * si_meminfo - the memory half of sysinfo(2), as the kernel fills it:
 * totals and free counts in pages, with mem_unit = PAGE_SIZE.  Shared,
 * buffer and swap figures are zero here (no page cache, no swap).
 */
void si_meminfo(struct sysinfo *val)
{
	unsigned long free_high = 0;
	struct zone *zone;

	memset(val, 0, sizeof(*val));
	val->totalram = totalram_pages();
	val->freeram = nr_free_pages();
	val->totalhigh = totalhigh_pages();
	if (system_state != SYSTEM_OFF)
		for_each_zone(zone)
			if (zone_idx(zone) == ZONE_HIGHMEM)
				free_high += zone_page_state(zone, NR_FREE_PAGES);
	val->freehigh = free_high;
	val->mem_unit = PAGE_SIZE;
}

/*
 * The kernel's per-node sysinfo (the node's meminfo file): its managed
 * pages, free pages and highmem; no shared memory here.  The other fields
 * are left as they are, as the kernel leaves them.
 */
void si_meminfo_node(struct sysinfo *val, int nid)
{
	unsigned long managed = 0, managed_high = 0, free_high = 0;
	pg_data_t *pgdat;
	int z;

	ukmem_ensure_booted();
	val->totalram = val->freeram = val->totalhigh = val->freehigh = val->sharedram = 0;
	val->mem_unit = PAGE_SIZE;
	if (!node_online(nid) || !(pgdat = NODE_DATA(nid)))
		return;
	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		managed += zone_managed_pages(zone);
		if (z == ZONE_HIGHMEM) {
			managed_high += zone_managed_pages(zone);
			free_high += zone_page_state(zone, NR_FREE_PAGES);
		}
	}
	val->totalram = managed;
	val->freeram = sum_zone_node_page_state(nid, NR_FREE_PAGES);
	val->totalhigh = managed_high;
	val->freehigh = free_high;
}

/*
 * The kernel's nr_free_zone_pages(gfp_zone(GFP_USER)): over the zones of
 * the local node's zonelist up to that zone, which is every node's, the
 * managed pages above each zone's high watermark.
 */
unsigned long nr_free_buffer_pages(void)
{
	enum zone_type highest = gfp_zone(GFP_USER);
	unsigned long sum = 0;
	struct zone *zone;

	ukmem_ensure_booted();
	for_each_zone(zone) {
		unsigned long size = zone_managed_pages(zone), high = high_wmark_pages(zone);

		if (zone_idx(zone) <= highest && size > high)
			sum += size - high;
	}
	return sum;
}

/* ------------------------------------------------------------------ */
/* /proc/vmstat                                                         */

/*
 * The kernel prints every zone item, NUMA event, node item, the dirty
 * thresholds and every vm event its configuration has, "name value" a
 * line.  ukmem prints the zone and node items it keeps (as zoneinfo does)
 * and the events it counts, in the kernel's order; the lines of a kernel
 * without swap or IO (pgpgin, pgpgout, pswpin, pswpout) are there with
 * their true 0.  Left out: NUMA events (numa_* and zone_reclaim_failed,
 * as zoneinfo leaves them out), the dirty thresholds (no page cache),
 * pgalloc_*, pgfree and the fault counts (counting them would cost the
 * fast paths), the LRU, compaction, migration, THP and swap groups (none
 * of that exists here).  The balloon's group (CONFIG_MEMORY_BALLOON:
 * balloon_inflate, balloon_deflate, a page each; no balloon_migrate, as
 * without CONFIG_BALLOON_COMPACTION) counts mm/balloon.c.  docs/reclaim.md lists each line.
 */
static const struct {
	enum vm_event_item item;
	const char *name;
} vm_event_lines[] = {
	{ PGSTEAL_KSWAPD,		"pgsteal_kswapd" },
	{ PGSTEAL_DIRECT,		"pgsteal_direct" },
	{ PGSCAN_KSWAPD,		"pgscan_kswapd" },
	{ PGSCAN_DIRECT,		"pgscan_direct" },
	{ SLABS_SCANNED,		"slabs_scanned" },
	{ KSWAPD_LOW_WMARK_HIT_QUICKLY,	"kswapd_low_wmark_hit_quickly" },
	{ KSWAPD_HIGH_WMARK_HIT_QUICKLY, "kswapd_high_wmark_hit_quickly" },
	{ PAGEOUTRUN,			"pageoutrun" },
	{ DROP_PAGECACHE,		"drop_pagecache" },
	{ DROP_SLAB,			"drop_slab" },
	{ OOM_KILL,			"oom_kill" },
	{ BALLOON_INFLATE,		"balloon_inflate" },
	{ BALLOON_DEFLATE,		"balloon_deflate" },
};

/* Every event in enum order, as /proc/vmstat spells it: what `ukmem top` shows (mm/live.c). */
const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	"allocstall_dma", "allocstall_dma32", "allocstall_normal", "allocstall_high",
	"allocstall_movable", "pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd",
	"pgscan_direct", "slabs_scanned", "kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly", "pageoutrun", "drop_pagecache", "drop_slab", "oom_kill",
	"balloon_inflate", "balloon_deflate",
};
_Static_assert(NR_VM_EVENT_ITEMS == 18 && BALLOON_DEFLATE == 17, "vm_event_names[] follows the enum");

static const char * const zone_event_suffix[MAX_NR_ZONES] = {
	[ZONE_DMA] = "dma", [ZONE_DMA32] = "dma32", [ZONE_NORMAL] = "normal",
	[ZONE_HIGHMEM] = "high", [ZONE_MOVABLE] = "movable",
};

void show_vmstat(FILE *m)
{
	unsigned long zone_items[NR_VM_ZONE_STAT_ITEMS] = { 0 }, node_items[ARRAY_SIZE(node_stats)] = { 0 };
	unsigned long events[NR_VM_EVENT_ITEMS], free_blocks = 0;
	struct zone *zone;
	size_t i;
	int nid, zid;

	/* A snapshot first: stdio may allocate. */
	for_each_zone(zone) {
		for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
			zone_items[i] += zone_page_state(zone, i);
		if (populated_zone(zone)) {
			spin_lock(&zone->lock);
			free_blocks += free_pages_in_blocks(zone);
			spin_unlock(&zone->lock);
		}
	}
	for_each_online_node(nid)
		for (i = 0; i < ARRAY_SIZE(node_stats); i++)
			node_items[i] += node_page_state_pages(NODE_DATA(nid), node_stats[i].item);
	all_vm_events(events);

	for (i = 0; i < ARRAY_SIZE(zone_items_shown); i++) {
		int item = zone_items_shown[i];

		fprintf(m, "%s %lu\n", zone_item_name(item),
			item == ZONE_ITEM_FREE_BLOCKS ? free_blocks : zone_items[item]);
	}
	for (i = 0; i < ARRAY_SIZE(node_stats); i++)
		fprintf(m, "%s %lu\n", node_stats[i].name, node_items[i]);
	fputs("pgpgin 0\npgpgout 0\npswpin 0\npswpout 0\n", m);
	for (zid = 0; zid < MAX_NR_ZONES; zid++)
		if (zone_type_configured(zid))
			fprintf(m, "allocstall_%s %lu\n", zone_event_suffix[zid],
				events[ALLOCSTALL_DMA + zid]);
	for (i = 0; i < ARRAY_SIZE(vm_event_lines); i++)
		fprintf(m, "%s %lu\n", vm_event_lines[i].name, events[vm_event_lines[i].item]);
}

/* ---- the counters' names (include/linux/vmstat.h) ---- */

const char *zone_stat_name(enum zone_stat_item item)
{
	return (unsigned int)item < NR_VM_ZONE_STAT_ITEMS ? zone_stat_names[item] : NULL;
}

const char *node_stat_name(enum node_stat_item item)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(node_stats); i++)
		if (node_stats[i].item == item)
			return node_stats[i].name;
	return NULL;
}

const char *vm_event_name(enum vm_event_item item)
{
	return (unsigned int)item < NR_VM_EVENT_ITEMS ? vm_event_names[item] : NULL;
}

/* Every vm event's count, in enum order, into @ret (NR_VM_EVENT_ITEMS of them). */
void all_vm_events(unsigned long *ret)
{
	int i;

	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		ret[i] = (unsigned long)atomic_long_read(&ukmem_vm_events[i]);
}
