/* SPDX-License-Identifier: MIT */
/*
 * mm/internal.h - what crosses files inside mm/, grouped by the file that
 * defines it (the kernel's mm/internal.h plays the same role).
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <stdio.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/memblock.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/smp.h>
#include <ukmem/boot.h>

/* ---- boot state (init/main.c) ---- */
enum system_states {
	SYSTEM_OFF,		/* nothing set up */
	SYSTEM_BOOTING,		/* memblock only */
	SYSTEM_RUNNING,		/* buddy allocator up */
};
/*
 * Atomic (sequentially consistent; a plain load on x86): a thread that
 * did not boot the machine reads it on its first call, while the boot runs
 * on another thread, and once it sees SYSTEM_RUNNING it must see
 * everything the boot wrote.  The kernel boots before any other CPU runs
 * and needs no such ordering.
 */
extern _Atomic(enum system_states) system_state;
/*
 * The implicit boot panicked (the host refused what it needs): the
 * machine stays down and every allocation fails (init/main.c).  Not the
 * same as "not running": the boot's own allocations run before that.
 */
bool ukmem_boot_failed(void);
/* A fork from ordinary code waits for a boot running in another thread (init/main.c). */
void boot_wait_for_fork(void);
/* Boot on first use (ukmem_boot_slow() is in <ukmem/boot.h>); cheap once booted. */
static __always_inline void ukmem_ensure_booted(void)
{
	if (unlikely(system_state != SYSTEM_RUNNING))
		ukmem_boot_slow();
}

/* Boot parameters, set by kernel/params.c handlers before mm is set up. */
struct ukmem_boot_config {
	phys_addr_t mem_limit;		/* mem=; 0 = host RAM */
	char mem_arg[32];		/* mem='s text, for messages */
	int numa_nodes;			/* numa= / numa=fake= */
	phys_addr_t numa_fake_size;	/* numa=fake=<size>: nodes of that size; 0 = none */
	unsigned long numa_fake_uniform; /* numa=fake=NU: N (RAM decides: init/main.c); 0 = none */
	phys_addr_t numa_fake_node_bytes; /* either form: the nodes' size as settled; 0 = by count */
	int min_free_kbytes;		/* min_free_kbytes=; -1 = computed */
	int watermark_scale_factor;	/* 10 = 0.1% */
	bool memblock_debug;		/* memblock=debug */
	bool layout_32bit;		/* highmem layout (issue 5) */
	int nr_memmap;			/* memmap=nn$ss reservations */
	struct { phys_addr_t base, size; } memmap[16];
	unsigned long page_reporting_keep;	/* max-order blocks' worth kept committed per zone */
	unsigned int page_reporting_order;	/* smallest free block reported */
	unsigned int page_reporting_delay_ms;	/* free blocks below max order wait this long */
	unsigned long page_reporting_adapt_max;	/* max-order blocks the keep may grow by */
	unsigned int page_reporting_adapt_ms;	/* and shrinks by one per this long unused */
	int page_reporting_unmap;		/* 1 unmap, 0 discard, -1 as the host's overcommit says */
	int vmalloc_guard;			/* 0 off, 1 mprotect, 2 madvise, -1 auto */
	int kswapd_mode;			/* kswapd=: KSWAPD_MODE_* (mm/vmscan.c) */
	/* kernelcore= / movablecore=: pages, or a percentage of memory (ZONE_MOVABLE) */
	unsigned long kernelcore_pages, kernelcore_percent;
	unsigned long movablecore_pages, movablecore_percent;
	bool kernelcore_mirror;			/* kernelcore=mirror */
};
/* kswapd=on (the default: started on its first wake), off, boot (started at boot). */
enum { KSWAPD_MODE_ON, KSWAPD_MODE_OFF, KSWAPD_MODE_BOOT };
extern struct ukmem_boot_config boot_config;
/* malloc.abort_on_corruption= (kernel/params.c): the malloc front end's policy. */
extern bool ukmem_malloc_abort;

/* kernel/smp.c: the host's CPUs counted and dealt to @nr_nodes nodes, at boot. */
void smp_init_cpus(int nr_nodes);
/* The CPUs dealt again, when numa_init() makes fewer nodes than asked for. */
void smp_deal_cpus_to_nodes(int nr_nodes);
/* numa=fake's smallest node (x86's FAKE_NODE_MIN_SIZE): sizes are multiples of it. */
#define FAKE_NODE_MIN_SIZE	(32ULL << 20)
/* mm/mm_init.c: where a numa=fake=<size> or NU node from @start ends, in RAM of @ram. */
phys_addr_t numa_fake_node_end(phys_addr_t start, phys_addr_t ram);

