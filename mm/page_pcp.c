/* SPDX-License-Identifier: MIT */
/*
 * mm/page_pcp.c - the per-CPU page lists seen from outside the fast paths
 * (split from mm/page_alloc.c, where the kernel keeps them): a zone's
 * pagesets set up and sized (5.14+ zone_batchsize/zone_highsize), their
 * counts for the reports, the drains, and the allocator's fork step.
 *
 * The fast paths that fill and empty the lists stay in mm/page_alloc.c,
 * which hands whole batches back to the buddy lists (free_pcppages_bulk);
 * the per-CPU page stacks in front of the lists are mm/page_alloc_hot.c's.
 * Pages on a stack count and drain as pcp pages here.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/pcp_hot.h"

/* ---- setup and sizes ---- */

void zone_pcp_init(struct zone *zone)
{
	unsigned int cpu, i;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		spin_lock_init_ranked(&pcp->lock, LOCK_RANK_PCP);
		pcp->count = 0;
		pcp->high = 0;		/* the boot pageset: every free drains */
		pcp->batch = 1;
		pcp->free_factor = 0;
		for (i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&pcp->lists[i]);
	}
	pcp_hot_zone_init(zone);
}

/* mm/page_alloc.c zone_batchsize() and zone_highsize() (5.14+). */
void zone_set_pageset_high_and_batch(struct zone *zone)
{
	unsigned long batch = min(zone_managed_pages(zone) >> 10, (1UL << 20) / PAGE_SIZE);
	unsigned long high, cpus_on_node = 0;
	unsigned int cpu;

	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch = rounddown_pow_of_two(batch + batch / 2) - 1;
	if (batch < 1)
		batch = 1;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpu_to_node((int)cpu) == zone->node)
			cpus_on_node++;
	if (!cpus_on_node)
		cpus_on_node = nr_cpu_ids;
	high = low_wmark_pages(zone) / cpus_on_node;
	high = max(high, batch << 2);
	zone->pageset_batch = (int)batch;
	zone->pageset_high = (int)high;
	/* MIN_PERCPU_PAGELIST_HIGH_FRACTION (8): an eighth of the zone, split likewise. */
	zone->pageset_high_max = (int)max(zone_managed_pages(zone) / 8 / cpus_on_node, batch << 2);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		WRITE_ONCE(pcp->batch, (int)batch);
		WRITE_ONCE(pcp->high, (int)high);
	}
}

unsigned long zone_pcp_cpu_count(struct zone *zone, unsigned int cpu)
{
	if (!zone->per_cpu_pageset)
		return 0;
	return (unsigned long)max(READ_ONCE(zone->per_cpu_pageset[cpu].count), 0) +
	       pcp_hot_count(zone, cpu);
}

unsigned long zone_pcp_count(struct zone *zone)
{
	unsigned long count = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		count += zone_pcp_cpu_count(zone, cpu);
	return count;
}

/* ---- drains ---- */

static void drain_pages_zone(unsigned int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

	if (!READ_ONCE(pcp->count) && !pcp_hot_count(zone, cpu))
		return;
	/*
	 * A pcp lock is only ever trylocked by the fast paths: waiting is
	 * safe.  It holds its owner's id (a fork from a handler that
	 * interrupted the owner leaves it to that owner: kernel/fork.c).
	 */
	spin_lock_owned(&pcp->lock);
	pcp_hot_spill(zone, cpu);
	if (pcp->count)
		free_pcppages_bulk(zone, pcp->count, pcp, 0);
	arch_spin_unlock(&pcp->lock);
}

/* CPU @cpu's pages of @zone, or of every zone if @zone is NULL. */
static void drain_pages(unsigned int cpu, struct zone *zone)
{
	struct zone *z;

	if (zone) {
		if (zone->per_cpu_pageset)
			drain_pages_zone(cpu, zone);
		return;
	}
	for_each_populated_zone(z)
		drain_pages_zone(cpu, z);
}

void drain_local_pages(struct zone *zone)
{
	ukmem_ensure_booted();
	drain_pages((unsigned int)raw_smp_processor_id(), zone);
}

void drain_all_pages(struct zone *zone)
{
	unsigned int cpu;

	ukmem_ensure_booted();
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		drain_pages(cpu, zone);
	wake_free_waiters();
}

/* ---- fork ---- */

/* fork(): every pcp lock, then every zone lock (the allocator's lock order). */
static void page_alloc_fork_lock(void)
{
	struct zone *zone;
	unsigned int cpu;

	for_each_populated_zone(zone)
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			fork_lock(&zone->per_cpu_pageset[cpu].lock);
	for_each_populated_zone(zone)
		fork_lock(&zone->lock);
}

static void page_alloc_fork_unlock(void)
{
	struct zone *zone;
	unsigned int cpu;

	for_each_populated_zone(zone)
		fork_unlock(&zone->lock);
	for_each_populated_zone(zone)
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			fork_unlock(&zone->per_cpu_pageset[cpu].lock);
}

static void page_alloc_fork_child(void)
{
	pcp_hot_fork_child();	/* every pcp lock still held */
	page_alloc_fork_unlock();
}

static const struct fork_step page_alloc_fork_step = {
	.name = "page_alloc",
	.order = FORK_ORDER_PAGE_ALLOC,
	.lock = page_alloc_fork_lock,
	.parent = page_alloc_fork_unlock,
	.child = page_alloc_fork_child,
};

/* fork(2)'s step for the page allocator, from page_alloc_init_late(). */
void page_pcp_init_late(void)
{
	fork_register_step(&page_alloc_fork_step);
}
