/* SPDX-License-Identifier: MIT */
/*
 * kernel/locking.h - the library's lock order, as ranks; the order
 * checker's internal interface; the raw mutex operations fork() uses
 * (all in kernel/locking.c).
 *
 * Every lock of the library that is held while another is taken has a
 * rank; a thread takes locks in increasing rank only (locks of one rank
 * are never nested).  docs/overview.md ("Lock order") says why each one
 * sits where it does; keep the two in step.  With lockdep.prove_locking=1
 * (the default in debug builds) spin_lock() and mutex_lock() check it.
 *
 * fork() takes every lock in this order too (kernel/fork.c), with its own
 * compare-and-swap and the raw mutex operations, which the checker does
 * not see.
 */
#ifndef _KERNEL_LOCKING_H
#define _KERNEL_LOCKING_H

#include <linux/mutex.h>
#include <linux/spinlock.h>

enum lock_rank {
	LOCK_RANK_NONE,			/* not checked (a program's own locks) */
	/* Sleeping locks: held across allocations that may sleep. */
	LOCK_RANK_BOOT,			/* init/main.c boot_lock: the whole boot */
	LOCK_RANK_KMEMLEAK_SCAN,	/* mm/kmemleak.c scan_mutex: a scan, a report written */
	LOCK_RANK_MALLOC_CLASSES,	/* malloc/classes.c classes_lock: creates caches */
	LOCK_RANK_VMALLOC_SETUP,	/* vmalloc_setup_lock: creates the area cache */
	LOCK_RANK_BALLOON_SETUP,	/* mm/balloon.c: registers its shrinker and fork step */
	LOCK_RANK_SLAB_MUTEX,		/* slab_mutex: the cache list, cache creation */
	LOCK_RANK_DMESG,		/* mm/proc.c dmesg_lock: held across a write */
	/* After dmesg_lock: reclaim waits for it, and the log's write may reclaim. */
	LOCK_RANK_BALLOON,		/* balloon_mutex: takes and unmaps RAM blocks */
	/* Spinlocks, outermost first. */
	LOCK_RANK_MALLOC_HOST,		/* malloc/host.c host_lock: kcalloc(GFP_ATOMIC) inside */
	LOCK_RANK_MALLOC_LARGE,		/* malloc/large.c cache.lock: trylocked, a leaf */
	LOCK_RANK_MEMPOOL_LIST,		/* mm/mempool.c mempool_list.lock: every live pool */
	LOCK_RANK_MEMPOOL,		/* pool->lock */
	LOCK_RANK_DMAPOOL_LIST,		/* mm/dmapool.c dma_pools.lock: every live pool */
	LOCK_RANK_DMAPOOL,		/* a DMA pool's lock: a leaf */
	LOCK_RANK_GENPOOL_LIST,		/* lib/genalloc.c gen_pools.lock: every live pool */
	LOCK_RANK_GENPOOL,		/* a gen_pool's lock (gen_pool_add): a leaf */
	LOCK_RANK_OBJPOOL_LIST,		/* lib/objpool.c objpool_rings_lock: a leaf */
	LOCK_RANK_PCPU,			/* pcpu_lock: chunks and their maps */
	LOCK_RANK_IOMEM,		/* iomem_lock: the ioremap region table */
	LOCK_RANK_VMAP_PURGE,		/* vmap_purge_lock: one purge at a time */
	LOCK_RANK_VMAP_SEG,		/* vmap_seg_lock: mapping new segments */
	LOCK_RANK_VMAP_ALIAS,		/* vmap_alias_lock: linear aliases, the quarantine */
	LOCK_RANK_VMAP_AREA,		/* vmap_area_lock: the vmalloc trees */
	LOCK_RANK_KMAP,			/* kmap_lock: pkmap slots */
	LOCK_RANK_SLAB_SHEAVES,		/* s->sheaves_lock: one remote owner of the stacks */
	LOCK_RANK_SLAB_TRACES,		/* traces_lock: the alloc/free traces' one walk */
	LOCK_RANK_SLAB_LIST,		/* kmem_cache_node.list_lock */
	LOCK_RANK_SLAB_DEBUG,		/* validate_map_lock, object_map_lock: debug maps */
	LOCK_RANK_SLAB_BARN,		/* a barn's lock: one copy, nothing inside */
	LOCK_RANK_KMEMLEAK,		/* kmemleak_lock: the tracked objects, pages under it */
	LOCK_RANK_PCP,			/* a CPU's page lists (trylocked by fast paths) */
	LOCK_RANK_ZONE,			/* zone->lock */
	LOCK_RANK_KFENCE,		/* kfence_lock: the KFENCE pool's metadata, a leaf */
	LOCK_RANK_STACKDEPOT,		/* depot_lock (lib/stackdepot.c): a leaf, host memory only */
	LOCK_RANK_REPORTS,		/* the report table (mm/proc.c) */
	LOCK_RANK_SLAB_QUARANTINE,	/* quarantine_lock (mm/slab_quarantine.c): a leaf, frees outside it */
	LOCK_RANK_PRINTK,		/* the log buffer: printk works under any lock */
	NR_LOCK_RANKS
};

#define DEFINE_SPINLOCK_RANKED(name, r)	spinlock_t name = { 0, (r) }
#define DEFINE_MUTEX_RANKED(name, r)	struct mutex name = { 0, 0, (r) }

static inline void spin_lock_init_ranked(spinlock_t *lock, enum lock_rank rank)
{
	spin_lock_init(lock);
	lock->rank = rank;
}

/* Reports printed (the first only) and counted since the process started. */
unsigned long lockdep_reports(void);
/* Print the next report again (tests: one report per case). */
void lockdep_rearm(void);
/*
 * fork(): the steps take and release locks the checker does not see;
 * lockdep_off() stops this thread's checking until lockdep_on().
 */
void lockdep_off(void);
void lockdep_on(void);
/* fork's own taking of a mutex: no order check, no sleep check, no owner. */
void mutex_lock_raw(struct mutex *lock);
bool mutex_trylock_raw(struct mutex *lock);
void mutex_unlock_raw(struct mutex *lock);
/* The fork child: this thread has a new id. */
void locking_fork_child(void);

/*
 * A lock whose users have a way around it when it is busy (park a free,
 * defer to the holder, fail an atomic allocation): taken, except in
 * interrupt context and where this thread holds it already, where it is
 * only tried.  The second case is a signal handler the program installed
 * itself (not through ukmem_sigaction(), so not interrupt context to
 * ukmem) that interrupted this thread inside the allocator: waiting
 * there would wait for ever.  The zone, node list, barn, per-CPU
 * allocator, mempool, DMA pool, KFENCE and kmemleak locks.
 */
static __always_inline bool spin_lock_or_try(spinlock_t *lock)
{
	if (likely(!in_hardirq()) && likely(!spin_held_by_current(lock))) {
		spin_lock(lock);
		return true;
	}
	return spin_trylock(lock);
}
/* The calling thread's id, cached. */
int current_tid(void);
/*
 * Does this thread hold @lock (the code a signal handler interrupted, or
 * a call made under it)?  Sleeping on it would never end.
 */
static inline bool mutex_held_by_current(const struct mutex *lock)
{
	return READ_ONCE(lock->owner) == current_tid();
}

#endif /* _KERNEL_LOCKING_H */