/* ---- arch glue: the machine's RAM (init/main.c) ---- */
/* The vmalloc range's end as reserved; VMALLOC_END once vmalloc_init() ran. */
extern unsigned long ukmem_vmalloc_reserved_end;
extern phys_addr_t ukmem_ram_size;	/* bytes of RAM in the map */

/* ---- mm/memblock.c ---- */
void memblock_setup(void);			/* first call at boot */
void memblock_close(void);			/* a boot that panicked: memblock serves no more */
void memblock_commit_range(phys_addr_t base, phys_addr_t size);

/* ---- mm/page_alloc.c ---- */
/* nr pages of a plain block as aligned parts, and freeing such a run. */
void split_page_run(struct page *page, unsigned long nr);
void free_pages_run(struct page *page, unsigned long nr);
/* Free @nr consecutive order-0 pages (split_page()'s) as aligned blocks (page_alloc_addr.c). */
void free_pages_unsplit(struct page *page, unsigned long nr);

/* ---- mm/mm_init.c ---- */
/* What the boot takes from memblock, and the high watermark, for a size of RAM. */
unsigned long mm_boot_bytes(unsigned long pfns, int nodes, unsigned int cpus);
unsigned long boot_high_wmark_pages(unsigned long pages);
void free_area_init(void);		/* nodes, zones, mem_map */
void build_all_zonelists(void);
void mem_init(void);			/* memblock_free_all + print */
void mem_init_print_info(void);
void memblock_free_pages(unsigned long start_pfn, unsigned long end_pfn);
void setup_per_zone_wmarks(void);
void init_per_zone_wmark_min(void);
extern int watermark_boost_factor;	/* vm.watermark_boost_factor (mm/page_alloc.c) */
void calculate_totalreserve_pages(void);
void setup_per_zone_lowmem_reserve(void);
void __init_single_page(struct page *page, unsigned long pfn, enum zone_type zone, int nid);
struct zone *pfn_to_zone(unsigned long pfn);
/* One bit per max-order block, set while it is in a deferred pool (mm_init.c). */
extern unsigned long *deferred_map;
/* Is @pfn in a max-order block that was never touched (its struct pages neither)? */
static inline bool pfn_deferred(unsigned long pfn)
{
	unsigned long idx = pfn >> MAX_PAGE_ORDER;

	return deferred_map &&
	       (__atomic_load_n(&deferred_map[idx / BITS_PER_LONG], __ATOMIC_RELAXED) >>
		(idx % BITS_PER_LONG)) & 1;
}
/* One migratetype per pageblock (page_alloc_tables.c). */
extern u8 *pageblock_mt __attribute__((visibility("hidden")));
/*
 * gfp_zone()'s table (page_alloc_tables.c), GFP_ZONE_TBL_BAD for the
 * impossible combinations, which gfp_zone_bad() warns about.
 */
#define GFP_ZONE_TBL_BAD	0xff	/* mm/pcp_hot.h's routes read it as PCP_HOT_ZONE_BAD */
extern u8 gfp_zone_tbl[GFP_ZONEMASK + 1] __attribute__((visibility("hidden")));
enum zone_type gfp_zone_bad(gfp_t flags);

static __always_inline enum zone_type __gfp_zone(gfp_t flags)
{
	unsigned int z = gfp_zone_tbl[flags & GFP_ZONEMASK];

	if (unlikely(z == GFP_ZONE_TBL_BAD))
		return gfp_zone_bad(flags);
	return (enum zone_type)z;
}
/* Take a max-order block from the zone's deferred pool; zone->lock held. */
struct page *deferred_take_block_locked(struct zone *zone);
/* The deferred block holding @pfn, taken out of the pool; NULL if none (or no commit). */
struct page *deferred_take_block_at_locked(struct zone *zone, unsigned long pfn);
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
extern int min_free_kbytes;
extern int user_min_free_kbytes;
extern int watermark_scale_factor;
extern unsigned long ukmem_physpages;	/* present pages */
extern unsigned long ukmem_reserved_pages_at_boot;


/* ---- mm/slub_create.c ---- */
struct kmem_cache;
/* What writing /sys/kernel/slab/<cache>/min_partial does. */
void kmem_cache_store_min_partial(struct kmem_cache *s, unsigned long min);
/*
 * No sysfs file: the objects a CPU's stack of @s holds, below the default
 * too (kmem_cache_args.sheaf_capacity only raises it, as in the kernel):
 * the malloc front end's 44 classes, whose stacks would otherwise keep
 * megabytes.  Before the cache's first allocation; not for debug caches.
 */
