/* SPDX-License-Identifier: MIT */
/*
 * mm/page_alloc_tables.c - the page allocator's tables, set up at boot:
 * a migratetype per pageblock (the kernel's pageblock flags, here a byte
 * each) and gfp_zone()'s table from zone modifier bits to the highest
 * zone a request may use, for the boot's zone layout.  The hot paths read
 * both inline (mm/internal.h).
 */
#include <string.h>

#include <linux/gfp.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include "mm/internal.h"
#include "mm/pcp_hot.h"

u8 *pageblock_mt;		/* mm/internal.h */

static void init_gfp_zone_table(void);

void page_alloc_init_tables(unsigned long nr_pfns)
{
	page_poison_init();		/* the command line is parsed */
	debug_pagealloc_init(nr_pfns);
	page_owner_init(nr_pfns);
	page_alloc_update_hooks();
	unsigned long nr_blocks = DIV_ROUND_UP(nr_pfns, pageblock_nr_pages);

	pageblock_mt = memblock_alloc(nr_blocks, SMP_CACHE_BYTES);
	if (!pageblock_mt)
		panic("%s: cannot allocate page tables for %lu pages", __func__, nr_pfns);
	/* Every pageblock starts movable, as memmap_init leaves them. */
	memset(pageblock_mt, MIGRATE_MOVABLE, nr_blocks);
	init_gfp_zone_table();
}

int get_pageblock_migratetype(const struct page *page)
{
	return READ_ONCE(pageblock_mt[page_to_pfn(page) >> pageblock_order]);
}

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	WRITE_ONCE(pageblock_mt[page_to_pfn(page) >> pageblock_order], (u8)migratetype);
}

/*
 * gfp_zone(): the highest zone a request may use, from the zone modifier
 * bits (include/linux/gfp.h GFP_ZONE_TABLE), for the boot layout.  The
 * table is filled at boot; PCP_HOT_ZONE_BAD marks the impossible combinations.
 */
u8 gfp_zone_tbl[GFP_ZONEMASK + 1];
_Static_assert(GFP_ZONE_TBL_BAD == PCP_HOT_ZONE_BAD, "one marker for both tables");

static void init_gfp_zone_table(void)
{
	u8 dma32 = ukmem_has_zone[ZONE_DMA32] ? ZONE_DMA32 : ZONE_NORMAL;
	u8 high = ukmem_has_zone[ZONE_HIGHMEM] ? ZONE_HIGHMEM : ZONE_NORMAL;

	memset(gfp_zone_tbl, PCP_HOT_ZONE_BAD, sizeof(gfp_zone_tbl));
	gfp_zone_tbl[0] = ZONE_NORMAL;
	gfp_zone_tbl[___GFP_DMA] = ZONE_DMA;
	gfp_zone_tbl[___GFP_HIGHMEM] = high;
	gfp_zone_tbl[___GFP_DMA32] = dma32;
	gfp_zone_tbl[___GFP_MOVABLE] = ZONE_NORMAL;
	gfp_zone_tbl[___GFP_MOVABLE | ___GFP_DMA] = ZONE_DMA;
	gfp_zone_tbl[___GFP_MOVABLE | ___GFP_HIGHMEM] = ZONE_MOVABLE;
	gfp_zone_tbl[___GFP_MOVABLE | ___GFP_DMA32] = dma32;
}

noinline enum zone_type gfp_zone_bad(gfp_t flags)
{
	/* VM_BUG_ON in the kernel; a caller's error here, so warn and go on. */
	WARN_ONCE(1, "gfp_zone: invalid zone modifiers %#x in gfp %#x\n",
		  flags & GFP_ZONEMASK, flags);
	return ZONE_NORMAL;
}

enum zone_type gfp_zone(gfp_t flags)
{
	return __gfp_zone(flags);
}

/* The table's entry for zone modifier @bits, PCP_HOT_ZONE_BAD included (mm/page_alloc_hot.c's routes). */
unsigned int gfp_zone_entry(unsigned int bits)
{
	return gfp_zone_tbl[bits & GFP_ZONEMASK];
}
