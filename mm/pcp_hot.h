/* SPDX-License-Identifier: MIT */
/*
 * mm/pcp_hot.h - the per-CPU stacks of order-0 pages in front of the pcp
 * lists (ukmem's; mm/page_alloc_hot.c has the slow half and the design).
 *
 * What mm/page_alloc.c's fast paths inline: a pop for alloc_pages() of
 * order 0 and a push for a freed order-0 page, each one restartable
 * sequence on this CPU's stack of the zone and migratetype (arch/rseq.h),
 * no lock, no atomic instruction.
 */
#ifndef _MM_PCP_HOT_H
#define _MM_PCP_HOT_H

#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include "arch/rseq.h"

/*
 * Pages a stack holds: 16 + 8 * 14 bytes make a stack two cache lines,
 * and a CPU's three stacks of a zone (one per pcp migratetype) six.
 */
#define PCP_HOT_CAPACITY	14
/* Pages a refill moves in from the pcp list, and a full stack's flush out. */
#define PCP_HOT_BATCH		(PCP_HOT_CAPACITY / 2)
#define PCP_HOT_STACK_BYTES	(16 + 8 * PCP_HOT_CAPACITY)
#define PCP_HOT_ZONE_INDEXES	(1 << (NODES_SHIFT + ZONES_SHIFT))

/* Where an order-0 allocation with some zone and mobility bits goes. */
struct pcp_hot_route {
	struct zone *zone;			/* NULL: not by the stacks */
	const struct arch_pcpu_stacks *stacks;	/* the zone's, of the gfp's migratetype */
	long highest_zoneidx;			/* gfp_zone() of the bits */
};

#define PCP_HOT_ROUTE_MASK	(GFP_ZONEMASK | __GFP_RECLAIMABLE)

struct pcp_hot_globals {
	long rseq;		/* glibc's rseq offset while the stacks are in use; 0: off */
	/* The fast path's; none for __GFP_MOVABLE bits (memalloc_pin_save's check) */
	struct pcp_hot_route route[PCP_HOT_ROUTE_MASK + 1];
	/* By a page's zone index (page->flags >> ZONES_PGSHIFT), then migratetype. */
	struct arch_pcpu_stacks stacks[PCP_HOT_ZONE_INDEXES][MIGRATE_PCPTYPES];
	/* The __GFP_MOVABLE bits' routes, taken out of line after the pin scope */
	struct pcp_hot_route movable_route[PCP_HOT_ROUTE_MASK + 1];
};
extern struct pcp_hot_globals pcp_hot __attribute__((visibility("hidden")));
extern bool pcp_rseq_disabled;		/* pcp_rseq=0 on the command line */

_Static_assert(PCP_HOT_ROUTE_MASK == 0x1f, "route table indexed by the low five gfp bits");

/* mm/page_alloc_hot.c: the zone's stacks (memblock), and switching them on. */
void pcp_hot_zone_init(struct zone *zone);
void pcp_hot_enable(void);
/* mm/page_alloc.c: gfp_zone()'s table entry for zone modifier @bits, or PCP_HOT_ZONE_BAD. */
#define PCP_HOT_ZONE_BAD	0xff
unsigned int gfp_zone_entry(unsigned int bits);
/* Under @pcp's lock (this CPU's or not): fill this CPU's stack, empty a full one. */
void pcp_hot_refill(struct zone *zone, struct per_cpu_pages *pcp, int migratetype);
void pcp_hot_flush(struct zone *zone, struct per_cpu_pages *pcp, int migratetype);
/* Under CPU @cpu's pcp lock: its stacks' pages onto its pcp lists. */
void pcp_hot_spill(struct zone *zone, unsigned int cpu);
/* Pages CPU @cpu's stacks of @zone hold (a racy sum, for reports). */
unsigned long pcp_hot_count(const struct zone *zone, unsigned int cpu);
/* Under every pcp lock of @zone: own all the zone's stacks, and let go. */
unsigned long pcp_hot_take_zone(struct zone *zone);
void pcp_hot_release_zone(struct zone *zone);
/* fork(2)'s child, every pcp lock held: the stacks work there, or are emptied. */
void pcp_hot_fork_child(void);

static inline unsigned int zone_table_index(const struct zone *zone)
{
	return ((unsigned int)zone->node << ZONES_SHIFT) | (unsigned int)zone_idx(zone);
}

static inline struct arch_pcpu_stacks *pcp_hot_stacks_of(const struct zone *zone, int migratetype)
{
	return &pcp_hot.stacks[zone_table_index(zone)][migratetype];
}

#endif /* _MM_PCP_HOT_H */