void kmem_cache_store_sheaf_capacity(struct kmem_cache *s, unsigned int capacity);
/*
 * No sysfs file: the bytes of objects @s's barns may keep (at least two
 * batches whatever it says).  Takes effect where the barns are made, at the
 * cache's first slow-path allocation: set it before that.
 */
void kmem_cache_store_barn_budget(struct kmem_cache *s, unsigned int bytes);
/*
 * @s's constructor runs on each object as it first leaves its slab, not
 * on a whole slab at once (mm/slab.h, fresh objects), so that a new slab
 * is written only as far as it is used.  For a ctor that needs no other
 * object constructed (the malloc front end's free tag); call it before
 * the cache's first allocation.
 */
void kmem_cache_ctor_when_taken(struct kmem_cache *s);

/*
 * ---- mm/sanitizers.c: ASan in the program, valgrind's memcheck ----
 * Called only while slab_tools_active (mm/slab.h): a tool was found at
 * boot by mm_tools_detect().  A block is open for @size bytes from its
 * start, the rest of its @span closed; pages are open or closed.
 */
extern bool slab_tools_active __attribute__((visibility("hidden")));
void mm_tools_detect(void);
void tool_alloc_block(const void *p, size_t size, size_t span, bool zeroed);
void tool_free_block(const void *p, size_t span);
size_t tool_block_size(const void *p, size_t span);
void tool_resize_block(const void *p, size_t old, size_t size, size_t span);
void tool_pages_alloc(const void *p, size_t len, bool zeroed);
void tool_pages_free(const void *p, size_t len);
void tool_close_slot_tail(const void *p, size_t len);
void tool_open_slot_tail(const void *p, size_t len);
void tool_report_bad_pointer(const void *p, const char *bug, const char *fn);
void tool_check_access(const void *p, size_t n, bool write, const char *fn);
void tool_host_copy_source(const void *p, size_t len);

/* ---- mm/slub_harden.c, mm/slub_debug.c: memory init and slab debugging ---- */
/* init_on_alloc / init_on_free (slab objects and pages zeroed) are declared in linux/mm.h. */
extern bool slab_freelist_random;	/* slab_freelist_random=1 */
int setup_slub_debug(const char *str);	/* slub_debug= / slab_debug= */
void slub_debug_defaults(void);		/* before a boot's command line */
/* failslab's probability changed: the slab fast paths follow (mm/slab_common.c). */
void slab_failslab_changed(void);

/* ---- mm/page_alloc.c ---- */
/* Boot: allocate the per-pfn tables (pageblock types). */
void page_alloc_init_tables(unsigned long nr_pfns);
/* ---- mm/page_alloc_hooks.c ---- */
/* init_on_alloc, init_on_free or the tools changed: the fast paths' hook tests follow. */
void page_alloc_update_hooks(void);
/* The gfp bits that send an allocation to prep_new_page_hooks(); a free to free_pages_hooks(). */
extern gfp_t page_alloc_hook_gfp __attribute__((visibility("hidden")));
/*
 * Or'ed into the gfp a hook word is tested against (page_alloc_hook_gfp,
 * slab_fast.alloc_hook_gfp): a word of ~0 (init_on_alloc, a tool,
 * page_poison, page_owner, KFENCE's gate) must catch a gfp of 0 too, a
 * mask callers may pass, while the default word (__GFP_ZERO) misses it.
 * Above __GFP_BITS_SHIFT: no caller's gfp has it.  Folded away for a
 * constant gfp.
 */
#define GFP_HOOK_ALWAYS		(1U << 31)
#define gfp_hits_hooks(gfp, word)	((((gfp) | GFP_HOOK_ALWAYS) & (word)) != 0)
extern bool page_free_hooks __attribute__((visibility("hidden")));
void prep_new_page_hooks(struct page *page, unsigned int order, gfp_t gfp);
void free_pages_hooks(struct page *page, unsigned int order);
/* mm/debug_page_alloc.c: debug_pagealloc= and its boot step. */
void debug_pagealloc_init(unsigned long nr_pfns);
void debug_pagealloc_fork_remapped(unsigned long pfn, unsigned long nr);
/*
 * page_alloc.shuffle=1 (mm/page_alloc.c, the kernel's mm/shuffle.c): the
 * max-order blocks come from the deferred pool in random order, and one
 * freed goes to a random end of its list.
 */
