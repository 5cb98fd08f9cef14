// SPDX-License-Identifier: MIT
/*
 * mm/balloon.c - giving free RAM's address space back to the host when a
 * limit on the address space refuses a mapping, and taking it back when
 * RAM runs short: a memory balloon, as a virtual machine's balloon driver
 * (drivers/virtio/virtio_balloon.c with VIRTIO_BALLOON_F_DEFLATE_ON_OOM)
 * lends guest pages to its host.
 *
 * Why: the boot reserves the RAM range ahead (init/main.c setup_ram()).
 * Under RLIMIT_AS (or RLIMIT_DATA) that reservation counts against the
 * limit whether pages are used or not, so half of what the limit left
 * was RAM and the malloc front end's largest blocks (host mappings,
 * malloc/host.c) could use only the other half: python3's bytearray of
 * 300 MB failed under `ulimit -v 1000000` where glibc's malloc made it.
 *
 * Inflating (balloon_inflate(), called when the host refuses a mapping):
 * max-order blocks of RAM that are wholly free, taken from the top of the
 * linear map down with alloc_contig_range(), are unmapped from the linear
 * map, which gives their address space (and commit charge) back to the
 * host.  The pages stay allocated, as a balloon's pages do: MemFree falls,
 * MemTotal does not (with deflate-on-OOM the kernel leaves
 * the managed page count alone too), and meminfo's Balloon: line and
 * vmstat's nr_balloon_pages (v6.15's NR_BALLOON_PAGES) count them, and
 * vmstat's balloon_inflate and balloon_deflate the pages moved.  A
 * zone keeps its high watermark plus a block free: inflating never drives
 * RAM into reclaim.
 *
 * Deflating (a shrinker, so that any allocation that may reclaim, the
 * malloc front end's __GFP_NORETRY ones included, gets the memory back
 * before it fails; the kernel's balloon deflates from its OOM notifier,
 * which __GFP_NORETRY never reaches): a ballooned block is mapped again
 * at its linear address, if the host allows it and nothing else took the
 * hole meanwhile, and freed.  A block whose address another mapping took
 * stays in the balloon until that mapping goes away.
 *
 * Only the linear map's zones (not highmem), only max-order blocks
 * (4 MiB), only in task context, and only under a limit: without one the
 * RAM range costs nothing, and a mapping refused for another reason
 * (vm.max_map_count) would not be helped by a hole in RAM.
 *
 * Locking: balloon_mutex serialises inflating and deflating and is held
 * across fork(), so that a child never sees a block half moved.  The
 * shrinker never waits for it in the thread that holds it (an
 * inflation's own allocation may reclaim), nor where its caller cannot
 * sleep.  Since reclaim may wait for it, it comes after every sleeping
 * lock held across an allocation that may reclaim (dmesg_lock's write
 * included), and nothing is allocated with reclaim under it.
 */
#include <errno.h>

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/shrinker.h>
#include <linux/vmstat.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"

/* Blocks the balloon can track: 256 GiB of RAM (8 KiB of bss, untouched until used). */
#define BALLOON_MAX_BLOCKS	65536UL
#define BLOCK_PAGES		MAX_ORDER_NR_PAGES
#define BLOCK_BYTES		(BLOCK_PAGES << PAGE_SHIFT)

static DEFINE_MUTEX_RANKED(balloon_mutex, LOCK_RANK_BALLOON);
/* One bit per max-order block in the balloon; under balloon_mutex. */
static unsigned long balloon_map[BALLOON_MAX_BLOCKS / BITS_PER_LONG];
static unsigned long balloon_blocks;	/* bits set; read unlocked by the shrinker's count */
static bool balloon_ready;		/* shrinker and fork step registered */

static const struct fork_step balloon_fork_step = {
	.name = "balloon",
	.order = FORK_ORDER_BALLOON,
	.mutex = &balloon_mutex,
};

static bool block_ballooned(unsigned long idx)
{
	return (balloon_map[idx / BITS_PER_LONG] >> (idx % BITS_PER_LONG)) & 1;
}

static void block_mark(unsigned long idx, bool in)
{
	unsigned long bit = 1UL << (idx % BITS_PER_LONG);

	if (in)
		balloon_map[idx / BITS_PER_LONG] |= bit;
	else
		balloon_map[idx / BITS_PER_LONG] &= ~bit;
	WRITE_ONCE(balloon_blocks, balloon_blocks + (in ? 1 : -1));
}

static void count_balloon_pages(struct page *page, long nr)
{
	atomic_long_add(nr, &page_pgdat(page)->vm_stat[NR_BALLOON_PAGES]);
}

/* The zone a whole block at @pfn belongs to, if the balloon may take it. */
static struct zone *block_zone(unsigned long pfn)
{
	struct zone *zone = pfn_to_zone(pfn);

	if (!zone || !populated_zone(zone) || is_highmem(zone) ||
	    !zone_spans_pfn(zone, pfn + BLOCK_PAGES - 1))
		return NULL;
	return zone;
}

/* Would taking a block leave @zone above its high watermark? */
static bool zone_can_spare_block(struct zone *zone)
{
	return zone_page_state(zone, NR_FREE_PAGES) >= high_wmark_pages(zone) + 2 * BLOCK_PAGES;
}

static unsigned long balloon_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return READ_ONCE(balloon_blocks) * BLOCK_PAGES;
}

