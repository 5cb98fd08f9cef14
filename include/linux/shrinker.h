/* SPDX-License-Identifier: MIT */
/*
 * linux/shrinker.h - callbacks that give memory back under pressure
 * (include/linux/shrinker.h).
 *
 * A shrinker says how many objects it could free (count_objects) and frees
 * some when asked (scan_objects, sc->nr_to_scan at a time).  Reclaim - the
 * allocator's direct reclaim, kswapd, drop_caches - calls every registered
 * shrinker with a scan target scaled by its priority (mm/shrinker.c).
 *
 * The 6.7+ interface: shrinker_alloc() gives a shrinker to fill in,
 * shrinker_register() makes it visible to reclaim, shrinker_free()
 * unregisters it, waits for any run of it to end, and frees it after an
 * RCU grace period.  The older interface is kept for code written before
 * 6.7: register_shrinker() / unregister_shrinker() on a struct shrinker
 * the caller owns (unregister_shrinker() returns only once reclaim can no
 * longer reach it, so the caller may free it then).
 *
 * count_objects returns the number of freeable objects, 0 or SHRINK_EMPTY
 * for none.  scan_objects returns the number freed, or SHRINK_STOP when it
 * cannot make progress now (a lock it would need is held, or sc->gfp_mask
 * forbids what freeing needs); it may lower sc->nr_scanned to what it
 * actually scanned.  Both may be called from any thread that allocates
 * with __GFP_DIRECT_RECLAIM, from kswapd, and concurrently.
 */
#ifndef _LINUX_SHRINKER_H
#define _LINUX_SHRINKER_H

#include <ukmem/kernel_types.h>
#include <linux/list.h>
#include <linux/atomic.h>

UKMEM_C_BEGIN

struct mem_cgroup;

struct shrink_control {
	gfp_t gfp_mask;			/* the allocation that needs memory */
	int nid;			/* node to free on (0 unless SHRINKER_NUMA_AWARE) */
	unsigned long nr_to_scan;	/* objects to scan in this call */
	unsigned long nr_scanned;	/* objects scanned: preset to nr_to_scan */
	struct mem_cgroup *memcg;	/* always NULL: no memory cgroups */
};

#define SHRINK_STOP	(~0UL)
#define SHRINK_EMPTY	(~0UL - 1)

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *, struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *, struct shrink_control *sc);
	long batch;			/* objects per scan_objects call; 0: SHRINK_BATCH */
	int seeks;			/* cost of recreating an object; 0: trim hard */
	unsigned flags;

	/* Internal: a run holds a reference; freeing waits for the last one. */
	int refcount;
	u32 done;
	struct rcu_head rcu;

	void *private_data;

	/* Internal. */
	struct list_head list;
	atomic_long_t *nr_deferred;	/* scan work put off, per node */
	char name[32];
	int debugfs_id;			/* "<name>-<id>" under shrinker/ (CONFIG_SHRINKER_DEBUG) */
};
#define DEFAULT_SEEKS	2

/* Internal flags */
#define SHRINKER_REGISTERED	BIT(0)
#define SHRINKER_ALLOCATED	BIT(1)
/* Flags for users */
#define SHRINKER_NUMA_AWARE	BIT(2)
#define SHRINKER_MEMCG_AWARE	BIT(3)	/* accepted; there are no memory cgroups */
#define SHRINKER_NONSLAB	BIT(4)

UKMEM_API_BEGIN
__printf(2, 3) struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...);
void shrinker_register(struct shrinker *shrinker);
void shrinker_free(struct shrinker *shrinker);

/* Before 6.7: the caller's own struct shrinker. */
__printf(2, 3) int register_shrinker(struct shrinker *shrinker, const char *fmt, ...);
void unregister_shrinker(struct shrinker *shrinker);

/*
 * CONFIG_SHRINKER_DEBUG: a new name for the shrinker's debugfs directory
 * ("<name>-<id>", read with ukmem_show("shrinker/<name>-<id>/count")).
 * 0, or -ENOMEM.
 */
__printf(2, 3) int shrinker_debugfs_rename(struct shrinker *shrinker, const char *fmt, ...);

/* Wait until no shrinker run that started before the call is still going. */
void synchronize_shrinkers(void);

/*
 * Call the shrinkers for node @nid at reclaim priority @priority
 * (DEF_PRIORITY 12 gently .. 0 everything); the number of objects freed.
 */
unsigned long shrink_slab(gfp_t gfp_mask, int nid, struct mem_cgroup *memcg, int priority);
UKMEM_API_END

static inline bool shrinker_try_get(struct shrinker *shrinker)
{
	int old = __atomic_load_n(&shrinker->refcount, __ATOMIC_RELAXED);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&shrinker->refcount, &old, old + 1, true,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return true;
}

UKMEM_API_BEGIN
void shrinker_put(struct shrinker *shrinker);
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_SHRINKER_H */