#define SHUFFLE_ORDER	MAX_PAGE_ORDER
extern bool page_alloc_shuffle;
static inline bool page_alloc_shuffle_enabled(void)
{
	return READ_ONCE(page_alloc_shuffle);
}
/* lib/random32.c: a per-thread xorshift seeded from the host (not for keys). */
u32 ukmem_random_u32(void);
/* mm/kfence.c: the faulting access's stack, from a fault handler. */
int fault_stack_trace(unsigned long ip, unsigned long *entries, int max);
/* ---- mm/page_alloc.c ---- */
/* Boot, after mem_init: register the fork hooks. */
void page_alloc_init_late(void);
/* ALLOC_* flags (mm/internal.h of 6.3+). */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_NON_BLOCK		0x10
#define ALLOC_MIN_RESERVE	0x20
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100
#define ALLOC_HIGHATOMIC	0x200
#define ALLOC_KSWAPD		0x800
#define ALLOC_RESERVES	(ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* Where an allocation may take pages from (the kernel's struct alloc_context). */
struct alloc_context {
	struct zoneref *zonelist;	/* the zonelist's first zone of highest_zoneidx or below */
	struct zoneref *preferred_zoneref;	/* where the walk starts; ->zone NULL: no zone */
	nodemask_t *nodemask;			/* the nodes it may use; NULL: every node */
	int migratetype;
	enum zone_type highest_zoneidx;
};

/*
 * The zonelist walk's filter (the kernel's for_next_zone_zonelist_nodemask):
 * a zone above the request's highest zone, or of a node outside its mask,
 * is skipped.
 */
static inline bool zoneref_allowed(const struct zoneref *z, enum zone_type highest_zoneidx,
				   const nodemask_t *nodemask)
{
	return z->zone_idx <= (int)highest_zoneidx &&
	       (!nodemask || node_isset(z->zone->node, *nodemask));
}

/*
 * The kernel's first_zones_zonelist(): from @z on, the first zoneref the
 * walk takes, or the list's terminator (->zone NULL) when there is none -
 * an empty mask, or one of nodes without memory or not online.
 */
static inline struct zoneref *first_zoneref_allowed(struct zoneref *z,
						    enum zone_type highest_zoneidx,
						    const nodemask_t *nodemask)
{
	while (z->zone && !zoneref_allowed(z, highest_zoneidx, nodemask))
		z++;
	return z;
}
struct page *get_page_from_freelist_slow(gfp_t gfp, unsigned int order,
					 unsigned int alloc_flags, const struct alloc_context *ac);
/* Under pressure, give a high-atomic pageblock back to ordinary use. */
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force);

void __free_pages_core(struct page *page, unsigned int order);
/*
 * The largest order of an aligned block that starts at @pfn and holds no
 * more than @nr pages (@nr > 0): how a range is cut into buddy blocks.
 */
static inline unsigned int aligned_run_order(unsigned long pfn, unsigned long nr)
{
	unsigned int order = pfn ? (unsigned int)__builtin_ctzl(pfn) : MAX_PAGE_ORDER;

	order = min(order, (unsigned int)MAX_PAGE_ORDER);
	while ((1UL << order) > nr)
		order--;
	return order;
}

/* Deferred blocks are free MOVABLE blocks of MAX_PAGE_ORDER not yet listed. */
static inline bool free_area_empty(const struct zone *zone, unsigned int order, int mt)
{
	return list_empty(&zone->free_area[order].free_list[mt]) &&
	       !(order == MAX_PAGE_ORDER && mt == MIGRATE_MOVABLE && READ_ONCE(zone->nr_deferred));
}
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages);
int get_pageblock_migratetype(const struct page *page);
void set_pageblock_migratetype(struct page *page, int migratetype);
void zone_pcp_init(struct zone *zone);
void zone_set_pageset_high_and_batch(struct zone *zone);
/* The OOM report's unreclaimable slab table (mm/slab_common.c). */
void dump_unreclaimable_slab(void);
/* Free pages of the highatomic reserve; 0 if zone->lock is busy (mm/vmstat.c). */
unsigned long zone_free_highatomic(struct zone *zone);
unsigned long zone_pcp_count(struct zone *zone);
/* mm/page_alloc.c: @count pages of @pcp (its lock held) back to the buddy lists. */
void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp,
			unsigned int pindex);
