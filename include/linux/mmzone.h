/* SPDX-License-Identifier: MIT */
/*
 * linux/mmzone.h - nodes, zones, free areas and per-CPU page lists
 * (include/linux/mmzone.h).
 *
 * One pglist_data per node; each holds the zones that intersect it.  A zone
 * owns the buddy free lists of its pages (free_area[order].free_list[mt]),
 * its watermarks, its lowmem reserves and one per_cpu_pages per CPU.
 */
#ifndef _LINUX_MMZONE_H
#define _LINUX_MMZONE_H

#include <ukmem/kernel_types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/mm_types.h>
#include <asm/page.h>

UKMEM_C_BEGIN

#define MAX_PAGE_ORDER		10
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define MAX_ORDER		MAX_PAGE_ORDER	/* 6.4-6.7 name, inclusive */
#define PAGE_ALLOC_COSTLY_ORDER	3
#define pageblock_order		9		/* HUGETLB_PAGE_ORDER on x86 */
#define pageblock_nr_pages	(1UL << pageblock_order)

#define MAX_NUMNODES		64
/* Reclaim's starting priority: it scans 1/2^12 of a list first, everything at 0. */
#define DEF_PRIORITY		12
#define NUMA_NO_NODE		(-1)

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

UKMEM_API_BEGIN
extern const char * const migratetype_names[MIGRATE_TYPES];
UKMEM_API_END

/*
 * All zone types that exist in either layout.  The 64-bit layout has no
 * HighMem, the 32-bit one ("highmem" boot option, issue 5) no DMA32; reports
 * print the zones of the layout in use, as each kernel would.
 */
enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	ZONE_MOVABLE,
	MAX_NR_ZONES
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_INACTIVE_ANON,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_BOUNCE,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

enum node_stat_item {
	NR_SLAB_RECLAIMABLE_B,
	NR_SLAB_UNRECLAIMABLE_B,
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_PAGETABLE,
	NR_VMALLOC,
	NR_BALLOON_PAGES,	/* mm/balloon.c: RAM lent to the host (v6.15) */
	NR_VM_NODE_STAT_ITEMS
};

/*
 * The slab items count bytes (the _B names): callers add bytes and read
 * pages, as in the kernel.  ukmem keeps the bytes themselves (the kernel
 * keeps pages), so the readers below convert.
 */
static inline bool vmstat_item_in_bytes(int idx)
{
	return idx == NR_SLAB_RECLAIMABLE_B || idx == NR_SLAB_UNRECLAIMABLE_B;
}

/* Per-CPU page lists: orders 0..PAGE_ALLOC_COSTLY_ORDER per pcp type, +THP. */
#define NR_LOWORDER_PCP_LISTS	(MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_THP		1
#define NR_PCP_LISTS		(NR_LOWORDER_PCP_LISTS + NR_PCP_THP)

struct per_cpu_pages {
	spinlock_t lock;	/* this CPU's lists; trylock, never waited on */
	int count;		/* pages on the lists */
	int high;		/* drain down to high - batch above this */
	int batch;		/* pages moved to/from the buddy lists at once */
	short free_factor;	/* batch scaling when freeing (nr_pcp_free) */
	struct list_head lists[NR_PCP_LISTS];
} __aligned(L1_CACHE_BYTES);

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;		/* free blocks of this order */
};

struct pglist_data;

struct zone {
	/* Read-mostly part: watermarks and layout. */
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	long lowmem_reserve[MAX_NR_ZONES];
	int node;
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;	/* [nr_cpu_ids] */
	int pageset_high;
	int pageset_high_max;		/* v6.7+'s pcp high_max (zoneinfo; high stays at high_min) */
	int pageset_batch;
	u8 *pageblock_flags;		/* migratetype per pageblock */
	unsigned long zone_start_pfn;
	atomic_long_t managed_pages;
	unsigned long spanned_pages;
	unsigned long present_pages;
	const char *name;
	bool initialized;

