/* SPDX-License-Identifier: MIT */
/*
 * linux/vmstat.h - the zone and node counters' readers and writers, and
 * the vm events (include/linux/vmstat.h).
 *
 * Counters: zone_page_state() and node_page_state() (linux/mmzone.h) read
 * one zone's or node's; the global_* calls sum them over the machine.
 * Every counter is one atomic, exact at any time, so
 * zone_page_state_snapshot() is zone_page_state(), and the __ writers
 * (the kernel's for callers with interrupts off) are the plain ones.
 *
 * Events: the kernel keeps them per CPU and sums them for /proc/vmstat.
 * Every event here happens on a reclaim path, never on an allocation fast
 * path, so one shared counter each is cheap enough and exact.
 */
#ifndef _LINUX_VMSTAT_H
#define _LINUX_VMSTAT_H

#include <linux/vm_event_item.h>
#include <linux/atomic.h>

UKMEM_C_BEGIN

struct page;

UKMEM_API_BEGIN
extern atomic_long_t ukmem_vm_events[NR_VM_EVENT_ITEMS];

/* Machine-wide sums (the first call boots); a byte item's in pages. */
unsigned long global_zone_page_state(enum zone_stat_item item);
unsigned long global_node_page_state_pages(enum node_stat_item item);
unsigned long global_node_page_state(enum node_stat_item item);	/* page items */
/* The zones of node @node summed. */
unsigned long sum_zone_node_page_state(int node, enum zone_stat_item item);

/* Writers: a byte item (vmstat_item_in_bytes()) moves by bytes. */
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
void inc_zone_page_state(struct page *page, enum zone_stat_item item);
void dec_zone_page_state(struct page *page, enum zone_stat_item item);
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta);
void inc_node_state(struct pglist_data *pgdat, enum node_stat_item item);
void inc_node_page_state(struct page *page, enum node_stat_item item);
void dec_node_page_state(struct page *page, enum node_stat_item item);

/* The names /proc/vmstat gives the counters and events (NULL: no such item). */
const char *zone_stat_name(enum zone_stat_item item);
const char *node_stat_name(enum node_stat_item item);
const char *vm_event_name(enum vm_event_item item);
/* Every vm event's count into @ret, NR_VM_EVENT_ITEMS of them, in enum order. */
void all_vm_events(unsigned long *ret);
UKMEM_API_END

#define __mod_zone_page_state(zone, item, delta)	mod_zone_page_state(zone, item, delta)
#define __inc_zone_page_state(page, item)		inc_zone_page_state(page, item)
#define __dec_zone_page_state(page, item)		dec_zone_page_state(page, item)
#define __mod_node_page_state(pgdat, item, delta)	mod_node_page_state(pgdat, item, delta)
#define __inc_node_page_state(page, item)		inc_node_page_state(page, item)
#define __dec_node_page_state(page, item)		dec_node_page_state(page, item)

static inline unsigned long zone_page_state_snapshot(const struct zone *zone,
						     enum zone_stat_item item)
{
	return zone_page_state(zone, item);
}

static inline void count_vm_events(enum vm_event_item item, long delta)
{
	atomic_long_add(delta, &ukmem_vm_events[item]);
}

static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

#define __count_vm_event(item)		count_vm_event(item)
#define __count_vm_events(item, d)	count_vm_events(item, d)
/* Per-zone events: the event of zone type @zid (FOR_ALL_ZONES order). */
#define __count_zid_vm_events(item, zid, delta) \
	count_vm_events((enum vm_event_item)(item##_DMA + (zid)), (delta))

UKMEM_C_END

#endif /* _LINUX_VMSTAT_H */