/* mm/page_pcp.c: the page allocator's fork step. */
void page_pcp_init_late(void);
/* CPU @cpu's pcp pages of @zone: its lists' and its stack's (racy, for reports). */
unsigned long zone_pcp_cpu_count(struct zone *zone, unsigned int cpu);
/* Is ZONE_* selectable by gfp (zone exists in this layout)? */
extern bool ukmem_has_zone[MAX_NR_ZONES];
/* Allocation statistics, summed for reports. */
struct ukmem_page_stats {
	atomic_long_t alloc_fail;	/* allocations that returned NULL */
	atomic_long_t bad_page;		/* Bad page state reports */
	atomic_long_t retries;		/* slow-path retries after waiting */
	atomic_long_t pcp_trylock_miss;	/* pcp lock busy: went to the zone */
};
extern struct ukmem_page_stats page_stats;
/* Waiters for freed memory (blocking allocations that found none). */
extern u32 ukmem_free_wait_seq;
extern atomic_t ukmem_free_waiters;
static inline void wake_free_waiters(void);

/* ---- mm/page_alloc.c: the exit report's peak ---- */
/* The most pages out of the buddy lists at once, summed over zones. */
unsigned long page_alloc_peak_used(void);

/* ---- mm/page_alloc_slow.c ---- */
struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order, struct alloc_context *ac);
/* A request for node @nid, which is not online: the node to use instead, or -1 (fail). */
int alloc_offline_node(int nid, gfp_t gfp, unsigned int order);

/* ---- mm/vmscan.c: reclaim, kswapd, drop_caches ---- */
/* pgdat->kswapd_state */
enum { KSWAPD_NONE, KSWAPD_STARTING, KSWAPD_RUNNING, KSWAPD_FAILED };
/* Direct reclaim for the slow path: pages got back. */
unsigned long try_to_free_pages(gfp_t gfp, unsigned int order, int nid,
				enum zone_type highest_zoneidx, const nodemask_t *nodemask);
/* The slow path found the zonelist below low: wake each node's kswapd. */
void wake_all_kswapds(unsigned int order, gfp_t gfp_mask, const struct alloc_context *ac);
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx);
int kswapd_run(int nid);
void kswapd_stop(int nid);
void drop_slab(void);
int drop_caches_sysctl(int value);	/* vm.drop_caches */
void vmscan_init(void);			/* boot: per-node state, fork hook */
void oom_fork_init(void);		/* boot: the OOM chain's and oom_lock's fork step */
void vmscan_boot_done(void);		/* end of boot: kswapd=boot */

/* ---- mm/shrinker.c ---- */
/* Every registered shrinker's count for node @nid. */
unsigned long shrinker_count_all(gfp_t gfp_mask, int nid);
/* mm/shrinker.c for mm/shrinker_debug.c (the shrinker/ debugfs files). */
struct shrinker *shrinker_get_by_debugfs_dir(const char *dir);
void shrinker_debugfs_list(FILE *m);
int shrinker_debugfs_show(const char *path, FILE *out);
int shrinker_debugfs_store(const char *path, const char *buf);
/* The fork child, shrinker_lock held: the runs of threads left behind are over. */
void shrinker_fork_child(void);

/* ---- mm/slub_shrink.c ---- */
/* Reclaim's pass over every slab cache; slab pages looked at. */
unsigned long kmem_cache_reap(void);

/* ---- mm/oom_kill.c ---- */
/* Would the kernel call its OOM killer for this request at all? */
bool oom_may_help(gfp_t gfp, unsigned int order, enum zone_type highest_zoneidx);
/* No task to kill: the report (once an episode) and false, nothing freed. */
bool out_of_memory(gfp_t gfp, unsigned int order, struct zoneref *zonelist,
		   enum zone_type highest_zoneidx, const nodemask_t *nodemask);
extern int sysctl_panic_on_oom;		/* vm.panic_on_oom: 0, 1, 2 */
extern int sysctl_warn_limit;		/* kernel/panic.c: kernel.warn_limit, 0 none */
bool oom_episode_open(void);
void oom_episode_end(void);
/* From the free path's waiter hook while an episode is open. */
void oom_check_free(void);

/* ---- mm/page_reporting.c: giving free memory back to the host ---- */
/*
 * Called with zone->lock held when a free block of page_reporting_order or
 * more formed; @merged_reported: part of it had been reported (it must
 * then be reported whole).
 */
void page_reporting_notify_free(struct zone *zone, struct page *page, unsigned int order,
				bool merged_reported);
/*
 * zone->reporting_work was set: report outside zone->lock.  Called by
 * whoever releases the lock next (zone_unlock()); takes the lock itself.
 */
