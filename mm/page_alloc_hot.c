/* SPDX-License-Identifier: MIT */
/*
 * mm/page_alloc_hot.c - per-CPU stacks of order-0 pages in front of the
 * pcp lists (ukmem's own layer; the kernel has none).
 *
 * The kernel's order-0 fast path takes the CPU's pcp lock with a trylock
 * (interrupts or preemption off, in effect), walks the zonelist, checks
 * the watermark and unlinks a page from a list.  Here a thread can be
 * preempted anywhere, so the pcp lock is a real atomic trylock, and the
 * list operations write to the neighbouring pages' struct page lines.  In
 * front of the order-0 lists each CPU keeps, per zone and pcp migratetype,
 * a small stack of pages (arch/rseq.h: a restartable sequence pops or
 * pushes without an atomic instruction, the slab layer's own per-CPU
 * stacks).  Which is what the kernel's pcp list is for, one level
 * thinner:
 *
 * - alloc_pages() of order 0 (mm/page_alloc.c alloc_page_hot) finds the
 *   zone for its gfp bits in a 32-entry table, does the zone's order-0
 *   low-watermark test (as zone_watermark_fast() does before every pcp
 *   allocation: the stacks never let an allocation through that the lists
 *   would refuse), pops a page and prepares it as rmqueue's would be.
 *   Anything else (hooks on, a failed watermark test, an empty or busy
 *   stack) takes the unchanged path below, whose pcp allocation refills
 *   this CPU's stack with PCP_HOT_BATCH pages from the list it holds.
 * - A freed order-0 page that would go to a pcp list is pushed instead;
 *   a full stack sends the free to the list path, which first moves the
 *   stack's older half onto the list's head, the warm end it allocates
 *   from (and that list's high mark then drains its cold end to the buddy
 *   lists as before).
 *
 * Pages on a stack are pcp pages in every other respect: not counted in
 * NR_FREE_PAGES, counted in the pageset's "count" of /proc/zoneinfo and
 * show_mem, given back by drain_local_pages()/drain_all_pages() (which
 * reclaim, the OOM path and malloc_trim call), and checked by the page
 * census (ukmem_check_page_allocator).
 *
 * Ownership.  A stack's lock word is taken (ARCH_PCPU_LOCAL by a refill
 * or flush on this CPU, a remote token by a drain) only by a thread that
 * holds a pcp lock of the same zone, and released before that pcp lock.
 * So fork's step, which holds every pcp lock, sees every stack free, and
 * a drain that holds CPU n's pcp lock waits for a stack only while its
 * holder finishes a few loads and stores.  A remote owner's token is
 * made good by membarrier's rseq fence (arch_rseq_fence): no sequence
 * that saw the stack free can commit after it.
 *
 * Off (the lists alone, as before) where arch_rseq_init() fails (no rseq,
 * valgrind without slab_rseq=fake, ThreadSanitizer builds), on NUMA
 * machines (the stacks serve node 0's zonelist only), or with pcp_rseq=0.
 */
#include <string.h>

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "mm/pcp_hot.h"

struct pcp_hot_globals pcp_hot;
bool pcp_rseq_disabled;

_Static_assert(PCP_HOT_STACK_BYTES % 64 == 0, "a stack fills whole cache lines");

void pcp_hot_zone_init(struct zone *zone)
{
	size_t cpu_bytes = (size_t)PCP_HOT_STACK_BYTES * MIGRATE_PCPTYPES;
	char *mem = memblock_alloc_node(cpu_bytes * nr_cpu_ids, SMP_CACHE_BYTES, zone->node);
	unsigned int cpu;
	int mt;

	if (!mem)
		return;		/* this zone goes without stacks: its pages use the lists */
	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
		struct arch_pcpu_stacks *d = pcp_hot_stacks_of(zone, mt);

		d->nr = 0;	/* published by pcp_hot_enable() */
		d->stride = (u32)cpu_bytes;
		d->base = mem + (size_t)mt * PCP_HOT_STACK_BYTES;
		for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
			struct arch_pcpu_stack *st = arch_pcpu_stack_of(d, cpu);

			st->lock = 0;
			st->size = 0;
			st->capacity = PCP_HOT_CAPACITY;
			st->capacity_high = 0;
		}
	}
}

/* CPU @cpu's stack of @zone's pages of @migratetype. */
static struct arch_pcpu_stack *cpu_stack(const struct zone *zone, int migratetype,
					 unsigned int cpu)
{
	return arch_pcpu_stack_of(pcp_hot_stacks_of(zone, migratetype), cpu);
}