/* Take one ballooned block back into RAM: true if it is free memory again. */
static bool deflate_block(unsigned long idx)
{
	unsigned long pfn = idx * BLOCK_PAGES;
	struct page *page = pfn_to_page(pfn);

	if (arch_map_anon_at(page_address(page), BLOCK_BYTES))
		return false;	/* still refused, or another mapping sits in the hole */
	block_mark(idx, false);
	count_balloon_pages(page, -(long)BLOCK_PAGES);
	count_vm_events(BALLOON_DEFLATE, BLOCK_PAGES);	/* a page each, as the kernel's */
	__free_pages(page, MAX_PAGE_ORDER);
	return true;
}

/* Deflate up to @pages worth of blocks; returns the pages freed.  balloon_mutex held. */
static unsigned long deflate_locked(unsigned long pages)
{
	unsigned long freed = 0, idx = 0;

	while (freed < pages && READ_ONCE(balloon_blocks)) {
		idx = find_next_bit(balloon_map, BALLOON_MAX_BLOCKS, idx);
		if (idx >= BALLOON_MAX_BLOCKS)
			break;
		if (deflate_block(idx))
			freed += BLOCK_PAGES;
		idx++;
	}
	return freed;
}

/*
 * Reclaim in another thread (kswapd) may be deflating: an allocation that
 * can sleep waits for it rather than fail for a lock.  Not this thread's
 * own inflation, which holds the mutex when its allocation reclaims.
 */
static __thread bool balloon_holder;

static void balloon_lock(void)
{
	mutex_lock(&balloon_mutex);
	balloon_holder = true;
}

static void balloon_unlock(void)
{
	balloon_holder = false;
	mutex_unlock(&balloon_mutex);
}

static unsigned long balloon_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long freed;

	(void)s;
	if (!in_task() || balloon_holder)
		return SHRINK_STOP;
	if (!mutex_trylock(&balloon_mutex)) {
		if (!(sc->gfp_mask & __GFP_DIRECT_RECLAIM))
			return SHRINK_STOP;
		mutex_lock(&balloon_mutex);
	}
	balloon_holder = true;
	freed = deflate_locked(max(sc->nr_to_scan, 1UL));
	balloon_unlock();
	return freed ? freed : SHRINK_STOP;
}

/* The shrinker and the fork step, at the first inflation. */
static bool balloon_setup(void)
{
	static DEFINE_MUTEX_RANKED(setup_mutex, LOCK_RANK_BALLOON_SETUP);
	struct shrinker *s;

	if (smp_load_acquire(&balloon_ready))
		return true;
	mutex_lock(&setup_mutex);
	if (!balloon_ready) {
		s = shrinker_alloc(0, "balloon");
		if (s) {
			s->count_objects = balloon_count;
			s->scan_objects = balloon_scan;
			s->batch = BLOCK_PAGES;
			s->seeks = 0;	/* free memory: give it back at the first reclaim, not by priority */
			shrinker_register(s);
			fork_register_step(&balloon_fork_step);
			smp_store_release(&balloon_ready, true);
		}
	}
	mutex_unlock(&setup_mutex);
	return balloon_ready;
}

/* Take the free block at @pfn into the balloon and unmap it.  balloon_mutex held. */
static bool inflate_block(struct zone *zone, unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);

	if (!zone_can_spare_block(zone) || !contig_range_free(zone, pfn, pfn + BLOCK_PAGES))
		return false;
	/* A compound block comes frozen (v7.0+); the balloon holds its one reference. */
	if (alloc_contig_frozen_range(pfn, pfn + BLOCK_PAGES, ACR_FLAGS_NONE,
				      GFP_NOWAIT | __GFP_NOWARN | __GFP_COMP))
		return false;
	set_page_count(page, 1);
	if (arch_unmap_checked(page_address(page), BLOCK_BYTES)) {
		/* The host refused (a split at vm.max_map_count): the block is RAM again. */
		__free_pages(page, MAX_PAGE_ORDER);
		return false;
	}
	/*
	 * Pages vmap() once moved into the physical memory file keep that
	 * linear mapping when freed (mm/vmap_alias.c): the hole ends it, and
	 * a deflated block is private memory again, as after page reporting.
	 */
	vmalloc_linear_decommit(pfn, BLOCK_PAGES);
	block_mark(pfn / BLOCK_PAGES, true);
	count_balloon_pages(page, BLOCK_PAGES);
	count_vm_events(BALLOON_INFLATE, BLOCK_PAGES);
	return true;
}

unsigned long balloon_inflate(unsigned long bytes)
{
	unsigned long want = DIV_ROUND_UP(bytes, BLOCK_BYTES), got = 0, idx;

	if (!want || !in_task() || system_state != SYSTEM_RUNNING ||
	    arch_address_space_left() == ULONG_MAX || !balloon_setup())
		return 0;
	/* Pages on the per-CPU lists make their blocks look busy: back to the buddy first. */
	drain_all_pages(NULL);
	balloon_lock();
	idx = min(ukmem_ram_pfns / BLOCK_PAGES, BALLOON_MAX_BLOCKS);
	while (got < want && idx--) {
		struct zone *zone = block_zone(idx * BLOCK_PAGES);

		if (zone && !block_ballooned(idx) && inflate_block(zone, idx * BLOCK_PAGES))
			got++;
	}
	balloon_unlock();
	if (got)
		pr_debug("balloon: %lu MiB of RAM given back to the host\n", got * BLOCK_BYTES >> 20);
	return got * BLOCK_BYTES;
}

unsigned long balloon_deflate(unsigned long bytes)
{
	unsigned long freed;

	if (!READ_ONCE(balloon_blocks) || !in_task())
		return 0;
	balloon_lock();
	freed = deflate_locked(DIV_ROUND_UP(bytes, PAGE_SIZE));
	balloon_unlock();
	return freed << PAGE_SHIFT;
}