	/* Deferred pool: whole max-order blocks never touched yet. */
	unsigned long deferred_cursor;	/* next pfn to examine */
	unsigned long deferred_end;
	unsigned long nr_deferred;	/* blocks of MAX_PAGE_ORDER in the pool */
	unsigned long nr_reported;	/* free blocks handed back to the host */
	unsigned long nr_reported_pages;	/* and their pages */
	unsigned long reporting_due;	/* jiffies of the next reporting pass; 0: none due */
	unsigned int reporting_work;	/* reporting to do once zone->lock is released */
	/*
	 * Reported memory taken back (mm/page_reporting.c): the keep grows by
	 * what a program re-took, up to page_reporting.adapt_max blocks, and
	 * shrinks by a block per page_reporting.delay_ms without a re-take.
	 */
	unsigned long reporting_boost;		/* pages kept on top of the keep */
	unsigned long reporting_stamp;		/* jiffies: last re-take, or last shrink */
	unsigned long nr_reports;		/* blocks handed back, ever */
	unsigned long nr_retaken;		/* reported blocks allocated again, ever */
	struct page *irq_deferred_free;	/* freed in a signal handler while zone->lock was busy */
	/*
	 * ukmem: the most pages ever out of the buddy lists (managed less
	 * NR_FREE_PAGES), seen where pages leave them under zone->lock (the
	 * per-CPU lists' refills, the buddy path); the exit report's peak.
	 */
	unsigned long peak_used;

	/* Write-intensive part, in its own cache line. */
	spinlock_t lock __aligned(L1_CACHE_BYTES);
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned long flags;
	atomic_long_t vm_stat[NR_VM_ZONE_STAT_ITEMS];
} __aligned(L1_CACHE_BYTES);

enum {
	ZONELIST_FALLBACK,
	ZONELIST_NOFALLBACK,
	MAX_ZONELISTS
};

#define MAX_ZONES_PER_ZONELIST	(MAX_NUMNODES * MAX_NR_ZONES)

struct zoneref {
	struct zone *zone;
	int zone_idx;
};

struct zonelist {
	struct zoneref _zonerefs[MAX_ZONES_PER_ZONELIST + 1];
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	/* First zoneref of each zonelist usable by a request whose highest zone is z. */
	struct zoneref *zonelist_first[MAX_ZONELISTS][MAX_NR_ZONES];
	int nr_zones;			/* highest populated zone + 1 */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	unsigned long totalreserve_pages;
	atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS];

	/* kswapd (mm/vmscan.c): woken by allocations that find the node low. */
	u32 kswapd_wait;		/* futex word, bumped to wake it */
	int kswapd_sleeping;		/* asleep until woken ("waitqueue_active") */
	int kswapd_order;		/* highest order asked for since it last ran */
	int kswapd_highest_zoneidx;	/* highest zone asked for; MAX_NR_ZONES: none */
	int kswapd_failures;		/* balancing runs in a row that got nothing back */
	int kswapd_state;		/* KSWAPD_* (mm/vmscan.c) */
	unsigned long kswapd;		/* the thread (arch_thread_t) */
	int kswapd_pid;			/* the process it runs in */
	u64 kswapd_wake_ns;		/* when a wake last found it asleep */
	u64 kswapd_reclaim_ns;		/* when it last started to reclaim after that */
} pg_data_t;

UKMEM_API_BEGIN
extern struct pglist_data *node_data[MAX_NUMNODES];
extern int nr_online_nodes;
extern unsigned long max_low_pfn, max_pfn, min_low_pfn;
UKMEM_API_END

#define NODE_DATA(nid)		(node_data[(nid)])
#define for_each_online_node(nid) \
	for ((nid) = 0; (nid) < nr_online_nodes; (nid)++)
#define num_online_nodes()	(nr_online_nodes)
#define node_online(nid)	((nid) >= 0 && (nid) < nr_online_nodes)

/* A node's page frames: [node_start_pfn, node_end_pfn), with holes. */
static inline unsigned long pgdat_end_pfn(const pg_data_t *pgdat)
{
	return pgdat->node_start_pfn + pgdat->node_spanned_pages;
}
#define node_start_pfn(nid)	(NODE_DATA(nid)->node_start_pfn)
#define node_end_pfn(nid)	pgdat_end_pfn(NODE_DATA(nid))
#define node_present_pages(nid)	(NODE_DATA(nid)->node_present_pages)
#define node_spanned_pages(nid)	(NODE_DATA(nid)->node_spanned_pages)

/* The online nodes' data in node order (none before the boot). */
static inline struct pglist_data *first_online_pgdat(void)
{
	return READ_ONCE(nr_online_nodes) > 0 ? NODE_DATA(0) : NULL;
}
static inline struct pglist_data *next_online_pgdat(const struct pglist_data *pgdat)
{
	int nid = pgdat->node_id + 1;

	return nid < READ_ONCE(nr_online_nodes) ? NODE_DATA(nid) : NULL;
}
#define for_each_online_pgdat(pgdat) \
	for ((pgdat) = first_online_pgdat(); (pgdat); (pgdat) = next_online_pgdat(pgdat))