/* After the route table is built (pcp_hot_build_routes()): the stacks go live. */
void pcp_hot_enable(void)
{
	struct zone *zone;
	int mt;

	for_each_populated_zone(zone)
		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			struct arch_pcpu_stacks *d = pcp_hot_stacks_of(zone, mt);

			if (d->base)
				__atomic_store_n(&d->nr, nr_cpu_ids, __ATOMIC_RELEASE);
		}
	__atomic_store_n(&pcp_hot.rseq, arch_rseq_offset(), __ATOMIC_RELEASE);
}

/* ---- this CPU's stack, under a pcp lock ---- */

void pcp_hot_refill(struct zone *zone, struct per_cpu_pages *pcp, int migratetype)
{
	long rseq = data_race(pcp_hot.rseq);
	struct list_head *list = &pcp->lists[migratetype];	/* order 0's list */
	struct arch_pcpu_stack *st;
	struct page *page;
	unsigned int moved = 0, i;

	if (!rseq || list_empty(list))
		return;
	st = arch_rseq_stack_lock(pcp_hot_stacks_of(zone, migratetype), rseq);
	if (!st)
		return;
	if (st->size < PCP_HOT_BATCH) {
		list_for_each_entry(page, list, lru)
			if (++moved == PCP_HOT_BATCH - st->size)
				break;
		/* The list's head (its hottest page) ends on top, popped first. */
		for (i = moved; i-- > 0;) {
			page = list_first_entry(list, struct page, lru);
			list_del(&page->lru);
			st->objects[st->size + i] = page;
		}
		st->size += moved;
		WRITE_ONCE(pcp->count, pcp->count - (int)moved);
	}
	arch_pcpu_stack_unlock(st);
}

void pcp_hot_flush(struct zone *zone, struct per_cpu_pages *pcp, int migratetype)
{
	long rseq = data_race(pcp_hot.rseq);
	struct list_head *list = &pcp->lists[migratetype];
	struct arch_pcpu_stack *st;
	unsigned int i;

	if (!rseq)
		return;
	st = arch_rseq_stack_lock(pcp_hot_stacks_of(zone, migratetype), rseq);
	if (!st)
		return;
	if (st->size == st->capacity) {
		/*
		 * The older half (the bottom) goes to the list's head, oldest
		 * first: freed more recently than anything on the list, they are
		 * the warmest pages it has, and the next refill takes them back.
		 */
		for (i = 0; i < PCP_HOT_BATCH; i++)
			list_add(&((struct page *)st->objects[i])->lru, list);
		memmove(&st->objects[0], &st->objects[PCP_HOT_BATCH],
			(st->size - PCP_HOT_BATCH) * sizeof(st->objects[0]));
		st->size -= PCP_HOT_BATCH;
		WRITE_ONCE(pcp->count, pcp->count + PCP_HOT_BATCH);
	}
	arch_pcpu_stack_unlock(st);
}

/* ---- any CPU's stacks, for a remote owner ---- */

unsigned long pcp_hot_count(const struct zone *zone, unsigned int cpu)
{
	unsigned long pages = 0;
	int mt;

	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
		const struct arch_pcpu_stacks *d = pcp_hot_stacks_of(zone, mt);

		if (cpu < __atomic_load_n(&d->nr, __ATOMIC_ACQUIRE))
			pages += READ_ONCE(arch_pcpu_stack_of(d, cpu)->size);
	}
	return pages;
}

static void hot_fence(int cpu)
{
	if (arch_rseq_fence(cpu) && arch_rseq_fence(-1))
		panic("page_alloc: membarrier refused the rseq fence: per-CPU page stacks unsafe\n");
}

/* CAS @token into CPU @cpu's stacks of @zone; true if all three hold it now. */
static bool try_take_cpu(const struct zone *zone, unsigned int cpu, u32 token)
{
	bool all = true;
	int mt;

	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
		all &= arch_pcpu_stack_take(cpu_stack(zone, mt, cpu), token);
	return all;
}

/* After the fence: did a local lock that read the word free commit over ours? */
static bool cpu_still_ours(const struct zone *zone, unsigned int cpu, u32 token)
{
	int mt;

	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
		if (!arch_pcpu_stack_held(cpu_stack(zone, mt, cpu), token))
			return false;
	return true;
}

static void release_cpu(const struct zone *zone, unsigned int cpu, u32 token)
{
	int mt;

	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
		arch_pcpu_stack_release(cpu_stack(zone, mt, cpu), token);
}

static bool zone_has_stacks(const struct zone *zone)
{
	return data_race(pcp_hot.rseq) && zone->per_cpu_pageset &&
	       __atomic_load_n(&pcp_hot_stacks_of(zone, 0)->nr, __ATOMIC_ACQUIRE);
}

