/* SPDX-License-Identifier: MIT */
/*
 * linux/vm_event_item.h - the events /proc/vmstat counts
 * (include/linux/vm_event_item.h), in the kernel's order.
 *
 * Only events the library can have are listed; /proc/vmstat prints the
 * kernel's other lines with 0 where a kernel built without the feature
 * still prints them, and leaves out the groups such a kernel leaves out
 * (mm/vmstat.c, docs/reclaim.md).  Per-zone events (allocstall_*) take
 * the zone index from the request's highest zone.
 */
#ifndef _LINUX_VM_EVENT_ITEM_H
#define _LINUX_VM_EVENT_ITEM_H

#include <linux/mmzone.h>

#define FOR_ALL_ZONES(x)	x##_DMA, x##_DMA32, x##_NORMAL, x##_HIGH, x##_MOVABLE

enum vm_event_item {
	FOR_ALL_ZONES(ALLOCSTALL),	/* direct reclaim entered */
	PGSTEAL_KSWAPD,			/* pages kswapd got back */
	PGSTEAL_DIRECT,			/* pages direct reclaim got back */
	PGSCAN_KSWAPD,			/* pages kswapd looked at: taken, or partial slabs kept */
	PGSCAN_DIRECT,			/* pages direct reclaim looked at */
	SLABS_SCANNED,			/* objects the shrinkers were asked to scan */
	KSWAPD_LOW_WMARK_HIT_QUICKLY,	/* woken again within HZ/10 of balancing */
	KSWAPD_HIGH_WMARK_HIT_QUICKLY,	/* below high again before sleeping */
	PAGEOUTRUN,			/* kswapd balancing runs */
	DROP_PAGECACHE,			/* drop_caches & 1 */
	DROP_SLAB,			/* drop_caches & 2 */
	OOM_KILL,			/* OOM episodes (nothing is killed here) */
	BALLOON_INFLATE,		/* pages lent to the host (mm/balloon.c) */
	BALLOON_DEFLATE,		/* pages taken back from it */
	NR_VM_EVENT_ITEMS
};

#endif /* _LINUX_VM_EVENT_ITEM_H */