void page_reporting_run(struct zone *zone);
/* A block put back after reporting is listed as reported; zone->lock held. */
void page_reporting_mark(struct zone *zone, struct page *page, unsigned int order);
/* mm/page_alloc.c for page reporting: the lock, and blocks off and back on the lists. */
void __zone_lock(struct zone *zone);	/* not from a signal handler */
void __zone_unlock_plain(struct zone *zone);
void __isolate_free_block(struct zone *zone, struct page *page, unsigned int order);
void __putback_reported_block(struct zone *zone, struct page *page, unsigned int order);
/* mm/page_alloc.c for alloc_contig_range() (mm/page_contig.c); zone->lock held for the first two. */
bool __materialize_deferred_at(struct zone *zone, unsigned long pfn);
void __take_free_block_range(struct zone *zone, struct page *page, unsigned int order,
			     unsigned long start, unsigned long end);
void __prep_contig_pages(struct page *page, unsigned long nr, unsigned int order, gfp_t gfp);
/* mm/page_contig.c: is every page of [start, end), in @zone, free? */
bool contig_range_free(struct zone *zone, unsigned long start, unsigned long end);

/*
 * mm/balloon.c: under an address-space limit, free RAM lent to the host
 * (its linear map unmapped) so that a refused mapping fits, and taken
 * back by its shrinker or balloon_deflate().  Bytes moved; task context.
 */
unsigned long balloon_inflate(unsigned long bytes);
unsigned long balloon_deflate(unsigned long bytes);
/* A reported buddy merged into a block being freed: it is no longer listed. */
void page_reporting_merged(struct zone *zone, struct page *buddy, unsigned int order);
/* Make a reported block usable again; zone->lock held; false if the host refused. */
bool page_reporting_reclaim(struct zone *zone, struct page *page);
/*
 * mm/vmap_alias.c: is the linear mapping of any of @n pages from @pfn a
 * shared file mapping (vmap()'ed or vmalloc-aliased pages)?  Such a page's
 * bytes are in the file even where the host shows nothing mapped.
 */
bool linear_map_shared_any(unsigned long pfn, unsigned long n);
/* Commit granule: one max-order block. */
#define UKMEM_COMMIT_ORDER	MAX_PAGE_ORDER

/* ---- mm/fail_page_alloc.c, mm/failslab.c: fault injection ---- */
#include <linux/fault-inject.h>
struct fail_page_alloc_attr {
	struct fault_attr attr;
	bool ignore_gfp_highmem;
	bool ignore_gfp_reclaim;
	unsigned int min_order;
};
struct failslab_attr {
	struct fault_attr attr;
	bool ignore_gfp_reclaim;
	bool cache_filter;
};
extern struct fail_page_alloc_attr fail_page_alloc;
extern struct failslab_attr failslab;
/*
 * mm/page_poison.c: page_poison=on fills freed pages with PAGE_POISON and
 * checks allocated ones (the kernel's CONFIG_PAGE_POISONING).
 */
extern bool page_poison_requested, page_poisoning;
void page_poison_init(void);
void kernel_poison_pages(struct page *page, unsigned int nr);
void kernel_unpoison_pages(struct page *page, unsigned int nr);
/* memblock_phys_free() before the buddy allocator took over: the freed pages poisoned. */
void page_poison_memblock_free(phys_addr_t base, phys_addr_t size);
/*
 * mm/page_owner.c: page_owner=on records who allocated and freed each page
 * (the kernel's CONFIG_PAGE_OWNER).
 */
extern bool page_owner_requested, page_owner_enabled;
/* pagetypeinfo's mixed-block counts of @zone, added to @count (mm/page_owner.c). */
void page_owner_mixed_blocks(const struct zone *zone, unsigned long count[MIGRATE_TYPES]);
void page_owner_init(unsigned long nr_pfns);
void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp);
void __reset_page_owner(struct page *page, unsigned int order);
void split_page_owner(struct page *page, unsigned long nr, unsigned int new_order);
void dump_page_owner(const struct page *page);
/* lib/percpu_counter.c: percpu_counter_batch from the online CPUs, at boot. */
void percpu_counter_startup(unsigned int online_cpus);
/* lib/fault-inject-usercopy.c */
extern struct fault_attr fail_usercopy;
int setup_fail_usercopy(const char *str);
/*
 * Nonzero while this thread does the boot's own allocations after the
 * fact (slab_late_init): the kernel makes them in kmem_cache_init(), where
 * no caller waits for them, so no fault injected there may turn into a
 * caller's NULL.  Neither attribute fires (nor counts a call) meanwhile.
 * Also while __alloc_pages_bulk() takes the pages of a call it asked
 * fault injection about once.
 */