static inline unsigned long zone_managed_pages(const struct zone *zone)
{
	return (unsigned long)atomic_long_read(&zone->managed_pages);
}
static inline bool populated_zone(const struct zone *zone) { return zone->present_pages != 0; }
static inline bool managed_zone(const struct zone *zone) { return zone_managed_pages(zone) != 0; }
static inline int zone_idx(const struct zone *zone)
{
	return (int)(zone - zone->zone_pgdat->node_zones);
}
/*
 * Is the zone (index) highmem, without a permanent kernel address?  Only
 * ZONE_HIGHMEM of the i386 layout: ZONE_MOVABLE, which the kernel counts
 * as highmem when it is carved out of highmem, is never made there
 * (kernelcore= and movablecore= make no Movable zone in that layout).
 */
static inline int is_highmem_idx(enum zone_type idx)
{
	return idx == ZONE_HIGHMEM;
}
static inline bool is_highmem(const struct zone *zone)
{
	return is_highmem_idx((enum zone_type)zone_idx(zone));
}
static inline int zone_to_nid(const struct zone *zone)
{
	return zone->node;
}
static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}
static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < zone_end_pfn(zone);
}
static inline unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	long x = atomic_long_read(&zone->vm_stat[item]);
	return x < 0 ? 0 : (unsigned long)x;
}
/* ukmem: a node item as kept, in bytes for the byte items (never negative). */
static inline unsigned long ukmem_node_stat_raw(const struct pglist_data *pgdat,
						enum node_stat_item item)
{
	long x = atomic_long_read(&pgdat->vm_stat[item]);

	return x < 0 ? 0 : (unsigned long)x;
}
/* A node item in pages: a byte item (vmstat_item_in_bytes()) rounded down. */
static inline unsigned long node_page_state_pages(const struct pglist_data *pgdat,
						  enum node_stat_item item)
{
	unsigned long x = ukmem_node_stat_raw(pgdat, item);

	return vmstat_item_in_bytes(item) ? x >> PAGE_SHIFT : x;
}
/* A page item; the kernel's CONFIG_DEBUG_VM warns when it is asked for a byte item. */
static inline unsigned long node_page_state(const struct pglist_data *pgdat, enum node_stat_item item)
{
	VM_WARN_ON_ONCE(vmstat_item_in_bytes(item));
	return node_page_state_pages(pgdat, item);
}
/*
 * Read without zone->lock, as the kernel's are: the boost is raised under
 * the lock by a fallback steal and decays under it, the watermarks change
 * with a sysctl; a reader wants one value of each, not a consistent pair.
 */
#define wmark_pages(z, i)	(READ_ONCE((z)->_watermark[i]) + READ_ONCE((z)->watermark_boost))
#define min_wmark_pages(z)	wmark_pages(z, WMARK_MIN)
#define low_wmark_pages(z)	wmark_pages(z, WMARK_LOW)
#define high_wmark_pages(z)	wmark_pages(z, WMARK_HIGH)

UKMEM_API_BEGIN
/* Iteration over the zones of all online nodes; the first boots the machine. */
struct zone *ukmem_first_zone(void);
struct zone *ukmem_next_zone(struct zone *zone);
extern const char * const zone_names[MAX_NR_ZONES];
/* True when the zone type exists in the boot layout (64-bit or 32-bit). */
bool zone_type_configured(enum zone_type type);
/*
 * Would an allocation of @order leave @z above @mark (a watermark, in
 * pages), with the reserve kept for requests of zones up to
 * @highest_zoneidx?  @alloc_flags: 0, or the page allocator's internal
 * ALLOC_* flags (mm/internal.h).  Blocks of order below @order do not
 * count, as in the kernel.
 */
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags);
UKMEM_API_END

#define for_each_zone(zone) \
	for (zone = ukmem_first_zone(); zone; zone = ukmem_next_zone(zone))
#define for_each_populated_zone(zone)			\
	for_each_zone(zone)				\
		if (!populated_zone(zone)) ; else

UKMEM_C_END

#endif /* _LINUX_MMZONE_H */