/* Move every page of CPU @cpu's stacks (owned by the caller) onto its pcp lists. */
static void spill_owned(struct zone *zone, unsigned int cpu)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	int mt;

	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
		struct arch_pcpu_stack *st = cpu_stack(zone, mt, cpu);
		unsigned int i;

		for (i = 0; i < st->size; i++)
			list_add(&((struct page *)st->objects[i])->lru, &pcp->lists[mt]);
		WRITE_ONCE(pcp->count, pcp->count + (int)st->size);
		WRITE_ONCE(st->size, 0);
	}
}

/*
 * Own the stacks of CPUs [first, end) of @zone with @token: a token in each
 * lock word, then the rseq fence (@fence_cpu, or -1 for all), then a check
 * that no local lock read the word free and committed over it; again until
 * all are ours (a refill or flush there takes a few stores more).
 */
static void own_cpus(const struct zone *zone, unsigned int first, unsigned int end, int fence_cpu,
		     u32 token)
{
	unsigned int cpu;

	for (;;) {
		bool all = true;

		for (cpu = first; cpu < end; cpu++)
			all &= try_take_cpu(zone, cpu, token);
		hot_fence(fence_cpu);
		for (cpu = first; all && cpu < end; cpu++)
			all = cpu_still_ours(zone, cpu, token);
		if (all)
			return;
		arch_cpu_relax();
	}
}

void pcp_hot_spill(struct zone *zone, unsigned int cpu)
{
	u32 token;

	if (!zone_has_stacks(zone) || !pcp_hot_count(zone, cpu))
		return;
	token = arch_pcpu_remote_token();
	own_cpus(zone, cpu, cpu + 1, (int)cpu, token);
	spill_owned(zone, cpu);
	release_cpu(zone, cpu, token);
}

unsigned long pcp_hot_take_zone(struct zone *zone)
{
	unsigned long pages = 0;
	unsigned int cpu;

	if (!zone_has_stacks(zone))
		return 0;
	own_cpus(zone, 0, nr_cpu_ids, -1, arch_pcpu_remote_token());
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		pages += pcp_hot_count(zone, cpu);
	return pages;
}

void pcp_hot_release_zone(struct zone *zone)
{
	u32 token = arch_pcpu_remote_token();
	unsigned int cpu;

	if (!zone_has_stacks(zone))
		return;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		release_cpu(zone, cpu, token);
}

/*
 * The child of fork(2), every pcp lock held by the fork (so every stack is
 * free): membarrier's registration belongs to the process, and the child
 * must make its own; where it cannot, the stacks' pages go to the lists
 * and the lists alone serve it.
 */
void pcp_hot_fork_child(void)
{
	struct zone *zone;
	unsigned int cpu;

	if (!data_race(pcp_hot.rseq) || arch_rseq_init())
		return;
	for_each_populated_zone(zone)
		if (zone_has_stacks(zone))
			for (cpu = 0; cpu < nr_cpu_ids; cpu++)
				spill_owned(zone, cpu);
	__atomic_store_n(&pcp_hot.rseq, 0, __ATOMIC_RELEASE);
}

/* ---- going live, at the end of the boot ---- */

/*
 * The per-CPU page stacks' routes: for each combination of the zone and
 * mobility bits, node 0's first zone the gfp may use and the stacks of its
 * migratetype; none for impossible combinations, which keep their warning
 * on the lists' path.  The __GFP_MOVABLE combinations go in movable_route
 * and have no zone in the fast path's table: memalloc_pin_save() may take
 * the bit away, and only the out-of-line path reads the task's flags.
 */
static void pcp_hot_build_routes(void)
{
	unsigned int bits;

	for (bits = 0; bits <= PCP_HOT_ROUTE_MASK; bits++) {
		struct pcp_hot_route *route = (bits & ___GFP_MOVABLE) ? &pcp_hot.movable_route[bits] :
								       &pcp_hot.route[bits];
		unsigned int highest = gfp_zone_entry(bits);
		int mt = gfp_migratetype((gfp_t)bits);
		struct zoneref *z;

		pcp_hot.route[bits].zone = NULL;
		route->zone = NULL;
		if (highest == PCP_HOT_ZONE_BAD || mt >= MIGRATE_PCPTYPES)
			continue;
		z = NODE_DATA(0)->zonelist_first[ZONELIST_FALLBACK][highest];
		if (!z || !z->zone || z->zone_idx > (int)highest || !z->zone->per_cpu_pageset ||
		    !pcp_hot_stacks_of(z->zone, mt)->base)
			continue;
		route->stacks = pcp_hot_stacks_of(z->zone, mt);
		route->highest_zoneidx = highest;
		route->zone = z->zone;
	}
}

void page_alloc_init_late(void)
{
	page_pcp_init_late();
	if (pcp_rseq_disabled || nr_online_nodes > 1 || !arch_rseq_init())
		return;
	pcp_hot_build_routes();
	pcp_hot_enable();
}