extern __thread unsigned int fault_inject_off __attribute__((tls_model("initial-exec")));
/*
 * Nonzero while this thread fills a bulk request whose failslab question
 * was asked once for the whole call, or is not asked (the kernel's
 * __kmem_cache_alloc_bulk): failslab neither fires nor counts meanwhile;
 * fail_page_alloc does.
 */
extern __thread unsigned int failslab_off __attribute__((tls_model("initial-exec")));
/*
 * fail-nth (lib/fault-inject.c): the calling thread's countdown, and how
 * many threads have one armed.  While any has, the injection sites are
 * asked as if a probability were set (the kernel asks them always).
 */
extern __thread unsigned int fault_fail_nth __attribute__((tls_model("initial-exec")));
extern unsigned int fault_nth_armed;
static inline bool fault_attr_live(const struct fault_attr *attr)
{
	return READ_ONCE(attr->probability) || READ_ONCE(fault_nth_armed);
}
bool __should_fail_alloc_page(gfp_t gfp_mask, unsigned int order);
/*
 * fault_attr_live(&fail_page_alloc.attr) in one byte, for the page
 * allocator's fast paths: kept by page_alloc_faults_changed() at every
 * write of the probability and every first arming / last disarming of
 * fail-nth (mm/fail_page_alloc.c).
 */
extern bool fail_page_alloc_live __attribute__((visibility("hidden")));
void page_alloc_faults_changed(void);
static inline bool should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	return unlikely(READ_ONCE(fail_page_alloc_live)) &&
	       !fault_inject_off && __should_fail_alloc_page(gfp_mask, order);
}
/* The slab allocator's pre-allocation hook: 0 or -ENOMEM. */
int should_failslab_size(unsigned int object_size, slab_flags_t cache_flags, gfp_t gfpflags);
int setup_failslab(const char *str);
int setup_fail_page_alloc(const char *str);

/* ---- mm/slab_common.c ---- */
/* Boot: the slab caches and kmalloc (after mem_init; allocates nothing). */
void kmem_cache_init(void);
/* Boot parameters (kernel/params.c sets them before kmem_cache_init). */
extern unsigned int slub_min_order, slub_max_order, slub_min_objects;
extern bool slab_nomerge;
extern bool slab_strict_numa;		/* slab_strict_numa (v6.13): accepted, see mm/slab_common.c */
extern bool slab_rseq_disabled;		/* mm/slub.c; slab_rseq=0: per-CPU locks, no rseq */
extern bool pcp_rseq_disabled;		/* mm/page_alloc_hot.c; pcp_rseq=0: pcp lists alone */

/* ---- mm/page_check.c: the expensive whole-structure validator ---- */
struct ukmem_page_census {
	unsigned long free, pcp, allocated, managed;
};
/* Number of inconsistencies found (each printed); fills @census if given. */
int ukmem_check_page_allocator(struct ukmem_page_census *census);

/* ---- mm/debug.c (dump_page(): linux/mmdebug.h) ---- */
void bad_page(const struct page *page, const char *reason);
/* Names for %pGg / %pGp; "a|b|c" into buf. */
int format_gfp_flags(char *buf, size_t size, gfp_t gfp);
int format_page_flags(char *buf, size_t size, unsigned long flags);

/* ---- mm/page_check.c: the free-time checks' slow half ---- */
/* One compare for mapcount == -1 and refcount == 0, which share a word. */
static inline bool page_expected_state(const struct page *page, unsigned long check_flags)
{
	u64 counts;

	__builtin_memcpy(&counts, &page->_mapcount, sizeof(counts));
	return counts == 0x00000000ffffffffULL && !page->mapping &&
	       !(page->flags & check_flags);
}

/* A page that failed free_pages_prepare()'s fast test: reported, or its tails cleared. */
bool free_pages_check_slow(struct page *page, unsigned int order);

/* ---- mm/percpu.c ---- */
/* What setup_per_cpu_areas() will take from memblock for @cpus CPUs. */
size_t pcpu_boot_bytes(unsigned int cpus);
/*
 * A signal handler's entry and exit (kernel/sched.c's trampoline): the
 * thread's get_cpu() state as the handler found it, put back when it
 * returns, so that a handler that interrupted a get_cpu()/put_cpu() half
 * way leaves it as it was (the kernel's interrupt return restores the
 * preempt count the same way).
 */
