/* SPDX-License-Identifier: MIT */
/*
 * linux/vmstat.h - counting vm events (include/linux/vmstat.h).
 *
 * The kernel keeps them per CPU and sums them for /proc/vmstat.  Every
 * event here happens on a reclaim path, never on an allocation fast path,
 * so one shared counter each is cheap enough and exact.
 */
#ifndef _LINUX_VMSTAT_H
#define _LINUX_VMSTAT_H

#include <linux/vm_event_item.h>
#include <linux/atomic.h>

UKMEM_C_BEGIN

UKMEM_API_BEGIN
extern atomic_long_t ukmem_vm_events[NR_VM_EVENT_ITEMS];
UKMEM_API_END

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