struct pcpu_irq_state {
	int held, hold_depth, borrow_depth;
};
void pcpu_irq_save(struct pcpu_irq_state *state);
void pcpu_irq_restore(const struct pcpu_irq_state *state);
/* __alloc_percpu_gfp() without the zeroing; the slab allocator's stacks. */
void __percpu *pcpu_alloc_noinit(size_t size, size_t align, gfp_t gfp);
/* Bytes allocated in all chunks, the static area included (the kernel's percpu_stats). */
size_t pcpu_used_bytes(void);

/* ---- mm/kmemleak.c: the leak detector ---- */
#include <stdio.h>
extern bool kmemleak_param;		/* kmemleak=on (kernel/params.c) */
extern bool kmemleak_enabled;		/* published by kmemleak_init() */
extern unsigned int kmemleak_min_age_ms;	/* kmemleak.min_age_ms= */
extern bool kmemleak_verbose;		/* kmemleak.verbose= */
/* At the slab allocator's boot (slab_harden_init): table, report, fork steps, then on. */
void kmemleak_init(void);
void __kmemleak_hook_alloc(const void *ptr, size_t size);
void __kmemleak_hook_free(const void *ptr);
/*
 * The allocator's hooks: one predictable branch when kmemleak is off.  A
 * free of a block never tracked (made before the boot published the
 * hooks, or already forgotten by the malloc front end) is no error here.
 */
static inline void kmemleak_hook_alloc(const void *ptr, size_t size)
{
	if (unlikely(kmemleak_enabled))
		__kmemleak_hook_alloc(ptr, size);
}
static inline void kmemleak_hook_free(const void *ptr)
{
	if (unlikely(kmemleak_enabled))
		__kmemleak_hook_free(ptr);
}
/* A command written to /sys/kernel/debug/kmemleak ("scan", "clear", ...): 0 or -errno. */
int kmemleak_write(const char *cmd);
/* The final scan and its report (`ukmem run --leaks`): leaks shown, or -errno. */
long kmemleak_exit_report(FILE *m);
/* Objects tracked, and allocations that could not be (tests). */
void kmemleak_counts(unsigned long *objects, unsigned long *untracked);

/* ---- mm/highmem.c ---- */
/* Make pfns usable before they are handed out: linear map or highmem file. */
int ukmem_commit_pfns(unsigned long pfn, unsigned long nr);
/*
 * mm/vmap_alias.c: is the linear address of any page of [pfn, pfn+nr) a
 * shared mapping of the physical memory file?  After the host replaced the
 * range: forget it and drop the file's copy.
 */
bool vmalloc_linear_shared(unsigned long pfn, unsigned long nr);
void vmalloc_linear_decommit(unsigned long pfn, unsigned long nr);

/* ---- mm/show_mem.c ---- */
void __show_mem(void);
/*
 * The same, only the nodes in @nodemask (every node for NULL) and zones up
 * to @max_zone_idx: the kernel's __show_mem(SHOW_MEM_FILTER_NODES, ...),
 * the OOM report's.
 */
void __show_mem_filter(const nodemask_t *nodemask, int max_zone_idx);
__printf(3, 4) void warn_alloc(gfp_t gfp_mask, const nodemask_t *nodemask, const char *fmt, ...);
long si_mem_available(void);
void show_meminfo(FILE *m);

/* ---- mm/vmstat.c ---- */
/* The vm events' names in enum order (the live view registers them, mm/live.c). */
extern const char *const vm_event_names[];
void show_buddyinfo(FILE *m);
void show_pagetypeinfo(FILE *m);
void show_zoneinfo(FILE *m);
void show_vmstat(FILE *m);	/* /proc/vmstat */

/* ---- node / zone iteration helpers ---- */
static inline struct zone *zonelist_zone(struct zoneref *z) { return z->zone; }

static inline void wake_free_waiters(void)
{
	extern void __wake_free_waiters(void);
	if (unlikely(atomic_read(&ukmem_free_waiters)))
		__wake_free_waiters();
}

/* mm/dmapool.c, kernel/dma.c: their locks, for tests that hold them across a signal. */
struct dma_pool;
spinlock_t *dma_pool_lock_for_tests(struct dma_pool *pool);
spinlock_t *dma_debug_lock_for_tests(void);

/* mm/memblock.c: the bytes of a physical range that are memory (memremap()). */
phys_addr_t memblock_memory_bytes_in(phys_addr_t base, phys_addr_t size);

#endif /* _MM_INTERNAL_H */
